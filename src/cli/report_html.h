/*
 * report_html.h - report.html, the page `citeaudit audit` writes for
 * people: one self-contained file (its stylesheet, script and the graph's
 * SVG inlined; nothing fetched) with the summary, the graph, a sortable
 * and filterable table of every link, and one section per document.
 *
 * The renderer is split in two files: report_html.c writes the page, its
 * summary and graph; report_html_links.c the links table and the document
 * sections. Both use the escaping helpers declared below.
 */
#ifndef CA_REPORT_HTML_H
#define CA_REPORT_HTML_H

#include <stdio.h>

#include "report.h"
#include "report_prov.h"

/* Rows of the links table (and items of the document sections) at most:
 * beyond this the page would be too heavy for a browser to sort; the
 * page says how many were left out and links.json has them all. */
#define REPORT_HTML_MAX_ROWS 20000

/* What the page shows besides the run. */
struct report_html_in {
    const char *svg;          /* the rendered graph (graph.svg's bytes), NUL-terminated
                               * at svg_len, or NULL */
    size_t svg_len;
    const char *graph_note;   /* why there is no picture of the graph, or NULL */
    int checked;              /* links were checked (0 with --no-check) */
    const char *const *files; /* the report's other files, NULL-terminated, or NULL */
    const struct prov_report_in *prov; /* the provenance section's content, or NULL */
};

/*
 * Write report.html for run to out. Returns 0, or -1 when out failed.
 * Every string from documents, servers or the user is escaped; URLs become
 * links only when they are http(s); invalid UTF-8 is written as U+FFFD.
 */
int report_html(FILE *out, const ca_run *run, const struct report_opts *ro,
                const struct report_html_in *in);

/* ---- shared by report_html.c and report_html_links.c ---- */

/* s (NULL: nothing) as HTML text, also safe inside a quoted attribute. */
void html_text(FILE *out, const char *s);

/* url as a link to itself when it is http(s), else as text. */
void html_url(FILE *out, const char *url);

/* The CSS class suffix of a group: "failing", "update", "warn", ... */
const char *html_group_name(enum report_group g);

/* A status badge: <span class="cls g-GROUP">CLASS</span>. */
void html_badge(FILE *out, ca_class cls, enum report_group g);

/* The links table and the per-document sections (report_html_links.c). */
void html_links_section(FILE *out, const ca_run *run, const struct report_opts *ro,
                        const struct report_summary *s);
void html_documents_section(FILE *out, const ca_run *run, const struct report_opts *ro);

/* The inlined assets (generated from src/cli/assets/ by embed.py). */
extern const char report_html_css[];
extern const char report_html_js[];

#endif
