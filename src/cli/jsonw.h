/*
 * jsonw.h - streaming JSON writer for the JSONL and JSON outputs (see
 * jsonw.c). Invalid UTF-8 in strings is written as U+FFFD. Objects and
 * arrays are opened and closed by the caller with putc; each key function
 * takes `first` so the caller decides where commas go.
 */
#ifndef CA_JSONW_H
#define CA_JSONW_H

#include <stdio.h>

/* A JSON string literal, or null when s is NULL. */
void jsonw_str(FILE *out, const char *s);

/* ,"key":"value" (no comma when first). */
void jsonw_key_str(FILE *out, int first, const char *key, const char *value);

/* ,"key":123 (no comma when first). */
void jsonw_key_uint(FILE *out, int first, const char *key, unsigned long long value);

/* ,"key":true or false (no comma when first). */
void jsonw_key_bool(FILE *out, int first, const char *key, int value);

/* ,"key": alone, for a nested object or array the caller writes next. */
void jsonw_key(FILE *out, int first, const char *key);

/* Length of the valid UTF-8 sequence at p (p[0] >= 0x80), 0 when invalid:
 * overlong, surrogate, beyond U+10FFFF or cut short. */
size_t jsonw_utf8_len(const unsigned char *p);

/*
 * A line of JSON built in memory, for outputs of many small objects
 * (extract's JSONL): the pieces are appended with the functions below and
 * the line is written with one fwrite by jsonw_line_flush(). Zero-initialise
 * it; out of memory, the line is dropped and the flush reports it.
 */
typedef struct jsonw_line {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} jsonw_line;

/* n bytes as they are (punctuation, keys that need no escaping). */
void jsonw_line_raw(jsonw_line *l, const char *s, size_t n);

/* A JSON string literal, or null when s is NULL (as jsonw_str). */
void jsonw_line_str(jsonw_line *l, const char *s);

/* The decimal digits of value. */
void jsonw_line_uint(jsonw_line *l, unsigned long long value);

/* Write the line to out and empty it; -1 when it could not be written. */
int jsonw_line_flush(jsonw_line *l, FILE *out);

/* Free the line's memory. */
void jsonw_line_release(jsonw_line *l);

#endif
