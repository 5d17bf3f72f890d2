/*
 * graph.h - the citation graph of a run: outlets, the sources they cite
 * (and with articles, the articles between them), edges weighted by the
 * number of body citations and by how many of those fail. Built with
 * Graphviz cgraph; written as DOT (agwrite), rendered to SVG/PNG with gvc,
 * and exported as GraphML, GEXF and a JSON node/edge list.
 *
 * Output is deterministic: nodes and edges come in a stable order (by kind
 * of node, then key), so golden files compare byte for byte.
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

/* Node kinds: name, shape and colour are in graph.c's table. */
typedef enum ca_node_kind {
    CA_NODE_NEWS = 0,    /* a news outlet (an outlet of the corpus, or a known one) */
    CA_NODE_SOCIAL = 1,  /* a social platform account or a platform host */
    CA_NODE_GOV = 2,     /* government and military */
    CA_NODE_ARCHIVE = 3, /* web archives */
    CA_NODE_OTHER = 4,
    CA_NODE_ARTICLE = 5, /* with --articles: one input document */
    CA_NODE_KIND_COUNT
} ca_node_kind;

const char *ca_node_kind_name(ca_node_kind k);

typedef struct ca_graph_opts {
    int articles;  /* outlet -> article -> source instead of outlet -> source */
    int no_self;   /* drop citations of an outlet by itself */
    int checked;   /* results are real (not --no-check): draw failures */
    const char *title; /* graph label, or NULL */
} ca_graph_opts;

typedef struct ca_graph_node {
    char *key;        /* outlet or source key, or the document for articles */
    char *label;
    ca_node_kind kind;
    int outlet;       /* an outlet of the corpus (it has input documents) */
    size_t docs;      /* input documents of this outlet */
    size_t cited;     /* body citations pointing at it */
} ca_graph_node;

typedef struct ca_graph_edge {
    size_t from, to;  /* node indices */
    size_t weight;    /* body citations */
    size_t failing;   /* ...of which failing */
    unsigned classes; /* bit (1u << ca_class) for each class among failing ones */
    int self;         /* an outlet citing itself */
} ca_graph_edge;

/* A graph: the plain model below is what every exporter writes. */
typedef struct ca_graph {
    ca_graph_node *nodes;
    size_t nnodes;
    ca_graph_edge *edges;
    size_t nedges;
    ca_graph_opts opts;
    void *priv; /* the cgraph graph, built on demand */
} ca_graph;

/*
 * Build the graph of run. fail_mask says which classes fail (bit per
 * class); only body citations count.
 */
ca_status ca_graph_build(const ca_run *run, const ca_graph_opts *opts, unsigned fail_mask,
                         ca_graph **ret, ca_error *err);
void ca_graph_destroy(ca_graph *g);

/* Writers: each fails with CA_IO when out fails, naming what was written. */
ca_status ca_graph_write_dot(ca_graph *g, FILE *out, ca_error *err);
ca_status ca_graph_write_graphml(const ca_graph *g, FILE *out, ca_error *err);
ca_status ca_graph_write_gexf(const ca_graph *g, FILE *out, ca_error *err);
ca_status ca_graph_write_json(const ca_graph *g, FILE *out, ca_error *err);

/*
 * Lay out and render with gvc: format "svg" or "png". dot's layout up to
 * CA_GRAPH_DOT_MAX_NODES nodes, sfdp above; beyond CA_GRAPH_RENDER_MAX_NODES
 * it refuses with CA_LIMIT and a message suggesting DOT and an external
 * layout.
 */
#define CA_GRAPH_DOT_MAX_NODES 500
#define CA_GRAPH_RENDER_MAX_NODES 20000
ca_status ca_graph_render(ca_graph *g, const char *format, FILE *out, ca_error *err);

#ifdef __cplusplus
}
#endif
#endif
