/*
 * manifest.h - the metadata file a user gives with --manifest: TSV with a
 * header row naming at least the columns file, outlet, url and published
 * (in any order, extra columns ignored), as ../shared/seeds/MANIFEST.tsv.
 * Manifest metadata wins over anything a document says about itself.
 */
#ifndef CITEAUDIT_MANIFEST_H
#define CITEAUDIT_MANIFEST_H

#include <stddef.h>

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ca_manifest_entry {
    char *file;      /* as written in the manifest */
    char *outlet;    /* or NULL when the cell is empty */
    char *url;       /* or NULL */
    char *published; /* or NULL */
} ca_manifest_entry;

struct ca__manifest_name;

typedef struct ca_manifest {
    char *path;
    ca_manifest_entry *entries;
    size_t n;
    struct ca__manifest_name *by_name; /* private: entries by last path component */
} ca_manifest;

/*
 * Load the manifest at path into *ret (caller destroys). CA_NOTFOUND/CA_IO
 * when it cannot be read, CA_PARSE when the header lacks the file column,
 * each with a message naming path and line.
 */
ca_status ca_manifest_load(const char *path, ca_manifest **ret, ca_error *err);

/* Free a manifest. Accepts NULL. */
void ca_manifest_destroy(ca_manifest *m);

/*
 * Find the entry for a document path: an exact match, else a match of the
 * manifest's file name with the path's last component(s). NULL when none.
 */
const ca_manifest_entry *ca_manifest_find(const ca_manifest *m, const char *path);

#ifdef __cplusplus
}
#endif
#endif
