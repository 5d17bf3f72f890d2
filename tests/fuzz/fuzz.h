/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point (declared
 * here because the targets are built with -Wmissing-prototypes) and the
 * checks every extractor target runs on the document it gets back.
 *
 * A check that fails calls abort(), so libFuzzer and the replay main both
 * report it as a crash with the input that caused it. The checks only assert
 * what the public headers and extract_int.h promise; anything stricter would
 * make the fuzzers report taste instead of bugs.
 */
#ifndef CA_FUZZ_H
#define CA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "citeaudit/doc.h"

/* The libFuzzer entry point every target defines. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The base URL the extractor targets resolve relative references against. */
#define FUZZ_BASE_URL "https://news.example.com/world/2024/story.html?id=7#top"

/*
 * The link cap the extractor targets use: small, so the CA_LIMIT path runs
 * on ordinary inputs instead of only on 100,000-link ones.
 */
#define FUZZ_MAX_LINKS 64

/*
 * Extract data[0..size) as format with name_hint as its file name, check the
 * result (see fuzz-common.c) and free it.
 */
void fuzz_extract(const uint8_t *data, size_t size, ca_format format, const char *name_hint);

/*
 * Read every byte of s (NULL allowed) so a dangling pointer is caught by
 * AddressSanitizer, and abort when s is not valid UTF-8 (what the document
 * strings promise: extractors work on repaired UTF-8). what names the field
 * in the abort message.
 */
void fuzz_touch(const char *what, const char *s);

/* Read every byte of s (NULL allowed), with no check of its contents. */
void fuzz_read(const char *s);

/* Print msg with the field name to stderr and abort(). */
_Noreturn void fuzz_fail(const char *what, const char *msg);

#endif
