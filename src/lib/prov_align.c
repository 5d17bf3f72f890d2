/*
 * prov_align.c - text reuse: the boilerplate of each outlet, then every
 * candidate pair aligned word by word into shared passages.
 *
 * Outlet boilerplate. A passage that recurs in many documents of one
 * outlet (a newsletter box, a standing appeal, a standard background
 * paragraph) is that outlet's furniture: two of its articles sharing it
 * did not reuse each other. For every outlet with at least
 * boiler_min_docs documents, the shingles of its documents are counted
 * (once per document); a shingle found in max(boiler_min_docs,
 * min(20, 10% of the outlet's documents)) of them is boilerplate, and the
 * words it covers are left out of reuse like the appeals the phrase lists
 * find. Outlets with fewer documents have only the phrase lists.
 *
 * Alignment. Candidate pairs (a, b) come sorted by a, so a's content
 * shingles go into a hash table once for all its pairs. Document b is
 * first tested cheaply (does it hold enough of a's shingles to make one
 * passage?), then walked word by word; where a shingle of b is found in a,
 * the match is extended word by word as far as both texts agree, and the
 * walk jumps past it (the longest of the first 64 places a has that
 * shingle wins).
 * Matches less than ten words apart in both documents are one passage (a
 * word changed, a sentence cut), counted by the words that match exactly.
 * Passages of at least min_passage_words count. a's containment in b is
 * the share of a's content words (boilerplate left out) in those passages,
 * and the same for b; a pair is reported when either is at least
 * min_containment.
 */
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"

#define CHAIN_MAX 64      /* places of one shingle tried in b */
#define PASSAGE_GAP 10    /* words between matches of one passage */
#define PASSAGE_EXCERPT 240
#define BOILER_EXCERPT 160
#define BOILER_CAP_DOCS 20

/* A loaded document: its text and words, boilerplate marked. */
struct loaded {
    size_t d;
    char *text;
    ca__ptext pt;
    size_t content; /* words not boilerplate */
};

static void unload(struct loaded *l)
{
    ca__ptext_release(&l->pt);
    free(l->text);
    memset(l, 0, sizeof *l);
    l->d = CA_PROV_NONE;
}

static ca_status load(ca_prov *p, size_t d, struct loaded *l, ca_error *err)
{
    size_t len, i, k;
    ca_status st;

    unload(l);
    st = ca__prov_text_of(p, d, &l->text, &len, err);
    if (st != CA_OK)
        return st;
    st = ca__ptext_build(&l->pt, l->text, len, p->o.max_doc_words);
    if (st != CA_OK)
        return ca_error_set(err, st, "out of memory");
    for (i = 0; i < p->pd[d].nbr; i++)
        for (k = p->pd[d].br[i].tok0; k < p->pd[d].br[i].tok1 && k < l->pt.ntok; k++)
            l->pt.tok[k].flags |= PT_BOILER;
    for (i = 0; i < l->pt.ntok; i++)
        l->content += !(l->pt.tok[i].flags & PT_BOILER);
    l->d = d;
    return CA_OK;
}

static int content_at(const ca__ptext *pt, size_t i, unsigned k)
{
    unsigned j;

    for (j = 0; j < k; j++)
        if (pt->tok[i + j].flags & PT_BOILER)
            return 0;
    return 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* ---- outlet boilerplate ---- */

/* The distinct shingles of a document appended to *v. */
static ca_status outlet_shingles(ca_prov *p, const struct loaded *l, uint64_t **v, size_t *n,
                                 size_t *cap)
{
    unsigned k = p->o.shingle_words;
    size_t i, first = *n, j, m;

    for (i = 0; i + k <= l->pt.ntok; i++) {
        uint64_t *s = ca__prov_push((void **)v, n, cap, sizeof **v);

        if (!s)
            return CA_NOMEM;
        *s = ca__prov_shingle(&l->pt.tok[i], k);
    }
    if (*n == first)
        return CA_OK;
    qsort(*v + first, *n - first, sizeof **v, cmp_u64);
    for (j = first, m = first; j < *n; j++)
        if (m == first || (*v)[m - 1] != (*v)[j])
            (*v)[m++] = (*v)[j];
    *n = m;
    return CA_OK;
}

/* Mark document d's words covered by the outlet's boilerplate shingles,
 * and record them as boilerplate ranges and public records. */
static ca_status mark_outlet(ca_prov *p, struct loaded *l, const uint64_t *set, size_t nset)
{
    unsigned k = p->o.shingle_words;
    ca__pdoc *pd = &p->pd[l->d];
    ca_prov_document *doc = &p->res.docs[l->d];
    unsigned char *hit = calloc(l->pt.ntok + 1, 1);
    size_t i, j, cap = pd->nbr, bcap = doc->nboiler;

    if (!hit)
        return CA_NOMEM;
    for (i = 0; i + k <= l->pt.ntok; i++) {
        uint64_t sh = ca__prov_shingle(&l->pt.tok[i], k);

        if (bsearch(&sh, set, nset, sizeof *set, cmp_u64))
            memset(hit + i, 1, k);
    }
    for (i = 0; i < l->pt.ntok; i = j) {
        ca__brange *r;
        ca_prov_boiler *b;
        const ca__ptok *t0, *t1;

        for (j = i; j < l->pt.ntok && hit[j] == hit[i]; j++)
            ;
        if (!hit[i])
            continue;
        r = ca__prov_push((void **)&pd->br, &pd->nbr, &cap, sizeof *r);
        b = r ? ca__prov_push((void **)&doc->boiler, &doc->nboiler, &bcap, sizeof *b) : NULL;
        if (!b)
            goto nomem;
        *r = (ca__brange){(uint32_t)i, (uint32_t)j, CA_PROV_BOILER_OUTLET};
        t0 = &l->pt.tok[i];
        t1 = &l->pt.tok[j - 1];
        b->at = (ca_prov_span){t0->start, t1->end - t0->start, t0->para + 1};
        b->kind = CA_PROV_BOILER_OUTLET;
        b->text = ca__prov_excerpt(l->text, t0->start, t1->end, BOILER_EXCERPT);
        if (!b->text)
            goto nomem;
        for (b->words = 0; i < j; i++) {
            b->words += !(l->pt.tok[i].flags & PT_BOILER);
            l->pt.tok[i].flags |= PT_BOILER;
        }
        doc->boiler_words += b->words;
    }
    free(hit);
    return CA_OK;
nomem:
    free(hit);
    return CA_NOMEM;
}

/* Boilerplate of one outlet whose documents are docs[0..n). */
static ca_status outlet_boiler(ca_prov *p, const size_t *docs, size_t n, ca_error *err)
{
    size_t thr = n / 10 + (n % 10 != 0), i, s, t, nset = 0, nv = 0, cap = 0;
    uint64_t *v = NULL;
    struct loaded l;
    ca_status st = CA_OK;

    memset(&l, 0, sizeof l);
    if (thr > BOILER_CAP_DOCS)
        thr = BOILER_CAP_DOCS;
    if (thr < p->o.boiler_min_docs)
        thr = p->o.boiler_min_docs;
    for (i = 0; i < n && st == CA_OK; i++) {
        st = load(p, docs[i], &l, err);
        if (st == CA_OK)
            st = outlet_shingles(p, &l, &v, &nv, &cap);
    }
    if (st != CA_OK)
        goto done;
    if (nv)
        qsort(v, nv, sizeof *v, cmp_u64);
    for (s = 0; s < nv; s = t) { /* keep the shingles in thr documents or more */
        for (t = s + 1; t < nv && v[t] == v[s]; t++)
            ;
        if (t - s >= thr)
            v[nset++] = v[s];
    }
    p->res.stats.outlet_boiler_shingles += nset;
    for (i = 0; i < n && nset && st == CA_OK; i++) {
        st = load(p, docs[i], &l, err);
        if (st == CA_OK)
            st = mark_outlet(p, &l, v, nset);
        if (st == CA_OK) /* the sketches, without what is now boilerplate */
            ca__prov_resketch(p, docs[i], &l.pt);
    }
done:
    unload(&l);
    free(v);
    if (st == CA_NOMEM)
        ca_error_set(err, st, "out of memory finding the boilerplate of %s",
                     p->res.docs[docs[0]].outlet);
    return st;
}

static const ca_prov *sort_p;

static int cmp_by_outlet(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    uint32_t ox = sort_p->pd[x].outlet, oy = sort_p->pd[y].outlet;

    if (ox != oy)
        return ox < oy ? -1 : 1;
    return x < y ? -1 : x > y;
}

ca_status ca__prov_outlet_boiler(ca_prov *p, ca_error *err)
{
    size_t *idx = malloc((p->res.ndocs ? p->res.ndocs : 1) * sizeof *idx), i, j;
    ca_status st = CA_OK;

    if (!idx)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    for (i = 0; i < p->res.ndocs; i++)
        idx[i] = i;
    sort_p = p;
    qsort(idx, p->res.ndocs, sizeof *idx, cmp_by_outlet);
    for (i = 0; i < p->res.ndocs && st == CA_OK; i = j) {
        for (j = i + 1; j < p->res.ndocs && p->pd[idx[j]].outlet == p->pd[idx[i]].outlet; j++)
            ;
        if (p->pd[idx[i]].outlet < UINT32_MAX - 1 && j - i >= p->o.boiler_min_docs)
            st = outlet_boiler(p, idx + i, j - i, err);
    }
    free(idx);
    return st;
}

/* ---- alignment ---- */

/* b's content shingles: an open-addressing table of first places and a
 * chain of further places. */
struct index {
    uint64_t *key;
    uint32_t *first;
    uint32_t *next;
    size_t cap;
};

static void index_release(struct index *ix)
{
    free(ix->key);
    free(ix->first);
    free(ix->next);
    memset(ix, 0, sizeof *ix);
}

static ca_status index_build(struct index *ix, const ca__ptext *pt, unsigned k)
{
    size_t cap = 64, i, s;

    index_release(ix);
    while (cap < pt->ntok * 2)
        cap *= 2;
    ix->key = malloc(cap * sizeof *ix->key);
    ix->first = malloc(cap * sizeof *ix->first);
    ix->next = malloc((pt->ntok + 1) * sizeof *ix->next);
    if (!ix->key || !ix->first || !ix->next)
        return CA_NOMEM;
    memset(ix->first, 0xff, cap * sizeof *ix->first);
    ix->cap = cap;
    for (i = pt->ntok >= k ? pt->ntok - k + 1 : 0; i-- > 0;) {
        uint64_t h;

        ix->next[i] = UINT32_MAX;
        if (!content_at(pt, i, k))
            continue;
        h = ca__prov_shingle(&pt->tok[i], k);
        for (s = h & (cap - 1); ix->first[s] != UINT32_MAX && ix->key[s] != h;
             s = (s + 1) & (cap - 1))
            ;
        if (ix->first[s] != UINT32_MAX)
            ix->next[i] = ix->first[s]; /* walking back: the chain runs forward */
        ix->key[s] = h;
        ix->first[s] = (uint32_t)i;
    }
    return CA_OK;
}

static uint32_t index_find(const struct index *ix, uint64_t h)
{
    size_t s;

    for (s = h & (ix->cap - 1); ix->first[s] != UINT32_MAX; s = (s + 1) & (ix->cap - 1))
        if (ix->key[s] == h)
            return ix->first[s];
    return UINT32_MAX;
}

struct match {
    size_t i, j, len;
};

struct passage {
    size_t a0, a1, b0, b1, words;
};

/* The longest match of a at i in b, through the index. */
static size_t longest_at(const ca__ptext *a, const ca__ptext *b, const struct index *ix,
                         size_t i, unsigned k, size_t *ret_j)
{
    uint64_t h = ca__prov_shingle(&a->tok[i], k);
    uint32_t j = index_find(ix, h);
    size_t best = 0, tries;

    for (tries = 0; j != UINT32_MAX && tries < CHAIN_MAX; j = ix->next[j], tries++) {
        size_t len = 0;

        while (i + len < a->ntok && j + len < b->ntok && a->tok[i + len].h == b->tok[j + len].h &&
               !(a->tok[i + len].flags & PT_BOILER) && !(b->tok[j + len].flags & PT_BOILER))
            len++;
        if (len >= k && len > best) {
            best = len;
            *ret_j = j;
        }
    }
    return best;
}

static int keep(struct passage **v, size_t *n, size_t *cap, const struct passage *cur,
                size_t min)
{
    struct passage *s;

    if (!cur->words || cur->words < min)
        return 0;
    s = ca__prov_push((void **)v, n, cap, sizeof *s);
    if (!s)
        return -1;
    *s = *cur;
    return 0;
}

/* Align a with b into passages of at least min words (*ret, *ret_n). */
static ca_status align(const ca__ptext *a, const ca__ptext *b, const struct index *ix,
                       unsigned k, size_t min, struct passage **ret, size_t *ret_n)
{
    struct passage cur = {0, 0, 0, 0, 0};
    size_t cap = 0, i = 0, j = 0, len;

    *ret_n = 0;
    while (i + k <= a->ntok) {
        if (!content_at(a, i, k) || !(len = longest_at(a, b, ix, i, k, &j))) {
            i++;
            continue;
        }
        if (cur.words && i - cur.a1 <= PASSAGE_GAP && j >= cur.b1 &&
            j - cur.b1 <= PASSAGE_GAP) {
            cur.a1 = i + len; /* the same passage, with a small edit */
            cur.b1 = j + len;
            cur.words += len;
        } else {
            if (keep(ret, ret_n, &cap, &cur, min) < 0)
                return CA_NOMEM;
            cur = (struct passage){i, i + len, j, j + len, len};
        }
        i += len;
    }
    return keep(ret, ret_n, &cap, &cur, min) < 0 ? CA_NOMEM : CA_OK;
}

/* Does document x cite document y (its URL, the URL it was fetched as, or
 * its outlet)? */
static int cites(const ca_prov *p, size_t x, size_t y)
{
    const ca__pdoc *px = &p->pd[x], *py = &p->pd[y];
    size_t i;

    for (i = 0; i < px->ncites; i++) {
        const ca__pcite *c = &px->cites[i];

        if ((py->url_hash && c->url == py->url_hash) ||
            (py->fetched_hash && c->url == py->fetched_hash) ||
            (py->outlet_hash && c->source == py->outlet_hash))
            return 1;
    }
    return 0;
}

static void direction(const ca_prov *p, ca_prov_pair *pr)
{
    const ca_prov_document *a = &p->res.docs[pr->a], *b = &p->res.docs[pr->b];
    int cmp = ca_prov_date_cmp(a->published, b->published);

    pr->source = cmp < 0 ? pr->a : cmp > 0 ? pr->b : CA_PROV_NONE;
    pr->reuser = cmp < 0 ? pr->b : cmp > 0 ? pr->a : CA_PROV_NONE;
    pr->same_outlet = a->outlet && b->outlet && !strcmp(a->outlet, b->outlet);
    if (pr->same_outlet)
        pr->credited = 1;
    else if (pr->reuser != CA_PROV_NONE)
        pr->credited = cites(p, pr->reuser, pr->source);
    else
        pr->credited = cites(p, pr->a, pr->b) || cites(p, pr->b, pr->a);
}

/* Words of a covered by the passages, each once (a passage of b may be
 * aligned with a passage of a that a repeats). */
static size_t covered_a(const struct passage *ps, size_t n, size_t na)
{
    unsigned char *seen = calloc(na + 1, 1);
    size_t i, k, c = 0;

    if (!seen)
        return 0;
    for (i = 0; i < n; i++)
        for (k = ps[i].a0; k < ps[i].a1 && k < na; k++)
            if (!seen[k]) {
                seen[k] = 1;
                c++;
            }
    free(seen);
    return c;
}

static ca_prov_span span_of(const ca__ptext *pt, size_t t0, size_t t1)
{
    ca_prov_span s = {pt->tok[t0].start, pt->tok[t1 - 1].end - pt->tok[t0].start,
                      pt->tok[t0].para + 1};

    return s;
}

/* Keep the pair when it passes the thresholds. */
static ca_status record_pair(ca_prov *p, const struct loaded *a, const struct loaded *b,
                             const struct passage *ps, size_t n, size_t *pairs_cap)
{
    size_t words = 0, i, aw;
    double ab, ba;
    ca_prov_pair *pr;

    for (i = 0; i < n; i++)
        words += ps[i].words; /* matched words of b: its passages do not overlap */
    aw = covered_a(ps, n, a->pt.ntok);
    ab = a->content ? (double)(aw < words ? aw : words) / (double)a->content : 0;
    ba = b->content ? (double)words / (double)b->content : 0;
    if (words < p->o.min_passage_words || (ab < p->o.min_containment && ba < p->o.min_containment))
        return CA_OK;
    pr = ca__prov_push((void **)&p->res.pairs, &p->res.npairs, pairs_cap, sizeof *pr);
    if (!pr)
        return CA_NOMEM;
    pr->a = a->d;
    pr->b = b->d;
    pr->a_in_b = ab > 1 ? 1 : ab;
    pr->b_in_a = ba > 1 ? 1 : ba;
    pr->shared_words = words;
    pr->same_text = pr->a_in_b >= p->o.same_text && pr->b_in_a >= p->o.same_text;
    direction(p, pr);
    pr->passages = calloc(n, sizeof *pr->passages);
    if (!pr->passages)
        return CA_NOMEM;
    for (i = 0; i < n; i++) {
        ca_prov_passage *pa = &pr->passages[i];

        pa->a = span_of(&a->pt, ps[i].a0, ps[i].a1);
        pa->b = span_of(&b->pt, ps[i].b0, ps[i].b1);
        pa->words = ps[i].words;
        pa->text = ca__prov_excerpt(a->text, pa->a.offset, pa->a.offset + pa->a.length,
                                    PASSAGE_EXCERPT);
        if (!pa->text)
            return CA_NOMEM;
        pr->npassages++;
    }
    return CA_OK;
}

/* Could b share a passage of min words with the document indexed? Its
 * shingles found there must be at least min - k + 1: a cheap test that
 * spares most candidate pairs the alignment. */
static int may_share(const ca__ptext *b, const struct index *ix, unsigned k, size_t min)
{
    size_t i, found = 0, need = min > k ? min - k + 1 : 1;

    for (i = 0; i + k <= b->ntok && found < need; i++)
        if (content_at(b, i, k) && index_find(ix, ca__prov_shingle(&b->tok[i], k)) != UINT32_MAX)
            found++;
    return found >= need;
}

/* Passages found walking b against a's index, turned round to be a's. */
static void swap_sides(struct passage *ps, size_t n)
{
    size_t i, t;

    for (i = 0; i < n; i++) {
        t = ps[i].a0, ps[i].a0 = ps[i].b0, ps[i].b0 = t;
        t = ps[i].a1, ps[i].a1 = ps[i].b1, ps[i].b1 = t;
    }
}

static int cmp_passage(const void *x, const void *y)
{
    const struct passage *a = x, *b = y;

    return a->a0 < b->a0 ? -1 : a->a0 > b->a0;
}

ca_status ca__prov_reuse(ca_prov *p, const uint64_t *cand, size_t ncand, ca_error *err)
{
    struct loaded a, b;
    struct index ix;
    struct passage *ps = NULL;
    size_t i, nps = 0, pairs_cap = 0;
    unsigned k = p->o.shingle_words;
    ca_status st;

    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&ix, 0, sizeof ix);
    a.d = b.d = CA_PROV_NONE;
    st = CA_OK;
    /* candidates come sorted by a: a is read and indexed once for all its
     * pairs, each b walked against it */
    for (i = 0; i < ncand && st == CA_OK; i++) {
        size_t da = (size_t)(cand[i] >> 32), db = (size_t)(cand[i] & 0xffffffffu);

        if (a.d != da) {
            st = load(p, da, &a, err);
            if (st == CA_OK && index_build(&ix, &a.pt, k) != CA_OK)
                st = CA_NOMEM;
        }
        if (st == CA_OK)
            st = load(p, db, &b, err);
        if (st != CA_OK || !may_share(&b.pt, &ix, k, p->o.min_passage_words))
            continue;
        free(ps);
        ps = NULL;
        nps = 0;
        p->res.stats.aligned++;
        st = align(&b.pt, &a.pt, &ix, k, p->o.min_passage_words, &ps, &nps);
        if (st == CA_OK && nps) {
            swap_sides(ps, nps);
            qsort(ps, nps, sizeof *ps, cmp_passage);
            st = record_pair(p, &a, &b, ps, nps, &pairs_cap);
        }
    }
    free(ps);
    index_release(&ix);
    unload(&a);
    unload(&b);
    if (st == CA_NOMEM)
        ca_error_set(err, st, "out of memory aligning the documents");
    return st;
}
