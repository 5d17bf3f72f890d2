/*
 * test-store.c - the audit store without a network: a new store gets the
 * schema and WAL, results go in and come back (redirect chains too), the
 * latest check is the newest, reused results add no check, a batch is
 * committed, timelines (alive, failing, streaks, unknown skipped), a
 * store from a newer citeaudit and a garbage file are refused and left
 * as they are, and a WARC file written here is replayed.
 *
 *   test-store WORKDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "citeaudit/citeaudit.h"
#include "citeaudit/warc.h"

static char dir[4096];

static const char *path_in(const char *name)
{
    static char p[4200];

    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static ca_result result(ca_class cls, int code, int64_t at)
{
    ca_result r;

    memset(&r, 0, sizeof r);
    r.cls = cls;
    r.http_code = code;
    r.checked_at = at;
    r.attempts = 1;
    return r;
}

static void roundtrip(void)
{
    ca_error err = CA_ERROR_INIT;
    ca_store *s = NULL;
    ca_store_check c;
    ca_hop chain[2] = {{"https://a.example/old", 301}, {"https://a.example/new", 200}};
    ca_result r = result(CA_CLASS_REDIRECTED, 200, 1000);
    int64_t run = 0;
    int found = 0;

    unlink(path_in("a.db"));
    CHECK_INT(ca_store_open(path_in("a.db"), 0, &s, &err), CA_OK);
    if (!s)
        return;
    CHECK_INT(ca_store_run_begin(s, "test", 1000, &run, &err), CA_OK);
    r.chain = chain;
    r.nchain = 2;
    r.final_url = "https://a.example/new";
    CHECK_INT(ca_store_record(s, run, "https://a.example/old", &r, &err), CA_OK);
    r = result(CA_CLASS_DEAD, 404, 2000);
    CHECK_INT(ca_store_record(s, run, "https://a.example/old", &r, &err), CA_OK);
    CHECK_INT(ca_store_latest(s, "https://a.example/old", &c, &found, &err), CA_OK);
    CHECK_INT(found, 1);
    CHECK_INT(c.res.cls, CA_CLASS_DEAD);
    CHECK_INT(c.res.http_code, 404);
    ca_store_check_release(&c);
    CHECK_INT(ca_store_latest(s, "https://nowhere.example/", &c, &found, &err), CA_OK);
    CHECK_INT(found, 0);
    CHECK_INT(ca_store_run_end(s, run, 2001, CA_STORE_RUN_DONE, 1, 2, 0, &err), CA_OK);
    ca_store_close(s);

    /* reopened: the history, oldest first, chain intact */
    s = NULL;
    CHECK_INT(ca_store_open(path_in("a.db"), CA_STORE_READONLY, &s, &err), CA_OK);
    if (s) {
        ca_store_check *v = NULL;
        size_t n = 0;

        CHECK_INT(ca_store_history(s, "https://a.example/old", &v, &n, &err), CA_OK);
        CHECK_INT(n, 2);
        if (n == 2) {
            CHECK_INT(v[0].res.cls, CA_CLASS_REDIRECTED);
            CHECK_INT(v[0].res.nchain, 2);
            if (v[0].res.nchain == 2) {
                CHECK_STR(v[0].res.chain[0].url, "https://a.example/old");
                CHECK_INT(v[0].res.chain[0].http_code, 301);
            }
            CHECK_STR(v[0].res.final_url, "https://a.example/new");
            CHECK_INT(v[1].res.checked_at, 2000);
        }
        ca_store_history_free(v, n);
        ca_store_close(s);
    }
}

static void reuse_and_batch(void)
{
    ca_error err = CA_ERROR_INIT;
    ca_store *s = NULL;
    ca_store_check c;
    ca_result r = result(CA_CLASS_OK, 200, 5000);
    int64_t run = 0, run2 = 0;
    int found = 0, i;
    char url[64];
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;

    unlink(path_in("b.db"));
    CHECK_INT(ca_store_open(path_in("b.db"), 0, &s, &err), CA_OK);
    if (!s)
        return;
    ca_store_set_batch(s, 100, 60000);
    CHECK_INT(ca_store_run_begin(s, NULL, 5000, &run, &err), CA_OK);
    for (i = 0; i < 250; i++) {
        snprintf(url, sizeof url, "https://b.example/%d", i);
        CHECK_INT(ca_store_record(s, run, url, &r, &err), CA_OK);
    }
    /* two batches of 100 are committed, 50 still pending: another
     * connection sees 200 */
    CHECK_INT(sqlite3_open(path_in("b.db"), &db), SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM checks", -1, &q, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(q), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(q, 0), 200);
    sqlite3_reset(q);
    CHECK_INT(ca_store_flush(s, &err), CA_OK);
    CHECK_INT(sqlite3_step(q), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(q, 0), 250);
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* a reused result is a link of the run, not a new check */
    CHECK_INT(ca_store_run_begin(s, NULL, 6000, &run2, &err), CA_OK);
    CHECK_INT(ca_store_latest(s, "https://b.example/7", &c, &found, &err), CA_OK);
    CHECK_INT(found, 1);
    CHECK_INT(ca_store_record_reused(s, run2, "https://b.example/7", c.id, &err), CA_OK);
    ca_store_check_release(&c);
    CHECK_INT(ca_store_flush(s, &err), CA_OK);
    ca_store_close(s);
    CHECK_INT(sqlite3_open(path_in("b.db"), &db), SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM checks), (SELECT count(*) "
                                 "FROM run_links WHERE reused = 1), (SELECT journal_mode FROM "
                                 "pragma_journal_mode), (SELECT user_version FROM "
                                 "pragma_user_version)", -1, &q, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(q), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(q, 0), 250);
    CHECK_INT(sqlite3_column_int(q, 1), 1);
    CHECK_STR((const char *)sqlite3_column_text(q, 2), "wal");
    CHECK_INT(sqlite3_column_int(q, 3), CA_STORE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void timeline(void)
{
    ca_store_check v[6];
    ca_store_timeline t;
    unsigned mask = 1u << CA_CLASS_DEAD | 1u << CA_CLASS_TIMEOUT;
    const ca_class seq[6] = {CA_CLASS_OK, CA_CLASS_DEAD, CA_CLASS_OK, CA_CLASS_DEAD,
                             CA_CLASS_UNKNOWN, CA_CLASS_TIMEOUT};
    int i;

    memset(v, 0, sizeof v);
    for (i = 0; i < 6; i++) {
        v[i].res.cls = seq[i];
        v[i].res.checked_at = 100 * (i + 1);
    }
    ca_store_timeline_of(v, 6, mask, &t);
    CHECK_INT(t.checks, 6);
    CHECK_INT(t.first_alive, 100);
    CHECK_INT(t.last_alive, 300);
    CHECK_INT(t.first_failing, 200);
    CHECK_INT(t.streak, 2); /* dead, (unknown skipped), timeout */
    CHECK_INT(t.streak_since, 400);
    CHECK_INT(t.last_checked, 600);
    ca_store_timeline_of(v, 3, mask, &t);
    CHECK_INT(t.streak, 0);
    CHECK_INT(t.streak_since, 0);
    CHECK(ca_store_class_definitive(CA_CLASS_SOFT404));
    CHECK(!ca_store_class_definitive(CA_CLASS_SERVER_ERROR));
    CHECK(!ca_store_class_definitive(CA_CLASS_UNKNOWN));
}

static void refused(void)
{
    ca_error err = CA_ERROR_INIT;
    ca_store *s = NULL;
    sqlite3 *db = NULL;
    FILE *f;
    struct stat before, after;

    /* a store from a newer citeaudit */
    unlink(path_in("new.db"));
    CHECK_INT(sqlite3_open(path_in("new.db"), &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "PRAGMA application_id = 1128879169; PRAGMA user_version = 99",
                           NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(ca_store_open(path_in("new.db"), 0, &s, &err), CA_ENV);
    CHECK(strstr(err.msg, "newer") != NULL);
    CHECK(s == NULL);

    /* garbage: named, refused, untouched */
    f = fopen(path_in("junk.db"), "wb");
    if (!f)
        return;
    fputs("SQLite format 2 -- not really\n", f);
    fclose(f);
    stat(path_in("junk.db"), &before);
    ca_error_clear(&err);
    CHECK_INT(ca_store_open(path_in("junk.db"), 0, &s, &err), CA_ENV);
    CHECK(strstr(err.msg, "junk.db") != NULL);
    CHECK(strstr(err.msg, "corrupt") != NULL);
    stat(path_in("junk.db"), &after);
    CHECK_INT(after.st_size, before.st_size);

    /* read-only opening of nothing */
    ca_error_clear(&err);
    CHECK_INT(ca_store_open(path_in("none.db"), CA_STORE_READONLY, &s, &err), CA_NOTFOUND);
}

static void warc_roundtrip(void)
{
    static const char req[] = "GET /a HTTP/1.1\r\nHost: w.example\r\n\r\n";
    static const char resp301[] = "HTTP/1.1 301 Moved\r\nLocation: /b\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n";
    static const char resp200[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    ca_error err = CA_ERROR_INIT;
    ca_warc_writer *w = NULL;
    ca_warc_replay *r = NULL;
    ca_checker *chk = NULL;
    ca_exchange ex;
    ca_result res;
    int found = 0;

    CHECK_INT(ca_warc_writer_open(path_in("t.warc.gz"), &w, &err), CA_OK);
    if (!w)
        return;
    memset(&ex, 0, sizeof ex);
    ex.url = "https://w.example/a";
    ex.request = req;
    ex.request_len = sizeof req - 1;
    ex.response = resp301;
    ex.response_len = sizeof resp301 - 1;
    ex.time = 1700000000;
    CHECK_INT(ca_warc_write_exchange(w, &ex, &err), CA_OK);
    ex.url = "https://w.example/b";
    ex.response = resp200;
    ex.response_len = sizeof resp200 - 1;
    ex.body = "hello";
    ex.body_len = 5;
    CHECK_INT(ca_warc_write_exchange(w, &ex, &err), CA_OK);
    CHECK_INT(ca_warc_writer_records(w), 5);
    CHECK_INT(ca_warc_writer_close(w, &err), CA_OK);

    CHECK_INT(ca_warc_replay_open(path_in("t.warc.gz"), &r, &err), CA_OK);
    CHECK_INT(ca_checker_create(NULL, &chk, &err), CA_OK);
    if (!r || !chk)
        goto out;
    CHECK_INT(ca_warc_replay_count(r), 2);
    CHECK_INT(ca_warc_replay_result(r, chk, "https://w.example/a", 10, &res, &found, &err),
              CA_OK);
    CHECK_INT(found, 1);
    if (found) {
        CHECK_INT(res.cls, CA_CLASS_REDIRECTED);
        CHECK_INT(res.http_code, 200);
        CHECK_STR(res.final_url, "https://w.example/b");
        CHECK_INT(res.nchain, 2);
        CHECK_INT(res.checked_at, 1700000000);
        ca_warc_result_release(&res);
    }
    CHECK_INT(ca_warc_replay_result(r, chk, "https://w.example/zzz", 10, &res, &found, &err),
              CA_OK);
    CHECK_INT(found, 0);
out:
    ca_checker_destroy(chk);
    ca_warc_replay_destroy(r);
}

int main(int argc, char **argv)
{
    ca_error err = CA_ERROR_INIT;

    snprintf(dir, sizeof dir, "%s", argc > 1 ? argv[1] : "test-store.d");
    mkdir(dir, 0777);
    if (ca_global_init(&err) != CA_OK)
        return 1;
    roundtrip();
    reuse_and_batch();
    timeline();
    refused();
    warc_roundtrip();
    ca_global_cleanup();
    return check_done("store");
}
