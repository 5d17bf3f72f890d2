/*
 * cmd_provenance.c - `citeaudit provenance`: where the text of the inputs
 * comes from. Read the inputs, check their citations, fetch the cited
 * pages (--depth), then report text reuse between every pair of documents,
 * the quotes several of them carry, the attributions with no link, and
 * whether the cited pages hold the quotes. The work is the library's
 * (provenance.h), the crawler's (crawl.c) and the pipeline's; this file
 * sequences it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_args.h"
#include "crawl.h"
#include "pipeline.h"
#include "prov_args.h"
#include "report_prov.h"

enum { OPT_NO_CHECK = CLI_OPT_COMMAND + 100 };

struct prov_cmd {
    struct check_args a;
    struct prov_args pa;
    const char *format;
    int no_check;
};

static void help(void)
{
    printf("usage: citeaudit provenance [OPTIONS] INPUT...\n\n"
           "Where the text of documents comes from: text reuse between every pair\n"
           "(inputs and the pages they cite), quotes several documents carry,\n"
           "claims attributed with no link, and whether cited pages hold the quotes.\n\n"
           "  -f, --format FMT        text (default) or json\n");
    prov_args_help();
    printf("      --no-check          no network: no checks, no cited pages fetched\n\n");
    check_args_help_common();
    printf("\nExit status: 0 the report was written (whatever it finds), 2 bad usage or\n"
           "an unreadable input, 3 no network or standard output not writable.\n");
}

static int extra_one(int c, const char *arg, void *ud)
{
    struct prov_cmd *pc = ud;

    switch (c) {
    case 'f':
        if (strcmp(arg, "text") && strcmp(arg, "json")) {
            cli_error("--format: '%s' is not a format of provenance; use text or json", arg);
            return -1;
        }
        pc->format = arg;
        return 0;
    case OPT_NO_CHECK: pc->no_check = 1; return 0;
    default: return prov_args_option(&pc->pa, c, arg);
    }
}

static int render(const struct prov_cmd *pc, const struct prov_report_in *in)
{
    int r = strcmp(pc->format, "json") ? report_prov_text(stdout, in)
                                       : report_prov_json(stdout, in);

    if (r < 0 || fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

static int provenance(struct prov_cmd *pc, char **inputs, int ninputs)
{
    struct pipeline_opts po;
    struct crawl_opts co;
    struct prov_report_in in;
    ca_error err = CA_ERROR_INIT;
    ca_prov *prov = NULL;
    ca_run *run = NULL;
    int rc;

    if (ca_prov_create(NULL, &prov, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return cli_exit_code(err.code);
    }
    /* provenance needs the articles' citations, not their page links */
    pc->a.ro.body_only = 1;
    po = check_args_pipeline(&pc->a, 1, pc->no_check);
    pipeline_feed(prov);
    pipeline_signals();
    rc = pipeline_read(&po, inputs, ninputs, &run);
    pipeline_feed(NULL);
    prov_args_crawl(&pc->pa, &pc->a, prov, &co);
    if (run && !pc->no_check) {
        pipeline_after_checks(crawl_run, &co);
        rc = pipeline_worst(rc, pipeline_check(run));
        pipeline_after_checks(NULL, NULL);
    }
    if (run && !pipeline_interrupted) {
        if (ca_prov_analyze(prov, &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            rc = pipeline_worst(rc, cli_exit_code(err.code));
        } else {
            prov_args_report_in(&pc->pa, &co, prov, !pc->no_check && !run->network_down, &in);
            rc = pipeline_worst(rc, render(pc, &in));
        }
    }
    if (pipeline_interrupted) {
        cli_note("interrupted: no provenance report");
        rc = 130;
    }
    ca_run_destroy(run);
    ca_prov_destroy(prov);
    return rc;
}

int cmd_provenance(int argc, char **argv)
{
    static const struct option extra[] = {
        {"format", required_argument, NULL, 'f'},
        {"no-check", no_argument, NULL, OPT_NO_CHECK},
        PROV_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    struct prov_cmd pc;
    struct cmd_spec spec = {"provenance", help, extra, "f:", extra_one, &pc};
    int rc;

    memset(&pc, 0, sizeof pc);
    pc.format = "text";
    prov_args_init(&pc.pa);
    rc = check_args_parse(argc, argv, &pc.a, &spec);
    if (rc == 0)
        rc = provenance(&pc, argv + pc.a.first_input, argc - pc.a.first_input);
    else
        rc = rc > 0 ? EXIT_CLEAN : EXIT_USAGE;
    check_args_release(&pc.a);
    return rc;
}
