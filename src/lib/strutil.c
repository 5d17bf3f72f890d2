/*
 * strutil.c - string helpers: whitespace folding, UTF-8 repair and the
 * sentence-around-a-link finder that gives every citation its context.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/buf.h"
#include "citeaudit/error.h"
#include "strutil.h"

char *ca__strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

uint32_t ca__hash_str(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

char *ca__vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *p;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !(p = malloc((size_t)n + 1)))
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ca__format(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = ca__vformat(fmt, ap);
    va_end(ap);
    return p;
}

/* Length of the whitespace sequence at s (ASCII or U+00A0), 0 if none. */
static size_t ws_len(const char *s, size_t left)
{
    unsigned char c = (unsigned char)s[0];

    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (left >= 2 && c == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

char *ca__utf8_dup(const char *s)
{
    size_t n = strlen(s), len, bad;
    char *out = NULL;

    if (ca__utf8_valid_prefix(s, n) == n)
        return strdup(s);
    if (ca__utf8_repair(s, n, &out, &len, &bad) != CA_OK)
        return NULL;
    return out;
}

static int is_ascii_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Nonzero when s[0..n) is collapsed already: no control byte, no run of
 * two spaces, no 0xC2 (the lead byte of U+00A0; other characters that
 * start with it just take the slow way). The text of a page is stored
 * collapsed, so this is what a context sentence usually is.
 */
static int is_collapsed(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        uint64_t w, sp, c2;

        memcpy(&w, s + i, 8);
        sp = w ^ (ones * 0x20);
        sp = (sp - ones) & ~sp & high; /* spaces (a few false alarms) */
        c2 = w ^ (ones * 0xC2);
        c2 = (c2 - ones) & ~c2 & high;
        if (((w - ones * 0x20) & ~w & high) || c2 || (sp & (sp << 8)) ||
            (s[i + 7] == ' ' && i + 8 < n && s[i + 8] == ' '))
            return 0;
    }
    for (; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0xC2 ||
            (s[i] == ' ' && i + 1 < n && s[i + 1] == ' '))
            return 0;
    }
    return 1;
}

char *ca__collapse_ws(const char *s, size_t n)
{
    char *out, *fixed = NULL;
    size_t fixed_len, bad;

    /* Parsers can hand back invalid UTF-8 (gumbo 0.10 decodes "&#x99999999"
     * to bytes that are not UTF-8); every string we output is valid. */
    if (ca__utf8_valid_prefix(s, n) != n) {
        if (ca__utf8_repair(s, n, &fixed, &fixed_len, &bad) != CA_OK)
            return NULL;
        out = ca__collapse_ws(fixed, fixed_len);
        free(fixed);
        return out;
    }
    while (n && is_ascii_ws((unsigned char)s[0]))
        s++, n--;
    while (n && is_ascii_ws((unsigned char)s[n - 1]))
        n--;
    if (is_collapsed(s, n))
        return ca__strndup(s, n);
    out = malloc(n + 1);
    size_t i = 0, j = 0, w;
    int pending = 0;

    if (!out)
        return NULL;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];

        /* Runs of word bytes, the bulk of any text, go straight through. */
        if (c > ' ' && c != 0xC2) {
            if (pending)
                out[j++] = ' ';
            pending = 0;
            do
                out[j++] = s[i++];
            while (i < n && (unsigned char)s[i] > ' ' && (unsigned char)s[i] != 0xC2);
            continue;
        }
        w = ws_len(s + i, n - i);
        if (w) {
            pending = j > 0;
            i += w;
            continue;
        }
        if (pending)
            out[j++] = ' ';
        pending = 0;
        out[j++] = s[i++];
    }
    out[j] = '\0';
    return out;
}

int ca__ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Length of the valid UTF-8 sequence at p, 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
    size_t n, i;
    unsigned cp;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2, cp = p[0] & 0x1F;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, cp = p[0] & 0x0F;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (left < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

size_t ca__utf8_valid_prefix(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 0, n;

    while (i < len) {
        /* ASCII runs, the bulk of every page, eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;

            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break; /* a high bit or a NUL byte in these eight */
            i += 8;
        }
        if (i >= len)
            break;
        n = p[i] ? utf8_seq(p + i, len - i) : 0;
        if (!n)
            return i;
        i += n;
    }
    return len;
}

int ca__utf8_repair(const char *data, size_t len, char **ret, size_t *ret_len, size_t *ret_bad)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 0, j = 0, bad = 0, n;
    char *out;

    /* Each bad byte becomes 3 bytes at most. */
    if (len > (SIZE_MAX - 1) / 3)
        return CA_TOOBIG;
    out = malloc(len * 3 + 1);
    if (!out)
        return CA_NOMEM;
    while (i < len) {
        n = p[i] ? utf8_seq(p + i, len - i) : 0;
        if (n) {
            memcpy(out + j, p + i, n);
            j += n;
            i += n;
        } else {
            /* NUL bytes are replaced too: they would cut C strings short. */
            memcpy(out + j, "\xEF\xBF\xBD", 3);
            j += 3;
            i++;
            bad++;
        }
    }
    out[j] = '\0';
    *ret = out;
    *ret_len = j;
    *ret_bad = bad;
    return CA_OK;
}

/* Nonzero when a sentence ends just before position i of text. */
static int sentence_break(const char *t, size_t len, size_t i)
{
    char c;

    if (i == 0 || i >= len)
        return 0;
    if (t[i] == '\n' && i + 1 < len && t[i + 1] == '\n')
        return 1;
    c = t[i - 1];
    if ((c == '.' || c == '!' || c == '?') && (t[i] == ' ' || t[i] == '\n')) {
        /* "U.S. officials": a one-letter word before the dot is no end. */
        if (c == '.' && i >= 3 && t[i - 3] == ' ')
            return 0;
        if (c == '.' && i >= 2 && t[i - 2] >= 'A' && t[i - 2] <= 'Z' &&
            (i < 3 || t[i - 3] == '.'))
            return 0;
        return 1;
    }
    return 0;
}

/* Move i forward to the start of a UTF-8 character. */
static size_t char_start_fwd(const char *t, size_t len, size_t i)
{
    while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Move i back to the start of a UTF-8 character. */
static size_t char_start_back(const char *t, size_t i)
{
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80)
        i--;
    return i;
}

void ca__utf8_truncate(char *s, size_t max)
{
    size_t n = strlen(s);

    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    s[max] = '\0';
}

char *ca__sentence_around(const char *text, size_t len, size_t start, size_t end, size_t max)
{
    size_t a, b, lo, hi, half = max / 2;

    if (start > len)
        start = len;
    if (end > len || end < start)
        end = start;
    /* The scan is bounded: a page that is one endless "sentence" of links
     * must cost O(max) per link, not O(page). */
    lo = max && start > half ? start - half : 0;
    hi = max && len - end > half ? end + half : len;
    a = start;
    b = end;
    /* A sentence can only end before a space or a newline. */
    while (a > lo &&
           !(a < len && (text[a] == ' ' || text[a] == '\n') && sentence_break(text, len, a)))
        a--;
    while (b < hi && !((text[b] == ' ' || text[b] == '\n') && sentence_break(text, len, b)))
        b++;
    if (max && b - a > max) {
        if (start - a > half)
            a = start - half;
        if (b - a > max)
            b = a + max;
    }
    a = char_start_fwd(text, len, a);
    b = b < len ? char_start_back(text, b) : len;
    if (b < a)
        b = a;
    return ca__collapse_ws(text + a, b - a);
}
