/*
 * pipeline.h - what check, graph and audit share: read the inputs into a
 * run (fetching the pages given as URLs), then check its links. Each step
 * prints its own errors and returns the exit code it contributes.
 */
#ifndef CA_PIPELINE_H
#define CA_PIPELINE_H

#include <signal.h>

#include "cli.h"
#include "store_args.h"

/*
 * When chk->hooks.on_result is set, chk->hooks.ud is the command's struct
 * store_args (check_args_parse wires it): the pipeline then opens the
 * store, saves the documents, gives links their stored or replayed
 * results, and ends the run.
 */
struct pipeline_opts {
    const ca_check_opts *chk;
    const ca_extract_opts *ex; /* with its manifest set */
    const char *manifest_path; /* never taken from a directory walk */
    int body_only;             /* keep only body citations in the run */
    int no_network;            /* --no-check: URL inputs are refused */
};

/* Set by SIGINT once pipeline_signals() is installed. */
extern volatile sig_atomic_t pipeline_interrupted;

/* SIGINT stops the checks (a partial report follows); SIGPIPE ignored. */
void pipeline_signals(void);

/* The worse of two exit codes. */
int pipeline_worst(int a, int b);

/*
 * Expand args into inputs and read them into a new run (*ret_run, caller
 * destroys; NULL only when the run could not be created). URL inputs are
 * fetched first. Returns the exit code so far.
 */
int pipeline_read(const struct pipeline_opts *po, char **args, int nargs, ca_run **ret_run);

/* Check every link of run. Returns the exit code (3 when no network). */
int pipeline_check(ca_run *run);

/*
 * Have pipeline_check call fn(run, ud) right after the checks, while the
 * network may be used and the store's run is open (never after an
 * interrupt, with no network, --offline or --replay): the crawl of audit
 * and provenance. Its exit code counts. NULL: nothing.
 */
void pipeline_after_checks(int (*fn)(ca_run *run, void *ud), void *ud);

/* Run the checker on what was added since (with progress on a terminal);
 * returns the exit code. For steps that fetch more (the crawl). */
int pipeline_run_checks(ca_run *run);

/* Documents read beside the inputs (fetched pages) join the store's. */
int pipeline_save_docs(const ca_run *run);

/* Every document pipeline_read reads also goes into prov (NULL: none). */
void pipeline_feed(ca_prov *prov);

#endif
