/*
 * report.h - the renderers of `citeaudit check` (and later `audit`): one
 * file each, all reading the same run. Machine formats go to out (stdout);
 * none of them prints anything else.
 */
#ifndef CA_REPORT_H
#define CA_REPORT_H

#include <stdio.h>

#include "citeaudit/citeaudit.h"

struct report_opts {
    unsigned fail_mask; /* bit (1u << cls) set for each class that fails */
    int body_only;      /* page links (chrome) were not checked */
    int colour;         /* text only: ANSI colour allowed */
    int verbose;        /* text only: list every citation, not just failing */
    const char *argv0;  /* the tool as invoked, for SARIF's invocation */
};

/* Nonzero when results of class cls fail the run. */
static inline int report_fails(const struct report_opts *ro, ca_class cls)
{
    return (ro->fail_mask >> cls) & 1u;
}

/* Each writes the whole report and returns 0, or -1 when out failed. */
typedef int (*report_fn)(FILE *out, const ca_run *run, const struct report_opts *ro);

int report_text(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_json(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_jsonl(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_junit(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_csv(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_markdown(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_sarif(FILE *out, const ca_run *run, const struct report_opts *ro);

/* The renderer named fmt ("text", "json", ...), or NULL. */
report_fn report_lookup(const char *fmt);

#endif
