/*
 * fuzz-common.c - the body of the three extractor targets: run
 * ca_extract_mem() with the format forced, then walk the document and every
 * citation, reading every string (AddressSanitizer turns a dangling or
 * unterminated one into a report) and checking the promises of doc.h and
 * extract_int.h: url and href are never NULL, positions are 1-based and
 * inside the input, enums hold named values, the link cap holds, strings are
 * valid UTF-8. Malformed input is never an error of the extractors, so any
 * status but CA_OK (or CA_NOMEM) is a failure too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/extract.h"
#include "fuzz.h"

/* A sink the compiler cannot drop, so the reads in fuzz_touch() happen. */
static volatile size_t fuzz_sink;

_Noreturn void fuzz_fail(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, msg);
    abort();
}

void fuzz_read(const char *s)
{
    if (s)
        fuzz_sink += strlen(s);
}

/* Length of the valid UTF-8 sequence at s, 0 when it is invalid (RFC 3629). */
static size_t utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        unsigned char lo = s[0] == 0xE0 ? 0xA0 : 0x80, hi = s[0] == 0xED ? 0x9F : 0xBF;

        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        unsigned char lo = s[0] == 0xF0 ? 0x90 : 0x80, hi = s[0] == 0xF4 ? 0x8F : 0xBF;

        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4
                                                                                          : 0;
    }
    return 0;
}

void fuzz_touch(const char *what, const char *s)
{
    const unsigned char *p;
    size_t n;

    if (!s)
        return;
    n = strlen(s);
    fuzz_sink += n;
    /* The checks above stop at the terminator, so a truncated sequence at
     * the end reads no further than the NUL. */
    for (p = (const unsigned char *)s; *p; p += n) {
        n = utf8_seq(p);
        if (n == 0)
            fuzz_fail(what, "not valid UTF-8");
    }
}

/* Lines in the input, counting both '\n' and '\r' so no convention is missed. */
static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t i, n = 1;

    for (i = 0; i < size; i++)
        n += data[i] == '\n' || data[i] == '\r';
    return n;
}

static void check_citation(const ca_citation *c, size_t max_line)
{
    if (!c->url)
        fuzz_fail("citation url", "NULL");
    if (!c->href)
        fuzz_fail("citation href", "NULL");
    fuzz_touch("citation url", c->url);
    fuzz_touch("citation fragment", c->fragment);
    fuzz_touch("citation href", c->href);
    fuzz_touch("citation source", c->source);
    fuzz_touch("citation text", c->text);
    fuzz_touch("citation context", c->context);
    fuzz_touch("citation rel", c->rel);
    if (c->line < 1 || c->col < 1)
        fuzz_fail("citation line/col", "not 1-based");
    if (c->line > max_line)
        fuzz_fail("citation line", "past the last line of the input");
    if (c->region != CA_REGION_BODY && c->region != CA_REGION_CHROME)
        fuzz_fail("citation region", "not a ca_region value");
    if ((unsigned)c->kind > (unsigned)CA_KIND_UNSUPPORTED)
        fuzz_fail("citation kind", "not a ca_kind value");
    if (c->invalid != 0 && c->invalid != 1)
        fuzz_fail("citation invalid", "not a boolean");
    fuzz_sink += strlen(ca_region_name(c->region)) + strlen(ca_kind_name(c->kind));
}

static void check_doc(const ca_doc *doc, ca_format format, const uint8_t *data, size_t size)
{
    size_t i, max_line = count_lines(data, size);

    if (doc->format != format)
        fuzz_fail("doc format", "not the forced format");
    if (!doc->origin)
        fuzz_fail("doc origin", "NULL");
    fuzz_touch("doc origin", doc->origin);
    fuzz_touch("doc url", doc->url);
    fuzz_touch("doc outlet", doc->outlet);
    fuzz_touch("doc title", doc->title);
    fuzz_touch("doc published", doc->published);
    fuzz_touch("doc text", doc->text);
    if (doc->ncites > FUZZ_MAX_LINKS)
        fuzz_fail("doc ncites", "over max_links");
    if (doc->ncites > doc->cites_cap)
        fuzz_fail("doc ncites", "over cites_cap");
    for (i = 0; i < doc->ncites; i++)
        check_citation(&doc->cites[i], max_line);
    for (i = 0; i < doc->nwarnings; i++) {
        if (!doc->warnings[i])
            fuzz_fail("doc warning", "NULL");
        fuzz_sink += strlen(doc->warnings[i]);
    }
    fuzz_sink += ca_doc_body_count(doc);
}

void fuzz_extract(const uint8_t *data, size_t size, ca_format format, const char *name_hint)
{
    ca_extract_opts opts;
    ca_error err = CA_ERROR_INIT;
    ca_doc *doc = NULL;
    ca_status st;

    ca_extract_opts_init(&opts);
    opts.force_format = format;
    opts.base_url = FUZZ_BASE_URL;
    opts.max_links = FUZZ_MAX_LINKS;
    /* An empty input has no bytes to point at; extractors must still take it. */
    st = ca_extract_mem("fuzz", name_hint, size ? (const char *)data : "", size, &opts, &doc,
                        &err);
    if (st == CA_NOMEM)
        return;
    if (st != CA_OK) {
        fprintf(stderr, "fuzz: ca_extract_mem: %s: %s\n", ca_status_name(st),
                ca_error_message(&err));
        fuzz_fail("ca_extract_mem", "failed on input an extractor must accept");
    }
    if (!doc)
        fuzz_fail("ca_extract_mem", "CA_OK without a document");
    check_doc(doc, format, data, size);
    ca_doc_destroy(doc);
}
