/*
 * test-check-policy.c - the checker's rules that need no network: status
 * classes, --include/--exclude, --remap, --accept, --header-for, and which
 * addresses --deny-private refuses.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_int.h"

static int priv4(const char *a)
{
    struct sockaddr_in in;

    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    if (inet_pton(AF_INET, a, &in.sin_addr) != 1)
        return -1;
    return ca__addr_is_private(AF_INET, &in, NULL, 0);
}

static int priv6(const char *a)
{
    struct sockaddr_in6 in6;
    char text[64];
    int r;

    memset(&in6, 0, sizeof in6);
    in6.sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, a, &in6.sin6_addr) != 1)
        return -1;
    r = ca__addr_is_private(AF_INET6, &in6, text, sizeof text);
    CHECK(text[0] != '\0');
    return r;
}

static void addresses(void)
{
    CHECK_INT(priv4("127.0.0.1"), 1);
    CHECK_INT(priv4("127.8.9.10"), 1);
    CHECK_INT(priv4("10.1.2.3"), 1);
    CHECK_INT(priv4("172.16.0.1"), 1);
    CHECK_INT(priv4("172.31.255.255"), 1);
    CHECK_INT(priv4("172.32.0.1"), 0);
    CHECK_INT(priv4("192.168.1.1"), 1);
    CHECK_INT(priv4("169.254.169.254"), 1); /* cloud metadata */
    CHECK_INT(priv4("100.64.0.1"), 1);      /* CGNAT */
    CHECK_INT(priv4("100.127.255.255"), 1);
    CHECK_INT(priv4("100.128.0.1"), 0);
    CHECK_INT(priv4("0.0.0.0"), 1);
    CHECK_INT(priv4("224.0.0.1"), 1);
    CHECK_INT(priv4("8.8.8.8"), 0);
    CHECK_INT(priv4("93.184.216.34"), 0);
    CHECK_INT(priv6("::1"), 1);
    CHECK_INT(priv6("::"), 1);
    CHECK_INT(priv6("fe80::1"), 1);
    CHECK_INT(priv6("fd12:3456::1"), 1);
    CHECK_INT(priv6("fc00::1"), 1);
    CHECK_INT(priv6("::ffff:127.0.0.1"), 1);
    CHECK_INT(priv6("::ffff:192.168.0.1"), 1);
    CHECK_INT(priv6("::ffff:8.8.8.8"), 0);
    CHECK_INT(priv6("2606:4700::1111"), 0);
}

static void classes(void)
{
    int c;

    CHECK_STR(ca_class_name(CA_CLASS_DEAD), "dead");
    CHECK_STR(ca_class_name(CA_CLASS_SERVER_ERROR), "server_error");
    CHECK_STR(ca_class_name((ca_class)99), "?");
    for (c = 0; c < CA_CLASS_COUNT; c++)
        CHECK_INT(ca_class_parse(ca_class_name((ca_class)c)), c);
    CHECK_INT(ca_class_parse("gone"), -1);
    CHECK(ca_class_fails_by_default(CA_CLASS_DEAD));
    CHECK(!ca_class_fails_by_default(CA_CLASS_FORBIDDEN));
    CHECK(!ca_class_fails_by_default(CA_CLASS_UNKNOWN));
    CHECK(!ca_class_fails_by_default(CA_CLASS_REDIRECTED));
    CHECK_INT(ca_class_default_fail_mask(),
              1u << CA_CLASS_DEAD | 1u << CA_CLASS_SOFT404 | 1u << CA_CLASS_SERVER_ERROR |
                  1u << CA_CLASS_TIMEOUT | 1u << CA_CLASS_DNS | 1u << CA_CLASS_UNREACHABLE |
                  1u << CA_CLASS_TLS | 1u << CA_CLASS_INVALID);
}

static void rules(void)
{
    const char *inc[] = {"example\\.org", NULL};
    const char *exc[] = {"/private/", NULL};
    const char *remap[] = {"^https://old\\.example\\.org/(.*)$ https://new.example.org/$1",
                           "http://a\\.test/([a-z]+)/([0-9]+) http://b.test/\\2/\\1", NULL};
    ca_host_header hh[] = {{"(^|\\.)github\\.com$", "Authorization: token x"}};
    ca_check_opts o;
    struct rules r;
    char *s;
    int oom;
    struct curl_slist *h;

    ca_check_opts_init(&o);
    o.include = inc;
    o.exclude = exc;
    o.remap = remap;
    o.accept = "200..299,403";
    o.host_headers = hh;
    o.n_host_headers = 1;
    CHECK_INT(ca__rules_compile(&r, &o, NULL), CA_OK);
    CHECK(!ca__rules_excluded(&r, "https://example.org/a"));
    CHECK(ca__rules_excluded(&r, "https://example.org/private/a"));
    CHECK(ca__rules_excluded(&r, "https://other.net/a"));
    s = ca__rules_remap(&r, "https://old.example.org/x/y?z=1");
    CHECK_STR(s, "https://new.example.org/x/y?z=1");
    free(s);
    s = ca__rules_remap(&r, "http://a.test/abc/123/rest");
    CHECK_STR(s, "http://b.test/123/abc/rest");
    free(s);
    CHECK(ca__rules_remap(&r, "https://unrelated.test/") == NULL);
    CHECK(ca__rules_accepts(&r, 200));
    CHECK(ca__rules_accepts(&r, 299));
    CHECK(ca__rules_accepts(&r, 403));
    CHECK(!ca__rules_accepts(&r, 404));
    CHECK(!ca__rules_accepts(&r, 1000));
    h = ca__rules_host_headers(&r, "api.github.com", NULL, &oom);
    CHECK(h && !strcmp(h->data, "Authorization: token x"));
    curl_slist_free_all(h);
    CHECK(ca__rules_host_headers(&r, "github.com.evil.test", NULL, &oom) == NULL);
    ca__rules_release(&r);
}

static void bad_rules(void)
{
    const char *bad_re[] = {"([a-z", NULL};
    const char *bad_remap[] = {"nospace", NULL};
    ca_check_opts o;
    ca_checker *chk = NULL;
    ca_error err = CA_ERROR_INIT;

    ca_check_opts_init(&o);
    o.exclude = bad_re;
    CHECK_INT(ca_checker_create(&o, &chk, &err), CA_USAGE);
    CHECK(strstr(err.msg, "--exclude") && strstr(err.msg, "([a-z"));
    ca_error_clear(&err);
    ca_check_opts_init(&o);
    o.remap = bad_remap;
    CHECK_INT(ca_checker_create(&o, &chk, &err), CA_USAGE);
    CHECK(strstr(err.msg, "--remap") != NULL);
    const char *accepts[] = {"2xx", "200..", "99", "300..200", "200,,", "1000"};
    for (size_t i = 0; i < sizeof accepts / sizeof *accepts; i++) {
        ca_error_clear(&err);
        ca_check_opts_init(&o);
        o.accept = accepts[i];
        CHECK_INT(ca_checker_create(&o, &chk, &err), CA_USAGE);
        CHECK(strstr(err.msg, "--accept") != NULL);
    }
}

/* URLs decided without a request, and one id per unique URL. */
static void table(void)
{
    const char *exc[] = {"skip", NULL};
    ca_check_opts o;
    ca_checker *chk = NULL;
    size_t a, b, c, d, e, f;
    char url[64];

    ca_check_opts_init(&o);
    o.exclude = exc;
    CHECK_INT(ca_checker_create(&o, &chk, NULL), CA_OK);
    CHECK_INT(ca_checker_add(chk, "https://example.org/a", &a, NULL), CA_OK);
    CHECK_INT(ca_checker_add(chk, "https://example.org/a", &b, NULL), CA_OK);
    CHECK_INT(a, b);
    CHECK_INT(ca_checker_add(chk, "mailto:x@example.org", &c, NULL), CA_OK);
    CHECK_INT(ca_checker_result(chk, c)->cls, CA_CLASS_UNSUPPORTED);
    CHECK_INT(ca_checker_add(chk, "https://example.org/skip", &d, NULL), CA_OK);
    CHECK_INT(ca_checker_result(chk, d)->cls, CA_CLASS_EXCLUDED);
    CHECK_INT(ca_checker_add(chk, "docs/setup.md", &e, NULL), CA_OK);
    CHECK_INT(ca_checker_result(chk, e)->cls, CA_CLASS_INVALID);
    CHECK(strstr(ca_checker_result(chk, e)->error, "--base-url") != NULL);
    CHECK_INT(ca_checker_add_decided(chk, "file:///x", CA_CLASS_DEAD, "no such file", &f, NULL),
              CA_OK);
    CHECK_INT(ca_checker_result(chk, f)->cls, CA_CLASS_DEAD);
    CHECK_INT(ca_checker_result(chk, a)->cls, CA_CLASS_UNKNOWN);
    for (int i = 0; i < 5000; i++) { /* grows the table */
        snprintf(url, sizeof url, "https://example.org/n/%d", i);
        CHECK_INT(ca_checker_add(chk, url, &b, NULL), CA_OK);
    }
    CHECK_INT(ca_checker_count(chk), 5005);
    CHECK_INT(ca_checker_add(chk, "https://example.org/a", &b, NULL), CA_OK);
    CHECK_INT(b, a);
    CHECK_STR(ca_checker_url(chk, 4000), "https://example.org/n/3995");
    ca_checker_destroy(chk);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    addresses();
    classes();
    rules();
    bad_rules();
    table();
    curl_global_cleanup();
    return check_done("check-policy");
}
