/*
 * graph_dot.c - the citation graph as a Graphviz cgraph graph, and DOT
 * written from it by agwrite. This is the one module that builds cgraph
 * graphs; graph_render.c lays out and renders what it builds.
 *
 * Nodes and edges are created in the model's order, and agwrite writes
 * them in creation order, so the DOT is the same bytes for the same run.
 * Node names are the model's keys ("themoscowtimes.com", "t.me/mod_russia");
 * a kind's shape and colours come from ca__kind_styles, and a legend
 * subgraph (cluster_legend) shows one node per kind and the edge styles.
 *
 * Graphviz reports problems through agerr, which prints unless given a
 * handler: every call here runs with ca__graph_capture_begin() so that the
 * library never prints and the message ends up in the caller's ca_error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgraph.h>

#include "graph_int.h"
#include "strutil.h"

#define FONT "Helvetica"
#define COLOR_EDGE "#636363"
#define COLOR_FAIL "#d62728"
#define COLOR_SELF "#2171b5"
#define COLOR_PUBLISH "#bdbdbd"
#define COLOR_REUSE "#0b5ed7"
#define PEN_MAX 8

/* ---- Graphviz's messages ---- */

static char err_text[1024]; /* as Graphviz sent it, in pieces ("Error", ": ", ...) */
static size_t err_len;
static char err_line[1024]; /* the same on one line */
static agusererrf err_prev;

static int collect(char *msg)
{
    size_t n = strlen(msg);

    if (n > sizeof err_text - 1 - err_len)
        n = sizeof err_text - 1 - err_len;
    memcpy(err_text + err_len, msg, n);
    err_len += n;
    err_text[err_len] = '\0';
    return 0;
}

void ca__graph_capture_begin(void)
{
    err_len = 0;
    err_text[0] = '\0';
    agreseterrors();
    err_prev = agseterrf(collect);
}

void ca__graph_capture_end(void)
{
    agseterrf(err_prev);
    err_prev = NULL;
}

const char *ca__graph_errors(void)
{
    size_t i, o = 0;

    for (i = 0; i < err_len && o + 3 < sizeof err_line; i++) {
        char c = err_text[i];

        if (c == '\n' || c == '\t' || c == '\r') {
            if (i + 1 < err_len && o) {
                memcpy(err_line + o, "; ", 2);
                o += 2;
            }
            continue;
        }
        err_line[o++] = c;
    }
    err_line[o] = '\0';
    return o ? err_line : "no message from Graphviz";
}

/* ---- attributes ---- */

/* DOT keeps backslashes in names, and labels read "\\" as one: doubling
 * them keeps names distinct and labels literal. Caller frees. */
static char *dot_escape(const char *s)
{
    size_t n = 0, i;
    char *out, *p;

    for (i = 0; s[i]; i++)
        n += s[i] == '\\' ? 2 : 1;
    out = malloc(n + 1);
    if (!out)
        return NULL;
    for (p = out, i = 0; s[i]; i++) {
        if (s[i] == '\\')
            *p++ = '\\';
        *p++ = s[i];
    }
    *p = '\0';
    return out;
}

/* agsafeset with a printf-formatted value; -1 when out of memory. */
static int setf(void *obj, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int setf(void *obj, const char *name, const char *fmt, ...)
{
    va_list ap;
    char *v;
    int rc;

    va_start(ap, fmt);
    v = ca__vformat(fmt, ap);
    va_end(ap);
    if (!v)
        return -1;
    rc = agsafeset(obj, (char *)name, v, "");
    free(v);
    return rc == 0 ? 0 : -1;
}

static int set(void *obj, const char *name, const char *value)
{
    return agsafeset(obj, (char *)name, (char *)value, "") == 0 ? 0 : -1;
}

/* The edge attributes, looked up once: a million edges are set through
 * these symbols, never by name. */
struct edge_syms {
    Agsym_t *label, *failing, *penwidth, *tooltip, *class, *color, *fontcolor, *style;
};

/* Declare an attribute with its default; NULL when out of memory. */
static Agsym_t *declare1(Agraph_t *ag, int kind, const char *name, const char *dflt)
{
    return agattr(ag, kind, (char *)name, (char *)dflt);
}

/* Defaults declared once, so each node and edge carries only what differs:
 * a plain edge (class cites, pen 1) is written with its label alone, the
 * number of citations. Failing edges say how many fail in failing=N. */
static int declare(Agraph_t *ag, const ca_graph *g, struct edge_syms *es)
{
    char counts[256], *title = g->opts.title ? dot_escape(g->opts.title) : NULL, *caption;
    int rc;

    ca__graph_caption(g, counts, sizeof counts);
    caption = title ? ca__format("%s\\n%s", title, counts) : ca__format("%s", counts);
    free(title);
    if (!caption)
        return -1;
    rc = -!declare1(ag, AGRAPH, "rankdir", "LR");
    rc |= -!declare1(ag, AGRAPH, "fontname", FONT);
    rc |= -!declare1(ag, AGRAPH, "fontsize", "12");
    rc |= -!declare1(ag, AGRAPH, "labelloc", "b");
    rc |= -!declare1(ag, AGRAPH, "label", caption);
    rc |= -!declare1(ag, AGRAPH, "nodesep", "0.3");
    rc |= -!declare1(ag, AGRAPH, "ranksep", "1.0");
    rc |= -!declare1(ag, AGNODE, "fontname", FONT);
    rc |= -!declare1(ag, AGNODE, "fontsize", "11");
    rc |= -!declare1(ag, AGNODE, "style", "filled");
    /* Room for fonts wider than Graphviz's built-in Helvetica metrics. */
    rc |= -!declare1(ag, AGNODE, "margin", "0.2,0.06");
    rc |= -!declare1(ag, AGNODE, "class", "");
    rc |= -!declare1(ag, AGEDGE, "fontname", FONT);
    rc |= -!declare1(ag, AGEDGE, "fontsize", "10");
    rc |= -!declare1(ag, AGEDGE, "arrowsize", "0.7");
    rc |= -!(es->color = declare1(ag, AGEDGE, "color", COLOR_EDGE));
    rc |= -!(es->class = declare1(ag, AGEDGE, "class", "cites"));
    rc |= -!(es->penwidth = declare1(ag, AGEDGE, "penwidth", "1"));
    rc |= -!(es->label = declare1(ag, AGEDGE, "label", ""));
    rc |= -!(es->failing = declare1(ag, AGEDGE, "failing", ""));
    rc |= -!(es->tooltip = declare1(ag, AGEDGE, "tooltip", ""));
    rc |= -!(es->fontcolor = declare1(ag, AGEDGE, "fontcolor", "black"));
    rc |= -!(es->style = declare1(ag, AGEDGE, "style", ""));
    free(caption);
    return rc ? -1 : 0;
}

static int style_node(Agnode_t *n, ca_node_kind kind)
{
    const struct ca__kind_style *st = &ca__kind_styles[kind];

    return set(n, "shape", st->shape) | set(n, "style", st->style) |
           set(n, "fillcolor", st->fill) | set(n, "color", st->border) |
           set(n, "class", ca_node_kind_name(kind));
}

/* ---- legend ---- */

/* A node name no node of the graph has (a document may be called anything). */
static Agnode_t *fresh_node(Agraph_t *ag, Agraph_t *sub, const char *base)
{
    char name[128];
    int i;

    snprintf(name, sizeof name, "%s", base);
    for (i = 2; agnode(ag, name, 0); i++)
        snprintf(name, sizeof name, "%s %d", base, i);
    return agnode(sub, name, 1);
}

/* One sample edge between two dots, drawn as the edges of that style are. */
static int legend_edge(Agraph_t *ag, Agraph_t *leg, const char *what, const char *label,
                       const char *color, const char *style, const char *arrowhead)
{
    char a[64], b[64];
    Agnode_t *x, *y;
    Agedge_t *e;
    int rc;

    snprintf(a, sizeof a, "legend: %s", what);
    snprintf(b, sizeof b, "legend: %s end", what);
    x = fresh_node(ag, leg, a);
    y = x ? fresh_node(ag, leg, b) : NULL;
    e = y ? agedge(leg, x, y, NULL, 1) : NULL;
    if (!e)
        return -1;
    rc = set(x, "shape", "point") | set(y, "shape", "point") | set(x, "width", "0.06") |
         set(y, "width", "0.06") | set(x, "color", color) | set(y, "color", color);
    rc |= set(e, "label", label) | set(e, "color", color) | set(e, "fontcolor", color) |
          set(x, "class", "legend") | set(y, "class", "legend") | set(e, "class", "legend");
    if (style)
        rc |= set(e, "style", style);
    if (arrowhead)
        rc |= set(e, "arrowhead", arrowhead);
    return rc;
}

/* An invisible edge that puts b in the column after a. */
static int beside(Agraph_t *leg, Agnode_t *a, Agnode_t *b)
{
    Agedge_t *e = agedge(leg, a, b, NULL, 1);

    return e ? set(e, "style", "invis") : -1;
}

/* The legend: the kinds two to a row, then one sample edge per style. */
static int legend(Agraph_t *ag, const ca_graph *g)
{
    Agraph_t *leg = agsubg(ag, "cluster_legend", 1);
    Agnode_t *prev = NULL;
    int k, rc;

    if (!leg)
        return -1;
    rc = set(leg, "label", "Legend") | set(leg, "style", "rounded") |
         set(leg, "color", "#bdbdbd") | set(leg, "fontsize", "11");
    for (k = 0; k < CA_NODE_KIND_COUNT; k++) {
        char name[64];
        Agnode_t *n;

        snprintf(name, sizeof name, "legend: %s", ca_node_kind_name((ca_node_kind)k));
        n = fresh_node(ag, leg, name);
        if (!n)
            return -1;
        rc |= style_node(n, (ca_node_kind)k) | set(n, "label", ca__kind_styles[k].legend) |
              set(n, "fontsize", "10") | set(n, "class", "legend");
        if (k % 2)
            rc |= beside(leg, prev, n);
        prev = n;
    }
    rc |= legend_edge(ag, leg, "cites", "cites: number of citations", COLOR_EDGE, NULL,
                      NULL);
    rc |= legend_edge(ag, leg, "failing", "some links failing", COLOR_FAIL, "dashed", NULL);
    rc |= legend_edge(ag, leg, "self", "outlet citing itself", COLOR_SELF, NULL, NULL);
    if (g->opts.articles) {
        rc |= legend_edge(ag, leg, "publishes", "outlet publishes article", COLOR_PUBLISH,
                          NULL, "none");
        rc |= legend_edge(ag, leg, "reuses", "reuses text: share of it", COLOR_REUSE, "bold",
                          NULL);
        rc |= legend_edge(ag, leg, "reuses uncredited", "reuses text, no credit",
                          COLOR_REUSE, "dashed", NULL);
    }
    return rc;
}

/* ---- nodes and edges ---- */

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* "kyivpost.com: news outlet, 1 document, cited 2 times, 1 failing". */
static int tooltip(Agnode_t *n, const ca_graph_node *m, const char *name)
{
    char docs[64] = "", cited[64] = "", failing[64] = "";

    if (m->kind == CA_NODE_ARTICLE)
        return setf(n, "tooltip", m->outlet ? "%s: document, outlet unknown" : "%s: article",
                    name);
    if (m->outlet)
        snprintf(docs, sizeof docs, ", %zu document%s", m->docs, plural(m->docs));
    if (m->cited || !m->outlet)
        snprintf(cited, sizeof cited, ", cited %zu time%s", m->cited, plural(m->cited));
    if (m->failing)
        snprintf(failing, sizeof failing, ", %zu failing", m->failing);
    return setf(n, "tooltip", "%s: %s%s%s%s", name, ca__kind_styles[m->kind].legend, docs,
                cited, failing);
}

static int add_node(Agraph_t *ag, const ca_graph_node *m, Agnode_t **ret)
{
    char *name = dot_escape(m->key), *label = dot_escape(m->label);
    Agnode_t *n = name ? agnode(ag, name, 1) : NULL;
    int rc = -1;

    *ret = n;
    if (!n || !label)
        goto out;
    rc = style_node(n, m->kind);
    if (m->outlet && m->kind == CA_NODE_ARTICLE)
        rc |= setf(n, "label", "%s\\n(outlet unknown)", label);
    else if (m->outlet)
        rc |= setf(n, "label", "%s\\n%zu document%s", label, m->docs, plural(m->docs));
    else
        rc |= set(n, "label", label);
    rc |= tooltip(n, m, name);
    if (m->url)
        rc |= set(n, "URL", m->url);
out:
    free(name);
    free(label);
    return rc;
}

static int xset(void *obj, Agsym_t *sym, const char *value)
{
    return agxset(obj, sym, (char *)value) == 0 ? 0 : -1;
}

/*
 * The label of a self or failing edge, "3 (self; 2 failing: dead, dns)",
 * and a tooltip that says it in words. Plain edges have neither: their
 * label is the count, and Graphviz's SVG titles them "from->to".
 */
static int describe_edge(Agedge_t *e, const struct edge_syms *es, const ca_graph *g,
                         const ca_graph_edge *m)
{
    char classes[256], failing[320] = "", label[400];
    char *from = dot_escape(g->nodes[m->from].label), *to = dot_escape(g->nodes[m->to].label);
    int rc = -1;

    if (!from || !to)
        goto out;
    ca__graph_classes(m->classes, ", ", classes, sizeof classes);
    if (m->failing)
        snprintf(failing, sizeof failing, "%zu failing: %s", m->failing, classes);
    snprintf(label, sizeof label, "%zu (%s%s%s)", m->weight, m->self ? "self" : "",
             m->self && m->failing ? "; " : "", failing);
    rc = xset(e, es->label, label);
    rc |= setf(e, "tooltip", "%s -> %s: %zu citation%s%s%s%s", from, to, m->weight,
               plural(m->weight), m->self ? " of the outlet by itself" : "",
               m->failing ? "; " : "", failing);
out:
    free(from);
    free(to);
    return rc;
}

/* A reuse: blue, "reuses 98%" (or "shares" when the dates do not tell who
 * came first, drawn without an arrow), dashed when uncredited. */
static int reuse_edge(Agedge_t *e, const struct edge_syms *es, const ca_graph *g,
                      const ca_graph_edge *m)
{
    char label[64];
    char *from = dot_escape(g->nodes[m->from].label), *to = dot_escape(g->nodes[m->to].label);
    int rc = -1;

    if (!from || !to)
        goto out;
    snprintf(label, sizeof label, "%s %zu%%", m->undirected ? "shares" : "reuses", m->weight);
    rc = xset(e, es->color, COLOR_REUSE) | xset(e, es->fontcolor, COLOR_REUSE) |
         xset(e, es->label, label) | xset(e, es->penwidth, "2") |
         xset(e, es->class, m->uncredited ? "reuses uncredited" : "reuses") |
         xset(e, es->style, m->uncredited ? "dashed" : "solid");
    if (m->undirected)
        rc |= set(e, "dir", "none");
    rc |= setf(e, "tooltip", "%s %s %s: %zu%% of its text%s%s", from,
               m->undirected ? "shares text with" : "reuses the text of", to, m->weight,
               m->undirected ? " is in the other" : " is in it",
               m->uncredited ? "; uncredited" : "");
out:
    free(from);
    free(to);
    return rc;
}

static int add_edge(Agraph_t *ag, const struct edge_syms *es, const ca_graph *g,
                    const ca_graph_edge *m, Agnode_t **nodes)
{
    Agedge_t *e = agedge(ag, nodes[m->from], nodes[m->to], NULL, 1);
    char num[32];
    unsigned pen = 0;
    size_t w;
    int rc;

    if (!e)
        return -1;
    if (m->kind == CA_EDGE_PUBLISHES)
        return xset(e, es->color, COLOR_PUBLISH) | set(e, "arrowhead", "none") |
               xset(e, es->class, "publishes");
    if (m->kind == CA_EDGE_REUSES)
        return reuse_edge(e, es, g, m);
    for (w = m->weight; w && pen < PEN_MAX; w >>= 1)
        pen++; /* 1 + floor(log2(weight)), exact and the same everywhere */
    snprintf(num, sizeof num, "%zu", m->weight);
    rc = 0;
    if (pen > 1) {
        char pw[8];

        snprintf(pw, sizeof pw, "%u", pen);
        rc |= xset(e, es->penwidth, pw);
    }
    if (!m->self && !m->failing)
        return rc | xset(e, es->label, num);
    rc |= describe_edge(e, es, g, m);
    rc |= xset(e, es->class, m->failing && m->self ? "cites failing self"
                             : m->failing          ? "cites failing"
                                                   : "cites self");
    if (m->failing) {
        snprintf(num, sizeof num, "%zu", m->failing);
        rc |= xset(e, es->failing, num) | xset(e, es->color, COLOR_FAIL) |
              xset(e, es->fontcolor, COLOR_FAIL) | xset(e, es->style, "dashed");
    } else {
        rc |= xset(e, es->color, COLOR_SELF) | xset(e, es->fontcolor, COLOR_SELF);
    }
    return rc;
}

void ca__graph_cgraph_free(void *ag)
{
    if (ag)
        agclose(ag);
}

void *ca__graph_cgraph(const ca_graph *g, ca_error *err)
{
    Agraph_t *ag = agopen("citations", Agdirected, NULL);
    Agnode_t **nodes = calloc(g->nnodes + 1, sizeof *nodes);
    struct edge_syms es;
    size_t i;

    if (!ag || !nodes || declare(ag, g, &es) < 0 || legend(ag, g) < 0)
        goto fail;
    for (i = 0; i < g->nnodes; i++)
        if (add_node(ag, &g->nodes[i], &nodes[i]) < 0)
            goto fail;
    for (i = 0; i < g->nedges; i++)
        if (add_edge(ag, &es, g, &g->edges[i], nodes) < 0)
            goto fail;
    free(nodes);
    return ag;
fail:
    free(nodes);
    if (ag)
        agclose(ag);
    ca_error_set(err, CA_NOMEM, "cannot build the Graphviz graph of %zu nodes and %zu edges: "
                 "%s", g->nnodes, g->nedges, agerrors() ? ca__graph_errors() : "out of memory");
    return NULL;
}

ca_status ca_graph_write_dot(const ca_graph *g, FILE *out, ca_error *err)
{
    Agraph_t *ag;
    int rc;

    ca__graph_capture_begin();
    ag = ca__graph_cgraph(g, err);
    if (!ag) {
        ca__graph_capture_end();
        return err ? err->code : CA_NOMEM;
    }
    errno = 0;
    rc = agwrite(ag, out);
    agclose(ag);
    ca__graph_capture_end();
    if (rc != 0 || ferror(out))
        return ca_error_set(err, CA_IO, "cannot write the graph as DOT: %s",
                            strerror(errno ? errno : EIO));
    return CA_OK;
}
