/*
 * graph_render.c - the citation graph laid out and drawn in-process with
 * Graphviz's gvc: dot's layered layout up to CA_GRAPH_DOT_MAX_NODES nodes,
 * sfdp's force-directed one above, and a refusal (CA_LIMIT) beyond
 * CA_GRAPH_RENDER_MAX_NODES, where a layout would run for minutes: the
 * message says to write DOT and lay it out with sfdp outside.
 *
 * gvc normally finds its plugins through the configuration file that
 * `dot -c` writes (config6a in Graphviz's plugin directory) and loads every
 * plugin listed there. We load the few we need ourselves and hand them to
 * gvContextPlugins() as built-ins, for two reasons:
 *
 *   - the SVG must be the same bytes on every machine with this Graphviz:
 *     with the pango plugin loaded, text is measured with whatever fonts
 *     fontconfig finds, and node sizes (so the whole layout) change with
 *     the fonts installed. Without a text layout plugin Graphviz uses its
 *     built-in metrics of Helvetica/Times/Courier, which never change;
 *   - a missing or stale config6a (a Graphviz installed without running
 *     `dot -c`) would otherwise make gvLayout fail with "Layout type: dot
 *     not recognized".
 *
 * SVG uses the core plugin's renderer (svg:core); PNG needs cairo, so it
 * loads the pango plugin too, and its text uses the real fonts. Plugins
 * stay loaded for the life of the process: pango registers GObject types,
 * which cannot be unloaded.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include "graph_int.h"

#ifndef CA_GV_PLUGIN_DIR
#define CA_GV_PLUGIN_DIR "/usr/lib/x86_64-linux-gnu/graphviz"
#endif
#ifndef CA_GV_PLUGIN_VERSION
#define CA_GV_PLUGIN_VERSION "6"
#endif

enum { PL_CORE, PL_DOT, PL_NEATO, PL_PANGO, PL_COUNT };

/* gvContextPlugins takes a built-in by the name of its library symbol. */
static const struct {
    const char *name;
    const char *sym;
} plugins[PL_COUNT] = {
    {"core", "gvplugin_core_LTX_library"},
    {"dot_layout", "gvplugin_dot_layout_LTX_library"},
    {"neato_layout", "gvplugin_neato_layout_LTX_library"},
    {"pango", "gvplugin_pango_LTX_library"},
};
static void *plugin_library[PL_COUNT]; /* each plugin's symbol, once loaded */

/* Load plugin i once; CA_ENV with what to do when it cannot be. */
static ca_status load_plugin(int i, ca_error *err)
{
    const char *sym = plugins[i].sym;
    char file[512];
    void *h;

    if (plugin_library[i])
        return CA_OK;
    snprintf(file, sizeof file, "%s/libgvplugin_%s.so.%s", CA_GV_PLUGIN_DIR, plugins[i].name,
             CA_GV_PLUGIN_VERSION);
    h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return ca_error_set(err, CA_ENV,
                            "cannot load Graphviz's %s plugin: %s; install Graphviz's "
                            "libraries (Debian: apt-get install libgvc6), or write the graph "
                            "with --format dot and lay it out with Graphviz's dot",
                            plugins[i].name, dlerror());
    plugin_library[i] = dlsym(h, sym);
    if (!plugin_library[i])
        return ca_error_set(err, CA_ENV,
                            "Graphviz's plugin %s has no symbol %s: the installed Graphviz "
                            "is not the one citeaudit was built with; rebuild citeaudit",
                            file, sym);
    return CA_OK;
}

/* A gvc context with the plugins format needs; NULL with err set. */
static GVC_t *context(int png, ca_error *err)
{
    lt_symlist_t builtins[PL_COUNT + 1];
    int i, n = 0;

    for (i = 0; i < PL_COUNT; i++) {
        if (i == PL_PANGO && !png)
            continue;
        if (load_plugin(i, err) != CA_OK)
            return NULL;
        builtins[n].name = plugins[i].sym;
        builtins[n].address = plugin_library[i];
        n++;
    }
    builtins[n].name = NULL;
    builtins[n].address = NULL;
    return gvContextPlugins(builtins, 0);
}

/* Attributes that only the force-directed layout of a big graph needs. */
static void big_layout(Agraph_t *ag)
{
    agattr(ag, AGRAPH, "overlap", "prism");
    agattr(ag, AGRAPH, "outputorder", "edgesfirst");
    agattr(ag, AGRAPH, "splines", "false");
}

/*
 * Lay out and render g; on success *data (gvRenderData's, freed with
 * gvFreeRenderData) holds *len bytes.
 */
static ca_status render(const ca_graph *g, const char *format, char **data, unsigned *len,
                        ca_error *err)
{
    int png = !strcmp(format, "png"), big = g->nnodes > CA_GRAPH_DOT_MAX_NODES;
    const char *engine = big ? "sfdp" : "dot";
    ca_status st = CA_OK;
    GVC_t *gvc = NULL;
    Agraph_t *ag = NULL;
    int laid = 0;

    if (!png && strcmp(format, "svg") != 0)
        return ca_error_set(err, CA_INVALID, "cannot render the graph as '%s': use svg or png",
                            format);
    if (g->nnodes > CA_GRAPH_RENDER_MAX_NODES)
        return ca_error_set(err, CA_LIMIT,
                            "the graph has %zu nodes, more than the %d that citeaudit lays "
                            "out itself (it would take very long); write it with --format "
                            "dot and lay it out outside, e.g. 'sfdp -Tsvg graph.dot -o "
                            "graph.svg', or open --format gexf in Gephi",
                            g->nnodes, CA_GRAPH_RENDER_MAX_NODES);
    ca__graph_capture_begin();
    gvc = context(png, err);
    if (!gvc) {
        st = err && err->code ? err->code : CA_ENV;
        if (!err || !err->code)
            st = ca_error_set(err, CA_ENV, "cannot start Graphviz: %s", ca__graph_errors());
        goto out;
    }
    ag = ca__graph_cgraph(g, err);
    if (!ag) {
        st = err ? err->code : CA_NOMEM;
        goto out;
    }
    if (big)
        big_layout(ag);
    if (png) /* twice the pixels of 72 dpi: sharp on today's screens */
        agattr(ag, AGRAPH, "dpi", "144");
    if (gvLayout(gvc, ag, engine) != 0) {
        st = ca_error_set(err, CA_ENV, "Graphviz could not lay out the graph with %s: %s",
                          engine, ca__graph_errors());
        goto out;
    }
    laid = 1;
    if (gvRenderData(gvc, ag, png ? "png:cairo" : "svg", data, len) != 0) {
        st = ca_error_set(err, CA_ENV, "Graphviz could not render the graph as %s: %s",
                          format, ca__graph_errors());
        *data = NULL;
    }
out:
    if (laid)
        gvFreeLayout(gvc, ag);
    if (ag)
        agclose(ag);
    if (gvc)
        gvFreeContext(gvc);
    ca__graph_capture_end();
    return st;
}

ca_status ca_graph_render_mem(const ca_graph *g, const char *format, char **ret,
                              size_t *ret_len, ca_error *err)
{
    char *data = NULL, *copy;
    unsigned len = 0;
    ca_status st = render(g, format, &data, &len, err);

    if (st != CA_OK)
        return st;
    copy = malloc((size_t)len + 1);
    if (!copy) {
        gvFreeRenderData(data);
        return ca_error_set(err, CA_NOMEM, "out of memory rendering the graph as %s", format);
    }
    memcpy(copy, data, len);
    copy[len] = '\0';
    gvFreeRenderData(data);
    *ret = copy;
    *ret_len = len;
    return CA_OK;
}

ca_status ca_graph_render(const ca_graph *g, const char *format, FILE *out, ca_error *err)
{
    char *data = NULL;
    unsigned len = 0;
    ca_status st = render(g, format, &data, &len, err);

    if (st != CA_OK)
        return st;
    if (fwrite(data, 1, len, out) != len || ferror(out))
        st = ca_error_set(err, CA_IO, "cannot write the graph as %s: %s", format,
                          strerror(errno ? errno : EIO));
    gvFreeRenderData(data);
    return st;
}
