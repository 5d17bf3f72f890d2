/*
 * fuzz-prov.c - fuzz target for provenance (prov_*.c): the input is read
 * as a plain-text document and added to a corpus three times (as it is,
 * with its second half only, and under another outlet a day later), then
 * the corpus is analysed. Checked: every span lies in its document's text,
 * containments are shares, every index points into its array, and every
 * string is valid UTF-8 (fuzz_touch) - besides no crash, leak or
 * out-of-bounds read under the sanitizers.
 */
#include <stdlib.h>
#include <string.h>

#include "citeaudit/extract.h"
#include "citeaudit/provenance.h"
#include "fuzz.h"

static void span_in(const ca_prov_span *s, size_t len, const char *what)
{
    if (s->offset > len || s->length > len - s->offset || !s->paragraph)
        fuzz_fail(what, "span outside the text");
}

static void check(const ca_prov_result *r, const size_t *len)
{
    size_t i, k;

    for (i = 0; i < r->ndocs; i++)
        for (k = 0; k < r->docs[i].nboiler; k++) {
            span_in(&r->docs[i].boiler[k].at, len[i], "boiler");
            fuzz_touch("boiler", r->docs[i].boiler[k].text);
        }
    for (i = 0; i < r->npairs; i++) {
        const ca_prov_pair *p = &r->pairs[i];

        if (p->a >= p->b || p->b >= r->ndocs || p->a_in_b < 0 || p->a_in_b > 1 ||
            p->b_in_a < 0 || p->b_in_a > 1)
            fuzz_fail("pair", "bad indices or shares");
        for (k = 0; k < p->npassages; k++) {
            span_in(&p->passages[k].a, len[p->a], "passage a");
            span_in(&p->passages[k].b, len[p->b], "passage b");
            fuzz_touch("passage", p->passages[k].text);
        }
    }
    for (i = 0; i < r->nquotes; i++) {
        const ca_prov_quote *q = &r->quotes[i];

        if (q->doc >= r->ndocs || (q->cluster != CA_PROV_NONE && q->cluster >= r->nclusters))
            fuzz_fail("quote", "bad index");
        span_in(&q->at, len[q->doc], "quote");
        fuzz_touch("quote", q->text);
        fuzz_touch("speaker", q->speaker);
        fuzz_touch("paragraph", q->paragraph);
    }
    for (i = 0; i < r->nclusters; i++)
        for (k = 0; k < r->clusters[i].nquotes; k++)
            if (r->clusters[i].quotes[k] >= r->nquotes)
                fuzz_fail("cluster", "bad quote index");
    for (i = 0; i < r->nattributions; i++) {
        const ca_prov_attribution *a = &r->attributions[i];

        if (a->doc >= r->ndocs)
            fuzz_fail("attribution", "bad index");
        span_in(&a->at, len[a->doc], "attribution");
        fuzz_touch("phrase", a->phrase);
        fuzz_touch("source", a->source);
        fuzz_touch("platform", a->platform);
        fuzz_touch("sentence", a->sentence);
    }
    for (i = 0; i < r->nsupports; i++)
        if (r->supports[i].quote >= r->nquotes)
            fuzz_fail("support", "bad quote index");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ca_extract_opts opts;
    ca_doc *doc = NULL;
    ca_prov *p = NULL;
    size_t len[3] = {0, 0, 0}, half;
    char *text;

    ca_extract_opts_init(&opts);
    opts.force_format = CA_FORMAT_TEXT;
    opts.base_url = FUZZ_BASE_URL;
    if (ca_extract_mem("fuzz", "x.txt", size ? (const char *)data : "", size, &opts, &doc,
                       NULL) != CA_OK)
        return 0;
    if (ca_prov_create(NULL, &p, NULL) != CA_OK)
        goto out;
    text = doc->text ? doc->text : "";
    len[0] = strlen(text);
    ca_doc_set_str(&doc->outlet, "a.example");
    ca_doc_set_str(&doc->published, "2024-01-02");
    ca_prov_add(p, doc, "one", 0, NULL, NULL, NULL);
    half = len[0] / 2;
    while (half > 0 && ((unsigned char)text[half] & 0xC0) == 0x80)
        half--; /* a character boundary: the text stays valid UTF-8 */
    memmove(text, text + half, len[0] - half + 1);
    len[1] = strlen(text);
    ca_prov_add(p, doc, "half", 1, "https://example.org/half", NULL, NULL);
    ca_doc_set_str(&doc->outlet, "b.example");
    ca_doc_set_str(&doc->published, "2024-01-03T10:00:00Z");
    len[2] = len[1];
    ca_prov_add(p, doc, "later", 0, NULL, NULL, NULL);
    if (ca_prov_analyze(p, NULL) == CA_OK && ca_prov_result_of(p)->ndocs == 3)
        check(ca_prov_result_of(p), len);
out:
    ca_prov_destroy(p);
    ca_doc_destroy(doc);
    return 0;
}
