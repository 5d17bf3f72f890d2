/*
 * report_prov.h - the renderers of provenance results: text for people
 * (report_prov_text.c), provenance.json (report_prov_json.c) and the
 * section of report.html (report_html_prov.c).
 */
#ifndef CA_REPORT_PROV_H
#define CA_REPORT_PROV_H

#include <stdio.h>

#include "cli.h"

/* What the renderers say besides the corpus's results. */
struct prov_report_in {
    const ca_prov_result *res;
    unsigned depth;         /* --depth */
    int crawled;            /* the crawl ran (network, not --no-check) */
    size_t fetched;         /* pages read */
    size_t unavailable;     /* cited pages that could not be read */
    size_t robots_refused;  /* pages robots.txt kept us from */
};

/* Each writes the whole report; 0, or -1 when out failed. */
int report_prov_text(FILE *out, const struct prov_report_in *in);
int report_prov_json(FILE *out, const struct prov_report_in *in);

/* The section of report.html (id "provenance"). */
void report_html_prov(FILE *out, const struct prov_report_in *in);

/* ---- shared ---- */

/* How a document is named in reports: its origin as given (a path or a
 * URL), since two inputs may share a file name. */
const char *prov_doc_name(const ca_prov_document *d);

/* Counts the reports show. */
struct prov_counts {
    size_t inputs, pages;
    size_t same_text, uncredited;
    size_t unlinked, linked, unlinked_docs;
    size_t supported, not_found, unavailable;
};

void prov_count(const ca_prov_result *r, struct prov_counts *c);

/* "source unavailable" for people, from ca_prov_support_name's names. */
const char *prov_support_words(ca_prov_support_status s);

#endif
