/*
 * check_content.c - verdicts that a status code cannot give: soft-404s
 * (rule a: a redirect to the home page or an error address; rule b: a
 * page that reads as an error template; rule c, the probe, lives in
 * check_probe.c), parked and for-sale domains, bot-protection front ends
 * that refuse the checker rather than the link, and the fragments citations
 * point at. Also the shingle sketches the probe and drift compare pages
 * with.
 *
 * The template rules read the title, the first <h1> and the page's own text
 * (check_page.c) against the lists of src/lib/data/, compiled in. They are
 * built not to call a real article an error page: a title or heading
 * counts only when the error phrases make up most of one of its parts
 * ("Page not found | Site", not "Why 'page not found' errors hurt"), and
 * body text only on a short page and with phrases no article says.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"
#include "citeaudit/extract.h"
#include "citeaudit/source.h"
#include "strutil.h"

extern const char *const ca__soft404_titles[];
extern const size_t ca__soft404_titles_count;
extern const char *const ca__soft404_phrases[];
extern const size_t ca__soft404_phrases_count;
extern const char *const ca__parking_phrases[];
extern const size_t ca__parking_phrases_count;
extern const char *const ca__parking_hosts[];
extern const size_t ca__parking_hosts_count;

#define SHORT_PAGE CA__PAGE_SHORT
#define TINY_PAGE 300     /* a page this short that says "not found" says it all */

/* ---- bot protection ---- */

static int has_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;

    for (i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, needle, k))
            return 1;
    return 0;
}

unsigned ca__bot_header(const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len), *v;
    size_t nl, vl;
    unsigned f = 0;

    if (!colon)
        return 0;
    nl = (size_t)(colon - line);
    v = colon + 1;
    vl = len - nl - 1;
    while (vl && (*v == ' ' || *v == '\t'))
        v++, vl--;
    while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
        vl--;
#define NAME(s) (nl == sizeof(s) - 1 && !strncasecmp(line, s, nl))
#define PREFIX(s) (nl >= sizeof(s) - 1 && !strncasecmp(line, s, sizeof(s) - 1))
    if (NAME("server")) {
        if (has_ci(v, vl, "cloudflare"))
            f |= CA__BOT_CLOUDFLARE;
        if (has_ci(v, vl, "akamai"))
            f |= CA__BOT_AKAMAI;
        if (has_ci(v, vl, "sucuri") || has_ci(v, vl, "cloudproxy"))
            f |= CA__BOT_SUCURI;
        if (has_ci(v, vl, "datadome"))
            f |= CA__BOT_DATADOME;
        if (has_ci(v, vl, "incapsula") || has_ci(v, vl, "imperva"))
            f |= CA__BOT_IMPERVA;
        if (has_ci(v, vl, "ddos-guard") || has_ci(v, vl, "qrator") || has_ci(v, vl, "variti"))
            f |= CA__BOT_OTHER;
    } else if (NAME("cf-ray") || NAME("cf-cache-status")) {
        f |= CA__BOT_CLOUDFLARE;
    } else if (NAME("cf-mitigated") || NAME("cf-chl-bypass")) {
        f |= CA__BOT_CLOUDFLARE | CA__BOT_CHALLENGE;
    } else if (PREFIX("x-sucuri")) {
        f |= CA__BOT_SUCURI;
    } else if (NAME("x-iinfo") || (NAME("x-cdn") && (has_ci(v, vl, "incapsula") ||
                                                     has_ci(v, vl, "imperva")))) {
        f |= CA__BOT_IMPERVA;
    } else if (NAME("x-datadome") || NAME("x-dd-b") || NAME("x-datadome-cid")) {
        f |= CA__BOT_DATADOME;
    } else if (PREFIX("x-px")) {
        f |= CA__BOT_PERIMETERX;
    } else if (NAME("x-amzn-waf-action")) {
        f |= CA__BOT_AWSWAF;
        if (has_ci(v, vl, "captcha") || has_ci(v, vl, "challenge"))
            f |= CA__BOT_CHALLENGE;
    } else if (NAME("x-vercel-mitigated")) {
        f |= CA__BOT_OTHER | (has_ci(v, vl, "challenge") ? CA__BOT_CHALLENGE : 0);
    } else if (PREFIX("x-kpsdk")) {
        f |= CA__BOT_OTHER; /* Kasada */
    } else if (NAME("akamai-grn") || PREFIX("x-akamai")) {
        f |= CA__BOT_AKAMAI;
    } else if (NAME("set-cookie")) {
        if (!strncasecmp(v, "incap_ses_", 10) || !strncasecmp(v, "visid_incap_", 12))
            f |= CA__BOT_IMPERVA;
        else if (!strncasecmp(v, "datadome=", 9))
            f |= CA__BOT_DATADOME;
        else if (!strncasecmp(v, "_px3=", 5) || !strncasecmp(v, "_pxhd=", 6) ||
                 !strncasecmp(v, "_pxvid=", 7))
            f |= CA__BOT_PERIMETERX;
        else if (!strncasecmp(v, "__cf_bm=", 8) || !strncasecmp(v, "cf_clearance=", 13))
            f |= CA__BOT_CLOUDFLARE;
        else if (!strncasecmp(v, "ak_bmsc=", 8) || !strncasecmp(v, "bm_sz=", 6))
            f |= CA__BOT_AKAMAI;
        else if (!strncasecmp(v, "aws-waf-token=", 14))
            f |= CA__BOT_AWSWAF;
        else if (!strncasecmp(v, "__ddg", 5))
            f |= CA__BOT_OTHER;
    }
#undef NAME
#undef PREFIX
    return f;
}

/* What challenge and block pages of the known front ends say. */
static const char *const bot_markers[] = {
    "<title>just a moment...</title>", "attention required! | cloudflare",
    "cf-browser-verification", "/cdn-cgi/challenge-platform", "cf_chl_opt",
    "enable javascript and cookies to continue", "captcha-delivery.com", "px-captcha",
    "_incapsula_resource", "incapsula incident id", "sucuri website firewall",
    "errors.edgesuite.net", "ddos-guard", "checking your browser before accessing",
    "please enable js and disable any ad blocker", "awswafcookiedomain", "verify you are human",
    "are you a robot", NULL,
};

/* Does the start of body hold one of the challenge pages' markers? */
static int bot_marker(const char *body, size_t len)
{
    char low[16384];
    size_t i, n = len < sizeof low - 1 ? len : sizeof low - 1;

    if (!body)
        return 0;
    for (i = 0; i < n; i++)
        low[i] = body[i] ? (char)tolower((unsigned char)body[i]) : ' ';
    low[n] = '\0';
    for (i = 0; bot_markers[i]; i++)
        if (strstr(low, bot_markers[i]))
            return 1;
    return 0;
}

int ca__bot_rule(int code, unsigned flags, const char *body, size_t len)
{
    int marker;

    if (code == 999)
        return 1; /* LinkedIn's answer to anything but a browser */
    if (code >= 200 && code < 300)
        return (flags & CA__BOT_CHALLENGE) != 0; /* AWS WAF and Vercel challenge with 202 */
    if (code != 403 && code != 429 && code != 503)
        return 0;
    marker = bot_marker(body, len);
    if (code == 403)
        return flags != 0 || marker;
    if (code == 429)
        return marker || (flags & (CA__BOT_CHALLENGE | CA__BOT_DATADOME | CA__BOT_PERIMETERX |
                                   CA__BOT_IMPERVA | CA__BOT_AWSWAF));
    if (code == 503)
        return marker || (flags & (CA__BOT_CHALLENGE | CA__BOT_OTHER));
    return 0;
}

/* ---- rule (a): where a redirect ends ---- */

struct parts {
    char *host, *path, *query;
};

static int url_parts(const char *url, struct parts *p)
{
    CURLU *u = curl_url();
    int ok;

    memset(p, 0, sizeof *p);
    ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
         curl_url_get(u, CURLUPART_HOST, &p->host, 0) == CURLUE_OK &&
         curl_url_get(u, CURLUPART_PATH, &p->path, 0) == CURLUE_OK;
    if (ok)
        curl_url_get(u, CURLUPART_QUERY, &p->query, 0);
    curl_url_cleanup(u);
    return ok ? 0 : -1;
}

static void parts_free(struct parts *p)
{
    curl_free(p->host);
    curl_free(p->path);
    curl_free(p->query);
}

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i]))
            return 1;
    return 0;
}

/* ISO 639-1 codes that sites put first in their paths. */
static const char *const langs[] = {
    "en", "ru", "uk", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "ar", "zh", "ja",
    "ko", "he", "fa", "hi", "cs", "sk", "sv", "nb", "nn", "da", "fi", "el", "hu", "ro",
    "bg", "sr", "hr", "sl", "lt", "lv", "et", "ka", "hy", "az", "kk", "uz", "be", "id",
    "ms", "th", "vi", "ca", "eu", "gl", "ur", "bn", NULL};

/* "/", "/index.html", "/home", "/en/", "/pt-br": a site's front page. */
static int home_path(const struct parts *p)
{
    static const char *const homes[] = {"", "/", "/index.html", "/index.htm", "/index.php",
                                        "/index.asp", "/index.aspx", "/index.jsp",
                                        "/index.shtml", "/default.asp", "/default.aspx",
                                        "/home", "/home/", "/home.html", "/main", "/main/",
                                        NULL};
    const char *s = p->path ? p->path : "";
    size_t n = strlen(s), i;

    if (p->query && has_digit(p->query, strlen(p->query)))
        return 0; /* "/?p=123" is a page */
    for (i = 0; homes[i]; i++)
        if (!strcasecmp(s, homes[i]))
            return 1;
    /* a language's front page: /en, /ru/, /pt-br, /zh_cn/ */
    if (n && s[n - 1] == '/')
        n--;
    if ((n == 3 || (n == 6 && (s[3] == '-' || s[3] == '_') && isalpha((unsigned char)s[4]) &&
                    isalpha((unsigned char)s[5]))))
        for (i = 0; langs[i]; i++)
            if (!strncasecmp(s + 1, langs[i], 2))
                return 1;
    return 0;
}

/* A path segment (extension left out) that names an error page. */
static int error_segment(const char *seg, size_t n)
{
    static const char *const names[] = {
        "404", "410", "notfound", "not-found", "not_found", "pagenotfound", "page-not-found",
        "page_not_found", "404-page", "page-404", "error", "errors", "error404", "error-404",
        "error_404", "404error", "404-error", "err404", "nopage", "no-page", "pageerror",
        "page-error", "nicht-gefunden", "introuvable", "page-introuvable", "no-encontrada",
        "pagina-no-encontrada", "stranica-ne-najdena", "ne-najdeno", NULL};
    const char *dot = memchr(seg, '.', n);
    size_t k;

    if (dot)
        n = (size_t)(dot - seg);
    for (k = 0; names[k]; k++)
        if (strlen(names[k]) == n && !strncasecmp(seg, names[k], n))
            return 1;
    return 0;
}

static int error_path(const struct parts *p)
{
    const char *s = p->path ? p->path : "", *q = p->query;
    size_t n;

    while (*s) {
        s += strspn(s, "/");
        n = strcspn(s, "/");
        if (n && error_segment(s, n))
            return 1;
        s += n;
    }
    return q && (has_ci(q, strlen(q), "aspxerrorpath=") || has_ci(q, strlen(q), "error=404") ||
                 has_ci(q, strlen(q), "notfound") || has_ci(q, strlen(q), "status=404"));
}

/* Link shorteners and redirectors whose every address leads elsewhere. */
static int redirector(const char *host)
{
    static const char *const hosts[] = {
        "t.co", "bit.ly", "goo.gl", "ow.ly", "tinyurl.com", "buff.ly", "dlvr.it", "fb.me",
        "trib.al", "is.gd", "lnkd.in", "wp.me", "rebrand.ly", "cutt.ly", "shorturl.at",
        "tiny.cc", "t.ly", "rb.gy", "bitly.com", "amzn.to", "youtu.be", "redd.it", "j.mp",
        "ift.tt", "feedproxy.google.com", "news.google.com", "l.facebook.com", "t.me",
        "clck.ru", "vk.cc", "u.to", NULL};
    size_t i;

    for (i = 0; hosts[i]; i++)
        if (!strcasecmp(host, hosts[i]))
            return 1;
    return 0;
}

static int same_site(const char *a, const char *b)
{
    char *ka = ca_source_host_key(a), *kb = ca_source_host_key(b);
    int same = ka && kb && !strcmp(ka, kb);

    free(ka);
    free(kb);
    return same;
}

ca_reason ca__redirect_rule(const char *from, const char *to)
{
    struct parts f, t;
    ca_reason r = CA_REASON_NONE;

    if (!from || !to || !strcmp(from, to) || url_parts(from, &f) < 0)
        return r;
    if (url_parts(to, &t) < 0) {
        parts_free(&f);
        return r;
    }
    if (home_path(&t) && !home_path(&f) && (same_site(f.host, t.host) || !redirector(f.host)))
        r = CA_REASON_HOME_REDIRECT;
    else if (error_path(&t) && !error_path(&f))
        r = CA_REASON_ERROR_PATH;
    parts_free(&f);
    parts_free(&t);
    return r;
}

/* A hop through a parking service, or the cited domain's "wwNN." parking host. */
static int parking_hop(const char *from, const char *hop)
{
    struct parts f, h;
    char *key = NULL, *fkey = NULL;
    const char *dot;
    int hit = 0;
    size_t i;

    if (url_parts(from, &f) < 0)
        return 0;
    if (url_parts(hop, &h) < 0) {
        parts_free(&f);
        return 0;
    }
    key = ca_source_host_key(h.host);
    fkey = ca_source_host_key(f.host);
    if (key && fkey && strcmp(key, fkey) != 0)
        for (i = 0; i < ca__parking_hosts_count && !hit; i++)
            hit = !strcmp(key, ca__parking_hosts[i]);
    if (!hit && fkey && !strncasecmp(h.host, "ww", 2) && isdigit((unsigned char)h.host[2]) &&
        (dot = strchr(h.host, '.')) && has_digit(h.host + 2, (size_t)(dot - h.host - 2)) &&
        !strcasecmp(dot + 1, fkey) && strncasecmp(f.host, h.host, (size_t)(dot - h.host) + 1))
        hit = 1;
    free(key);
    free(fkey);
    parts_free(&f);
    parts_free(&h);
    return hit;
}

/* ---- rule (b): templates ---- */

static int word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* The phrases of a sorted list (gen-list.py sorts them: by code point, which
 * is UTF-8 byte order) that start with byte c: [*ret_lo, *ret_hi). */
static void first_byte(const char *const *list, size_t count, unsigned char c, size_t *ret_lo,
                       size_t *ret_hi)
{
    size_t a = 0, b = count, m;

    while (a < b) {
        m = a + (b - a) / 2;
        if ((unsigned char)list[m][0] < c)
            a = m + 1;
        else
            b = m;
    }
    *ret_lo = a;
    b = count;
    while (a < b) {
        m = a + (b - a) / 2;
        if ((unsigned char)list[m][0] <= c)
            a = m + 1;
        else
            b = m;
    }
    *ret_hi = a;
}

/*
 * Every phrase of list found in s[0..n) on word boundaries, in one pass over
 * s (the phrases starting with each byte found by bsearch): marked in cov
 * when given, the longest in *best. Returns 1 when one was found (at the
 * first when cov is NULL).
 */
static int scan_list(const char *s, size_t n, const char *const *list, size_t count,
                     unsigned char *cov, const char **best)
{
    size_t i, lo, hi, j, k;
    int any = 0;

    for (i = 0; i < n; i++) {
        if (i > 0 && word_byte((unsigned char)s[i - 1]) && word_byte((unsigned char)s[i]))
            continue; /* inside a word */
        first_byte(list, count, (unsigned char)s[i], &lo, &hi);
        for (j = lo; j < hi; j++) {
            const char *ph = list[j];

            k = strlen(ph);
            if (i + k > n || memcmp(s + i, ph, k) != 0 ||
                (i + k < n && word_byte((unsigned char)s[i + k]) &&
                 word_byte((unsigned char)ph[k - 1])))
                continue;
            any = 1;
            if (!*best || k > strlen(*best))
                *best = ph; /* the longest says the most */
            if (!cov)
                return 1;
            memset(cov + i, 1, k);
        }
    }
    return any;
}

/*
 * Do the phrases of lists cover at least min_pct of the letters and digits
 * of s[0..n)? Domain names (a dot between word characters) count as
 * covered when domains is set. *ret_phrase gets one phrase that matched.
 */
static int covered(const char *s, size_t n, const char *const *const lists[],
                   const size_t counts[], size_t nlists, int min_pct, int domains,
                   const char **ret_phrase)
{
    unsigned char cov[1024];
    size_t i, l, sig = 0, hit = 0;

    if (!n || n > sizeof cov)
        return 0;
    memset(cov, 0, n);
    for (l = 0; l < nlists; l++)
        scan_list(s, n, lists[l], counts[l], cov, ret_phrase);
    if (!*ret_phrase)
        return 0;
    if (domains)
        for (i = 0; i < n;) {
            size_t j = i;

            while (j < n && (word_byte((unsigned char)s[j]) || s[j] == '.' || s[j] == '-'))
                j++;
            if (j > i && memchr(s + i, '.', j - i) && s[j - 1] != '.')
                memset(cov + i, 1, j - i);
            i = j > i ? j : i + 1;
        }
    for (i = 0; i < n; i++)
        if (word_byte((unsigned char)s[i])) {
            sig++;
            hit += cov[i];
        }
    return sig && hit * 100 >= sig * (size_t)min_pct;
}

/* The length of a title separator at t[i] (" | ", " - ", "::", " · ", " • ",
 * " / "), 0 when none. */
static size_t title_sep(const char *t, size_t n, size_t i)
{
    static const char *const seps[] = {"|", " - ", "::", " \xC2\xB7 ", " \xE2\x80\xA2 ", " / ",
                                       NULL};
    size_t k, l;

    for (k = 0; seps[k]; k++) {
        l = strlen(seps[k]);
        if (i + l <= n && !memcmp(t + i, seps[k], l))
            return l;
    }
    return 0;
}

/* Each part of a title ("Page not found | Site - Section"): covered? */
static int title_parts(const char *t, size_t n, const char *const *const lists[],
                       const size_t counts[], size_t nlists, int min_pct, int domains,
                       const char **ret_phrase)
{
    size_t i = 0, start = 0, l;

    for (i = 0; i <= n; i++) {
        size_t a = start, b = i;

        l = i < n ? title_sep(t, n, i) : 1;
        if (!l)
            continue;
        while (a < b && t[a] == ' ')
            a++;
        while (b > a && t[b - 1] == ' ')
            b--;
        *ret_phrase = NULL;
        if (b > a && covered(t + a, b - a, lists, counts, nlists, min_pct, domains, ret_phrase))
            return 1;
        start = i + l;
        i = start - 1;
    }
    *ret_phrase = NULL;
    return 0;
}

static int any_phrase(const char *s, size_t n, const char *const *list, size_t count,
                      const char **ret_phrase)
{
    *ret_phrase = NULL;
    return scan_list(s, n, list, count, NULL, ret_phrase);
}

/*
 * The template rules on a scanned page: PARKED, ERROR_TEMPLATE or NONE;
 * *ret_where says which part matched ("title", "heading", "text") and
 * *ret_phrase the phrase.
 */
ca_reason ca__template_rule(struct page *p, const char **ret_where, const char **ret_phrase)
{
    const char *const *const err_lists[] = {ca__soft404_titles, ca__soft404_phrases};
    const size_t err_counts[] = {ca__soft404_titles_count, ca__soft404_phrases_count};
    const char *const *const park_lists[] = {ca__parking_phrases};
    const size_t park_counts[] = {ca__parking_phrases_count};
    const char *t = p->title.data ? p->title.data : "", *h = p->h1.data ? p->h1.data : "";
    int short_page = p->text_total <= SHORT_PAGE;
    const char *x = short_page ? ca__page_text(p) : ""; /* a long page's text is not read */

#define TRY(where, cond, reason)                                               \
    do {                                                                       \
        *ret_phrase = NULL;                                                    \
        *ret_where = where;                                                    \
        if (cond)                                                              \
            return reason;                                                     \
    } while (0)
    TRY("title", title_parts(t, p->title.len, park_lists, park_counts, 1, 50, 1, ret_phrase),
        CA_REASON_PARKED);
    TRY("heading", covered(h, p->h1.len, park_lists, park_counts, 1, 50, 1, ret_phrase),
        CA_REASON_PARKED);
    TRY("text", short_page && any_phrase(x, p->text.len, ca__parking_phrases,
                                         ca__parking_phrases_count, ret_phrase),
        CA_REASON_PARKED);
    TRY("title", title_parts(t, p->title.len, err_lists, err_counts, 2, 60, 0, ret_phrase),
        CA_REASON_ERROR_TEMPLATE);
    TRY("heading", covered(h, p->h1.len, err_lists, err_counts, 2, 60, 0, ret_phrase),
        CA_REASON_ERROR_TEMPLATE);
    TRY("text", short_page && any_phrase(x, p->text.len, ca__soft404_phrases,
                                         ca__soft404_phrases_count, ret_phrase),
        CA_REASON_ERROR_TEMPLATE);
    TRY("text", p->text_total <= TINY_PAGE &&
                    covered(x, p->text.len, err_lists, err_counts, 2, 60, 0, ret_phrase),
        CA_REASON_ERROR_TEMPLATE);
#undef TRY
    *ret_phrase = NULL;
    return CA_REASON_NONE;
}

/* ---- fragments ---- */

/* "L10", "L10-L20", "L10-20": code line anchors, made by scripts on most hosts. */
static int line_anchor(const char *f)
{
    if (*f++ != 'L' || !isdigit((unsigned char)*f))
        return 0;
    while (isdigit((unsigned char)*f))
        f++;
    if (*f == '-') {
        f += 1 + (f[1] == 'L');
        if (!isdigit((unsigned char)*f))
            return 0;
        while (isdigit((unsigned char)*f))
            f++;
    }
    return !*f;
}

/* A fragment only a page's scripts give meaning to: "#/route", "#!/x",
 * "#t=30", "#access_token=...", code line anchors. */
static int client_side_fragment(const char *f)
{
    return f[0] == '/' || f[0] == '!' || line_anchor(f) ||
           (strchr(f, '=') && !strstr(f, ":~:"));
}

/* The page is built by its scripts: a mount point, or many scripts and few ids. */
static int script_built(const struct page *p, size_t len)
{
    return p->app_root || (p->nids < 5 && p->nscripts >= 5) ||
           (len && p->script_bytes * 2 > len && p->text_total < 2000);
}

/* Every text directive of a fragment's directive part matches? -1 malformed. */
static int text_directives(const char *dir, const struct page *p)
{
    const char *s = dir;
    int any = 0, rc;

    while (*s) {
        size_t n = strcspn(s, "&");

        if (n > 5 && !strncmp(s, "text=", 5)) {
            char *d = ca__strndup(s + 5, n - 5);

            if (!d)
                return -1;
            rc = ca__text_directive_match(d, p->all.data ? p->all.data : "", p->all.len);
            free(d);
            if (rc <= 0)
                return rc;
            any = 1;
        }
        s += n + (s[n] == '&');
    }
    return any ? 1 : -1;
}

/* Decide every fragment of e on the scanned page (the element parts were
 * matched by the scan into scan[]). */
static void judge_fragments(struct item_ext *e, const struct frag *scan, const struct page *p,
                            size_t len, int truncated)
{
    size_t k;

    for (k = 0; k < e->nfrags; k++) {
        struct frag *f = &e->frags[k];
        const char *dir = strstr(f->s, ":~:");
        int elem_ok = scan[k].state == CA_FRAGMENT_FOUND || !scan[k].s[0] ||
                      !strcasecmp(scan[k].s, "top");
        int text_ok = 1;

        if (dir)
            text_ok = text_directives(dir + 3, p);
        if (!dir && client_side_fragment(f->s) && !elem_ok)
            f->state = CA_FRAGMENT_CLIENT_SIDE;
        else if (elem_ok && text_ok > 0)
            f->state = CA_FRAGMENT_FOUND;
        else if (text_ok < 0 && elem_ok)
            f->state = CA_FRAGMENT_FOUND; /* a directive we do not know: ignored, as browsers do */
        else if (truncated)
            f->state = CA_FRAGMENT_UNVERIFIED;
        else if (script_built(p, len))
            f->state = CA_FRAGMENT_CLIENT_SIDE;
        else
            f->state = CA_FRAGMENT_MISSING;
        if (f->state == CA_FRAGMENT_MISSING)
            e->frag_missing = 1;
    }
}

/* ---- what rule (c) cannot judge ---- */

/* Words of pages that stand in front of the content: a notice that the page
 * needs JavaScript, a login or consent wall, a paywall. Such a page is the
 * same for every address of its site, so a random sibling that looks the
 * same says nothing. */
static const char *const walls[] = {
    "javascript", "log in", "login", "sign in", "sign up", "cookie", "consent", "captcha",
    "subscribe to", "subscribers only", "войти", "вход", "авторизац", "увійти", "anmelden",
    "einloggen", "se connecter", "connexion", "iniciar sesión", "inicia sesión", NULL};

/* The cited page is a script-built shell or a wall in front of the content:
 * rule (c) would compare walls, not pages. */
static int shell_or_wall(struct page *p, size_t len)
{
    const char *x;
    size_t i;

    if (p->app_root || (len && p->script_bytes * 2 > len && p->text_total < 2000))
        return 1;
    if (p->text_total > SHORT_PAGE)
        return 0;
    x = ca__page_text(p);
    for (i = 0; walls[i]; i++)
        if (strstr(x, walls[i]) || (p->title.data && strstr(p->title.data, walls[i])))
            return 1;
    return 0;
}

/* ---- the verdict ---- */

static void set_verdict(struct item *it, ca_class cls, ca_reason r)
{
    it->res.cls = cls;
    it->res.reason = r;
}

/* A redirect chain through a parking service (rule (a), the home page and
 * error addresses, is ca_checker_classify's). */
static int parking_chain(struct item *it, const char *from, const char *cur)
{
    unsigned i;

    for (i = 1; i <= it->res.nchain; i++) {
        const char *hop = i < it->res.nchain ? it->res.chain[i].url : cur;

        if (parking_hop(from, hop)) {
            set_verdict(it, CA_CLASS_DEAD, CA_REASON_PARKED);
            ca__item_set_error(it, "the domain is parked: redirected to %s", hop);
            return 1;
        }
    }
    return 0;
}

/* The fragments' element parts, for the scan to look for. */
static struct frag *scan_frags(const struct item_ext *e, int *want_text)
{
    struct frag *v = calloc(e && e->nfrags ? e->nfrags : 1, sizeof *v);
    size_t k;

    *want_text = 0;
    for (k = 0; v && e && k < e->nfrags; k++) {
        const char *dir = strstr(e->frags[k].s, ":~:");

        v[k].s = dir ? ca__strndup(e->frags[k].s, (size_t)(dir - e->frags[k].s))
                     : strdup(e->frags[k].s);
        if (!v[k].s) {
            while (k--)
                free(v[k].s);
            free(v);
            return NULL;
        }
        *want_text |= dir != NULL;
    }
    return v;
}

static void free_frags(struct frag *v, size_t n)
{
    for (size_t k = 0; v && k < n; k++)
        free(v[k].s);
    free(v);
}

/* The live page's main-text sketch, for drift (ext->sketch). */
static void keep_sketch(struct item *it, const char *body, size_t len)
{
    struct item_ext *e = it->ext;

    free(e->sketch);
    e->sketch = NULL;
    e->nsketch = 0;
    if (ca__main_sketch(it->target ? it->target : it->url, body, len, &e->sketch,
                        &e->nsketch) < 0)
        e->nsketch = 0;
}

enum step ca__content_verdict(ca_checker *chk, struct xfer *x, struct item *it, const char *cur)
{
    const char *from = it->target ? it->target : it->url;
    struct item_ext *e = it->ext;
    size_t nfr = e && chk->o.fragments ? e->nfrags : 0;
    const char *body = x->body.data, *where, *phrase;
    size_t len = x->body.len;
    struct frag *sf = NULL;
    struct page p;
    int want_text = 0, decided = 0, shell = 0;
    ca_reason r;

    if (it->res.nchain && parking_chain(it, from, cur))
        return ca__after_verdict(chk, it);
    if (!x->keep_cap || !body || (!(it->flags & IT_CONTENT) && !nfr))
        return ca__after_verdict(chk, it);
    sf = nfr ? scan_frags(e, &want_text) : NULL;
    if ((nfr && !sf) || ca__page_scan(body, len, sf, nfr, want_text, &p) < 0) {
        free_frags(sf, nfr);
        return ca__after_verdict(chk, it); /* out of memory: the status stands */
    }
    if (it->flags & IT_CONTENT) {
        r = ca__template_rule(&p, &where, &phrase);
        if (r == CA_REASON_PARKED) {
            set_verdict(it, CA_CLASS_DEAD, r);
            ca__item_set_error(it, "the domain is parked: its %s says \"%s\"", where, phrase);
        } else if (r == CA_REASON_ERROR_TEMPLATE) {
            set_verdict(it, CA_CLASS_SOFT404, r);
            ca__item_set_error(it, "a not-found page: its %s says \"%s\"", where, phrase);
        }
        decided = r != CA_REASON_NONE;
    }
    if (nfr && !decided)
        judge_fragments(e, sf, &p, len, x->capped);
    shell = !decided && (it->flags & IT_CONTENT) && chk->o.probe && shell_or_wall(&p, len);
    ca__page_release(&p);
    free_frags(sf, nfr);
    if (decided)
        return ca__after_verdict(chk, it);
    if (e && e->wants_drift && chk->o.archive && chk->o.drift && e->cited_at)
        keep_sketch(it, body, len);
    if ((it->flags & IT_CONTENT) && chk->o.probe && !shell &&
        ca__probe_need(chk, it, cur, body, len) == STEP_WAIT)
        return STEP_WAIT;
    return ca__after_verdict(chk, it);
}
