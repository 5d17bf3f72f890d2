/*
 * graph.h - the citation graph of a run: outlets, the sources they cite
 * (and with articles, the articles between them), edges weighted by the
 * number of body citations and by how many of those fail. Built with
 * Graphviz cgraph; written as DOT (agwrite), rendered to SVG/PNG with gvc,
 * and exported as GraphML, GEXF and a JSON node/edge list.
 *
 * The graph is a plain model (nodes and edges in arrays) that every writer
 * reads; cgraph graphs are built from it inside the DOT and rendering
 * writers and freed before they return.
 *
 * Output is deterministic: nodes come outlets first, then articles, then
 * sources, each group sorted by key; edges sorted by (from, to). The same
 * run gives the same bytes in every format, so golden files compare byte
 * for byte.
 */
#ifndef CITEAUDIT_GRAPH_H
#define CITEAUDIT_GRAPH_H

#include <stddef.h>
#include <stdio.h>

#include "citeaudit/error.h"
#include "citeaudit/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Node kinds. Names, shapes and colours are in graph_dot.c's style table;
 * the rules that pick a kind are in graph_kind.c (and the README's "The
 * citation graph").
 */
typedef enum ca_node_kind {
    CA_NODE_NEWS = 0,    /* a news outlet (an outlet of the corpus, or a known one) */
    CA_NODE_SOCIAL = 1,  /* a social platform account or a platform host */
    CA_NODE_GOV = 2,     /* government, military, intergovernmental */
    CA_NODE_ARCHIVE = 3, /* web archives */
    CA_NODE_OTHER = 4,
    CA_NODE_ARTICLE = 5, /* one input document (--articles, or its outlet is unknown) */
    CA_NODE_KIND_COUNT
} ca_node_kind;

/* "news", "social", "gov", "archive", "other", "article"; "?" out of range. */
const char *ca_node_kind_name(ca_node_kind k);

/*
 * The kind of a source or outlet key (see source.h), first rule that
 * matches: a listed government account; any other platform account is
 * social; a government or military domain; a web archive; a platform host
 * (social); news when is_outlet (the corpus has documents of it) or the
 * key is a known news outlet; else other. The tables are in graph_kind.c
 * and src/lib/data/, documented in the README ("The citation graph").
 */
ca_node_kind ca_graph_classify(const char *key, int is_outlet);

typedef enum ca_edge_kind {
    CA_EDGE_CITES = 0,     /* outlet (or article) -> source: body citations */
    CA_EDGE_PUBLISHES = 1, /* outlet -> article, with articles */
    CA_EDGE_REUSES = 2,    /* article -> the article (or cited page's source) whose
                            * text it reuses, with articles (provenance) */
} ca_edge_kind;

/* "cites", "publishes", "reuses". */
const char *ca_edge_kind_name(ca_edge_kind k);

/*
 * A text reuse found by provenance (provenance.h), drawn as a "reuses"
 * edge in the graph with articles.
 */
typedef struct ca_graph_reuse {
    const char *from;  /* origin of the document that reuses (the later one;
                        * either when the dates do not tell) */
    const char *to;    /* origin of the document reused, or with to_source the
                        * source key of a cited page outside the run */
    int to_source;
    unsigned percent;  /* share of from's text found in to, 0 to 100 */
    int directed;      /* the dates tell who reused whom */
    int credited;      /* from links to (or its outlet), or both are one outlet's */
} ca_graph_reuse;

typedef struct ca_graph_opts {
    int articles;      /* outlet -> article -> source instead of outlet -> source */
    int no_self;       /* drop citations of an outlet by itself */
    int checked;       /* results are real (not --no-check): count failures */
    const char *title; /* a first line for the graph's caption, or NULL (copied) */
    const ca_graph_reuse *reuse; /* reuses to draw with articles (used while
                        * building, not kept), or NULL */
    size_t nreuse;
} ca_graph_opts;

typedef struct ca_graph_node {
    char *key;    /* identity: an outlet or source key, or a document's origin */
    char *label;  /* what is drawn: the key, or a document's base name */
    char *url;    /* where the node links to (https://KEY, an article's URL), or NULL */
    ca_node_kind kind;
    int outlet;   /* stands for input documents: an outlet of the corpus, or a
                   * document whose outlet is unknown (drawn as kind article) */
    size_t docs;  /* input documents of this outlet (1 for a document node) */
    size_t cited; /* body citations pointing at it */
    size_t failing; /* ...of which failing */
} ca_graph_node;

typedef struct ca_graph_edge {
    size_t from, to;   /* node indices */
    ca_edge_kind kind;
    size_t weight;     /* body citations (1 for publishes; for reuses the share
                        * of from's text in to, in percent) */
    size_t failing;    /* ...of which failing */
    unsigned classes;  /* bit (1u << ca_class) for each class among the failing ones */
    int self;          /* an outlet (or its article) citing the outlet itself */
    int uncredited;    /* reuses: from does not link to (drawn dashed) */
    int undirected;    /* reuses: the dates do not tell who reused whom */
} ca_graph_edge;

/* A graph: the plain model every exporter writes. Read-only for callers. */
typedef struct ca_graph {
    ca_graph_node *nodes;
    size_t nnodes;
    ca_graph_edge *edges;
    size_t nedges;
    ca_graph_opts opts; /* title points at an owned copy */
    size_t ndocs;       /* documents drawn (inputs that could not be read are not) */
    size_t ncites;      /* body citations drawn (after no_self) */
    size_t nfailing;    /* ...of which failing */
} ca_graph;

/*
 * Build the graph of run. fail_mask says which classes fail (bit per
 * class), used only with opts->checked. Only body citations with a source
 * key count; documents that could not be read are left out. CA_NOMEM on
 * allocation failure.
 */
ca_status ca_graph_build(const ca_run *run, const ca_graph_opts *opts, unsigned fail_mask,
                         ca_graph **ret, ca_error *err);
void ca_graph_destroy(ca_graph *g);

/*
 * Writers: each fails with CA_IO when out fails (a full disk), CA_NOMEM
 * when out of memory, CA_ENV when Graphviz refuses, each with a message.
 * out is not closed; the caller flushes and checks it too.
 *
 * DOT is written by cgraph's agwrite: node names are the keys, with the
 * kind's shape and colour, a label, a legend subgraph cluster_legend, and
 * edges labelled with their weight (failing ones red and dashed).
 */
ca_status ca_graph_write_dot(const ca_graph *g, FILE *out, ca_error *err);
/* GraphML with keys key, label, kind, outlet, documents, cited, url (nodes)
 * and type, weight, failing, classes, self (edges). */
ca_status ca_graph_write_graphml(const ca_graph *g, FILE *out, ca_error *err);
/* GEXF 1.2 (Gephi): the same attributes, viz:color and viz:shape per kind,
 * edge weights. */
ca_status ca_graph_write_gexf(const ca_graph *g, FILE *out, ca_error *err);
/* JSON: {"schema_version":1, ..., "nodes":[...], "edges":[...]}, one node or
 * edge a line, keys in a fixed order. */
ca_status ca_graph_write_json(const ca_graph *g, FILE *out, ca_error *err);

/*
 * Lay out and render with gvc in-process: format "svg" or "png". dot's
 * layout up to CA_GRAPH_DOT_MAX_NODES nodes, sfdp above; beyond
 * CA_GRAPH_RENDER_MAX_NODES it refuses with CA_LIMIT and a message
 * suggesting DOT and an external layout. SVG is laid out with Graphviz's
 * built-in font metrics, so it does not depend on the fonts installed and
 * is the same bytes on every machine with the same Graphviz. CA_ENV when
 * Graphviz's plugins cannot be loaded (the message says what to install).
 */
#define CA_GRAPH_DOT_MAX_NODES 500
#define CA_GRAPH_RENDER_MAX_NODES 20000
ca_status ca_graph_render(const ca_graph *g, const char *format, FILE *out, ca_error *err);

/* The same into memory: *ret (caller frees, NUL-terminated) of *ret_len bytes. */
ca_status ca_graph_render_mem(const ca_graph *g, const char *format, char **ret,
                              size_t *ret_len, ca_error *err);

#ifdef __cplusplus
}
#endif
#endif
