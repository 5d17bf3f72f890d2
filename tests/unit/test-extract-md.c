/*
 * test-extract-md.c - the Markdown extractor: inline, reference, auto and
 * www links, images, what is not a link (code, unused definitions), exact
 * line and column, anchor text, context, raw HTML, the title and text, and
 * the link cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/doc.h"
#include "extract_int.h"
#include "check.h"

static ca_doc *run_max(const char *text, size_t max_links, ca__meta *meta)
{
    ca_doc *doc = ca_doc_create("test.md");
    ca_error err = CA_ERROR_INIT;

    memset(meta, 0, sizeof *meta);
    doc->max_links = max_links;
    CHECK_INT(ca__extract_md(doc, meta, text, strlen(text), "https://base.example/dir/page", &err),
              CA_OK);
    return doc;
}

static ca_doc *run(const char *text, ca__meta *meta)
{
    return run_max(text, 0, meta);
}

/* Citation i of doc is href at line:col, of kind, with anchor text. */
static void expect_cite(const ca_doc *doc, size_t i, const char *href, unsigned line, unsigned col,
                        ca_kind kind, const char *text)
{
    CHECK(i < doc->ncites);
    if (i >= doc->ncites)
        return;
    CHECK_STR(doc->cites[i].href, href);
    CHECK_INT(doc->cites[i].line, line);
    CHECK_INT(doc->cites[i].col, col);
    CHECK_INT(doc->cites[i].kind, kind);
    CHECK_STR(doc->cites[i].text, text);
    CHECK_INT(doc->cites[i].region, CA_REGION_BODY);
    CHECK(doc->cites[i].rel == NULL);
}

static void test_links(void)
{
    ca__meta meta;
    ca_doc *doc = run("# The *Title* here\n"
                      "\n"
                      "Intro with an [inline link](https://example.com/a \"T\") and a\n"
                      "[ref link][r1]. Then [**bold** text](/rel/path) and [r1].\n"
                      "\n"
                      "[r1]: https://example.com/ref\n"
                      "[unused]: https://example.com/unused\n",
                      &meta);

    CHECK_INT(doc->ncites, 4);
    expect_cite(doc, 0, "https://example.com/a", 3, 15, CA_KIND_LINK, "inline link");
    expect_cite(doc, 1, "https://example.com/ref", 4, 1, CA_KIND_LINK, "ref link");
    expect_cite(doc, 2, "/rel/path", 4, 22, CA_KIND_LINK, "bold text");
    expect_cite(doc, 3, "https://example.com/ref", 4, 53, CA_KIND_LINK, "r1");
    if (doc->ncites == 4) {
        CHECK_STR(doc->cites[2].url, "https://base.example/rel/path");
        CHECK_STR(doc->cites[0].context, "Intro with an inline link and a ref link.");
        CHECK_STR(doc->cites[3].context, "Then bold text and r1.");
    }
    CHECK_STR(meta.title, "The Title here");
    CHECK_STR(doc->text, "The Title here\n\n"
                         "Intro with an inline link and a ref link. Then bold text and r1.");
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_autolinks(void)
{
    ca__meta meta;
    ca_doc *doc = run("An autolink <https://example.com/auto> and bare https://example.com/bare,\n"
                      "and www.example.org/w. Mail <someone@example.com>.\n",
                      &meta);

    CHECK_INT(doc->ncites, 4);
    expect_cite(doc, 0, "https://example.com/auto", 1, 14, CA_KIND_LINK,
                "https://example.com/auto");
    expect_cite(doc, 1, "https://example.com/bare", 1, 49, CA_KIND_LINK,
                "https://example.com/bare");
    expect_cite(doc, 2, "www.example.org/w", 2, 5, CA_KIND_LINK, "www.example.org/w");
    if (doc->ncites == 4) {
        CHECK_STR(doc->cites[2].url, "http://www.example.org/w");
        CHECK_STR(doc->cites[3].href, "mailto:someone@example.com");
        CHECK_INT(doc->cites[3].kind, CA_KIND_UNSUPPORTED);
    }
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_images(void)
{
    ca__meta meta;
    ca_doc *doc = run("![alt text](https://example.com/img.png) and "
                      "[![logo](https://ex.com/l.png)](https://ex.com/home).\n"
                      "Empty: ![](https://ex.com/e.png) [](https://ex.com/empty) "
                      "[![](https://ex.com/i2.png)](https://ex.com/h2)\n",
                      &meta);

    CHECK_INT(doc->ncites, 7);
    expect_cite(doc, 0, "https://example.com/img.png", 1, 1, CA_KIND_IMAGE, "alt text");
    expect_cite(doc, 1, "https://ex.com/l.png", 1, 47, CA_KIND_IMAGE, "logo");
    expect_cite(doc, 2, "https://ex.com/home", 1, 46, CA_KIND_LINK, "logo");
    expect_cite(doc, 3, "https://ex.com/e.png", 2, 8, CA_KIND_IMAGE, NULL);
    expect_cite(doc, 4, "https://ex.com/empty", 2, 34, CA_KIND_LINK, NULL);
    expect_cite(doc, 5, "https://ex.com/i2.png", 2, 60, CA_KIND_IMAGE, NULL);
    expect_cite(doc, 6, "https://ex.com/h2", 2, 59, CA_KIND_LINK, NULL);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_not_links(void)
{
    ca__meta meta;
    ca_doc *doc = run("Code `[no](https://no.example/1)` and `https://no.example/2` here.\n"
                      "\n"
                      "```\n"
                      "[no](https://no.example/3) https://no.example/4\n"
                      "```\n"
                      "\n"
                      "    https://no.example/5 [no](https://no.example/6)\n"
                      "\n"
                      "[unused]: https://no.example/7\n"
                      "\\[escaped](https://no.example/8)\n",
                      &meta);

    CHECK_INT(doc->ncites, 1); /* the escaped bracket leaves a bare URL */
    if (doc->ncites == 1)
        CHECK_STR(doc->cites[0].href, "https://no.example/8");
    CHECK(doc->text && !strstr(doc->text, "no.example/3"));
    CHECK(doc->text && strstr(doc->text, "Code [no](https://no.example/1) and"));
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_entities_and_edges(void)
{
    ca__meta meta;
    ca_doc *doc = run("A [a&amp;b](https://example.com/q?a=1&amp;b=2) and "
                      "[spaced](<https://example.com/x y>)\n"
                      "and [two\nlines](https://example.com/2l) and [x\\]y](https://e.com/br)\n"
                      "> quoted [q](https://example.com/q)\n"
                      "\n"
                      "- item [li](https://example.com/li)\n"
                      "\n"
                      "| col | link |\n"
                      "|-----|------|\n"
                      "| x   | [cell](https://example.com/cell) |\n",
                      &meta);

    CHECK_INT(doc->ncites, 7);
    expect_cite(doc, 0, "https://example.com/q?a=1&b=2", 1, 3, CA_KIND_LINK, "a&b");
    expect_cite(doc, 1, "https://example.com/x y", 1, 52, CA_KIND_LINK, "spaced");
    expect_cite(doc, 2, "https://example.com/2l", 2, 5, CA_KIND_LINK, "two lines");
    expect_cite(doc, 3, "https://e.com/br", 3, 36, CA_KIND_LINK, "x]y");
    expect_cite(doc, 4, "https://example.com/q", 4, 10, CA_KIND_LINK, "q");
    expect_cite(doc, 5, "https://example.com/li", 6, 8, CA_KIND_LINK, "li");
    expect_cite(doc, 6, "https://example.com/cell", 10, 9, CA_KIND_LINK, "cell");
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_crlf(void)
{
    ca__meta meta;
    ca_doc *doc = run("Title\r\n=====\r\n\r\nText [a](https://example.com/a)\r\n"
                      "more [b][b]\r\n\r\n[b]: https://example.com/b\r\n",
                      &meta);

    CHECK_INT(doc->ncites, 2);
    expect_cite(doc, 0, "https://example.com/a", 4, 6, CA_KIND_LINK, "a");
    expect_cite(doc, 1, "https://example.com/b", 5, 6, CA_KIND_LINK, "b");
    CHECK_STR(meta.title, "Title");
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_html(void)
{
    ca__meta meta;
    ca_doc *doc = run("Raw <a class=x href=\"https://example.com/h?a=1&amp;b=2\">html</a> and "
                      "<img src='https://example.com/i.jpg' alt=x> <script src=\"/s.js\">"
                      "</script>\n"
                      "\n"
                      "<div>\n"
                      "<a href=https://example.com/block>block</a>\n"
                      "</div>\n",
                      &meta);

    CHECK_INT(doc->ncites, 3);
    expect_cite(doc, 0, "https://example.com/h?a=1&b=2", 1, 5, CA_KIND_LINK, NULL);
    expect_cite(doc, 1, "https://example.com/i.jpg", 1, 70, CA_KIND_IMAGE, NULL);
    expect_cite(doc, 2, "https://example.com/block", 4, 1, CA_KIND_LINK, NULL);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

static void test_limit(void)
{
    ca__meta meta;
    ca_doc *doc = run_max("[1](https://a.example/1) [2](https://a.example/2) "
                          "[3](https://a.example/3) https://a.example/4\n\nEnd.",
                          2, &meta);

    CHECK_INT(doc->ncites, 2);
    CHECK_INT(doc->links_dropped, 2);
    CHECK(doc->text && strstr(doc->text, "\n\nEnd."));
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
}

/* Many links in one paragraph, deep brackets: stays fast. */
static void test_big(void)
{
    size_t unit = 25, n = unit * 50000, i;
    char *buf = malloc(n + 1);
    ca__meta meta;
    ca_doc *doc;

    if (!buf)
        return;
    for (i = 0; i + unit <= n; i += unit)
        memcpy(buf + i, "[![a](https://x.y/)](/b) ", unit);
    buf[n] = '\0';
    doc = run(buf, &meta);
    CHECK_INT(doc->ncites, 2 * (n / unit));
    if (doc->ncites > 2) {
        CHECK_INT(doc->cites[2].col, unit + 2);
        CHECK_INT(doc->cites[3].col, unit + 1);
    }
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    memset(buf, '[', n);
    doc = run(buf, &meta);
    CHECK_INT(doc->ncites, 0);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    free(buf);
}

/* A paragraph of more bare URLs than md4c 0.4 finds in linear time: they
 * are found by the extractor itself, with the same results. */
static void test_many_bare_urls(void)
{
    size_t n = 3000, i, len = 0;
    char *buf = malloc(n * 32 + 128);
    ca__meta meta;
    ca_doc *doc;

    if (!buf)
        return;
    len += (size_t)sprintf(buf, "Intro https://x.com/a_b_c, www.w.org/p and (https://y.com/e).\n");
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(buf + len, "https://ex.com/%zu\n", i);
    strcpy(buf + len, "[l](https://l.com/) `https://code.com/x`\n");
    doc = run(buf, &meta);
    CHECK_INT(doc->ncites, n + 4);
    expect_cite(doc, 0, "https://x.com/a_b_c", 1, 7, CA_KIND_LINK, "https://x.com/a_b_c");
    expect_cite(doc, 1, "www.w.org/p", 1, 28, CA_KIND_LINK, "www.w.org/p");
    expect_cite(doc, 2, "https://y.com/e", 1, 45, CA_KIND_LINK, "https://y.com/e");
    expect_cite(doc, 3, "https://ex.com/0", 2, 1, CA_KIND_LINK, "https://ex.com/0");
    expect_cite(doc, n + 2, "https://ex.com/2999", n + 1, 1, CA_KIND_LINK, "https://ex.com/2999");
    expect_cite(doc, n + 3, "https://l.com/", n + 2, 1, CA_KIND_LINK, "l");
    if (doc->ncites > 1)
        CHECK_STR(doc->cites[1].url, "http://www.w.org/p");
    if (doc->ncites > 0)
        CHECK_STR(doc->cites[0].context, "Intro https://x.com/a_b_c, www.w.org/p and "
                                         "(https://y.com/e).");
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    free(buf);
}

int main(void)
{
    test_links();
    test_autolinks();
    test_images();
    test_not_links();
    test_entities_and_edges();
    test_crlf();
    test_html();
    test_limit();
    test_big();
    test_many_bare_urls();
    return check_done("extract-md");
}
