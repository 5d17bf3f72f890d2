/*
 * test-robots.c - the robots.txt parser against RFC 9309: groups and
 * their combination, user-agent matching, the longest match with allow
 * winning ties, '*' and '$', percent-encoding, what a missing or failing
 * file means, and files that are not robots.txt at all.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "citeaudit/robots.h"

/* Allowed for ua by robots.txt text? */
static int allowed(const char *txt, const char *ua, const char *path)
{
    ca_robots *r = NULL;
    int ok;

    if (ca_robots_parse(txt, strlen(txt), ua, &r, NULL) != CA_OK)
        return -1;
    ok = ca_robots_allowed(r, path);
    ca_robots_destroy(r);
    return ok;
}

/* The example of RFC 9309 section 5.1. */
static const char rfc_example[] =
    "User-Agent: *\n"
    "Disallow: *.gif$\n"
    "Disallow: /example/\n"
    "Allow: /publications/\n"
    "\n"
    "User-Agent: foobot\n"
    "Disallow:/\n"
    "Allow:/example/page.html\n"
    "Allow:/example/allowed.gif\n"
    "\n"
    "User-Agent: barbot\n"
    "User-Agent: bazbot\n"
    "Disallow: /example/page.html\n"
    "\n"
    "User-Agent: quxbot\n"
    "\n"
    "EOF\n";

static void test_rfc_example(void)
{
    /* foobot: its own group */
    CHECK_INT(allowed(rfc_example, "foobot", "/example/page.html"), 1);
    CHECK_INT(allowed(rfc_example, "foobot", "/example/allowed.gif"), 1);
    CHECK_INT(allowed(rfc_example, "foobot", "/example/other.html"), 0);
    CHECK_INT(allowed(rfc_example, "foobot", "/"), 0);
    /* barbot and bazbot share a group, and the "*" rules do not apply */
    CHECK_INT(allowed(rfc_example, "barbot", "/example/page.html"), 0);
    CHECK_INT(allowed(rfc_example, "bazbot", "/example/page.html"), 0);
    CHECK_INT(allowed(rfc_example, "bazbot", "/example/image.gif"), 1);
    /* quxbot: a group without rules allows everything */
    CHECK_INT(allowed(rfc_example, "quxbot", "/example/image.gif"), 1);
    /* everybody else: the "*" group */
    CHECK_INT(allowed(rfc_example, "citeaudit", "/example/page.html"), 0);
    CHECK_INT(allowed(rfc_example, "citeaudit", "/image.gif"), 0);
    CHECK_INT(allowed(rfc_example, "citeaudit", "/image.gif?size=2"), 1); /* '$' */
    CHECK_INT(allowed(rfc_example, "citeaudit", "/publications/x"), 1);
    CHECK_INT(allowed(rfc_example, "citeaudit", "/news/"), 1);
}

static void test_user_agent_matching(void)
{
    const char *txt = "User-agent: CiteAudit/2.0 (+https://example.org)\nDisallow: /private\n"
                      "User-agent: *\nDisallow: /\n";

    /* case-insensitive, on the product token only */
    CHECK_INT(allowed(txt, "citeaudit", "/public"), 1);
    CHECK_INT(allowed(txt, "citeaudit", "/private/x"), 0);
    /* a longer token is another crawler */
    CHECK_INT(allowed(txt, "citeauditbot", "/public"), 0);
    /* "*" names everybody only when it stands alone */
    CHECK_INT(allowed("User-agent: *bot\nDisallow: /\n", "citeaudit", "/x"), 1);
    CHECK_INT(allowed("User-agent:*\nDisallow: /\n", "citeaudit", "/x"), 0);
}

static void test_groups_combined(void)
{
    const char *txt = "User-agent: citeaudit\nDisallow: /a\n\n"
                      "User-agent: other\nDisallow: /b\n\n"
                      "User-agent: citeaudit\nDisallow: /c\n";

    CHECK_INT(allowed(txt, "citeaudit", "/a"), 0);
    CHECK_INT(allowed(txt, "citeaudit", "/b"), 1);
    CHECK_INT(allowed(txt, "citeaudit", "/c"), 0);
    /* a sitemap line does not end the list of agents or the group */
    txt = "User-agent: other\nSitemap: https://example.org/s.xml\nUser-agent: citeaudit\n"
          "Crawl-delay: 5\nDisallow: /d\n";
    CHECK_INT(allowed(txt, "citeaudit", "/d"), 0);
    CHECK_INT(allowed(txt, "other", "/d"), 0);
    /* rules before any user-agent line belong to no group */
    CHECK_INT(allowed("Disallow: /\nUser-agent: *\nDisallow: /x\n", "citeaudit", "/y"), 1);
    /* a user-agent line after rules opens a new group */
    txt = "User-agent: citeaudit\nDisallow: /e\nUser-agent: other\nDisallow: /f\n";
    CHECK_INT(allowed(txt, "citeaudit", "/f"), 1);
}

static void test_longest_match(void)
{
    /* RFC 9309 section 5.2 */
    const char *txt = "User-agent: *\nAllow: /example/page/\n"
                      "Disallow: /example/page/disallowed.gif\n";

    CHECK_INT(allowed(txt, "citeaudit", "/example/page/"), 1);
    CHECK_INT(allowed(txt, "citeaudit", "/example/page/disallowed.gif"), 0);
    /* the most octets wins, whatever the order */
    CHECK_INT(allowed("User-agent: *\nDisallow: /*.html\nAllow: /page\n", "x", "/page.html"), 0);
    CHECK_INT(allowed("User-agent: *\nAllow: /page.html\nDisallow: /\n", "x", "/page.html"), 1);
    /* a tie goes to allow */
    CHECK_INT(allowed("User-agent: *\nDisallow: /folder\nAllow: /folder\n", "x", "/folder/"), 1);
    CHECK_INT(allowed("User-agent: *\nAllow: /folder\nDisallow: /folder\n", "x", "/folder/"), 1);
    /* an empty Disallow disallows nothing */
    CHECK_INT(allowed("User-agent: *\nDisallow:\n", "x", "/anything"), 1);
    /* no matching rule: allowed */
    CHECK_INT(allowed("User-agent: *\nDisallow: /private\n", "x", "/public"), 1);
    /* /robots.txt itself is always allowed */
    CHECK_INT(allowed("User-agent: *\nDisallow: /\n", "x", "/robots.txt"), 1);
    /* the query is part of what is matched */
    CHECK_INT(allowed("User-agent: *\nDisallow: /search?q=\n", "x", "/search?q=x"), 0);
    CHECK_INT(allowed("User-agent: *\nDisallow: /search?q=\n", "x", "/search"), 1);
}

static void test_wildcards(void)
{
    const char *txt = "User-agent: *\nDisallow: /private*/secret\nDisallow: /*.pdf$\n"
                      "Disallow: /end$\nDisallow: /fish*\n";

    CHECK_INT(allowed(txt, "x", "/private-a/b/secret/x"), 0);
    CHECK_INT(allowed(txt, "x", "/private/other"), 1);
    CHECK_INT(allowed(txt, "x", "/doc/a.pdf"), 0);
    CHECK_INT(allowed(txt, "x", "/doc/a.pdf.html"), 1);
    CHECK_INT(allowed(txt, "x", "/end"), 0);
    CHECK_INT(allowed(txt, "x", "/end/"), 1);
    CHECK_INT(allowed(txt, "x", "/fish"), 0);
    CHECK_INT(allowed(txt, "x", "/fishheads/yummy.html"), 0);
    CHECK_INT(allowed(txt, "x", "/Fish.asp"), 1); /* paths are case-sensitive */
    /* '$' in the middle is a plain byte */
    CHECK_INT(allowed("User-agent: *\nDisallow: /a$b\n", "x", "/a$bc"), 0);
    CHECK_INT(allowed("User-agent: *\nDisallow: /a$b\n", "x", "/ab"), 1);
    /* "*" alone and "/" followed by "*" match everything */
    CHECK_INT(allowed("User-agent: *\nDisallow: *\n", "x", "/q"), 0);
    CHECK_INT(allowed("User-agent: *\nDisallow: /*\n", "x", "/q"), 0);
}

static void test_percent_encoding(void)
{
    const char *txt = "User-agent: *\nDisallow: /caf%c3%a9\nDisallow: /%7Euser\n"
                      "Disallow: /foo/bar/\xE3\x83\x84\n";

    CHECK_INT(allowed(txt, "x", "/caf\xC3\xA9/menu"), 0);
    CHECK_INT(allowed(txt, "x", "/caf%C3%A9/menu"), 0);
    CHECK_INT(allowed(txt, "x", "/~user/page"), 0);
    CHECK_INT(allowed(txt, "x", "/%7euser/page"), 0);
    CHECK_INT(allowed(txt, "x", "/foo/bar/%E3%83%84"), 0);
    CHECK_INT(allowed(txt, "x", "/cafe"), 1);
}

static void test_syntax(void)
{
    /* comments, CRLF and lone CR, blanks around keys and values, a BOM,
     * keys in any case */
    const char *txt = "\xEF\xBB\xBF# a comment\r\nUSER-AGENT :  citeaudit  # us\r\n"
                      "disallow\t: /a # no\r allow: /a/b\r\n";

    CHECK_INT(allowed(txt, "citeaudit", "/a/x"), 0);
    CHECK_INT(allowed(txt, "citeaudit", "/a/b"), 1);
    /* not robots.txt: an HTML page, binary junk */
    CHECK_INT(allowed("<html><body>Not found</body></html>", "x", "/a"), 1);
    CHECK_INT(allowed("\x01\x02\xFF\xFE: :", "x", "/a"), 1);
    CHECK_INT(allowed("", "x", "/a"), 1);
}

static void test_size_limit(void)
{
    size_t pad = CA_ROBOTS_MAX_BYTES + 1000, n;
    char *txt = malloc(pad + 100);
    const char *tail = "\nUser-agent: *\nDisallow: /\n";

    memset(txt, '#', pad);
    n = strlen(tail);
    memcpy(txt + pad, tail, n + 1);
    /* the rule lies beyond the 500 KiB read */
    CHECK_INT(allowed(txt, "x", "/a"), 1);
    memcpy(txt + 10, tail, n); /* within it */
    txt[10 + n] = '\n';
    CHECK_INT(allowed(txt, "x", "/a"), 0);
    free(txt);
}

static void test_hostile_patterns(void)
{
    /* Many stars against a long path of the wrong bytes: bounded work. */
    char *txt = malloc(300000), *path = malloc(9000), *p = txt;
    clock_t t0 = clock();
    int i;

    p += sprintf(p, "User-agent: *\n");
    for (i = 0; i < 200; i++)
        p += sprintf(p, "Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b%d\n", i);
    path[0] = '/';
    memset(path + 1, 'a', 8000);
    path[8001] = '\0';
    CHECK_INT(allowed(txt, "x", path), 1);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    free(txt);
    free(path);
}

static void test_answers(void)
{
    ca_robots *r = NULL;
    int all = -1;

    /* 4xx: no file, everything allowed */
    CHECK_INT(ca_robots_from_answer(404, NULL, 0, "x", &r, NULL), CA_OK);
    CHECK_INT(ca_robots_allowed(r, "/a"), 1);
    CHECK_INT(ca_robots_blanket(r, &all), 1);
    CHECK_INT(all, 1);
    ca_robots_destroy(r);
    CHECK_INT(ca_robots_from_answer(403, "x", 1, "x", &r, NULL), CA_OK);
    CHECK_INT(ca_robots_allowed(r, "/a"), 1);
    ca_robots_destroy(r);
    /* 429, 5xx and no answer: everything disallowed */
    CHECK_INT(ca_robots_from_answer(429, NULL, 0, "x", &r, NULL), CA_OK);
    CHECK_INT(ca_robots_allowed(r, "/a"), 0);
    ca_robots_destroy(r);
    CHECK_INT(ca_robots_from_answer(503, NULL, 0, "x", &r, NULL), CA_OK);
    CHECK_INT(ca_robots_allowed(r, "/a"), 0);
    CHECK_INT(ca_robots_blanket(r, &all), 1);
    CHECK_INT(all, 0);
    ca_robots_destroy(r);
    CHECK_INT(ca_robots_from_answer(0, NULL, 0, "x", &r, NULL), CA_OK);
    CHECK_INT(ca_robots_allowed(r, "/a"), 0);
    ca_robots_destroy(r);
    /* 2xx: the file decides */
    CHECK_INT(ca_robots_from_answer(200, "User-agent: *\nDisallow: /a\n", 26, "x", &r, NULL),
              CA_OK);
    CHECK_INT(ca_robots_allowed(r, "/a"), 0);
    CHECK_INT(ca_robots_allowed(r, "/b"), 1);
    CHECK_INT(ca_robots_blanket(r, &all), 0);
    ca_robots_destroy(r);
    ca_robots_destroy(NULL);
}

static void test_product_token(void)
{
    char buf[32];

    ca_robots_product_token("citeaudit/0.1.0 (+https://example.org)", buf, sizeof buf);
    CHECK_STR(buf, "citeaudit");
    ca_robots_product_token("Mozilla/5.0", buf, sizeof buf);
    CHECK_STR(buf, "Mozilla");
    ca_robots_product_token("/x", buf, sizeof buf);
    CHECK_STR(buf, "");
    ca_robots_product_token("averyveryverylongtokenname", buf, 5);
    CHECK_STR(buf, "aver");
}

int main(void)
{
    test_rfc_example();
    test_user_agent_matching();
    test_groups_combined();
    test_longest_match();
    test_wildcards();
    test_percent_encoding();
    test_syntax();
    test_size_limit();
    test_hostile_patterns();
    test_answers();
    test_product_token();
    return check_done("test-robots");
}
