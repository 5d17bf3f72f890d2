/*
 * report_html.c - report.html of `citeaudit audit`: one page a person opens
 * from disk, offline, to see what a corpus cites and what is broken. This
 * file writes the page itself (head with the inlined stylesheet, header,
 * the banner when nothing could be checked, the summary by status class,
 * by outlet and by source, the graph's SVG inlined, the footer and the
 * inlined script); report_html_links.c writes the links table and the
 * document sections.
 *
 * Everything that comes from a document, a server or the user goes through
 * html_text(): escaped for text and quoted attributes alike, control
 * characters and invalid UTF-8 written as U+FFFD, so no input can add
 * markup or break the page's encoding. The SVG comes from Graphviz, which
 * escapes its labels; it is inlined without its XML prolog and refused if
 * it holds anything that could run.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonw.h"
#include "report_html.h"

/* Rows of the "most cited sources" table. */
#define TOP_SOURCES 25

struct page {
    FILE *out;
    const ca_run *run;
    const struct report_opts *ro;
    const struct report_html_in *in;
    struct report_summary s;
};

/* ---- escaping ---- */

/* Nonzero for the bytes of a code point HTML should not carry: C1 controls
 * (C2 80..9F) and the noncharacters U+FFFE, U+FFFF (EF BF BE/BF). */
static int bad_multibyte(const unsigned char *p, size_t n)
{
    return (n == 2 && p[0] == 0xC2 && p[1] <= 0x9F) ||
           (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE);
}

void html_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    for (; p && *p; p += n) {
        n = *p < 0x80 ? 1 : jsonw_utf8_len(p);
        if (n == 0 || (n > 1 && bad_multibyte(p, n)) || (n == 1 && *p == 0x7F)) {
            fputs("\xEF\xBF\xBD", out);
            n = n ? n : 1;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        case '\t': case '\n': case '\r': putc(' ', out); break;
        default:
            if (*p < 0x20)
                fputs("\xEF\xBF\xBD", out);
            else
                fwrite(p, 1, n, out);
        }
    }
}

static int is_web_url(const char *url)
{
    return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8));
}

void html_url(FILE *out, const char *url)
{
    if (!is_web_url(url)) {
        html_text(out, url);
        return;
    }
    fputs("<a href=\"", out);
    html_text(out, url);
    fputs("\" rel=\"noreferrer\">", out);
    html_text(out, url);
    fputs("</a>", out);
}

const char *html_group_name(enum report_group g)
{
    switch (g) {
    case REPORT_FAILING: return "failing";
    case REPORT_UPDATE: return "update";
    case REPORT_WARN: return "warn";
    case REPORT_SKIPPED: return "skipped";
    default: return "ok";
    }
}

void html_badge(FILE *out, ca_class cls, enum report_group g)
{
    fprintf(out, "<span class=\"cls g-%s\">%s</span>", html_group_name(g), ca_class_name(cls));
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- head, header, banners ---- */

static void head(struct page *p)
{
    FILE *out = p->out;

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
    fprintf(out, "<meta name=\"generator\" content=\"citeaudit %s\">\n", ca_version());
    fprintf(out, "<title>Citation audit: %zu %s, %zu %s</title>\n", p->s.docs,
            plural(p->s.docs, "document", "documents"), p->s.total,
            plural(p->s.total, "link", "links"));
    fprintf(out, "<style>\n%s</style>\n</head>\n", report_html_css);
}

static void top(struct page *p)
{
    char when[32];
    FILE *out = p->out;

    report_iso8601(report_now(), when);
    fputs("<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n"
          "<header class=\"top\">\n<h1>Citation audit</h1>\n<p>", out);
    report_summary_line(out, p->run, &p->s);
    fputs(".</p>\n<p class=\"muted\">", out);
    fprintf(out, "Written by citeaudit %s at <time datetime=\"%s\">%s</time>.</p>\n",
            ca_version(), when, when);
    fputs("<nav aria-label=\"Sections\"><ul>\n"
          "<li><a href=\"#summary\">Summary</a></li>\n"
          "<li><a href=\"#graph\">Graph</a></li>\n"
          "<li><a href=\"#links-section\">All links</a></li>\n"
          "<li><a href=\"#documents\">Documents</a></li>\n", out);
    if (p->in->prov)
        fputs("<li><a href=\"#provenance\">Provenance</a></li>\n", out);
    if (p->s.inputs_failed)
        fputs("<li><a href=\"#not-read\">Inputs not read</a></li>\n", out);
    fputs("</ul></nav>\n</header>\n<main id=\"main\">\n", out);
}

/* Said before anything else: a report of unchecked links must not look
 * like a clean one. */
static void banners(struct page *p)
{
    FILE *out = p->out;
    /* With a store, results kept from earlier runs fill in what this run
     * could not (or did not) check. */
    int all_unknown = p->s.by_class[CA_CLASS_UNKNOWN] == p->s.total;

    if (p->run->network_down)
        fprintf(out, "<div class=\"banner\" role=\"alert\"><strong>No network: no link could "
                "be checked.</strong><p>%s Connect this machine (or fix its DNS or proxy "
                "settings) and run <code>citeaudit audit</code> again to check them.</p></div>\n",
                all_unknown ? "Every link below is <b>unknown</b>; none is reported dead."
                            : "Links not checked before are <b>unknown</b> (none is reported "
                              "dead); the others show the latest result kept in the store.");
    else if (!p->in->checked)
        fprintf(out, "<div class=\"banner notice\" role=\"status\"><strong>Links were not "
                "checked in this run (--no-check).</strong><p>%s</p></div>\n",
                all_unknown ? "Every link below is <b>unknown</b>. The citations and the graph "
                              "come from the documents alone."
                            : "The results shown are the latest ones kept in the store; links "
                              "it has none for are <b>unknown</b>.");
    if (p->s.inputs_failed) {
        fprintf(out, "<div class=\"banner\" role=\"status\"><strong>%zu %s could not be "
                "read.</strong><p>See <a href=\"#not-read\">inputs not read</a>; their "
                "links are not in this report.</p></div>\n", p->s.inputs_failed,
                plural(p->s.inputs_failed, "input", "inputs"));
    }
}

/* ---- summary ---- */

static void card(struct page *p, enum report_group g, const char *what)
{
    fprintf(p->out, "<li class=\"card g-%s\"><a href=\"#links-section\" data-filter=\"g:%s\">"
            "<span class=\"n\">%zu</span></a> %s</li>\n", html_group_name(g),
            html_group_name(g), p->s.by_group[g], what);
}

static void cards(struct page *p)
{
    fputs("<ul class=\"cards\">\n", p->out);
    fprintf(p->out, "<li class=\"card\"><span class=\"n\">%zu</span> %s<small>%zu %s, "
            "%zu %s</small></li>\n", p->s.total, plural(p->s.total, "link", "links"), p->s.body,
            plural(p->s.body, "citation", "citations"), p->s.chrome,
            plural(p->s.chrome, "page link", "page links"));
    card(p, REPORT_FAILING, "failing");
    card(p, REPORT_UPDATE, "to update<small>permanent redirect</small>");
    card(p, REPORT_WARN, "other problems<small>not failing</small>");
    card(p, REPORT_SKIPPED, "not checked");
    card(p, REPORT_OK, "ok");
    fputs("</ul>\n", p->out);
}

static void by_class(struct page *p)
{
    FILE *out = p->out;
    int i;

    fputs("<div><table>\n<caption>Links by status class</caption>\n<thead><tr>"
          "<th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Links</th>"
          "<th scope=\"col\">Meaning</th></tr></thead>\n<tbody>\n", out);
    for (i = 1; i <= CA_CLASS_COUNT; i++) {
        ca_class cls = (ca_class)(i % CA_CLASS_COUNT); /* ok first, unknown last */

        if (!p->s.by_class[cls])
            continue;
        fputs("<tr><th scope=\"row\">", out);
        html_badge(out, cls, report_group_of(p->ro, cls));
        fprintf(out, "</th><td class=\"num\"><a href=\"#links-section\" data-filter=\"c:%s\">"
                "%zu</a></td><td class=\"meaning\">", ca_class_name(cls), p->s.by_class[cls]);
        html_text(out, ca_class_text(cls));
        if (report_fails(p->ro, cls))
            fputs(" <strong>(fails the run)</strong>", out);
        fputs("</td></tr>\n", out);
    }
    if (!p->s.total)
        fputs("<tr><td colspan=\"3\">No links.</td></tr>\n", out);
    fputs("</tbody>\n</table></div>\n", out);
}

/* The outlet a document is counted under: its own, else its origin. */
static const char *outlet_of(const ca_run_doc *d)
{
    return d->outlet ? d->outlet : d->origin;
}

static const ca_run *sort_run; /* qsort has no user data in C17 */

/* Known outlets by name, then documents with none by origin. */
static int cmp_outlet(const void *a, const void *b)
{
    const ca_run_doc *x = &sort_run->docs[*(const size_t *)a];
    const ca_run_doc *y = &sort_run->docs[*(const size_t *)b];

    if (!x->outlet != !y->outlet)
        return x->outlet ? -1 : 1;
    return strcmp(outlet_of(x), outlet_of(y));
}

struct outlet_row {
    size_t docs, body, chrome, failing, skipped;
};

static void count_doc(struct page *p, const ca_run_doc *d, struct outlet_row *r)
{
    size_t i;

    r->docs++;
    for (i = d->first; i < d->first + d->n; i++) {
        const ca_run_cite *c = &p->run->cites[i];
        enum report_group g = report_cite_group(p->run, p->ro, c);

        if (c->region == CA_REGION_BODY)
            r->body++;
        else
            r->chrome++;
        r->failing += g == REPORT_FAILING;
        r->skipped += g == REPORT_SKIPPED;
    }
}

static void outlet_row(struct page *p, const ca_run_doc *d, const struct outlet_row *r)
{
    FILE *out = p->out;

    fputs("<tr><th scope=\"row\" class=\"key\">", out);
    if (d->outlet)
        html_text(out, d->outlet);
    else {
        fputs("<span class=\"muted\">unknown:</span> ", out);
        html_text(out, d->origin);
    }
    fprintf(out, "</th><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
            "<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
            "</tr>\n", r->docs, r->body, r->chrome, r->failing, r->skipped);
}

static int by_outlet(struct page *p)
{
    const ca_run *run = p->run;
    size_t *idx = malloc((run->ndocs ? run->ndocs : 1) * sizeof *idx), n = 0, i;
    struct outlet_row r;

    if (!idx)
        return -1;
    for (i = 0; i < run->ndocs; i++)
        if (!run->docs[i].error)
            idx[n++] = i;
    sort_run = run;
    qsort(idx, n, sizeof *idx, cmp_outlet);
    fputs("<div><table>\n<caption>Links by outlet</caption>\n<thead><tr>"
          "<th scope=\"col\">Outlet</th><th scope=\"col\" class=\"num\">Documents</th>"
          "<th scope=\"col\" class=\"num\">Citations</th>"
          "<th scope=\"col\" class=\"num\">Page links</th>"
          "<th scope=\"col\" class=\"num\">Failing</th>"
          "<th scope=\"col\" class=\"num\">Not checked</th></tr></thead>\n<tbody>\n", p->out);
    for (i = 0; i < n; i++) {
        const ca_run_doc *d = &run->docs[idx[i]];

        if (i == 0 || cmp_outlet(&idx[i - 1], &idx[i]) != 0)
            memset(&r, 0, sizeof r);
        count_doc(p, d, &r);
        if (i + 1 == n || cmp_outlet(&idx[i], &idx[i + 1]) != 0)
            outlet_row(p, d, &r);
    }
    if (!n)
        fputs("<tr><td colspan=\"6\">No document was read.</td></tr>\n", p->out);
    fputs("</tbody>\n</table></div>\n", p->out);
    free(idx);
    return 0;
}

struct source_count {
    size_t cites, docs, failing;
    uint32_t last_doc;
};

static const struct source_count *sort_counts;

/* Most cited first, then by key. */
static int cmp_source(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    if (sort_counts[x].cites != sort_counts[y].cites)
        return sort_counts[x].cites > sort_counts[y].cites ? -1 : 1;
    return strcmp(sort_run->sources[x], sort_run->sources[y]);
}

/* Citations (body) per source key: what the graph draws, as numbers. */
static struct source_count *count_sources(const ca_run *run, const struct report_opts *ro)
{
    struct source_count *sc = calloc(run->nsources ? run->nsources : 1, sizeof *sc);
    size_t i;

    if (!sc)
        return NULL;
    for (i = 0; i < run->nsources; i++)
        sc[i].last_doc = UINT32_MAX;
    for (i = 0; i < run->ncites; i++) {
        const ca_run_cite *c = &run->cites[i];

        if (c->region != CA_REGION_BODY || c->source == CA_RUN_NO_SOURCE ||
            c->source >= run->nsources)
            continue;
        sc[c->source].cites++;
        sc[c->source].failing += report_cite_group(run, ro, c) == REPORT_FAILING;
        if (sc[c->source].last_doc != c->doc)
            sc[c->source].docs++;
        sc[c->source].last_doc = c->doc;
    }
    return sc;
}

static int by_source(struct page *p)
{
    const ca_run *run = p->run;
    struct source_count *sc = count_sources(run, p->ro);
    uint32_t *idx = malloc((run->nsources ? run->nsources : 1) * sizeof *idx);
    size_t n = 0, i;

    if (!sc || !idx) {
        free(sc);
        free(idx);
        return -1;
    }
    for (i = 0; i < run->nsources; i++)
        if (sc[i].cites)
            idx[n++] = (uint32_t)i;
    sort_run = run;
    sort_counts = sc;
    qsort(idx, n, sizeof *idx, cmp_source);
    fprintf(p->out, "<div><table>\n<caption>Most cited sources (%s%zu of %zu)</caption>\n"
            "<thead><tr><th scope=\"col\">Source</th>"
            "<th scope=\"col\" class=\"num\">Citations</th>"
            "<th scope=\"col\" class=\"num\">Documents</th>"
            "<th scope=\"col\" class=\"num\">Failing</th></tr></thead>\n<tbody>\n",
            n > TOP_SOURCES ? "top " : "", n < TOP_SOURCES ? n : TOP_SOURCES, n);
    for (i = 0; i < n && i < TOP_SOURCES; i++) {
        fputs("<tr><th scope=\"row\" class=\"key\">", p->out);
        html_text(p->out, run->sources[idx[i]]);
        fprintf(p->out, "</th><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                "<td class=\"num\">%zu</td></tr>\n", sc[idx[i]].cites, sc[idx[i]].docs,
                sc[idx[i]].failing);
    }
    if (!n)
        fputs("<tr><td colspan=\"4\">No citation by link in the articles' text.</td></tr>\n",
              p->out);
    fputs("</tbody>\n</table></div>\n", p->out);
    free(sc);
    free(idx);
    return 0;
}

/* Verdicts beyond the status code: how many links got each reason, and
 * what the probes and archives did. Nothing when there is nothing. */
static void by_reason(struct page *p)
{
    FILE *out = p->out;
    char *extra = NULL;
    size_t len = 0;
    FILE *m;
    int i, any = 0;

    for (i = 1; i < CA_REASON_COUNT; i++)
        any |= p->s.by_reason[i] != 0;
    m = open_memstream(&extra, &len);
    if (m && report_extra_line(m, &p->s))
        any = 1;
    if (m)
        fclose(m);
    if (!any) {
        free(extra);
        return;
    }
    fputs("<div><table>\n<caption>Verdicts beyond the status code</caption>\n<thead><tr>"
          "<th scope=\"col\">Reason</th><th scope=\"col\" class=\"num\">Links</th>"
          "<th scope=\"col\">Meaning</th></tr></thead>\n<tbody>\n", out);
    for (i = 1; i < CA_REASON_COUNT; i++) {
        if (!p->s.by_reason[i])
            continue;
        fputs("<tr><th scope=\"row\">", out);
        html_text(out, ca_reason_name((ca_reason)i));
        fprintf(out, "</th><td class=\"num\">%zu</td><td class=\"meaning\">",
                p->s.by_reason[i]);
        html_text(out, ca_reason_text((ca_reason)i));
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
    if (extra && len) {
        fputs("<p class=\"muted\">", out);
        html_text(out, extra);
        fputs(".", out);
        if (p->s.rescued)
            fputs(" Replacements for the rescued citations: <a href=\"rescued.md\">rescued.md"
                  "</a>.", out);
        fputs("</p>\n", out);
    }
    fputs("</div>\n", out);
    free(extra);
}

static int summary(struct page *p)
{
    fputs("<section id=\"summary\" aria-labelledby=\"summary-h\">\n"
          "<h2 id=\"summary-h\">Summary</h2>\n", p->out);
    cards(p);
    fputs("<div class=\"tables\">\n", p->out);
    by_class(p);
    by_reason(p);
    if (by_source(p) < 0 || by_outlet(p) < 0)
        return -1;
    fputs("</div>\n</section>\n", p->out);
    return 0;
}

/* ---- graph ---- */

/* The SVG from its root element on: the XML prolog, comments and DOCTYPE
 * before it mean nothing inside HTML. NULL when there is no <svg. */
static const char *svg_root(const char *svg, size_t len, size_t *ret_len)
{
    const char *p = svg, *end = svg + len;

    while (p && p < end) {
        p = memchr(p, '<', (size_t)(end - p));
        if (!p || end - p < 5)
            return NULL;
        if (!memcmp(p, "<svg", 4) && (p[4] == ' ' || p[4] == '>' || p[4] == '\n')) {
            *ret_len = (size_t)(end - p);
            return p;
        }
        p++;
    }
    return NULL;
}

/* Nonzero when the SVG holds something that could run or fetch: Graphviz
 * writes none of these (it escapes quotes in text as &quot;, so an event
 * handler attribute ` onNAME="` can only be markup), so finding one means
 * the input is not its output. */
static int svg_unsafe(const char *svg, size_t len)
{
    static const char *const bad[] = {"<script", "<foreignobject", "javascript:", "<iframe",
                                      "<image", "<use", "@import", "<style"};
    size_t i, j, k;

    for (i = 0; i < len; i++) {
        for (j = 0; j < sizeof bad / sizeof bad[0]; j++) {
            for (k = 0; bad[j][k] && i + k < len; k++)
                if ((svg[i + k] | 0x20) != (bad[j][k] | 0x20))
                    break;
            if (!bad[j][k])
                return 1;
        }
        if (svg[i] == ' ' && i + 3 < len && (svg[i + 1] | 0x20) == 'o' &&
            (svg[i + 2] | 0x20) == 'n') {
            for (k = i + 3; k < len && ((svg[k] | 0x20) >= 'a' && (svg[k] | 0x20) <= 'z'); k++)
                ;
            if (k > i + 3 && k + 1 < len && svg[k] == '=' && svg[k + 1] == '"')
                return 1;
        }
    }
    return 0;
}

/* Copy the SVG, writing invalid UTF-8 (and NULs) as U+FFFD. The buffer is
 * NUL-terminated at len, so a sequence cut short stops at the terminator. */
static void svg_copy(FILE *out, const char *svg, size_t len)
{
    const unsigned char *p = (const unsigned char *)svg, *end = p + len;
    size_t n;

    while (p < end) {
        n = *p < 0x80 ? (*p != 0) : jsonw_utf8_len(p);
        if (n == 0 || n > (size_t)(end - p)) {
            fputs("\xEF\xBF\xBD", out);
            p++;
            continue;
        }
        fwrite(p, 1, n, out);
        p += n;
    }
}

static void graph(struct page *p)
{
    FILE *out = p->out;
    const char *svg = NULL;
    size_t len = 0;

    fputs("<section id=\"graph\" aria-labelledby=\"graph-h\">\n"
          "<h2 id=\"graph-h\">Citation graph</h2>\n", out);
    if (p->in->svg)
        svg = svg_root(p->in->svg, p->in->svg_len, &len);
    if (svg && svg_unsafe(svg, len))
        svg = NULL;
    if (!svg) {
        fputs("<p class=\"banner notice\">", out);
        html_text(out, p->in->graph_note ? p->in->graph_note
                                         : "The graph could not be drawn; see graph.dot.");
        fputs("</p>\n</section>\n", out);
        return;
    }
    fputs("<div class=\"graph-tools\"><p>Arrows go from outlets to the sources they cite, "
          "numbered by citations; red dashed ones hold failing links.</p><button type=\"button\" id=\"graph-zoom\" aria-pressed=\"false\" hidden>"
          "Actual size</button></div>\n<figure class=\"graph\" id=\"graph-figure\">\n", out);
    svg_copy(out, svg, len);
    fputs("\n<figcaption>The same graph is in <a href=\"graph.svg\">graph.svg</a> and, for "
          "Graphviz or Gephi, <a href=\"graph.dot\">graph.dot</a>.</figcaption>\n</figure>\n"
          "</section>\n", out);
}

/* ---- inputs not read, footer ---- */

static void not_read(struct page *p)
{
    FILE *out = p->out;
    size_t i;

    if (!p->s.inputs_failed)
        return;
    fputs("<section id=\"not-read\" aria-labelledby=\"not-read-h\">\n"
          "<h2 id=\"not-read-h\">Inputs not read</h2>\n<ul>\n", out);
    for (i = 0; i < p->run->ndocs; i++) {
        const ca_run_doc *d = &p->run->docs[i];

        if (!d->error)
            continue;
        fputs("<li><code>", out);
        html_text(out, d->origin);
        fputs("</code>: ", out);
        html_text(out, d->error);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n</section>\n", out);
}

static void footer(struct page *p)
{
    const char *const *f;
    FILE *out = p->out;

    fputs("</main>\n<footer>\n<p>This page is self-contained: it works offline and fetches "
          "nothing. Beside it in the same folder:</p>\n<ul>\n", out);
    for (f = p->in->files; f && *f; f++) {
        fputs("<li><a href=\"", out);
        html_text(out, *f);
        fputs("\">", out);
        html_text(out, *f);
        fputs("</a></li>\n", out);
    }
    fputs("</ul>\n</footer>\n", out);
    fprintf(out, "<script>\n%s</script>\n</body>\n</html>\n", report_html_js);
}

int report_html(FILE *out, const ca_run *run, const struct report_opts *ro,
                const struct report_html_in *in)
{
    struct page p = {.out = out, .run = run, .ro = ro, .in = in};

    report_summarise(run, ro, &p.s);
    head(&p);
    top(&p);
    banners(&p);
    if (summary(&p) < 0)
        return -1;
    graph(&p);
    html_links_section(out, run, ro, &p.s);
    html_documents_section(out, run, ro);
    if (in->prov)
        report_html_prov(out, in->prov);
    not_read(&p);
    footer(&p);
    return report_finish(out);
}
