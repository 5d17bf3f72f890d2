/*
 * test-url.c - URL resolution and normalisation through curl_url().
 */
#include <stdlib.h>

#include "citeaudit/url.h"
#include "check.h"

static void norm(const char *href, const char *base, const char *want_url, const char *want_frag,
                 ca_url_kind want_kind)
{
    ca_url u;
    ca_error err = CA_ERROR_INIT;

    CHECK_INT(ca_url_normalize(href, base, &u, &err), CA_OK);
    CHECK_STR(u.url, want_url);
    CHECK_STR(u.fragment, want_frag);
    CHECK_INT(u.kind, want_kind);
    ca_url_release(&u);
}

int main(void)
{
    const char *base = "https://www.example.com/news/2024/story.html";

    /* case, default port, dot segments, empty path */
    norm("HTTP://WWW.Example.COM:80/a/./b/../c", NULL, "http://www.example.com/a/c", NULL,
         CA_URL_HTTP);
    norm("https://example.com:443", NULL, "https://example.com/", NULL, CA_URL_HTTP);
    norm("https://example.com:8443/x", NULL, "https://example.com:8443/x", NULL, CA_URL_HTTP);
    /* relative references */
    norm("../other.html", base, "https://www.example.com/news/other.html", NULL, CA_URL_HTTP);
    norm("/root?q=1", base, "https://www.example.com/root?q=1", NULL, CA_URL_HTTP);
    norm("//cdn.example.net/img.png", base, "https://cdn.example.net/img.png", NULL,
         CA_URL_HTTP);
    norm("#section", base, "https://www.example.com/news/2024/story.html", "section",
         CA_URL_HTTP);
    /* fragment apart from identity */
    norm("https://example.com/p#frag", NULL, "https://example.com/p", "frag", CA_URL_HTTP);
    /* tracking parameters */
    norm("https://example.com/p?utm_source=x&id=7&fbclid=abc&utm_medium=y", NULL,
         "https://example.com/p?id=7", NULL, CA_URL_HTTP);
    norm("https://example.com/p?gclid=1&mc_cid=2&mc_eid=3", NULL, "https://example.com/p", NULL,
         CA_URL_HTTP);
    norm("https://example.com/p?UTM_Campaign=z&keep=1", NULL, "https://example.com/p?keep=1",
         NULL, CA_URL_HTTP);
    /* IDN host to punycode */
    norm("https://b\xc3\xbc" "cher.example/", NULL, "https://xn--bcher-kva.example/", NULL,
         CA_URL_HTTP);
    /* whitespace and newlines inside hrefs are stripped as browsers do */
    norm("  https://example.com/a\n/b  ", NULL, "https://example.com/a/b", NULL, CA_URL_HTTP);
    /* unsupported schemes are kept as written */
    norm("mailto:news@example.com", base, "mailto:news@example.com", NULL, CA_URL_UNSUPPORTED);
    norm("javascript:void(0)", base, "javascript:void(0)", NULL, CA_URL_UNSUPPORTED);
    norm("TEL:+123", base, "tel:+123", NULL, CA_URL_UNSUPPORTED);
    norm("data:image/png;base64,AAAA", base, "data:image/png;base64,AAAA", NULL,
         CA_URL_UNSUPPORTED);
    /* unresolvable without a base, malformed */
    norm("/relative/only", NULL, "/relative/only", NULL, CA_URL_INVALID);
    norm("http://", NULL, "http://", NULL, CA_URL_INVALID);
    norm("https://exa mple.com/", NULL, "https://exa mple.com/", NULL, CA_URL_INVALID);
    /* spaces in the path are encoded, not fatal */
    norm("https://example.com/a b", NULL, "https://example.com/a%20b", NULL, CA_URL_HTTP);

    /* URLs are joined from the parts curl parsed as curl would print them:
     * user, password and port kept, an empty query dropped, the query of a
     * dropped tracker read back from curl (which lowercases %XX), a zone
     * inside the brackets, a '%' of a host encoded */
    norm("https://user:pass@example.com:8080/p?q=1", NULL,
         "https://user:pass@example.com:8080/p?q=1", NULL, CA_URL_HTTP);
    norm("https://example.com/p?", NULL, "https://example.com/p", NULL, CA_URL_HTTP);
    norm("https://example.com/p?%3A=1&utm_source=x", NULL, "https://example.com/p?%3a=1", NULL,
         CA_URL_HTTP);
    norm("http://[fe80::1%25eth0]/x", NULL, "http://[fe80::1%25eth0]/x", NULL, CA_URL_HTTP);
    norm("https://exa%25mple.com/", NULL, "https://exa%25mple.com/", NULL, CA_URL_HTTP);
    /* a reference from the root resolves against the base's origin alone;
     * spaces and non-ASCII bytes are encoded whatever the base */
    norm("/root", "https://www.Example.COM:8443/a/b?x=1#f", "https://www.example.com:8443/root",
         NULL, CA_URL_HTTP);
    norm("/a b/caf\xc3\xa9?x y", base, "https://www.example.com/a%20b/caf%c3%a9?x+y", NULL,
         CA_URL_HTTP);
    norm("/", "https://b\xc3\xbc" "cher.example/\xc3\xa4/x?q", "https://xn--bcher-kva.example/",
         NULL, CA_URL_HTTP);
    norm("/x", "http://[fe80::1%25eth0]:8080/p/q", "http://[fe80::1]:8080/x", NULL, CA_URL_HTTP);
    /* curl 7.88 resolves a path against a base whose fragment holds a '/'
     * into that fragment; the URL keeps what curl made of it */
    norm("rel", "http://h/a#f/g", "http://h/a#f/rel", NULL, CA_URL_HTTP);

    /* a relative reference against a non-http base is not an http link */
    {
        ca_url u;

        CHECK_INT(ca_url_normalize("../x", "ftp://files.example/a/b", &u, NULL), CA_OK);
        CHECK_INT(u.kind, CA_URL_UNSUPPORTED);
        ca_url_release(&u);
    }
    /* control characters decoded into a host make the reference invalid */
    norm("http://0%7f.1", NULL, "http://0%7f.1", NULL, CA_URL_INVALID);
    /* a fullwidth digit host reads as an address once converted: the
     * identity must normalise to itself */
    {
        ca_url a, b;

        CHECK_INT(ca_url_normalize("https://\xef\xbc\x96/", NULL, &a, NULL), CA_OK);
        CHECK_INT(ca_url_normalize(a.url, NULL, &b, NULL), CA_OK);
        CHECK_STR(a.url, b.url);
        ca_url_release(&a);
        ca_url_release(&b);
    }
    {
        char *r = ca_url_resolve("img/x.png", "https://example.com/dir/page");
        CHECK_STR(r, "https://example.com/dir/img/x.png");
        free(r);
    }
    CHECK(ca_url_is_tracking_param("utm_term", 8));
    CHECK(!ca_url_is_tracking_param("utmost", 6));
    return check_done("test-url");
}
