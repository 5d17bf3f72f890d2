/*
 * url.c - resolving and normalising URLs with libcurl's URL API.
 *
 * The identity of a URL is what lets one check serve every citation of it,
 * so normalisation folds the differences that never change what a server
 * returns (scheme and host case, IDN spelling, default port, dot segments)
 * and drops parameters that only feed analytics. The fragment is kept apart:
 * it matters for fragment checks, not for the request.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <curl/mprintf.h>
#include <idn2.h>

#include "citeaudit/buf.h"
#include "citeaudit/url.h"
#include "extract_int.h"
#include "strutil.h"

/* Query parameters that identify a campaign or a click, never a resource. */
static const char *const tracking_exact[] = {
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid",
    "igshid", "_hsenc", "_hsmi", "mkt_tok",
};

int ca_url_is_tracking_param(const char *name, size_t len)
{
    size_t i;

    if (len >= 4 && strncasecmp(name, "utm_", 4) == 0)
        return 1;
    for (i = 0; i < sizeof tracking_exact / sizeof tracking_exact[0]; i++) {
        if (strlen(tracking_exact[i]) == len && strncasecmp(name, tracking_exact[i], len) == 0)
            return 1;
    }
    return 0;
}

/*
 * Copy href without leading/trailing whitespace and without the tabs and
 * newlines browsers strip from inside URLs (a href broken over lines).
 */
static char *clean_href(const char *href)
{
    size_t n = strlen(href), i, j = 0;
    char *out;

    while (n && (unsigned char)href[n - 1] <= ' ')
        n--;
    while (n && (unsigned char)*href <= ' ') {
        href++;
        n--;
    }
    out = malloc(n + 1);
    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
            out[j++] = href[i];
    }
    out[j] = '\0';
    return out;
}

/*
 * Length of the scheme of s ("mailto" in "mailto:x"), 0 when s does not
 * start with one (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":").
 * This only tells absolute references from relative ones; curl parses them.
 */
static size_t scheme_len(const char *s)
{
    size_t i = 0;

    if (!isalpha((unsigned char)s[0]))
        return 0;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i : 0;
}

/* Rebuild the query without tracking parameters; NULL when none remain. */
static char *filter_query(const char *q, int *ret_changed)
{
    ca_buf out;
    const char *p = q;

    ca_buf_init(&out, strlen(q) + 1);
    *ret_changed = 0;
    while (*p) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t nlen = eq ? (size_t)(eq - p) : len;

        if (len == 0 || ca_url_is_tracking_param(p, nlen)) {
            *ret_changed = 1;
        } else {
            if (out.len)
                ca_buf_putc(&out, '&');
            ca_buf_append(&out, p, len);
        }
        p = end ? end + 1 : p + len;
    }
    if (!out.len) {
        ca_buf_release(&out);
        return NULL;
    }
    return ca_buf_steal(&out);
}

/*
 * The last base parsed, kept so that the links of one document (which all
 * share a base) cost a handle copy instead of a second parse.
 */
static struct {
    pthread_mutex_t lock;
    char *base;
    CURLU *h;
} base_cache = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL};

void ca__url_cleanup(void)
{
    pthread_mutex_lock(&base_cache.lock);
    free(base_cache.base);
    curl_url_cleanup(base_cache.h);
    base_cache.base = NULL;
    base_cache.h = NULL;
    pthread_mutex_unlock(&base_cache.lock);
}

/* A handle holding base parsed (a copy of the cached one), or a new empty
 * handle when base is empty or does not parse. */
static CURLU *base_handle(const char *base, unsigned flags)
{
    CURLU *h = NULL;

    if (!base || !*base)
        return curl_url();
    pthread_mutex_lock(&base_cache.lock);
    if (base_cache.base && strcmp(base_cache.base, base) == 0) {
        h = curl_url_dup(base_cache.h);
    } else {
        CURLU *nh = curl_url();
        char *nb = strdup(base);

        if (nh && nb && curl_url_set(nh, CURLUPART_URL, base, flags) == CURLUE_OK) {
            free(base_cache.base);
            curl_url_cleanup(base_cache.h);
            base_cache.base = nb;
            base_cache.h = nh;
            h = curl_url_dup(nh);
        } else {
            free(nb);
            curl_url_cleanup(nh);
            h = curl_url();
        }
    }
    pthread_mutex_unlock(&base_cache.lock);
    return h;
}

/* Parse href (absolute, or relative to base) into a new curl handle. */
static CURLU *parse(const char *href, const char *base)
{
    unsigned flags = CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE | CURLU_ALLOW_SPACE;
    CURLU *h = base_handle(base, flags);

    if (!h)
        return NULL;
    /* curl 7.88 resolves "" and "#frag" against the base's directory, not
     * the base itself as RFC 3986 5.2.2 says; both name the base document. */
    if (base && *base && (href[0] == '\0' || href[0] == '#')) {
        char *host = NULL;
        CURLUcode rc = curl_url_get(h, CURLUPART_HOST, &host, 0);

        curl_free(host);
        if (rc == CURLUE_OK &&
            curl_url_set(h, CURLUPART_FRAGMENT, href[0] && href[1] ? href + 1 : NULL, 0) ==
                CURLUE_OK)
            return h;
    } else if (curl_url_set(h, CURLUPART_URL, href, flags) == CURLUE_OK) {
        return h;
    }
    curl_url_cleanup(h);
    return NULL;
}

char *ca_url_resolve(const char *href, const char *base)
{
    char *clean = clean_href(href), *url = NULL, *out = NULL;
    CURLU *h;

    if (!clean)
        return NULL;
    h = parse(clean, base);
    if (h && curl_url_get(h, CURLUPART_URL, &url, 0) == CURLUE_OK) {
        out = strdup(url);
        curl_free(url);
    }
    curl_url_cleanup(h);
    free(clean);
    return out;
}

/* Fill u for a reference that is kept as written (unsupported or invalid). */
static ca_status keep_as_written(ca_url *u, char *clean, size_t slen, ca_url_kind kind)
{
    size_t i;

    u->kind = kind;
    u->url = clean;
    if (slen) {
        for (i = 0; i < slen; i++)
            clean[i] = (char)tolower((unsigned char)clean[i]);
        u->scheme = ca__strndup(clean, slen);
        if (!u->scheme)
            return CA_NOMEM;
    }
    return CA_OK;
}

/*
 * Replace a non-ASCII host (curl-allocated) with its punycode form. libidn2
 * is called directly because curl 7.88's CURLU_PUNYCODE converts through the
 * process locale and fails under the C locale.
 */
static ca_status to_punycode(char **host)
{
    const unsigned char *p;
    char *ace = NULL, *copy;
    int rc;

    for (p = (const unsigned char *)*host; *p && *p < 0x80; p++)
        ;
    if (!*p)
        return CA_OK;
    rc = idn2_to_ascii_8z(*host, &ace, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK)
        rc = idn2_to_ascii_8z(*host, &ace, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK)
        return CA_URL;
    copy = curl_maprintf("%s", ace);
    idn2_free(ace);
    if (!copy)
        return CA_NOMEM;
    curl_free(*host);
    *host = copy;
    return CA_OK;
}

/* Normalise the parts of a parsed http(s) URL in place and fill u. */
static ca_status normalize_http(CURLU *h, ca_url *u, int has_frag, int *ret_converted)
{
    char *host = NULL, *query = NULL, *frag = NULL, *url = NULL, *scheme = NULL, *path = NULL;
    int lower = 1;
    ca_status st = CA_NOMEM;
    char *p;

    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
        st = CA_URL;
        goto fail;
    }
    /* A relative reference against an ftp: base resolves to ftp:. */
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        st = CA_UNSUPPORTED;
        goto fail;
    }
    for (p = host; *p; p++) {
        /* curl 7.88 percent-decodes hosts: "0%7f.1" would carry a DEL. */
        if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7F) {
            st = CA_URL;
            goto fail;
        }
        lower &= !(*p >= 'A' && *p <= 'Z') && (unsigned char)*p < 0x80;
    }
    st = to_punycode(&host);
    if (st != CA_OK)
        goto fail;
    *ret_converted = !lower;
    for (p = host; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (p = scheme; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!lower && curl_url_set(h, CURLUPART_HOST, host, 0) != CURLUE_OK) {
        st = CA_URL;
        goto fail;
    }
    if (curl_url_get(h, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
        int changed;
        char *kept = filter_query(query, &changed);

        if (changed && curl_url_set(h, CURLUPART_QUERY, kept, 0) != CURLUE_OK) {
            free(kept);
            st = CA_URL;
            goto fail;
        }
        free(kept);
    }
    if (has_frag && curl_url_get(h, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
        if (*frag && !(u->fragment = strdup(frag)))
            goto fail;
        curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
    }
    if (curl_url_get(h, CURLUPART_URL, &url, CURLU_NO_DEFAULT_PORT) != CURLUE_OK) {
        st = CA_URL;
        goto fail;
    }
    if (curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        st = CA_URL;
        goto fail;
    }
    u->url = strdup(url);
    u->host = strdup(host);
    u->scheme = strdup(scheme);
    u->path = strdup(path);
    if (!u->url || !u->host || !u->scheme || !u->path)
        goto fail;
    u->kind = CA_URL_HTTP;
    st = CA_OK;
fail:
    curl_free(scheme);
    curl_free(host);
    curl_free(query);
    curl_free(frag);
    curl_free(url);
    curl_free(path);
    return st;
}

/* Parse u->url once more and keep that reading (fragment kept). */
static ca_status renormalize(ca_url *u)
{
    CURLU *h = parse(u->url, NULL);
    ca_url again = {0};
    int converted = 0;
    ca_status st = h ? normalize_http(h, &again, 0, &converted) : CA_URL;

    curl_url_cleanup(h);
    if (st != CA_OK) {
        ca_url_release(&again);
        return st;
    }
    again.fragment = u->fragment;
    u->fragment = NULL;
    ca_url_release(u);
    *u = again;
    return CA_OK;
}

ca_status ca_url_normalize(const char *href, const char *base, ca_url *ret, ca_error *err)
{
    ca_url u = {0};
    char *clean = NULL;
    CURLU *h = NULL;
    size_t slen;
    int converted = 0;
    ca_status st;

    if (!href)
        return ca_error_set(err, CA_INVALID, "no URL given");
    clean = clean_href(href);
    if (!clean)
        return ca_error_set(err, CA_NOMEM, "out of memory normalising '%.200s'", href);
    slen = scheme_len(clean);
    if (slen && !(slen == 4 && strncasecmp(clean, "http", 4) == 0) &&
        !(slen == 5 && strncasecmp(clean, "https", 5) == 0)) {
        st = keep_as_written(&u, clean, slen, CA_URL_UNSUPPORTED);
        if (st != CA_OK)
            goto fail;
        *ret = u;
        return CA_OK;
    }
    h = parse(clean, slen ? NULL : base);
    st = h ? normalize_http(h, &u, strchr(clean, '#') != NULL, &converted) : CA_URL;
    if (st == CA_OK && converted) {
        /* A host that was not plain lowercase ASCII ("６", an IDN) can read
         * differently once parsed again ("6" is the address 0.0.0.6): take
         * the second reading, so that an identity normalises to itself. */
        st = renormalize(&u);
    }
    if (st == CA_UNSUPPORTED) {
        ca_url_release(&u);
        st = keep_as_written(&u, clean, slen, CA_URL_UNSUPPORTED);
        clean = NULL;
        if (st != CA_OK)
            goto fail;
    } else if (st == CA_URL) {
        /* Not an error of the call: the reference is kept, marked invalid. */
        ca_url_release(&u);
        st = keep_as_written(&u, clean, slen, CA_URL_INVALID);
        clean = NULL;
        if (st != CA_OK)
            goto fail;
    } else if (st != CA_OK) {
        goto fail;
    }
    free(clean);
    curl_url_cleanup(h);
    *ret = u;
    return CA_OK;
fail:
    curl_url_cleanup(h);
    if (u.url != clean)
        free(clean);
    ca_url_release(&u);
    return ca_error_set(err, CA_NOMEM, "out of memory normalising '%.200s'", href);
}

void ca_url_release(ca_url *u)
{
    if (!u)
        return;
    free(u->url);
    free(u->fragment);
    free(u->host);
    free(u->scheme);
    free(u->path);
    memset(u, 0, sizeof *u);
}
