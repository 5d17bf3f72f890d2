/*
 * test-prov.c - provenance on the seed corpus and on small texts: the
 * issue's "done when" on the seeds (001 and 002 the same text both ways
 * with 002's appeal left out, their quotes clustered, the attributions of
 * 000 and 003 unlinked, 001's Defense Ministry paragraph with its
 * Telegram link), then the parts: words across hard wraps and quote
 * styles, dates, appeals and chrome, partial copies, direction and credit,
 * speakers, fuzzy quote clusters, quote support against a page.
 *
 *   test-prov SEEDS_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "citeaudit/citeaudit.h"
#include "prov_int.h"

static const char *seeds;

static ca_doc *read_seed(const char *name, const ca_manifest *m)
{
    char path[4096];
    ca_extract_opts o;
    ca_doc *d = NULL;
    ca_error err = CA_ERROR_INIT;

    snprintf(path, sizeof path, "%s/%s", seeds, name);
    ca_extract_opts_init(&o);
    o.manifest = m;
    if (ca_extract_file(path, &o, &d, &err) != CA_OK)
        fprintf(stderr, "%s\n", ca_error_message(&err));
    return d;
}

static ca_doc *text_doc(const char *origin, const char *text, const char *published,
                        const char *url, const char *outlet)
{
    ca_doc *d = ca_doc_create(origin);

    ca_doc_set_str(&d->text, text);
    ca_doc_set_str(&d->published, published);
    ca_doc_set_str(&d->url, url);
    ca_doc_set_str(&d->outlet, outlet);
    return d;
}

static void add(ca_prov *p, ca_doc *d, unsigned depth, const char *fetched_as)
{
    ca_error err = CA_ERROR_INIT;

    CHECK_INT(ca_prov_add(p, d, NULL, depth, fetched_as, NULL, &err), CA_OK);
    ca_doc_destroy(d);
}

static const ca_prov_pair *pair_of(const ca_prov_result *r, size_t a, size_t b)
{
    size_t i;

    for (i = 0; i < r->npairs; i++)
        if (r->pairs[i].a == a && r->pairs[i].b == b)
            return &r->pairs[i];
    return NULL;
}

static const ca_prov_attribution *attribution(const ca_prov_result *r, size_t doc,
                                              const char *phrase, const char *source)
{
    size_t i;

    for (i = 0; i < r->nattributions; i++) {
        const ca_prov_attribution *a = &r->attributions[i];

        if (a->doc == doc && (!phrase || (a->phrase && strstr(a->phrase, phrase))) &&
            (!source || (a->source && strstr(a->source, source))))
            return a;
    }
    return NULL;
}

/* ---- the seeds ---- */

static void test_seeds(void)
{
    static const char *const names[] = {
        "000_6956c90bd74b7ac9.txt", "001_a23207ddeeaba5f7.txt", "002_baddc1fe5ee2b4c8.txt",
        "003_11234080d2b886d8.txt", "004_c50848bfe1b4b6db.txt",
    };
    char path[4096];
    ca_manifest *m = NULL;
    ca_prov *p = NULL;
    ca_error err = CA_ERROR_INIT;
    const ca_prov_result *r;
    const ca_prov_pair *pr;
    const ca_prov_attribution *a;
    size_t i, k, clusters_12 = 0, appeal = 0;
    int found;

    snprintf(path, sizeof path, "%s/MANIFEST.tsv", seeds);
    CHECK_INT(ca_manifest_load(path, &m, &err), CA_OK);
    CHECK_INT(ca_prov_create(NULL, &p, &err), CA_OK);
    for (i = 0; i < 5; i++)
        add(p, read_seed(names[i], m), 0, NULL);
    CHECK_INT(ca_prov_analyze(p, &err), CA_OK);
    r = ca_prov_result_of(p);
    CHECK_INT(r->ndocs, 5);

    /* 001 and 002: the same text both ways; 002's appeal left out */
    pr = pair_of(r, 1, 2);
    CHECK(pr != NULL);
    if (pr) {
        CHECK(pr->a_in_b >= 0.9);
        CHECK(pr->b_in_a >= 0.9);
        CHECK_INT(pr->same_text, 1);
        CHECK_INT(pr->same_outlet, 1);
        CHECK_INT(pr->credited, 1);
        CHECK(pr->source == CA_PROV_NONE); /* both 2024-01-03 */
        for (k = 0; k < pr->npassages; k++) /* no passage reaches into the appeal */
            CHECK(!strstr(pr->passages[k].text, "Dear readers"));
    }
    CHECK_INT(r->npairs, 1); /* 000, 003 and 004 report the same events in other words */
    for (k = 0; k < r->docs[2].nboiler; k++)
        if (r->docs[2].boiler[k].kind == CA_PROV_BOILER_APPEAL) {
            appeal++;
            CHECK(strstr(r->docs[2].boiler[k].text, "A Message from The Moscow Times") != NULL);
            CHECK(r->docs[2].boiler[k].words > 150);
        }
    CHECK_INT(appeal, 1);

    /* their shared quotes form clusters */
    for (i = 0; i < r->nclusters; i++) {
        const ca_prov_cluster *c = &r->clusters[i];
        int d1 = 0, d2 = 0;

        for (k = 0; k < c->nquotes; k++) {
            d1 |= r->quotes[c->quotes[k]].doc == 1;
            d2 |= r->quotes[c->quotes[k]].doc == 2;
        }
        clusters_12 += d1 && d2;
    }
    CHECK(clusters_12 >= 4);

    /* 003: "via Telegram" and the "Mash/Telegram" credit, unlinked */
    a = attribution(r, 3, "via Telegram", "Gladkov");
    CHECK(a != NULL);
    if (a) {
        CHECK_INT(a->kind, CA_PROV_ATTR_PLATFORM);
        CHECK_STR(a->platform, "Telegram");
        CHECK(a->link == NULL);
    }
    a = attribution(r, 3, "Mash/Telegram", "Mash");
    CHECK(a != NULL);
    if (a) {
        CHECK_INT(a->kind, CA_PROV_ATTR_CREDIT);
        CHECK_STR(a->platform, "Telegram");
        CHECK(a->link == NULL);
    }
    /* 000: Gladkov and "Kyiv Post's source among the special services", unlinked */
    a = attribution(r, 0, NULL, "Gladkov");
    CHECK(a != NULL && a->link == NULL);
    a = attribution(r, 0, NULL, "source among the special services");
    CHECK(a != NULL);
    if (a) {
        CHECK_INT(a->kind, CA_PROV_ATTR_ANONYMOUS);
        CHECK(a->link == NULL);
        CHECK(strstr(a->source, "Kyiv Post") != NULL);
    }
    /* 001: the paragraph quoting the Defense Ministry, with its Telegram link */
    found = 0;
    for (i = 0; i < r->nquotes; i++) {
        const ca_prov_quote *q = &r->quotes[i];

        if (q->doc != 1 || !q->speaker || !strstr(q->speaker, "Defense Ministry") ||
            !strstr(q->text, "Six Tochka-U"))
            continue;
        found = 1;
        CHECK_INT(q->nlinks, 1);
        if (q->nlinks)
            CHECK_STR(q->links[0], "https://t.me/mod_russia/34256");
        CHECK(strstr(q->paragraph, "the Defense Ministry") != NULL);
    }
    CHECK(found);
    /* the same quote in 002 has no link near it */
    for (i = 0; i < r->nquotes; i++)
        if (r->quotes[i].doc == 2)
            CHECK_INT(r->quotes[i].nlinks, 0);
    ca_prov_destroy(p);
    ca_manifest_destroy(m);
}

/* ---- words ---- */

static void test_words(void)
{
    ca__ptext a, b;
    const char *wrapped = "The \xE2\x80\x9C"
                          "Defense\nMinistry\xE2\x80\x99s\xE2\x80\x9D statement,\n"
                          "said  Wednesday... https://t.me/x/1 OK";
    const char *flat = "the \"defense ministry's\" STATEMENT said wednesday ok";
    size_t i;

    CHECK_INT(ca__ptext_build(&a, wrapped, strlen(wrapped), 1000), CA_OK);
    CHECK_INT(ca__ptext_build(&b, flat, strlen(flat), 1000), CA_OK);
    CHECK_INT(a.ntok, 7); /* the URL is not a word */
    CHECK_INT(b.ntok, 7);
    for (i = 0; i < a.ntok && i < b.ntok; i++)
        CHECK_INT(a.tok[i].h, b.tok[i].h);
    CHECK_INT(a.npara, 1);
    ca__ptext_release(&a);
    ca__ptext_release(&b);

    /* paragraphs at blank lines; sentences, not after "Jan." */
    wrapped = "First one. Second on Jan. 19 here.\n\n  \nThird \xD0\x9C\xD0\x98\xD0\xA0 text.";
    CHECK_INT(ca__ptext_build(&a, wrapped, strlen(wrapped), 1000), CA_OK);
    CHECK_INT(a.npara, 2);
    CHECK(a.tok[2].flags & PT_SENT);     /* Second */
    CHECK(!(a.tok[5].flags & PT_SENT));  /* 19 after Jan. */
    CHECK(a.tok[7].flags & PT_PARA);     /* Third */
    {
        uint32_t h[2];

        CHECK_INT(ca__prov_words("\xD0\xBC\xD0\xB8\xD1\x80", 6, h, 2), 1); /* "мир" */
        CHECK_INT(h[0], a.tok[8].h);                                       /* "МИР" */
    }
    ca__ptext_release(&a);
}

static void test_dates(void)
{
    CHECK_INT(ca_prov_date_cmp("2024-01-02", "2024-01-03"), -1);
    CHECK_INT(ca_prov_date_cmp("2024-01-03", "2024-01-03T10:00:00Z"), 0);
    CHECK_INT(ca_prov_date_cmp("2024-01-03T09:00:00Z", "2024-01-03T10:00:00Z"), -1);
    /* 12:00 at UTC+3 is 09:00Z */
    CHECK_INT(ca_prov_date_cmp("2024-01-03T12:00:00+03:00", "2024-01-03T10:00:00Z"), -1);
    CHECK_INT(ca_prov_date_cmp("2024-01-04", "2024-01-03T23:59:59Z"), 1);
    CHECK_INT(ca_prov_date_cmp(NULL, "2024-01-03"), 0);
    CHECK_INT(ca_prov_date_cmp("yesterday", "2024-01-03"), 0);
}

/* ---- reuse ---- */

/* n words of filler from seed, distinct enough not to repeat shingles. */
static void filler(char *buf, size_t n, unsigned seed)
{
    static const char *const words[] = {
        "council", "harbour", "tariff", "river", "station", "budget", "inquiry", "vaccine",
        "bridge", "senate", "orchard", "pipeline", "court", "village", "festival", "drought",
        "factory", "ferry", "archive", "museum", "treaty", "border", "election", "harvest",
    };
    size_t i;
    unsigned x = seed * 2654435761u + 1;

    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        strcat(buf, words[(x >> 16) % 24]);
        strcat(buf, i % 12 == 11 ? ".\n\n" : " ");
    }
}

static void test_partial_copy(void)
{
    char *orig = malloc(20000), *other = malloc(20000), *copy = malloc(60000);
    ca_prov *p = NULL;
    ca_error err = CA_ERROR_INIT;
    const ca_prov_result *r;
    const ca_prov_pair *pr;

    filler(orig, 600, 1);
    filler(other, 600, 2);
    /* the copy: new text, then 60% of the original, then more new text */
    snprintf(copy, 60000, "%s\n\n%.*s\n\n%s", other + 3000, (int)(strlen(orig) * 6 / 10),
             orig, other);
    CHECK_INT(ca_prov_create(NULL, &p, &err), CA_OK);
    add(p, text_doc("orig", orig, "2024-01-01", "https://a.example/orig", "a.example"), 0, NULL);
    add(p, text_doc("copy", copy, "2024-01-02", "https://b.example/copy", "b.example"), 0, NULL);
    CHECK_INT(ca_prov_analyze(p, &err), CA_OK);
    r = ca_prov_result_of(p);
    pr = pair_of(r, 0, 1);
    CHECK(pr != NULL);
    if (pr) {
        CHECK(pr->a_in_b > 0.55 && pr->a_in_b < 0.65);
        CHECK_INT(pr->same_text, 0);
        CHECK_INT(pr->source, 0);
        CHECK_INT(pr->reuser, 1);
        CHECK_INT(pr->credited, 0); /* the copy does not link the original */
        CHECK(pr->npassages >= 1);
    }
    ca_prov_destroy(p);
    free(orig);
    free(other);
    free(copy);
}

static void test_credited(void)
{
    char *orig = malloc(20000);
    ca_prov *p = NULL;
    ca_error err = CA_ERROR_INIT;
    ca_doc *d;
    ca_citation *c;
    const ca_prov_pair *pr;

    filler(orig, 300, 7);
    CHECK_INT(ca_prov_create(NULL, &p, &err), CA_OK);
    add(p, text_doc("orig", orig, "2024-01-01", "https://a.example/orig", "a.example"), 0, NULL);
    d = text_doc("copy", orig, "2024-01-02", "https://b.example/copy", "b.example");
    ca_doc_add_citation(d, &c);
    ca_citation_set_href(c, "https://a.example/orig", NULL, NULL);
    add(p, d, 0, NULL);
    CHECK_INT(ca_prov_analyze(p, &err), CA_OK);
    pr = pair_of(ca_prov_result_of(p), 0, 1);
    CHECK(pr != NULL && pr->credited && pr->same_text && pr->reuser == 1);
    ca_prov_destroy(p);
    free(orig);
}

/* Five documents of one outlet share a newsletter box no phrase names:
 * it is that outlet's boilerplate, and two of them are no reuse pair. */
static void test_outlet_boilerplate(void)
{
    const char *box = "The Weekly Ledger brings you the stories behind the numbers every "
                      "Thursday morning, with charts, context and the week's essential reads "
                      "chosen by our editors for people who follow markets closely.";
    char *text = malloc(20000);
    ca_prov *p = NULL;
    ca_error err = CA_ERROR_INIT;
    const ca_prov_result *r;
    unsigned i;

    CHECK_INT(ca_prov_create(NULL, &p, &err), CA_OK);
    for (i = 0; i < 5; i++) {
        char name[16];

        filler(text, 200, 100 + i);
        strcat(text, "\n\n");
        strcat(text, box);
        snprintf(name, sizeof name, "doc%u", i);
        add(p, text_doc(name, text, "2024-01-01", NULL, "ledger.example"), 0, NULL);
    }
    CHECK_INT(ca_prov_analyze(p, &err), CA_OK);
    r = ca_prov_result_of(p);
    CHECK_INT(r->npairs, 0);
    CHECK_INT(r->docs[0].nboiler, 1);
    if (r->docs[0].nboiler)
        CHECK_INT(r->docs[0].boiler[0].kind, CA_PROV_BOILER_OUTLET);
    ca_prov_destroy(p);
    free(text);
}

/* More copies of one text than a bucket pairs up: each is still paired
 * with one of them; a quote in 300 documents is one cluster. */
static void test_many_copies(void)
{
    char *text = malloc(20000), *q = malloc(21000);
    ca_prov *p = NULL;
    ca_error err = CA_ERROR_INIT;
    const ca_prov_result *r;
    unsigned char *paired = calloc(300, 1);
    size_t i, n = 0;

    filler(text, 400, 42);
    snprintf(q, 21000, "\xE2\x80\x9CThe bridge will reopen to all traffic on Monday "
             "morning\xE2\x80\x9D, the mayor said.\n\n%s", text);
    CHECK_INT(ca_prov_create(NULL, &p, &err), CA_OK);
    for (i = 0; i < 300; i++) {
        char name[16];

        snprintf(name, sizeof name, "copy%zu", i);
        add(p, text_doc(name, i < 100 ? q : "\xE2\x80\x9CThe bridge will reopen to all "
                        "traffic on Monday morning\xE2\x80\x9D, the mayor said.",
                        NULL, NULL, NULL), 0, NULL);
    }
    CHECK_INT(ca_prov_analyze(p, &err), CA_OK);
    r = ca_prov_result_of(p);
    CHECK(r->stats.big_buckets > 0);
    for (i = 0; i < r->npairs; i++) {
        paired[r->pairs[i].a] = paired[r->pairs[i].b] = 1;
        CHECK_INT(r->pairs[i].same_text, 1);
    }
    for (i = 0; i < 100; i++)
        n += paired[i];
    CHECK_INT(n, 100);
    CHECK(r->npairs < 100 * 99 / 2); /* not every pair of a hundred */
    CHECK_INT(r->nclusters, 1);
    if (r->nclusters)
        CHECK_INT(r->clusters[0].ndocs, 300);
    ca_prov_destroy(p);
    free(paired);
    free(text);
    free(q);
}

/* ---- quotes and support ---- */

static void test_quotes_and_support(void)
{
    ca_prov *p = NULL;
    ca_error err = CA_ERROR_INIT;
    const ca_prov_result *r;
    ca_doc *d;
    ca_citation *c;
    size_t i, sup = 0, nf = 0, unav = 0;

    CHECK_INT(ca_prov_create(NULL, &p, &err), CA_OK);
    d = text_doc("a", "\xC2\xAB" "We will rebuild every house in the district this year" "\xC2\xBB"
                      ", said Mayor Anna Kovalenko.\n\n"
                      "The ministry said in a statement: \"Nine drones were shot down over the "
                      "region overnight\" https://gov.example/statement\n\n"
                      "It added that \"the airport will reopen on Monday at noon\" "
                      "https://news.example/other",
                 "2024-01-02", NULL, "a.example");
    ca_doc_add_citation(d, &c);
    ca_citation_set_href(c, "https://gov.example/statement", NULL, NULL);
    c->region = CA_REGION_BODY;
    c->text_pos = (size_t)(strstr(d->text, "https://gov") - d->text);
    ca_doc_add_citation(d, &c);
    ca_citation_set_href(c, "https://news.example/other", NULL, NULL);
    c->text_pos = (size_t)(strstr(d->text, "https://news") - d->text);
    add(p, d, 0, NULL);
    /* b quotes the mayor with one word changed */
    add(p, text_doc("b", "\xE2\x80\x9EWe will rebuild every home in the district this year"
                         "\xE2\x80\x9C, Kovalenko told reporters.", "2024-01-03", NULL,
                    "b.example"), 0, NULL);
    /* the pages cited: one holds the quote, one does not */
    add(p, text_doc("https://gov.example/statement", "Statement. NINE drones were shot down "
                    "over the region overnight, the ministry reports.", NULL,
                    "https://gov.example/statement", "gov.example"), 1,
        "https://gov.example/statement");
    add(p, text_doc("https://news.example/other", "Weather tomorrow: rain in the north.",
                    NULL, "https://news.example/other", "news.example"), 1,
        "https://news.example/other");
    CHECK_INT(ca_prov_analyze(p, &err), CA_OK);
    r = ca_prov_result_of(p);
    CHECK_INT(r->nquotes, 4);
    if (r->nquotes >= 1) {
        CHECK_STR(r->quotes[0].speaker, "Mayor Anna Kovalenko");
        CHECK(r->quotes[0].cluster != CA_PROV_NONE);
    }
    CHECK_INT(r->nclusters, 1);
    if (r->nclusters) {
        CHECK_INT(r->clusters[0].exact, 0);
        CHECK_INT(r->clusters[0].ndocs, 2);
        CHECK(r->clusters[0].first != CA_PROV_NONE && r->quotes[r->clusters[0].first].doc == 0);
    }
    for (i = 0; i < r->nsupports; i++) {
        sup += r->supports[i].status == CA_PROV_SUPPORTED;
        nf += r->supports[i].status == CA_PROV_NOT_FOUND;
        unav += r->supports[i].status == CA_PROV_UNAVAILABLE;
        if (r->supports[i].status == CA_PROV_SUPPORTED)
            CHECK_STR(r->supports[i].url, "https://gov.example/statement");
    }
    CHECK_INT(sup, 1);
    CHECK_INT(nf, 1);
    CHECK_INT(unav, 0);
    ca_prov_destroy(p);
}

int main(int argc, char **argv)
{
    ca_error err = CA_ERROR_INIT;

    if (argc < 2) {
        fprintf(stderr, "usage: test-prov SEEDS_DIR\n");
        return 2;
    }
    seeds = argv[1];
    ca_global_init(&err);
    test_words();
    test_dates();
    test_seeds();
    test_partial_copy();
    test_credited();
    test_outlet_boilerplate();
    test_many_copies();
    test_quotes_and_support();
    ca_global_cleanup();
    return check_done("test-prov");
}
