/*
 * store.h - the audit store: an embedded SQLite database that keeps the
 * documents read, their citations, the runs, and every check result with
 * its time. It is a history, not a cache: a new result never overwrites an
 * old one, so a run can reuse fresh results (incremental runs), a killed
 * run loses nothing it finished (resumable runs), and the history of one
 * URL says when it died.
 *
 * The database is opened in WAL mode with a busy timeout, so several
 * processes may share one store: readers never wait, writers take turns.
 * Its schema version is PRAGMA user_version; an older store is migrated
 * when opened, a newer one is refused. A file that is not a citeaudit store
 * (garbage, a corrupt database, another program's database) is refused
 * with a message naming it and is never touched.
 *
 * Every call returns CA_OK or an error with a message naming the store's
 * path; CA_ENV for a store that cannot be opened, read or written (missing
 * directory, read-only or full file system, corrupt file).
 */
#ifndef CITEAUDIT_STORE_H
#define CITEAUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "citeaudit/check.h"
#include "citeaudit/error.h"
#include "citeaudit/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this library writes (PRAGMA user_version). */
#define CA_STORE_SCHEMA_VERSION 2

/* ca_store_open flags. */
enum {
    CA_STORE_READONLY = 1, /* never write; the file must exist */
    CA_STORE_MKDIR = 2,    /* create the file's directory (one level) if missing */
};

typedef struct ca_store ca_store;

/*
 * Open (creating when needed, unless CA_STORE_READONLY) the store at path.
 * CA_NOTFOUND when a read-only store does not exist; CA_ENV for everything
 * else that goes wrong, with a message naming path and what to do.
 */
ca_status ca_store_open(const char *path, int flags, ca_store **ret, ca_error *err);

/* Commit what is pending and close. Accepts NULL. */
void ca_store_close(ca_store *s);

/* The path given to ca_store_open. */
const char *ca_store_path(const ca_store *s);

/*
 * Results are committed in batches: a batch ends after max_results results
 * or max_ms milliseconds, whichever comes first. The default is one result
 * per commit (max_results 1), which makes every finished result survive a
 * SIGKILL; the commit of a WAL database with synchronous=NORMAL is a write
 * to the log, not a disk flush, so it costs microseconds.
 */
void ca_store_set_batch(ca_store *s, unsigned max_results, unsigned max_ms);

/* Commit the pending batch now. */
ca_status ca_store_flush(ca_store *s, ca_error *err);

/*
 * Start a run: command is the command line (for people reading the
 * store), may be NULL. *ret_run gets the run's id.
 */
ca_status ca_store_run_begin(ca_store *s, const char *command, int64_t started,
                             int64_t *ret_run, ca_error *err);

/* How a run ended. */
typedef enum ca_store_run_status {
    CA_STORE_RUN_DONE,
    CA_STORE_RUN_INTERRUPTED,
    CA_STORE_RUN_NO_NETWORK,
} ca_store_run_status;

/* End a run: its time, how it ended, and its counts. Commits. */
ca_status ca_store_run_end(ca_store *s, int64_t run, int64_t finished,
                           ca_store_run_status status, size_t links, size_t checked,
                           size_t reused, ca_error *err);

/*
 * Save the documents of run (metadata, and their citations as they are
 * now: a document seen again has its citations replaced). One transaction.
 */
ca_status ca_store_save_docs(ca_store *s, int64_t run_id, const ca_run *run, ca_error *err);

/*
 * Record the check of url that produced res, in run run_id. Part of the
 * current batch (see ca_store_set_batch).
 */
ca_status ca_store_record(ca_store *s, int64_t run_id, const char *url, const ca_result *res,
                          ca_error *err);

/*
 * Record that run run_id used the stored check check_id for url instead
 * of a request. Part of the current batch.
 */
ca_status ca_store_record_reused(ca_store *s, int64_t run_id, const char *url,
                                 int64_t check_id, ca_error *err);

/*
 * Forget the checks run_id made whose class is cls (the checks of a run
 * that found no network: they say nothing about the links).
 */
ca_status ca_store_drop_checks(ca_store *s, int64_t run_id, ca_class cls, ca_error *err);

/* One stored check. */
typedef struct ca_store_check {
    int64_t id;
    int64_t run_id;
    ca_result res; /* strings and chain owned by the check */
} ca_store_check;

/* Free what a ca_store_check owns (not the struct). Accepts NULL. */
void ca_store_check_release(ca_store_check *c);

/*
 * The latest check of url into *ret (*ret_found 0 when there is none, and
 * *ret untouched). Release with ca_store_check_release.
 */
ca_status ca_store_latest(ca_store *s, const char *url, ca_store_check *ret, int *ret_found,
                          ca_error *err);

/*
 * Every check of url, oldest first, into a new array (*ret, *ret_n);
 * ca_store_history_free frees it. *ret is NULL when there is none.
 */
ca_status ca_store_history(ca_store *s, const char *url, ca_store_check **ret, size_t *ret_n,
                           ca_error *err);
void ca_store_history_free(ca_store_check *v, size_t n);

/*
 * What the history of a URL says. A check is failing when its class is in
 * fail_mask (bit 1u << class), alive when ok or redirected; unknown checks
 * say nothing and are skipped.
 */
typedef struct ca_store_timeline {
    size_t checks;          /* stored checks */
    int64_t first_checked;  /* times of the first and the last check */
    int64_t last_checked;
    int64_t first_alive;    /* first check seen alive, 0 when never */
    int64_t last_alive;
    int64_t first_failing;  /* first check seen failing, 0 when never */
    size_t streak;          /* consecutive failing checks up to the latest */
    int64_t streak_since;   /* time of the first check of that streak */
} ca_store_timeline;

/* Sum up n checks (oldest first) into *ret. */
void ca_store_timeline_of(const ca_store_check *v, size_t n, unsigned fail_mask,
                          ca_store_timeline *ret);

/* ca_store_history and ca_store_timeline_of in one call, without keeping
 * the checks. */
ca_status ca_store_url_timeline(ca_store *s, const char *url, unsigned fail_mask,
                                ca_store_timeline *ret, ca_error *err);

/*
 * The probe kept for key (see ca_probe in check.h) when it was made at or
 * after min_time: *ret filled (strings and sketch allocated; free them with
 * ca_store_probe_release) and *ret_found 1; else *ret_found 0.
 */
ca_status ca_store_probe_get(ca_store *s, const char *key, int64_t min_time, ca_probe *ret,
                             int *ret_found, ca_error *err);
/* Keep a probe (replacing an older one of the same key). Part of the batch. */
ca_status ca_store_probe_put(ca_store *s, const ca_probe *p, ca_error *err);
/* Free what ca_store_probe_get allocated. */
void ca_store_probe_release(ca_probe *p);

/* Begin and commit a transaction around many calls (lookups of a whole
 * run); the batch of results is committed first. */
ca_status ca_store_begin(ca_store *s, ca_error *err);
ca_status ca_store_commit(ca_store *s, ca_error *err);

/*
 * Nonzero when a result of class cls is definitive (ok, redirected, dead,
 * soft404): a fresh one may be reused instead of a request. Transient
 * classes (timeout, dns, unreachable, ratelimited, server_error, unknown,
 * and the rest) are always checked again.
 */
int ca_store_class_definitive(ca_class cls);

#ifdef __cplusplus
}
#endif
#endif
