/*
 * test-report-html.c - report.html on runs built by hand (no network):
 * everything a document or a server controls comes out escaped, only
 * http(s) URLs become links, the page is valid UTF-8 and carries exactly
 * one script (its own), the table has one row per link, the SVG is inlined
 * without its prolog and refused when it could run, the banners say when
 * nothing was checked, a big run is cut at REPORT_HTML_MAX_ROWS, and a
 * write error is reported.
 *
 * With "--emit FILE" it writes the page of the main run to FILE, for a look
 * in a browser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "citeaudit/citeaudit.h"
#include "citeaudit/run.h"
#include "jsonw.h"
#include "report_html.h"
#include "check.h"
#include "run-fixture.h"

#define NASTY "<script>alert(1)</script> & \"q\" 'a' \x01\x7f \xC2\x85 \xFF\xFE bad"

static const char doc_a[] = "# A\n"
                            "\n"
                            "[ok](https://ok.example/)\n"                  /* 3 */
                            "[dead](https://dead.example/gone)\n"          /* 4 */
                            "[old](https://old.example/)\n"                /* 5 */
                            "[js](javascript:alert(1))\n"                  /* 6 */
                            "[nav](https://nav.example/menu)\n"            /* 7: a page link */
                            "[again](https://dead.example/gone)\n"         /* 8 */
                            "[tg](https://t.me/mod_russia/1)\n";           /* 9 */

static const char doc_b[] = "See [the data](https://ok.example/) and [this](https://nasty.example/).\n";

struct want {
    const char *url;
    ca_class cls;
    int http_code;
    const char *error;
    const char *final_url;
};

static const struct want results[] = {
    {"https://ok.example/", CA_CLASS_OK, 200, NULL, NULL},
    {"https://dead.example/gone", CA_CLASS_DEAD, 404, NULL, NULL},
    {"https://old.example/", CA_CLASS_REDIRECTED, 200, NULL, "https://new.example/"},
    {"https://nav.example/menu", CA_CLASS_TIMEOUT, 0, "Operation timed out", NULL},
    {"https://t.me/mod_russia/1", CA_CLASS_OK, 200, NULL, NULL},
    {"https://nasty.example/", CA_CLASS_SERVER_ERROR, 503, NASTY, "javascript:alert(2)"},
};

static void set_results(ca_run *run)
{
    size_t id, i;

    for (id = 0; id < ca_checker_count(run->chk); id++) {
        const char *url = ca_checker_url(run->chk, id);

        for (i = 0; i < sizeof results / sizeof results[0]; i++) {
            ca_result r = {0};

            if (strcmp(url, results[i].url) != 0)
                continue;
            r.cls = results[i].cls;
            r.http_code = results[i].http_code;
            r.error = (char *)results[i].error;
            r.final_url = (char *)results[i].final_url;
            r.attempts = 1;
            r.checked_at = 1700000000;
            CHECK_INT(ca__checker_set_result(run->chk, id, &r), CA_OK);
        }
    }
}

static ca_run *new_run(void)
{
    ca_check_opts co;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;

    ca_check_opts_init(&co);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    if (!run)
        exit(1);
    return run;
}

/* Two documents (one with a nasty title and outlet), a page link, an
 * unread input with a nasty reason. */
static ca_run *make_run(void)
{
    ca_error err = CA_ERROR_INIT;
    ca_run *run = new_run();
    size_t i;

    fixture_add_md(run, "docs/a.md", NULL, doc_a);
    fixture_add_md(run, "docs/<b>.md", NULL, doc_b);
    CHECK_INT(ca_run_add_failed(run, "missing.md", "cannot open 'missing.md': " NASTY, &err),
              CA_OK);
    CHECK(run->ndocs == 3);
    free(run->docs[1].title);
    run->docs[1].title = strdup("Title " NASTY);
    free(run->docs[1].outlet);
    run->docs[1].outlet = strdup("nasty<outlet>.example");
    for (i = 0; i < run->ncites; i++)
        if (run->cites[i].doc == 0 && run->cites[i].line == 7)
            run->cites[i].region = CA_REGION_CHROME;
    set_results(run);
    return run;
}

static struct report_opts opts(void)
{
    struct report_opts ro;

    memset(&ro, 0, sizeof ro);
    ro.fail_mask = ca_class_default_fail_mask();
    return ro;
}

static char *render(const ca_run *run, const struct report_html_in *in)
{
    struct report_opts ro = opts();
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    if (!m)
        exit(1);
    CHECK_INT(report_html(m, run, &ro, in), 0);
    fclose(m);
    return buf;
}

/* Occurrences of needle in hay. A plain loop: ASan's strstr measures the
 * whole haystack at every call, which made the 4 MB page of test_cap take
 * minutes. */
static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, nl = strlen(needle), i, len = strlen(hay);

    for (i = 0; i + nl <= len; i++) {
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, nl)) {
            n++;
            i += nl - 1;
        }
    }
    return n;
}

/* Nonzero when s is valid UTF-8 with no C0 control but tab and newline,
 * no DEL and no C1 control. */
static int clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    for (; *p; p += n) {
        n = *p < 0x80 ? 1 : jsonw_utf8_len(p);
        if (n == 0 || (n == 1 && ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)) ||
            (n == 2 && p[0] == 0xC2 && p[1] <= 0x9F))
            return 0;
    }
    return 1;
}

static const char svg_ok[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
    " \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
    "<!-- Generated by graphviz -->\n"
    "<svg width=\"62pt\" height=\"44pt\" viewBox=\"0 0 62 44\" "
    "xmlns=\"http://www.w3.org/2000/svg\">\n"
    "<g id=\"graph0\" class=\"graph\"><g id=\"node1\" class=\"node\"><title>a on b</title>"
    "<ellipse cx=\"31\" cy=\"22\" rx=\"27\" ry=\"18\"/><text>x\xFFy</text></g></g>\n</svg>\n";

static const char svg_bad[] = "<svg viewBox=\"0 0 1 1\"><g onload=\"alert(1)\"/></svg>";

static void test_page(void)
{
    ca_run *run = make_run();
    const char *files[] = {"links.json", "broken.txt", NULL};
    struct report_html_in in = {svg_ok, sizeof svg_ok - 1, NULL, 1, files, NULL};
    char *html = render(run, &in);

    CHECK(!strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32));
    CHECK(clean_utf8(html));
    CHECK_INT(count_of(html, "<script"), 1); /* the page's own, and no other */
    CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;"));
    CHECK(strstr(html, "docs/&lt;b&gt;.md"));
    CHECK(strstr(html, "nasty&lt;outlet&gt;.example"));
    CHECK(!strstr(html, "href=\"javascript"));
    CHECK(strstr(html, "javascript:alert(1)"));  /* shown as text */
    CHECK(strstr(html, "<a href=\"https://dead.example/gone\" rel=\"noreferrer\">"));
    /* One row per link: 7 of docs/a.md, 2 of docs/<b>.md. */
    CHECK_INT(run->ncites, 9);
    CHECK_INT(count_of(html, "<tr class=\"g-"), run->ncites);
    CHECK_INT(count_of(html, "data-region=\"chrome\""), 1);
    CHECK_INT(count_of(html, "data-cls=\"dead\""), 2);
    CHECK(strstr(html, "<td class=\"src\">t.me/mod_russia</td>"));
    CHECK(strstr(html, "id=\"filter-region\""));         /* there is a page link */
    CHECK(strstr(html, "<option value=\"c:dead\">dead (2)</option>"));
    /* The SVG is inlined from its root, prolog and DOCTYPE left out. */
    CHECK_INT(count_of(html, "<svg"), 1);
    CHECK(!strstr(html, "<?xml"));
    CHECK(!strstr(html, "<!DOCTYPE svg"));
    CHECK(strstr(html, "<title>a on b</title>"));
    CHECK(strstr(html, "x\xEF\xBF\xBDy"));
    /* Sections, the unread input, the footer's files. */
    CHECK(strstr(html, "<section class=\"doc has-failing\" id=\"doc-0\""));
    CHECK(strstr(html, "id=\"doc-1\""));
    CHECK(!strstr(html, "id=\"doc-2\""));
    CHECK(strstr(html, "id=\"not-read\""));
    CHECK(strstr(html, "<a href=\"broken.txt\">broken.txt</a>"));
    CHECK(!strstr(html, "No network"));
    CHECK(!strstr(html, "role=\"alert\""));
    free(html);
    ca_run_destroy(run);
}

static void test_unsafe_svg_and_no_network(void)
{
    ca_run *run = make_run();
    struct report_html_in in = {svg_bad, sizeof svg_bad - 1, NULL, 1, NULL, NULL};
    char *html;

    run->network_down = 1;
    html = render(run, &in);
    CHECK(!strstr(html, "<svg"));
    CHECK(!strstr(html, "onload"));
    CHECK(strstr(html, "The graph could not be drawn"));
    CHECK(strstr(html, "No network: no link could be checked."));
    CHECK(strstr(html, "the others show the latest result kept in the store"));
    CHECK(strstr(html, "role=\"alert\""));
    free(html);

    in.svg = NULL;
    in.graph_note = "Too big: <see graph.dot>";
    in.checked = 0;
    run->network_down = 0;
    html = render(run, &in);
    CHECK(strstr(html, "Too big: &lt;see graph.dot&gt;"));
    CHECK(strstr(html, "Links were not checked in this run (--no-check)."));
    CHECK(strstr(html, "the latest ones kept in the store")); /* the run has results */
    free(html);
    ca_run_destroy(run);
}

static void test_empty_run(void)
{
    ca_run *run = new_run();
    struct report_html_in in = {NULL, 0, "No graph.", 1, NULL, NULL};
    char *html = render(run, &in);

    CHECK(strstr(html, "No document cites anything by link."));
    CHECK(strstr(html, "No document was read."));
    CHECK(strstr(html, "</html>\n"));
    free(html);
    ca_run_destroy(run);
}

/* A run with more links than the page lists. */
static void test_cap(void)
{
    size_t n = REPORT_HTML_MAX_ROWS + 5, i, len = 0;
    char *text = malloc(n * 40), *html;
    ca_extract_opts eo;
    ca_error err = CA_ERROR_INIT;
    ca_doc *doc = NULL;
    ca_run *run = new_run();
    struct report_html_in in = {NULL, 0, NULL, 1, NULL, NULL};

    if (!text)
        exit(1);
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "https://e.example/%zu\n", i);
    ca_extract_opts_init(&eo);
    eo.force_format = CA_FORMAT_TEXT;
    CHECK_INT(ca_extract_mem("big.txt", NULL, text, len, &eo, &doc, &err), CA_OK);
    if (doc)
        CHECK_INT(ca_run_add_doc(run, doc, NULL, 0, &err), CA_OK);
    ca_doc_destroy(doc);
    CHECK_INT(run->ncites, n);
    html = render(run, &in);
    CHECK_INT(count_of(html, "<tr class=\"g-"), REPORT_HTML_MAX_ROWS);
    CHECK(strstr(html, "The table lists the first 20000 of 20005 links"));
    CHECK(strstr(html, "5 more left out of this page"));
    free(html);
    free(text);
    ca_run_destroy(run);
}

static void test_write_error(void)
{
    ca_run *run = make_run();
    struct report_opts ro = opts();
    struct report_html_in in = {svg_ok, sizeof svg_ok - 1, NULL, 1, NULL, NULL};
    FILE *full = fopen("/dev/full", "w");

    if (full) {
        CHECK_INT(report_html(full, run, &ro, &in), -1);
        fclose(full);
    }
    ca_run_destroy(run);
}

static int emit(const char *path)
{
    ca_run *run = make_run();
    struct report_html_in in = {svg_ok, sizeof svg_ok - 1, NULL, 1, NULL, NULL};
    struct report_opts ro = opts();
    FILE *f = fopen(path, "w");
    int rc = 1;

    if (f) {
        rc = report_html(f, run, &ro, &in) == 0 ? 0 : 1;
        rc |= fclose(f) != 0;
    }
    ca_run_destroy(run);
    return rc;
}

int main(int argc, char **argv)
{
    ca_error err = CA_ERROR_INIT;

    if (ca_global_init(&err) != CA_OK)
        return 1;
    if (argc == 3 && !strcmp(argv[1], "--emit"))
        return emit(argv[2]);
    test_page();
    test_unsafe_svg_and_no_network();
    test_empty_run();
    test_cap();
    test_write_error();
    ca_global_cleanup();
    return check_done("report-html");
}
