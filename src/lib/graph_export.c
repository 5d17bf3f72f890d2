/*
 * graph_export.c - the citation graph as GraphML, GEXF and a JSON
 * node/edge list, streamed to a FILE in the model's order (a graph of a
 * million citations is written without building a document in memory).
 *
 * GEXF is version 1.2 (namespace http://www.gexf.net/1.2draft), the
 * version Gephi, networkx, igraph and sigma.js/graphology all read; it has
 * every feature used here (typed attributes, viz:color, viz:shape,
 * viz:size, viz:thickness, edge weights). tests/schemas/ holds the XSDs
 * both XML formats are validated against.
 *
 * The model's strings are valid UTF-8 without control characters
 * (graph.c), so escaping is all that is left: &, <, >, " in XML, and
 * JSON's escapes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "graph_int.h"

#define COLOR_FAIL_RGB 0xd6, 0x27, 0x28
#define COLOR_SELF_RGB 0x21, 0x71, 0xb5
#define COLOR_EDGE_RGB 0x63, 0x63, 0x63
#define COLOR_PUBLISH_RGB 0xbd, 0xbd, 0xbd
#define COLOR_REUSE_RGB 0x0b, 0x5e, 0xd7

static ca_status finish(FILE *out, const char *what, ca_error *err)
{
    if (ferror(out))
        return ca_error_set(err, CA_IO, "cannot write the graph as %s: %s", what,
                            strerror(errno ? errno : EIO));
    return CA_OK;
}

/* Text or an attribute value, escaped for XML. */
static void xml_text(FILE *out, const char *s)
{
    const char *run = s;

    for (; *s; s++) {
        const char *rep;
        unsigned char c = (unsigned char)*s;

        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: rep = c < 0x20 || c == 0x7f ? "?" : NULL; break;
        }
        if (!rep)
            continue;
        fwrite(run, 1, (size_t)(s - run), out);
        fputs(rep, out);
        run = s + 1;
    }
    fwrite(run, 1, (size_t)(s - run), out);
}

static void json_str(FILE *out, const char *s)
{
    const char *run = s;

    putc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        fwrite(run, 1, (size_t)(s - run), out);
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else
            fprintf(out, "\\u%04x", c);
        run = s + 1;
    }
    fwrite(run, 1, (size_t)(s - run), out);
    putc('"', out);
}

/* A number of bits, for sizes that grow with the log of a count. */
static unsigned bitlen(size_t n)
{
    unsigned b = 0;

    for (; n; n >>= 1)
        b++;
    return b;
}

static const char *yes(int b)
{
    return b ? "true" : "false";
}

/* The one-line description the XML formats carry. */
static void caption(const ca_graph *g, char *buf, size_t n)
{
    char counts[256];

    ca__graph_caption(g, counts, sizeof counts);
    snprintf(buf, n, "%s%s%s", g->opts.title ? g->opts.title : "", g->opts.title ? ": " : "",
             counts);
}

/* ---- GraphML ---- */

static const char *const graphml_keys[][4] = {
    /* id, for, attr.name, attr.type */
    {"n_key", "node", "key", "string"},
    {"n_label", "node", "label", "string"},
    {"n_kind", "node", "kind", "string"},
    {"n_outlet", "node", "outlet", "boolean"},
    {"n_documents", "node", "documents", "long"},
    {"n_cited", "node", "cited", "long"},
    {"n_failing", "node", "failing", "long"},
    {"n_url", "node", "url", "string"},
    {"e_type", "edge", "type", "string"},
    {"e_weight", "edge", "weight", "long"},
    {"e_failing", "edge", "failing", "long"},
    {"e_classes", "edge", "classes", "string"},
    {"e_self", "edge", "self", "boolean"},
};

static void graphml_data(FILE *out, const char *key, const char *value)
{
    fprintf(out, "      <data key=\"%s\">", key);
    xml_text(out, value);
    fputs("</data>\n", out);
}

static void graphml_num(FILE *out, const char *key, size_t value)
{
    fprintf(out, "      <data key=\"%s\">%zu</data>\n", key, value);
}

ca_status ca_graph_write_graphml(const ca_graph *g, FILE *out, ca_error *err)
{
    char desc[512], classes[256];
    size_t i;

    caption(g, desc, sizeof desc);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
          "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
          out);
    for (i = 0; i < sizeof graphml_keys / sizeof graphml_keys[0]; i++)
        fprintf(out, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                graphml_keys[i][0], graphml_keys[i][1], graphml_keys[i][2], graphml_keys[i][3]);
    fputs("  <graph id=\"citations\" edgedefault=\"directed\">\n    <desc>", out);
    xml_text(out, desc);
    fputs("</desc>\n", out);
    for (i = 0; i < g->nnodes; i++) {
        const ca_graph_node *n = &g->nodes[i];

        fprintf(out, "    <node id=\"n%zu\">\n", i);
        graphml_data(out, "n_key", n->key);
        graphml_data(out, "n_label", n->label);
        graphml_data(out, "n_kind", ca_node_kind_name(n->kind));
        graphml_data(out, "n_outlet", yes(n->outlet));
        graphml_num(out, "n_documents", n->docs);
        graphml_num(out, "n_cited", n->cited);
        graphml_num(out, "n_failing", n->failing);
        if (n->url)
            graphml_data(out, "n_url", n->url);
        fputs("    </node>\n", out);
    }
    for (i = 0; i < g->nedges; i++) {
        const ca_graph_edge *e = &g->edges[i];

        ca__graph_classes(e->classes, ",", classes, sizeof classes);
        fprintf(out, "    <edge id=\"e%zu\" source=\"n%zu\" target=\"n%zu\">\n", i, e->from,
                e->to);
        graphml_data(out, "e_type", ca_edge_kind_name(e->kind));
        graphml_num(out, "e_weight", e->weight);
        graphml_num(out, "e_failing", e->failing);
        graphml_data(out, "e_classes", classes);
        graphml_data(out, "e_self", yes(e->self));
        fputs("    </edge>\n", out);
    }
    fputs("  </graph>\n</graphml>\n", out);
    return finish(out, "GraphML", err);
}

/* ---- GEXF ---- */

/*
 * The attributes, each with a default: a node or edge writes only the
 * values that differ from it, so the common plain edge is one line of
 * attributes and its colour. The edge weight is GEXF's own weight.
 */
static const char *const gexf_attrs[][5] = {
    /* class, id (also the title), type, default or NULL */
    {"node", "key", "string", NULL},
    {"node", "kind", "string", NULL},
    {"node", "outlet", "boolean", "false"},
    {"node", "documents", "long", "0"},
    {"node", "cited", "long", "0"},
    {"node", "failing", "long", "0"},
    {"node", "url", "anyURI", NULL},
    {"edge", "relation", "string", "cites"},
    {"edge", "failing", "long", "0"},
    {"edge", "classes", "string", ""},
    {"edge", "self", "boolean", "false"},
};

static void gexf_attributes(FILE *out, const char *cls)
{
    size_t i;

    fprintf(out, "    <attributes class=\"%s\">\n", cls);
    for (i = 0; i < sizeof gexf_attrs / sizeof gexf_attrs[0]; i++) {
        const char *const *a = gexf_attrs[i];

        if (strcmp(a[0], cls) != 0)
            continue;
        fprintf(out, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"", a[1], a[1], a[2]);
        if (a[3])
            fprintf(out, "><default>%s</default></attribute>\n", a[3]);
        else
            fputs("/>\n", out);
    }
    fputs("    </attributes>\n", out);
}

static void gexf_value(FILE *out, const char *id, const char *value)
{
    fprintf(out, "          <attvalue for=\"%s\" value=\"", id);
    xml_text(out, value);
    fputs("\"/>\n", out);
}

static void gexf_num(FILE *out, const char *id, size_t value)
{
    if (value)
        fprintf(out, "          <attvalue for=\"%s\" value=\"%zu\"/>\n", id, value);
}

static void gexf_node(FILE *out, size_t i, const ca_graph_node *n)
{
    const struct ca__kind_style *st = &ca__kind_styles[n->kind];

    fprintf(out, "      <node id=\"n%zu\" label=\"", i);
    xml_text(out, n->label);
    fputs("\">\n        <attvalues>\n", out);
    gexf_value(out, "key", n->key);
    gexf_value(out, "kind", ca_node_kind_name(n->kind));
    if (n->outlet)
        gexf_value(out, "outlet", "true");
    gexf_num(out, "documents", n->docs);
    gexf_num(out, "cited", n->cited);
    gexf_num(out, "failing", n->failing);
    if (n->url)
        gexf_value(out, "url", n->url);
    fprintf(out, "        </attvalues>\n"
                 "        <viz:color r=\"%u\" g=\"%u\" b=\"%u\"/>\n"
                 "        <viz:size value=\"%u\"/>\n"
                 "        <viz:shape value=\"%s\"/>\n"
                 "      </node>\n",
            st->rgb[0], st->rgb[1], st->rgb[2], 8 + 4 * bitlen(n->docs + n->cited),
            st->gexf_shape);
}

static void gexf_edge(FILE *out, size_t i, const ca_graph_edge *e)
{
    static const unsigned char fail[3] = {COLOR_FAIL_RGB}, self[3] = {COLOR_SELF_RGB},
                               plain[3] = {COLOR_EDGE_RGB}, publish[3] = {COLOR_PUBLISH_RGB},
                               reuse[3] = {COLOR_REUSE_RGB};
    const unsigned char *rgb = e->kind == CA_EDGE_PUBLISHES ? publish
                               : e->kind == CA_EDGE_REUSES  ? reuse
                               : e->failing                 ? fail
                               : e->self                    ? self
                                                            : plain;
    char line[512];

    if (e->kind == CA_EDGE_CITES && !e->failing && !e->self) {
        /* The common case in one write: a million of these make a big graph. */
        snprintf(line, sizeof line,
                 "      <edge id=\"e%zu\" source=\"n%zu\" target=\"n%zu\" weight=\"%zu\">\n"
                 "        <viz:color r=\"%u\" g=\"%u\" b=\"%u\"/>\n"
                 "        <viz:thickness value=\"%u\"/>\n"
                 "      </edge>\n",
                 i, e->from, e->to, e->weight, rgb[0], rgb[1], rgb[2], bitlen(e->weight));
        fputs(line, out);
        return;
    }
    fprintf(out, "      <edge id=\"e%zu\" source=\"n%zu\" target=\"n%zu\" weight=\"%zu\">\n"
                 "        <attvalues>\n",
            i, e->from, e->to, e->weight);
    if (e->kind != CA_EDGE_CITES)
        gexf_value(out, "relation", ca_edge_kind_name(e->kind));
    gexf_num(out, "failing", e->failing);
    if (e->classes) {
        ca__graph_classes(e->classes, ",", line, sizeof line);
        gexf_value(out, "classes", line);
    }
    if (e->self)
        gexf_value(out, "self", "true");
    fprintf(out, "        </attvalues>\n"
                 "        <viz:color r=\"%u\" g=\"%u\" b=\"%u\"/>\n"
                 "        <viz:thickness value=\"%u\"/>\n"
                 "      </edge>\n",
            rgb[0], rgb[1], rgb[2], bitlen(e->weight));
}

ca_status ca_graph_write_gexf(const ca_graph *g, FILE *out, ca_error *err)
{
    char desc[512];
    size_t i;

    caption(g, desc, sizeof desc);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<gexf xmlns=\"http://www.gexf.net/1.2draft\"\n"
          "    xmlns:viz=\"http://www.gexf.net/1.2draft/viz\"\n"
          "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
          "    xsi:schemaLocation=\"http://www.gexf.net/1.2draft "
          "http://www.gexf.net/1.2draft/gexf.xsd\"\n"
          "    version=\"1.2\">\n"
          "  <meta>\n    <creator>citeaudit</creator>\n    <description>",
          out);
    xml_text(out, desc);
    fputs("</description>\n  </meta>\n"
          "  <graph mode=\"static\" defaultedgetype=\"directed\">\n",
          out);
    gexf_attributes(out, "node");
    gexf_attributes(out, "edge");
    fprintf(out, "    <nodes count=\"%zu\">\n", g->nnodes);
    for (i = 0; i < g->nnodes; i++)
        gexf_node(out, i, &g->nodes[i]);
    fprintf(out, "    </nodes>\n    <edges count=\"%zu\">\n", g->nedges);
    for (i = 0; i < g->nedges; i++)
        gexf_edge(out, i, &g->edges[i]);
    fputs("    </edges>\n  </graph>\n</gexf>\n", out);
    return finish(out, "GEXF", err);
}

/* ---- JSON ---- */

static void json_classes(FILE *out, unsigned mask)
{
    int c, first = 1;

    putc('[', out);
    for (c = 0; c < CA_CLASS_COUNT && c < 32; c++) {
        if (!(mask >> c & 1u))
            continue;
        if (!first)
            putc(',', out);
        json_str(out, ca_class_name((ca_class)c));
        first = 0;
    }
    putc(']', out);
}

static void json_node(FILE *out, size_t i, const ca_graph_node *n)
{
    fprintf(out, "{\"id\":%zu,\"key\":", i);
    json_str(out, n->key);
    fputs(",\"label\":", out);
    json_str(out, n->label);
    fprintf(out, ",\"kind\":\"%s\",\"outlet\":%s,\"documents\":%zu,\"cited\":%zu,"
                 "\"failing\":%zu,\"url\":",
            ca_node_kind_name(n->kind), yes(n->outlet), n->docs, n->cited, n->failing);
    if (n->url)
        json_str(out, n->url);
    else
        fputs("null", out);
    putc('}', out);
}

static void json_edge(FILE *out, const ca_graph *g, const ca_graph_edge *e)
{
    fprintf(out, "{\"from\":%zu,\"to\":%zu,\"source\":", e->from, e->to);
    json_str(out, g->nodes[e->from].key);
    fputs(",\"target\":", out);
    json_str(out, g->nodes[e->to].key);
    fprintf(out, ",\"type\":\"%s\",\"weight\":%zu,\"failing\":%zu,\"classes\":",
            ca_edge_kind_name(e->kind), e->weight, e->failing);
    json_classes(out, e->classes);
    fprintf(out, ",\"self\":%s", yes(e->self));
    if (e->kind == CA_EDGE_REUSES)
        fprintf(out, ",\"uncredited\":%s,\"directed\":%s", yes(e->uncredited),
                yes(!e->undirected));
    putc('}', out);
}

ca_status ca_graph_write_json(const ca_graph *g, FILE *out, ca_error *err)
{
    size_t i;

    fprintf(out, "{\"schema_version\":1,\"directed\":true,\"articles\":%s,\"no_self\":%s,"
                 "\"checked\":%s,\"title\":",
            yes(g->opts.articles), yes(g->opts.no_self), yes(g->opts.checked));
    if (g->opts.title)
        json_str(out, g->opts.title);
    else
        fputs("null", out);
    fprintf(out, ",\"documents\":%zu,\"citations\":%zu,\"failing\":%zu,\n\"nodes\":[",
            g->ndocs, g->ncites, g->nfailing);
    for (i = 0; i < g->nnodes; i++) {
        fputs(i ? ",\n" : "\n", out);
        json_node(out, i, &g->nodes[i]);
    }
    fputs("],\n\"edges\":[", out);
    for (i = 0; i < g->nedges; i++) {
        fputs(i ? ",\n" : "\n", out);
        json_edge(out, g, &g->edges[i]);
    }
    fputs("]}\n", out);
    return finish(out, "JSON", err);
}
