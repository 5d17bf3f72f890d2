/*
 * extract.h - turning inputs (files, directories, memory) into documents with
 * their metadata and citations. The format is taken from the extension and
 * confirmed by sniffing the bytes; each format has its own extractor module.
 */
#ifndef CITEAUDIT_EXTRACT_H
#define CITEAUDIT_EXTRACT_H

#include <stddef.h>

#include "citeaudit/doc.h"
#include "citeaudit/error.h"
#include "citeaudit/manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CA_EXTRACT_DEFAULT_MAX_BYTES ((size_t)50 * 1024 * 1024)
#define CA_EXTRACT_DEFAULT_MAX_LINKS ((size_t)100000)

typedef struct ca_extract_opts {
    /* Treat local inputs as served from this URL (relative links resolve
     * against it, and it is the document URL unless the page says
     * otherwise). NULL: none. */
    const char *base_url;
    /* Metadata that overrides what the documents say. NULL: none. */
    const ca_manifest *manifest;
    /* Largest input read, in bytes (0: default 50 MB). */
    size_t max_bytes;
    /* Most citations kept per document (0: default 100,000). */
    size_t max_links;
    /* Format to assume instead of sniffing (CA_FORMAT_UNKNOWN: sniff). */
    ca_format force_format;
} ca_extract_opts;

/* Fill opts with the defaults. */
void ca_extract_opts_init(ca_extract_opts *opts);

/*
 * Read the file at path and extract it into a new document (*ret_doc, caller
 * destroys). Fails with CA_NOTFOUND, CA_IO, CA_TOOBIG (over max_bytes) or
 * CA_BINARY (not a text document), each with a message naming path. Invalid
 * UTF-8 is replaced with U+FFFD and noted as a warning, never fatal.
 */
ca_status ca_extract_file(const char *path, const ca_extract_opts *opts, ca_doc **ret_doc,
                          ca_error *err);

/*
 * Extract a document from memory. origin names it in messages and output
 * (a path, a URL or "-"); name_hint is a file name whose extension helps
 * choose the format (may be NULL).
 */
ca_status ca_extract_mem(const char *origin, const char *name_hint, const char *data,
                         size_t len, const ca_extract_opts *opts, ca_doc **ret_doc,
                         ca_error *err);

/*
 * Guess the format of data: HTML by its tags, Markdown by its link and heading
 * syntax, else plain text. name_hint's extension (.html, .md, .txt) wins when
 * the bytes do not contradict it. Returns CA_FORMAT_UNKNOWN for binary data.
 */
ca_format ca_extract_sniff(const char *name_hint, const char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
