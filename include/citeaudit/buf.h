/*
 * buf.h - a growable byte buffer with a hard cap (curl's dynbuf, git's
 * strbuf). Everything a document or a server controls is read into one of
 * these, so the cap is where untrusted input meets its limit.
 */
#ifndef CITEAUDIT_BUF_H
#define CITEAUDIT_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The contents are always NUL-terminated once anything was appended; data is
 * NULL while the buffer is empty and untouched. max is the largest len the
 * buffer accepts; an append beyond it fails with CA_TOOBIG and leaves the
 * buffer unchanged.
 */
typedef struct ca_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
} ca_buf;

/* Initialise b (caller memory) with a cap of max bytes. */
void ca_buf_init(ca_buf *b, size_t max);

/* Free the contents and return b to its initial empty state (cap kept). */
void ca_buf_release(ca_buf *b);

/* Forget the contents but keep the allocation for reuse. */
void ca_buf_reset(ca_buf *b);

/* Append n bytes. CA_TOOBIG past the cap, CA_NOMEM when allocation fails. */
ca_status ca_buf_append(ca_buf *b, const void *p, size_t n);

/* Append a NUL-terminated string. */
ca_status ca_buf_puts(ca_buf *b, const char *s);

/* Append one byte. */
ca_status ca_buf_putc(ca_buf *b, char c);

/* Append printf-formatted text. */
ca_status ca_buf_printf(ca_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
ca_status ca_buf_vprintf(ca_buf *b, const char *fmt, va_list ap);

/*
 * Hand the contents to the caller, who frees them with free(); b is left
 * empty. Returns an empty allocated string when nothing was appended, NULL
 * only when that allocation fails.
 */
char *ca_buf_steal(ca_buf *b);

/* Drop the last n bytes (or all if n > len). */
void ca_buf_truncate(ca_buf *b, size_t newlen);

#ifdef __cplusplus
}
#endif
#endif
