/*
 * jsonw.h - streaming JSON writer for JSONL output (see jsonw.c). Strings
 * must be valid UTF-8, which the library guarantees for everything it
 * returns.
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

#endif
