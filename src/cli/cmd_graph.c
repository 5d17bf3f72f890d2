/*
 * cmd_graph.c - `citeaudit graph`: read the inputs, check their citations
 * (unless --no-check), and write the citation graph as DOT, SVG, PNG,
 * GraphML, GEXF or JSON. The graph is the library's (graph.h); this file
 * sequences the steps and writes the output, to -o FILE atomically (a
 * temporary file beside it, renamed into place) or to standard output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_args.h"
#include "citeaudit/graph.h"
#include "audit_prov.h"
#include "pipeline.h"

typedef ca_status (*graph_writer)(const ca_graph *g, FILE *out, ca_error *err);

static ca_status write_svg(const ca_graph *g, FILE *out, ca_error *err)
{
    return ca_graph_render(g, "svg", out, err);
}

static ca_status write_png(const ca_graph *g, FILE *out, ca_error *err)
{
    return ca_graph_render(g, "png", out, err);
}

static const struct {
    const char *name;
    graph_writer write;
    int binary;
} formats[] = {
    {"dot", ca_graph_write_dot, 0},
    {"svg", write_svg, 0},
    {"png", write_png, 1},
    {"graphml", ca_graph_write_graphml, 0},
    {"gexf", ca_graph_write_gexf, 0},
    {"json", ca_graph_write_json, 0},
};

struct graph_args {
    struct check_args common;
    int format; /* index in formats */
    const char *output;
    int no_check, articles, no_self;
};

static void help(void)
{
    printf("usage: citeaudit graph [OPTIONS] INPUT...\n\n"
           "Draw who cites whom: outlets (or, for a document whose outlet is unknown,\n"
           "the document) on one side, the sources their articles cite by link on the\n"
           "other, edges weighted by the number of citations. Links are checked first\n"
           "(as by 'citeaudit check'; with --no-check the store's results are used)\n"
           "and edges holding failing links drawn red and dashed.\n\n"
           "  -f, --format FMT        dot (default), svg, png, graphml, gexf (Gephi) or\n"
           "                          json\n"
           "  -o, --output FILE       write there (replaced atomically), not to stdout\n"
           "      --no-check          no network: draw from the documents, with the\n"
           "                          results kept in the store when it has some\n"
           "      --articles          outlet -> article -> source instead of\n"
           "                          outlet -> source\n"
           "      --no-self           leave out citations of an outlet by itself\n\n"
           "SVG and PNG are laid out in-process with Graphviz (dot; sfdp above %d\n"
           "nodes); above %d nodes write dot and use an external layout, e.g.\n"
           "'sfdp -Tsvg graph.dot -o graph.svg', or open gexf in Gephi.\n\n",
           CA_GRAPH_DOT_MAX_NODES, CA_GRAPH_RENDER_MAX_NODES);
    check_args_help_common();
    printf("\nExit status: 0 graph written and nothing failing, 1 failing links found,\n"
           "2 bad usage or an unreadable input, 3 no network (links left unchecked)\n"
           "or the output cannot be written.\n");
}

enum { OPT_NO_CHECK = CLI_OPT_COMMAND, OPT_ARTICLES, OPT_NO_SELF };

static int extra_one(int c, const char *arg, void *ud)
{
    struct graph_args *a = ud;
    size_t i;

    switch (c) {
    case 'f':
        for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
            if (!strcmp(arg, formats[i].name)) {
                a->format = (int)i;
                return 0;
            }
        }
        cli_error("--format: '%s' is not a format of graph; use dot, svg, png, graphml, gexf "
                  "or json", arg);
        return -1;
    case 'o': a->output = arg; return 0;
    case OPT_NO_CHECK: a->no_check = 1; return 0;
    case OPT_ARTICLES: a->articles = 1; return 0;
    case OPT_NO_SELF: a->no_self = 1; return 0;
    default: return 2;
    }
}

/* Write g to a temporary file beside path, then rename it into place. */
static int write_file(const struct graph_args *a, const ca_graph *g)
{
    char *tmp = malloc(strlen(a->output) + 16);
    ca_error err = CA_ERROR_INIT;
    FILE *f = NULL;
    mode_t mask;
    int fd = -1, rc = EXIT_ENV;

    if (!tmp) {
        cli_error("out of memory");
        return EXIT_ENV;
    }
    sprintf(tmp, "%s.tmp-XXXXXX", a->output);
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error("cannot write '%s': %s; check that its directory exists and is writable",
                  a->output, strerror(errno));
        free(tmp);
        return EXIT_ENV;
    }
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(f = fdopen(fd, "wb"))) {
        cli_error("cannot write '%s': %s", a->output, strerror(errno));
        goto out;
    }
    fd = -1;
    if (formats[a->format].write(g, f, &err) != CA_OK) {
        cli_error("%s: %s", a->output, ca_error_message(&err));
        rc = cli_exit_code(err.code) == EXIT_USAGE ? EXIT_USAGE : EXIT_ENV;
        goto out;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
        cli_error("cannot write '%s': %s", a->output, strerror(errno ? errno : EIO));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        cli_error("cannot write '%s': %s", a->output, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp, a->output) != 0) {
        cli_error("cannot write '%s': %s", a->output, strerror(errno));
        goto out;
    }
    rc = EXIT_CLEAN;
out:
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (rc != EXIT_CLEAN)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int write_stdout(const struct graph_args *a, const ca_graph *g)
{
    ca_error err = CA_ERROR_INIT;

    if (formats[a->format].binary && isatty(1)) {
        cli_error("not writing a PNG image to the terminal; use -o FILE or redirect "
                  "standard output");
        return EXIT_USAGE;
    }
    errno = 0;
    if (formats[a->format].write(g, stdout, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return err.code == CA_IO ? EXIT_ENV : cli_exit_code(err.code);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

/* Build the graph of run (with the reuse edges of prov) and write it;
 * returns the exit code. */
static int draw(const struct graph_args *a, const ca_run *run, const struct audit_prov *prov)
{
    ca_graph_opts go = {a->articles, a->no_self, report_have_results(run), NULL, NULL, 0};
    ca_error err = CA_ERROR_INIT;
    ca_graph *g = NULL;
    int rc;

    audit_prov_graph(prov, &go);
    if (ca_graph_build(run, &go, a->common.ro.fail_mask, &g, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return cli_exit_code(err.code);
    }
    rc = a->output && strcmp(a->output, "-") != 0 ? write_file(a, g) : write_stdout(a, g);
    if (rc == EXIT_CLEAN && g->nfailing)
        rc = EXIT_FAILING;
    ca_graph_destroy(g);
    return rc;
}

int cmd_graph(int argc, char **argv)
{
    static const struct option extra[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"no-check", no_argument, NULL, OPT_NO_CHECK},
        {"articles", no_argument, NULL, OPT_ARTICLES},
        {"no-self", no_argument, NULL, OPT_NO_SELF},
        {NULL, 0, NULL, 0},
    };
    struct graph_args a;
    struct cmd_spec spec = {"graph", help, extra, "f:o:", extra_one, &a};
    struct pipeline_opts po;
    struct audit_prov prov; /* with --articles: the documents' text reuse */
    ca_run *run = NULL;
    int rc;

    memset(&a, 0, sizeof a);
    memset(&prov, 0, sizeof prov);
    prov_args_init(&prov.pa);
    rc = check_args_parse(argc, argv, &a.common, &spec);
    if (rc) {
        check_args_release(&a.common);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    /* Only body citations are drawn, so only they are checked. */
    po = check_args_pipeline(&a.common, 1, a.no_check);
    pipeline_signals();
    rc = a.articles ? audit_prov_begin(&prov) : EXIT_CLEAN;
    if (rc == EXIT_CLEAN)
        rc = pipeline_read(&po, argv + a.common.first_input, argc - a.common.first_input,
                           &run);
    if (run) {
        if (!a.no_check)
            rc = pipeline_worst(rc, pipeline_check(run));
        rc = pipeline_worst(rc, audit_prov_finish(&prov, run, 0));
        rc = pipeline_worst(rc, draw(&a, run, &prov));
        if (pipeline_interrupted) {
            cli_note("interrupted: the graph covers the links checked so far");
            rc = 130;
        }
    }
    audit_prov_release(&prov);
    ca_run_destroy(run);
    check_args_release(&a.common);
    return rc;
}
