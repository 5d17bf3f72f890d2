/*
 * input.h - expanding what the user names on the command line into the list
 * of documents to read: files, directories (recursive), "-" (standard
 * input), "@LIST" (one input per line) and http(s) URLs.
 */
#ifndef CITEAUDIT_INPUT_H
#define CITEAUDIT_INPUT_H

#include <stddef.h>

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The expanded inputs, in order: paths, "-" or URLs. Strings owned. */
typedef struct ca_inputs {
    char **items;
    size_t n;
    size_t cap;
    const char *skip; /* a file never taken from a directory walk (the manifest) */
} ca_inputs;

/* Initialise in (caller memory). skip may be NULL; it is not copied. */
void ca_inputs_init(ca_inputs *in, const char *skip);

/* Free everything in holds. */
void ca_inputs_release(ca_inputs *in);

/*
 * Add one command-line argument. Directories are walked recursively in
 * sorted order, taking files whose extension names a document type (.html,
 * .htm, .md, .markdown, .txt, ...) or that have none, and skipping hidden
 * entries and symbolic links to directories. Fails with CA_NOTFOUND or CA_IO
 * naming the argument; entries added before a failure stay.
 */
ca_status ca_inputs_add(ca_inputs *in, const char *arg, ca_error *err);

/* Nonzero when s is an http:// or https:// URL. */
int ca_input_is_url(const char *s);

#ifdef __cplusplus
}
#endif
#endif
