/*
 * test-report.c - the renderers of `citeaudit check` on a run built by
 * hand: documents extracted from small Markdown strings, results set with
 * ca__checker_set_result (no network). Each format is rendered to memory
 * and read back: JSON, JSONL and SARIF parsed with jansson, the others
 * checked line by line. A write error must make every renderer return -1.
 *
 * With "--emit FORMAT [origins]" it only prints that format of the same
 * run (or of the run of test_sarif_origins), for tests/unit/report-xml.py,
 * which checks the JUnit XML with a real parser, and for validators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check_int.h"
#include "citeaudit/citeaudit.h"
#include "citeaudit/run.h"
#include "report.h"
#include "check.h"
#include "run-fixture.h"

/* An error message with what terminals, XML and Markdown tables choke on. */
#define NASTY_ERROR "bad\x01thing | <x> & `y`\nnext\x1b[31m"

static const char doc_a[] = "# A\n"
                            "\n"
                            "[ok](https://ok.example/)\n"                       /* 3 */
                            "[dead](https://dead.example/gone)\n"               /* 4 */
                            "[old](https://old.example/)\n"                     /* 5 */
                            "[comma](https://q.example/a,b)\n"                  /* 6 */
                            "[forbidden](https://forbidden.example/)\n"         /* 7 */
                            "[again](https://dead.example/gone)\n"              /* 8 */
                            "[nav](https://slow.example/)\n"                    /* 9 */
                            "[mail](mailto:someone@example.com)\n";             /* 10 */

static const char doc_b[] = "Text with [a pipe](https://pipe.example/x%7Cy) "
                            "and [nasty](https://nasty.example/).\n";

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
    {"https://q.example/a,b", CA_CLASS_SERVER_ERROR, 503, "HTTP 503 after 3 attempts",
     "https://q.example/a,b\"c"},
    {"https://forbidden.example/", CA_CLASS_FORBIDDEN, 403, NULL, NULL},
    {"https://slow.example/", CA_CLASS_TIMEOUT, 0, "Operation timed out after 20000 ms", NULL},
    {"mailto:someone@example.com", CA_CLASS_UNSUPPORTED, 0, "mailto: links are not checked",
     NULL},
    {"https://pipe.example/x%7Cy", CA_CLASS_OK, 200, NULL, NULL},
    {"https://nasty.example/", CA_CLASS_DNS, 0, NASTY_ERROR, NULL},
};

/* Give every link of the run the result the table says. */
static void set_results(ca_run *run)
{
    ca_hop chain[2] = {{"https://old.example/", 301}, {"https://new.example/", 200}};
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
            r.attempts = 1 + (r.cls == CA_CLASS_SERVER_ERROR) * 2;
            r.elapsed_ms = 1234;
            r.checked_at = 1700000000;
            if (r.cls == CA_CLASS_REDIRECTED) {
                r.chain = chain;
                r.nchain = 2;
            }
            CHECK_INT(ca__checker_set_result(run->chk, id, &r), CA_OK);
            break;
        }
        if (i == sizeof results / sizeof results[0])
            fprintf(stderr, "no result for %s\n", url);
        CHECK(i < sizeof results / sizeof results[0]);
    }
}

/* The run of every test: two documents, a page link, an unread input. */
static ca_run *make_run(void)
{
    ca_check_opts co;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    size_t i;

    ca_check_opts_init(&co);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    if (!run)
        exit(1);
    fixture_add_md(run, "docs/a.md", NULL, doc_a);
    fixture_add_md(run, "my docs/b|c.md", NULL, doc_b);
    CHECK_INT(ca_run_add_failed(run, "missing.md",
                                "cannot open 'missing.md': No such file or directory", &err),
              CA_OK);
    /* Markdown has no page chrome: make the link of line 9 a page link. */
    for (i = 0; i < run->ncites; i++)
        if (run->cites[i].doc == 0 && run->cites[i].line == 9)
            run->cites[i].region = CA_REGION_CHROME;
    set_results(run);
    run->finished = run->started + 2;
    return run;
}

/* Render run with fn into a new string. */
static char *render(report_fn fn, const ca_run *run, const struct report_opts *ro)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    CHECK(m != NULL);
    if (!m)
        exit(1);
    CHECK_INT(fn(m, run, ro), 0);
    fclose(m);
    return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;

    for (; (hay = strstr(hay, needle)); hay += strlen(needle))
        n++;
    return n;
}

/* Nonzero when s has a C0 control character other than newline, or CR. */
static int has_control(const char *s, int allow_cr)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n' && !(allow_cr && *s == '\r'))
            return 1;
    return 0;
}

static void test_text(const ca_run *run, struct report_opts ro)
{
    char *out = render(report_text, run, &ro);
    const char *last;

    CHECK(strstr(out, "docs/a.md: 3 failing citations\n"
                      "docs/a.md:4:1: dead 404 https://dead.example/gone (Not Found)\n"
                      "docs/a.md:6:1: server_error 503 https://q.example/a,b -> "
                      "https://q.example/a,b\"c (HTTP 503 after 3 attempts)\n"
                      "docs/a.md:8:1: dead 404 https://dead.example/gone (Not Found)\n") != NULL);
    CHECK(strstr(out, "docs/a.md: 1 failing page link\n"
                      "docs/a.md:9:1: timeout https://slow.example/ "
                      "(Operation timed out after 20000 ms)\n") != NULL);
    /* Failing first: the page links after the citations, the document
     * after it, the notes after every failure. */
    CHECK(strstr(out, "citations") < strstr(out, "page link"));
    CHECK(strstr(out, "my docs/b|c.md: 1 failing citation\n") != NULL);
    CHECK(strstr(out, "bad\xEF\xBF\xBDthing | <x> & `y` next\xEF\xBF\xBD[31m") != NULL);
    CHECK(strstr(out, "to update (they work through a permanent redirect):\n"
                      "docs/a.md:5:1: redirected 200 https://old.example/ -> "
                      "https://new.example/\n") != NULL);
    CHECK(strstr(out, "docs/a.md:7:1: forbidden 403 https://forbidden.example/ (Forbidden)\n") !=
          NULL);
    CHECK(strstr(out, "inputs not read (their links were not checked):\n"
                      "missing.md: cannot open 'missing.md': No such file or directory\n") !=
          NULL);
    CHECK(strstr(out, "nav") == NULL); /* anchor text is not the report's */
    CHECK(strstr(out, "https://ok.example/") == NULL);
    CHECK(!has_control(out, 0));
    last = strrchr(out, '\n');
    CHECK(last && last[1] == '\0');
    CHECK(strstr(out, "\n10 links checked in 2 documents: 2 ok, 1 redirected, 2 dead, 1 "
                      "forbidden, 1 server_error, 1 timeout, 1 dns, 1 unsupported; 5 failing "
                      "(4 citations, 1 page link); 1 input not read\n") != NULL);
    free(out);

    ro.verbose = 1;
    out = render(report_text, run, &ro);
    CHECK(strstr(out, "docs/a.md: 7 citations\ndocs/a.md:3:1: ok 200 https://ok.example/\n") !=
          NULL);
    CHECK(strstr(out, "docs/a.md: 1 page link\n") != NULL);
    free(out);

    ro.verbose = 0;
    ro.colour = 1;
    out = render(report_text, run, &ro);
    CHECK(strstr(out, "\033[1;31mdead\033[0m 404") != NULL);
    free(out);
}

/* The citation of doc at line (and col, unless 0) in the parsed JSON
 * report, or NULL. */
static json_t *json_cite(json_t *root, size_t doc, unsigned line, unsigned col)
{
    json_t *cites = json_object_get(json_array_get(json_object_get(root, "documents"), doc),
                                    "citations");
    size_t i;
    json_t *c;

    json_array_foreach(cites, i, c)
        if (json_integer_value(json_object_get(c, "line")) == line &&
            (!col || json_integer_value(json_object_get(c, "col")) == col))
            return c;
    return NULL;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static long long jint(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static void test_json(const ca_run *run, const struct report_opts *ro)
{
    char *out = render(report_json, run, ro);
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr), *c, *docs, *sum, *by;

    CHECK(root != NULL);
    if (!root) {
        fprintf(stderr, "%s\n%s\n", jerr.text, out);
        free(out);
        return;
    }
    CHECK_INT(jint(root, "schema_version"), 1);
    CHECK_STR(jstr(json_object_get(root, "tool"), "name"), "citeaudit");
    CHECK_STR(jstr(json_object_get(root, "tool"), "version"), ca_version());
    CHECK_STR(jstr(root, "generated"), "2023-11-14T22:13:20Z"); /* SOURCE_DATE_EPOCH */
    CHECK(json_is_false(json_object_get(root, "network_down")));
    CHECK_INT(json_array_size(json_object_get(root, "fail_on")), 8);
    docs = json_object_get(root, "documents");
    CHECK_INT(json_array_size(docs), 3);
    CHECK_STR(jstr(json_array_get(docs, 0), "origin"), "docs/a.md");
    CHECK_INT(json_array_size(json_object_get(json_array_get(docs, 0), "citations")), 8);
    CHECK(json_is_null(json_object_get(json_array_get(docs, 0), "error")));
    CHECK_STR(jstr(json_array_get(docs, 2), "error"),
              "cannot open 'missing.md': No such file or directory");
    CHECK_INT(json_array_size(json_object_get(json_array_get(docs, 2), "citations")), 0);

    c = json_cite(root, 0, 4, 0);
    CHECK_STR(jstr(c, "url"), "https://dead.example/gone");
    CHECK_STR(jstr(c, "status"), "dead");
    CHECK_STR(jstr(c, "region"), "body");
    CHECK_STR(jstr(c, "kind"), "link");
    CHECK_INT(jint(c, "http_code"), 404);
    CHECK(json_is_true(json_object_get(c, "failing")));
    CHECK(json_is_null(json_object_get(c, "final_url")));
    CHECK(json_is_null(json_object_get(c, "error")));
    CHECK_INT(jint(c, "col"), 1);
    CHECK_INT(jint(c, "attempts"), 1);
    CHECK_INT(jint(c, "elapsed_ms"), 1234);
    CHECK_STR(jstr(c, "checked_at"), "2023-11-14T22:13:20Z");
    CHECK_INT(json_array_size(json_object_get(c, "redirects")), 0);

    c = json_cite(root, 0, 5, 0);
    CHECK_STR(jstr(c, "status"), "redirected");
    CHECK(json_is_false(json_object_get(c, "failing")));
    CHECK_STR(jstr(c, "final_url"), "https://new.example/");
    CHECK_INT(json_array_size(json_object_get(c, "redirects")), 2);
    CHECK_STR(jstr(json_array_get(json_object_get(c, "redirects"), 0), "url"),
              "https://old.example/");
    CHECK_INT(jint(json_array_get(json_object_get(c, "redirects"), 0), "http_code"), 301);

    c = json_cite(root, 0, 9, 0);
    CHECK_STR(jstr(c, "region"), "chrome");
    CHECK(json_is_null(json_object_get(c, "http_code")));
    CHECK_STR(jstr(json_cite(root, 1, 1, 52), "error"), NASTY_ERROR);
    CHECK_STR(jstr(json_cite(root, 0, 10, 0), "kind"), "unsupported");

    sum = json_object_get(root, "summary");
    CHECK_INT(jint(sum, "total"), 10);
    CHECK_INT(jint(sum, "failing"), 5);
    CHECK_INT(jint(sum, "citations"), 9);
    CHECK_INT(jint(sum, "page_links"), 1);
    CHECK_INT(jint(sum, "inputs_failed"), 1);
    by = json_object_get(sum, "by_status");
    CHECK_INT(json_object_size(by), CA_CLASS_COUNT);
    CHECK_INT(jint(by, "dead"), 2);
    CHECK_INT(jint(by, "ok"), 2);
    CHECK_INT(jint(by, "tls"), 0);
    json_decref(root);
    free(out);
}

static void test_jsonl(const ca_run *run, const struct report_opts *ro)
{
    char *out = render(report_jsonl, run, ro), *line, *save = NULL;
    size_t n = 0;

    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_t *o = json_loads(line, 0, NULL);

        CHECK(o != NULL);
        if (!o)
            continue;
        if (n == 0) {
            CHECK_STR(jstr(o, "doc"), "docs/a.md");
            CHECK_INT(jint(o, "line"), 3);
            CHECK_STR(jstr(o, "status"), "ok");
        }
        if (jint(o, "line") == 5 && !strcmp(jstr(o, "doc"), "docs/a.md")) {
            CHECK(json_is_integer(json_object_get(o, "redirects")));
            CHECK_INT(jint(o, "redirects"), 1);
        }
        CHECK(json_object_get(o, "elapsed_ms") && json_object_get(o, "attempts") &&
              json_object_get(o, "final_url") && json_object_get(o, "error"));
        json_decref(o);
        n++;
    }
    CHECK_INT(n, 10);
    free(out);
}

static void test_csv(const ca_run *run, const struct report_opts *ro)
{
    char *out = render(report_csv, run, ro);

    CHECK(!strncmp(out, "doc,line,col,region,url,status,http_code,final_url,error,attempts,"
                        "elapsed_ms,reason,archive_url,archive_time,drift\r\n",
                   strlen("doc,line,col,region,url,status,http_code,final_url,error,attempts,"
                          "elapsed_ms,reason,archive_url,archive_time,drift\r\n")));
    CHECK(strstr(out, "\r\ndocs/a.md,6,1,body,\"https://q.example/a,b\",server_error,503,"
                      "\"https://q.example/a,b\"\"c\",HTTP 503 after 3 attempts,3,1234,,,,\r\n") !=
          NULL);
    CHECK(strstr(out, "\r\ndocs/a.md,4,1,body,https://dead.example/gone,dead,404,,,1,1234,,,,"
                      "\r\n") != NULL);
    CHECK(strstr(out, "\r\ndocs/a.md,9,1,chrome,https://slow.example/,timeout,,,") != NULL);
    /* The line break inside the error stays inside its quoted field. */
    CHECK(strstr(out, ",\"bad\x01thing | <x> & `y`\nnext\x1b[31m\",") != NULL);
    CHECK_INT(count_of(out, "\r\n"), 11);
    free(out);
}

static void test_markdown(const ca_run *run, const struct report_opts *ro)
{
    char *out = render(report_markdown, run, ro), *p, *end;

    CHECK(!strncmp(out, "### citeaudit: 5 failing links\n", 31));
    CHECK(strstr(out, "| docs/a.md:4:1 | dead | 404 | <https://dead.example/gone> | Not Found |\n") !=
          NULL);
    CHECK(strstr(out, "| docs/a.md:9:1 (page link) | timeout |  | <https://slow.example/> |") !=
          NULL);
    /* The pipe of the file name and of the error are escaped, the line
     * break and control characters are gone, the backticks escaped. */
    CHECK(strstr(out, "| my docs/b\\|c.md:1:") != NULL);
    CHECK(strstr(out, "bad thing \\| \\<x\\> \\& \\`y\\` next \\[31m |") != NULL);
    CHECK(strstr(out, "<details>\n<summary>1 redirected") != NULL);
    CHECK(strstr(out, "<https://old.example/> | <https://new.example/> |") != NULL);
    CHECK(strstr(out, "**Inputs not read**") != NULL);
    CHECK(!has_control(out, 0));
    /* Every table row is one line with the table's five or four cells. */
    for (p = out; (p = strstr(p, "\n| ")); p = end) {
        size_t cells = 0;

        end = strchr(p + 1, '\n');
        if (!end)
            break;
        for (const char *q = p + 1; q < end; q++)
            cells += *q == '|' && q[-1] != '\\';
        CHECK(cells == 6 || cells == 5);
    }
    free(out);
}

static void test_markdown_clean(const struct report_opts *ro)
{
    ca_check_opts co;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    char *out;

    ca_check_opts_init(&co);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    fixture_add_md(run, "clean.md", NULL, "[ok](https://ok.example/)\n");
    set_results(run);
    out = render(report_markdown, run, ro);
    CHECK(!strncmp(out, "### citeaudit: No failing links\n", 32));
    CHECK(strstr(out, "|") == NULL);
    free(out);
    out = render(report_text, run, ro);
    CHECK_STR(out, "1 link checked in 1 document: 1 ok; none failing\n");
    free(out);
    ca_run_destroy(run);
}

static void test_junit(const ca_run *run, const struct report_opts *ro)
{
    char *out = render(report_junit, run, ro);

    CHECK(!strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"citeaudit\" "
                        "tests=\"11\" failures=\"5\" errors=\"1\" time=\"",
                   100));
    CHECK(strstr(out, "<testsuite name=\"docs/a.md\" tests=\"8\" failures=\"4\" errors=\"0\" "
                      "skipped=\"1\" time=\"9.872\"") != NULL);
    CHECK(strstr(out, "<testcase name=\"https://dead.example/gone\" classname=\"docs/a.md "
                      "(citations)\" time=\"1.234\"><failure message=\"Not Found\" "
                      "type=\"dead\">docs/a.md:4:1: dead 404 https://dead.example/gone (Not "
                      "Found)\n</failure></testcase>") != NULL);
    /* The same URL twice in a suite gets a distinct name. */
    CHECK(strstr(out, "<testcase name=\"https://dead.example/gone #2\"") != NULL);
    CHECK(strstr(out, "classname=\"docs/a.md (page links)\"") != NULL);
    CHECK(strstr(out, "<skipped>unsupported: ") != NULL);
    CHECK(strstr(out, "message=\"bad\xEF\xBF\xBDthing | &lt;x&gt; &amp; `y`&#10;next\xEF\xBF\xBD"
                      "[31m\"") != NULL);
    CHECK(strstr(out, "<testsuite name=\"missing.md\" tests=\"1\" failures=\"0\" errors=\"1\"") !=
          NULL);
    CHECK(!has_control(out, 0));
    CHECK_INT(count_of(out, "<testcase "), 11);
    free(out);
}

/* rules[] of the SARIF run hold id at ruleIndex. */
static void check_rule(json_t *rules, json_t *result)
{
    const char *id = jstr(result, "ruleId");
    json_t *rule = json_array_get(rules, (size_t)jint(result, "ruleIndex"));

    CHECK_STR(jstr(rule, "id"), id);
}

static void test_sarif(const ca_run *run, const struct report_opts *ro)
{
    char *out = render(report_sarif, run, ro);
    json_t *root = json_loads(out, 0, NULL), *r0, *rules, *res, *loc;
    size_t i;

    CHECK(root != NULL);
    if (!root) {
        free(out);
        return;
    }
    CHECK_STR(jstr(root, "version"), "2.1.0");
    CHECK(jstr(root, "$schema") != NULL);
    r0 = json_array_get(json_object_get(root, "runs"), 0);
    CHECK_STR(jstr(json_object_get(json_object_get(r0, "tool"), "driver"), "name"), "citeaudit");
    rules = json_object_get(json_object_get(json_object_get(r0, "tool"), "driver"), "rules");
    CHECK_INT(json_array_size(rules), 8);
    CHECK_STR(jstr(json_array_get(rules, 0), "id"), "dead");
    CHECK(jstr(json_object_get(json_array_get(rules, 0), "shortDescription"), "text") != NULL);
    res = json_object_get(r0, "results");
    CHECK_INT(json_array_size(res), 5);
    for (i = 0; i < json_array_size(res); i++) {
        check_rule(rules, json_array_get(res, i));
        CHECK_STR(jstr(json_array_get(res, i), "level"), "error");
    }
    loc = json_object_get(json_array_get(json_object_get(json_array_get(res, 0), "locations"), 0),
                          "physicalLocation");
    CHECK_STR(jstr(json_object_get(loc, "artifactLocation"), "uri"), "docs/a.md");
    CHECK_STR(jstr(json_object_get(loc, "artifactLocation"), "uriBaseId"), "%SRCROOT%");
    CHECK_INT(jint(json_object_get(loc, "region"), "startLine"), 4);
    CHECK_INT(jint(json_object_get(loc, "region"), "startColumn"), 1);
    CHECK_STR(jstr(json_object_get(json_array_get(res, 0), "message"), "text"),
              "Citation https://dead.example/gone: dead (HTTP 404 Not Found)");
    loc = json_object_get(json_array_get(json_object_get(json_array_get(res, 4), "locations"), 0),
                          "physicalLocation");
    CHECK_STR(jstr(json_object_get(loc, "artifactLocation"), "uri"), "my%20docs/b%7Cc.md");
    /* The unread input is a notification of the invocation. */
    CHECK_INT(json_array_size(json_object_get(
                  json_array_get(json_object_get(r0, "invocations"), 0),
                  "toolExecutionNotifications")),
              1);
    CHECK_STR(jstr(json_array_get(json_object_get(r0, "invocations"), 0), "commandLine"),
              "citeaudit check --format sarif 'my docs'");
    json_decref(root);
    free(out);
}

/* --fail-on forbidden: the class fails, as a warning-level SARIF rule. */
static void test_fail_on(const ca_run *run, struct report_opts ro)
{
    char *out;
    json_t *root;

    ro.fail_mask = 1u << CA_CLASS_FORBIDDEN;
    out = render(report_sarif, run, &ro);
    root = json_loads(out, 0, NULL);
    CHECK(root != NULL);
    if (root) {
        json_t *r0 = json_array_get(json_object_get(root, "runs"), 0);
        json_t *res = json_object_get(r0, "results");

        CHECK_INT(json_array_size(res), 1);
        CHECK_STR(jstr(json_array_get(res, 0), "ruleId"), "forbidden");
        CHECK_STR(jstr(json_array_get(res, 0), "level"), "warning");
        json_decref(root);
    }
    free(out);
    out = render(report_text, run, &ro);
    /* dead is no longer failing, but still a problem worth a line. */
    CHECK(strstr(out, "problems not counted as failing (see --fail-on):\n"
                      "docs/a.md:4:1: dead 404") != NULL);
    CHECK(strstr(out, "; 1 failing; 1 input not read\n") != NULL ||
          strstr(out, "; 1 failing (1 citation, 0 page links)") != NULL);
    free(out);
}

static void test_network_down(const struct report_opts *ro)
{
    ca_check_opts co;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    char *out;

    ca_check_opts_init(&co);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    fixture_add_md(run, "a.md", NULL, "[x](https://x.example/) [y](https://y.example/)\n");
    run->network_down = 1;
    out = render(report_text, run, ro);
    CHECK(strstr(out, "2 links not checked (no network) in 1 document: 2 unknown; none "
                      "failing\n") != NULL);
    free(out);
    out = render(report_markdown, run, ro);
    CHECK(strstr(out, "no network") != NULL);
    free(out);
    out = render(report_junit, run, ro);
    CHECK_INT(count_of(out, "<skipped>unknown: "), 2);
    free(out);
    ca_run_destroy(run);
}

/* A fetched article and a file named by an absolute path, one dead link
 * each: how SARIF names documents that are not relative paths. */
static ca_run *make_origins_run(void)
{
    ca_check_opts co;
    ca_extract_opts eo;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    ca_doc *doc = NULL;
    ca_result r = {0};

    static const char text[] = "\n[x](https://dead.example/gone)\n";

    ca_check_opts_init(&co);
    ca_extract_opts_init(&eo);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    CHECK_INT(ca_extract_mem("page.md", "page.md", text, strlen(text), &eo, &doc, &err), CA_OK);
    if (!run || !doc)
        exit(1);
    CHECK_INT(ca_run_add_doc(run, doc, "https://news.example/2024/a story.html", 0, &err),
              CA_OK);
    CHECK_INT(ca_run_add_doc(run, doc, "/srv/docs/\xC3\xA4 b.md", 0, &err), CA_OK);
    ca_doc_destroy(doc);
    r.cls = CA_CLASS_DEAD;
    r.http_code = 410;
    CHECK_INT(ca__checker_set_result(run->chk, 0, &r), CA_OK);
    return run;
}

static void test_sarif_origins(const struct report_opts *ro)
{
    ca_run *run = make_origins_run();
    char *out = render(report_sarif, run, ro);
    json_t *root = json_loads(out, 0, NULL);
    json_t *res = json_object_get(json_array_get(json_object_get(root, "runs"), 0), "results");
    const char *uris[2] = {"https://news.example/2024/a%20story.html",
                           "file:///srv/docs/%C3%A4%20b.md"};
    size_t i;

    CHECK_INT(json_array_size(res), 2);
    for (i = 0; i < 2 && i < json_array_size(res); i++) {
        json_t *art = json_object_get(
            json_object_get(json_array_get(json_object_get(json_array_get(res, i), "locations"), 0),
                            "physicalLocation"),
            "artifactLocation");

        CHECK_STR(jstr(art, "uri"), uris[i]);
        CHECK(json_object_get(art, "uriBaseId") == NULL);
        CHECK_INT(jint(json_object_get(json_array_get(res, i), "properties"), "http_code"), 410);
    }
    json_decref(root);
    free(out);
    ca_run_destroy(run);
}

/* Every renderer says so when its output cannot be written. */
static void test_write_error(const ca_run *run, const struct report_opts *ro)
{
    static const char *const names[] = {"text", "json", "jsonl", "markdown",
                                        "junit", "sarif", "csv"};
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        FILE *full = fopen("/dev/full", "w");
        report_fn fn = report_lookup(names[i]);

        CHECK(fn != NULL);
        if (!full || !fn) {
            if (full)
                fclose(full);
            continue;
        }
        CHECK_INT(fn(full, run, ro), -1);
        fclose(full);
    }
    CHECK(report_lookup("yaml") == NULL);
}

int main(int argc, char **argv)
{
    static const char *const args[] = {"check", "--format", "sarif", "my docs", NULL};
    struct report_opts ro = {ca_class_default_fail_mask(), 0, 0, 0, 0, "citeaudit", args, NULL, 0};
    ca_error err = CA_ERROR_INIT;
    ca_run *run;

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    if (ca_global_init(&err) != CA_OK)
        return 1;
    run = argc == 4 && !strcmp(argv[3], "origins") ? make_origins_run() : make_run();
    if (argc >= 3 && !strcmp(argv[1], "--emit")) {
        report_fn fn = report_lookup(argv[2]);
        int rc = fn ? fn(stdout, run, &ro) : -1;

        ca_run_destroy(run);
        ca_global_cleanup();
        return rc ? 1 : 0;
    }
    test_text(run, ro);
    test_json(run, &ro);
    test_jsonl(run, &ro);
    test_csv(run, &ro);
    test_markdown(run, &ro);
    test_markdown_clean(&ro);
    test_junit(run, &ro);
    test_sarif(run, &ro);
    test_fail_on(run, ro);
    test_network_down(&ro);
    test_sarif_origins(&ro);
    test_write_error(run, &ro);
    ca_run_destroy(run);
    ca_global_cleanup();
    return check_done("report");
}
