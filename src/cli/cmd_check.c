/*
 * cmd_check.c - `citeaudit check`: read the inputs (fetching the pages given
 * as URLs), check every unique link once, print the report, and say in the
 * exit status whether anything fails. The work is the library's and the
 * pipeline's; this file only sequences it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_args.h"
#include "pipeline.h"

static void help(void)
{
    printf("usage: citeaudit check [OPTIONS] INPUT...\n\n"
           "Extract the links of documents (files, directories, '-', @LIST, or\n"
           "http(s) URLs of pages, which are fetched first) and check each unique\n"
           "link once. Prints the failing links with file:line:col.\n\n"
           "  -f, --format FMT        text (default), json, jsonl, markdown, junit,\n"
           "                          sarif or csv\n\n");
    check_args_help_common();
    printf("\nExit status: 0 nothing failing, 1 failing links found, 2 bad usage or an\n"
           "unreadable input, 3 no network (every link left 'unknown').\n");
}

static int extra_one(int c, const char *arg, void *ud)
{
    struct check_args *a = ud;

    if (c != 'f')
        return 2;
    a->format = arg;
    a->render = report_lookup(arg);
    if (!a->render) {
        cli_error("--format: '%s' is not a format of check; use %s", arg,
                  report_format_names());
        return -1;
    }
    return 0;
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

int cmd_check(int argc, char **argv)
{
    static const struct option extra[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct check_args a;
    struct cmd_spec spec = {"check", help, extra, "f:", extra_one, &a};
    struct pipeline_opts po;
    ca_run *run = NULL;
    int rc;

    memset(&a, 0, sizeof a);
    rc = check_args_parse(argc, argv, &a, &spec);
    if (rc) {
        check_args_release(&a);
        return rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    po = check_args_pipeline(&a, a.ro.body_only, 0);
    pipeline_signals();
    rc = pipeline_read(&po, argv + a.first_input, argc - a.first_input, &run);
    if (run) {
        rc = pipeline_worst(rc, pipeline_check(run));
        rc = pipeline_worst(rc, render(&a, run));
        rc = pipeline_worst(rc, report_any_failing(run, &a.ro) ? EXIT_FAILING : EXIT_CLEAN);
        if (pipeline_interrupted) {
            cli_note("interrupted: the report covers the links checked so far");
            rc = 130;
        }
    }
    ca_run_destroy(run);
    check_args_release(&a);
    return rc;
}
