/*
 * test-graph.c - the citation graph on runs built by hand: documents
 * extracted from small Markdown strings with their outlet set as a
 * manifest would, results set with ca__checker_set_result (no network).
 * Checks nodes, edges, weights, failing counts and classes, kinds,
 * self-citations and --no-self, the article view, labels of documents
 * without an outlet, and that every writer gives the same bytes twice.
 * SVG and PNG are rendered in-process (dot, and sfdp above 500 nodes), the
 * render limit refuses, and a full disk is an error of every writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "run-fixture.h"
#include "check_int.h"
#include "citeaudit/citeaudit.h"
#include "citeaudit/graph.h"

static const char doc_a[] = "# A\n\n"
                            "[mod](https://t.me/mod_russia/34256)\n"
                            "[a](https://www.example.org/a)\n"
                            "[b](https://www.example.org/b)\n"
                            "[own](https://www.outlet.example/earlier)\n"
                            "[arch](https://web.archive.org/web/2020/https://gone.example/)\n"
                            "[gov](https://www.gov.uk/government/news)\n"
                            "[wire](https://www.reuters.com/world/)\n"
                            "[nav](https://nav.example/)\n";
static const char doc_b[] = "Again [a](https://www.example.org/a) and "
                            "[own](https://outlet.example/other).\n";
static const char doc_c[] = "No outlet: [a](https://www.example.org/a).\n";
static const char doc_d[] = "Same base name, no links.\n";
static const char doc_e[] = "Named like a source: [a](https://www.example.org/a).\n";
static const char doc_f[] = "A name to escape everywhere: [x](https://odd.example/x).\n";

/* Quotes, markup, an ampersand and a trailing backslash: DOT, XML and JSON
 * must all escape it (cgraph itself writes "back\" unescaped). */
#define ODD_ORIGIN "odd/\"q\" <a&b> back\\"

static void set_class(ca_run *run, const char *url, ca_class cls)
{
    size_t id;

    for (id = 0; id < ca_checker_count(run->chk); id++) {
        ca_result r = {0};

        if (strcmp(ca_checker_url(run->chk, id), url) != 0)
            continue;
        r.cls = cls;
        r.http_code = cls == CA_CLASS_DEAD ? 404 : cls == CA_CLASS_OK ? 200 : 0;
        r.attempts = 1;
        CHECK_INT(ca__checker_set_result(run->chk, id, &r), CA_OK);
        return;
    }
    fprintf(stderr, "no link %s in the run\n", url);
    CHECK(0);
}

static ca_run *make_run(void)
{
    ca_check_opts co;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    size_t i;

    ca_check_opts_init(&co);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    fixture_add_md(run, "a.md", "outlet.example", doc_a);
    fixture_add_md(run, "b.md", "outlet.example", doc_b);
    fixture_add_md(run, "dir/c.md", NULL, doc_c);
    fixture_add_md(run, "other/c.md", NULL, doc_d);
    fixture_add_md(run, "example.org", NULL, doc_e);
    fixture_add_md(run, ODD_ORIGIN, NULL, doc_f);
    CHECK_INT(ca_run_add_failed(run, "missing.md", "missing.md: no such file", &err), CA_OK);
    for (i = 0; i < ca_checker_count(run->chk); i++)
        set_class(run, ca_checker_url(run->chk, i), CA_CLASS_OK);
    set_class(run, "https://www.example.org/a", CA_CLASS_DEAD);
    set_class(run, "https://www.example.org/b", CA_CLASS_DNS);
    set_class(run, "https://www.gov.uk/government/news", CA_CLASS_FORBIDDEN);
    /* The last link of a.md stands in for a navigation link: not a citation. */
    for (i = 0; i < run->ncites; i++)
        if (!strcmp(ca_run_url(run, &run->cites[i]), "https://nav.example/"))
            run->cites[i].region = CA_REGION_CHROME;
    return run;
}

static ca_graph *build(const ca_run *run, int articles, int no_self, int checked)
{
    ca_graph_opts go = {articles, no_self, checked, NULL, NULL, 0};
    ca_error err = CA_ERROR_INIT;
    ca_graph *g = NULL;

    CHECK_INT(ca_graph_build(run, &go, ca_class_default_fail_mask(), &g, &err), CA_OK);
    if (!g)
        fprintf(stderr, "build: %s\n", ca_error_message(&err));
    return g;
}

static size_t node(const ca_graph *g, const char *key)
{
    size_t i;

    for (i = 0; i < g->nnodes; i++)
        if (!strcmp(g->nodes[i].key, key))
            return i;
    return (size_t)-1;
}

/* The node's kind, or -1 (failing the check) when there is no such node. */
static int kind_of(const ca_graph *g, const char *key)
{
    size_t i = node(g, key);

    return i == (size_t)-1 ? -1 : (int)g->nodes[i].kind;
}

static const ca_graph_edge *edge(const ca_graph *g, const char *from, const char *to)
{
    size_t f = node(g, from), t = node(g, to), i;

    for (i = 0; i < g->nedges; i++)
        if (g->edges[i].from == f && g->edges[i].to == t)
            return &g->edges[i];
    return NULL;
}

static void test_outlet_view(const ca_run *run)
{
    ca_graph *g = build(run, 0, 0, 1);
    const ca_graph_edge *e;
    size_t i;

    if (!g)
        return;
    /* Outlets first (documents without an outlet are their own), then sources. */
    CHECK_INT(g->nnodes, 11);
    CHECK_STR(g->nodes[0].key, "dir/c.md");
    CHECK_STR(g->nodes[1].key, "example.org (document)");
    CHECK_STR(g->nodes[2].key, ODD_ORIGIN);
    CHECK_STR(g->nodes[3].key, "other/c.md");
    CHECK_STR(g->nodes[4].key, "outlet.example");
    CHECK_STR(g->nodes[5].key, "archive.org");
    CHECK_STR(g->nodes[6].key, "example.org");
    CHECK_STR(g->nodes[10].key, "www.gov.uk");
    for (i = 0; i + 1 < g->nnodes; i++)
        if (g->nodes[i].outlet == g->nodes[i + 1].outlet)
            CHECK(strcmp(g->nodes[i].key, g->nodes[i + 1].key) < 0);
    CHECK(node(g, "missing.md") == (size_t)-1);
    CHECK(node(g, "nav.example") == (size_t)-1);
    /* Two documents called c.md are labelled by their paths. */
    CHECK_STR(g->nodes[0].label, "dir/c.md");
    CHECK_STR(g->nodes[3].label, "other/c.md");
    CHECK_STR(g->nodes[1].label, "example.org");
    CHECK_STR(g->nodes[2].label, "\"q\" <a&b> back\\");
    CHECK_INT(g->nodes[0].kind, CA_NODE_ARTICLE);
    CHECK(g->nodes[0].outlet);
    CHECK_INT(g->nodes[4].docs, 2);
    CHECK_INT(g->nodes[4].kind, CA_NODE_NEWS);
    CHECK_INT(kind_of(g, "t.me/mod_russia"), CA_NODE_GOV);
    CHECK_INT(kind_of(g, "archive.org"), CA_NODE_ARCHIVE);
    CHECK_INT(kind_of(g, "www.gov.uk"), CA_NODE_GOV);
    CHECK_INT(kind_of(g, "reuters.com"), CA_NODE_NEWS);
    CHECK_INT(kind_of(g, "example.org"), CA_NODE_OTHER);
    CHECK_STR(g->nodes[node(g, "example.org")].url, "https://example.org");
    CHECK(g->nodes[0].url == NULL);

    e = edge(g, "outlet.example", "example.org");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT(e->weight, 3);
        CHECK_INT(e->failing, 3);
        CHECK_INT(e->classes, (1u << CA_CLASS_DEAD) | (1u << CA_CLASS_DNS));
        CHECK(!e->self);
        CHECK_INT(e->kind, CA_EDGE_CITES);
    }
    e = edge(g, "outlet.example", "outlet.example");
    CHECK(e && e->self && e->weight == 2 && e->failing == 0);
    e = edge(g, "outlet.example", "www.gov.uk");
    CHECK(e && e->weight == 1 && e->failing == 0); /* forbidden does not fail */
    e = edge(g, "dir/c.md", "example.org");
    CHECK(e && e->weight == 1 && e->failing == 1 && !e->self);
    CHECK(edge(g, "example.org (document)", "example.org") != NULL);
    CHECK_INT(g->nodes[node(g, "example.org")].cited, 5);
    CHECK_INT(g->nodes[node(g, "example.org")].failing, 5);
    CHECK_INT(g->ndocs, 6);
    CHECK_INT(g->ncites, 12);
    CHECK_INT(g->nfailing, 5);
    for (i = 0; i + 1 < g->nedges; i++)
        CHECK(g->edges[i].from < g->edges[i + 1].from ||
              (g->edges[i].from == g->edges[i + 1].from && g->edges[i].to < g->edges[i + 1].to));
    ca_graph_destroy(g);
}

static void test_no_self_unchecked(const ca_run *run)
{
    ca_graph *g = build(run, 0, 1, 0);
    const ca_graph_edge *e;

    if (!g)
        return;
    CHECK(edge(g, "outlet.example", "outlet.example") == NULL);
    CHECK_INT(g->ncites, 10);
    CHECK_INT(g->nfailing, 0);
    e = edge(g, "outlet.example", "example.org");
    CHECK(e && e->weight == 3 && e->failing == 0 && e->classes == 0);
    /* Cited only by itself, the outlet is still an outlet node. */
    CHECK_INT(g->nodes[node(g, "outlet.example")].cited, 0);
    ca_graph_destroy(g);
}

static void test_articles(const ca_run *run)
{
    ca_graph *g = build(run, 1, 0, 1);
    const ca_graph_edge *e;

    if (!g)
        return;
    /* outlet.example, then the five articles, then the sources. */
    CHECK_STR(g->nodes[0].key, "outlet.example");
    CHECK(g->nodes[0].outlet);
    CHECK_STR(g->nodes[1].key, "a.md");
    CHECK_INT(g->nodes[1].kind, CA_NODE_ARTICLE);
    CHECK(!g->nodes[1].outlet);
    CHECK_STR(g->nodes[4].key, "example.org (document)");
    CHECK_STR(g->nodes[6].key, "other/c.md");
    e = edge(g, "outlet.example", "a.md");
    CHECK(e && e->kind == CA_EDGE_PUBLISHES && e->weight == 1);
    e = edge(g, "a.md", "outlet.example");
    CHECK(e && e->self && e->weight == 1);
    e = edge(g, "a.md", "example.org");
    CHECK(e && e->weight == 2 && e->failing == 2);
    CHECK(edge(g, "outlet.example", "example.org") == NULL);
    CHECK(edge(g, "dir/c.md", "example.org") != NULL);
    CHECK_INT(g->nodes[node(g, "dir/c.md")].docs, 1);
    ca_graph_destroy(g);
}

static void test_classify(void)
{
    CHECK_INT(ca_graph_classify("whitehouse.gov", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("army.mil", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("mod.gov.ua", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("www.gov.uk", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("function.mil.ru", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("kremlin.ru", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("europa.eu", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("notgov.ua", 0), CA_NODE_OTHER);
    CHECK_INT(ca_graph_classify("t.me/mod_russia", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("t.me/vvgladkov", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("x.com/defenceu", 0), CA_NODE_GOV);
    CHECK_INT(ca_graph_classify("x.com/someone", 0), CA_NODE_SOCIAL);
    CHECK_INT(ca_graph_classify("github.com/foo.gov", 0), CA_NODE_SOCIAL);
    CHECK_INT(ca_graph_classify("x.com", 0), CA_NODE_SOCIAL);
    CHECK_INT(ca_graph_classify("youtube.com", 0), CA_NODE_SOCIAL);
    CHECK_INT(ca_graph_classify("archive.org", 0), CA_NODE_ARCHIVE);
    CHECK_INT(ca_graph_classify("archive.ph", 0), CA_NODE_ARCHIVE);
    CHECK_INT(ca_graph_classify("perma.cc", 0), CA_NODE_ARCHIVE);
    CHECK_INT(ca_graph_classify("reuters.com", 0), CA_NODE_NEWS);
    CHECK_INT(ca_graph_classify("bbc.co.uk", 0), CA_NODE_NEWS);
    CHECK_INT(ca_graph_classify("example.org", 0), CA_NODE_OTHER);
    CHECK_INT(ca_graph_classify("example.org", 1), CA_NODE_NEWS);
    CHECK_INT(ca_graph_classify("", 0), CA_NODE_OTHER);
    CHECK_STR(ca_node_kind_name(CA_NODE_ARCHIVE), "archive");
    CHECK_STR(ca_node_kind_name(CA_NODE_KIND_COUNT), "?");
    CHECK_STR(ca_edge_kind_name(CA_EDGE_PUBLISHES), "publishes");
}

typedef ca_status (*writer)(const ca_graph *, FILE *, ca_error *);

/* Everything a writer wrote, NUL-terminated; NULL when it failed. */
static char *write_mem(writer w, const ca_graph *g, size_t *len)
{
    ca_error err = CA_ERROR_INIT;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ca_status st;

    if (!f)
        return NULL;
    st = w(g, f, &err);
    fclose(f);
    CHECK_INT(st, CA_OK);
    if (st != CA_OK) {
        fprintf(stderr, "write: %s\n", ca_error_message(&err));
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

static ca_status svg(const ca_graph *g, FILE *f, ca_error *err)
{
    return ca_graph_render(g, "svg", f, err);
}

static ca_status png(const ca_graph *g, FILE *f, ca_error *err)
{
    return ca_graph_render(g, "png", f, err);
}

static void test_writers(const ca_run *run)
{
    static const writer writers[] = {ca_graph_write_dot, ca_graph_write_graphml,
                                     ca_graph_write_gexf, ca_graph_write_json, svg};
    ca_graph *g1 = build(run, 0, 0, 1), *g2 = build(run, 0, 0, 1);
    json_error_t jerr;
    json_t *doc;
    size_t i;

    if (!g1 || !g2)
        goto out;
    for (i = 0; i < sizeof writers / sizeof writers[0]; i++) {
        char *a = write_mem(writers[i], g1, NULL), *b = write_mem(writers[i], g2, NULL);

        CHECK(a && b && !strcmp(a, b));
        if (i == 0 && a) {
            CHECK(strstr(a, "\"outlet.example\" -> \"example.org\"") != NULL);
            CHECK(strstr(a, "label=\"3 (3 failing: dead, dns)\"") != NULL);
            CHECK(strstr(a, "style=dashed") != NULL);
            CHECK(strstr(a, "label=\"2 (self)\"") != NULL);
            CHECK(strstr(a, "subgraph cluster_legend") != NULL);
            CHECK(strstr(a, "label=\"outlet.example\\n2 documents\"") != NULL);
            CHECK(strstr(a, "12 citations by link, 5 failing") != NULL);
            CHECK(strstr(a, "\"odd/\\\"q\\\" <a&b> back\\\\\"") != NULL);
        }
        if (i == 3 && a) {
            doc = json_loads(a, 0, &jerr);
            CHECK(doc != NULL);
            CHECK_INT(json_array_size(json_object_get(doc, "nodes")), g1->nnodes);
            CHECK_INT(json_array_size(json_object_get(doc, "edges")), g1->nedges);
            CHECK_INT(json_integer_value(json_object_get(doc, "failing")), 5);
            json_decref(doc);
        }
        if (i == 4 && a)
            CHECK(strstr(a, "<svg") != NULL && strstr(a, "outlet.example") != NULL);
        free(a);
        free(b);
    }
out:
    ca_graph_destroy(g1);
    ca_graph_destroy(g2);
}

/* PNG through cairo, and a graph big enough for sfdp. */
static void test_render(const ca_run *run)
{
    ca_graph *g = build(run, 0, 0, 1);
    ca_graph big;
    ca_error err = CA_ERROR_INIT;
    char *data = NULL;
    size_t len = 0;

    if (g) {
        char *p = write_mem(png, g, &len);

        CHECK(p && len > 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8));
        free(p);
        CHECK_INT(ca_graph_render_mem(g, "pdf", &data, &len, &err), CA_INVALID);
    }
    ca_graph_destroy(g);
    memset(&big, 0, sizeof big);
    big.nnodes = CA_GRAPH_RENDER_MAX_NODES + 1;
    ca_error_clear(&err);
    CHECK_INT(ca_graph_render_mem(&big, "svg", &data, &len, &err), CA_LIMIT);
    CHECK(strstr(ca_error_message(&err), "--format dot") != NULL);
    CHECK(strstr(ca_error_message(&err), "sfdp") != NULL);
}

static void test_sfdp(void)
{
    ca_check_opts co;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    ca_graph *g;
    char *text = malloc(600 * 48), *data = NULL;
    size_t i, used = 0, len = 0;

    ca_check_opts_init(&co);
    CHECK_INT(ca_run_create(&co, &run, &err), CA_OK);
    if (!text || !run)
        goto out;
    for (i = 0; i < CA_GRAPH_DOT_MAX_NODES + 20; i++)
        used += (size_t)sprintf(text + used, "[s](https://site%zu.example/)\n", i);
    fixture_add_md(run, "many.md", "many.example", text);
    g = build(run, 0, 0, 0);
    if (g) {
        CHECK(g->nnodes > CA_GRAPH_DOT_MAX_NODES);
        CHECK_INT(ca_graph_render_mem(g, "svg", &data, &len, &err), CA_OK);
        CHECK(data && strstr(data, "site519.example") != NULL);
        free(data);
    }
    ca_graph_destroy(g);
out:
    ca_run_destroy(run);
    free(text);
}

/* Every writer says so when the disk is full. */
static void test_full_disk(const ca_run *run)
{
    static const writer writers[] = {ca_graph_write_dot, ca_graph_write_graphml,
                                     ca_graph_write_gexf, ca_graph_write_json, svg};
    ca_graph *g = build(run, 0, 0, 1);
    size_t i;

    for (i = 0; g && i < sizeof writers / sizeof writers[0]; i++) {
        FILE *f = fopen("/dev/full", "w");
        ca_error err = CA_ERROR_INIT;

        if (!f) {
            printf("test-graph: no /dev/full, skipping the full-disk checks\n");
            break;
        }
        setvbuf(f, NULL, _IONBF, 0);
        CHECK_INT(writers[i](g, f, &err), CA_IO);
        CHECK(strstr(ca_error_message(&err), "cannot write the graph") != NULL);
        fclose(f);
    }
    ca_graph_destroy(g);
}

/*
 * "--emit FORMAT [articles]": print the graph of the hand-built run (links
 * checked, so failing edges too) for tests/e2e/graph-outputs.py, which has
 * Graphviz read the DOT and xmllint validate the XML.
 */
static int emit(const char *format, int articles)
{
    static const struct {
        const char *name;
        writer w;
    } formats[] = {{"dot", ca_graph_write_dot}, {"graphml", ca_graph_write_graphml},
                   {"gexf", ca_graph_write_gexf}, {"json", ca_graph_write_json},
                   {"svg", svg}};
    ca_error err = CA_ERROR_INIT;
    ca_run *run = make_run();
    ca_graph *g = run ? build(run, articles, 0, 1) : NULL;
    size_t i;
    int rc = 2;

    for (i = 0; g && i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(format, formats[i].name) != 0)
            continue;
        rc = formats[i].w(g, stdout, &err) == CA_OK && fflush(stdout) == 0 ? 0 : 1;
        if (rc)
            fprintf(stderr, "test-graph: %s\n", ca_error_message(&err));
    }
    if (rc == 2)
        fprintf(stderr, "test-graph: --emit dot|graphml|gexf|json|svg [articles]\n");
    ca_graph_destroy(g);
    ca_run_destroy(run);
    return rc || check_failures ? (rc ? rc : 1) : 0;
}

int main(int argc, char **argv)
{
    ca_error err = CA_ERROR_INIT;
    ca_run *run;

    CHECK_INT(ca_global_init(&err), CA_OK);
    if (argc >= 3 && !strcmp(argv[1], "--emit")) {
        int rc = emit(argv[2], argc > 3 && !strcmp(argv[3], "articles"));

        ca_global_cleanup();
        return rc;
    }
    run = make_run();
    if (run) {
        test_outlet_view(run);
        test_no_self_unchecked(run);
        test_articles(run);
        test_writers(run);
        test_render(run);
        test_full_disk(run);
    }
    test_classify();
    test_sfdp();
    ca_run_destroy(run);
    ca_global_cleanup();
    return check_done("test-graph");
}
