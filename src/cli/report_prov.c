/*
 * report_prov.c - what the provenance renderers share: how a document is
 * named, the counts they show, and the words for a support verdict.
 */
#include <string.h>

#include "report_prov.h"

const char *prov_doc_name(const ca_prov_document *d)
{
    return d->origin; /* as given: two inputs may share a file name */
}

const char *prov_support_words(ca_prov_support_status s)
{
    switch (s) {
    case CA_PROV_SUPPORTED: return "supported";
    case CA_PROV_NOT_FOUND: return "not found";
    default: return "source unavailable";
    }
}

void prov_count(const ca_prov_result *r, struct prov_counts *c)
{
    size_t i, last = CA_PROV_NONE;

    memset(c, 0, sizeof *c);
    for (i = 0; i < r->ndocs; i++) {
        c->inputs += r->docs[i].depth == 0;
        c->pages += r->docs[i].depth > 0;
    }
    for (i = 0; i < r->npairs; i++) {
        c->same_text += r->pairs[i].same_text;
        c->uncredited += !r->pairs[i].credited;
    }
    for (i = 0; i < r->nattributions; i++) {
        if (r->attributions[i].link) {
            c->linked++;
            continue;
        }
        c->unlinked++;
        c->unlinked_docs += r->attributions[i].doc != last;
        last = r->attributions[i].doc;
    }
    for (i = 0; i < r->nsupports; i++) {
        c->supported += r->supports[i].status == CA_PROV_SUPPORTED;
        c->not_found += r->supports[i].status == CA_PROV_NOT_FOUND;
        c->unavailable += r->supports[i].status == CA_PROV_UNAVAILABLE;
    }
}
