/*
 * report_markdown.c - `check --format markdown`: a report to paste into a
 * pull-request comment (GitHub Flavored Markdown). A heading with the
 * verdict, the summary line, a table of the failing links, then the links
 * to update (permanent redirects) and the problems not counted as failing,
 * each folded in a <details> block so the failures stay in view.
 *
 * Everything from documents or servers is escaped for a table cell: a "|"
 * would split the cell, a line break end the table, and backticks, stars,
 * brackets or "<" start formatting or HTML. URLs are written as <autolinks>
 * so they stay clickable (no escaping is processed inside one, so only a
 * URL free of the few characters that would end it is written that way).
 */
#include <string.h>

#include "report.h"

/* Rows per table: a GitHub comment holds 65,536 characters. */
#define ROWS_MAX 200

/* Text in a table cell, every Markdown metacharacter backslash-escaped. */
static void cell(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c < 0x20 || c == 0x7F)
            putc(' ', out);
        else if (strchr("\\`*_[]<>|#!&~", c))
            fprintf(out, "\\%c", c);
        else
            putc(c, out);
    }
}

/* A URL as a clickable autolink when it can be one, else as text. */
static void url_cell(FILE *out, const char *url)
{
    const char *p;

    if (!url)
        return;
    for (p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7F || strchr("<>`\\", *p))
            break;
    if (*p || !strstr(url, "://")) {
        cell(out, url);
        return;
    }
    putc('<', out);
    for (p = url; *p; p++) {
        /* A table splits cells before inline parsing; "\|" is its escape. */
        if (*p == '|')
            putc('\\', out);
        putc(*p, out);
    }
    putc('>', out);
}

/* "docs/a.md:3:5" and, for a page link, " (page link)". */
static void where_cell(FILE *out, const struct report_cite *rc)
{
    fputs("| ", out);
    cell(out, rc->doc->origin);
    fprintf(out, ":%u:%u%s | ", (unsigned)rc->c->line, (unsigned)rc->c->col,
            rc->chrome ? " (page link)" : "");
}

static void failing_row(FILE *out, const struct report_cite *rc)
{
    where_cell(out, rc);
    fprintf(out, "%s | ", ca_class_name(rc->res->cls));
    if (rc->res->http_code)
        fprintf(out, "%d", rc->res->http_code);
    fputs(" | ", out);
    url_cell(out, rc->url);
    fputs(" | ", out);
    if (rc->final_url) {
        fputs("→ ", out);
        url_cell(out, rc->final_url);
        fputs(": ", out);
    }
    if (rc->res->reason != CA_REASON_NONE) {
        cell(out, ca_reason_name(rc->res->reason));
        fputs(": ", out);
    }
    cell(out, report_reason(rc->res));
    if (report_rescued(rc)) {
        char when[16];

        report_date(rc->res->archive->time, when);
        fputs(" · archived", out);
        if (when[0])
            fprintf(out, " %s", when);
        fputs(": ", out);
        url_cell(out, rc->res->archive->url);
    }
    fputs(" |\n", out);
}

static void notable_row(FILE *out, const struct report_cite *rc)
{
    where_cell(out, rc);
    fprintf(out, "%s | ", ca_class_name(rc->res->cls));
    url_cell(out, rc->url);
    fputs(" | ", out);
    if (report_drifted(rc) && rc->res->reason == CA_REASON_NONE) {
        char when[16];

        report_date(rc->res->archive->time, when);
        fprintf(out, "drifted: %.0f%% alike its capture%s%s: ", rc->res->archive->drift * 100,
                when[0] ? " of " : "", when);
        url_cell(out, rc->res->archive->url);
    } else if (rc->final_url && rc->res->reason == CA_REASON_NONE) {
        url_cell(out, rc->final_url);
    } else {
        if (rc->res->reason != CA_REASON_NONE) {
            cell(out, ca_reason_name(rc->res->reason));
            fputs(": ", out);
        }
        cell(out, report_reason(rc->res));
    }
    fputs(" |\n", out);
}

/* The rows of every citation in group want, at most ROWS_MAX. */
static void rows(FILE *out, const ca_run *run, const struct report_opts *ro,
                 enum report_group want, size_t n)
{
    struct report_cite rc;
    size_t i, shown = 0;

    for (i = 0; i < run->ncites && shown < ROWS_MAX; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        if (rc.group != want)
            continue;
        if (want == REPORT_FAILING)
            failing_row(out, &rc);
        else
            notable_row(out, &rc);
        shown++;
    }
    if (n > shown)
        fprintf(out, "\n… and %zu more: run `citeaudit check --format text` to see them all.\n",
                n - shown);
}

static void failing_table(FILE *out, const ca_run *run, const struct report_opts *ro,
                          size_t n)
{
    fputs("| Where | Status | Code | URL | Reason |\n|---|---|---|---|---|\n", out);
    rows(out, run, ro, REPORT_FAILING, n);
}

/* A folded table of one notable group, when it has any link. */
static void details(FILE *out, const ca_run *run, const struct report_opts *ro,
                    enum report_group want, size_t n, const char *summary, const char *last)
{
    if (!n)
        return;
    fprintf(out, "\n<details>\n<summary>%zu %s</summary>\n\n", n, summary);
    fprintf(out, "| Where | Status | URL | %s |\n|---|---|---|---|\n", last);
    rows(out, run, ro, want, n);
    fputs("\n</details>\n", out);
}

static void inputs_not_read(FILE *out, const ca_run *run)
{
    size_t i, n = 0;

    for (i = 0; i < run->ndocs; i++) {
        if (!run->docs[i].error)
            continue;
        if (n++ == 0)
            fputs("\n**Inputs not read** (their links were not checked):\n\n", out);
        fputs("- ", out);
        cell(out, run->docs[i].origin);
        fputs(": ", out);
        cell(out, run->docs[i].error);
        putc('\n', out);
    }
}

int report_markdown(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct report_summary s;
    size_t failing;

    report_summarise(run, ro, &s);
    failing = s.by_group[REPORT_FAILING];
    if (run->network_down)
        fputs("### citeaudit: links not checked (no network)\n\n", out);
    else if (failing)
        fprintf(out, "### citeaudit: %zu failing %s\n\n", failing,
                failing == 1 ? "link" : "links");
    else
        fputs("### citeaudit: No failing links\n\n", out);
    report_summary_line(out, run, &s);
    fputs(".\n", out);
    if (failing) {
        putc('\n', out);
        failing_table(out, run, ro, failing);
    }
    details(out, run, ro, REPORT_UPDATE, s.by_group[REPORT_UPDATE],
            "redirected (update the link to where it now points)", "Redirects to");
    details(out, run, ro, REPORT_WARN, s.by_group[REPORT_WARN],
            "not counted as failing (access refused, rate limited, ...)", "Reason");
    inputs_not_read(out, run);
    return report_finish(out);
}
