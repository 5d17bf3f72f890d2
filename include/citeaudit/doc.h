/*
 * doc.h - a document and the citations found in it: the data every later
 * stage (checking, graph, provenance, reports) is built from.
 */
#ifndef CITEAUDIT_DOC_H
#define CITEAUDIT_DOC_H

#include <stddef.h>

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ca_format {
    CA_FORMAT_UNKNOWN = 0,
    CA_FORMAT_HTML,
    CA_FORMAT_MARKDOWN,
    CA_FORMAT_TEXT,
} ca_format;

/* Where a link stands on its page. Only body links are citations. */
typedef enum ca_region {
    CA_REGION_BODY = 0,   /* the article's own text */
    CA_REGION_CHROME = 1, /* navigation, footer, share bars, rails, ads, ... */
} ca_region;

typedef enum ca_kind {
    CA_KIND_LINK = 0,        /* a hyperlink (a, area, q/blockquote cite) */
    CA_KIND_IMAGE = 1,       /* img src/srcset, Markdown image */
    CA_KIND_EMBED = 2,       /* iframe, video, audio, source, embedded post */
    CA_KIND_UNSUPPORTED = 3, /* mailto:, tel:, javascript:, data:, ... */
} ca_kind;

/* ca_citation.text_pos of a link that is not in the document's main text. */
#define CA_NO_POS ((size_t)-1)

/*
 * One link found in a document. Every string is owned by the citation and
 * freed with its document; any of them may be NULL except url and href.
 */
typedef struct ca_citation {
    char *url;      /* normalised absolute identity (no fragment) */
    char *fragment; /* fragment without '#', or NULL */
    char *href;     /* as written in the document */
    char *source;   /* source key (registrable domain or account), or NULL */
    char *text;     /* anchor text, whitespace collapsed */
    char *context;  /* the sentence around the link */
    char *rel;      /* rel attribute tokens (nofollow, sponsored, ugc, ...) */
    unsigned line;  /* 1-based position of the link in the input */
    unsigned col;
    size_t text_pos; /* byte offset of the link (its anchor text) in doc->text,
                      * CA_NO_POS when it stands outside the main text */
    ca_region region;
    ca_kind kind;
    int invalid;    /* the reference could not be parsed as a URL */
} ca_citation;

/*
 * A document: metadata, main text and citations. Created by the extractors
 * (ca_extract_*), freed with ca_doc_destroy(). Strings are owned by the doc.
 */
typedef struct ca_doc {
    char *origin;    /* path or URL as the user gave it */
    char *url;       /* the document's own URL, or NULL when unknown */
    char *outlet;    /* outlet key (see source.h), or NULL when unknown */
    char *title;     /* or NULL */
    char *published; /* ISO 8601 date or date-time as found, or NULL */
    char *text;      /* main text, paragraphs separated by blank lines */
    ca_format format;

    ca_citation *cites;
    size_t ncites;
    size_t cites_cap;

    char **warnings; /* things the user should know, e.g. a truncation */
    size_t nwarnings;

    size_t max_links;   /* citations beyond this are dropped (0: no cap) */
    size_t links_dropped; /* how many were dropped by the cap */
} ca_doc;

/* Allocate an empty document for origin (copied). NULL when out of memory. */
ca_doc *ca_doc_create(const char *origin);

/* Free a document and everything it owns. Accepts NULL. */
void ca_doc_destroy(ca_doc *doc);

/*
 * Append a zeroed citation and return it through *ret (owned by doc, valid
 * until the next append). CA_LIMIT when max_links is reached: the drop is
 * counted in links_dropped and the caller should stop adding.
 */
ca_status ca_doc_add_citation(ca_doc *doc, ca_citation **ret);

/*
 * Fill a citation from href (as written) resolved against base: normalised
 * url, fragment, kind (UNSUPPORTED for non-http schemes, kept as given
 * otherwise), and source key. The citation owns the copies.
 */
ca_status ca_citation_set_href(ca_citation *c, const char *href, const char *base,
                               ca_error *err);

/* Add a formatted warning to doc. Silently ignored when out of memory. */
void ca_doc_warn(ca_doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Replace *field (a doc or citation string) with a copy of value (may be NULL). */
ca_status ca_doc_set_str(char **field, const char *value);

/* Number of citations of doc in the body region. */
size_t ca_doc_body_count(const ca_doc *doc);

const char *ca_region_name(ca_region r);
const char *ca_kind_name(ca_kind k);
const char *ca_format_name(ca_format f);

#ifdef __cplusplus
}
#endif
#endif
