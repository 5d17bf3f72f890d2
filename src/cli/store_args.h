/*
 * store_args.h - the audit store and the WARC evidence as the commands
 * check, graph and audit use them: their options (--store, --no-store,
 * --max-age, --refresh, --confirm, --offline, --snapshot, --replay), and
 * the steps the pipeline takes with them. Every step prints its own errors
 * and returns the exit code it contributes.
 */
#ifndef CA_STORE_ARGS_H
#define CA_STORE_ARGS_H

#include <stdint.h>

#include "citeaudit/store.h"
#include "citeaudit/warc.h"
#include "cli.h"
#include "report.h"

/* The default store, relative to the working directory. */
#define STORE_DEFAULT_PATH ".citeaudit/audit.db"

/* Option codes (getopt_long values) of the store options. */
enum {
    OPT_STORE = 400, OPT_NO_STORE, OPT_MAX_AGE, OPT_REFRESH, OPT_CONFIRM, OPT_OFFLINE,
    OPT_SNAPSHOT, OPT_REPLAY,
};

/* The long options, for a command's getopt table; a zero entry ends them. */
#define STORE_LONGOPTS                                          \
    {"store", required_argument, NULL, OPT_STORE},              \
    {"no-store", no_argument, NULL, OPT_NO_STORE},              \
    {"max-age", required_argument, NULL, OPT_MAX_AGE},          \
    {"refresh", no_argument, NULL, OPT_REFRESH},                \
    {"confirm", required_argument, NULL, OPT_CONFIRM},          \
    {"offline", no_argument, NULL, OPT_OFFLINE},                \
    {"snapshot", required_argument, NULL, OPT_SNAPSHOT},        \
    {"replay", required_argument, NULL, OPT_REPLAY}

struct store_args {
    /* options */
    const char *path;       /* --store, or NULL for STORE_DEFAULT_PATH */
    int no_store, refresh, offline;
    int64_t max_age_s;      /* --max-age (default one day) */
    unsigned confirm_n;     /* --confirm N[/DAYS] (default 1) */
    int64_t confirm_span_s;
    const char *snapshot, *replay;
    const char *const *args; /* the command line, for the run's record */

    /* the run */
    ca_store *store;
    int64_t run_id;
    int readonly;           /* opened for reading only (offline, --no-check) */
    ca_warc_writer *warc;
    ca_warc_replay *replayed;
    unsigned max_redirects;
    struct report_opts *ro; /* gets the links' history */
    struct report_link *links;
    size_t checked, reused;
    const ca_check_opts *chk; /* the checker's options (archive, fragments) */
    ca_probe probe;         /* the last probe read for the checker (it borrows it) */
    int failed;             /* writing the store or the snapshot failed */
    char failure[CA_ERROR_MSG_MAX];
};

/* Defaults into sa (zeroed by the caller). */
void store_args_init(struct store_args *sa);

/* Handle one store option (OPT_*); 0 done, -1 bad value (after a message). */
int store_args_option(struct store_args *sa, int c, const char *arg);

/*
 * After parsing: check the options together, and hook the checker options
 * to the store (chk->hooks). ro gets the links'
 * history later. Returns 0, or -1 after a message.
 */
int store_args_wire(struct store_args *sa, ca_check_opts *chk, struct report_opts *ro);

/* No request may be made: --offline or --replay. */
int store_args_no_requests(const struct store_args *sa);

/* Open the store, start the run, open the snapshot and the replay file.
 * no_check: the command checks nothing (graph --no-check). */
int store_args_open(struct store_args *sa, int no_check);

/* Save the documents and citations of run. */
int store_args_save_docs(struct store_args *sa, const ca_run *run);

/*
 * Before the checks: give every link that needs no request its result
 * (fresh stored results, --offline, --replay). *ret_skip is set when no
 * request is to be made at all.
 */
int store_args_prepare(struct store_args *sa, ca_run *run, int *ret_skip);

/*
 * With --no-check: every link with a stored result (of any age) gets it,
 * so graphs and reports draw from the store.
 */
int store_args_load(struct store_args *sa, ca_run *run);

/* After the checks: end the run, the links' history for the reports, close
 * the snapshot. interrupted: SIGINT ended the checks. */
int store_args_finish(struct store_args *sa, ca_run *run, int interrupted);

/* Close everything (idempotent). */
void store_args_release(struct store_args *sa);

/* Parse "30m", "12h", "7d", "2w", "90s" or seconds into *ret; -1 after a
 * message naming opt. */
int store_parse_age(const char *opt, const char *s, int64_t *ret);

#endif
