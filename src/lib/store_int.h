/*
 * store_int.h - internals of the audit store, shared by its modules:
 *
 *   store.c          opening, errors, batches, runs, documents, results
 *   store_schema.c   the schema and its migrations
 *   store_history.c  the history of one URL and what it says
 */
#ifndef CA_STORE_INT_H
#define CA_STORE_INT_H

#include <sqlite3.h>

#include "citeaudit/store.h"

/* PRAGMA application_id of a citeaudit store: "CITA". */
#define CA__STORE_APP_ID 0x43495441

enum store_stmt {
    ST_URL_GET,
    ST_URL_ADD,
    ST_CHECK_ADD,
    ST_LINK_ADD,
    ST_LATEST,
    ST_HISTORY,
    ST_DOC_UPSERT,
    ST_DOC_ID,
    ST_CITES_DEL,
    ST_CITE_ADD,
    ST_COUNT
};

struct ca_store {
    sqlite3 *db;
    char *path;
    int readonly;
    int version;           /* the schema version read (a read-only store may be older) */
    sqlite3_stmt *st[ST_COUNT];
    /* the open batch of results */
    int in_batch;          /* a transaction of ours is open */
    int in_user_txn;       /* ca_store_begin was called */
    unsigned batch_max, batch_ms;
    unsigned batch_n;
    int64_t batch_start_ms;
};

/*
 * Record the database's last error against the store's path with what
 * was being done ("cannot record a result"), as CA_ENV, and return it.
 */
ca_status ca__store_fail(ca_store *s, ca_error *err, const char *doing);

/* PRAGMA user_version, or -1 when it cannot be read. */
int ca__store_user_version(ca_store *s);

/* Create or migrate the schema (store_schema.c). */
ca_status ca__store_migrate(ca_store *s, ca_error *err);

/* Fill c from a row of "SELECT id, run_id, checked_at, class, http_code,
 * curl_code, error, final_url, redirects, attempts, elapsed_ms, reason,
 * archive_url, archive_time, drift, drifted". */
ca_status ca__store_row_check(sqlite3_stmt *q, ca_store_check *c);

/* Open the batch / count one more in it / abort it (store.c). */
ca_status ca__store_batch_open(ca_store *s, ca_error *err);
ca_status ca__store_batch_tick(ca_store *s, ca_error *err);
ca_status ca__store_batch_abort(ca_store *s, ca_error *err, const char *doing);

/* The id of url in urls, 0 when it is not there; -1 on error. */
int64_t ca__store_url_id(ca_store *s, const char *url);

#endif
