/*
 * prov_lsh.c - candidate pairs of documents from their MinHash sketches,
 * by locality-sensitive hashing, so that a corpus of 100,000 documents is
 * never compared pair by pair.
 *
 * Every window of a document has 16 minima, one per hash function. The
 * probability that two windows share the minimum of a function is the
 * Jaccard resemblance of their shingle sets. The LSH takes each function
 * as one band of one row: windows with the same minimum under a function
 * fall in one bucket, and two documents become a candidate pair when two
 * of their windows met in the buckets of at least two of the 16 functions.
 * Two windows that share half their shingles (a passage copied across a
 * window boundary) meet under two or more functions with probability 0.99;
 * windows of unrelated texts that share one common phrase, 1 in 150.
 * Counting meetings per pair of windows, not per pair of documents, keeps
 * two long unrelated texts with a few common phrases scattered over them
 * from adding up to a candidate.
 *
 * A bucket holding more than bucket_max windows is a passage common to
 * many documents (a wire story printed by dozens of outlets, a template
 * the boilerplate pass did not catch): pairing it up would be quadratic,
 * so each of its windows is paired with the bucket's first window only
 * (the smallest, the same under every function for identical windows):
 * a hundred copies of one story give a hundred pairs with the first, not
 * five thousand.
 *
 * Memory is one array of (minimum, window) per function at a time, plus
 * the distinct pairs seen with their counts.
 */
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"

struct entry {
    uint32_t v;
    uint32_t chunk;
};

struct counted {
    uint64_t key;
    uint32_t n;
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;

    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->chunk < y->chunk ? -1 : x->chunk > y->chunk;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

struct keys {
    uint64_t *v;
    size_t n, cap;
};

static int push_key(struct keys *k, uint64_t key)
{
    if (k->n == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 4096;
        uint64_t *p = realloc(k->v, ncap * sizeof *p);

        if (!p)
            return -1;
        k->v = p;
        k->cap = ncap;
    }
    k->v[k->n++] = key;
    return 0;
}

/* The window pairs of one bucket e[0..m) (windows of two documents; the
 * entries are sorted by window, so the first is the smaller). */
static int pair_bucket(const ca_prov *p, const struct entry *e, size_t m, struct keys *k)
{
    size_t i, j;

    for (i = 0; i < m; i++) {
        uint32_t a = p->chunk_doc[e[i].chunk];

        for (j = i + 1; j < m; j++)
            if (p->chunk_doc[e[j].chunk] != a &&
                push_key(k, (uint64_t)e[i].chunk << 32 | e[j].chunk) < 0)
                return -1;
    }
    return 0;
}

/* A big bucket e[0..m): its windows paired with the first one's. */
static int star_bucket(const ca_prov *p, const struct entry *e, size_t m, struct keys *k)
{
    size_t j;

    for (j = 1; j < m; j++)
        if (p->chunk_doc[e[j].chunk] != p->chunk_doc[e[0].chunk] &&
            push_key(k, (uint64_t)e[0].chunk << 32 | e[j].chunk) < 0)
            return -1;
    return 0;
}

/* Merge the sorted distinct keys k into the counted pairs acc. */
static int merge(struct counted **acc, size_t *nacc, const uint64_t *k, size_t nk)
{
    struct counted *out = malloc((*nacc + nk + 1) * sizeof *out);
    size_t i = 0, j = 0, n = 0;

    if (!out)
        return -1;
    while (i < *nacc || j < nk) {
        if (j == nk || (i < *nacc && (*acc)[i].key < k[j])) {
            out[n++] = (*acc)[i++];
        } else if (i == *nacc || k[j] < (*acc)[i].key) {
            out[n].key = k[j++];
            out[n++].n = 1;
        } else {
            out[n] = (*acc)[i++];
            out[n++].n++;
            j++;
        }
    }
    free(*acc);
    *acc = out;
    *nacc = n;
    return 0;
}

/* Sort and unique k in place. */
static void uniq(struct keys *k)
{
    size_t i, n = 0;

    if (k->n)
        qsort(k->v, k->n, sizeof *k->v, cmp_u64);
    for (i = 0; i < k->n; i++)
        if (!n || k->v[n - 1] != k->v[i])
            k->v[n++] = k->v[i];
    k->n = n;
}

ca_status ca__prov_candidates(ca_prov *p, uint64_t **ret, size_t *ret_n, ca_error *err)
{
    struct entry *e = malloc((p->nchunks ? p->nchunks : 1) * sizeof *e);
    struct keys k = {NULL, 0, 0};
    struct counted *acc = NULL;
    size_t nacc = 0, f, c, s, t, n = 0;
    uint64_t *out = NULL;

    *ret = NULL;
    *ret_n = 0;
    p->res.stats.chunks = p->nchunks;
    if (!e)
        goto nomem;
    for (f = 0; f < PROV_MINHASH; f++) {
        size_t ne = 0;

        for (c = 0; c < p->nchunks; c++) {
            if (p->chunk_doc[c] == UINT32_MAX)
                continue; /* dropped when boilerplate was found */
            e[ne].v = ca__prov_sig(p, c)[f];
            e[ne++].chunk = (uint32_t)c;
        }
        if (ne)
            qsort(e, ne, sizeof *e, cmp_entry);
        k.n = 0;
        for (s = 0; s < ne; s = t) {
            for (t = s + 1; t < ne && e[t].v == e[s].v; t++)
                ;
            if (t - s > p->o.bucket_max) {
                /* a passage common to many documents (a wire story printed
                 * everywhere): every window of the bucket is paired with its
                 * first only, so each document still meets one of them */
                p->res.stats.big_buckets++;
                if (star_bucket(p, e + s, t - s, &k) < 0)
                    goto nomem;
            } else if (t - s > 1 && pair_bucket(p, e + s, t - s, &k) < 0) {
                goto nomem;
            }
        }
        uniq(&k);
        if (merge(&acc, &nacc, k.v, k.n) < 0)
            goto nomem;
    }
    out = malloc((nacc ? nacc : 1) * sizeof *out);
    if (!out)
        goto nomem;
    for (c = 0; c < nacc; c++) { /* window pairs met twice: their documents */
        uint32_t a, b;

        if (acc[c].n < 2)
            continue;
        a = p->chunk_doc[acc[c].key >> 32];
        b = p->chunk_doc[acc[c].key & 0xffffffffu];
        out[n++] = a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
    }
    free(k.v); /* the window pairs' buffer: its keys are counted in acc */
    k.v = out;
    k.n = n;
    uniq(&k);
    n = k.n;
    k.v = NULL;
    p->res.stats.candidates = n;
    free(e);
    free(k.v);
    free(acc);
    *ret = out;
    *ret_n = n;
    return CA_OK;
nomem:
    free(e);
    free(k.v);
    free(acc);
    return ca_error_set(err, CA_NOMEM, "out of memory pairing up %zu documents",
                        p->res.ndocs);
}
