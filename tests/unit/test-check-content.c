/*
 * test-check-content.c - the pure parts of the checker's verdicts beyond
 * the status code: the light page scan, the soft-404 and parking template
 * rules, redirect rule (a), text fragments, bot-protection header rules,
 * capture choice and Memento Link headers, shingle sketches, publication
 * dates.
 *
 *     test-check-content [CORPUS_DIR]
 *
 * With CORPUS_DIR (../shared/corpora/readability-news: real news pages,
 * one folder each with source.html), every real page is run through the
 * template rules too: none may be called a not-found or parked page. The
 * count of false positives is printed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_int.h"
#include "citeaudit/run.h"

static ca_reason rule_of(const char *html, const char **where, const char **phrase)
{
    struct page p;
    ca_reason r;

    CHECK_INT(ca__page_scan(html, strlen(html), NULL, 0, 0, &p), 0);
    r = ca__template_rule(&p, where, phrase);
    ca__page_release(&p);
    return r;
}

static void test_templates(void)
{
    const char *w, *ph;

    CHECK_INT(rule_of("<title>Page Not Found | Example</title><p>x</p>", &w, &ph),
              CA_REASON_ERROR_TEMPLATE);
    CHECK_STR(w, "title");
    CHECK_INT(rule_of("<title>404 - Not Found</title>", &w, &ph), CA_REASON_ERROR_TEMPLATE);
    CHECK_INT(rule_of("<title>Example &ndash; Seite nicht gefunden</title>", &w, &ph),
              CA_REASON_ERROR_TEMPLATE);
    CHECK_INT(rule_of("<title>Ошибка 404 — Новости</title>", &w, &ph), CA_REASON_ERROR_TEMPLATE);
    CHECK_INT(rule_of("<TITLE>Site</TITLE><H1>Page introuvable</H1>", &w, &ph),
              CA_REASON_ERROR_TEMPLATE);
    CHECK_STR(w, "heading");
    CHECK_INT(rule_of("<title>Site</title><h1>Сторінку не знайдено</h1>", &w, &ph),
              CA_REASON_ERROR_TEMPLATE);
    CHECK_INT(rule_of("<title>x</title><p>Lo sentimos, la p&aacute;gina que buscas no "
                      "existe.</p>", &w, &ph),
              CA_REASON_ERROR_TEMPLATE);
    CHECK_STR(w, "text");
    CHECK_STR(ph, "la página que buscas");
    /* articles that only talk about such pages */
    CHECK_INT(rule_of("<title>Why 'page not found' errors cost sales | Shop News</title>"
                      "<p>Error pages drive buyers away.</p>", &w, &ph),
              CA_REASON_NONE);
    CHECK_INT(rule_of("<title>'Not found': the missing children of the war</title>", &w, &ph),
              CA_REASON_NONE);
    CHECK_INT(rule_of("<title>Climber not found after three days on the mountain</title>", &w,
                      &ph),
              CA_REASON_NONE);
    /* a long page that quotes an error sentence is not an error page */
    {
        char big[8000];
        size_t i;

        strcpy(big, "<title>Report</title><article><p>The page you were looking for, the "
                    "minister said, ");
        for (i = strlen(big); i < sizeof big - 200; i += 10)
            memcpy(big + i, "word word ", 10);
        strcpy(big + i, "</p></article>");
        CHECK_INT(rule_of(big, &w, &ph), CA_REASON_NONE);
    }
    /* the text of nav, header, footer, scripts is not the page's own */
    CHECK_INT(rule_of("<title>x</title><nav>page not found</nav><script>var a = 'the page you "
                      "requested could not be found';</script><p>Hello</p>",
                      &w, &ph),
              CA_REASON_NONE);
    /* parking */
    CHECK_INT(rule_of("<title>example.com is for sale!</title>", &w, &ph), CA_REASON_PARKED);
    CHECK_INT(rule_of("<title>example.com</title><p>This domain may be for sale. Buy this domain "
                      "today.</p>",
                      &w, &ph),
              CA_REASON_PARKED);
    CHECK_INT(rule_of("<title>Новости</title><div>Домен продаётся</div>", &w, &ph),
              CA_REASON_PARKED);
    CHECK_INT(rule_of("<title>Domain for sale: the market for names | Tech</title><article><p>" \
                      "Prices of domains rose.</p></article>", &w, &ph),
              CA_REASON_NONE);
}

static void test_scan(void)
{
    struct frag f[4] = {{"intro", 0}, {"old", 0}, {"caf%C3%A9", 0}, {"nope", 0}};
    const char *html = "<!-- <a id=intro> --><div ID='intro'>x</div><a name=\"old\"></a>"
                       "<h2 id=café>y</h2><script>var s = '<a id=nope>';</script>"
                       "<title>T &amp; <b>U</b></title><p>Don&#8217;t   stop</p>";
    struct page p;

    CHECK_INT(ca__page_scan(html, strlen(html), f, 4, 1, &p), 0);
    CHECK_INT(f[0].state, CA_FRAGMENT_FOUND);
    CHECK_INT(f[1].state, CA_FRAGMENT_FOUND);
    CHECK_INT(f[2].state, CA_FRAGMENT_FOUND);
    CHECK_INT(f[3].state, CA_FRAGMENT_UNCHECKED);
    CHECK_STR(p.title.data, "t & <b>u</b>");
    CHECK(strstr(ca__page_text(&p), "don't stop") != NULL);
    CHECK_INT(p.nscripts, 1);
    ca__page_release(&p);
    /* references in ids; GitHub's user-content- prefix */
    {
        struct frag g[2] = {{"caf\xC3\xA9", 0}, {"install", 0}};
        const char *h = "<h2 id=\"caf&eacute;\">x</h2><h2 id=\"user-content-install\">y</h2>";

        CHECK_INT(ca__page_scan(h, strlen(h), g, 2, 0, &p), 0);
        CHECK_INT(g[0].state, CA_FRAGMENT_FOUND);
        CHECK_INT(g[1].state, CA_FRAGMENT_FOUND);
        ca__page_release(&p);
    }
    /* a cut-off page */
    CHECK_INT(ca__page_scan("<p id=\"a", 8, NULL, 0, 0, &p), 0);
    ca__page_release(&p);
}

static void test_text_directives(void)
{
    const char *t = "the quick brown fox jumps over the lazy dog. officials said the bridge "
                    "would reopen in march.";
    size_t n = strlen(t);

    CHECK_INT(ca__text_directive_match("quick%20brown", t, n), 1);
    CHECK_INT(ca__text_directive_match("Quick%20BROWN%20fox", t, n), 1); /* any case */
    CHECK_INT(ca__text_directive_match("quick,lazy%20dog", t, n), 1);
    CHECK_INT(ca__text_directive_match("the-,quick", t, n), 1);
    CHECK_INT(ca__text_directive_match("over-,quick", t, n), 0);
    CHECK_INT(ca__text_directive_match("bridge,-would", t, n), 1);
    CHECK_INT(ca__text_directive_match("bridge,-reopen", t, n), 0);
    CHECK_INT(ca__text_directive_match("the-,bridge,march,-", t, n), -1); /* an empty suffix */
    CHECK_INT(ca__text_directive_match("uick", t, n), 0);                    /* word boundary */
    CHECK_INT(ca__text_directive_match("", t, n), -1);
    CHECK_INT(ca__text_directive_match("a,b,c,d,e", t, n), -1);
    CHECK_INT(ca__text_directive_match("lazy,officials", t, n), 1);
}

static void test_bot(void)
{
    const char *cf = "cf-mitigated: challenge\r\n";

    CHECK(ca__bot_header("Server: cloudflare\r\n", 20) & CA__BOT_CLOUDFLARE);
    CHECK(ca__bot_header(cf, strlen(cf)) & CA__BOT_CHALLENGE);
    CHECK(ca__bot_header("server: AkamaiGHost\r\n", 21) & CA__BOT_AKAMAI);
    CHECK(ca__bot_header("Set-Cookie: incap_ses_1=x\r\n", 27) & CA__BOT_IMPERVA);
    CHECK(ca__bot_header("x-amzn-waf-action: captcha\r\n", 28) & CA__BOT_CHALLENGE);
    CHECK_INT(ca__bot_header("Server: nginx\r\n", 15), 0);
    CHECK_INT(ca__bot_header("Content-Type: text/html\r\n", 25), 0);
    CHECK(ca__bot_rule(999, 0, NULL, 0));
    CHECK(ca__bot_rule(403, CA__BOT_CLOUDFLARE, NULL, 0));
    CHECK(!ca__bot_rule(403, 0, "<h1>Forbidden</h1>", 18));
    CHECK(ca__bot_rule(403, 0, "<title>Just a moment...</title>", 31));
    CHECK(!ca__bot_rule(429, CA__BOT_CLOUDFLARE, NULL, 0)); /* rate limiting relayed */
    CHECK(ca__bot_rule(429, CA__BOT_DATADOME, NULL, 0));
    CHECK(ca__bot_rule(503, CA__BOT_CHALLENGE | CA__BOT_CLOUDFLARE, NULL, 0));
    CHECK(!ca__bot_rule(503, CA__BOT_CLOUDFLARE, "<h1>Maintenance</h1>", 20));
    CHECK(ca__bot_rule(202, CA__BOT_AWSWAF | CA__BOT_CHALLENGE, NULL, 0));
    CHECK(!ca__bot_rule(200, CA__BOT_CLOUDFLARE, NULL, 0));
    CHECK(!ca__bot_rule(404, CA__BOT_CLOUDFLARE, NULL, 0));
}

static void test_redirects(void)
{
    CHECK_INT(ca__redirect_rule("https://ex.com/news/a", "https://ex.com/"), CA_REASON_HOME_REDIRECT);
    CHECK_INT(ca__redirect_rule("https://ex.com/news/a", "https://www.ex.com/en/"),
              CA_REASON_HOME_REDIRECT);
    CHECK_INT(ca__redirect_rule("https://ex.com/a", "https://ex.com/index.php"),
              CA_REASON_HOME_REDIRECT);
    CHECK_INT(ca__redirect_rule("http://ex.com/", "https://ex.com/"), CA_REASON_NONE);
    CHECK_INT(ca__redirect_rule("https://ex.com/a", "https://ex.com/?p=123"), CA_REASON_NONE);
    CHECK_INT(ca__redirect_rule("https://ex.com/a", "https://ex.com/ok"), CA_REASON_NONE);
    CHECK_INT(ca__redirect_rule("https://bit.ly/xyz", "https://other.org/"), CA_REASON_NONE);
    CHECK_INT(ca__redirect_rule("https://old.org/story", "https://new.org/"),
              CA_REASON_HOME_REDIRECT);
    CHECK_INT(ca__redirect_rule("https://ex.com/a", "https://ex.com/errors/404.html"),
              CA_REASON_ERROR_PATH);
    CHECK_INT(ca__redirect_rule("https://ex.com/a", "https://ex.com/Error.aspx?aspxerrorpath=/a"),
              CA_REASON_ERROR_PATH);
    CHECK_INT(ca__redirect_rule("https://ex.com/error/a", "https://ex.com/error/b"),
              CA_REASON_NONE);
    CHECK_INT(ca__redirect_rule("https://ex.com/a", "https://ex.com/login?next=/a"),
              CA_REASON_NONE);
    CHECK_INT(ca__redirect_rule("https://ex.com/docs/errors-list", "https://ex.com/docs/"),
              CA_REASON_NONE);
}

static void test_captures(void)
{
    int64_t t[] = {ca__wayback_time("20230601000000"), ca__wayback_time("20231230120000"),
                   ca__wayback_time("20240102"), ca__wayback_time("20240301000000")};
    int c[] = {200, 200, 404, 200};
    int64_t cited = ca_run_date("2024-01-03");
    char *url;
    int64_t when;

    CHECK_INT(ca__wayback_time("20231230120000"), 1703937600);
    CHECK_INT(ca__wayback_time("2023"), 1672531200);
    CHECK_INT(ca__wayback_time("x"), 0);
    CHECK_INT(ca__capture_pick(t, c, 4, cited), 1);  /* closest before, a 404 left out */
    CHECK_INT(ca__capture_pick(t, c, 4, 0), 3);      /* no date: the newest */
    CHECK_INT(ca__capture_pick(t, c, 4, ca_run_date("2020-01-01")), 0); /* first after */
    CHECK_INT(ca__capture_pick(t, c, 0, cited), -1);
    CHECK_INT(ca__memento_pick("<http://a/o>; rel=\"original\", <http://a/m1>; rel=\"first "
                               "memento\"; datetime=\"Fri, 01 Dec 2023 00:00:00 GMT\", "
                               "<http://a/m2>; rel=\"memento last\"; datetime=\"Fri, 05 Jan "
                               "2024 00:00:00 GMT\"",
                               cited, &url, &when),
              1);
    CHECK_STR(url, "http://a/m1");
    CHECK_INT(when, 1701388800);
    free(url);
    CHECK_INT(ca__memento_pick("<http://a/o>; rel=original", cited, &url, &when), 0);
    CHECK_INT(ca__memento_pick("garbage, <unterminated", cited, &url, &when), 0);
}

static void test_dates(void)
{
    CHECK_INT(ca_run_date("2024-01-03"), 1704326399);
    CHECK_INT(ca_run_date("2024-01-03T10:00:00Z"), 1704276000);
    CHECK_INT(ca_run_date("2024-01-03T13:00:00+03:00"), 1704276000);
    CHECK_INT(ca_run_date("2024-01-03T10:00:00.123-0100"), 1704279600);
    CHECK_INT(ca_run_date("January 3"), 0);
    CHECK_INT(ca_run_date(NULL), 0);
}

static void test_sketch(void)
{
    const char *a = "The council approved the budget on Tuesday after a long debate about "
                    "roads and schools in the city centre.";
    const char *b = "The council approved the budget on Tuesday after a long debate about "
                    "roads and schools in the city centre, the mayor said.";
    const char *c = "Railway opens on time and the first trains ran full to the coast today.";
    uint64_t *sa, *sb, *sc;
    uint16_t na, nb, nc;
    double ab, ac;

    CHECK_INT(ca__sketch(a, strlen(a), NULL, &sa, &na), 0);
    CHECK_INT(ca__sketch(b, strlen(b), NULL, &sb, &nb), 0);
    CHECK_INT(ca__sketch(c, strlen(c), NULL, &sc, &nc), 0);
    ab = ca__sketch_similarity(sa, na, sb, nb);
    ac = ca__sketch_similarity(sa, na, sc, nc);
    CHECK(ab > 0.8 && ab < 1.0);
    CHECK(ac < 0.05);
    CHECK(ca__sketch_similarity(sa, na, sa, na) == 1.0);
    CHECK(ca__sketch_similarity(NULL, 0, NULL, 0) == 1.0);
    free(sa);
    free(sb);
    free(sc);
    /* words of the URL a page echoes are left out */
    CHECK_INT(ca__sketch("Nothing found for zq81x", 23, "https://h/zq81x", &sa, &na), 0);
    CHECK_INT(ca__sketch("Nothing found for kk23y", 23, "https://h/kk23y", &sb, &nb), 0);
    CHECK(ca__sketch_similarity(sa, na, sb, nb) == 1.0);
    free(sa);
    free(sb);
}

/* Every real page of the corpus through the template rules. */
static int real_pages(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int pages = 0, fp = 0;

    if (!d) {
        printf("no corpus at %s: real pages skipped\n", dir);
        return 0;
    }
    while ((e = readdir(d))) {
        char path[4096];
        FILE *f;
        char *buf;
        long n;
        struct page p;
        const char *w, *ph;
        ca_reason r;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/source.html", dir, e->d_name);
        if (!(f = fopen(path, "rb")))
            continue;
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        rewind(f);
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            CHECK_INT(ca__page_scan(buf, (size_t)n, NULL, 0, 0, &p), 0);
            r = ca__template_rule(&p, &w, &ph);
            pages++;
            if (r != CA_REASON_NONE) {
                fp++;
                printf("false positive: %s: %s (%s: \"%s\")\n", e->d_name, ca_reason_name(r), w,
                       ph);
            }
            ca__page_release(&p);
        }
        free(buf);
        fclose(f);
    }
    closedir(d);
    printf("real pages: %d, called soft404 or parked: %d\n", pages, fp);
    CHECK_INT(fp, 0);
    return pages;
}

int main(int argc, char **argv)
{
    test_templates();
    test_scan();
    test_text_directives();
    test_bot();
    test_redirects();
    test_captures();
    test_dates();
    test_sketch();
    if (argc > 1)
        real_pages(argv[1]);
    return check_done("check-content");
}
