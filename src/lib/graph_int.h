/*
 * graph_int.h - internals shared by the graph modules:
 *
 *   graph.c         the model: nodes and edges built from a run
 *   graph_kind.c    node kinds (rule tables, data files) and their styles
 *   graph_dot.c     the cgraph graph and DOT output (agwrite)
 *   graph_render.c  layout and SVG/PNG with gvc
 *   graph_export.c  GraphML, GEXF and JSON
 */
#ifndef CA_GRAPH_INT_H
#define CA_GRAPH_INT_H

#include <stddef.h>
#include <stdio.h>

#include "citeaudit/graph.h"

/* How a node kind is drawn, in DOT/SVG and in GEXF. */
struct ca__kind_style {
    const char *legend;     /* the legend's words for it */
    const char *shape;      /* Graphviz shape */
    const char *style;      /* Graphviz style */
    const char *fill;       /* fill colour, #rrggbb */
    const char *border;     /* outline colour, #rrggbb */
    const char *gexf_shape; /* viz:shape: disc, square, triangle, diamond */
    unsigned char rgb[3];   /* the fill colour for viz:color */
};

extern const struct ca__kind_style ca__kind_styles[CA_NODE_KIND_COUNT];

/* The sorted lists compiled from src/lib/data/ (graph_data.c, generated). */
extern const char *const ca__gov_accounts[];
extern const size_t ca__gov_accounts_count;
extern const char *const ca__news_outlets[];
extern const size_t ca__news_outlets_count;

/*
 * Write the names of the classes in mask, comma-separated ("dead, dns"),
 * into buf of size n (always terminated; cut short when it does not fit).
 */
void ca__graph_classes(unsigned mask, const char *sep, char *buf, size_t n);

/* "5 documents, 4 citations by link (links not checked)", or with checks
 * ", 2 failing" / ", none failing", into buf of size n. */
void ca__graph_caption(const ca_graph *g, char *buf, size_t n);

/*
 * Build the cgraph graph of g (DOT attributes, legend), for agwrite or gvc.
 * Returns an Agraph_t * as void * (cgraph stays out of this header); NULL
 * with err set on failure. Call between capture_begin and capture_end.
 */
void *ca__graph_cgraph(const ca_graph *g, ca_error *err);
void ca__graph_cgraph_free(void *ag);

/*
 * Graphviz prints its messages (agerr) unless given a handler: between
 * begin and end they are collected instead, and ca__graph_errors() returns
 * them ("no message from Graphviz" when none). Not thread-safe: Graphviz's
 * handler is process-wide.
 */
void ca__graph_capture_begin(void);
void ca__graph_capture_end(void);
const char *ca__graph_errors(void);

#endif
