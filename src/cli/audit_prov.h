/*
 * audit_prov.h - provenance in `citeaudit audit`: the corpus fed as the
 * inputs are read, the crawl after the checks, the analysis, and what the
 * report folder gets of it (provenance.json, the section of report.html,
 * the reuse edges of the --articles graph).
 */
#ifndef CA_AUDIT_PROV_H
#define CA_AUDIT_PROV_H

#include <stdio.h>

#include "citeaudit/graph.h"
#include "prov_args.h"

struct audit_prov {
    struct prov_args pa;      /* --depth, --max-pages */
    ca_prov *prov;
    struct crawl_opts co;
    struct prov_report_in in; /* valid once ready */
    ca_graph_reuse *reuse;    /* the reuse edges for the graph */
    size_t nreuse;
    int ready;                /* analysed: provenance.json and the section exist */
};

/* Create the corpus and have the pipeline feed it. Exit code. */
int audit_prov_begin(struct audit_prov *ap);

/* pipeline_check(run), with the crawl after the checks. Exit code. */
int audit_prov_check(struct audit_prov *ap, const struct check_args *a, ca_run *run);

/* Analyse (after an interrupt: nothing). crawled: the crawl could run.
 * Exit code. */
int audit_prov_finish(struct audit_prov *ap, const ca_run *run, int crawled);

/* Give the graph its reuse edges (with articles). */
void audit_prov_graph(const struct audit_prov *ap, ca_graph_opts *go);

/* provenance.json; 0, or -1 when out failed. */
int audit_prov_json(FILE *out, const struct audit_prov *ap);

/* What report.html shows, or NULL when not ready. */
const struct prov_report_in *audit_prov_html(const struct audit_prov *ap);

void audit_prov_release(struct audit_prov *ap);

#endif
