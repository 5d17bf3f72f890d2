/*
 * pipeline.c - reading inputs into a run and checking its links, shared by
 * check, graph and audit. URL inputs are fetched through the checker itself
 * (so they get the same politeness, retries and limits) and extracted from
 * memory with the final URL as their base.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipeline.h"

volatile sig_atomic_t pipeline_interrupted;
static ca_checker *volatile interrupt_target;
static struct store_args *store_target; /* the store of this command, or NULL */
static ca_prov *prov_target;             /* where documents also go, or NULL */
static int (*after_checks)(ca_run *run, void *ud); /* the crawl, or NULL */
static void *after_ud;

static void on_sigint(int sig)
{
    (void)sig;
    pipeline_interrupted = 1;
    if (interrupt_target)
        ca_checker_interrupt(interrupt_target);
}

int pipeline_worst(int a, int b)
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

static int add_doc(ca_run *run, const struct pipeline_opts *po, ca_doc *doc, const char *origin)
{
    ca_error err = CA_ERROR_INIT;
    ca_status st;

    cli_print_doc_warnings(doc);
    st = ca_run_add_doc(run, doc, origin, po->body_only, &err);
    if (st == CA_OK && prov_target) /* an input given as URL is known by it */
        st = ca_prov_add(prov_target, doc, origin, 0,
                         origin && ca_input_is_url(origin) ? origin : NULL, NULL, &err);
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
static int extract_fetched(ca_run *run, const struct pipeline_opts *po, const char *url, size_t id)
{
    const ca_result *res = ca_checker_result(run->chk, id);
    ca_extract_opts ex = *po->ex;
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
        rc = add_doc(run, po, doc, url);
    }
    ca_doc_destroy(doc);
    ca_checker_drop_body(run->chk, id);
    return rc;
}

/* Fetch every URL input as a page, then extract them in input order. */
static int read_urls(ca_run *run, const struct pipeline_opts *po, const ca_inputs *in,
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
        if (po->no_network || (store_target && store_args_no_requests(store_target))) {
            char why[512];

            snprintf(why, sizeof why, "%s: a URL input needs the network; save the page "
                     "and pass --base-url, or leave out %s", in->items[k],
                     po->no_network ? "--no-check" : "--offline and --replay");
            rc = pipeline_worst(rc, input_failed(run, in->items[k], why, EXIT_USAGE));
            continue;
        }
        if (ca_checker_add_fetch(run->chk, in->items[k], &ids[k], &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            free(ids);
            return cli_exit_code(err.code);
        }
        any = 1;
    }
    if (any) {
        rc = pipeline_worst(rc, run_checks(run, pr));
        for (k = 0; k < in->n && !pipeline_interrupted; k++)
            if (ca_input_is_url(in->items[k]))
                rc = pipeline_worst(rc, extract_fetched(run, po, in->items[k], ids[k]));
    }
    free(ids);
    return rc;
}

static int read_files(ca_run *run, const struct pipeline_opts *po, const ca_inputs *in)
{
    ca_error err;
    int rc = EXIT_CLEAN;
    size_t k;

    for (k = 0; k < in->n && !pipeline_interrupted; k++) {
        ca_doc *doc = NULL;

        if (ca_input_is_url(in->items[k]))
            continue;
        ca_error_clear(&err);
        if (ca_extract_file(in->items[k], po->ex, &doc, &err) != CA_OK) {
            rc = pipeline_worst(rc, input_failed(run, in->items[k], ca_error_message(&err),
                                        cli_exit_code(err.code)));
            continue;
        }
        rc = pipeline_worst(rc, add_doc(run, po, doc, NULL));
        ca_doc_destroy(doc);
    }
    return rc;
}

static int expand_inputs(char **args, int nargs, ca_inputs *in)
{
    ca_error err;
    int rc = EXIT_CLEAN, i;

    for (i = 0; i < nargs; i++) {
        ca_error_clear(&err);
        if (ca_inputs_add(in, args[i], &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            rc = pipeline_worst(rc, cli_exit_code(err.code));
        }
    }
    return rc;
}


void pipeline_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int progress_on(void)
{
    return isatty(2) && !cli_quiet;
}

int pipeline_read(const struct pipeline_opts *po, char **args, int nargs, ca_run **ret_run)
{
    struct progress pr = {progress_on(), 0};
    ca_error err = CA_ERROR_INIT;
    ca_inputs in;
    int rc;

    *ret_run = NULL;
    ca_inputs_init(&in, po->manifest_path);
    rc = expand_inputs(args, nargs, &in);
    /* check_args_parse makes the store the checker's hooks.ud */
    store_target = po->chk->hooks.on_result ? po->chk->hooks.ud : NULL;
    if (store_target) {
        int src = store_args_open(store_target, po->no_network);

        if (src != EXIT_CLEAN) {
            ca_inputs_release(&in);
            return pipeline_worst(rc, src);
        }
    }
    if (ca_run_create(po->chk, ret_run, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        ca_inputs_release(&in);
        return cli_exit_code(err.code);
    }
    interrupt_target = (*ret_run)->chk;
    rc = pipeline_worst(rc, read_urls(*ret_run, po, &in, &pr));
    rc = pipeline_worst(rc, read_files(*ret_run, po, &in));
    ca_inputs_release(&in);
    if (store_target) {
        rc = pipeline_worst(rc, store_args_save_docs(store_target, *ret_run));
        if (po->no_network) /* --no-check: draw from the stored results */
            rc = pipeline_worst(rc, store_args_load(store_target, *ret_run));
    }
    return rc;
}

int pipeline_check(ca_run *run)
{
    struct progress pr = {progress_on(), 0};
    ca_error err = CA_ERROR_INIT;
    int rc = EXIT_CLEAN, skip = 0;

    interrupt_target = run->chk;
    if (store_target) /* fresh stored results, --offline, --replay */
        rc = store_args_prepare(store_target, run, &skip);
    if (!pipeline_interrupted && !run->network_down && !skip && rc < EXIT_ENV)
        rc = pipeline_worst(rc, run_checks(run, &pr));
    /* what follows the checks (the crawl) asks the network too */
    if (after_checks && !pipeline_interrupted && !run->network_down && !skip && rc < EXIT_ENV)
        rc = pipeline_worst(rc, after_checks(run, after_ud));
    run->finished = (int64_t)time(NULL);
    if (ca_run_settle(run, &err) != CA_OK) { /* citations whose fragment is missing */
        cli_error("%s", ca_error_message(&err));
        rc = pipeline_worst(rc, EXIT_ENV);
    }
    interrupt_target = NULL;
    if (store_target)
        rc = pipeline_worst(rc, store_args_finish(store_target, run, pipeline_interrupted));
    return rc;
}

void pipeline_feed(ca_prov *prov)
{
    prov_target = prov;
}

void pipeline_after_checks(int (*fn)(ca_run *run, void *ud), void *ud)
{
    after_checks = fn;
    after_ud = ud;
}

int pipeline_run_checks(ca_run *run)
{
    struct progress pr = {progress_on(), 0};

    return run_checks(run, &pr);
}

int pipeline_save_docs(const ca_run *run)
{
    return store_target ? store_args_save_docs(store_target, run) : EXIT_CLEAN;
}
