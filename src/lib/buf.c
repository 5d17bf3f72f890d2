/*
 * buf.c - growable byte buffer with a hard cap. Growth doubles so appends
 * are amortised O(1); the cap is checked before any allocation so an
 * oversized input never costs more memory than the cap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/buf.h"

void ca_buf_init(ca_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void ca_buf_release(ca_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ca_buf_reset(ca_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Make room for n more bytes plus the terminator. */
static ca_status grow(ca_buf *b, size_t n)
{
    size_t need, ncap;
    char *p;

    if (n > b->max || b->len > b->max - n)
        return CA_TOOBIG;
    need = b->len + n + 1;
    if (need <= b->cap)
        return CA_OK;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    /* Never allocate far beyond what the cap allows. */
    if (ncap > b->max + 1)
        ncap = b->max + 1 > need ? b->max + 1 : need;
    p = realloc(b->data, ncap);
    if (!p)
        return CA_NOMEM;
    b->data = p;
    b->cap = ncap;
    return CA_OK;
}

ca_status ca_buf_append(ca_buf *b, const void *p, size_t n)
{
    ca_status st = grow(b, n);

    if (st != CA_OK)
        return st;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return CA_OK;
}

ca_status ca_buf_puts(ca_buf *b, const char *s)
{
    return ca_buf_append(b, s, strlen(s));
}

ca_status ca_buf_putc(ca_buf *b, char c)
{
    return ca_buf_append(b, &c, 1);
}

ca_status ca_buf_vprintf(ca_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    ca_status st;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return CA_INVALID;
    st = grow(b, (size_t)n);
    if (st != CA_OK)
        return st;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return CA_OK;
}

ca_status ca_buf_printf(ca_buf *b, const char *fmt, ...)
{
    va_list ap;
    ca_status st;

    va_start(ap, fmt);
    st = ca_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *ca_buf_steal(ca_buf *b)
{
    char *p = b->data;

    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}

void ca_buf_truncate(ca_buf *b, size_t newlen)
{
    if (newlen >= b->len)
        return;
    b->len = newlen;
    b->data[newlen] = '\0';
}
