/*
 * warc_replay.c - answering checks from a WARC file (--replay).
 *
 * libarchive undoes the compression (each gzip member in turn, or bzip2,
 * xz, zstd, or none) and hands over the WARC stream; the records are
 * parsed here as they stream by, because libarchive's own WARC reader
 * does not fit: it reads WARC 0.12 to 1.0 only (our files are 1.1), keeps
 * only the path of each target URI (the host is lost), skips URIs that
 * end in '/', and never shows request records. Of each response record
 * only the target URI, the date and the HTTP status line and Location
 * header are kept, so a file of any size is read in bounded memory.
 *
 * A URL is then answered as the checker would answer it: the last
 * response recorded for each hop, recorded redirects followed within the
 * file with the checker's rules (http and https only, no loops, at most
 * --max-redirects), and the final status classified by the checker.
 */
#include <archive.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "citeaudit/buf.h"
#include "citeaudit/warc.h"
#include "strutil.h"

#define RECORD_HEAD_MAX (64 * 1024) /* a WARC record header */
#define HTTP_HEAD_MAX (64 * 1024)   /* the HTTP headers of a response */

struct entry {
    char *uri;
    char *location; /* NULL when none */
    int status;
    int64_t date;
    size_t seq;     /* order in the file: the last response wins */
};

struct ca_warc_replay {
    struct entry *v;
    size_t n, cap;
    char *path;
};

/* The streaming parser's state. */
struct parser {
    ca_warc_replay *r;
    ca_buf head;          /* the record header being read */
    ca_buf http;          /* the start of a response block */
    uint64_t remaining;   /* block bytes still to come */
    int in_block;
    int is_response;
    char *uri;
    int64_t date;
    size_t records;
};

/* The value of header name in a block of "Name: value\r\n" lines (caller frees). */
static char *field(const char *head, size_t len, const char *name)
{
    size_t n = strlen(name);
    const char *p = head, *end = head + len, *nl, *v;

    for (; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if ((size_t)(nl - p) > n && p[n] == ':' && !strncasecmp(p, name, n)) {
            const char *e = nl;

            v = p + n + 1;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                e--;
            return ca__strndup(v, (size_t)(e - v));
        }
        if (nl == end)
            break;
    }
    return NULL;
}

static int64_t parse_date(const char *s)
{
    struct tm tm;

    memset(&tm, 0, sizeof tm);
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                     &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

static ca_status add_entry(ca_warc_replay *r, char *uri, const char *http, size_t len,
                           int64_t date)
{
    struct entry *e;
    int status = 0;

    if (len < 12 || strncmp(http, "HTTP/", 5) != 0) {
        free(uri);
        return CA_OK; /* not an HTTP response (a resource, say): nothing to replay */
    }
    status = atoi(memchr(http, ' ', len) ? (const char *)memchr(http, ' ', len) + 1 : "0");
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 256;

        e = realloc(r->v, ncap * sizeof *e);
        if (!e) {
            free(uri);
            return CA_NOMEM;
        }
        r->v = e;
        r->cap = ncap;
    }
    e = &r->v[r->n];
    e->uri = uri;
    e->status = status;
    e->date = date;
    e->seq = r->n;
    e->location = field(http, len, "Location");
    r->n++;
    return CA_OK;
}

/* A record header is complete: what is it? */
static ca_status start_record(struct parser *ps, ca_error *err)
{
    const char *h = ps->head.data;
    char *type, *len, *date, *end = NULL;
    unsigned long long n;

    if (ps->head.len < 9 || strncmp(h, "WARC/1.", 7) != 0)
        return ca_error_set(err, CA_PARSE, "%s: not a WARC 1.x file (record %zu does not start "
                            "with 'WARC/1.'); give a file written by --snapshot",
                            ps->r->path, ps->records + 1);
    len = field(h, ps->head.len, "Content-Length");
    n = len ? strtoull(len, &end, 10) : 0;
    if (!len || end == len || *end) {
        free(len);
        return ca_error_set(err, CA_PARSE, "%s: record %zu has no valid Content-Length",
                            ps->r->path, ps->records + 1);
    }
    free(len);
    type = field(h, ps->head.len, "WARC-Type");
    ps->is_response = type && !strcmp(type, "response");
    free(type);
    free(ps->uri);
    ps->uri = ps->is_response ? field(h, ps->head.len, "WARC-Target-URI") : NULL;
    if (ps->uri && ps->uri[0] == '<') { /* WARC 1.0 wrote it in angle brackets */
        size_t l = strlen(ps->uri);

        memmove(ps->uri, ps->uri + 1, l);
        if (l >= 2 && ps->uri[l - 2] == '>')
            ps->uri[l - 2] = '\0';
    }
    ps->is_response = ps->is_response && ps->uri;
    date = field(h, ps->head.len, "WARC-Date");
    ps->date = parse_date(date);
    free(date);
    ps->remaining = n;
    ps->in_block = 1;
    ps->records++;
    ca_buf_reset(&ps->http);
    return CA_OK;
}

static ca_status end_record(struct parser *ps)
{
    ca_status st = CA_OK;

    if (ps->is_response) {
        st = add_entry(ps->r, ps->uri, ps->http.data ? ps->http.data : "", ps->http.len,
                       ps->date);
        ps->uri = NULL;
    }
    ps->in_block = 0;
    ca_buf_reset(&ps->head);
    return st;
}

static ca_status feed(struct parser *ps, const char *p, size_t n, ca_error *err)
{
    ca_status st;

    while (n) {
        if (ps->in_block) {
            size_t take = n < ps->remaining ? n : (size_t)ps->remaining;

            if (ps->is_response && ps->http.len < HTTP_HEAD_MAX)
                ca_buf_append(&ps->http, p, take < HTTP_HEAD_MAX ? take : HTTP_HEAD_MAX);
            p += take;
            n -= take;
            ps->remaining -= take;
            if (!ps->remaining && (st = end_record(ps)) != CA_OK)
                return ca_error_set(err, st, "out of memory reading %s", ps->r->path);
            continue;
        }
        /* between records: skip the CRLFs that end the last one */
        if (!ps->head.len && (*p == '\r' || *p == '\n')) {
            p++, n--;
            continue;
        }
        if (ca_buf_append(&ps->head, p, 1) != CA_OK)
            return ca_error_set(err, CA_PARSE, "%s: a record header longer than %d bytes: "
                                "not a WARC file?", ps->r->path, RECORD_HEAD_MAX);
        p++, n--;
        if (ps->head.len <= 5 && memcmp(ps->head.data, "WARC/", ps->head.len) != 0)
            return ca_error_set(err, CA_PARSE, "%s: not a WARC 1.x file (record %zu does not "
                                "start with 'WARC/'); give a file written by --snapshot",
                                ps->r->path, ps->records + 1);
        if (ps->head.len >= 4 && !memcmp(ps->head.data + ps->head.len - 4, "\r\n\r\n", 4)) {
            st = start_record(ps, err);
            if (st != CA_OK)
                return st;
            if (!ps->remaining && (st = end_record(ps)) != CA_OK)
                return ca_error_set(err, st, "out of memory reading %s", ps->r->path);
        }
    }
    return CA_OK;
}

static int by_uri_then_seq(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = strcmp(x->uri, y->uri);

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort by URI and keep the last response of each. */
static void build_index(ca_warc_replay *r)
{
    size_t i, k = 0;

    qsort(r->v, r->n, sizeof *r->v, by_uri_then_seq);
    for (i = 0; i < r->n; i++) {
        if (i + 1 < r->n && !strcmp(r->v[i].uri, r->v[i + 1].uri)) {
            free(r->v[i].uri);
            free(r->v[i].location);
            continue;
        }
        r->v[k++] = r->v[i];
    }
    r->n = k;
}

static ca_status read_all(struct archive *a, struct parser *ps, ca_error *err)
{
    struct archive_entry *ae;
    const void *buf;
    size_t size;
    la_int64_t off;
    int rc;

    if (archive_read_next_header(a, &ae) != ARCHIVE_OK)
        return ca_error_set(err, CA_PARSE, "%s: cannot read it: %s", ps->r->path,
                            archive_error_string(a) ? archive_error_string(a) : "empty");
    while ((rc = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK) {
        ca_status st = feed(ps, buf, size, err);

        if (st != CA_OK)
            return st;
    }
    if (rc != ARCHIVE_EOF)
        return ca_error_set(err, CA_PARSE, "%s: cannot read it: %s (a damaged or cut "
                            "file?)", ps->r->path, archive_error_string(a));
    if (ps->in_block || ps->head.len)
        return ca_error_set(err, CA_PARSE, "%s: the last record is cut short (record %zu); "
                            "the file is incomplete", ps->r->path, ps->records);
    return CA_OK;
}

ca_status ca_warc_replay_open(const char *path, ca_warc_replay **ret, ca_error *err)
{
    ca_warc_replay *r = calloc(1, sizeof *r);
    struct archive *a = NULL;
    struct parser ps;
    ca_status st;

    *ret = NULL;
    memset(&ps, 0, sizeof ps);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return ca_error_set(err, CA_NOMEM, "out of memory reading %s", path);
    }
    ps.r = r;
    ca_buf_init(&ps.head, RECORD_HEAD_MAX);
    ca_buf_init(&ps.http, HTTP_HEAD_MAX + 1);
    a = archive_read_new();
    if (!a) {
        st = ca_error_set(err, CA_NOMEM, "out of memory reading %s", path);
        goto out;
    }
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
        st = ca_error_set(err, access(path, F_OK) ? CA_NOTFOUND : CA_IO,
                          "cannot read the WARC file '%s': %s", path, archive_error_string(a));
        goto out;
    }
    st = read_all(a, &ps, err);
    if (st == CA_OK && ps.records == 0)
        st = ca_error_set(err, CA_PARSE, "%s: no WARC record in it; give a file written by "
                          "--snapshot", path);
out:
    archive_read_free(a);
    ca_buf_release(&ps.head);
    ca_buf_release(&ps.http);
    free(ps.uri);
    if (st != CA_OK) {
        ca_warc_replay_destroy(r);
        return st;
    }
    build_index(r);
    *ret = r;
    return CA_OK;
}

void ca_warc_replay_destroy(ca_warc_replay *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n; i++) {
        free(r->v[i].uri);
        free(r->v[i].location);
    }
    free(r->v);
    free(r->path);
    free(r);
}

size_t ca_warc_replay_count(const ca_warc_replay *r)
{
    return r->n;
}

static const struct entry *lookup(const ca_warc_replay *r, const char *uri)
{
    size_t lo = 0, hi = r->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->v[mid].uri, uri);

        if (!c)
            return &r->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void ca_warc_result_release(ca_result *res)
{
    unsigned i;

    if (!res)
        return;
    free(res->error);
    free(res->final_url);
    for (i = 0; i < res->nchain; i++)
        free(res->chain[i].url);
    free(res->chain);
    if (res->archive)
        free(res->archive->url);
    free(res->archive);
    memset(res, 0, sizeof *res);
}

/* The absolute URL a Location leads to from base (caller frees), or NULL. */
static char *resolve(const char *base, const char *location)
{
    CURLU *u = curl_url();
    char *out = NULL, *copy = NULL;

    if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, location, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
        copy = strdup(out);
    curl_free(out);
    curl_url_cleanup(u);
    return copy;
}

static int web_scheme(const char *url)
{
    return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
}

static int append_hop(ca_result *res, const char *url, int code)
{
    ca_hop *p = realloc(res->chain, (res->nchain + 1) * sizeof *p);

    if (!p)
        return -1;
    res->chain = p;
    p[res->nchain].url = strdup(url);
    if (!p[res->nchain].url)
        return -1;
    p[res->nchain].http_code = code;
    res->nchain++;
    return 0;
}

static int in_chain(const ca_result *res, const char *url)
{
    unsigned i;

    for (i = 0; i < res->nchain; i++)
        if (!strcmp(res->chain[i].url, url))
            return 1;
    return 0;
}

/* "redirect loop: a -> b -> a", as the checker says it. */
static char *loop_message(const ca_result *res, const char *to)
{
    ca_buf b;
    unsigned i;

    ca_buf_init(&b, 4096);
    ca_buf_puts(&b, "redirect loop: ");
    for (i = 0; i < res->nchain; i++)
        ca_buf_printf(&b, "%s -> ", res->chain[i].url);
    ca_buf_puts(&b, to);
    return ca_buf_steal(&b);
}

/* Follow the recorded hops from url; 0 done, -1 out of memory. */
static int follow(const ca_warc_replay *r, const ca_checker *chk, const char *url,
                  unsigned max_redirects, ca_result *res)
{
    const struct entry *e = lookup(r, url);
    char *cur = strdup(url), *to;

    while (cur) {
        res->http_code = e->status;
        res->checked_at = e->date;
        if (e->status < 300 || e->status >= 400 || !e->location)
            break;
        to = resolve(cur, e->location);
        if (!to || append_hop(res, cur, e->status) < 0) {
            free(to);
            free(cur);
            return -1;
        }
        res->cls = CA_CLASS_DEAD;
        if (!web_scheme(to)) {
            const char *colon = strchr(to, ':');

            res->error = ca__format("redirect to a %.*s: URL refused (only http and https "
                                    "are followed): %s", colon ? (int)(colon - to) : 0, to, to);
        } else if (in_chain(res, to)) {
            res->error = loop_message(res, to);
        } else if (res->nchain > max_redirects) {
            res->error = ca__format("more than %u redirects (--max-redirects); last to %s",
                                    max_redirects, to);
        } else if (!(e = lookup(r, to))) {
            res->cls = CA_CLASS_UNKNOWN;
            res->http_code = 0;
            res->error = ca__format("not checked: the redirect to %s is not in %s", to, r->path);
        } else {
            free(cur);
            cur = to;
            continue;
        }
        res->final_url = cur;
        free(to);
        return res->error ? 0 : -1;
    }
    if (!cur)
        return -1;
    if (res->nchain && append_hop(res, cur, e->status) < 0) {
        free(cur);
        return -1;
    }
    res->cls = ca_checker_classify(chk, e->status, res->chain, res->nchain);
    res->reason = ca_checker_classify_reason(chk, e->status, res->chain, res->nchain);
    if (res->cls == CA_CLASS_SOFT404 && res->reason != CA_REASON_NONE)
        res->error = ca__format("%s %s", res->reason == CA_REASON_HOME_REDIRECT
                                             ? "redirected to the site's home page"
                                             : "redirected to an error page",
                                cur);
    else if (e->status >= 300 && e->status < 400)
        res->error = ca__format("HTTP %d without a Location to follow", e->status);
    if (res->nchain)
        res->final_url = cur;
    else
        free(cur);
    return 0;
}

ca_status ca_warc_replay_result(const ca_warc_replay *r, const ca_checker *chk,
                                const char *url, unsigned max_redirects, ca_result *ret,
                                int *ret_found, ca_error *err)
{
    ca_result res;

    *ret_found = 0;
    if (!lookup(r, url))
        return CA_OK;
    memset(&res, 0, sizeof res);
    if (follow(r, chk, url, max_redirects, &res) < 0) {
        ca_warc_result_release(&res);
        return ca_error_set(err, CA_NOMEM, "out of memory replaying %s", url);
    }
    *ret = res;
    *ret_found = 1;
    return CA_OK;
}
