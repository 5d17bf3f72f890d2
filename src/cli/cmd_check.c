/*
 * cmd_check.c - `citeaudit check`: read the inputs (fetching the pages given
 * as URLs), check every unique link once, print the report, and say in the
 * exit status whether anything fails. The work is the library's; this file
 * only sequences it and talks to the user.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_args.h"

static ca_checker *volatile interrupt_target;
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    if (interrupt_target)
        ca_checker_interrupt(interrupt_target);
}

static int worst(int a, int b)
{
    return a > b ? a : b;
}

struct progress {
    int on;
    int shown;
};

static void show_progress(const ca_check_progress *p, void *ud)
{
    struct progress *pr = ud;
    double rate = p->elapsed_s > 0 ? (double)p->done / p->elapsed_s : 0;

    if (!pr->on)
        return;
    fprintf(stderr, "\r\033[Kchecking: %zu/%zu links, %.0f/s, %zu failing", p->done, p->total,
            rate, p->failing);
    pr->shown = 1;
}

static void end_progress(struct progress *pr)
{
    if (pr->shown)
        fputs("\r\033[K", stderr);
    pr->shown = 0;
}

/* Run the checker; returns the exit code it contributes. */
static int run_checks(ca_run *run, struct progress *pr)
{
    ca_error err = CA_ERROR_INIT;
    ca_status st = ca_checker_run(run->chk, show_progress, pr, &err);

    end_progress(pr);
    if (st == CA_ENV) {
        run->network_down = 1;
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    if (st != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return cli_exit_code(st);
    }
    return EXIT_CLEAN;
}

static int add_doc(ca_run *run, const struct check_args *a, ca_doc *doc, const char *origin)
{
    ca_error err = CA_ERROR_INIT;
    ca_status st;

    cli_print_doc_warnings(doc);
    st = ca_run_add_doc(run, doc, origin, a->ro.body_only, &err);
    if (st != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return cli_exit_code(st);
    }
    if (doc->links_dropped)
        return EXIT_USAGE;
    return EXIT_CLEAN;
}

static int input_failed(ca_run *run, const char *origin, const char *why, int code)
{
    ca_error err = CA_ERROR_INIT;

    cli_error("%s", why);
    if (ca_run_add_failed(run, origin, why, &err) != CA_OK)
        cli_error("%s", ca_error_message(&err));
    return code;
}

/* Extract a page fetched for a URL input. */
static int extract_fetched(ca_run *run, const struct check_args *a, const char *url, size_t id)
{
    const ca_result *res = ca_checker_result(run->chk, id);
    ca_extract_opts ex = a->ex;
    ca_error err = CA_ERROR_INIT;
    const char *body, *ctype;
    ca_doc *doc = NULL;
    char why[1024], code[24] = "";
    size_t len;
    int rc;

    body = ca_checker_body(run->chk, id, &len, &ctype);
    if (res->cls == CA_CLASS_UNKNOWN && run->network_down)
        return EXIT_ENV;
    if ((res->cls != CA_CLASS_OK && res->cls != CA_CLASS_REDIRECTED) || !body) {
        if (res->http_code)
            snprintf(code, sizeof code, ", HTTP %d", res->http_code);
        snprintf(why, sizeof why, "%s: cannot fetch the page: %s%s (%s)", url,
                 ca_class_name(res->cls), code, res->error ? res->error : ca_class_text(res->cls));
        return input_failed(run, url, why, EXIT_USAGE);
    }
    ex.base_url = res->final_url ? res->final_url : url;
    if (ca_extract_mem(url, NULL, body, len, &ex, &doc, &err) != CA_OK) {
        snprintf(why, sizeof why, "%s", ca_error_message(&err));
        rc = input_failed(run, url, why, cli_exit_code(err.code));
    } else {
        rc = add_doc(run, a, doc, url);
    }
    ca_doc_destroy(doc);
    ca_checker_drop_body(run->chk, id);
    return rc;
}

/* Fetch every URL input as a page, then extract them in input order. */
static int read_urls(ca_run *run, const struct check_args *a, const ca_inputs *in,
                     struct progress *pr)
{
    ca_error err = CA_ERROR_INIT;
    size_t *ids = calloc(in->n ? in->n : 1, sizeof *ids), k;
    int rc = EXIT_CLEAN, any = 0;

    if (!ids) {
        cli_error("out of memory");
        return EXIT_ENV;
    }
    for (k = 0; k < in->n; k++) {
        if (!ca_input_is_url(in->items[k]))
            continue;
        if (ca_checker_add_fetch(run->chk, in->items[k], &ids[k], &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            free(ids);
            return cli_exit_code(err.code);
        }
        any = 1;
    }
    if (any) {
        rc = run_checks(run, pr);
        for (k = 0; k < in->n && !interrupted; k++)
            if (ca_input_is_url(in->items[k]))
                rc = worst(rc, extract_fetched(run, a, in->items[k], ids[k]));
    }
    free(ids);
    return rc;
}

static int read_files(ca_run *run, const struct check_args *a, const ca_inputs *in)
{
    ca_error err;
    int rc = EXIT_CLEAN;
    size_t k;

    for (k = 0; k < in->n && !interrupted; k++) {
        ca_doc *doc = NULL;

        if (ca_input_is_url(in->items[k]))
            continue;
        ca_error_clear(&err);
        if (ca_extract_file(in->items[k], &a->ex, &doc, &err) != CA_OK) {
            rc = worst(rc, input_failed(run, in->items[k], ca_error_message(&err),
                                        cli_exit_code(err.code)));
            continue;
        }
        rc = worst(rc, add_doc(run, a, doc, NULL));
        ca_doc_destroy(doc);
    }
    return rc;
}

static int expand_inputs(const struct check_args *a, int argc, char **argv, ca_inputs *in)
{
    ca_error err;
    int rc = EXIT_CLEAN, i;

    for (i = a->first_input; i < argc; i++) {
        ca_error_clear(&err);
        if (ca_inputs_add(in, argv[i], &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            rc = worst(rc, cli_exit_code(err.code));
        }
    }
    return rc;
}

/* 1 when a citation of the run fails, else 0. */
static int any_failing(const ca_run *run, const struct report_opts *ro)
{
    size_t i;

    for (i = 0; i < run->ncites; i++)
        if (report_fails(ro, ca_run_result(run, &run->cites[i])->cls))
            return EXIT_FAILING;
    return EXIT_CLEAN;
}

static int render(const struct check_args *a, const ca_run *run)
{
    struct report_opts ro = a->ro;
    const char *nc = getenv("NO_COLOR");

    ro.colour = isatty(1) && !(nc && *nc);
    if (a->render(stdout, run, &ro) < 0 || fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

static int check(struct check_args *a, int argc, char **argv, ca_manifest *manifest)
{
    struct progress pr = {isatty(2) && !cli_quiet, 0};
    ca_error err = CA_ERROR_INIT;
    ca_run *run = NULL;
    ca_inputs in;
    int rc;

    ca_inputs_init(&in, a->manifest_path);
    a->ex.manifest = manifest;
    rc = expand_inputs(a, argc, argv, &in);
    if (ca_run_create(&a->chk, &run, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        ca_inputs_release(&in);
        return cli_exit_code(err.code);
    }
    interrupt_target = run->chk;
    rc = worst(rc, read_urls(run, a, &in, &pr));
    rc = worst(rc, read_files(run, a, &in));
    if (!interrupted && !run->network_down)
        rc = worst(rc, run_checks(run, &pr));
    run->finished = (int64_t)time(NULL);
    rc = worst(rc, render(a, run));
    rc = worst(rc, any_failing(run, &a->ro));
    if (interrupted) {
        cli_note("interrupted: the report covers the links checked so far");
        rc = 130;
    }
    interrupt_target = NULL;
    ca_run_destroy(run);
    ca_inputs_release(&in);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    struct check_args a;
    ca_manifest *manifest = NULL;
    ca_error err = CA_ERROR_INIT;
    struct sigaction sa;
    int rc;

    memset(&a, 0, sizeof a);
    rc = check_args_parse(argc, argv, &a);
    if (rc) {
        check_args_release(&a);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (a.manifest_path && ca_manifest_load(a.manifest_path, &manifest, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        check_args_release(&a);
        return EXIT_USAGE;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = check(&a, argc, argv, manifest);
    ca_manifest_destroy(manifest);
    check_args_release(&a);
    return rc;
}
