/*
 * jsonw.c - a small streaming JSON writer for the tool's line-oriented
 * outputs. jansson builds a tree and hashes every key before it writes;
 * for one flat object per citation, written millions of times, that cost
 * more than parsing the HTML, so JSONL is written directly here.
 */
#define _GNU_SOURCE /* fputs_unlocked, fwrite_unlocked (glibc, musl) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One thread writes each stream: skip stdio's per-call locking, which cost
 * more than the escaping itself. */
#define putc putc_unlocked
#define fputs fputs_unlocked
#define fwrite fwrite_unlocked

#include "jsonw.h"

size_t jsonw_utf8_len(const unsigned char *p)
{
    size_t n, i;
    unsigned cp;

    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2, cp = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, cp = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, cp = p[0] & 0x07u;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Write s as a JSON string literal, escaping what RFC 8259 requires. */
void jsonw_str(FILE *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run;

    if (!s) {
        fputs("null", out);
        return;
    }
    putc('"', out);
    for (run = s; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 0x80) {
            size_t n = jsonw_utf8_len((const unsigned char *)s);

            if (n) {
                s += n - 1;
                continue;
            }
            /* A file name is bytes, not text: keep the output JSON. */
            fwrite(run, 1, (size_t)(s - run), out);
            fputs("\\ufffd", out);
            run = s + 1;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(run, 1, (size_t)(s - run), out);
        run = s + 1;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            fputs("\\u00", out);
            putc(hex[c >> 4], out);
            putc(hex[c & 15], out);
            break;
        }
    }
    fwrite(run, 1, (size_t)(s - run), out);
    putc('"', out);
}

/* ,"key": -- keys are the tool's own names and need no escaping. */
void jsonw_key(FILE *out, int first, const char *key)
{
    if (!first)
        putc(',', out);
    putc('"', out);
    fputs(key, out);
    fputs("\":", out);
}

void jsonw_key_str(FILE *out, int first, const char *key, const char *value)
{
    jsonw_key(out, first, key);
    jsonw_str(out, value);
}

/* Digits of value, without the locale and format parsing of printf. */
static void uint_out(FILE *out, unsigned long long value)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n)
        putc(digits[--n], out);
}

void jsonw_key_uint(FILE *out, int first, const char *key, unsigned long long value)
{
    jsonw_key(out, first, key);
    uint_out(out, value);
}

void jsonw_key_bool(FILE *out, int first, const char *key, int value)
{
    jsonw_key(out, first, key);
    fputs(value ? "true" : "false", out);
}

/*
 * The in-memory line: every piece of a JSONL line is appended here and the
 * line goes out with one fwrite. Writing piece by piece through stdio cost
 * some ninety stdio calls a line, more than the escaping.
 */
static int line_room(jsonw_line *l, size_t n)
{
    size_t ncap;
    char *p;

    if (l->failed)
        return 0;
    if (l->len + n <= l->cap)
        return 1;
    ncap = l->cap ? l->cap : 1024;
    while (ncap < l->len + n)
        ncap *= 2;
    p = realloc(l->data, ncap);
    if (!p) {
        l->failed = 1;
        return 0;
    }
    l->data = p;
    l->cap = ncap;
    return 1;
}

void jsonw_line_raw(jsonw_line *l, const char *s, size_t n)
{
    if (line_room(l, n)) {
        memcpy(l->data + l->len, s, n);
        l->len += n;
    }
}

/* Nonzero when one of the eight bytes of w needs attention in a JSON
 * string: a control byte, '"', '\\' or a byte of a multibyte sequence. */
static int word_needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');

    return ((w - ones * 0x20) | (quote - ones) | (bslash - ones) | w) & high ? 1 : 0;
}

void jsonw_line_str(jsonw_line *l, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *run;
    size_t n;

    if (!s) {
        jsonw_line_raw(l, "null", 4);
        return;
    }
    n = strlen(s);
    /* Escaping can grow a byte to six ("\u001f"); reserve for the worst. */
    if (!line_room(l, n * 6 + 2))
        return;
    l->data[l->len++] = '"';
    for (run = p; *p;) {
        uint64_t w;
        size_t k;

        /* Plain ASCII, the bulk of every field, eight bytes at a time. */
        while ((size_t)(p - (const unsigned char *)s) + 8 <= n) {
            memcpy(&w, p, 8);
            if (word_needs_escape(w))
                break;
            p += 8;
        }
        if (!*p)
            break;
        if (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) {
            p++;
            continue;
        }
        if (*p >= 0x80 && (k = jsonw_utf8_len(p)) != 0) {
            p += k;
            continue;
        }
        memcpy(l->data + l->len, run, (size_t)(p - run));
        l->len += (size_t)(p - run);
        switch (*p) {
        case '"': memcpy(l->data + l->len, "\\\"", 2), l->len += 2; break;
        case '\\': memcpy(l->data + l->len, "\\\\", 2), l->len += 2; break;
        case '\n': memcpy(l->data + l->len, "\\n", 2), l->len += 2; break;
        case '\r': memcpy(l->data + l->len, "\\r", 2), l->len += 2; break;
        case '\t': memcpy(l->data + l->len, "\\t", 2), l->len += 2; break;
        default:
            if (*p >= 0x80) {
                /* Not UTF-8 (a file name is bytes): keep the output JSON. */
                memcpy(l->data + l->len, "\\ufffd", 6);
            } else {
                memcpy(l->data + l->len, "\\u00", 4);
                l->data[l->len + 4] = hex[*p >> 4];
                l->data[l->len + 5] = hex[*p & 15];
            }
            l->len += 6;
            break;
        }
        run = ++p;
    }
    memcpy(l->data + l->len, run, (size_t)(p - run));
    l->len += (size_t)(p - run);
    l->data[l->len++] = '"';
}

void jsonw_line_uint(jsonw_line *l, unsigned long long value)
{
    char digits[24];
    int n = (int)sizeof digits;

    do {
        digits[--n] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    jsonw_line_raw(l, digits + n, sizeof digits - (size_t)n);
}

int jsonw_line_flush(jsonw_line *l, FILE *out)
{
    int ok = !l->failed && fwrite(l->data, 1, l->len, out) == l->len;

    l->len = 0;
    l->failed = 0;
    return ok ? 0 : -1;
}

void jsonw_line_release(jsonw_line *l)
{
    free(l->data);
    memset(l, 0, sizeof *l);
}
