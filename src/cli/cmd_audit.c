/*
 * cmd_audit.c - `citeaudit audit`: the whole job in one command. Read the
 * inputs, check every link once, build the citation graph, and write the
 * report folder: graph.dot, graph.svg, links.json (check --format json),
 * broken.txt (the text report), junit.xml, rescued.md (dead citations with
 * an archived copy, ready to replace) and report.html.
 *
 * Every file is written whole or not at all (a temporary file in the same
 * folder, renamed over the old one), so a report folder never holds half a
 * file, and a file that cannot be written is named with the reason. With
 * no network the links are 'unknown', the files are still all written and
 * say so, and the exit status is 3, as for check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "citeaudit/graph.h"
#include "check_args.h"
#include "pipeline.h"
#include "report_html.h"
#include "audit_prov.h"

#define DEFAULT_DIR "citeaudit-report"

enum { OPT_ARTICLES = CLI_OPT_COMMAND, OPT_NO_SELF, OPT_NO_CHECK };

struct audit_args {
    struct check_args a;
    const char *dir;
    int articles, no_self, no_check;
    struct audit_prov prov; /* provenance: the corpus, the crawl, --depth */
};

/* The report folder and what has been written into it. */
struct outdir {
    const char *dir;
    const char *written[12]; /* names written, NULL-terminated */
    size_t nwritten;
    int failed;             /* a file could not be written */
};

static void help(void)
{
    printf("usage: citeaudit audit [OPTIONS] INPUT...\n\n"
           "Extract the citations of documents (files, directories, '-', @LIST, or\n"
           "http(s) URLs of pages), check each unique link once, draw who cites whom,\n"
           "and write the report folder:\n\n"
           "  report.html  the report to open in a browser (self-contained, offline)\n"
           "  graph.svg    the citation graph; graph.dot the same for Graphviz/Gephi\n"
           "  links.json   every link and its result (check --format json)\n"
           "  broken.txt   the failing links (check's text report)\n"
           "  provenance.json  text reuse, shared quotes, unlinked attributions, quote\n"
           "               support (the report also has them)\n"
           "  junit.xml    the same as JUnit XML for CI\n"
           "  rescued.md   dead citations with an archived copy: DEAD -> ARCHIVE lines\n\n"
           "  -o, --output DIR        the report folder (default " DEFAULT_DIR "/),\n"
           "                          created if missing; its files are replaced\n"
           "      --articles          draw outlet -> article -> source\n"
           "      --no-self           leave out outlets citing themselves\n"
           "      --no-check          do not use the network: results from the store,\n"
           "                          every other link 'unknown'\n\n");
    prov_args_help();
    printf("\n");
    check_args_help_common();
    printf("\nExit status: 0 nothing failing, 1 failing links found, 2 bad usage or an\n"
           "unreadable input, 3 no network (every link left 'unknown'; the report is\n"
           "still written) or a report file could not be written.\n");
}

static int extra_one(int c, const char *arg, void *ud)
{
    struct audit_args *aa = ud;

    switch (c) {
    case 'o':
        if (!*arg) {
            cli_error("--output: give a folder name");
            return -1;
        }
        aa->dir = arg;
        return 0;
    case OPT_ARTICLES: aa->articles = 1; return 0;
    case OPT_NO_SELF: aa->no_self = 1; return 0;
    case OPT_NO_CHECK: aa->no_check = 1; return 0;
    default: return prov_args_option(&aa->prov.pa, c, arg);
    }
}

/* ---- the report folder ---- */

/* mkdir -p dir. Returns 0, or -1 after naming what could not be made. */
static int make_dir(const char *dir)
{
    char *path = strdup(dir), *p;
    struct stat st;
    int rc = 0;

    if (!path) {
        cli_error("out of memory");
        return -1;
    }
    for (p = path + 1; rc == 0; p++) {
        char c = *p;

        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) < 0 && (errno != EEXIST || stat(path, &st) < 0 ||
                                      !S_ISDIR(st.st_mode))) {
            cli_error("cannot create the report folder '%s': %s; choose another with -o DIR",
                      path, errno == EEXIST ? "a file of that name is in the way"
                                            : strerror(errno));
            rc = -1;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(path);
    return rc;
}

/* Create and remove a file in dir: a read-only or full folder is found
 * before the run, not after it. */
static int probe_dir(const char *dir)
{
    char tmp[4096];
    int fd, w = snprintf(tmp, sizeof tmp, "%s/.tmp.probe.XXXXXX", dir);

    if (w < 0 || (size_t)w >= sizeof tmp) {
        cli_error("the report folder name '%s' is too long; choose another with -o DIR", dir);
        return -1;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error("cannot write into the report folder '%s': %s; choose another with -o DIR",
                  dir, strerror(errno));
        return -1;
    }
    close(fd);
    unlink(tmp);
    return 0;
}

/* dir/name into buf; -1 when it does not fit. */
static int join(char *buf, size_t n, const char *dir, const char *prefix, const char *name)
{
    size_t len = strlen(dir);
    int w = snprintf(buf, n, "%s%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", prefix,
                     name);

    return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* Writes one file's content; returns 0, or -1 with why filled when the
 * reason is not errno's (a library message). */
typedef int (*content_fn)(FILE *out, const void *ud, char *why, size_t n);

static mode_t file_mode(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return 0666 & ~mask;
}

/* Fill f (a temporary file), close it, and rename it to path: readers
 * never see half a report. f is closed whatever happens; errno or why
 * says what failed. */
static int write_atomic(FILE *f, const char *tmp, const char *path, content_fn fn,
                        const void *ud, char *why, size_t n)
{
    int ok = fn(f, ud, why, n) == 0 && fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
    int saved = errno;

    if (fclose(f) != 0)
        ok = 0;
    else if (!ok)
        errno = saved;
    if (!ok)
        return -1;
    return rename(tmp, path) < 0 ? -1 : 0;
}

static int write_file(struct outdir *od, const char *name, content_fn fn, const void *ud)
{
    char path[4096], tmp[4096], why[CA_ERROR_MSG_MAX] = "";
    FILE *f = NULL;
    int fd = -1;

    if (join(path, sizeof path, od->dir, "", name) < 0 ||
        join(tmp, sizeof tmp, od->dir, ".tmp.", name) < 0 ||
        strlen(tmp) + 8 > sizeof tmp) {
        cli_error("the report folder name '%s' is too long; choose another with -o DIR",
                  od->dir);
        goto fail;
    }
    strcat(tmp, ".XXXXXX");
    errno = 0;
    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error("cannot write '%s': %s", path, strerror(errno ? errno : EIO));
        goto fail;
    }
    if (fchmod(fd, file_mode()) < 0 || !(f = fdopen(fd, "w"))) {
        close(fd);
        goto fail_errno;
    }
    if (write_atomic(f, tmp, path, fn, ud, why, sizeof why) < 0)
        goto fail_errno; /* f is closed whatever happened */
    od->written[od->nwritten++] = name;
    od->written[od->nwritten] = NULL;
    if (!cli_quiet)
        fprintf(stderr, "wrote %s\n", path);
    return 0;

fail_errno:
    cli_error("cannot write '%s': %s", path, why[0] ? why : strerror(errno ? errno : EIO));
    unlink(tmp);
fail:
    od->failed = 1;
    return -1;
}

/* ---- the contents ---- */

struct content {
    const ca_run *run;
    const struct report_opts *ro;
    const ca_graph *g;
    const char *svg;
    size_t svg_len;
    const struct report_html_in *html;
    const struct audit_prov *prov;
};

static int graph_status(ca_status st, const ca_error *err, char *why, size_t n)
{
    if (st == CA_OK)
        return 0;
    if (st != CA_IO)
        snprintf(why, n, "%s", ca_error_message(err));
    return -1;
}

static int put_dot(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;
    ca_error err = CA_ERROR_INIT;

    return graph_status(ca_graph_write_dot(c->g, out, &err), &err, why, n);
}

static int put_svg(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;

    return fwrite(c->svg, 1, c->svg_len, out) == c->svg_len ? 0 : -1;
}

static int put_json(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;

    return report_json(out, c->run, c->ro);
}

static int put_text(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;
    struct report_opts ro = *c->ro;

    ro.colour = 0; /* a file: never terminal escapes */
    return report_text(out, c->run, &ro);
}

static int put_junit(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;

    return report_junit(out, c->run, c->ro);
}

static int put_rescued(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;

    return report_rescued_md(out, c->run, c->ro);
}

static int put_prov(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;

    return audit_prov_json(out, c->prov);
}

static int put_html(FILE *out, const void *ud, char *why, size_t n)
{
    const struct content *c = ud;

    return report_html(out, c->run, c->ro, c->html);
}

/* ---- the graph ---- */

/*
 * Build the graph and render its SVG into memory (graph.svg and the page
 * both use it). A graph too big to lay out is a warning: graph.dot is still
 * written and the page says why there is no picture. Returns the exit code.
 */
static int build_graph(const struct audit_args *aa, const ca_run *run, ca_graph **ret_g,
                       struct content *c, char *note, size_t n)
{
    ca_graph_opts go = {aa->articles, aa->no_self, report_have_results(run), NULL, NULL, 0};
    ca_error err = CA_ERROR_INIT;
    char *svg = NULL;
    size_t len = 0;
    ca_status st;

    audit_prov_graph(&aa->prov, &go);
    if (ca_graph_build(run, &go, aa->a.ro.fail_mask, ret_g, &err) != CA_OK) {
        cli_error("cannot build the citation graph: %s", ca_error_message(&err));
        snprintf(note, n, "The citation graph could not be built: %s", ca_error_message(&err));
        return cli_exit_code(err.code);
    }
    st = ca_graph_render_mem(*ret_g, "svg", &svg, &len, &err);
    if (st != CA_OK) {
        snprintf(note, n, "The graph is not drawn here: %s", ca_error_message(&err));
        if (st == CA_LIMIT) {
            cli_warn("graph.svg not written: %s", ca_error_message(&err));
            return EXIT_CLEAN;
        }
        cli_error("cannot draw the citation graph (graph.svg): %s", ca_error_message(&err));
        return cli_exit_code(st);
    }
    c->svg = svg;
    c->svg_len = len;
    return EXIT_CLEAN;
}

/* ---- the command ---- */

/* Write every file of the report. Returns the exit code it contributes. */
static int write_reports(const struct audit_args *aa, const ca_run *run, struct outdir *od)
{
    struct report_html_in in = {NULL, 0, NULL, !aa->no_check, od->written,
                                audit_prov_html(&aa->prov)};
    struct content c = {run, &aa->a.ro, NULL, NULL, 0, &in, &aa->prov};
    ca_graph *g = NULL;
    char note[CA_ERROR_MSG_MAX + 64] = "";
    int rc;

    rc = build_graph(aa, run, &g, &c, note, sizeof note);
    c.g = g;
    if (g)
        write_file(od, "graph.dot", put_dot, &c);
    if (c.svg)
        write_file(od, "graph.svg", put_svg, &c);
    write_file(od, "links.json", put_json, &c);
    write_file(od, "broken.txt", put_text, &c);
    write_file(od, "junit.xml", put_junit, &c);
    if (aa->prov.ready)
        write_file(od, "provenance.json", put_prov, &c);
    write_file(od, "rescued.md", put_rescued, &c);
    in.svg = c.svg;
    in.svg_len = c.svg_len;
    in.graph_note = note[0] ? note : NULL;
    write_file(od, "report.html", put_html, &c);
    free((char *)c.svg);
    ca_graph_destroy(g);
    return pipeline_worst(rc, od->failed ? EXIT_ENV : EXIT_CLEAN);
}

/* The summary on stderr, and where the report is. */
static void tell(const ca_run *run, const struct report_opts *ro, const struct outdir *od)
{
    struct report_summary s;
    char path[4096];

    report_summarise(run, ro, &s);
    report_summary_line(stderr, run, &s);
    fputc('\n', stderr);
    if (!od->failed && join(path, sizeof path, od->dir, "", "report.html") == 0)
        fprintf(stderr, "report: %s\n", path);
}

static int audit(struct audit_args *aa, char **inputs, int ninputs)
{
    struct outdir od = {aa->dir, {NULL}, 0, 0};
    struct pipeline_opts po;
    ca_run *run = NULL;
    int rc;

    /* The folder first: a run that cannot be written should not take the
     * network's time to find out. */
    if (make_dir(aa->dir) < 0 || probe_dir(aa->dir) < 0)
        return EXIT_ENV;
    po = check_args_pipeline(&aa->a, aa->a.ro.body_only, aa->no_check);
    pipeline_signals();
    rc = audit_prov_begin(&aa->prov);
    if (rc == EXIT_CLEAN)
        rc = pipeline_read(&po, inputs, ninputs, &run);
    if (run) {
        if (aa->no_check)
            run->finished = run->started;
        else
            rc = pipeline_worst(rc, audit_prov_check(&aa->prov, &aa->a, run));
        rc = pipeline_worst(rc, audit_prov_finish(&aa->prov, run, !aa->no_check));
        rc = pipeline_worst(rc, write_reports(aa, run, &od));
        rc = pipeline_worst(rc, report_any_failing(run, &aa->a.ro) ? EXIT_FAILING : EXIT_CLEAN);
        tell(run, &aa->a.ro, &od);
        if (pipeline_interrupted) {
            cli_note("interrupted: the report covers the links checked so far");
            rc = 130;
        }
    }
    audit_prov_release(&aa->prov);
    ca_run_destroy(run);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option extra[] = {
        {"output", required_argument, NULL, 'o'},
        {"articles", no_argument, NULL, OPT_ARTICLES},
        {"no-self", no_argument, NULL, OPT_NO_SELF},
        {"no-check", no_argument, NULL, OPT_NO_CHECK},
        PROV_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    struct audit_args aa;
    struct cmd_spec spec = {"audit", help, extra, "o:", extra_one, &aa};
    int rc;

    memset(&aa, 0, sizeof aa);
    aa.dir = DEFAULT_DIR;
    prov_args_init(&aa.prov.pa);
    rc = check_args_parse(argc, argv, &aa.a, &spec);
    if (rc == 0)
        rc = audit(&aa, argv + aa.a.first_input, argc - aa.a.first_input);
    else
        rc = rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    check_args_release(&aa.a);
    return rc;
}
