/*
 * prov_quote.c - quotations: found in each document with their speakers,
 * then clustered across documents.
 *
 * A quotation is text between “ and ”, « and », „ and “ (or ”), or two
 * straight double quotes (the opening one after a blank, a bracket, a
 * dash or a colon), closed within its paragraph. Fewer than five words is
 * a scare quote or a title (“terrorist attacks”, “undesirable”), not a
 * quotation; those words are still marked as quoted so that nothing
 * inside quotation marks is taken for the writer's own attribution.
 *
 * The speaker comes from the same sentence: after the quotation a speech
 * verb with its subject between ("...,” the Defense Ministry said") or
 * after it ("...,” said Gladkov"); else "according to X" before it; else
 * the last speech verb before it and its subject ("Vyacheslav Gladkov,
 * said today: “..."). "He" and "she" stand for the last person the
 * document's attributions named before the quotation.
 *
 * Clusters: quotations with the same words are one quote (found by
 * sorting their hashes, however many documents carry them); others are
 * merged when the shorter shares quote_similar of its word pairs with the
 * longer (a quote cut short, a word changed), found through an inverted
 * index of word pairs so that common pairs ("of the") are never paired up
 * quadratically. A cluster in two or more documents is reported, with the
 * quotation of its earliest document when the dates tell.
 */
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"
#include "strutil.h"

#define QUOTE_MIN_WORDS 5
#define QUOTE_MAX_WORDS 400
#define PARAGRAPH_MAX 600
#define AFTER_REACH 12  /* words after a quote searched for its speaker */
#define PAIR_GROUP_MAX 200

struct mark {
    const char *open, *close, *close2;
};

static const struct mark marks[] = {
    {"\xE2\x80\x9C", "\xE2\x80\x9D", NULL},           /* “ ” */
    {"\xE2\x80\x9E", "\xE2\x80\x9C", "\xE2\x80\x9D"}, /* „ “ or ” */
    {"\xC2\xAB", "\xC2\xBB", NULL},                   /* « » */
    {"\"", "\"", NULL},
};

static int at(const char *s, size_t i, size_t end, const char *m)
{
    size_t n = strlen(m);

    return i + n <= end && !memcmp(s + i, m, n);
}

/* May a straight quote at i open a quotation? */
static int straight_opens(const char *s, size_t i, size_t start)
{
    return i == start || strchr(" \t\n([{:;-/", s[i - 1]) ||
           ((unsigned char)s[i - 1] >= 0x80 && i >= 3 && !memcmp(s + i - 3, "\xE2\x80\x94", 3));
}

/* The quotation spans of paragraph pa (bytes inside the marks). */
static ca_status spans_of(const ca__ptext *pt, const ca__ppara *pa, size_t (**ret)[2],
                          size_t *ret_n)
{
    const char *s = pt->text;
    size_t i = pa->start, cap = 0, k;

    *ret = NULL;
    *ret_n = 0;
    while (i < pa->end) {
        const struct mark *m = NULL;
        size_t j, close = 0, after = 0;
        unsigned char c = (unsigned char)s[i];

        if (c != '"' && c != 0xE2 && c != 0xC2) { /* no mark starts here */
            i++;
            continue;
        }
        for (k = 0; k < sizeof marks / sizeof *marks && !m; k++)
            if (at(s, i, pa->end, marks[k].open) &&
                (marks[k].open[0] != '"' || straight_opens(s, i, pa->start)))
                m = &marks[k];
        if (!m) {
            i++;
            continue;
        }
        i += strlen(m->open);
        for (j = i; j < pa->end && !close; j++) {
            if (at(s, j, pa->end, m->close)) {
                close = j;
                after = j + strlen(m->close);
            } else if (m->close2 && at(s, j, pa->end, m->close2)) {
                close = j;
                after = j + strlen(m->close2);
            }
        }
        if (!close)
            continue; /* not closed in its paragraph: not a quotation we can use */
        if (close > i) {
            size_t(*sp)[2] = ca__prov_push((void **)ret, ret_n, &cap, sizeof **ret);

            if (!sp)
                return CA_NOMEM;
            (*sp)[0] = i;
            (*sp)[1] = close;
        }
        i = after;
    }
    return CA_OK;
}

/* Words inside bytes [a, b): [*t0, *t1) among paragraph pa's words. */
static void words_in(const ca__ptext *pt, const ca__ppara *pa, size_t a, size_t b, size_t *t0,
                     size_t *t1)
{
    size_t i = pa->tok0;

    while (i < pa->tok1 && pt->tok[i].start < a)
        i++;
    *t0 = i;
    while (i < pa->tok1 && pt->tok[i].end <= b)
        i++;
    *t1 = i;
}

/* The speaker of the quotation of words [q0, q1): words [*a, *b). */
static int find_speaker(const ca_prov *p, const ca__ptext *pt, size_t q0, size_t q1,
                        size_t *a, size_t *b)
{
    const ca__phrases *ps = &p->phrases;
    const ca__ppara *pa = &pt->para[pt->tok[q0].para];
    size_t i, v, len, s0;

    /* after: "...,” the governor said" or "...,” said Gladkov" */
    for (i = q1; i < pa->tok1 && i < q1 + AFTER_REACH; i++) {
        if ((pt->tok[i].flags & (PT_QUOTE | PT_SENT)))
            break;
        len = ca__prov_verb_at(ps, pt, i, pa->tok1);
        if (!len)
            continue;
        if (i == q1)
            return ca__prov_name_after(ps, pt, i + len, 6, 1, a, b);
        if (i - q1 <= 8 && !ca__phrases_is(ps, PK_PASSIVE, pt->tok[i - 1].h)) {
            *a = q1;
            *b = i;
            return 1;
        }
        break;
    }
    /* before: the last speech verb of the sentence before the quotation */
    if (q0 == 0)
        return 0;
    s0 = ca__ptext_sent_start(pt, q0 - 1);
    for (v = s0; v < q0; v++) { /* "According to RedMonk's Stephens, “...”" */
        len = ca__phrases_match(ps, PK_ACCORDING, pt->tok, v, q0, NULL, NULL);
        if (len && !(pt->tok[v].flags & PT_QUOTE) &&
            ca__prov_name_after(ps, pt, v + len, 8, 0, a, b))
            return 1;
    }
    for (v = q0; v-- > s0;) {
        if (pt->tok[v].flags & PT_QUOTE)
            continue;
        if (ca__prov_verb_at(ps, pt, v, q0) &&
            (v == 0 || !ca__phrases_is(ps, PK_PASSIVE, pt->tok[v - 1].h)) &&
            ca__prov_subject_before(ps, pt, v, a, b))
            return 1;
    }
    return 0;
}

/* The source named last before byte offset pos in document d (its
 * attributions start at index attr0): who "he" or "she" is. */
static const char *named_before(const ca_prov *p, size_t attr0, size_t pos)
{
    const char *name = NULL;
    size_t i;

    for (i = attr0; i < p->res.nattributions && p->res.attributions[i].at.offset < pos; i++) {
        const ca_prov_attribution *a = &p->res.attributions[i];

        if (a->source && (a->kind == CA_PROV_ATTR_SPEECH || a->kind == CA_PROV_ATTR_STATEMENT ||
                          a->kind == CA_PROV_ATTR_PLATFORM))
            name = a->source;
    }
    return name;
}

/* The quoted words as text, without the comma or colon that closes them
 * inside the marks ("...was thwarted,"). */
static char *quote_text(const char *text, size_t b0, size_t b1)
{
    char *s = ca__prov_excerpt(text, b0, b1, (size_t)-1);
    size_t n = s ? strlen(s) : 0;

    while (n > 0 && strchr(",;: ", s[n - 1]))
        s[--n] = '\0';
    return s;
}

static ca_status add_quote(ca_prov *p, size_t d, const ca_doc *doc, const ca__ptext *pt,
                           size_t q0, size_t q1, size_t b0, size_t b1, size_t attr0)
{
    ca_prov_quote *q;
    ca__pquote *pq;
    const ca__ppara *pa = &pt->para[pt->tok[q0].para];
    size_t sa, sb, i;
    const char **links = NULL;
    size_t nlinks = 0;

    if (p->res.nquotes == p->quotes_cap) { /* quotes and their words grow together */
        size_t ncap = p->quotes_cap ? p->quotes_cap * 2 : 64;

        q = realloc(p->res.quotes, ncap * sizeof *q);
        if (!q)
            return CA_NOMEM;
        p->res.quotes = q;
        pq = realloc(p->pq, ncap * sizeof *pq);
        if (!pq)
            return CA_NOMEM;
        p->pq = pq;
        p->quotes_cap = ncap;
    }
    q = &p->res.quotes[p->res.nquotes];
    pq = &p->pq[p->res.nquotes];
    memset(q, 0, sizeof *q);
    memset(pq, 0, sizeof *pq);
    p->res.nquotes++;
    q->doc = d;
    q->cluster = CA_PROV_NONE;
    q->at = (ca_prov_span){b0, b1 - b0, pt->tok[q0].para + 1};
    q->text = quote_text(pt->text, b0, b1);
    q->paragraph = ca__prov_excerpt(pt->text, pa->start, pa->end, PARAGRAPH_MAX);
    if (!q->text || !q->paragraph)
        return CA_NOMEM;
    if (find_speaker(p, pt, q0, q1, &sa, &sb)) {
        if (sb - sa == 1 && ca__phrases_is(&p->phrases, PK_PRONOUN, pt->tok[sa].h)) {
            const char *name = named_before(p, attr0, b0);

            q->speaker = name ? strdup(name) : NULL;
        } else {
            q->speaker = ca__prov_source_text(pt, sa, sb);
        }
    }
    pq->n = q1 - q0;
    pq->w = malloc(pq->n * sizeof *pq->w);
    if (!pq->w)
        return CA_NOMEM;
    for (i = q0; i < q1; i++)
        pq->w[i - q0] = pt->tok[i].h;
    if (ca__prov_links_near(doc, pt, pt->tok[q0].para, &links, &nlinks) != CA_OK)
        return CA_NOMEM;
    q->links = calloc(nlinks ? nlinks : 1, sizeof *q->links);
    for (i = 0; q->links && i < nlinks; i++)
        if ((q->links[i] = strdup(links[i])) != NULL)
            q->nlinks++;
    free(links);
    return q->links && q->nlinks == nlinks ? CA_OK : CA_NOMEM;
}

ca_status ca__prov_mark_quotes(ca__ptext *pt)
{
    size_t para, k, t0, t1, i;

    for (para = 0; para < pt->npara; para++) {
        const ca__ppara *pa = &pt->para[para];
        size_t(*sp)[2] = NULL, nsp = 0;

        if (spans_of(pt, pa, &sp, &nsp) != CA_OK)
            return CA_NOMEM;
        for (k = 0; k < nsp; k++) {
            words_in(pt, pa, sp[k][0], sp[k][1], &t0, &t1);
            for (i = t0; i < t1; i++)
                pt->tok[i].flags |= PT_QUOTE;
        }
        free(sp);
    }
    return CA_OK;
}

ca_status ca__prov_find_quotes(ca_prov *p, size_t d, const ca_doc *doc, ca__ptext *pt,
                               size_t attr0)
{
    size_t para, k, t0, t1;
    ca_status st = CA_OK;

    for (para = 0; para < pt->npara && st == CA_OK; para++) {
        const ca__ppara *pa = &pt->para[para];
        size_t(*sp)[2] = NULL, nsp = 0;

        if ((pa->tok0 < pa->tok1 && (pt->tok[pa->tok0].flags & PT_BOILER)) ||
            ca__ptext_codeish(pt, para))
            continue;
        if (spans_of(pt, pa, &sp, &nsp) != CA_OK)
            return CA_NOMEM;
        for (k = 0; k < nsp && st == CA_OK; k++) {
            words_in(pt, pa, sp[k][0], sp[k][1], &t0, &t1);
            if (t1 - t0 >= QUOTE_MIN_WORDS && t1 - t0 <= QUOTE_MAX_WORDS)
                st = add_quote(p, d, doc, pt, t0, t1, sp[k][0], sp[k][1], attr0);
        }
        free(sp);
    }
    return st;
}

/* ---- clusters ---- */

static size_t find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void unite(size_t *parent, size_t a, size_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a != b)
        parent[a < b ? b : a] = a < b ? a : b;
}

struct bigram {
    uint64_t h;
    uint32_t q;
};

static int cmp_bigram(const void *a, const void *b)
{
    const struct bigram *x = a, *y = b;

    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->q < y->q ? -1 : x->q > y->q;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static uint64_t bigram_of(const uint32_t *w)
{
    return ca__prov_mix64((uint64_t)w[0] << 32 | w[1]);
}

/* Distinct word pairs of every quote, with their quote. */
static struct bigram *all_bigrams(const ca_prov *p, size_t *ret_n, uint32_t *count)
{
    size_t total = 0, i, k, n = 0;
    struct bigram *v;

    for (i = 0; i < p->res.nquotes; i++)
        total += p->pq[i].n > 1 ? p->pq[i].n - 1 : 0;
    v = malloc((total ? total : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (i = 0; i < p->res.nquotes; i++) {
        size_t first = n, m;

        for (k = 0; k + 1 < p->pq[i].n; k++)
            v[n++] = (struct bigram){bigram_of(&p->pq[i].w[k]), (uint32_t)i};
        qsort(v + first, n - first, sizeof *v, cmp_bigram);
        for (k = first, m = first; k < n; k++)
            if (m == first || v[m - 1].h != v[k].h)
                v[m++] = v[k];
        n = m;
        count[i] = (uint32_t)(n - first);
    }
    qsort(v, n, sizeof *v, cmp_bigram);
    *ret_n = n;
    return v;
}

/* Merge quotes that share enough word pairs. */
static ca_status fuzzy(const ca_prov *p, size_t *parent)
{
    uint32_t *count = calloc(p->res.nquotes + 1, sizeof *count);
    struct bigram *v = NULL;
    uint64_t *pairs = NULL;
    size_t nv = 0, np = 0, cap = 0, s, t, i, j;
    ca_status st = CA_NOMEM;

    if (!count || !(v = all_bigrams(p, &nv, count)))
        goto done;
    for (s = 0; s < nv; s = t) {
        for (t = s + 1; t < nv && v[t].h == v[s].h; t++)
            ;
        if (t - s > PAIR_GROUP_MAX)
            continue; /* a pair of common words says nothing */
        for (i = s; i < t; i++)
            for (j = i + 1; j < t; j++) {
                uint64_t *e = ca__prov_push((void **)&pairs, &np, &cap, sizeof *e);

                if (!e)
                    goto done;
                *e = (uint64_t)v[i].q << 32 | v[j].q;
            }
    }
    if (np)
        qsort(pairs, np, sizeof *pairs, cmp_u64);
    for (s = 0; s < np; s = t) {
        uint32_t a, b, least;

        for (t = s + 1; t < np && pairs[t] == pairs[s]; t++)
            ;
        a = (uint32_t)(pairs[s] >> 32);
        b = (uint32_t)pairs[s];
        least = count[a] < count[b] ? count[a] : count[b];
        if (least && (double)(t - s) >= p->o.quote_similar * least)
            unite(parent, a, b);
    }
    st = CA_OK;
done:
    free(count);
    free(v);
    free(pairs);
    return st;
}

static const uint64_t *sort_keys;

static int cmp_by_key(const void *a, const void *b)
{
    uint64_t x = sort_keys[*(const size_t *)a], y = sort_keys[*(const size_t *)b];

    return x < y ? -1 : x > y;
}

/* Quotes with the same words are one quote, however many documents carry
 * it (the word-pair index leaves such common quotes out). idx is scratch. */
static ca_status exact(const ca_prov *p, size_t *parent, size_t *idx)
{
    size_t n = p->res.nquotes, i, k;
    uint64_t *key = malloc((n + 1) * sizeof *key);

    if (!key)
        return CA_NOMEM;
    for (i = 0; i < n; i++) {
        uint64_t h = 0x9E3779B97F4A7C15ULL;

        for (k = 0; k < p->pq[i].n; k++)
            h = ca__prov_mix64(h ^ p->pq[i].w[k]);
        key[i] = h;
    }
    sort_keys = key;
    qsort(idx, n, sizeof *idx, cmp_by_key);
    for (i = 1; i < n; i++)
        if (key[idx[i]] == key[idx[i - 1]])
            unite(parent, idx[i - 1], idx[i]);
    free(key);
    return CA_OK;
}

static int same_words(const ca__pquote *a, const ca__pquote *b)
{
    return a->n == b->n && !memcmp(a->w, b->w, a->n * sizeof *a->w);
}

/* The earliest document's quote of a cluster, or CA_PROV_NONE. */
static size_t earliest(const ca_prov *p, const ca_prov_cluster *c)
{
    size_t best = CA_PROV_NONE, i;
    int tie = 0;

    for (i = 0; i < c->nquotes; i++) {
        const ca_prov_quote *q = &p->res.quotes[c->quotes[i]];
        int cmp;

        if (!p->res.docs[q->doc].published)
            return CA_PROV_NONE;
        if (best == CA_PROV_NONE) {
            best = c->quotes[i];
            continue;
        }
        if (p->res.quotes[best].doc == q->doc)
            continue;
        cmp = ca_prov_date_cmp(p->res.docs[q->doc].published,
                               p->res.docs[p->res.quotes[best].doc].published);
        if (cmp < 0) {
            best = c->quotes[i];
            tie = 0;
        } else if (cmp == 0) {
            tie = 1;
        }
    }
    return tie ? CA_PROV_NONE : best;
}

static int cmp_cluster(const void *a, const void *b)
{
    const ca_prov_cluster *x = a, *y = b;

    if (x->ndocs != y->ndocs)
        return x->ndocs > y->ndocs ? -1 : 1;
    return x->quotes[0] < y->quotes[0] ? -1 : x->quotes[0] > y->quotes[0];
}

/* One cluster of the quotes whose root is r (members listed in idx). */
static ca_status make_cluster(ca_prov *p, const size_t *members, size_t n, size_t *cap)
{
    ca_prov_cluster *c;
    size_t i, docs = 0;

    for (i = 0; i < n; i++)
        docs += i == 0 || p->res.quotes[members[i]].doc != p->res.quotes[members[i - 1]].doc;
    if (docs < 2)
        return CA_OK;
    c = ca__prov_push((void **)&p->res.clusters, &p->res.nclusters, cap, sizeof *c);
    if (!c || !(c->quotes = malloc(n * sizeof *c->quotes)))
        return CA_NOMEM;
    memcpy(c->quotes, members, n * sizeof *members);
    c->nquotes = n;
    c->ndocs = docs;
    c->exact = 1;
    for (i = 1; i < n; i++)
        c->exact &= same_words(&p->pq[members[0]], &p->pq[members[i]]);
    c->first = earliest(p, c);
    return CA_OK;
}

static const size_t *sort_root;

static int cmp_root(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    if (sort_root[x] != sort_root[y])
        return sort_root[x] < sort_root[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

ca_status ca__prov_cluster_quotes(ca_prov *p, ca_error *err)
{
    size_t n = p->res.nquotes, i, j, k, cap = 0;
    size_t *parent = malloc((n + 1) * sizeof *parent), *idx = malloc((n + 1) * sizeof *idx);
    ca_status st = CA_NOMEM;

    if (!parent || !idx)
        goto done;
    for (i = 0; i < n; i++)
        parent[i] = idx[i] = i;
    if (exact(p, parent, idx) != CA_OK || fuzzy(p, parent) != CA_OK)
        goto done;
    for (i = 0; i < n; i++)
        idx[i] = i;
    for (i = 0; i < n; i++)
        parent[i] = find(parent, i);
    sort_root = parent;
    qsort(idx, n, sizeof *idx, cmp_root);
    st = CA_OK;
    for (i = 0; i < n && st == CA_OK; i = j) {
        for (j = i + 1; j < n && parent[idx[j]] == parent[idx[i]]; j++)
            ;
        if (j - i > 1)
            st = make_cluster(p, idx + i, j - i, &cap);
    }
    if (st == CA_OK && p->res.nclusters)
        qsort(p->res.clusters, p->res.nclusters, sizeof *p->res.clusters, cmp_cluster);
    for (i = 0; st == CA_OK && i < p->res.nclusters; i++)
        for (k = 0; k < p->res.clusters[i].nquotes; k++)
            p->res.quotes[p->res.clusters[i].quotes[k]].cluster = i;
done:
    free(parent);
    free(idx);
    if (st != CA_OK)
        return ca_error_set(err, st, "out of memory clustering %zu quotes", n);
    return CA_OK;
}
