/*
 * store_history.c - reading checks back from the store: the latest check
 * of a URL (what an incremental run may reuse), every check of a URL
 * oldest first (`citeaudit history`), and what that history says: when
 * the link was first seen alive or failing, and how long it has been
 * failing without a break ("dead since DATE (N checks)", --confirm).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static char *col_dup(sqlite3_stmt *q, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    char *s;

    if (!t)
        return NULL;
    s = strdup((const char *)t);
    if (!s)
        *oom = 1;
    return s;
}

/* The redirects column (JSON) back into a chain. */
static int parse_chain(const char *text, ca_result *res)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    size_t i, n;

    if (!a)
        return 0; /* no chain, or one we cannot read: the verdict stands */
    n = json_is_array(a) ? json_array_size(a) : 0;
    res->chain = n ? calloc(n, sizeof *res->chain) : NULL;
    if (n && !res->chain) {
        json_decref(a);
        return -1;
    }
    for (i = 0; i < n; i++) {
        json_t *hop = json_array_get(a, i);
        const char *url = json_string_value(json_object_get(hop, "url"));

        res->chain[res->nchain].url = strdup(url ? url : "");
        if (!res->chain[res->nchain].url)
            break;
        res->chain[res->nchain].http_code =
            (int)json_integer_value(json_object_get(hop, "http_code"));
        res->nchain++;
    }
    json_decref(a);
    return res->nchain == n ? 0 : -1;
}

ca_status ca__store_row_check(sqlite3_stmt *q, ca_store_check *c)
{
    ca_result *r = &c->res;
    int oom = 0, cls;

    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(q, 0);
    c->run_id = sqlite3_column_int64(q, 1);
    r->checked_at = sqlite3_column_int64(q, 2);
    cls = ca_class_parse((const char *)sqlite3_column_text(q, 3) ?
                             (const char *)sqlite3_column_text(q, 3) : "");
    r->cls = cls < 0 ? CA_CLASS_UNKNOWN : (ca_class)cls;
    r->http_code = sqlite3_column_int(q, 4);
    r->curl_code = sqlite3_column_int(q, 5);
    r->error = col_dup(q, 6, &oom);
    r->final_url = col_dup(q, 7, &oom);
    if (parse_chain((const char *)sqlite3_column_text(q, 8), r) < 0)
        oom = 1;
    r->attempts = (unsigned)sqlite3_column_int64(q, 9);
    r->elapsed_ms = (unsigned)sqlite3_column_int64(q, 10);
    r->reason = ca_reason_parse((const char *)sqlite3_column_text(q, 11));
    if (sqlite3_column_type(q, 12) != SQLITE_NULL) {
        r->archive = calloc(1, sizeof *r->archive);
        if (!r->archive)
            oom = 1;
        else {
            r->archive->url = col_dup(q, 12, &oom);
            r->archive->time = sqlite3_column_int64(q, 13);
            r->archive->drift = sqlite3_column_type(q, 14) == SQLITE_NULL
                                    ? -1 : sqlite3_column_double(q, 14);
            r->archive->drifted = sqlite3_column_int(q, 15);
        }
    }
    if (oom) {
        ca_store_check_release(c);
        return CA_NOMEM;
    }
    return CA_OK;
}

void ca_store_check_release(ca_store_check *c)
{
    unsigned i;

    if (!c)
        return;
    free(c->res.error);
    free(c->res.final_url);
    for (i = 0; i < c->res.nchain; i++)
        free(c->res.chain[i].url);
    free(c->res.chain);
    if (c->res.archive)
        free(c->res.archive->url);
    free(c->res.archive);
    memset(c, 0, sizeof *c);
}

ca_status ca_store_latest(ca_store *s, const char *url, ca_store_check *ret, int *ret_found,
                          ca_error *err)
{
    sqlite3_stmt *q = s->st[ST_LATEST];
    ca_status st = CA_OK;
    int rc;

    *ret_found = 0;
    sqlite3_bind_text(q, 1, url, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        st = ca__store_row_check(q, ret);
        if (st != CA_OK)
            ca_error_set(err, st, "out of memory reading store '%s'", s->path);
        else
            *ret_found = 1;
    } else if (rc != SQLITE_DONE) {
        st = ca__store_fail(s, err, "cannot read a stored result");
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return st;
}

void ca_store_history_free(ca_store_check *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        ca_store_check_release(&v[i]);
    free(v);
}

ca_status ca_store_history(ca_store *s, const char *url, ca_store_check **ret, size_t *ret_n,
                           ca_error *err)
{
    sqlite3_stmt *q = s->st[ST_HISTORY];
    ca_store_check *v = NULL, *p;
    size_t n = 0, cap = 0;
    ca_status st = CA_OK;
    int rc;

    sqlite3_bind_text(q, 1, url, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            p = realloc(v, cap * sizeof *p);
            if (!p) {
                st = ca_error_set(err, CA_NOMEM, "out of memory reading store '%s'", s->path);
                break;
            }
            v = p;
        }
        st = ca__store_row_check(q, &v[n]);
        if (st != CA_OK) {
            ca_error_set(err, st, "out of memory reading store '%s'", s->path);
            break;
        }
        n++;
    }
    if (st == CA_OK && rc != SQLITE_DONE)
        st = ca__store_fail(s, err, "cannot read the history");
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (st != CA_OK) {
        ca_store_history_free(v, n);
        return st;
    }
    *ret = v;
    *ret_n = n;
    return CA_OK;
}

void ca_store_timeline_of(const ca_store_check *v, size_t n, unsigned fail_mask,
                          ca_store_timeline *t)
{
    size_t i;

    memset(t, 0, sizeof *t);
    t->checks = n;
    for (i = 0; i < n; i++) {
        const ca_result *r = &v[i].res;
        int failing = (unsigned)r->cls < 32 && ((fail_mask >> r->cls) & 1u);

        if (!t->first_checked)
            t->first_checked = r->checked_at;
        t->last_checked = r->checked_at;
        if (r->cls == CA_CLASS_UNKNOWN)
            continue; /* not checked: says nothing either way */
        if (r->cls == CA_CLASS_OK || r->cls == CA_CLASS_REDIRECTED) {
            if (!t->first_alive)
                t->first_alive = r->checked_at;
            t->last_alive = r->checked_at;
        }
        if (failing) {
            if (!t->first_failing)
                t->first_failing = r->checked_at;
            if (!t->streak++)
                t->streak_since = r->checked_at;
        } else {
            t->streak = 0;
            t->streak_since = 0;
        }
    }
}

ca_status ca_store_url_timeline(ca_store *s, const char *url, unsigned fail_mask,
                                ca_store_timeline *ret, ca_error *err)
{
    ca_store_check *v = NULL;
    size_t n = 0;
    ca_status st = ca_store_history(s, url, &v, &n, err);

    if (st != CA_OK)
        return st;
    ca_store_timeline_of(v, n, fail_mask, ret);
    ca_store_history_free(v, n);
    return CA_OK;
}
