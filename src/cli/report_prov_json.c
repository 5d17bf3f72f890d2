/*
 * report_prov_json.c - provenance.json (and `citeaudit provenance --format
 * json`): one JSON object, documents by index, every result pointing at
 * them by that index. The schema is in the README ("Provenance", "JSON").
 * Offsets and lengths are bytes in a document's main text; paragraphs are
 * 1-based.
 */
#include <stdint.h>

#include "jsonw.h"
#include "report.h"
#include "report_prov.h"

static void idx(FILE *out, int first, const char *key, size_t v)
{
    jsonw_key(out, first, key);
    if (v == CA_PROV_NONE)
        fputs("null", out);
    else
        fprintf(out, "%zu", v);
}

static void num(FILE *out, int first, const char *key, double v)
{
    jsonw_key(out, first, key);
    fprintf(out, "%.3f", v);
}

static void span(FILE *out, int first, const char *key, const ca_prov_span *s)
{
    jsonw_key(out, first, key);
    fputc('{', out);
    jsonw_key_uint(out, 1, "paragraph", s->paragraph);
    jsonw_key_uint(out, 0, "offset", s->offset);
    jsonw_key_uint(out, 0, "length", s->length);
    fputc('}', out);
}

static void settings(FILE *out, const struct prov_report_in *in)
{
    const ca_prov_opts *o = in->res->opts;

    jsonw_key(out, 0, "settings");
    fputc('{', out);
    jsonw_key_uint(out, 1, "depth", in->depth);
    jsonw_key_uint(out, 0, "shingle_words", o->shingle_words);
    jsonw_key_uint(out, 0, "window_shingles", o->chunk_shingles);
    jsonw_key_uint(out, 0, "minhash_functions", 16);
    jsonw_key_uint(out, 0, "min_passage_words", o->min_passage_words);
    num(out, 0, "min_containment", o->min_containment);
    num(out, 0, "same_text", o->same_text);
    jsonw_key_uint(out, 0, "boiler_min_docs", o->boiler_min_docs);
    num(out, 0, "quote_similar", o->quote_similar);
    num(out, 0, "support_min", o->support_min);
    fputs("},\n", out);
}

static void documents(FILE *out, const ca_prov_result *r)
{
    size_t i, k;

    fputs("\"documents\":[", out);
    for (i = 0; i < r->ndocs; i++) {
        const ca_prov_document *d = &r->docs[i];

        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_uint(out, 1, "id", i);
        jsonw_key_str(out, 0, "origin", d->origin);
        jsonw_key_str(out, 0, "url", d->url);
        jsonw_key_str(out, 0, "outlet", d->outlet);
        jsonw_key_str(out, 0, "title", d->title);
        jsonw_key_str(out, 0, "published", d->published);
        jsonw_key_uint(out, 0, "depth", d->depth);
        jsonw_key_str(out, 0, "fetched_as", d->fetched_as);
        jsonw_key_uint(out, 0, "words", d->words);
        jsonw_key_uint(out, 0, "boilerplate_words", d->boiler_words);
        jsonw_key(out, 0, "boilerplate");
        fputc('[', out);
        for (k = 0; k < d->nboiler; k++) {
            fputs(k ? ",{" : "{", out);
            jsonw_key_str(out, 1, "kind", ca_prov_boiler_kind_name(d->boiler[k].kind));
            jsonw_key_uint(out, 0, "paragraph", d->boiler[k].at.paragraph);
            jsonw_key_uint(out, 0, "offset", d->boiler[k].at.offset);
            jsonw_key_uint(out, 0, "length", d->boiler[k].at.length);
            jsonw_key_uint(out, 0, "words", d->boiler[k].words);
            jsonw_key_str(out, 0, "text", d->boiler[k].text);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputs("],\n", out);
}

static void pairs(FILE *out, const ca_prov_result *r)
{
    size_t i, k;

    fputs("\"reuse\":[", out);
    for (i = 0; i < r->npairs; i++) {
        const ca_prov_pair *p = &r->pairs[i];

        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_uint(out, 1, "a", p->a);
        jsonw_key_uint(out, 0, "b", p->b);
        jsonw_key_str(out, 0, "relation", p->same_text ? "same_text" : "reuse");
        num(out, 0, "a_in_b", p->a_in_b);
        num(out, 0, "b_in_a", p->b_in_a);
        jsonw_key_uint(out, 0, "shared_words", p->shared_words);
        idx(out, 0, "source", p->source);
        idx(out, 0, "reuser", p->reuser);
        jsonw_key_bool(out, 0, "same_outlet", p->same_outlet);
        jsonw_key_bool(out, 0, "credited", p->credited);
        jsonw_key(out, 0, "passages");
        fputc('[', out);
        for (k = 0; k < p->npassages; k++) {
            fputs(k ? ",{" : "{", out);
            jsonw_key_uint(out, 1, "words", p->passages[k].words);
            span(out, 0, "a", &p->passages[k].a);
            span(out, 0, "b", &p->passages[k].b);
            jsonw_key_str(out, 0, "text", p->passages[k].text);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputs("],\n", out);
}

static void strv(FILE *out, char *const *v, size_t n)
{
    size_t i;

    fputc('[', out);
    for (i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        jsonw_str(out, v[i]);
    }
    fputc(']', out);
}

static void quotes(FILE *out, const ca_prov_result *r)
{
    size_t i;

    fputs("\"quotes\":[", out);
    for (i = 0; i < r->nquotes; i++) {
        const ca_prov_quote *q = &r->quotes[i];

        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_uint(out, 1, "id", i);
        jsonw_key_uint(out, 0, "doc", q->doc);
        jsonw_key_str(out, 0, "text", q->text);
        jsonw_key_str(out, 0, "speaker", q->speaker);
        span(out, 0, "at", &q->at);
        jsonw_key_str(out, 0, "paragraph_text", q->paragraph);
        jsonw_key(out, 0, "links");
        strv(out, q->links, q->nlinks);
        idx(out, 0, "cluster", q->cluster);
        fputc('}', out);
    }
    fputs("],\n\"quote_clusters\":[", out);
    for (i = 0; i < r->nclusters; i++) {
        const ca_prov_cluster *c = &r->clusters[i];
        size_t k, last = CA_PROV_NONE;

        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_uint(out, 1, "id", i);
        jsonw_key_str(out, 0, "text", r->quotes[c->quotes[0]].text);
        jsonw_key_uint(out, 0, "ndocs", c->ndocs);
        jsonw_key(out, 0, "documents");
        fputc('[', out);
        for (k = 0; k < c->nquotes; k++) {
            size_t d = r->quotes[c->quotes[k]].doc;

            if (d != last)
                fprintf(out, "%s%zu", last == CA_PROV_NONE ? "" : ",", d);
            last = d;
        }
        fputs("]", out);
        jsonw_key(out, 0, "quotes");
        fputc('[', out);
        for (k = 0; k < c->nquotes; k++)
            fprintf(out, "%s%zu", k ? "," : "", c->quotes[k]);
        fputc(']', out);
        jsonw_key_bool(out, 0, "exact", c->exact);
        idx(out, 0, "first_quote", c->first);
        idx(out, 0, "first_doc", c->first == CA_PROV_NONE ? CA_PROV_NONE
                                                          : r->quotes[c->first].doc);
        fputc('}', out);
    }
    fputs("],\n", out);
}

static void attributions(FILE *out, const ca_prov_result *r)
{
    size_t i;

    fputs("\"attributions\":[", out);
    for (i = 0; i < r->nattributions; i++) {
        const ca_prov_attribution *a = &r->attributions[i];

        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_uint(out, 1, "doc", a->doc);
        jsonw_key_str(out, 0, "kind", ca_prov_attr_kind_name(a->kind));
        jsonw_key_str(out, 0, "phrase", a->phrase);
        jsonw_key_str(out, 0, "source", a->source);
        jsonw_key_str(out, 0, "platform", a->platform);
        jsonw_key_str(out, 0, "sentence", a->sentence);
        span(out, 0, "at", &a->at);
        jsonw_key_bool(out, 0, "linked", a->link != NULL);
        jsonw_key_str(out, 0, "link", a->link);
        jsonw_key_str(out, 0, "link_elsewhere", a->link_elsewhere);
        fputc('}', out);
    }
    fputs("],\n", out);
}

static void supports(FILE *out, const ca_prov_result *r)
{
    size_t i;

    fputs("\"quote_support\":[", out);
    for (i = 0; i < r->nsupports; i++) {
        const ca_prov_support *s = &r->supports[i];

        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_uint(out, 1, "quote", s->quote);
        jsonw_key_uint(out, 0, "doc", r->quotes[s->quote].doc);
        jsonw_key_str(out, 0, "url", s->url);
        jsonw_key_str(out, 0, "status", ca_prov_support_name(s->status));
        num(out, 0, "score", s->score);
        idx(out, 0, "page", s->page);
        jsonw_key_str(out, 0, "why", s->why);
        jsonw_key_str(out, 0, "excerpt", s->excerpt);
        fputc('}', out);
    }
    fputs("],\n\"unavailable\":[", out);
    for (i = 0; i < r->nunavailable; i++) {
        fputs(i ? ",\n{" : "\n{", out);
        jsonw_key_str(out, 1, "url", r->unavailable[i].url);
        jsonw_key_uint(out, 0, "depth", r->unavailable[i].depth);
        jsonw_key_str(out, 0, "why", r->unavailable[i].why);
        fputc('}', out);
    }
    fputs("],\n", out);
}

static void summary(FILE *out, const struct prov_report_in *in)
{
    const ca_prov_result *r = in->res;
    struct prov_counts c;

    prov_count(r, &c);
    fputs("\"summary\":{", out);
    jsonw_key_uint(out, 1, "documents", r->ndocs);
    jsonw_key_uint(out, 0, "inputs", c.inputs);
    jsonw_key_uint(out, 0, "pages", c.pages);
    jsonw_key_bool(out, 0, "crawled", in->crawled);
    jsonw_key_uint(out, 0, "pages_unavailable", in->unavailable);
    jsonw_key_uint(out, 0, "robots_refused", in->robots_refused);
    jsonw_key_uint(out, 0, "reuse_pairs", r->npairs);
    jsonw_key_uint(out, 0, "same_text", c.same_text);
    jsonw_key_uint(out, 0, "uncredited", c.uncredited);
    jsonw_key_uint(out, 0, "quotes", r->nquotes);
    jsonw_key_uint(out, 0, "quote_clusters", r->nclusters);
    jsonw_key_uint(out, 0, "attributions", r->nattributions);
    jsonw_key_uint(out, 0, "unlinked_attributions", c.unlinked);
    jsonw_key_uint(out, 0, "supported", c.supported);
    jsonw_key_uint(out, 0, "not_found", c.not_found);
    jsonw_key_uint(out, 0, "source_unavailable", c.unavailable);
    fputs("},\n\"stats\":{", out);
    jsonw_key_uint(out, 1, "windows", r->stats.chunks);
    jsonw_key_uint(out, 0, "candidate_pairs", r->stats.candidates);
    jsonw_key_uint(out, 0, "aligned_pairs", r->stats.aligned);
    jsonw_key_uint(out, 0, "big_buckets", r->stats.big_buckets);
    jsonw_key_uint(out, 0, "outlet_boilerplate_shingles", r->stats.outlet_boiler_shingles);
    fputs("}}\n", out);
}

int report_prov_json(FILE *out, const struct prov_report_in *in)
{
    char when[32];

    report_iso8601(report_now(), when);
    fputc('{', out);
    jsonw_key_uint(out, 1, "schema_version", 1);
    jsonw_key(out, 0, "tool");
    fputc('{', out);
    jsonw_key_str(out, 1, "name", "citeaudit");
    jsonw_key_str(out, 0, "version", ca_version());
    fputc('}', out);
    jsonw_key_str(out, 0, "generated", when);
    fputc('\n', out);
    settings(out, in); /* ",settings": {...},\n; every section then ends with ",\n" */
    documents(out, in->res);
    pairs(out, in->res);
    quotes(out, in->res);
    attributions(out, in->res);
    supports(out, in->res);
    summary(out, in);
    return report_finish(out);
}
