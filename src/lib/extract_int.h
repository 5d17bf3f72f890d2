/*
 * extract_int.h - the contract between extract.c (reading, sniffing,
 * metadata precedence) and the format extractors (extract_html.c,
 * extract_md.c, extract_text.c).
 *
 * An extractor receives valid, NUL-terminated UTF-8 and fills:
 *   - doc->cites through ca_doc_add_citation() + ca_citation_set_href(),
 *     each with line, col (1-based, col in bytes), region, kind, text,
 *     context and rel where the format has them; on CA_LIMIT from
 *     ca_doc_add_citation() it stops adding and returns CA_OK;
 *   - doc->text: the main text (paragraphs separated by blank lines);
 *   - meta: what the document says about itself.
 * extract.c then applies the manifest, picks the document URL and outlet,
 * and drops citations of the document's own URL.
 */
#ifndef CA_EXTRACT_INT_H
#define CA_EXTRACT_INT_H

#include <stddef.h>

#include "citeaudit/buf.h"
#include "citeaudit/doc.h"
#include "citeaudit/error.h"
#include "citeaudit/url.h"

/* Longest context sentence kept per citation, in bytes. */
#define CA__CONTEXT_MAX 400
/* Longest anchor text kept per citation, in bytes. */
#define CA__TEXT_MAX 300

/* Metadata found in the document itself. Every string owned (free()). */
typedef struct ca__meta {
    char *url;        /* canonical, og:url, JSON-LD url, or text marker URL */
    char *site_name;  /* og:site_name or JSON-LD publisher name */
    char *title;
    char *published;  /* article:published_time, JSON-LD datePublished, ... */
    char *marker_url; /* a URL given by a text marker ("Original url:") */
} ca__meta;

void ca__meta_release(ca__meta *m);

/*
 * Source key from the parts of a parsed URL (host lowercased, punycode;
 * path). *ret_key is NULL when host is empty. Caller frees.
 */
ca_status ca__source_key_parts(const char *host, const char *path, char **ret_key);

/* Free the process-wide caches of url.c and source.c. */
void ca__url_cleanup(void);
void ca__source_cleanup(void);

/*
 * ca_citation_set_href() for a reference already normalised into *u: the
 * citation takes u's url and fragment (set to NULL in u); host and path
 * stay in u for the caller, who still releases it.
 */
ca_status ca__citation_set_url(ca_citation *c, const char *href, ca_url *u, ca_error *err);

/*
 * Read path ("-": standard input) into b, refusing more than b->max bytes
 * (checked before reading when the file says its size). Messages read
 * "cannot open WHAT 'PATH': ..." and end a size refusal with raise (how to
 * lift the limit, may be ""). CA_NOTFOUND, CA_IO, CA_TOOBIG or CA_NOMEM.
 */
ca_status ca__read_file(const char *path, ca_buf *b, const char *what, const char *raise,
                        ca_error *err);

/* The format an extension names (.html, .md, .txt, ...), or UNKNOWN. */
ca_format ca__format_from_name(const char *name);

/* Free the strings a citation owns (not the citation itself). */
void ca__citation_release(ca_citation *c);

/*
 * base_url: what relative references resolve against (the document URL or
 * --base-url), may be NULL. Each extractor returns CA_OK unless memory runs
 * out; malformed input is never an error.
 */
ca_status ca__extract_html(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                           const char *base_url, ca_error *err);
ca_status ca__extract_md(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                         const char *base_url, ca_error *err);
ca_status ca__extract_text(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                           const char *base_url, ca_error *err);

/*
 * Line and column (1-based, column in bytes) of byte offset off in data.
 * The caller keeps a cursor so repeated lookups in increasing order are
 * linear overall.
 */
typedef struct ca__linemap {
    const char *data;
    size_t len;
    size_t off;  /* cursor offset */
    unsigned line; /* line at the cursor */
    size_t bol;  /* offset of the beginning of that line */
} ca__linemap;

void ca__linemap_init(ca__linemap *lm, const char *data, size_t len);
void ca__linemap_pos(ca__linemap *lm, size_t off, unsigned *ret_line, unsigned *ret_col);

#endif
