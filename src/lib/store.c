/*
 * store.c - the audit store on SQLite: opening (and refusing what is not a
 * citeaudit store), errors that name the file, batched commits of results,
 * runs, documents with their citations, and results.
 *
 * The database is in WAL mode with synchronous=NORMAL: a commit is a write
 * to the log, which the kernel keeps when the process is killed, and a
 * flush to disk happens at checkpoints. A power cut may lose the last
 * commits but never corrupts the file; a SIGKILL loses nothing committed.
 * Every statement is prepared once, when the store is opened.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "citeaudit/citeaudit.h"
#include "store_int.h"
#include "strutil.h"

#define BUSY_TIMEOUT_MS 15000

/* The columns schema version 2 added to checks; a version 1 store opened
 * read-only reads NULLs in their place (v1_sql). */
#define V2_COLUMNS "c.reason, c.archive_url, c.archive_time, c.drift, c.drifted"
#define V1_COLUMNS "NULL, NULL, NULL, NULL, NULL"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_URL_GET] = "SELECT id FROM urls WHERE url = ?1",
    [ST_URL_ADD] = "INSERT INTO urls(url) VALUES (?1)",
    [ST_CHECK_ADD] = "INSERT INTO checks(url_id, run_id, checked_at, class, http_code, "
                     "curl_code, error, final_url, redirects, attempts, elapsed_ms, reason, "
                     "archive_url, archive_time, drift, drifted) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                     "?15, ?16)",
    [ST_LINK_ADD] = "INSERT OR REPLACE INTO run_links(run_id, url_id, check_id, reused) "
                    "VALUES (?1, ?2, ?3, ?4)",
    [ST_LATEST] = "SELECT c.id, c.run_id, c.checked_at, c.class, c.http_code, c.curl_code, "
                  "c.error, c.final_url, c.redirects, c.attempts, c.elapsed_ms, " V2_COLUMNS
                  " FROM checks c JOIN urls u ON u.id = c.url_id WHERE u.url = ?1 "
                  "ORDER BY c.checked_at DESC, c.id DESC LIMIT 1",
    [ST_HISTORY] = "SELECT c.id, c.run_id, c.checked_at, c.class, c.http_code, c.curl_code, "
                   "c.error, c.final_url, c.redirects, c.attempts, c.elapsed_ms, " V2_COLUMNS
                   " FROM checks c JOIN urls u ON u.id = c.url_id WHERE u.url = ?1 "
                   "ORDER BY c.checked_at, c.id",
    [ST_DOC_UPSERT] = "INSERT INTO documents(origin, url, outlet, title, published, error, "
                      "first_run, last_run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
                      "ON CONFLICT(origin) DO UPDATE SET url = excluded.url, "
                      "outlet = excluded.outlet, title = excluded.title, "
                      "published = excluded.published, error = excluded.error, "
                      "last_run = excluded.last_run",
    [ST_DOC_ID] = "SELECT id FROM documents WHERE origin = ?1",
    [ST_CITES_DEL] = "DELETE FROM citations WHERE document_id = ?1",
    [ST_CITE_ADD] = "INSERT OR IGNORE INTO citations(document_id, url_id, line, col, region, "
                    "kind, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

/* A statement's text for a version 1 store: the new columns as NULLs
 * (caller frees), or NULL when the statement does not read them. */
static char *v1_sql(const char *sql)
{
    const char *p = strstr(sql, V2_COLUMNS);

    if (!p)
        return NULL;
    return ca__format("%.*s%s%s", (int)(p - sql), sql, V1_COLUMNS, p + strlen(V2_COLUMNS));
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What to tell the user about a SQLite error: the cause in words. */
static const char *cause(sqlite3 *db)
{
    switch (sqlite3_errcode(db)) {
    case SQLITE_FULL:
        return "the disk or file system is full; free some space, or give another --store";
    case SQLITE_READONLY:
        return "the file or its directory is read-only; give a writable --store, or "
               "--no-store";
    case SQLITE_CANTOPEN:
        return "the file cannot be opened or created; check the path and its permissions, "
               "or give another --store";
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return "it is not a database or it is corrupt; it was left as it is: move it away "
               "to start a new store, or give another --store";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "another process kept it locked for too long; try again";
    case SQLITE_IOERR:
        return "an input/output error; check the disk";
    default:
        return NULL;
    }
}

ca_status ca__store_fail(ca_store *s, ca_error *err, const char *doing)
{
    const char *why = s->db ? cause(s->db) : NULL;

    if (why)
        return ca_error_set(err, CA_ENV, "store '%s': %s: %s (%s)", s->path, doing, why,
                            sqlite3_errmsg(s->db));
    return ca_error_set(err, CA_ENV, "store '%s': %s: %s", s->path, doing,
                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
}

int ca__store_user_version(ca_store *s)
{
    sqlite3_stmt *q = NULL;
    int v = -1;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* One integer from a query, -1 on error (the error stays on the handle). */
static int64_t query_int(ca_store *s, const char *sql)
{
    sqlite3_stmt *q = NULL;
    int64_t v = -1;

    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* The directory of path into dir ("." when none). */
static void dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* Before SQLite tries: a missing store, a missing or unusable directory. */
static ca_status check_location(const char *path, int flags, ca_error *err)
{
    struct stat sb;
    char dir[4096];

    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return ca_error_set(err, CA_ENV, "store '%s' is a directory; give the path of a "
                                "file with --store", path);
        return CA_OK;
    }
    if (errno == ENOTDIR)
        return ca_error_set(err, CA_ENV, "cannot open store '%s': a part of the path is not "
                            "a directory; give another --store", path);
    if (errno != ENOENT)
        return ca_error_set(err, CA_ENV, "cannot open store '%s': %s; give another --store, "
                            "or --no-store", path, strerror(errno));
    if (flags & CA_STORE_READONLY)
        return ca_error_set(err, CA_NOTFOUND, "no store at '%s': run 'citeaudit check' "
                            "with the store first, or give --store PATH", path);
    dir_of(path, dir, sizeof dir);
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return ca_error_set(err, CA_ENV, "cannot create store '%s': '%s' is not a "
                                "directory; give another --store", path, dir);
        if (access(dir, W_OK) != 0)
            return ca_error_set(err, CA_ENV, "cannot create store '%s': directory '%s': %s; "
                                "give a writable --store, or --no-store", path, dir,
                                strerror(errno));
        return CA_OK;
    }
    if (errno == ENOENT && (flags & CA_STORE_MKDIR) && mkdir(dir, 0777) == 0)
        return CA_OK;
    if (errno == ENOENT)
        return ca_error_set(err, CA_ENV, "cannot create store '%s': directory '%s' does "
                            "not exist; create it, or give another --store", path, dir);
    return ca_error_set(err, CA_ENV, "cannot create store '%s': directory '%s': %s; give "
                        "another --store, or --no-store", path, dir, strerror(errno));
}

/* Refuse what is not ours: garbage, a corrupt file, another program's DB. */
static ca_status check_identity(ca_store *s, ca_error *err)
{
    int64_t tables = query_int(s, "SELECT count(*) FROM sqlite_master"), app;

    if (tables < 0)
        return ca__store_fail(s, err, "cannot read it");
    app = query_int(s, "PRAGMA application_id");
    if (app < 0)
        return ca__store_fail(s, err, "cannot read it");
    if (app == CA__STORE_APP_ID || (app == 0 && tables == 0))
        return CA_OK;
    return ca_error_set(err, CA_ENV, "store '%s' is a SQLite database of another program "
                        "(application id %lld, %lld tables), not a citeaudit store; it was "
                        "left as it is: give another --store",
                        s->path, (long long)app, (long long)tables);
}

/*
 * Switch to WAL. The switch needs the database to itself and SQLite does not
 * call the busy handler for it, so two processes creating one store at once
 * would see SQLITE_BUSY at once: wait for the other as a busy timeout would.
 * Once in WAL mode (it is kept in the file) there is nothing to switch.
 */
static int set_wal(ca_store *s)
{
    int64_t until = now_ms() + BUSY_TIMEOUT_MS;
    struct timespec pause = {0, 20 * 1000 * 1000};
    int rc;

    for (;;) {
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                          NULL, NULL, NULL);
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || now_ms() >= until)
            return rc;
        nanosleep(&pause, NULL);
    }
}

static ca_status configure(ca_store *s, ca_error *err)
{
    sqlite3_stmt *q = NULL;
    int i, version;

    if (!s->readonly) {
        /* WAL lets readers go on while one process writes. */
        if (set_wal(s) != SQLITE_OK)
            return ca__store_fail(s, err, "cannot set it up");
        if (ca__store_migrate(s, err) != CA_OK)
            return err ? err->code : CA_ENV;
        s->version = CA_STORE_SCHEMA_VERSION;
    } else {
        /* read-only: never migrated, so an older store is read as it is */
        version = ca__store_user_version(s);
        if (version != CA_STORE_SCHEMA_VERSION && version != 1)
            return ca_error_set(err, CA_ENV, "store '%s' has schema version %d, this "
                                "citeaudit reads 1 to %d; %s", s->path, version,
                                CA_STORE_SCHEMA_VERSION,
                                version < 1 ? "run 'citeaudit check' with it once to set it up"
                                            : "use a newer citeaudit");
        s->version = version;
    }
    if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return ca__store_fail(s, err, "cannot set it up");
    for (i = 0; i < ST_COUNT; i++) {
        char *old = s->version == 1 ? v1_sql(stmt_sql[i]) : NULL;
        int rc;

        if (s->readonly && i != ST_LATEST && i != ST_HISTORY && i != ST_URL_GET)
            continue;
        rc = sqlite3_prepare_v3(s->db, old ? old : stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                &q, NULL);
        free(old);
        if (rc != SQLITE_OK)
            return ca__store_fail(s, err, "cannot prepare its statements");
        s->st[i] = q;
    }
    return CA_OK;
}

ca_status ca_store_open(const char *path, int flags, ca_store **ret, ca_error *err)
{
    ca_store *s = NULL;
    ca_status st;
    int oflags;

    *ret = NULL;
    st = check_location(path, flags, err);
    if (st != CA_OK)
        return st;
    s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return ca_error_set(err, CA_NOMEM, "out of memory opening store '%s'", path);
    }
    s->readonly = (flags & CA_STORE_READONLY) != 0;
    s->batch_max = 1;
    s->batch_ms = 1000;
    oflags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        st = ca__store_fail(s, err, "cannot open it");
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    st = check_identity(s, err);
    if (st == CA_OK)
        st = configure(s, err);
    if (st != CA_OK)
        goto fail;
    *ret = s;
    return CA_OK;
fail:
    ca_store_close(s);
    return st;
}

const char *ca_store_path(const ca_store *s)
{
    return s->path;
}

void ca_store_close(ca_store *s)
{
    int i;

    if (!s)
        return;
    if (s->db && (s->in_batch || s->in_user_txn))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    for (i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* ---- transactions and batches ---- */

void ca_store_set_batch(ca_store *s, unsigned max_results, unsigned max_ms)
{
    s->batch_max = max_results ? max_results : 1;
    s->batch_ms = max_ms;
}

static ca_status exec(ca_store *s, const char *sql, const char *doing, ca_error *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return ca__store_fail(s, err, doing);
    return CA_OK;
}

ca_status ca_store_flush(ca_store *s, ca_error *err)
{
    if (!s->in_batch)
        return CA_OK;
    s->in_batch = 0;
    s->batch_n = 0;
    if (exec(s, "COMMIT", "cannot save the results", err) != CA_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return CA_ENV;
    }
    return CA_OK;
}

ca_status ca_store_begin(ca_store *s, ca_error *err)
{
    if (ca_store_flush(s, err) != CA_OK)
        return CA_ENV;
    if (s->in_user_txn)
        return CA_OK;
    if (exec(s, "BEGIN IMMEDIATE", "cannot lock it for writing", err) != CA_OK)
        return CA_ENV;
    s->in_user_txn = 1;
    return CA_OK;
}

ca_status ca_store_commit(ca_store *s, ca_error *err)
{
    if (!s->in_user_txn)
        return CA_OK;
    s->in_user_txn = 0;
    if (exec(s, "COMMIT", "cannot save", err) != CA_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return CA_ENV;
    }
    return CA_OK;
}

/* Open a batch when none (and no caller's transaction) is open. */
ca_status ca__store_batch_open(ca_store *s, ca_error *err)
{
    if (s->in_batch || s->in_user_txn)
        return CA_OK;
    if (exec(s, "BEGIN IMMEDIATE", "cannot lock it for writing", err) != CA_OK)
        return CA_ENV;
    s->in_batch = 1;
    s->batch_n = 0;
    s->batch_start_ms = now_ms();
    return CA_OK;
}

/* One more result in the batch: commit when it is full or old enough. */
ca_status ca__store_batch_tick(ca_store *s, ca_error *err)
{
    if (!s->in_batch)
        return CA_OK;
    s->batch_n++;
    if (s->batch_n >= s->batch_max || now_ms() - s->batch_start_ms >= (int64_t)s->batch_ms)
        return ca_store_flush(s, err);
    return CA_OK;
}

/* Undo a batch whose statement failed, so the store stays consistent. */
ca_status ca__store_batch_abort(ca_store *s, ca_error *err, const char *doing)
{
    ca_status st = ca__store_fail(s, err, doing);

    if (s->in_batch) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_batch = 0;
    }
    return st;
}

/* ---- rows ---- */

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Step a statement that returns no row, and reset it. */
static int run_stmt(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

int64_t ca__store_url_id(ca_store *s, const char *url)
{
    sqlite3_stmt *q = s->st[ST_URL_GET];
    int64_t id = 0;
    int rc;

    bind_text(q, 1, url);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        id = -1;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return id;
}

/* The id of url, added when new; -1 on error. */
static int64_t url_id_add(ca_store *s, const char *url)
{
    int64_t id = ca__store_url_id(s, url);

    if (id != 0)
        return id;
    bind_text(s->st[ST_URL_ADD], 1, url);
    if (run_stmt(s->st[ST_URL_ADD]) < 0)
        return -1;
    return sqlite3_last_insert_rowid(s->db);
}

ca_status ca_store_run_begin(ca_store *s, const char *command, int64_t started,
                             int64_t *ret_run, ca_error *err)
{
    sqlite3_stmt *q = NULL;
    ca_status st = CA_OK;

    if (ca__store_batch_open(s, err) != CA_OK)
        return CA_ENV;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO runs(started, command, version) "
                           "VALUES (?1, ?2, ?3)", -1, &q, NULL) != SQLITE_OK)
        return ca__store_batch_abort(s, err, "cannot start a run");
    sqlite3_bind_int64(q, 1, started);
    bind_text(q, 2, command);
    bind_text(q, 3, ca_version());
    if (run_stmt(q) < 0)
        st = ca__store_batch_abort(s, err, "cannot start a run");
    else
        *ret_run = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(q);
    if (st == CA_OK)
        st = ca_store_flush(s, err);
    return st;
}

ca_status ca_store_run_end(ca_store *s, int64_t run, int64_t finished,
                           ca_store_run_status status, size_t links, size_t checked,
                           size_t reused, ca_error *err)
{
    static const char *const names[] = {"done", "interrupted", "no_network"};
    sqlite3_stmt *q = NULL;
    ca_status st = CA_OK;

    if (ca_store_flush(s, err) != CA_OK || ca__store_batch_open(s, err) != CA_OK)
        return CA_ENV;
    if (sqlite3_prepare_v2(s->db, "UPDATE runs SET finished = ?2, status = ?3, links = ?4, "
                           "checked = ?5, reused = ?6 WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
        return ca__store_batch_abort(s, err, "cannot end the run");
    sqlite3_bind_int64(q, 1, run);
    sqlite3_bind_int64(q, 2, finished);
    bind_text(q, 3, names[status]);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)links);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)checked);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)reused);
    if (run_stmt(q) < 0)
        st = ca__store_batch_abort(s, err, "cannot end the run");
    sqlite3_finalize(q);
    if (st == CA_OK)
        st = ca_store_flush(s, err);
    return st;
}

/* ---- documents ---- */

static int64_t doc_id(ca_store *s, const ca_run_doc *d, int64_t run_id)
{
    sqlite3_stmt *q = s->st[ST_DOC_UPSERT];
    int64_t id = -1;

    bind_text(q, 1, d->origin);
    bind_text(q, 2, d->url);
    bind_text(q, 3, d->outlet);
    bind_text(q, 4, d->title);
    bind_text(q, 5, d->published);
    bind_text(q, 6, d->error);
    sqlite3_bind_int64(q, 7, run_id);
    if (run_stmt(q) < 0)
        return -1;
    q = s->st[ST_DOC_ID];
    bind_text(q, 1, d->origin);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return id;
}

static int save_cite(ca_store *s, const ca_run *run, int64_t doc, const ca_run_cite *c)
{
    sqlite3_stmt *q = s->st[ST_CITE_ADD];
    int64_t url = url_id_add(s, ca_run_url(run, c));

    if (url < 0)
        return -1;
    sqlite3_bind_int64(q, 1, doc);
    sqlite3_bind_int64(q, 2, url);
    sqlite3_bind_int64(q, 3, c->line);
    sqlite3_bind_int64(q, 4, c->col);
    bind_text(q, 5, ca_region_name((ca_region)c->region));
    bind_text(q, 6, ca_kind_name((ca_kind)c->kind));
    bind_text(q, 7, ca_run_source(run, c));
    return run_stmt(q);
}

ca_status ca_store_save_docs(ca_store *s, int64_t run_id, const ca_run *run, ca_error *err)
{
    size_t i, k;
    int own = !s->in_user_txn;

    if (own && ca_store_begin(s, err) != CA_OK)
        return CA_ENV;
    for (i = 0; i < run->ndocs; i++) {
        const ca_run_doc *d = &run->docs[i];
        int64_t id = doc_id(s, d, run_id);

        if (id < 0)
            goto fail;
        sqlite3_bind_int64(s->st[ST_CITES_DEL], 1, id);
        if (run_stmt(s->st[ST_CITES_DEL]) < 0)
            goto fail;
        for (k = d->first; k < d->first + d->n; k++)
            if (save_cite(s, run, id, &run->cites[k]) < 0)
                goto fail;
    }
    return own ? ca_store_commit(s, err) : CA_OK;
fail:
    ca__store_fail(s, err, "cannot save the documents");
    if (own) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_user_txn = 0;
    }
    return CA_ENV;
}

/* ---- results ---- */

/* The redirect chain as JSON text (caller frees), NULL when empty. */
static char *chain_json(const ca_result *res)
{
    json_t *a;
    char *s;
    unsigned i;

    if (!res->nchain)
        return NULL;
    a = json_array();
    for (i = 0; a && i < res->nchain; i++)
        json_array_append_new(a, json_pack("{s:s?,s:i}", "url", res->chain[i].url,
                                           "http_code", res->chain[i].http_code));
    s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

static int link_add(ca_store *s, int64_t run_id, int64_t url, int64_t check, int reused)
{
    sqlite3_stmt *q = s->st[ST_LINK_ADD];

    sqlite3_bind_int64(q, 1, run_id);
    sqlite3_bind_int64(q, 2, url);
    sqlite3_bind_int64(q, 3, check);
    sqlite3_bind_int(q, 4, reused);
    return run_stmt(q);
}

static int check_add(ca_store *s, int64_t run_id, int64_t url, const ca_result *res)
{
    sqlite3_stmt *q = s->st[ST_CHECK_ADD];
    char *chain = chain_json(res);
    int rc;

    if (res->nchain && !chain)
        return -1;
    sqlite3_bind_int64(q, 1, url);
    sqlite3_bind_int64(q, 2, run_id);
    sqlite3_bind_int64(q, 3, res->checked_at ? res->checked_at : (int64_t)time(NULL));
    bind_text(q, 4, ca_class_name(res->cls));
    if (res->http_code)
        sqlite3_bind_int(q, 5, res->http_code);
    if (res->curl_code)
        sqlite3_bind_int(q, 6, res->curl_code);
    bind_text(q, 7, res->error);
    bind_text(q, 8, res->final_url);
    bind_text(q, 9, chain);
    sqlite3_bind_int64(q, 10, res->attempts);
    sqlite3_bind_int64(q, 11, res->elapsed_ms);
    bind_text(q, 12, ca_reason_name(res->reason));
    if (res->archive) {
        bind_text(q, 13, res->archive->url);
        if (res->archive->time)
            sqlite3_bind_int64(q, 14, res->archive->time);
        if (res->archive->drift >= 0) {
            sqlite3_bind_double(q, 15, res->archive->drift);
            sqlite3_bind_int(q, 16, res->archive->drifted);
        }
    }
    rc = run_stmt(q);
    free(chain);
    return rc;
}

ca_status ca_store_record(ca_store *s, int64_t run_id, const char *url, const ca_result *res,
                          ca_error *err)
{
    int64_t id;

    if (ca__store_batch_open(s, err) != CA_OK)
        return CA_ENV;
    id = url_id_add(s, url);
    if (id < 0 || check_add(s, run_id, id, res) < 0 ||
        link_add(s, run_id, id, sqlite3_last_insert_rowid(s->db), 0) < 0)
        return ca__store_batch_abort(s, err, "cannot record a result");
    return ca__store_batch_tick(s, err);
}

ca_status ca_store_record_reused(ca_store *s, int64_t run_id, const char *url,
                                 int64_t check_id, ca_error *err)
{
    int64_t id;

    if (ca__store_batch_open(s, err) != CA_OK)
        return CA_ENV;
    id = url_id_add(s, url);
    if (id < 0 || link_add(s, run_id, id, check_id, 1) < 0)
        return ca__store_batch_abort(s, err, "cannot record a reused result");
    return ca__store_batch_tick(s, err);
}

ca_status ca_store_drop_checks(ca_store *s, int64_t run_id, ca_class cls, ca_error *err)
{
    sqlite3_stmt *q = NULL;
    ca_status st = CA_OK;

    if (ca_store_flush(s, err) != CA_OK || ca__store_batch_open(s, err) != CA_OK)
        return CA_ENV;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM checks WHERE run_id = ?1 AND class = ?2", -1,
                           &q, NULL) != SQLITE_OK)
        return ca__store_batch_abort(s, err, "cannot drop the checks of a run with no network");
    sqlite3_bind_int64(q, 1, run_id);
    bind_text(q, 2, ca_class_name(cls));
    if (run_stmt(q) < 0)
        st = ca__store_batch_abort(s, err, "cannot drop the checks of a run with no network");
    sqlite3_finalize(q);
    return st == CA_OK ? ca_store_flush(s, err) : st;
}

int ca_store_class_definitive(ca_class cls)
{
    return cls == CA_CLASS_OK || cls == CA_CLASS_REDIRECTED || cls == CA_CLASS_DEAD ||
           cls == CA_CLASS_SOFT404;
}
