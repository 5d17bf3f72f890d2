/*
 * prov_support.c - whether the pages a quotation cites hold its words.
 *
 * For each quotation with citations in or right after its paragraph, each
 * cited page that the crawler fetched is searched for the quotation's
 * word triples (three consecutive words, normalised: case, quote styles
 * and punctuation do not matter, and a word changed or an ellipsis costs
 * only the triples across it). The share of the quotation's triples found
 * in the page is its score: at least support_min is "supported", less is
 * "not found". A page that could not be fetched, or was not fetched at
 * all, is "source unavailable" with the reason. A translated quotation
 * is not found in a page in the original language: the check says what
 * the page holds, not whether the translation is fair.
 */
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"

#define EXCERPT_MAX 300
#define EXCERPT_EXTRA 6 /* words shown past the quotation's length */

struct urlmap {
    uint64_t h;
    size_t doc;
};

static int cmp_urlmap(const void *a, const void *b)
{
    const struct urlmap *x = a, *y = b;

    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int cmp_urlkey(const void *a, const void *b)
{
    const struct urlmap *x = a, *y = b;

    return x->h < y->h ? -1 : x->h > y->h;
}

/* A fetched page's triples: an open-addressing set with the first place
 * of each. */
struct page {
    size_t d;
    char *text;
    ca__ptext pt;
    uint64_t *key;
    uint32_t *pos;
    size_t cap;
};

static void page_release(struct page *pg)
{
    ca__ptext_release(&pg->pt);
    free(pg->text);
    free(pg->key);
    free(pg->pos);
    memset(pg, 0, sizeof *pg);
    pg->d = CA_PROV_NONE;
}

static ca_status page_load(ca_prov *p, size_t d, struct page *pg, ca_error *err)
{
    size_t len, cap = 64, i, s;
    ca_status st;

    page_release(pg);
    st = ca__prov_text_of(p, d, &pg->text, &len, err);
    if (st != CA_OK)
        return st;
    if (ca__ptext_build(&pg->pt, pg->text, len, p->o.max_doc_words) != CA_OK)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    while (cap < pg->pt.ntok * 2)
        cap *= 2;
    pg->key = malloc(cap * sizeof *pg->key);
    pg->pos = malloc(cap * sizeof *pg->pos);
    if (!pg->key || !pg->pos)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    memset(pg->pos, 0xff, cap * sizeof *pg->pos);
    pg->cap = cap;
    for (i = 0; i + 3 <= pg->pt.ntok; i++) {
        uint64_t h = ca__prov_shingle(&pg->pt.tok[i], 3);

        for (s = h & (cap - 1); pg->pos[s] != UINT32_MAX && pg->key[s] != h;
             s = (s + 1) & (cap - 1))
            ;
        if (pg->pos[s] == UINT32_MAX) {
            pg->key[s] = h;
            pg->pos[s] = (uint32_t)i;
        }
    }
    pg->d = d;
    return CA_OK;
}

static uint32_t page_find(const struct page *pg, uint64_t h)
{
    size_t s;

    if (!pg->cap)
        return UINT32_MAX;
    for (s = h & (pg->cap - 1); pg->pos[s] != UINT32_MAX; s = (s + 1) & (pg->cap - 1))
        if (pg->key[s] == h)
            return pg->pos[s];
    return UINT32_MAX;
}

/* Score of quote words w[0..n) in the page; *ret_at the page word where
 * the quotation starts, judged by its longest run of found triples
 * (UINT32_MAX when none is found). */
static double score(const struct page *pg, const uint32_t *w, size_t n, uint32_t *ret_at)
{
    size_t i, found = 0, run = 0, best = 0, run_q = 0;
    uint32_t run_at = 0;
    ca__ptok t[3];

    *ret_at = UINT32_MAX;
    if (n < 3)
        return 0;
    memset(t, 0, sizeof t);
    for (i = 0; i + 3 <= n; i++) {
        uint32_t at;

        t[0].h = w[i];
        t[1].h = w[i + 1];
        t[2].h = w[i + 2];
        at = page_find(pg, ca__prov_shingle(t, 3));
        if (at == UINT32_MAX) {
            run = 0;
            continue;
        }
        found++;
        if (!run) {
            run_at = at;
            run_q = i;
        }
        if (++run > best) {
            best = run;
            *ret_at = run_at >= run_q ? run_at - (uint32_t)run_q : 0;
        }
    }
    return (double)found / (double)(n - 2);
}

/* The documents fetched as (or canonically at) each URL. */
static struct urlmap *url_map(const ca_prov *p, size_t *ret_n)
{
    struct urlmap *m = malloc((2 * p->res.ndocs + 1) * sizeof *m);
    size_t i, n = 0;

    if (!m)
        return NULL;
    for (i = 0; i < p->res.ndocs; i++) {
        if (!p->res.docs[i].depth)
            continue;
        if (p->pd[i].fetched_hash)
            m[n++] = (struct urlmap){p->pd[i].fetched_hash, i};
        if (p->pd[i].url_hash && p->pd[i].url_hash != p->pd[i].fetched_hash)
            m[n++] = (struct urlmap){p->pd[i].url_hash, i};
    }
    qsort(m, n, sizeof *m, cmp_urlmap);
    *ret_n = n;
    return m;
}

static const ca_prov_unavailable *unavailable(const ca_prov *p, const char *url)
{
    size_t i;

    for (i = 0; i < p->res.nunavailable; i++)
        if (!strcmp(p->res.unavailable[i].url, url))
            return &p->res.unavailable[i];
    return NULL;
}

static ca_status check_one(ca_prov *p, size_t q, const char *url, const struct urlmap *m,
                           size_t nm, struct page *pg, size_t *cap, ca_error *err)
{
    struct urlmap key = {ca__prov_str_hash(url), 0};
    const struct urlmap *hit;
    const ca_prov_unavailable *u;
    ca_prov_support *s;
    uint32_t at;
    size_t end;

    s = ca__prov_push((void **)&p->res.supports, &p->res.nsupports, cap, sizeof *s);
    if (!s || !(s->url = strdup(url)))
        return ca_error_set(err, CA_NOMEM, "out of memory");
    s->quote = q;
    s->page = CA_PROV_NONE;
    hit = m ? bsearch(&key, m, nm, sizeof *m, cmp_urlkey) : NULL;
    while (hit && hit > m && hit[-1].h == key.h)
        hit--;
    if (!hit) {
        u = unavailable(p, url);
        s->status = CA_PROV_UNAVAILABLE;
        s->why = strdup(u ? u->why : "the page was not fetched (no network, --no-check, "
                                     "--depth 0, or not a web page)");
        return s->why ? CA_OK : ca_error_set(err, CA_NOMEM, "out of memory");
    }
    if (pg->d != hit->doc && page_load(p, hit->doc, pg, err) != CA_OK)
        return err->code;
    s->page = hit->doc;
    s->score = score(pg, p->pq[q].w, p->pq[q].n, &at);
    s->status = s->score >= p->o.support_min ? CA_PROV_SUPPORTED : CA_PROV_NOT_FOUND;
    if (at != UINT32_MAX) {
        end = at + p->pq[q].n + EXCERPT_EXTRA;
        if (end > pg->pt.ntok)
            end = pg->pt.ntok;
        s->excerpt = ca__prov_excerpt(pg->text, pg->pt.tok[at].start, pg->pt.tok[end - 1].end,
                                      EXCERPT_MAX);
        if (!s->excerpt)
            return ca_error_set(err, CA_NOMEM, "out of memory");
    }
    return CA_OK;
}

ca_status ca__prov_support(ca_prov *p, ca_error *err)
{
    struct page pg;
    struct urlmap *m;
    size_t nm = 0, q, k, cap = 0;
    ca_status st = CA_OK;

    memset(&pg, 0, sizeof pg);
    pg.d = CA_PROV_NONE;
    m = url_map(p, &nm);
    if (!m)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    for (q = 0; q < p->res.nquotes && st == CA_OK; q++)
        for (k = 0; k < p->res.quotes[q].nlinks && st == CA_OK; k++)
            st = check_one(p, q, p->res.quotes[q].links[k], m, nm, &pg, &cap, err);
    page_release(&pg);
    free(m);
    return st;
}
