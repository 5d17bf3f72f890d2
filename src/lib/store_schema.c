/*
 * store_schema.c - the schema of the audit store and its migrations.
 *
 * migrations[k] takes a store from schema version k to k + 1 (version 0 is
 * an empty file). Each runs in the same IMMEDIATE transaction as the
 * version bump, so two processes opening a new store at once cannot both
 * create it, and a migration killed half-way leaves the old version. Never
 * edit a released step: append a new one and bump CA_STORE_SCHEMA_VERSION.
 */
#include <sqlite3.h>
#include <stdio.h>

#include "citeaudit/store.h"
#include "store_int.h"

/* 0 -> 1: the first schema. Times are Unix seconds (UTC). */
static const char v1[] =
    /* One row per URL ever cited or checked: the identity of a link. */
    "CREATE TABLE urls ("
    "  id INTEGER PRIMARY KEY,"
    "  url TEXT NOT NULL UNIQUE);"
    /* One row per citeaudit invocation that checked (or reused) links. */
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  started INTEGER NOT NULL,"
    "  finished INTEGER," /* NULL: still running, or killed */
    "  status TEXT NOT NULL DEFAULT 'running'"
    "    CHECK (status IN ('running', 'done', 'interrupted', 'no_network')),"
    "  command TEXT,"
    "  version TEXT,"
    "  links INTEGER, checked INTEGER, reused INTEGER);"
    /* Documents by origin (path or URL as given), with their metadata as
     * last read. */
    "CREATE TABLE documents ("
    "  id INTEGER PRIMARY KEY,"
    "  origin TEXT NOT NULL UNIQUE,"
    "  url TEXT, outlet TEXT, title TEXT, published TEXT,"
    "  error TEXT," /* the input could not be read: why */
    "  first_run INTEGER NOT NULL REFERENCES runs(id),"
    "  last_run INTEGER NOT NULL REFERENCES runs(id));"
    /* The citations of each document as last read. */
    "CREATE TABLE citations ("
    "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  url_id INTEGER NOT NULL REFERENCES urls(id),"
    "  line INTEGER NOT NULL, col INTEGER NOT NULL,"
    "  region TEXT NOT NULL, kind TEXT NOT NULL, source TEXT,"
    "  PRIMARY KEY (document_id, line, col, url_id)) WITHOUT ROWID;"
    "CREATE INDEX citations_by_url ON citations(url_id);"
    /* Every check ever made: the history. Never updated in place. */
    "CREATE TABLE checks ("
    "  id INTEGER PRIMARY KEY,"
    "  url_id INTEGER NOT NULL REFERENCES urls(id),"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  checked_at INTEGER NOT NULL,"
    "  class TEXT NOT NULL,"
    "  http_code INTEGER," /* NULL: no HTTP answer */
    "  curl_code INTEGER,"
    "  error TEXT,"
    "  final_url TEXT,"
    "  redirects TEXT," /* JSON: [{\"url\": ..., \"http_code\": ...}, ...] */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  elapsed_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX checks_by_url ON checks(url_id, checked_at, id);"
    "CREATE INDEX checks_by_run ON checks(run_id);"
    /* What each run used for each link: a check it made, or one it reused. */
    "CREATE TABLE run_links ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  url_id INTEGER NOT NULL REFERENCES urls(id),"
    "  check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,"
    "  reused INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, url_id)) WITHOUT ROWID;"
    "CREATE INDEX run_links_by_check ON run_links(check_id);";

/* 1 -> 2 (issue 7): why a verdict is what it is, the archived copy of a
 * link and how far the live page drifted from it; the random-sibling
 * probes of soft-404 rule (c), kept per host and directory. */
static const char v2[] =
    "ALTER TABLE checks ADD COLUMN reason TEXT;"       /* bot-protection, parked, ... */
    "ALTER TABLE checks ADD COLUMN archive_url TEXT;"  /* a capture in a web archive */
    "ALTER TABLE checks ADD COLUMN archive_time INTEGER;"
    "ALTER TABLE checks ADD COLUMN drift REAL;"        /* similarity live/capture, 0..1 */
    "ALTER TABLE checks ADD COLUMN drifted INTEGER;"   /* below the threshold then */
    "CREATE TABLE probes ("
    "  key TEXT PRIMARY KEY,"          /* scheme, host, port, directory, shape: what was probed */
    "  checked_at INTEGER NOT NULL,"
    "  http_code INTEGER,"             /* the random address's final status */
    "  soft INTEGER NOT NULL,"         /* it answered 2xx */
    "  final_url TEXT,"
    "  sketch BLOB) WITHOUT ROWID;";   /* its main text's shingle sketch, 64-bit LE */

static const char *const migrations[CA_STORE_SCHEMA_VERSION] = {v1, v2};

ca_status ca__store_migrate(ca_store *s, ca_error *err)
{
    char sql[64];
    int version, rc;

    rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return ca__store_fail(s, err, "cannot lock it to set up its tables");
    version = ca__store_user_version(s);
    if (version < 0)
        goto fail;
    if (version > CA_STORE_SCHEMA_VERSION) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return ca_error_set(err, CA_ENV,
                            "store '%s' has schema version %d, newer than this citeaudit "
                            "knows (%d); use a newer citeaudit, or give another --store",
                            s->path, version, CA_STORE_SCHEMA_VERSION);
    }
    for (; version < CA_STORE_SCHEMA_VERSION; version++) {
        if (sqlite3_exec(s->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version + 1);
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
    }
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", CA__STORE_APP_ID);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return CA_OK;
fail:
    ca__store_fail(s, err, "cannot set up its tables");
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return err ? err->code : CA_ENV;
}
