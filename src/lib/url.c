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
 *
 * A reference that starts with a single '/' keeps only the base's scheme
 * and authority (RFC 3986 5.2.2). curl 7.88 resolves one (concat_url() in
 * lib/urlapi.c) by printing the whole base, cutting the print after the
 * authority, appending the reference (spaces and non-ASCII bytes encoded)
 * and parsing the result. The cut print is the same for every link of the
 * base, so it is kept: prefix. When neither the base's host nor the
 * reference needs encoding (plain), prefix and the reference are handed to
 * curl_url_set() to parse, the very string curl would have made; otherwise
 * curl resolves the reference against origin, the base without path, query
 * and fragment, which is shorter to print.
 */
static struct {
    pthread_mutex_t lock;
    char *base;
    CURLU *h;
    CURLU *origin;
    int plain;    /* the host prints alike with CURLU_URLENCODE and without */
    char *prefix; /* origin printed and cut as concat_url() cuts it, or NULL */
} base_cache = {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, NULL, 0, NULL};

void ca__url_cleanup(void)
{
    pthread_mutex_lock(&base_cache.lock);
    free(base_cache.base);
    free(base_cache.prefix);
    curl_url_cleanup(base_cache.h);
    curl_url_cleanup(base_cache.origin);
    base_cache.base = NULL;
    base_cache.prefix = NULL;
    base_cache.h = NULL;
    base_cache.origin = NULL;
    pthread_mutex_unlock(&base_cache.lock);
}

/* Nonzero when no byte of s is one CURLU_URLENCODE or concat_url() would
 * encode (a space or a byte of a multibyte character; urlencode_str()). */
static int plain_ascii(const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || (unsigned char)*s >= 0x80)
            return 0;
    }
    return 1;
}

/* Nonzero when curl prints host alike with CURLU_URLENCODE and without:
 * an IPv6 literal, or a name of unreserved characters (curl_easy_escape()
 * leaves those as they are). */
static int plain_host(CURLU *h)
{
    char *host = NULL;
    const char *p;
    int plain = 0;

    if (curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        plain = 1;
        for (p = host; host[0] != '[' && *p && plain; p++)
            plain = isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '_' ||
                    *p == '~';
    }
    curl_free(host);
    return plain;
}

/*
 * The print of origin that curl 7.88 resolves a reference from the root
 * against: curl_url_get(URL) with the flags of the resolving call, cut at
 * the first '/' or '?' after the "//" (concat_url()). NULL if none.
 */
static char *origin_prefix(CURLU *origin, unsigned flags)
{
    char *url = NULL, *out = NULL, *auth, *slash, *query;

    if (curl_url_get(origin, CURLUPART_URL, &url, flags) == CURLUE_OK &&
        (auth = strstr(url, "//")) != NULL) {
        auth += 2;
        slash = strchr(auth, '/');
        query = strchr(auth, '?');
        if (slash && query && query < slash)
            slash = query;
        if (slash)
            out = ca__strndup(url, (size_t)(slash - url));
    }
    curl_free(url);
    return out;
}

/* Parse base into the cache (the lock held); 0 when it does not parse. */
static int cache_base(const char *base, unsigned flags)
{
    CURLU *nh = curl_url(), *origin = NULL;
    char *nb = strdup(base);

    if (!nh || !nb || curl_url_set(nh, CURLUPART_URL, base, flags) != CURLUE_OK ||
        !(origin = curl_url_dup(nh)) || curl_url_set(origin, CURLUPART_PATH, NULL, 0) ||
        curl_url_set(origin, CURLUPART_QUERY, NULL, 0) ||
        curl_url_set(origin, CURLUPART_FRAGMENT, NULL, 0)) {
        free(nb);
        curl_url_cleanup(nh);
        curl_url_cleanup(origin);
        return 0;
    }
    free(base_cache.base);
    free(base_cache.prefix);
    curl_url_cleanup(base_cache.h);
    curl_url_cleanup(base_cache.origin);
    base_cache.base = nb;
    base_cache.h = nh;
    base_cache.origin = origin;
    base_cache.plain = plain_host(nh);
    base_cache.prefix =
        base_cache.plain ? origin_prefix(origin, flags & ~(unsigned)CURLU_URLENCODE) : NULL;
    return 1;
}

/*
 * A handle for resolving href against base: a copy of the cached base (of
 * its origin alone when href starts with a single '/'), or a new empty
 * handle when base is empty or does not parse. *ret_plain as
 * base_cache.plain (1 for an empty handle). *ret_joined: for a plain
 * reference from the root, the string curl would make of base and href
 * (malloc'd), and the handle is a new empty one to parse it into.
 */
static CURLU *base_handle(const char *base, unsigned flags, const char *href, int *ret_plain,
                          char **ret_joined)
{
    int rooted = href[0] == '/' && href[1] != '/';
    CURLU *h = NULL;

    *ret_plain = 1;
    *ret_joined = NULL;
    if (!base || !*base)
        return curl_url();
    pthread_mutex_lock(&base_cache.lock);
    if ((base_cache.base && strcmp(base_cache.base, base) == 0) || cache_base(base, flags)) {
        *ret_plain = base_cache.plain;
        if (rooted && base_cache.prefix && plain_ascii(href)) {
            size_t n = strlen(base_cache.prefix), m = strlen(href);

            *ret_joined = malloc(n + m + 1);
            if (*ret_joined) {
                memcpy(*ret_joined, base_cache.prefix, n);
                memcpy(*ret_joined + n, href, m + 1);
                h = curl_url();
            }
        } else {
            h = curl_url_dup(rooted ? base_cache.origin : base_cache.h);
        }
    } else {
        h = curl_url();
    }
    pthread_mutex_unlock(&base_cache.lock);
    return h;
}

/*
 * Parse href (absolute, or relative to base) into a new curl handle.
 * CURLU_URLENCODE encodes spaces and non-ASCII bytes; when neither the
 * reference nor the base's host has any, it would copy every byte unchanged
 * through curl's byte-at-a-time encoder, so it is left out.
 */
static CURLU *parse(const char *href, const char *base)
{
    unsigned flags = CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE | CURLU_ALLOW_SPACE;
    int plain;
    char *joined;
    CURLU *h = base_handle(base, flags, href, &plain, &joined);

    if (!h) {
        free(joined);
        return NULL;
    }
    if (plain && plain_ascii(href))
        flags &= ~(unsigned)CURLU_URLENCODE;
    if (joined) {
        CURLUcode rc = curl_url_set(h, CURLUPART_URL, joined, flags);

        free(joined);
        if (rc == CURLUE_OK)
            return h;
    } else if (base && *base && (href[0] == '\0' || href[0] == '#')) {
        /* curl 7.88 resolves "" and "#frag" against the base's directory,
         * not the base itself as RFC 3986 5.2.2 says; both name the base
         * document. */
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

/* A part of h, or NULL when h has none (or memory ran out). */
static char *get_part(CURLU *h, CURLUPart what, unsigned flags)
{
    char *part = NULL;

    if (curl_url_get(h, what, &part, flags) != CURLUE_OK) {
        curl_free(part);
        return NULL;
    }
    return part;
}

/* Append s to out at *n (the caller sized out). */
static void put(char *out, size_t *n, const char *s)
{
    size_t len = strlen(s);

    memcpy(out + *n, s, len);
    *n += len;
}

/*
 * The URL of the parts curl parsed, joined the way curl_url_get(CURLUPART_URL,
 * CURLU_NO_DEFAULT_PORT) joins them for http(s) (curl 7.88 lib/urlapi.c):
 * scheme "://" [user [":" password] "@"] host [":" port] ["/"] path
 * ["?" query] ["#" fragment], an IPv6 zone as "%25zone" inside the brackets
 * and a '%' of another host as "%25". Nothing is parsed here, only parts
 * that curl parsed put together: curl puts them together with its printf,
 * byte by byte, which cost more per link than parsing the link did.
 */
static char *join_url(CURLU *h, const char *scheme, const char *host, const char *path,
                      const char *query, const char *frag)
{
    char *user = get_part(h, CURLUPART_USER, 0), *pass = get_part(h, CURLUPART_PASSWORD, 0);
    char *port = get_part(h, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
    char *zone = host[0] == '[' ? get_part(h, CURLUPART_ZONEID, 0) : NULL;
    size_t cap = strlen(scheme) + 3 + 3 * strlen(host) + strlen(path) + 16, n = 0;
    const char *p;
    char *out;

    cap += (user ? strlen(user) : 0) + (pass ? strlen(pass) : 0) + (port ? strlen(port) : 0);
    cap += (zone ? strlen(zone) : 0) + (query ? strlen(query) : 0) + (frag ? strlen(frag) : 0);
    out = malloc(cap);
    if (!out)
        goto done;
    put(out, &n, scheme);
    put(out, &n, "://");
    if (user)
        put(out, &n, user);
    if (pass) {
        put(out, &n, ":");
        put(out, &n, pass);
    }
    if (user || pass)
        put(out, &n, "@");
    if (zone) {
        memcpy(out + n, host, strlen(host) - 1);
        n += strlen(host) - 1;
        put(out, &n, "%25");
        put(out, &n, zone);
        put(out, &n, "]");
    } else if (host[0] == '[') {
        put(out, &n, host);
    } else {
        for (p = host; *p; p++) {
            if (*p == '%')
                put(out, &n, "%25");
            else
                out[n++] = *p;
        }
    }
    if (port) {
        put(out, &n, ":");
        put(out, &n, port);
    }
    if (path[0] != '/')
        put(out, &n, "/");
    put(out, &n, path);
    if (query && query[0]) {
        put(out, &n, "?");
        put(out, &n, query);
    }
    if (frag) {
        put(out, &n, "#");
        put(out, &n, frag);
    }
    out[n] = '\0';
done:
    curl_free(user);
    curl_free(pass);
    curl_free(port);
    curl_free(zone);
    return out;
}

/* Replace *part with h's current value of what (NULL when it has none). */
static ca_status reget(CURLU *h, CURLUPart what, char **part)
{
    CURLUcode rc;

    curl_free(*part);
    *part = NULL;
    rc = curl_url_get(h, what, part, 0);
    return rc == CURLUE_OUT_OF_MEMORY ? CA_NOMEM : CA_OK;
}

/*
 * Normalise the parts of a parsed http(s) URL and fill u. A part that
 * changes is set back into h and read again, so that what is joined is what
 * curl holds (curl_url_set() lowercases percent-encodings, checks hosts).
 */
static ca_status normalize_http(CURLU *h, ca_url *u, int has_frag, int *ret_converted)
{
    char *host = NULL, *query = NULL, *frag = NULL, *scheme = NULL, *path = NULL;
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
    for (p = scheme; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (p = host; *p; p++) {
        /* curl 7.88 percent-decodes hosts: "0%7f.1" would carry a DEL. */
        if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7F) {
            st = CA_URL;
            goto fail;
        }
        lower &= !(*p >= 'A' && *p <= 'Z') && (unsigned char)*p < 0x80;
    }
    /* Plain lowercase ASCII, as nearly every host is: nothing to convert. */
    if (!lower) {
        st = to_punycode(&host);
        if (st != CA_OK)
            goto fail;
        for (p = host; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (curl_url_set(h, CURLUPART_HOST, host, 0) != CURLUE_OK) {
            st = CA_URL;
            goto fail;
        }
        st = reget(h, CURLUPART_HOST, &host);
        if (st != CA_OK || !host) {
            st = st != CA_OK ? st : CA_URL;
            goto fail;
        }
        *ret_converted = 1;
    }
    st = CA_NOMEM;
    if (curl_url_get(h, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
        int changed;
        char *kept = filter_query(query, &changed);

        if (changed && curl_url_set(h, CURLUPART_QUERY, kept, 0) != CURLUE_OK) {
            free(kept);
            st = CA_URL;
            goto fail;
        }
        free(kept);
        if (changed && reget(h, CURLUPART_QUERY, &query) != CA_OK)
            goto fail;
    }
    /* The reference's fragment is kept apart. One that came with the base
     * (a base whose fragment holds a '/') stays in the URL, as curl has it. */
    if (curl_url_get(h, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK && has_frag) {
        if (*frag && !(u->fragment = strdup(frag)))
            goto fail;
        curl_free(frag);
        frag = NULL;
    }
    if (curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        st = CA_URL;
        goto fail;
    }
    u->url = join_url(h, scheme, host, path, query, frag);
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
