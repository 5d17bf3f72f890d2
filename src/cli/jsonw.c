/*
 * jsonw.c - a small streaming JSON writer for the tool's line-oriented
 * outputs. jansson builds a tree and hashes every key before it writes;
 * for one flat object per citation, written millions of times, that cost
 * more than parsing the HTML, so JSONL is written directly here.
 */
#define _GNU_SOURCE /* fputs_unlocked, fwrite_unlocked (glibc, musl) */
#include <stdio.h>
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
