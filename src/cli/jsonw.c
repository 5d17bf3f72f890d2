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
static void key_out(FILE *out, int first, const char *key)
{
    if (!first)
        putc(',', out);
    putc('"', out);
    fputs(key, out);
    fputs("\":", out);
}

void jsonw_key_str(FILE *out, int first, const char *key, const char *value)
{
    key_out(out, first, key);
    jsonw_str(out, value);
}

void jsonw_key_uint(FILE *out, int first, const char *key, unsigned long long value)
{
    char digits[24];
    int n = 0;

    key_out(out, first, key);
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n)
        putc(digits[--n], out);
}
