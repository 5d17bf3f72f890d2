/*
 * store_probe.c - the random-sibling probes of soft-404 rule (c) kept in
 * the audit store (table probes, schema version 2), so a host and
 * directory probed by one run is not probed again by the next while the
 * answer is fresh. Unlike checks, a probe is a cache entry, not history:
 * a new probe of the same key replaces the old one.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

ca_status ca_store_probe_get(ca_store *s, const char *key, int64_t min_time, ca_probe *ret,
                             int *ret_found, ca_error *err)
{
    sqlite3_stmt *q = NULL;
    ca_status st = CA_OK;
    const void *blob;
    int rc, n, i;
    uint64_t *sk = NULL;
    char *k = NULL, *fu = NULL;

    *ret_found = 0;
    if (s->version < 2)
        return CA_OK; /* an old store opened read-only has no probes */
    if (sqlite3_prepare_v2(s->db, "SELECT checked_at, http_code, soft, final_url, sketch "
                           "FROM probes WHERE key = ?1 AND checked_at >= ?2", -1, &q,
                           NULL) != SQLITE_OK)
        return ca__store_fail(s, err, "cannot read the probes");
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, min_time);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        memset(ret, 0, sizeof *ret);
        ret->checked_at = sqlite3_column_int64(q, 0);
        ret->http_code = sqlite3_column_int(q, 1);
        ret->soft = sqlite3_column_int(q, 2);
        k = strdup(key);
        if (sqlite3_column_text(q, 3))
            fu = strdup((const char *)sqlite3_column_text(q, 3));
        blob = sqlite3_column_blob(q, 4);
        n = sqlite3_column_bytes(q, 4) / 8;
        if (blob && n > 0 && (sk = malloc((size_t)n * sizeof *sk)))
            for (i = 0; i < n; i++) {
                const unsigned char *b = (const unsigned char *)blob + 8 * i;
                uint64_t v = 0;

                for (int j = 7; j >= 0; j--)
                    v = v << 8 | b[j];
                sk[i] = v;
            }
        if (!k || (sqlite3_column_text(q, 3) && !fu) || (blob && n > 0 && !sk)) {
            free(k);
            free(fu);
            free(sk);
            st = ca_error_set(err, CA_NOMEM, "out of memory reading a probe");
        } else {
            ret->key = k;
            ret->final_url = fu;
            ret->sketch = sk;
            ret->nsketch = sk ? (size_t)n : 0;
            *ret_found = 1;
        }
    } else if (rc != SQLITE_DONE) {
        st = ca__store_fail(s, err, "cannot read the probes");
    }
    sqlite3_finalize(q);
    return st;
}

void ca_store_probe_release(ca_probe *p)
{
    if (!p)
        return;
    free((void *)p->key);
    free((void *)p->final_url);
    free((void *)p->sketch);
    memset(p, 0, sizeof *p);
}

ca_status ca_store_probe_put(ca_store *s, const ca_probe *p, ca_error *err)
{
    sqlite3_stmt *q = NULL;
    unsigned char *blob = NULL;
    size_t i;
    int rc;

    if (ca__store_batch_open(s, err) != CA_OK)
        return CA_ENV;
    if (p->nsketch && !(blob = malloc(p->nsketch * 8)))
        return ca_error_set(err, CA_NOMEM, "out of memory keeping a probe");
    for (i = 0; i < p->nsketch; i++)
        for (int j = 0; j < 8; j++)
            blob[8 * i + (size_t)j] = (unsigned char)(p->sketch[i] >> (8 * j));
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO probes(key, checked_at, http_code, "
                           "soft, final_url, sketch) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &q,
                           NULL) != SQLITE_OK) {
        free(blob);
        return ca__store_batch_abort(s, err, "cannot keep a probe");
    }
    sqlite3_bind_text(q, 1, p->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, p->checked_at);
    if (p->http_code)
        sqlite3_bind_int(q, 3, p->http_code);
    sqlite3_bind_int(q, 4, p->soft != 0);
    if (p->final_url)
        sqlite3_bind_text(q, 5, p->final_url, -1, SQLITE_STATIC);
    if (blob)
        sqlite3_bind_blob(q, 6, blob, (int)(p->nsketch * 8), SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    free(blob);
    if (rc != SQLITE_DONE)
        return ca__store_batch_abort(s, err, "cannot keep a probe");
    return ca__store_batch_tick(s, err);
}
