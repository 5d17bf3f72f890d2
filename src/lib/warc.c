/*
 * warc.c - the WARC 1.1 writer: the evidence of a run, one request record
 * and one response record per HTTP exchange, after a warcinfo record.
 *
 * Each record is compressed as its own gzip member (zlib), the standard
 * .warc.gz form that lets readers seek to a record. Digests are SHA-1 in
 * base32 (libcrypto), as wget, Heritrix and warcio write them. The
 * recorded response is made consistent with the bytes kept: curl has
 * already undone chunking, so Transfer-Encoding is dropped; a body curl
 * decoded (pages fetched as articles) loses Content-Encoding; and the
 * real Content-Length is given whenever a header was dropped. A body cut
 * at the byte cap is marked "WARC-Truncated: length".
 */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "citeaudit/buf.h"
#include "citeaudit/citeaudit.h"
#include "citeaudit/warc.h"

#define HEADERS_MAX (256 * 1024)

struct ca_warc_writer {
    FILE *f;
    char *path;
    size_t records;
    int failed; /* errno of the first failed write, or -1 */
};

static void warc_date(int64_t t, char buf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "<urn:uuid:...>" from 16 random bytes (version 4). */
static void new_record_id(char buf[64])
{
    unsigned char b[16];

    if (RAND_bytes(b, sizeof b) != 1) {
        /* libcrypto's generator failed: fall back to something unique
         * enough for a record id (time and address), never to nothing. */
        uint64_t x = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)buf, y = (uint64_t)clock();

        memcpy(b, &x, 8);
        memcpy(b + 8, &y, 8);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(buf, 64,
             "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* "sha1:" and the base32 (RFC 4648) SHA-1 of data. */
static void sha1_b32(const void *data, size_t len, char out[40])
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0, i, bits = 0, acc = 0;
    char *o = out + 5;

    memcpy(out, "sha1:", 5);
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20) {
        out[0] = '\0';
        return;
    }
    for (i = 0; i < 20; i++) {
        acc = (acc << 8) | md[i];
        bits += 8;
        while (bits >= 5) {
            *o++ = alpha[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    *o = '\0'; /* 160 bits are exactly 32 characters */
}

/* Write one record as its own gzip member. */
static int write_member(ca_warc_writer *w, const ca_buf *head, const char *block, size_t blen)
{
    static const char tail[] = "\r\n\r\n";
    const struct { const void *p; size_t n; } parts[] = {
        {head->data, head->len}, {block, blen}, {tail, 4}};
    unsigned char out[16384];
    z_stream z;
    size_t i;
    int rc = Z_OK;

    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    for (i = 0; i < 3 && rc != Z_STREAM_ERROR; i++) {
        int flush = i == 2 ? Z_FINISH : Z_NO_FLUSH;

        z.next_in = (unsigned char *)(uintptr_t)parts[i].p;
        z.avail_in = (uInt)parts[i].n;
        do {
            z.next_out = out;
            z.avail_out = sizeof out;
            rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR)
                break;
            if (fwrite(out, 1, sizeof out - z.avail_out, w->f) != sizeof out - z.avail_out &&
                !w->failed)
                w->failed = errno ? errno : EIO;
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    }
    deflateEnd(&z);
    w->records++;
    return rc == Z_STREAM_END && !w->failed ? 0 : -1;
}

static ca_status write_failed(ca_warc_writer *w, ca_error *err)
{
    return ca_error_set(err, CA_ENV, "cannot write the snapshot '%s': %s; free some space or "
                        "give another --snapshot", w->path,
                        w->failed > 0 ? strerror(w->failed) : "compression failed");
}

ca_status ca_warc_writer_open(const char *path, ca_warc_writer **ret, ca_error *err)
{
    ca_warc_writer *w = calloc(1, sizeof *w);
    char id[64], date[32], info[512];
    const char *name = strrchr(path, '/');
    ca_buf head;
    int n;

    *ret = NULL;
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return ca_error_set(err, CA_NOMEM, "out of memory opening '%s'", path);
    }
    w->f = fopen(path, "wb");
    if (!w->f) {
        ca_error_set(err, CA_ENV, "cannot create the snapshot '%s': %s; give a writable "
                     "path to --snapshot", path, strerror(errno));
        free(w->path);
        free(w);
        return CA_ENV;
    }
    n = snprintf(info, sizeof info,
                 "software: citeaudit/%s\r\nformat: WARC File Format 1.1\r\n"
                 "conformsTo: http://iipc.github.io/warc-specifications/specifications/"
                 "warc-format/warc-1.1/\r\ndescription: the HTTP exchanges of a citeaudit run "
                 "(HEAD and GET requests; bodies within the checker's byte cap)\r\n",
                 ca_version());
    new_record_id(id);
    warc_date((int64_t)time(NULL), date);
    ca_buf_init(&head, 4096);
    ca_buf_printf(&head, "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: %s\r\n"
                  "WARC-Date: %s\r\nWARC-Filename: %s\r\n"
                  "Content-Type: application/warc-fields\r\nContent-Length: %d\r\n\r\n",
                  id, date, name ? name + 1 : path, n);
    n = write_member(w, &head, info, (size_t)n);
    ca_buf_release(&head);
    if (n < 0) {
        write_failed(w, err);
        fclose(w->f);
        free(w->path);
        free(w);
        return CA_ENV;
    }
    *ret = w;
    return CA_OK;
}

size_t ca_warc_writer_records(const ca_warc_writer *w)
{
    return w->records;
}

static int header_is(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);

    return len > n && line[n] == ':' && !strncasecmp(line, name, n);
}

/*
 * The response's status line and headers as recorded: ending in one blank
 * line, without the headers that no longer describe the body kept.
 */
static void response_head(const ca_exchange *ex, ca_buf *out)
{
    const char *p = ex->response, *end = p + ex->response_len, *nl;
    int dropped = 0, has_length = 0, first = 1;

    while (p < end) {
        size_t len;

        nl = memchr(p, '\n', (size_t)(end - p));
        len = (size_t)((nl ? nl + 1 : end) - p);
        if (len <= 2 && (*p == '\r' || *p == '\n'))
            break; /* the blank line: written below */
        if (!first && (header_is(p, len, "Transfer-Encoding") ||
                       (ex->body_decoded && (header_is(p, len, "Content-Encoding") ||
                                             header_is(p, len, "Content-Length"))))) {
            dropped = 1;
        } else {
            size_t keep = len - (nl != NULL);

            if (keep && p[keep - 1] == '\r')
                keep--;
            has_length |= !first && header_is(p, len, "Content-Length");
            ca_buf_append(out, p, keep); /* every line ends in CRLF, as HTTP wants */
            ca_buf_puts(out, "\r\n");
        }
        first = 0;
        p += len;
    }
    if ((dropped || !has_length) && ex->body)
        ca_buf_printf(out, "Content-Length: %zu\r\n", ex->body_len);
    ca_buf_puts(out, "\r\n");
}

/* The request as sent, ending in one blank line. */
static void request_head(const ca_exchange *ex, ca_buf *out)
{
    size_t len = ex->request_len;

    while (len && (ex->request[len - 1] == '\r' || ex->request[len - 1] == '\n'))
        len--;
    ca_buf_append(out, ex->request, len);
    ca_buf_puts(out, "\r\n\r\n");
}

static void common_fields(ca_buf *h, const char *type, const char *id, const char *date,
                          const ca_exchange *ex)
{
    ca_buf_printf(h, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\nWARC-Date: %s\r\n"
                  "WARC-Target-URI: %s\r\n", type, id, date, ex->url);
    if (ex->ip && *ex->ip)
        ca_buf_printf(h, "WARC-IP-Address: %s\r\n", ex->ip);
}

ca_status ca_warc_write_exchange(ca_warc_writer *w, const ca_exchange *ex, ca_error *err)
{
    char req_id[64], resp_id[64], date[32], digest[40];
    ca_buf head, block;
    size_t body_at;
    int rc = -1;

    new_record_id(req_id);
    new_record_id(resp_id);
    warc_date(ex->time ? ex->time : (int64_t)time(NULL), date);
    ca_buf_init(&head, 8192);
    ca_buf_init(&block, HEADERS_MAX + ex->body_len + 64);
    /* the request */
    request_head(ex, &block);
    common_fields(&head, "request", req_id, date, ex);
    sha1_b32(block.data, block.len, digest);
    ca_buf_printf(&head, "WARC-Concurrent-To: %s\r\n", resp_id);
    if (digest[0])
        ca_buf_printf(&head, "WARC-Block-Digest: %s\r\n", digest);
    ca_buf_printf(&head, "Content-Type: application/http;msgtype=request\r\n"
                  "Content-Length: %zu\r\n\r\n", block.len);
    if (write_member(w, &head, block.data, block.len) < 0)
        goto out;
    /* the response */
    ca_buf_reset(&head);
    ca_buf_reset(&block);
    response_head(ex, &block);
    body_at = block.len;
    if (ex->body_len)
        ca_buf_append(&block, ex->body, ex->body_len);
    common_fields(&head, "response", resp_id, date, ex);
    ca_buf_printf(&head, "WARC-Concurrent-To: %s\r\n", req_id);
    sha1_b32(block.data, block.len, digest);
    if (digest[0])
        ca_buf_printf(&head, "WARC-Block-Digest: %s\r\n", digest);
    sha1_b32(block.data + body_at, block.len - body_at, digest);
    if (digest[0])
        ca_buf_printf(&head, "WARC-Payload-Digest: %s\r\n", digest);
    if (ex->body_truncated)
        ca_buf_puts(&head, "WARC-Truncated: length\r\n");
    ca_buf_printf(&head, "Content-Type: application/http;msgtype=response\r\n"
                  "Content-Length: %zu\r\n\r\n", block.len);
    rc = write_member(w, &head, block.data, block.len);
out:
    ca_buf_release(&head);
    ca_buf_release(&block);
    if (rc < 0)
        return write_failed(w, err);
    return CA_OK;
}

ca_status ca_warc_writer_close(ca_warc_writer *w, ca_error *err)
{
    ca_status st = CA_OK;

    if (!w)
        return CA_OK;
    if (fflush(w->f) != 0 && !w->failed)
        w->failed = errno ? errno : EIO;
    if (fclose(w->f) != 0 && !w->failed)
        w->failed = errno ? errno : EIO;
    if (w->failed)
        st = write_failed(w, err);
    free(w->path);
    free(w);
    return st;
}
