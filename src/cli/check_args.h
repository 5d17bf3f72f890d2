/*
 * check_args.h - the options of `citeaudit check`, parsed into the
 * library's check options plus what the command itself decides.
 */
#ifndef CA_CHECK_ARGS_H
#define CA_CHECK_ARGS_H

#include <getopt.h>

#include "cli.h"
#include "pipeline.h"
#include "report.h"
#include "store_args.h"

/* A growable NULL-terminated list of borrowed strings (argv entries). */
struct strlist {
    const char **v;
    size_t n, cap;
};

/*
 * What one command adds to the shared options: its help, its own long and
 * short options, and a handler that sees every option first (returning 0
 * handled, -1 bad usage, 1 stop after --help, 2 not mine).
 */
/*
 * getopt codes: the shared options take 256..399, the store's 400..499
 * (store_args.h); a command numbers its own long options from
 * CLI_OPT_COMMAND so no two ever meet.
 */
#define CLI_OPT_COMMAND 1000

struct cmd_spec {
    const char *name;
    void (*help)(void);
    const struct option *extra; /* terminated by a zero entry, or NULL */
    const char *extra_short;
    int (*extra_one)(int c, const char *arg, void *ud);
    void *ud;
};

struct check_args {
    ca_check_opts chk;
    ca_extract_opts ex;
    const char *manifest_path;
    ca_manifest *manifest; /* loaded by check_args_parse; ex.manifest points here */
    const char *format;
    report_fn render;
    struct report_opts ro;
    struct strlist headers, include, exclude, remap, resolve, timegates;
    int archive_opt; /* --archive 1, --no-archive 0, neither -1 */
    ca_host_header *host_headers;
    size_t n_host_headers;
    struct store_args store; /* the audit store and evidence (chk.hooks.ud) */
    int first_input; /* index in argv */
};

/*
 * Parse argv into a (zeroed by the caller). Returns 0 to go on, 1 when
 * --help was printed, -1 on bad usage (after an error message).
 */
int check_args_parse(int argc, char **argv, struct check_args *a, const struct cmd_spec *spec);

/* The help text of the shared options (after a command's own). */
void check_args_help_common(void);
void check_args_release(struct check_args *a);

/* The pipeline options of a parsed command line. */
struct pipeline_opts check_args_pipeline(const struct check_args *a, int body_only,
                                         int no_network);

#endif
