/*
 * report_junit.c - `check --format junit`: JUnit XML for CI test pages
 * (Jenkins, GitLab, Azure, ...). One <testsuite> per document, named by its
 * origin; one <testcase> per link, named by its URL, with classname
 * "ORIGIN (citations)" or "ORIGIN (page links)". A failing link has a
 * <failure type=CLASS>, a link that was not checked (unknown, excluded,
 * blocked, unsupported) is <skipped/>, an input that could not be read is
 * one test case with an <error>.
 *
 * The output validates against the schemas CI servers check JUnit files
 * with: the Jenkins xUnit plugin's junit-10.xsd and the older junit-4.xsd
 * (the one JUnit 5 tests its output against). Neither has a file or line
 * attribute on <testcase> nor a skipped count on <testsuites>, so the
 * position is the first line of the failure text ("docs/a.md:3:5: dead 404
 * ...", which GitLab shows) and skips are counted per suite.
 * GitLab keeps one test per (classname, name): a URL cited twice in one
 * document gets " #2", " #3" after its name.
 *
 * XML 1.0 forbids most control characters even as character references,
 * so they (and invalid UTF-8) are written as U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "report.h"

/* Write s escaped for an attribute value (attr) or element text. */
static void xml_text(FILE *out, const char *s, int attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    for (; p && *p; p += n) {
        n = *p < 0x80 ? 1 : jsonw_utf8_len(p);
        if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
            (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
            fputs("\xEF\xBF\xBD", out); /* U+FFFE, U+FFFF are not XML characters either */
            n = n ? n : 1;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs(attr ? "&quot;" : "\"", out); break;
        /* In attributes, whitespace would be normalised to spaces. */
        case '\t': fputs(attr ? "&#9;" : "\t", out); break;
        case '\n': fputs(attr ? "&#10;" : "\n", out); break;
        case '\r': fputs("&#13;", out); break;
        default: fwrite(p, 1, n, out); break;
        }
    }
}

/* name="value" with a leading space. */
static void attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_text(out, value, 1);
    putc('"', out);
}

/* Seconds with milliseconds, "1.234", the form every schema accepts. */
static void seconds(FILE *out, const char *name, unsigned long long ms)
{
    fprintf(out, " %s=\"%llu.%03llu\"", name, ms / 1000, ms % 1000);
}

struct counts {
    size_t tests, failures, errors, skipped;
    unsigned long long ms;
};

static void count_doc(const ca_run *run, const struct report_opts *ro, const ca_run_doc *d,
                      struct counts *k)
{
    struct report_cite rc;
    size_t i;

    memset(k, 0, sizeof *k);
    if (d->error) {
        k->tests = k->errors = 1;
        return;
    }
    for (i = d->first; i < d->first + d->n; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        k->tests++;
        k->failures += rc.group == REPORT_FAILING;
        k->skipped += rc.group == REPORT_SKIPPED;
        k->ms += rc.res->elapsed_ms;
    }
}

/* Element text: report_cite_line writes through this. */
static void xml_put(FILE *out, const char *s)
{
    xml_text(out, s, 0);
}

/* "docs/a.md:3:5: dead 404 https://... (Not Found)" and a newline. */
static void failure_text(FILE *out, const struct report_cite *rc)
{
    report_cite_line(out, rc, xml_put, NULL, NULL);
    putc('\n', out);
}

/* The <failure>, <skipped> or <system-out> of a test case, if any. */
static void case_body(FILE *out, const struct report_cite *rc)
{
    const char *cls = ca_class_name(rc->res->cls);

    switch (rc->group) {
    case REPORT_FAILING:
        fputs("<failure", out);
        attr(out, "message", report_reason(rc->res));
        attr(out, "type", cls);
        fputs(">", out);
        failure_text(out, rc);
        fputs("</failure>", out);
        break;
    case REPORT_SKIPPED:
        /* Text, not a message attribute: the older Jenkins schema
         * (junit-4.xsd) allows no attribute on <skipped>. */
        fprintf(out, "<skipped>%s: %s</skipped>", cls, ca_class_text(rc->res->cls));
        break;
    case REPORT_UPDATE:
    case REPORT_WARN:
        /* Passes, with what the reader should know. */
        fputs("<system-out>", out);
        failure_text(out, rc);
        fputs("</system-out>", out);
        break;
    default:
        break;
    }
}

/* dup is how many times this URL came before in the same suite and class. */
static void test_case(FILE *out, const struct report_cite *rc, unsigned dup)
{
    fputs("    <testcase", out);
    fputs(" name=\"", out);
    xml_text(out, rc->url, 1);
    if (dup)
        fprintf(out, " #%u", dup + 1);
    fputs("\" classname=\"", out);
    xml_text(out, rc->doc->origin, 1);
    fputs(rc->chrome ? " (page links)\"" : " (citations)\"", out);
    seconds(out, "time", rc->res->elapsed_ms);
    if (rc->group == REPORT_OK) {
        fputs("/>\n", out);
        return;
    }
    fputs(">", out);
    case_body(out, rc);
    fputs("</testcase>\n", out);
}

static void unread_case(FILE *out, const ca_run_doc *d)
{
    fputs("    <testcase name=\"read input\"", out);
    attr(out, "classname", d->origin);
    fputs(" time=\"0.000\"><error type=\"input\"", out);
    attr(out, "message", d->error);
    fputs("/></testcase>\n", out);
}

/*
 * seen has two counters per link id (citations, page links), counting the
 * cases written so far in this suite; they are set back to zero after it,
 * which keeps one allocation for the whole run.
 */
static void suite(FILE *out, const ca_run *run, const struct report_opts *ro,
                  const ca_run_doc *d, unsigned *seen, const char *stamp)
{
    struct counts k;
    struct report_cite rc;
    size_t i;

    count_doc(run, ro, d, &k);
    fputs("  <testsuite", out);
    attr(out, "name", d->origin);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", k.tests,
            k.failures, k.errors, k.skipped);
    seconds(out, "time", k.ms);
    attr(out, "timestamp", stamp);
    fputs(">\n", out);
    if (d->error)
        unread_case(out, d);
    for (i = d->first; i < d->first + d->n; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        test_case(out, &rc, seen ? seen[2 * (size_t)rc.c->link + (size_t)rc.chrome]++ : 0);
    }
    for (i = d->first; seen && i < d->first + d->n; i++)
        seen[2 * (size_t)run->cites[i].link + (run->cites[i].region != CA_REGION_BODY)] = 0;
    fputs("  </testsuite>\n", out);
}

/* One more than the largest link id of the run: the size of seen. */
static size_t link_span(const ca_run *run)
{
    size_t i, span = 0;

    for (i = 0; i < run->ncites; i++)
        if (run->cites[i].link >= span)
            span = (size_t)run->cites[i].link + 1;
    return span;
}

int report_junit(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct counts k, all = {0};
    /* Out of memory, names are simply not made unique. */
    unsigned *seen = calloc(2 * link_span(run) + 2, sizeof *seen);
    char stamp[32];
    size_t i;

    for (i = 0; i < run->ndocs; i++) {
        count_doc(run, ro, &run->docs[i], &k);
        all.tests += k.tests;
        all.failures += k.failures;
        all.errors += k.errors;
        all.ms += k.ms;
    }
    report_iso8601(run->started, stamp);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"citeaudit\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"",
            all.tests, all.failures, all.errors);
    seconds(out, "time", all.ms);
    fputs(">\n", out);
    for (i = 0; i < run->ndocs; i++)
        suite(out, run, ro, &run->docs[i], seen, stamp);
    fputs("</testsuites>\n", out);
    free(seen);
    return report_finish(out);
}
