/*
 * graph.c - the citation graph's model, built from a run: one node per
 * outlet (or, for a document whose outlet is unknown, per document), per
 * cited source and, with articles, per article; one edge per (from, to)
 * pair carrying the number of body citations, how many of them fail and
 * which classes those are.
 *
 * A run over a million citations has few distinct pairs, so the build is
 * two hash tables (nodes by key, edges by pair) filled in one pass over the
 * citations, then one sort of each array for a stable order. Every string
 * of the model is valid UTF-8 without control characters, so the writers
 * only ever escape.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/graph.h"
#include "citeaudit/input.h"
#include "graph_int.h"
#include "strutil.h"

#define NONE SIZE_MAX
#define LABEL_MAX 120 /* bytes of a document's label before it is cut */

/* Node namespaces: keys (outlets and sources) and documents (origins). */
enum { NS_KEY = 0, NS_DOC = 1 };

struct builder {
    ca_graph *g;
    size_t nodes_cap, edges_cap;
    unsigned char *ns;  /* per node */
    size_t *ntable;     /* open addressing over nodes: index or NONE */
    size_t ntable_cap;
    size_t *etable;     /* open addressing over edges */
    size_t etable_cap;
    size_t *src_node;   /* run source index -> node, NONE until seen */
};

static uint64_t hash_bytes(uint64_t h, const char *s)
{
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211u;
    return h;
}

static uint64_t hash_key(int ns, const char *key)
{
    return hash_bytes(14695981039346656037u ^ (uint64_t)ns, key);
}

static uint64_t hash_pair(size_t from, size_t to, ca_edge_kind kind)
{
    uint64_t h = (uint64_t)from * 0x9E3779B97F4A7C15u ^ ((uint64_t)to + 0x632BE59BD9B4E019u);

    h ^= (uint64_t)kind << 61;
    h ^= h >> 29;
    return h * 0xBF58476D1CE4E5B9u;
}

/* Grow a table of indices to cap slots (a power of two) and rehash. */
static int table_grow(size_t **table, size_t *cap, size_t want, const struct builder *b,
                      int edges)
{
    size_t ncap = *cap ? *cap : 64, i, *t;

    while (ncap < want * 2)
        ncap *= 2;
    if (ncap == *cap)
        return 0;
    t = malloc(ncap * sizeof *t);
    if (!t)
        return -1;
    memset(t, 0xff, ncap * sizeof *t);
    if (edges) {
        for (i = 0; i < b->g->nedges; i++) {
            const ca_graph_edge *e = &b->g->edges[i];
            size_t s = hash_pair(e->from, e->to, e->kind) & (ncap - 1);

            while (t[s] != NONE)
                s = (s + 1) & (ncap - 1);
            t[s] = i;
        }
    } else {
        for (i = 0; i < b->g->nnodes; i++) {
            size_t s = hash_key(b->ns[i], b->g->nodes[i].key) & (ncap - 1);

            while (t[s] != NONE)
                s = (s + 1) & (ncap - 1);
            t[s] = i;
        }
    }
    free(*table);
    *table = t;
    *cap = ncap;
    return 0;
}

/* Copy s as valid UTF-8 with control characters shown as '?'. */
static char *clean_dup(const char *s)
{
    char *out = ca__utf8_dup(s), *p;

    for (p = out; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return out;
}

static size_t node_find(const struct builder *b, int ns, const char *key)
{
    size_t mask = b->ntable_cap - 1, s;

    if (!b->ntable_cap)
        return NONE;
    s = hash_key(ns, key) & mask;
    while (b->ntable[s] != NONE) {
        size_t i = b->ntable[s];

        if (b->ns[i] == ns && strcmp(b->g->nodes[i].key, key) == 0)
            return i;
        s = (s + 1) & mask;
    }
    return NONE;
}

/* The node of (ns, key), created on first sight (key already clean). */
static size_t node_intern(struct builder *b, int ns, const char *key)
{
    ca_graph *g = b->g;
    size_t i = node_find(b, ns, key), s;

    if (i != NONE)
        return i;
    if (g->nnodes == b->nodes_cap) {
        size_t ncap = b->nodes_cap ? b->nodes_cap * 2 : 64;
        ca_graph_node *p = realloc(g->nodes, ncap * sizeof *p);
        unsigned char *q;

        if (!p)
            return NONE;
        g->nodes = p;
        q = realloc(b->ns, ncap);
        if (!q)
            return NONE;
        b->ns = q;
        b->nodes_cap = ncap;
    }
    if (table_grow(&b->ntable, &b->ntable_cap, g->nnodes + 1, b, 0) < 0)
        return NONE;
    i = g->nnodes;
    memset(&g->nodes[i], 0, sizeof g->nodes[i]);
    g->nodes[i].key = strdup(key);
    if (!g->nodes[i].key)
        return NONE;
    b->ns[i] = (unsigned char)ns;
    g->nnodes++;
    s = hash_key(ns, key) & (b->ntable_cap - 1);
    while (b->ntable[s] != NONE)
        s = (s + 1) & (b->ntable_cap - 1);
    b->ntable[s] = i;
    return i;
}

/* The node of a raw string (an outlet key or an origin), cleaned first. */
static size_t node_of(struct builder *b, int ns, const char *raw)
{
    char *key = clean_dup(raw);
    size_t i;

    if (!key)
        return NONE;
    i = node_intern(b, ns, key);
    free(key);
    return i;
}

static ca_graph_edge *edge_get(struct builder *b, size_t from, size_t to, ca_edge_kind kind)
{
    ca_graph *g = b->g;
    size_t mask, s;

    if (table_grow(&b->etable, &b->etable_cap, g->nedges + 1, b, 1) < 0)
        return NULL;
    mask = b->etable_cap - 1;
    s = hash_pair(from, to, kind) & mask;
    while (b->etable[s] != NONE) {
        ca_graph_edge *e = &g->edges[b->etable[s]];

        if (e->from == from && e->to == to && e->kind == kind)
            return e;
        s = (s + 1) & mask;
    }
    if (g->nedges == b->edges_cap) {
        size_t ncap = b->edges_cap ? b->edges_cap * 2 : 64;
        ca_graph_edge *p = realloc(g->edges, ncap * sizeof *p);

        if (!p)
            return NULL;
        g->edges = p;
        b->edges_cap = ncap;
    }
    b->etable[s] = g->nedges;
    memset(&g->edges[g->nedges], 0, sizeof g->edges[0]);
    g->edges[g->nedges].from = from;
    g->edges[g->nedges].to = to;
    g->edges[g->nedges].kind = kind;
    return &g->edges[g->nedges++];
}

/* The source node of a citation, through the run's interned source index. */
static size_t source_node(struct builder *b, const ca_run *run, const ca_run_cite *c)
{
    if (b->src_node[c->source] == NONE)
        b->src_node[c->source] = node_of(b, NS_KEY, run->sources[c->source]);
    return b->src_node[c->source];
}

/* Add one document's citations; -1 when out of memory. */
static int add_doc(struct builder *b, const ca_run *run, const ca_run_doc *d,
                   unsigned fail_mask)
{
    ca_graph *g = b->g;
    size_t outlet = NONE, from, i;
    int known = d->outlet && *d->outlet;

    if (known)
        outlet = node_of(b, NS_KEY, d->outlet);
    else if (!g->opts.articles)
        outlet = node_of(b, NS_DOC, d->origin);
    if (outlet == NONE && (known || !g->opts.articles))
        return -1;
    from = outlet;
    if (outlet != NONE) {
        g->nodes[outlet].outlet = 1;
        g->nodes[outlet].docs++;
    }
    if (g->opts.articles) {
        from = node_of(b, NS_DOC, d->origin);
        if (from == NONE)
            return -1;
        g->nodes[from].docs++;
        if (outlet != NONE) {
            ca_graph_edge *e = edge_get(b, outlet, from, CA_EDGE_PUBLISHES);

            if (!e)
                return -1;
            e->weight++;
        }
    }
    g->ndocs++;
    for (i = d->first; i < d->first + d->n; i++) {
        const ca_run_cite *c = &run->cites[i];
        const ca_result *res;
        ca_graph_edge *e;
        size_t to;
        int self, fails;

        if (c->region != CA_REGION_BODY || c->source == CA_RUN_NO_SOURCE ||
            c->source >= run->nsources)
            continue;
        to = source_node(b, run, c);
        if (to == NONE)
            return -1;
        self = known && to == outlet;
        if (self && g->opts.no_self)
            continue;
        e = edge_get(b, from, to, CA_EDGE_CITES);
        if (!e)
            return -1;
        res = ca_run_result(run, c);
        fails = g->opts.checked && res && res->cls < 32 && (fail_mask >> res->cls & 1u);
        e->weight++;
        e->self = self;
        g->nodes[to].cited++;
        g->ncites++;
        if (fails) {
            e->failing++;
            e->classes |= 1u << res->cls;
            g->nodes[to].failing++;
            g->nfailing++;
        }
    }
    return 0;
}

/* The reuse edges (with articles): between document nodes, or from a
 * document to the source node of a cited page. -1 when out of memory. */
static int add_reuses(struct builder *b, const ca_graph_opts *opts)
{
    size_t i;

    for (i = 0; i < opts->nreuse; i++) {
        const ca_graph_reuse *r = &opts->reuse[i];
        char *from = r->from ? clean_dup(r->from) : NULL, *to = r->to ? clean_dup(r->to) : NULL;
        size_t f = NONE, t = NONE;
        ca_graph_edge *e;

        if ((r->from && !from) || (r->to && !to)) {
            free(from);
            free(to);
            return -1;
        }
        if (from && to) {
            f = node_find(b, NS_DOC, from);
            t = node_find(b, r->to_source ? NS_KEY : NS_DOC, to);
        }
        free(from);
        free(to);
        if (f == NONE || t == NONE || f == t)
            continue; /* a document not drawn (unread), or a page of no source node */
        e = edge_get(b, f, t, CA_EDGE_REUSES);
        if (!e)
            return -1;
        if (r->percent > e->weight)
            e->weight = r->percent;
        e->uncredited = !r->credited;
        e->undirected = !r->directed;
    }
    return 0;
}

/* The part of an origin shown as a document's label: its base name for a
 * path, the whole origin for a URL or "-". */
static const char *base_name(const char *origin)
{
    const char *slash;

    if (ca_input_is_url(origin))
        return origin;
    slash = strrchr(origin, '/');
    return slash && slash[1] ? slash + 1 : origin;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Nonzero when another document node has the same base name. */
static int base_shared(const char **bases, size_t n, const char *base)
{
    const char **hit = bsearch(&base, bases, n, sizeof *bases, cmp_str);

    return hit && ((hit > bases && !strcmp(hit[-1], base)) ||
                   (hit + 1 < bases + n && !strcmp(hit[1], base)));
}

/* Labels, links and kinds; document keys made distinct from every other key. */
static int finish_nodes(struct builder *b, const ca_run *run)
{
    ca_graph *g = b->g;
    const char **bases = malloc((g->nnodes + 1) * sizeof *bases);
    size_t i, nb = 0, j;

    if (!bases)
        return -1;
    for (i = 0; i < g->nnodes; i++)
        if (b->ns[i] == NS_DOC)
            bases[nb++] = base_name(g->nodes[i].key);
    qsort(bases, nb, sizeof *bases, cmp_str);
    for (i = 0; i < g->nnodes; i++) {
        ca_graph_node *n = &g->nodes[i];

        if (b->ns[i] == NS_KEY) {
            n->kind = ca_graph_classify(n->key, n->outlet);
            n->label = strdup(n->key);
            n->url = strchr(n->key, ':') ? NULL : ca__format("https://%s", n->key);
            if (!n->label || (!n->url && !strchr(n->key, ':')))
                goto fail;
            continue;
        }
        n->kind = CA_NODE_ARTICLE;
        n->label = strdup(base_shared(bases, nb, base_name(n->key)) ? n->key
                                                                     : base_name(n->key));
        if (!n->label)
            goto fail;
        if (strlen(n->label) > LABEL_MAX) {
            ca__utf8_truncate(n->label, LABEL_MAX - 3);
            strcat(n->label, "...");
        }
    }
    for (j = 0; j < run->ndocs; j++) {
        const ca_run_doc *d = &run->docs[j];
        char *origin;
        size_t k;

        if (d->error || !d->url || !ca_input_is_url(d->url))
            continue;
        origin = clean_dup(d->origin);
        if (!origin)
            goto fail;
        k = node_find(b, NS_DOC, origin);
        free(origin);
        if (k != NONE && !g->nodes[k].url && !(g->nodes[k].url = clean_dup(d->url)))
            goto fail;
    }
    /* A document named like an outlet or source (a file called
     * "example.org") must not share its name in DOT. */
    for (i = 0; i < g->nnodes; i++) {
        while (b->ns[i] == NS_DOC && node_find(b, NS_KEY, g->nodes[i].key) != NONE) {
            char *k = ca__format("%s (document)", g->nodes[i].key);

            if (!k)
                goto fail;
            free(g->nodes[i].key);
            g->nodes[i].key = k;
        }
    }
    free(bases);
    return 0;
fail:
    free(bases);
    return -1;
}

/* Sort order: outlets, then articles, then sources; by key within each. */
static int group_of(const ca_graph_node *n)
{
    return n->outlet ? 0 : n->kind == CA_NODE_ARTICLE ? 1 : 2;
}

static int cmp_node(const void *a, const void *b)
{
    const ca_graph_node *x = a, *y = b;
    int gx = group_of(x), gy = group_of(y);

    return gx != gy ? gx - gy : strcmp(x->key, y->key);
}

static int cmp_edge(const void *a, const void *b)
{
    const ca_graph_edge *x = a, *y = b;

    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* A node with its place before sorting. */
struct slot {
    ca_graph_node node;
    size_t old;
};

static int cmp_slot(const void *a, const void *b)
{
    return cmp_node(&((const struct slot *)a)->node, &((const struct slot *)b)->node);
}

/* Sort nodes and edges, renumbering edges through the nodes' old places. */
static int sort_graph(ca_graph *g)
{
    struct slot *slots = malloc((g->nnodes + 1) * sizeof *slots);
    size_t *old_to_new = malloc((g->nnodes + 1) * sizeof *old_to_new), i;

    if (!slots || !old_to_new) {
        free(slots);
        free(old_to_new);
        return -1;
    }
    for (i = 0; i < g->nnodes; i++) {
        slots[i].node = g->nodes[i];
        slots[i].old = i;
    }
    qsort(slots, g->nnodes, sizeof *slots, cmp_slot);
    for (i = 0; i < g->nnodes; i++) {
        g->nodes[i] = slots[i].node;
        old_to_new[slots[i].old] = i;
    }
    for (i = 0; i < g->nedges; i++) {
        g->edges[i].from = old_to_new[g->edges[i].from];
        g->edges[i].to = old_to_new[g->edges[i].to];
    }
    qsort(g->edges, g->nedges, sizeof *g->edges, cmp_edge);
    free(slots);
    free(old_to_new);
    return 0;
}

static void builder_release(struct builder *b)
{
    free(b->ns);
    free(b->ntable);
    free(b->etable);
    free(b->src_node);
}

ca_status ca_graph_build(const ca_run *run, const ca_graph_opts *opts, unsigned fail_mask,
                         ca_graph **ret, ca_error *err)
{
    struct builder b;
    ca_graph *g = calloc(1, sizeof *g);
    size_t i;

    *ret = NULL;
    memset(&b, 0, sizeof b);
    if (!g)
        goto nomem;
    b.g = g;
    g->opts = *opts;
    g->opts.title = NULL;
    g->opts.reuse = NULL; /* not kept: the caller's */
    g->opts.nreuse = 0;
    if (opts->title && !(g->opts.title = clean_dup(opts->title)))
        goto nomem;
    b.src_node = malloc((run->nsources + 1) * sizeof *b.src_node);
    if (!b.src_node)
        goto nomem;
    memset(b.src_node, 0xff, (run->nsources + 1) * sizeof *b.src_node);
    for (i = 0; i < run->ndocs; i++)
        if (!run->docs[i].error && add_doc(&b, run, &run->docs[i], fail_mask) < 0)
            goto nomem;
    if (opts->articles && add_reuses(&b, opts) < 0)
        goto nomem;
    if (finish_nodes(&b, run) < 0 || sort_graph(g) < 0)
        goto nomem;
    builder_release(&b);
    *ret = g;
    return CA_OK;
nomem:
    builder_release(&b);
    ca_graph_destroy(g);
    return ca_error_set(err, CA_NOMEM, "out of memory building the citation graph of %zu "
                        "documents", run->ndocs);
}

void ca__graph_caption(const ca_graph *g, char *buf, size_t n)
{
    int len = snprintf(buf, n, "%zu document%s, %zu citation%s by link", g->ndocs,
                       g->ndocs == 1 ? "" : "s", g->ncites, g->ncites == 1 ? "" : "s");

    if (len < 0 || (size_t)len >= n)
        return;
    if (!g->opts.checked)
        snprintf(buf + len, n - (size_t)len, " (links not checked)");
    else if (g->nfailing)
        snprintf(buf + len, n - (size_t)len, ", %zu failing", g->nfailing);
    else
        snprintf(buf + len, n - (size_t)len, ", none failing");
}

void ca_graph_destroy(ca_graph *g)
{
    size_t i;

    if (!g)
        return;
    for (i = 0; i < g->nnodes; i++) {
        free(g->nodes[i].key);
        free(g->nodes[i].label);
        free(g->nodes[i].url);
    }
    free(g->nodes);
    free(g->edges);
    free((char *)g->opts.title);
    free(g);
}
