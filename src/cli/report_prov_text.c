/*
 * report_prov_text.c - `citeaudit provenance` for people: the documents
 * that share their text (and who came first, and whether they say so),
 * the quotes several documents carry, the attributions with nothing to
 * check them by, and whether cited pages hold the quotes they back.
 * Every string from a document goes through report_put_clean.
 */
#include <string.h>

#include "report.h"
#include "report_prov.h"

#define put report_put_clean

static const char *s_(size_t n)
{
    return n == 1 ? "" : "s";
}

static void percent(FILE *out, double v)
{
    fprintf(out, "%.0f%%", v * 100);
}

static void quoted(FILE *out, const char *s)
{
    fputs("\"", out);
    put(out, s);
    fputs("\"", out);
}

static void pair(FILE *out, const ca_prov_result *r, const ca_prov_pair *p)
{
    const ca_prov_document *a = &r->docs[p->a], *b = &r->docs[p->b];
    size_t k;

    if (p->same_text) {
        fputs("  same text: ", out);
        put(out, prov_doc_name(a));
        fputs(" and ", out);
        put(out, prov_doc_name(b));
    } else if (p->reuser != CA_PROV_NONE) {
        fputs("  ", out);
        put(out, prov_doc_name(&r->docs[p->reuser]));
        fputs(" reuses ", out);
        put(out, prov_doc_name(&r->docs[p->source]));
    } else {
        fputs("  shared text: ", out);
        put(out, prov_doc_name(a));
        fputs(" and ", out);
        put(out, prov_doc_name(b));
    }
    fputs(p->credited ? "" : "  [uncredited]", out);
    fputs("\n    ", out);
    put(out, prov_doc_name(a));
    fputs(" in the other: ", out);
    percent(out, p->a_in_b);
    fputs(", ", out);
    put(out, prov_doc_name(b));
    fputs(" in the other: ", out);
    percent(out, p->b_in_a);
    fprintf(out, " (%zu shared words)", p->shared_words);
    if (p->same_outlet) {
        fputs("; both ", out);
        put(out, a->outlet);
    }
    if (p->source == CA_PROV_NONE)
        fputs("; the dates do not tell which came first", out);
    else if (p->same_text) {
        fputs("; first: ", out);
        put(out, prov_doc_name(&r->docs[p->source]));
    }
    if (!p->credited)
        fputs(p->source == CA_PROV_NONE ? "; neither links the other"
                                        : "; the later one does not link the earlier",
              out);
    fputc('\n', out);
    for (k = 0; k < p->npassages; k++) {
        fprintf(out, "    %zu words, paragraph %u of the first, %u of the second: ",
                p->passages[k].words, p->passages[k].a.paragraph, p->passages[k].b.paragraph);
        quoted(out, p->passages[k].text);
        fputc('\n', out);
    }
}

static void boilerplate(FILE *out, const ca_prov_result *r)
{
    size_t i, k, any = 0;

    for (i = 0; i < r->ndocs; i++) {
        for (k = 0; k < r->docs[i].nboiler; k++) {
            const ca_prov_boiler *b = &r->docs[i].boiler[k];

            if (!any++)
                fputs("\n  Left out as boilerplate (not reuse):\n", out);
            fputs("    ", out);
            put(out, prov_doc_name(&r->docs[i]));
            fprintf(out, " paragraph %u, %s, %zu words: ", b->at.paragraph,
                    ca_prov_boiler_kind_name(b->kind), b->words);
            quoted(out, b->text);
            fputc('\n', out);
        }
    }
}

static void reuse(FILE *out, const ca_prov_result *r, const struct prov_counts *c)
{
    size_t i;

    fprintf(out, "\nText reuse: %zu pair%s", r->npairs, s_(r->npairs));
    if (r->npairs)
        fprintf(out, " (%zu the same text, %zu uncredited)", c->same_text, c->uncredited);
    fputc('\n', out);
    for (i = 0; i < r->npairs; i++)
        pair(out, r, &r->pairs[i]);
    boilerplate(out, r);
}

static void clusters(FILE *out, const ca_prov_result *r)
{
    size_t i, k;

    fprintf(out, "\nQuotes carried by several documents: %zu\n", r->nclusters);
    for (i = 0; i < r->nclusters; i++) {
        const ca_prov_cluster *cl = &r->clusters[i];
        const ca_prov_quote *q0 = &r->quotes[cl->quotes[0]];

        fputs("  ", out);
        quoted(out, q0->text);
        if (q0->speaker) {
            fputs(" (", out);
            put(out, q0->speaker);
            fputc(')', out);
        }
        fprintf(out, "\n    in %zu documents%s; first: ", cl->ndocs,
                cl->exact ? "" : ", worded differently");
        if (cl->first == CA_PROV_NONE)
            fputs("the dates do not tell", out);
        else
            put(out, prov_doc_name(&r->docs[r->quotes[cl->first].doc]));
        fputc('\n', out);
        for (k = 0; k < cl->nquotes; k++) {
            const ca_prov_quote *q = &r->quotes[cl->quotes[k]];

            fputs("    ", out);
            put(out, prov_doc_name(&r->docs[q->doc]));
            fprintf(out, " paragraph %u: ", q->at.paragraph);
            if (q->nlinks) {
                fputs("links ", out);
                put(out, q->links[0]);
                if (q->nlinks > 1)
                    fprintf(out, " and %zu more", q->nlinks - 1);
            } else {
                fputs("no link near it", out);
            }
            fputc('\n', out);
        }
    }
}

static void attributions(FILE *out, const ca_prov_result *r, const struct prov_counts *c)
{
    size_t i, last = CA_PROV_NONE;

    fprintf(out, "\nUnlinked attributions: %zu in %zu document%s (%zu linked ones not listed)\n",
            c->unlinked, c->unlinked_docs, s_(c->unlinked_docs), c->linked);
    for (i = 0; i < r->nattributions; i++) {
        const ca_prov_attribution *a = &r->attributions[i];

        if (a->link)
            continue;
        if (a->doc != last) {
            fputs("  ", out);
            put(out, prov_doc_name(&r->docs[a->doc]));
            fputc('\n', out);
            last = a->doc;
        }
        fprintf(out, "    paragraph %u, %s: ", a->at.paragraph, ca_prov_attr_kind_name(a->kind));
        put(out, a->source ? a->source : "(no source named)");
        if (a->platform) {
            fputs(" on ", out);
            put(out, a->platform);
        }
        fputs(" (", out);
        quoted(out, a->phrase);
        fputs(")", out);
        if (a->link_elsewhere) {
            fputs("; the document links ", out);
            put(out, a->link_elsewhere);
            fputs(" elsewhere", out);
        }
        fputs("\n      ", out);
        put(out, a->sentence);
        fputc('\n', out);
    }
}

static void support(FILE *out, const ca_prov_result *r, const struct prov_counts *c,
                    int crawled)
{
    size_t i, last = CA_PROV_NONE;

    fprintf(out, "\nQuotes and the pages cited with them: %zu supported, %zu not found, %zu "
            "source unavailable\n", c->supported, c->not_found, c->unavailable);
    if (!crawled) {
        if (r->nsupports)
            fputs("  (the cited pages were not fetched; --format json lists each quote)\n", out);
        return;
    }
    for (i = 0; i < r->nsupports; i++) {
        const ca_prov_support *s = &r->supports[i];
        const ca_prov_quote *q = &r->quotes[s->quote];

        if (s->quote != last) {
            fputs("  ", out);
            put(out, prov_doc_name(&r->docs[q->doc]));
            fprintf(out, " paragraph %u: ", q->at.paragraph);
            quoted(out, q->text);
            if (q->speaker) {
                fputs(" (", out);
                put(out, q->speaker);
                fputc(')', out);
            }
            fputc('\n', out);
            last = s->quote;
        }
        fputs("    ", out);
        put(out, s->url);
        fprintf(out, ": %s", prov_support_words(s->status));
        if (s->status != CA_PROV_UNAVAILABLE)
            fprintf(out, " (%.0f%% of its word triples)", s->score * 100);
        if (s->why) {
            fputs(": ", out);
            put(out, s->why);
        }
        fputc('\n', out);
    }
}

int report_prov_text(FILE *out, const struct prov_report_in *in)
{
    const ca_prov_result *r = in->res;
    struct prov_counts c;

    prov_count(r, &c);
    fprintf(out, "Provenance of %zu document%s: %zu input%s, %zu cited page%s read", r->ndocs,
            s_(r->ndocs), c.inputs, s_(c.inputs), c.pages, s_(c.pages));
    if (!in->crawled)
        fputs(" (cited pages not fetched)", out);
    else if (in->unavailable || in->robots_refused)
        fprintf(out, " (%zu could not be, %zu of them kept out by robots.txt)", in->unavailable,
                in->robots_refused);
    fputc('\n', out);
    reuse(out, r, &c);
    clusters(out, r);
    attributions(out, r, &c);
    support(out, r, &c, in->crawled);
    return report_finish(out);
}
