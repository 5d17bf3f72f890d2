/*
 * test-extract-text.c - the plain-text extractor: URL edges (punctuation,
 * brackets, quotes, wrappers, e-mail), the www. and bare platform forms,
 * positions, hard-wrap repair at different widths, text markers, the
 * rebuilt text, the link cap, and the seed article 001 when its path is
 * given as the first argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/doc.h"
#include "extract_int.h"
#include "check.h"

static ca_doc *run_max(const char *text, size_t len, size_t max_links, ca__meta *meta)
{
    ca_doc *doc = ca_doc_create("test.txt");
    ca_error err = CA_ERROR_INIT;

    memset(meta, 0, sizeof *meta);
    doc->max_links = max_links;
    CHECK_INT(ca__extract_text(doc, meta, text, len, NULL, &err), CA_OK);
    return doc;
}

static ca_doc *run(const char *text, ca__meta *meta)
{
    return run_max(text, strlen(text), 0, meta);
}

/* The citations of text are exactly the hrefs given, in order. */
static void expect_hrefs(const char *text, const char *const *want, size_t n)
{
    ca__meta meta;
    ca_doc *doc = run(text, &meta);
    size_t i;

    CHECK_INT(doc->ncites, n);
    for (i = 0; i < n && i < doc->ncites; i++) {
        CHECK_STR(doc->cites[i].href, want[i]);
        CHECK_INT(doc->cites[i].kind, CA_KIND_LINK);
        CHECK_INT(doc->cites[i].region, CA_REGION_BODY);
        CHECK(doc->cites[i].text == NULL);
        CHECK(doc->cites[i].context != NULL);
    }
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

#define EXPECT(text, ...)                                                                          \
    do {                                                                                           \
        static const char *const w_[] = {__VA_ARGS__};                                             \
        expect_hrefs(text, w_, sizeof w_ / sizeof w_[0]);                                          \
    } while (0)

static void expect_none(const char *text)
{
    expect_hrefs(text, NULL, 0);
}

static void test_edges(void)
{
    EXPECT("See https://example.com/a/b. And https://example.com/c, then "
           "https://example.com/d; or https://example.com/e! Or https://example.com/f?",
           "https://example.com/a/b", "https://example.com/c", "https://example.com/d",
           "https://example.com/e", "https://example.com/f");
    EXPECT("Queries survive: https://example.com/s?q=1&b=2. And https://example.com/p:",
           "https://example.com/s?q=1&b=2", "https://example.com/p");
    /* brackets: kept when balanced inside the URL */
    EXPECT("(see https://en.wikipedia.org/wiki/Foo_(bar)).",
           "https://en.wikipedia.org/wiki/Foo_(bar)");
    EXPECT("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)");
    EXPECT("[https://example.com/a] {https://example.com/b} (https://example.com/c)",
           "https://example.com/a", "https://example.com/b", "https://example.com/c");
    EXPECT("(https://example.com/x_(y)_z)", "https://example.com/x_(y)_z");
    /* quotes, straight and curly, end a URL */
    EXPECT("\"https://example.com/q\" 'https://example.com/s'", "https://example.com/q",
           "https://example.com/s");
    EXPECT("\xE2\x80\x9Chttps://example.com/c\xE2\x80\x9D "
           "\xE2\x80\x98https://example.com/d\xE2\x80\x99 "
           "\xC2\xABhttps://example.com/g\xC2\xBB",
           "https://example.com/c", "https://example.com/d", "https://example.com/g");
    EXPECT("said \xE2\x80\x9Csee https://example.com/e.\xE2\x80\x9D", "https://example.com/e");
    /* <...> wrappers */
    EXPECT("<https://x.y/z> and <URL:https://x.y/w>.", "https://x.y/z", "https://x.y/w");
    /* case of the scheme, IRIs with non-ASCII paths */
    EXPECT("HTTPS://Example.com/A", "HTTPS://Example.com/A");
    EXPECT("https://ru.wikipedia.org/wiki/\xD0\x91\xD0\xB5\xD0\xBB\xD0\xB3\xD0\xBE\xD1\x80"
           "\xD0\xBE\xD0\xB4, the city",
           "https://ru.wikipedia.org/wiki/\xD0\x91\xD0\xB5\xD0\xBB\xD0\xB3\xD0\xBE\xD1\x80"
           "\xD0\xBE\xD0\xB4");
    /* glued to a sentence end by a lost newline */
    EXPECT("attacks.https://t.me/mod_russia/1", "https://t.me/mod_russia/1");
    /* not URLs */
    expect_none("http:// https:// http://. www.example www. t.me/ x.com");
    expect_none("xhttps://example.com/a and foohttp://example.com");
}

static void test_email_and_mid_word(void)
{
    expect_none("Write to user@www.example.com or john.doe@example.com.");
    expect_none("foo.t.me/x and bar-x.com/y and a/t.me/z and mx.com/a");
    expect_none("mailto:someone@example.com");
    EXPECT("Mail user@example.com, or read www.example.com/about.", "www.example.com/about");
}

static void test_www_and_bare(void)
{
    ca__meta meta;
    ca_doc *doc = run("Visit www.Example.com/page. Channels: t.me/mod_russia/34256, "
                      "x.com/elonmusk/status/1 and twitter.com/user, youtube.com/@channel, "
                      "facebook.com/page, instagram.com/name, tiktok.com/@who, "
                      "github.com/curl/curl, vk.com/club1 (not t.me/ alone).",
                      &meta);
    static const char *const hrefs[] = {
        "www.Example.com/page", "t.me/mod_russia/34256", "x.com/elonmusk/status/1",
        "twitter.com/user",     "youtube.com/@channel",  "facebook.com/page",
        "instagram.com/name",   "tiktok.com/@who",       "github.com/curl/curl",
        "vk.com/club1",
    };
    size_t i;

    CHECK_INT(doc->ncites, 10);
    for (i = 0; i < 10 && i < doc->ncites; i++)
        CHECK_STR(doc->cites[i].href, hrefs[i]);
    if (doc->ncites >= 2) {
        CHECK_STR(doc->cites[0].url, "http://www.example.com/page");
        CHECK_STR(doc->cites[0].source, "example.com");
        CHECK_STR(doc->cites[1].url, "https://t.me/mod_russia/34256");
        CHECK_STR(doc->cites[1].source, "t.me/mod_russia");
    }
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_positions(void)
{
    ca__meta meta;
    /* col counts bytes: the curly quote before the second URL is 3 */
    ca_doc *doc = run("First line https://a.example/1\n"
                      "\n"
                      "  \xE2\x80\x9Chttps://b.example/2\xE2\x80\x9D and www.c.example/3\n"
                      "t.me/d/4",
                      &meta);

    CHECK_INT(doc->ncites, 4);
    if (doc->ncites == 4) {
        CHECK_INT(doc->cites[0].line, 1);
        CHECK_INT(doc->cites[0].col, 12);
        CHECK_INT(doc->cites[1].line, 3);
        CHECK_INT(doc->cites[1].col, 6);
        CHECK_INT(doc->cites[2].line, 3);
        CHECK_INT(doc->cites[2].col, 33);
        CHECK_INT(doc->cites[3].line, 4);
        CHECK_INT(doc->cites[3].col, 1);
        CHECK_STR(doc->cites[0].context, "First line https://a.example/1");
    }
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

/* The shape of seed 001: wrapped near 95, one URL broken after 97 chars. */
static const char wrap100[] =
    "Russia's Defense Ministry said Wednesday it downed 12 Ukrainian missiles in the western\n"
    "Belgorod region, which in recent days has been the target of multiple rocket attacks that "
    "have\n"
    "left dozens of people dead.\n"
    "\n"
    "\"This morning, another attempt by the Kyiv regime to carry out a terrorist attack on\n"
    "structures on the territory of the Russian Federation... was thwarted,\" the Defense "
    "Ministry\n"
    "said in a statement.\n"
    "\n"
    "Russian officials, including President Vladimir Putin, have described Ukrainian attacks "
    "on\n"
    "towns and cities inside Russia as \"terrorist attacks.\"\n"
    "\n"
    "https://t.me/mod_russia/34256\n"
    "\n"
    "The governor added that regional officials will gather next week to discuss response "
    "measures\n"
    "to the ongoing rocket attacks, including an extension of school holidays in some parts "
    "of\n"
    "Belgorod until Jan. 19.\n"
    "\n"
    "Original url:\n"
    "https://www.themoscowtimes.com/2024/01/03/"
    "russia-says-repelled-overnight-rocket-attack-in-belgoro\n"
    "d-region-a83633\n"
    "\n"
    "https://www.themoscowtimes.com/2026/06/21/russia-accidentally-bombs-own-village\n"
    "https://t.me/vvgladkov/4457\n"
    "https://www.themoscowtimes.com/2024/01/02/"
    "1-killed-in-rocket-attacks-on-russias-belgorod-region-a83628\n";

static const char joined_url[] = "https://www.themoscowtimes.com/2024/01/03/"
                                 "russia-says-repelled-overnight-rocket-attack-in-belgorod-"
                                 "region-a83633";

static void check_wrap100(const char *text, size_t len)
{
    ca__meta meta;
    ca_doc *doc = run_max(text, len, 0, &meta);

    CHECK_INT(doc->ncites, 5);
    if (doc->ncites == 5) {
        CHECK_STR(doc->cites[0].href, "https://t.me/mod_russia/34256");
        CHECK_INT(doc->cites[0].line, 12);
        CHECK_STR(doc->cites[1].href, joined_url);
        CHECK_STR(doc->cites[1].url, joined_url);
        CHECK_INT(doc->cites[1].line, 19);
        CHECK_INT(doc->cites[1].col, 1);
        CHECK_STR(
            doc->cites[2].href,
            "https://www.themoscowtimes.com/2026/06/21/russia-accidentally-bombs-own-village");
        CHECK_INT(doc->cites[2].line, 22);
        CHECK_STR(doc->cites[3].href, "https://t.me/vvgladkov/4457");
        CHECK_STR(doc->cites[4].href, "https://www.themoscowtimes.com/2024/01/02/"
                                      "1-killed-in-rocket-attacks-on-russias-belgorod-region-"
                                      "a83628");
        CHECK_INT(doc->cites[4].line, 24);
        /* the sentence of the joined URL has it whole */
        CHECK(doc->cites[1].context && strstr(doc->cites[1].context, joined_url));
    }
    CHECK_STR(meta.marker_url, joined_url);
    CHECK(meta.title == NULL);
    /* paragraphs joined back, the URL joined without a space */
    CHECK(doc->text && strstr(doc->text, "Russia's Defense Ministry said Wednesday it downed 12 "
                                         "Ukrainian missiles in the western Belgorod region, "
                                         "which in recent days") == doc->text);
    CHECK(doc->text && strstr(doc->text, "dozens of people dead.\n\n\"This morning"));
    CHECK(doc->text && strstr(doc->text, "Original url: https://www.themoscowtimes.com/2024/01/03/"
                                         "russia-says-repelled-overnight-rocket-attack-in-"
                                         "belgorod-region-a83633\n\nhttps://www.themoscow"));
    CHECK(doc->text && strstr(doc->text, "own-village\n\nhttps://t.me/vvgladkov/4457\n\nhttps"));
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

/* The same text with "\r\n" line ends. */
static void test_wrap100(void)
{
    size_t i, j = 0, n = strlen(wrap100);
    char *crlf = malloc(2 * n + 1);

    check_wrap100(wrap100, n);
    if (!crlf)
        return;
    for (i = 0; i < n; i++) {
        if (wrap100[i] == '\n')
            crlf[j++] = '\r';
        crlf[j++] = wrap100[i];
    }
    crlf[j] = '\0';
    check_wrap100(crlf, j);
    free(crlf);
}

/* An e-mail wrapped at 72. */
static const char wrap72[] =
    "Officials in the region said on Wednesday that the air defence systems\n"
    "had intercepted a number of targets over the city during the night, and\n"
    "that nobody was hurt in the attack. The governor repeated the claim in a\n"
    "message to residents later in the morning, adding that schools would\n"
    "stay closed until the end of the holidays as a precaution against new\n"
    "strikes, according to https://www.example.org/news/2024/01/03/air-defenc\n"
    "e-over-the-city-a123 and other sources.\n"
    "\n"
    "The ministry posted https://t.me/ministry/42\n"
    "2024-01-03 was the date of the post, the ministry said in its summary.\n"
    "\n"
    "The statement in full is on the ministry website at https://example.gov/a\n"
    "and the governor's channel carries the same text, word for word, here.\n"
    "A link cut at a hyphen goes on: https://example.net/a-very-long-slug-\n"
    "that-goes-on but one at a slash before a word does not: https://example.net/\n"
    "word and more words follow here to fill the line up to the width.\n";

static void test_wrap72(void)
{
    EXPECT(wrap72, "https://www.example.org/news/2024/01/03/air-defence-over-the-city-a123",
           "https://t.me/ministry/42", "https://example.gov/a",
           "https://example.net/a-very-long-slug-that-goes-on", "https://example.net/");
}

/* Text that is not hard-wrapped: one paragraph a line, of any length. */
static void test_no_wrap(void)
{
    ca__meta meta;
    ca_doc *doc = run("A first paragraph that is a long line, longer than any wrap would be, "
                      "ending with a link https://example.com/one\n"
                      "second-paragraph starts here and is long enough to count as one.\n"
                      "Third paragraph, short.\n"
                      "A cut mark still joins: https://example.com/two-\n"
                      "three-four.\n",
                      &meta);

    CHECK_INT(doc->ncites, 2);
    if (doc->ncites == 2) {
        CHECK_STR(doc->cites[0].href, "https://example.com/one");
        CHECK_STR(doc->cites[1].href, "https://example.com/two-three-four");
    }
    CHECK(doc->text && strstr(doc->text, "https://example.com/one\n\nsecond-paragraph"));
    CHECK(doc->text && strstr(doc->text, "here and is long enough to count as one.\n\nThird"));
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

/* A soft hyphen at the end of a line is the wrapper's: dropped, joined. */
static void test_soft_hyphen(void)
{
    EXPECT("Read https://example.com/long\xC2\xAD\nslug now", "https://example.com/longslug");
    EXPECT("Inside angle brackets: <https://example.com/a/very/\n   long/path> goes on.",
           "https://example.com/a/very/long/path");
}

static void test_markers(void)
{
    static const struct {
        const char *text, *marker;
    } cases[] = {
        {"Text.\n\nURL: https://example.com/self\n", "https://example.com/self"},
        {"Source URL:   www.example.com/self.\n", "http://www.example.com/self"},
        {"Canonical:\n\n\nhttps://example.com/c\n", "https://example.com/c"},
        {"ORIGINAL URL: t.me/chan/5\n", "https://t.me/chan/5"},
        {"Original url:\n<https://example.com/w>\n", "https://example.com/w"},
        {"The URL: https://example.com/x is cited.\n", NULL},
        {"URL: see https://example.com/x\n", NULL},
        {"Original url:\nSome words https://example.com/x\n", NULL},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ca__meta meta;
        ca_doc *doc = run(cases[i].text, &meta);

        CHECK_STR(meta.marker_url, cases[i].marker);
        CHECK_INT(doc->ncites, 1); /* still a citation: extract.c drops it */
        ca__meta_release(&meta);
        ca_doc_destroy(doc);
    }
}

static void test_title(void)
{
    static const struct {
        const char *text, *title;
    } cases[] = {
        {"Aerial targets shot down over Belgorod\n\nBody text here.", "Aerial targets shot down "
                                                                      "over Belgorod"},
        {"\n\n  Who attacked Belgorod?  \n", "Who attacked Belgorod?"},
        {"News Feed\n\nBody.", NULL},
        {"A sentence that ends with a period.\n\nBody.", NULL},
        {"A line that goes on\nto the next line\n", NULL},
        {"https://example.com/a b c\n", NULL},
        {"He said: \xE2\x80\x9Cthe situation is tense.\xE2\x80\x9D\n", NULL},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ca__meta meta;
        ca_doc *doc = run(cases[i].text, &meta);

        CHECK_STR(meta.title, cases[i].title);
        ca__meta_release(&meta);
        ca_doc_destroy(doc);
    }
}

static void test_limit(void)
{
    ca__meta meta;
    const char *t = "https://a.example/1 https://a.example/2 https://a.example/3\n"
                    "https://a.example/4 https://a.example/5";
    ca_doc *doc = run_max(t, strlen(t), 2, &meta);

    CHECK_INT(doc->ncites, 2);
    CHECK_INT(doc->links_dropped, 3);
    CHECK(doc->text && strstr(doc->text, "https://a.example/5"));
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

/* Big inputs stay linear: a long run of letters, of URLs, of newlines. */
static void test_big(void)
{
    size_t n = 2u << 20, i, unit = 20;
    char *buf = malloc(n + 1);
    ca__meta meta;
    ca_doc *doc;

    if (!buf)
        return;
    memset(buf, 'a', n);
    buf[n] = '\0';
    memcpy(buf, "https://", 8);
    doc = run_max(buf, n, 0, &meta);
    CHECK_INT(doc->ncites, 1);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    for (i = 0; i + unit <= n; i += unit)
        memcpy(buf + i, "https://ex.am/pl/12 ", unit);
    doc = run_max(buf, n, 0, &meta);
    CHECK_INT(doc->ncites, n / unit);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    memset(buf, '\n', n);
    doc = run_max(buf, n, 0, &meta);
    CHECK_INT(doc->ncites, 0);
    CHECK_STR(doc->text, "");
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    free(buf);
}

/* Seed 001 itself, read from the path given on the command line. */
static void test_seed(const char *path)
{
    static const char *const want[] = {
        "https://t.me/mod_russia/34256",
        joined_url,
        "https://www.themoscowtimes.com/2026/06/21/russia-accidentally-bombs-own-village",
        "https://t.me/vvgladkov/4457",
        "https://www.themoscowtimes.com/2024/01/02/"
        "1-killed-in-rocket-attacks-on-russias-belgorod-region-a83628",
    };
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n, i;
    ca__meta meta;
    ca_doc *doc;

    CHECK(f != NULL);
    if (!f)
        return;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    doc = run_max(buf, n, 0, &meta);
    CHECK_INT(doc->ncites, 5);
    for (i = 0; i < 5 && i < doc->ncites; i++)
        CHECK_STR(doc->cites[i].href, want[i]);
    CHECK_STR(meta.marker_url, joined_url);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

int main(int argc, char **argv)
{
    test_edges();
    test_email_and_mid_word();
    test_www_and_bare();
    test_positions();
    test_wrap100();
    test_wrap72();
    test_no_wrap();
    test_soft_hyphen();
    test_markers();
    test_title();
    test_limit();
    test_big();
    if (argc > 1)
        test_seed(argv[1]);
    return check_done("extract-text");
}
