/*
 * run-fixture.h - building a run by hand for the tests of what reads runs
 * (reports, graphs): documents from Markdown text, with no network.
 * Include after check.h (it uses CHECK_INT).
 */
#ifndef CA_TEST_RUN_FIXTURE_H
#define CA_TEST_RUN_FIXTURE_H

#include <string.h>

#include "citeaudit/citeaudit.h"

/* Extract text as Markdown named origin (outlet may be NULL) into run. */
static inline void fixture_add_md(ca_run *run, const char *origin, const char *outlet,
                                  const char *text)
{
    ca_extract_opts eo;
    ca_error err = CA_ERROR_INIT;
    ca_doc *doc = NULL;

    ca_extract_opts_init(&eo);
    eo.force_format = CA_FORMAT_MARKDOWN;
    CHECK_INT(ca_extract_mem(origin, origin, text, strlen(text), &eo, &doc, &err), CA_OK);
    if (!doc)
        return;
    if (outlet)
        CHECK_INT(ca_doc_set_str(&doc->outlet, outlet), CA_OK);
    CHECK_INT(ca_run_add_doc(run, doc, NULL, 0, &err), CA_OK);
    ca_doc_destroy(doc);
}

#endif
