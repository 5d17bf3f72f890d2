/*
 * graph-build.c - the graph part of bench/graph-scale, alone: read the
 * documents and citations the generator wrote (graph-input.tsv: a line
 * "D<TAB>file<TAB>outlet<TAB>url<TAB>published" per document, then a line
 * "C<TAB>href" per citation of it) into a run in memory, the way the CLI
 * does (ca_doc_create, ca_citation_set_href against the document's URL,
 * ca_run_add_doc with body citations only); then time, with
 * clock_gettime, ca_graph_build, ca_graph_write_dot and ca_graph_write_gexf
 * (each output file closed inside its timing), and report peak RSS.
 *
 *   graph-build [--articles] [--no-self] [--fail-rate P] INPUT DOT GEXF
 *
 * --fail-rate P marks a share P of the unique URLs dead (chosen by a hash
 * of the URL, so the same ones every run) and builds a checked graph, so
 * failing edges and their classes are written too; without it the graph is
 * the --no-check one. Reading the input is not part of the graph and is
 * reported apart (setup_s).
 *
 * Output, one "name: value" a line: docs, cites, links, sources, setup_s,
 * build_s, dot_s, gexf_s, graph_s (build + DOT + GEXF), destroy_s, nodes,
 * edges, dot_bytes, gexf_bytes, rss_setup_peak_mb (peak while reading),
 * rss_before_mb (resident when the graph starts), rss_build_peak_mb and
 * rss_dot_peak_mb (peak of the process after the build and after DOT),
 * rss_peak_mb (peak of the process at the end, run included).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "citeaudit/check.h"
#include "citeaudit/doc.h"
#include "citeaudit/graph.h"
#include "citeaudit/run.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident set of the process so far, in MiB. */
static double peak_mb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Resident set now, in MiB (from /proc/self/statm). */
static double rss_now_mb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;

    if (!f)
        return 0;
    if (fscanf(f, "%lu %lu", &size, &res) != 2)
        res = 0;
    fclose(f);
    return (double)res * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static int die(const char *what, const ca_error *err)
{
    fprintf(stderr, "graph-build: %s: %s\n", what, ca_error_message(err));
    return 1;
}

static uint32_t fnv(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* Split line at tabs into at most max fields (in place); returns the count. */
static int split(char *line, char **f, int max)
{
    int n = 0;

    while (n < max) {
        char *t = strchr(line, '\t');

        f[n++] = line;
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static int flush_doc(ca_run *run, ca_doc **doc, ca_error *err)
{
    ca_status st;

    if (!*doc)
        return 0;
    st = ca_run_add_doc(run, *doc, NULL, 1, err);
    ca_doc_destroy(*doc);
    *doc = NULL;
    return st == CA_OK ? 0 : -1;
}

/* Read path into run; -1 with a message on failure. */
static int load(const char *path, ca_run *run, ca_error *err)
{
    FILE *in = fopen(path, "r");
    char *line = NULL, *f[5];
    size_t cap = 0, lineno = 0;
    ssize_t len;
    ca_doc *doc = NULL;

    if (!in) {
        fprintf(stderr, "graph-build: cannot open '%s': %s\n", path, strerror(errno));
        return -1;
    }
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[0] == 'D' && line[1] == '\t') {
            if (split(line + 2, f, 4) != 4)
                goto bad;
            if (flush_doc(run, &doc, err) < 0)
                goto fail;
            doc = ca_doc_create(f[0]);
            if (!doc || ca_doc_set_str(&doc->outlet, *f[1] ? f[1] : NULL) != CA_OK ||
                ca_doc_set_str(&doc->url, *f[2] ? f[2] : NULL) != CA_OK ||
                ca_doc_set_str(&doc->published, *f[3] ? f[3] : NULL) != CA_OK) {
                ca_error_set(err, CA_NOMEM, "out of memory");
                goto fail;
            }
        } else if (line[0] == 'C' && line[1] == '\t') {
            ca_citation *c;

            if (!doc)
                goto bad;
            if (ca_doc_add_citation(doc, &c) != CA_OK) {
                ca_error_set(err, CA_NOMEM, "out of memory");
                goto fail;
            }
            if (ca_citation_set_href(c, line + 2, doc->url, err) != CA_OK)
                goto fail;
            c->line = (unsigned)lineno;
            c->col = 1;
            c->region = CA_REGION_BODY;
        } else if (line[0] != '#' && line[0] != '\0') {
            goto bad;
        }
    }
    if (flush_doc(run, &doc, err) < 0)
        goto fail;
    free(line);
    fclose(in);
    return 0;
bad:
    fprintf(stderr, "graph-build: %s:%zu: expected 'D<TAB>file<TAB>outlet<TAB>url<TAB>published'"
                    " or 'C<TAB>href'\n",
            path, lineno);
    free(line);
    ca_doc_destroy(doc);
    fclose(in);
    return -1;
fail:
    fprintf(stderr, "graph-build: %s:%zu: %s\n", path, lineno, ca_error_message(err));
    free(line);
    ca_doc_destroy(doc);
    fclose(in);
    return -1;
}

static long file_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: graph-build [--articles] [--no-self] [--fail-rate P] INPUT DOT GEXF\n");
}

int main(int argc, char **argv)
{
    ca_graph_opts gopts = {0};
    ca_check_opts copts;
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    ca_graph *g = NULL;
    double fail_rate = 0, t0, t_setup, t_build, t_dot, t_gexf, t_destroy, rss_before,
           setup_peak, build_peak, dot_peak;
    unsigned fail_mask = 0;
    int i, c;
    FILE *out;

    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--articles")) {
            gopts.articles = 1;
        } else if (!strcmp(argv[i], "--no-self")) {
            gopts.no_self = 1;
        } else if (!strcmp(argv[i], "--fail-rate") && i + 1 < argc) {
            char *end;

            fail_rate = strtod(argv[++i], &end);
            if (*end || fail_rate < 0 || fail_rate > 1) {
                fprintf(stderr, "graph-build: --fail-rate takes a number from 0 to 1\n");
                return 2;
            }
        } else {
            usage();
            return 2;
        }
    }
    if (argc - i != 3) {
        usage();
        return 2;
    }
    for (c = 0; c < CA_CLASS_COUNT; c++)
        if (ca_class_fails_by_default((ca_class)c))
            fail_mask |= 1u << c;

    t0 = now();
    ca_check_opts_init(&copts);
    if (ca_run_create(&copts, &run, &err) != CA_OK)
        return die("creating the run", &err);
    if (load(argv[i], run, &err) < 0)
        return 1;
    if (fail_rate > 0) {
        /* Stand-in for a check: a fixed share of the URLs is dead. */
        size_t id, n = ca_checker_count(run->chk);

        for (id = 0; id < n; id++) {
            ca_result *r = (ca_result *)ca_checker_result(run->chk, id);

            if (r && fnv(ca_checker_url(run->chk, id)) % 10000 < (uint32_t)(fail_rate * 10000)) {
                r->cls = CA_CLASS_DEAD;
                r->http_code = 404;
            } else if (r) {
                r->cls = CA_CLASS_OK;
                r->http_code = 200;
            }
        }
        gopts.checked = 1;
    }
    t_setup = now() - t0;
    setup_peak = peak_mb();
    rss_before = rss_now_mb();

    t0 = now();
    if (ca_graph_build(run, &gopts, fail_mask, &g, &err) != CA_OK)
        return die("building the graph", &err);
    t_build = now() - t0;
    build_peak = peak_mb();

    t0 = now();
    out = fopen(argv[i + 1], "w");
    if (!out) {
        fprintf(stderr, "graph-build: cannot write '%s': %s\n", argv[i + 1], strerror(errno));
        return 1;
    }
    if (ca_graph_write_dot(g, out, &err) != CA_OK)
        return die("writing DOT", &err);
    if (fclose(out) != 0) {
        fprintf(stderr, "graph-build: writing '%s': %s\n", argv[i + 1], strerror(errno));
        return 1;
    }
    t_dot = now() - t0;
    dot_peak = peak_mb();

    t0 = now();
    out = fopen(argv[i + 2], "w");
    if (!out) {
        fprintf(stderr, "graph-build: cannot write '%s': %s\n", argv[i + 2], strerror(errno));
        return 1;
    }
    if (ca_graph_write_gexf(g, out, &err) != CA_OK)
        return die("writing GEXF", &err);
    if (fclose(out) != 0) {
        fprintf(stderr, "graph-build: writing '%s': %s\n", argv[i + 2], strerror(errno));
        return 1;
    }
    t_gexf = now() - t0;

    printf("docs: %zu\ncites: %zu\nlinks: %zu\nsources: %zu\n", run->ndocs, run->ncites,
           ca_checker_count(run->chk), run->nsources);
    printf("nodes: %zu\nedges: %zu\n", g->nnodes, g->nedges);
    t0 = now();
    ca_graph_destroy(g);
    t_destroy = now() - t0;
    printf("setup_s: %.3f\nbuild_s: %.3f\ndot_s: %.3f\ngexf_s: %.3f\ngraph_s: %.3f\n"
           "destroy_s: %.3f\n",
           t_setup, t_build, t_dot, t_gexf, t_build + t_dot + t_gexf, t_destroy);
    printf("dot_bytes: %ld\ngexf_bytes: %ld\n", file_size(argv[i + 1]), file_size(argv[i + 2]));
    printf("rss_setup_peak_mb: %.1f\nrss_before_mb: %.1f\nrss_build_peak_mb: %.1f\n"
           "rss_dot_peak_mb: %.1f\nrss_peak_mb: %.1f\n",
           setup_peak, rss_before, build_peak, dot_peak, peak_mb());
    ca_run_destroy(run);
    return 0;
}
