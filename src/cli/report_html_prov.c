/*
 * report_html_prov.c - the provenance section of report.html: text reuse
 * between documents (with the passages and what was left out as
 * boilerplate), quotes several documents carry, unlinked attributions,
 * and whether the cited pages hold the quotes. Every string from a
 * document goes through html_text(); URLs become links only when http(s).
 */
#include <string.h>

#include "report_html.h"
#include "report_prov.h"

static const char *s_(size_t n)
{
    return n == 1 ? "" : "s";
}

static void doc_cell(FILE *out, const ca_prov_result *r, size_t d)
{
    const ca_prov_document *doc = &r->docs[d];

    fputs("<span class=\"key\" title=\"", out);
    html_text(out, doc->origin);
    fputs("\">", out);
    html_text(out, prov_doc_name(doc));
    fputs("</span>", out);
    if (doc->depth)
        fprintf(out, " <span class=\"tag\">cited page, depth %u</span>", doc->depth);
}

static void pct(FILE *out, double v)
{
    fprintf(out, "%.0f%%", v * 100);
}

static void reuse_row(FILE *out, const ca_prov_result *r, const ca_prov_pair *p)
{
    size_t k;

    fputs("<tr><td>", out);
    doc_cell(out, r, p->a);
    fputs("<br>", out);
    doc_cell(out, r, p->b);
    fprintf(out, "</td><td>%s</td><td class=\"num\">", p->same_text ? "same text"
                                                      : p->reuser != CA_PROV_NONE ? "reuse"
                                                                                  : "shared text");
    pct(out, p->a_in_b);
    fputs("<br>", out);
    pct(out, p->b_in_a);
    fprintf(out, "</td><td class=\"num\">%zu</td><td>", p->shared_words);
    if (p->source == CA_PROV_NONE)
        fputs("<span class=\"muted\">the dates do not tell</span>", out);
    else
        doc_cell(out, r, p->source);
    fputs("</td><td>", out);
    if (p->same_outlet)
        fputs("same outlet", out);
    else if (p->credited)
        fputs("yes", out);
    else
        fputs("<span class=\"cls g-failing\">uncredited</span>", out);
    fprintf(out, "</td><td><details><summary>%zu passage%s</summary><ol class=\"cites\">",
            p->npassages, s_(p->npassages));
    for (k = 0; k < p->npassages; k++) {
        fprintf(out, "<li>%zu words, paragraph %u / %u: ", p->passages[k].words,
                p->passages[k].a.paragraph, p->passages[k].b.paragraph);
        html_text(out, p->passages[k].text);
        fputs("</li>", out);
    }
    fputs("</ol></details></td></tr>\n", out);
}

static void reuse(FILE *out, const ca_prov_result *r)
{
    size_t i, k, nb = 0;

    fputs("<h3>Text reuse</h3>\n", out);
    if (!r->npairs) {
        fputs("<p>No two documents share a passage.</p>\n", out);
    } else {
        fputs("<div class=\"scroll\"><table class=\"prov\">\n<thead><tr>"
              "<th scope=\"col\">Documents</th><th scope=\"col\">Relation</th>"
              "<th scope=\"col\" class=\"num\">Share of each in the other</th>"
              "<th scope=\"col\" class=\"num\">Shared words</th><th scope=\"col\">First</th>"
              "<th scope=\"col\">Credited</th><th scope=\"col\">Passages</th></tr></thead>\n"
              "<tbody>\n", out);
        for (i = 0; i < r->npairs && i < REPORT_HTML_MAX_ROWS; i++)
            reuse_row(out, r, &r->pairs[i]);
        fputs("</tbody></table></div>\n", out);
    }
    for (i = 0; i < r->ndocs; i++)
        nb += r->docs[i].nboiler;
    if (!nb)
        return;
    fprintf(out, "<details><summary>Left out as boilerplate, not reuse (%zu passage%s)</summary>"
            "<ul>\n", nb, s_(nb));
    for (i = 0; i < r->ndocs; i++)
        for (k = 0; k < r->docs[i].nboiler; k++) {
            const ca_prov_boiler *b = &r->docs[i].boiler[k];

            fputs("<li>", out);
            doc_cell(out, r, i);
            fprintf(out, " paragraph %u, %s, %zu words: ", b->at.paragraph,
                    ca_prov_boiler_kind_name(b->kind), b->words);
            html_text(out, b->text);
            fputs("</li>\n", out);
        }
    fputs("</ul></details>\n", out);
}

static void clusters(FILE *out, const ca_prov_result *r)
{
    size_t i, k;

    fputs("<h3>Quotes carried by several documents</h3>\n", out);
    if (!r->nclusters) {
        fputs("<p>No quote is in two documents.</p>\n", out);
        return;
    }
    fputs("<div class=\"scroll\"><table class=\"prov\">\n<thead><tr><th scope=\"col\">Quote</th>"
          "<th scope=\"col\">Speaker</th><th scope=\"col\">Documents and what they link</th>"
          "<th scope=\"col\">First</th></tr></thead>\n<tbody>\n", out);
    for (i = 0; i < r->nclusters && i < REPORT_HTML_MAX_ROWS; i++) {
        const ca_prov_cluster *c = &r->clusters[i];
        const ca_prov_quote *q0 = &r->quotes[c->quotes[0]];

        fputs("<tr><td>&ldquo;", out);
        html_text(out, q0->text);
        fputs("&rdquo;</td><td>", out);
        html_text(out, q0->speaker);
        fputs("</td><td><ul>", out);
        for (k = 0; k < c->nquotes; k++) {
            const ca_prov_quote *q = &r->quotes[c->quotes[k]];

            fputs("<li>", out);
            doc_cell(out, r, q->doc);
            fprintf(out, " &para;%u: ", q->at.paragraph);
            if (q->nlinks)
                html_url(out, q->links[0]);
            else
                fputs("<span class=\"muted\">no link</span>", out);
            fputs("</li>", out);
        }
        fputs("</ul></td><td>", out);
        if (c->first == CA_PROV_NONE)
            fputs("<span class=\"muted\">the dates do not tell</span>", out);
        else
            doc_cell(out, r, r->quotes[c->first].doc);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void attributions(FILE *out, const ca_prov_result *r, const struct prov_counts *c)
{
    size_t i, rows = 0;

    fprintf(out, "<h3>Attributions with no link</h3>\n<p>%zu claim%s attributed to a source "
            "with no citation in the sentence or paragraph (%zu linked ones not listed).</p>\n",
            c->unlinked, s_(c->unlinked), c->linked);
    if (!c->unlinked)
        return;
    fputs("<div class=\"scroll\"><table class=\"prov\">\n<thead><tr><th scope=\"col\">Document"
          "</th><th scope=\"col\" class=\"num\">&para;</th><th scope=\"col\">Kind</th>"
          "<th scope=\"col\">Source</th><th scope=\"col\">Sentence</th></tr></thead>\n<tbody>\n",
          out);
    for (i = 0; i < r->nattributions && rows < REPORT_HTML_MAX_ROWS; i++) {
        const ca_prov_attribution *a = &r->attributions[i];

        if (a->link)
            continue;
        rows++;
        fputs("<tr><td>", out);
        doc_cell(out, r, a->doc);
        fprintf(out, "</td><td class=\"num\">%u</td><td class=\"kind\">%s</td><td>",
                a->at.paragraph, ca_prov_attr_kind_name(a->kind));
        html_text(out, a->source ? a->source : "");
        if (a->platform) {
            fputs(" <span class=\"tag\">", out);
            html_text(out, a->platform);
            fputs("</span>", out);
        }
        if (a->link_elsewhere) {
            fputs("<span class=\"why\">linked elsewhere in the document: ", out);
            html_url(out, a->link_elsewhere);
            fputs("</span>", out);
        }
        fputs("</td><td>", out);
        html_text(out, a->sentence);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void support(FILE *out, const ca_prov_result *r, const struct prov_counts *c)
{
    size_t i;

    fprintf(out, "<h3>Quotes and the pages cited with them</h3>\n<p>%zu supported, %zu not "
            "found, %zu source unavailable.</p>\n", c->supported, c->not_found, c->unavailable);
    if (!r->nsupports)
        return;
    fputs("<div class=\"scroll\"><table class=\"prov\">\n<thead><tr><th scope=\"col\">Document"
          "</th><th scope=\"col\">Quote</th><th scope=\"col\">Cited page</th>"
          "<th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n", out);
    for (i = 0; i < r->nsupports && i < REPORT_HTML_MAX_ROWS; i++) {
        const ca_prov_support *s = &r->supports[i];
        const ca_prov_quote *q = &r->quotes[s->quote];
        const char *g = s->status == CA_PROV_SUPPORTED ? "ok"
                        : s->status == CA_PROV_NOT_FOUND ? "failing" : "skipped";

        fputs("<tr><td>", out);
        doc_cell(out, r, q->doc);
        fprintf(out, " &para;%u</td><td>&ldquo;", q->at.paragraph);
        html_text(out, q->text);
        fputs("&rdquo;", out);
        if (q->speaker) {
            fputs("<span class=\"why\">", out);
            html_text(out, q->speaker);
            fputs("</span>", out);
        }
        fputs("</td><td>", out);
        html_url(out, s->url);
        fprintf(out, "</td><td><span class=\"cls g-%s\">%s</span>", g,
                prov_support_words(s->status));
        fputs("<span class=\"why\">", out);
        if (s->why)
            html_text(out, s->why);
        else
            fprintf(out, "%.0f%% of its word triples in the page", s->score * 100);
        fputs("</span></td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

void report_html_prov(FILE *out, const struct prov_report_in *in)
{
    const ca_prov_result *r = in->res;
    struct prov_counts c;

    prov_count(r, &c);
    fputs("<section id=\"provenance\" aria-labelledby=\"provenance-h\">\n"
          "<h2 id=\"provenance-h\">Provenance</h2>\n<p class=\"prose\">", out);
    fprintf(out, "%zu document%s: %zu input%s and %zu cited page%s read", r->ndocs,
            s_(r->ndocs), c.inputs, s_(c.inputs), c.pages, s_(c.pages));
    if (!in->crawled)
        fputs(" (the cited pages were not fetched: no network, --no-check or --depth 0)", out);
    else if (in->unavailable)
        fprintf(out, "; %zu cited page%s could not be read (%zu kept out by robots.txt)",
                in->unavailable, s_(in->unavailable), in->robots_refused);
    fprintf(out, ". %zu pair%s share text, %zu uncredited.</p>\n", r->npairs, s_(r->npairs),
            c.uncredited);
    reuse(out, r);
    clusters(out, r);
    attributions(out, r, &c);
    support(out, r, &c);
    fputs("</section>\n", out);
}
