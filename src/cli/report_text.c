/*
 * report_text.c - the default report of `citeaudit check`, for a person
 * reading a terminal or a CI log. Failing links come first, grouped by
 * document, the article's citations apart from its page links, one line
 * each in the compiler style editors jump to:
 *
 *     docs/a.md:3:5: dead 404 https://example.com/gone (Not Found)
 *
 * Then, shortly, links that work but should be updated (permanent
 * redirects) and problems not counted as failing (forbidden, ...), inputs
 * that could not be read, and one summary line. --verbose lists every link
 * of every document first.
 */
#include <string.h>

#include "report.h"

/* Links listed per notable section (redirected, not counted) unless
 * --verbose: enough to act on, short enough to keep failures in view. */
#define NOTABLE_MAX 20

struct text {
    FILE *out;
    const ca_run *run;
    const struct report_opts *ro;
    int started; /* something was written: sections need a blank line */
};

static void colour_on(const struct text *t, const char *sgr)
{
    if (t->ro->colour)
        fprintf(t->out, "\033[%sm", sgr);
}

static void colour_off(const struct text *t)
{
    if (t->ro->colour)
        fputs("\033[0m", t->out);
}

static const char *group_colour(enum report_group g)
{
    switch (g) {
    case REPORT_FAILING: return "1;31";
    case REPORT_UPDATE: return "33";
    case REPORT_WARN: return "35";
    case REPORT_SKIPPED: return "2";
    default: return "32";
    }
}

/* Open a section title, after a blank line when something came before;
 * heading_end closes it. */
static void heading_start(struct text *t)
{
    if (t->started)
        putc('\n', t->out);
    t->started = 1;
    colour_on(t, "1");
}

static void heading_end(struct text *t)
{
    colour_off(t);
    putc('\n', t->out);
}

static void heading(struct text *t, const char *title)
{
    heading_start(t);
    fputs(title, t->out);
    heading_end(t);
}

/* One citation's line, " [page link]" after it when mark_chrome. */
static void cite_line(const struct text *t, const struct report_cite *rc, int mark_chrome)
{
    char on[16] = "", off[8] = "";

    if (t->ro->colour) {
        snprintf(on, sizeof on, "\033[%sm", group_colour(rc->group));
        snprintf(off, sizeof off, "\033[0m");
    }
    report_cite_line(t->out, rc, report_put_clean, on, off);
    if (mark_chrome && rc->chrome)
        fputs(" [page link]", t->out);
    putc('\n', t->out);
}

/*
 * The citations of doc in one region (chrome or not) whose group is want
 * (-1: any); printed when print, counted always.
 */
static size_t doc_cites(const struct text *t, const ca_run_doc *d, int chrome, int want,
                        int print)
{
    struct report_cite rc;
    size_t i, n = 0;

    for (i = d->first; i < d->first + d->n; i++) {
        report_cite_get(t->run, t->ro, &t->run->cites[i], &rc);
        if (rc.chrome != chrome || (want >= 0 && (int)rc.group != want))
            continue;
        n++;
        if (print)
            cite_line(t, &rc, 0);
    }
    return n;
}

/* "docs/a.md (https://example.com/a): 2 failing citations" */
static void doc_heading(struct text *t, const ca_run_doc *d, size_t n, const char *what,
                        int chrome)
{
    heading_start(t);
    report_put_clean(t->out, d->origin);
    if (d->url && strcmp(d->url, d->origin) != 0) {
        fputs(" (", t->out);
        report_put_clean(t->out, d->url);
        putc(')', t->out);
    }
    fprintf(t->out, ": %zu %s%s", n, what,
            chrome ? (n == 1 ? "page link" : "page links") : (n == 1 ? "citation" : "citations"));
    heading_end(t);
}

/* One document's links of one group (-1: all), citations then page links,
 * each under its own heading. */
static void doc_section(struct text *t, const ca_run_doc *d, int want, const char *what)
{
    int chrome;

    for (chrome = 0; chrome <= 1; chrome++) {
        size_t n = doc_cites(t, d, chrome, want, 0);

        if (!n)
            continue;
        doc_heading(t, d, n, what, chrome);
        doc_cites(t, d, chrome, want, 1);
    }
}

static void all_links(struct text *t)
{
    size_t i;

    for (i = 0; i < t->run->ndocs; i++) {
        const ca_run_doc *d = &t->run->docs[i];

        if (!d->error)
            doc_section(t, d, -1, "");
    }
}

static void failing_links(struct text *t)
{
    size_t i;

    for (i = 0; i < t->run->ndocs; i++)
        doc_section(t, &t->run->docs[i], REPORT_FAILING, "failing ");
}

/* The kinds of notable citations, each listed under its own heading. */
enum kind { K_OTHER, K_UNCONFIRMED, K_BOT, K_DRIFTED };

static enum kind kind_of(const struct report_cite *rc)
{
    if (report_unconfirmed(rc))
        return K_UNCONFIRMED;
    if (report_bot_blocked(rc))
        return K_BOT;
    if (report_drifted(rc) && rc->res->reason == CA_REASON_NONE)
        return K_DRIFTED;
    return K_OTHER;
}

/* Every citation of group want and kind across the run, at most
 * NOTABLE_MAX unless --verbose, under title. */
static void notable(struct text *t, enum report_group want, enum kind kind, const char *title)
{
    struct report_cite rc;
    size_t i, shown = 0, n = 0;

    for (i = 0; i < t->run->ncites; i++) {
        report_cite_get(t->run, t->ro, &t->run->cites[i], &rc);
        /* failing links --confirm has not confirmed yet, bot walls and
         * drifted pages are listed apart */
        if (rc.group != want || (want == REPORT_WARN && kind_of(&rc) != kind))
            continue;
        if (n++ == 0)
            heading(t, title);
        if (shown < NOTABLE_MAX || t->ro->verbose) {
            cite_line(t, &rc, 1);
            shown++;
        }
    }
    if (n > shown)
        fprintf(t->out, "... and %zu more (--verbose or --format json lists them all)\n",
                n - shown);
}

static void inputs_not_read(struct text *t)
{
    size_t i, n = 0;

    for (i = 0; i < t->run->ndocs; i++) {
        const ca_run_doc *d = &t->run->docs[i];

        if (!d->error)
            continue;
        if (n++ == 0)
            heading(t, "inputs not read (their links were not checked):");
        report_put_clean(t->out, d->origin);
        fputs(": ", t->out);
        report_put_clean(t->out, d->error);
        putc('\n', t->out);
    }
}

int report_text(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct text t = {out, run, ro, 0};
    struct report_summary s;

    report_summarise(run, ro, &s);
    if (ro->verbose)
        all_links(&t);
    failing_links(&t);
    notable(&t, REPORT_UPDATE, K_OTHER, "to update (they work through a permanent redirect):");
    notable(&t, REPORT_WARN, K_UNCONFIRMED, "failing, not yet confirmed (see --confirm):");
    notable(&t, REPORT_WARN, K_BOT, "behind bot protection (not counted as failing; open "
                                    "them in a browser):");
    notable(&t, REPORT_WARN, K_DRIFTED, "changed since they were cited (the live page "
                                        "drifted from its archived capture):");
    notable(&t, REPORT_WARN, K_OTHER, "problems not counted as failing (see --fail-on):");
    inputs_not_read(&t);
    if (t.started)
        putc('\n', out);
    if (run->network_down)
        fputs("no network: no link could be checked, so none is reported as failing\n", out);
    colour_on(&t, s.by_group[REPORT_FAILING] ? "1;31" : "1");
    report_summary_line(out, run, &s);
    colour_off(&t);
    putc('\n', out);
    if (report_extra_line(out, &s))
        putc('\n', out);
    return report_finish(out);
}
