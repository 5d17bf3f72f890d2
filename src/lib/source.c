/*
 * source.c - source keys: who a URL belongs to.
 *
 * A registrable domain (libpsl) names a site. On platforms that host many
 * independent publishers the domain says nothing useful (every Telegram
 * channel is t.me), so there the account is the key. The platform table
 * below is the documented list; README.md repeats it for users.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libpsl.h>

#include "citeaudit/buf.h"
#include "citeaudit/source.h"
#include "extract_int.h"
#include "strutil.h"

/*
 * How the account is found in the path of a platform URL:
 *   ACCOUNT_FIRST   the first segment is the account (t.me/NAME)
 *   ACCOUNT_AT      the first segment starts with '@' (youtube.com/@NAME)
 *   ACCOUNT_AFTER   the segment after `lead` is the account; the key keeps
 *                   the lead (youtube.com/channel/ID)
 *   ACCOUNT_VIEW    `lead` is only a view of the account named after it and
 *                   is dropped from the key (t.me/s/NAME is t.me/NAME)
 */
enum account_rule { ACCOUNT_FIRST, ACCOUNT_AT, ACCOUNT_AFTER, ACCOUNT_VIEW };

struct platform {
    const char *domain; /* registrable domain the rule applies to */
    const char *key;    /* key prefix: shared by aliases (twitter.com -> x.com) */
    enum account_rule rule;
    const char *lead;   /* for ACCOUNT_AFTER and ACCOUNT_VIEW */
};

static const struct platform platforms[] = {
    {"t.me", "t.me", ACCOUNT_VIEW, "s"},
    {"t.me", "t.me", ACCOUNT_FIRST, NULL},
    {"telegram.me", "t.me", ACCOUNT_FIRST, NULL},
    {"x.com", "x.com", ACCOUNT_FIRST, NULL},
    {"twitter.com", "x.com", ACCOUNT_FIRST, NULL},
    {"facebook.com", "facebook.com", ACCOUNT_AFTER, "groups"},
    {"facebook.com", "facebook.com", ACCOUNT_VIEW, "pages"},
    {"facebook.com", "facebook.com", ACCOUNT_FIRST, NULL},
    {"fb.com", "facebook.com", ACCOUNT_FIRST, NULL},
    {"instagram.com", "instagram.com", ACCOUNT_VIEW, "stories"},
    {"instagram.com", "instagram.com", ACCOUNT_FIRST, NULL},
    {"youtube.com", "youtube.com", ACCOUNT_AT, NULL},
    {"youtube.com", "youtube.com", ACCOUNT_AFTER, "channel"},
    {"youtube.com", "youtube.com", ACCOUNT_AFTER, "c"},
    {"youtube.com", "youtube.com", ACCOUNT_AFTER, "user"},
    {"tiktok.com", "tiktok.com", ACCOUNT_AT, NULL},
    {"github.com", "github.com", ACCOUNT_AFTER, "orgs"},
    {"github.com", "github.com", ACCOUNT_FIRST, NULL},
    {"vk.com", "vk.com", ACCOUNT_FIRST, NULL},
    {"linkedin.com", "linkedin.com", ACCOUNT_AFTER, "in"},
    {"linkedin.com", "linkedin.com", ACCOUNT_AFTER, "company"},
    {"threads.net", "threads.net", ACCOUNT_AT, NULL},
    {"bsky.app", "bsky.app", ACCOUNT_VIEW, "profile"},
    {"reddit.com", "reddit.com", ACCOUNT_AFTER, "r"},
    {"reddit.com", "reddit.com", ACCOUNT_AFTER, "user"},
    {"medium.com", "medium.com", ACCOUNT_AT, NULL},
    {"rumble.com", "rumble.com", ACCOUNT_AFTER, "c"},
    {"ok.ru", "ok.ru", ACCOUNT_FIRST, NULL},
};

/*
 * First path segments that are site features, not accounts
 * (x.com/intent/..., facebook.com/sharer.php, github.com/features).
 */
static const char *const reserved[] = {
    "about", "explore", "features", "hashtag", "help", "home", "i", "intent",
    "joinchat", "login", "p", "people", "plugins", "policies", "privacy", "reel",
    "reels", "search", "settings", "share", "share.php", "sharer", "sharer.php",
    "dialog", "signup", "terms", "topics", "tv", "watch", "embed", "shorts",
    "results", "feed", "playlist", "marketplace", "events", "notifications",
    "messages", "sponsors", "pricing", "enterprise", "contact", "legal",
    "tos", "download", "apps", "developers", "status", "profile.php",
    "story.php", "permalink.php", "photo.php", "video.php", "l.php", "tr",
    "addlist", "proxy", "web", "z", "k", "a", "c", "+", "user", "channel",
    "orgs", "groups", "pages", "stories", "s", "in", "company", "r",
};

static psl_ctx_t *psl;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

static void psl_init(void)
{
    /* The system list (package publicsuffix) is newer than the built-in. */
    psl = (psl_ctx_t *)psl_latest(NULL);
    if (!psl)
        psl = (psl_ctx_t *)psl_builtin();
}

static int is_reserved(const char *seg, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        if (strlen(reserved[i]) == n && strncasecmp(reserved[i], seg, n) == 0)
            return 1;
    }
    return 0;
}

/* The registrable domain of a lowercase host, or the host itself. */
static char *host_key(const char *host)
{
    const char *rd;
    unsigned char addr[16];
    char v6[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);

    /* Addresses have no registrable domain: the address is the key. */
    if (inet_pton(AF_INET, host, addr) == 1)
        return strdup(host);
    if (n > 2 && n < sizeof v6 && host[0] == '[' && host[n - 1] == ']') {
        memcpy(v6, host + 1, n - 2);
        v6[n - 2] = '\0';
        if (inet_pton(AF_INET6, v6, addr) == 1)
            return strdup(host);
    }

    pthread_once(&psl_once, psl_init);
    if (!psl)
        return strdup(host);
    rd = psl_registrable_domain(psl, host);
    return strdup(rd ? rd : host);
}

char *ca_source_host_key(const char *host)
{
    char *lower, *p, *key;
    size_t n;

    if (!host || !*host)
        return NULL;
    lower = strdup(host);
    if (!lower)
        return NULL;
    for (p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    n = strlen(lower);
    if (n && lower[n - 1] == '.')
        lower[n - 1] = '\0';
    key = host_key(lower);
    free(lower);
    return key;
}

int ca_source_is_account(const char *key)
{
    return key && strchr(key, '/') != NULL;
}

/* Split path into up to 2 non-empty segments; returns how many were found. */
static int path_segments(const char *path, const char *seg[2], size_t len[2])
{
    int n = 0;
    const char *p = path;

    while (*p && n < 2) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        seg[n] = p;
        while (*p && *p != '/')
            p++;
        len[n] = (size_t)(p - seg[n]);
        n++;
    }
    return n;
}

/* Build "prefix/lead/account" (lead may be NULL) in lowercase. */
static char *account_key(const char *prefix, const char *lead, size_t llen, const char *acct,
                         size_t alen)
{
    ca_buf b;
    size_t i;

    ca_buf_init(&b, 1024);
    ca_buf_puts(&b, prefix);
    ca_buf_putc(&b, '/');
    if (lead) {
        ca_buf_append(&b, lead, llen);
        ca_buf_putc(&b, '/');
    }
    if (ca_buf_append(&b, acct, alen) != CA_OK) {
        ca_buf_release(&b);
        return NULL;
    }
    for (i = 0; i < b.len; i++)
        b.data[i] = (char)tolower((unsigned char)b.data[i]);
    return ca_buf_steal(&b);
}

/* Apply the platform table; NULL when no rule names an account. */
static char *platform_key(const char *domain, const char *path)
{
    const char *seg[2] = {0};
    size_t len[2] = {0}, i;
    int n = path_segments(path, seg, len);

    for (i = 0; i < sizeof platforms / sizeof platforms[0]; i++) {
        const struct platform *pl = &platforms[i];

        if (strcmp(pl->domain, domain) != 0 || n == 0)
            continue;
        switch (pl->rule) {
        case ACCOUNT_FIRST:
            if (seg[0][0] != '@' && !is_reserved(seg[0], len[0]))
                return account_key(pl->key, NULL, 0, seg[0], len[0]);
            break;
        case ACCOUNT_AT:
            if (seg[0][0] == '@' && len[0] > 1)
                return account_key(pl->key, NULL, 0, seg[0], len[0]);
            break;
        case ACCOUNT_AFTER:
        case ACCOUNT_VIEW:
            if (n == 2 && strlen(pl->lead) == len[0] &&
                strncasecmp(pl->lead, seg[0], len[0]) == 0) {
                if (pl->rule == ACCOUNT_VIEW)
                    return account_key(pl->key, NULL, 0, seg[1], len[1]);
                return account_key(pl->key, seg[0], len[0], seg[1], len[1]);
            }
            break;
        }
    }
    return NULL;
}

/* Platform aliases whose plain domain key should match their main domain. */
static const char *domain_alias(const char *domain)
{
    if (strcmp(domain, "twitter.com") == 0)
        return "x.com";
    if (strcmp(domain, "telegram.me") == 0)
        return "t.me";
    if (strcmp(domain, "youtu.be") == 0 || strcmp(domain, "fb.com") == 0)
        return strcmp(domain, "fb.com") == 0 ? "facebook.com" : "youtube.com";
    return domain;
}

/* Nonzero when some platform rule applies to domain (an alias resolved). */
static int is_platform(const char *domain)
{
    size_t i;

    for (i = 0; i < sizeof platforms / sizeof platforms[0]; i++) {
        if (strcmp(platforms[i].domain, domain) == 0)
            return 1;
    }
    return 0;
}

/*
 * Domain keys of recent hosts (the registrable domain, platform aliases
 * resolved) and whether a platform rule applies: the links of a page name
 * few hosts many times, and the Public Suffix lookup is the costly part of a
 * key.
 */
#define HOST_CACHE 256

static struct {
    pthread_mutex_t lock;
    char *host[HOST_CACHE];
    char *key[HOST_CACHE];
    int platform[HOST_CACHE];
} host_cache = {PTHREAD_MUTEX_INITIALIZER, {0}, {0}, {0}};

static unsigned host_hash(const char *s)
{
    return ca__hash_str(s) % HOST_CACHE;
}

/* The domain key of host through the cache, and whether a platform rule
 * applies to it. Caller frees. */
static char *cached_host_key(const char *host, int *ret_platform)
{
    unsigned slot = host_hash(host);
    char *key = NULL, *domain;

    pthread_mutex_lock(&host_cache.lock);
    if (host_cache.host[slot] && strcmp(host_cache.host[slot], host) == 0) {
        key = strdup(host_cache.key[slot]);
        *ret_platform = host_cache.platform[slot];
    }
    pthread_mutex_unlock(&host_cache.lock);
    if (key)
        return key;
    domain = ca_source_host_key(host);
    if (!domain)
        return NULL;
    key = strdup(domain_alias(domain));
    free(domain);
    if (key) {
        char *h = strdup(host), *k = strdup(key);

        *ret_platform = is_platform(key);
        pthread_mutex_lock(&host_cache.lock);
        free(host_cache.host[slot]);
        free(host_cache.key[slot]);
        host_cache.host[slot] = h && k ? h : NULL;
        host_cache.key[slot] = h && k ? k : NULL;
        host_cache.platform[slot] = *ret_platform;
        if (!h || !k)
            free(h), free(k);
        pthread_mutex_unlock(&host_cache.lock);
    }
    return key;
}

void ca__source_cleanup(void)
{
    size_t i;

    pthread_mutex_lock(&host_cache.lock);
    for (i = 0; i < HOST_CACHE; i++) {
        free(host_cache.host[i]);
        free(host_cache.key[i]);
        host_cache.host[i] = host_cache.key[i] = NULL;
    }
    pthread_mutex_unlock(&host_cache.lock);
}

ca_status ca__source_key_parts(const char *host, const char *path, char **ret_key)
{
    char *domain, *key;
    int platform = 0;

    *ret_key = NULL;
    if (!host || !*host)
        return CA_OK;
    domain = cached_host_key(host, &platform);
    if (!domain)
        return CA_NOMEM;
    if (platform) {
        key = platform_key(domain, path ? path : "/");
        if (key) {
            free(domain);
            domain = key;
        }
    }
    *ret_key = domain;
    return CA_OK;
}

ca_status ca_source_key(const char *url, char **ret_key, ca_error *err)
{
    CURLU *h = curl_url();
    char *host = NULL, *path = NULL;
    ca_status st = CA_OK;

    *ret_key = NULL;
    if (!h)
        return ca_error_set(err, CA_NOMEM, "out of memory computing the source of '%.200s'",
                            url);
    if (curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(h, CURLUPART_HOST, &host, CURLU_PUNYCODE) == CURLUE_OK &&
        curl_url_get(h, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
        char *p;

        for (p = host; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        st = ca__source_key_parts(host, path, ret_key);
        if (st != CA_OK)
            ca_error_set(err, st, "out of memory computing the source of '%.200s'", url);
    }
    curl_free(host);
    curl_free(path);
    curl_url_cleanup(h);
    return st;
}
