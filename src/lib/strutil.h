/*
 * strutil.h - small string helpers shared inside the library.
 */
#ifndef CA_STRUTIL_H
#define CA_STRUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>

/* strndup that never reads past n bytes. NULL when out of memory. */
char *ca__strndup(const char *s, size_t n);

/* FNV-1a of a NUL-terminated string: the hash of every string table here
 * (URLs, hosts, source keys); short keys, and only a good spread matters. */
uint32_t ca__hash_str(const char *s);

/* printf into a new string (caller frees); NULL when out of memory. */
char *ca__format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ca__vformat(const char *fmt, va_list ap);

/*
 * Copy s[0..n) collapsing every run of whitespace (ASCII and U+00A0) into one
 * space and trimming both ends; invalid UTF-8 becomes U+FFFD. NULL when out
 * of memory.
 */
char *ca__collapse_ws(const char *s, size_t n);

/* strdup that replaces invalid UTF-8 with U+FFFD. NULL when out of memory. */
char *ca__utf8_dup(const char *s);

/* Nonzero when s ends with suffix, ignoring ASCII case. */
int ca__ends_with_ci(const char *s, const char *suffix);

/* Cut s to at most max bytes on a UTF-8 character boundary. */
void ca__utf8_truncate(char *s, size_t max);

/* Length of the longest prefix of data that is valid UTF-8 without NULs. */
size_t ca__utf8_valid_prefix(const char *data, size_t len);

/*
 * Replace invalid UTF-8 sequences in data[0..len) with U+FFFD into a new
 * NUL-terminated string (*ret, caller frees) and its length *ret_len.
 * *ret_bad counts the replacements. CA_NOMEM on allocation failure.
 */
int ca__utf8_repair(const char *data, size_t len, char **ret, size_t *ret_len,
                    size_t *ret_bad);

/*
 * The sentence of text[0..len) that contains the span [start, end):
 * extended back to the previous sentence end (". ", "! ", "? ", newline
 * pair) and forward to the next, but never more than max/2 bytes beyond the
 * span on either side (0: no bound), cut on UTF-8 character boundaries,
 * whitespace collapsed. Caller frees; NULL when out of memory.
 */
char *ca__sentence_around(const char *text, size_t len, size_t start, size_t end, size_t max);

#endif
