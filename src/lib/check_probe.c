/*
 * check_probe.c - soft-404 rule (c), after Bar-Yossef, Broder, Kumar and
 * Tomkins ("Sic transit gloria telae", WWW 2004): to know whether a page
 * that answers 200 is really there, ask for a random address beside it.
 * A server that answers the random address with 200 and a near-identical
 * page (the same template, or a redirect to the same place) answers every
 * missing address that way, and the cited page is one of those.
 *
 * A probe is made once per host and directory (or, for an address whose
 * query names the page, once per path and set of query keys), shared by
 * every cited link there, and kept for the run and in the cache the caller
 * gives (the store). Two honest probes on a host (a 404 or 410 for the
 * random address) make the whole host trusted for the run: sites answer
 * missing pages the same way everywhere, and news sites put every article
 * in a directory of its own date. The random address keeps the cited one's
 * shape (directory, extension, trailing slash) with a random name of
 * letters and digits.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_int.h"
#include "strutil.h"

#define TRUST_AFTER 2     /* honest probes after which a host is trusted */
#define SAME_PAGE 0.85    /* sketch similarity of "the same page" */
#define MIN_SHINGLES 5    /* fewer: too little text to compare */
#define PAGES_KEPT (16 * 1024 * 1024) /* waiting pages kept whole, at most; beyond,
                                         they are sketched at once */

static uint32_t lookup(const ca_checker *chk, const char *key)
{
    uint32_t i;

    if (!chk->probe_table_cap)
        return CA_NONE;
    for (i = chk->probe_table[ca__hash_str(key) & (chk->probe_table_cap - 1)]; i != CA_NONE;
         i = chk->probes[i].hash_next)
        if (!strcmp(chk->probes[i].key, key))
            return i;
    return CA_NONE;
}

static int rehash(ca_checker *chk)
{
    size_t ncap = chk->probe_table_cap ? chk->probe_table_cap * 2 : 64, i;
    uint32_t *t = malloc(ncap * sizeof *t);

    if (!t)
        return -1;
    memset(t, 0xff, ncap * sizeof *t);
    for (i = 0; i < chk->nprobes; i++) {
        uint32_t b = ca__hash_str(chk->probes[i].key) & (uint32_t)(ncap - 1);

        chk->probes[i].hash_next = t[b];
        t[b] = (uint32_t)i;
    }
    free(chk->probe_table);
    chk->probe_table = t;
    chk->probe_table_cap = ncap;
    return 0;
}

/* A new entry for key (copied), state PENDING; CA_NONE when out of memory. */
static uint32_t add(ca_checker *chk, const char *key)
{
    struct probe *p;
    uint32_t b;

    if (chk->nprobes == chk->probes_cap) {
        size_t ncap = chk->probes_cap ? chk->probes_cap * 2 : 32;

        p = realloc(chk->probes, ncap * sizeof *p);
        if (!p)
            return CA_NONE;
        chk->probes = p;
        chk->probes_cap = ncap;
    }
    if ((chk->nprobes + 1) * 2 > chk->probe_table_cap && rehash(chk) < 0)
        return CA_NONE;
    p = &chk->probes[chk->nprobes];
    memset(p, 0, sizeof *p);
    p->key = strdup(key);
    if (!p->key)
        return CA_NONE;
    p->state = PROBE_PENDING;
    p->waiters = CA_NONE;
    b = ca__hash_str(key) & (uint32_t)(chk->probe_table_cap - 1);
    p->hash_next = chk->probe_table[b];
    chk->probe_table[b] = (uint32_t)chk->nprobes;
    return (uint32_t)chk->nprobes++;
}

void ca__probes_release(ca_checker *chk)
{
    size_t i;

    for (i = 0; i < chk->nprobes; i++) {
        free(chk->probes[i].key);
        free(chk->probes[i].final_url);
        free(chk->probes[i].sketch);
    }
    free(chk->probes);
    free(chk->probe_table);
}

/* n random letters and digits (at least one of each) into out. */
static void random_name(ca_checker *chk, char *out, size_t n)
{
    static const char set[] = "abcdefghijkmnpqrstuvwxyz23456789";
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = set[ca__random(chk) % (sizeof set - 1)];
    out[0] = set[ca__random(chk) % 24];       /* a letter */
    out[n - 1] = set[24 + ca__random(chk) % 8]; /* a digit */
    out[n] = '\0';
}

/* The random value standing for a query value with digits: digits for
 * digits, letters for letters, the rest kept. */
static void random_like(ca_checker *chk, char *v)
{
    for (; *v; v++)
        if (*v >= '0' && *v <= '9')
            *v = (char)('0' + ca__random(chk) % 10);
        else if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z'))
            *v = (char)('a' + ca__random(chk) % 26);
}

/*
 * The probe of url: its key (*ret_key) and the random address (*ret_url),
 * both malloc'd. 0 when url has nothing to probe (a home page), -1 when out
 * of memory.
 */
static int probe_of(ca_checker *chk, const char *url, char **ret_key, char **ret_url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL;
    char *key = NULL, *purl = NULL, *q = NULL, name[24], ext[8] = "";
    const char *last, *dot;
    size_t dirlen;
    int slash, rc = -1;

    *ret_key = *ret_url = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        rc = u ? 0 : -1;
        goto out;
    }
    curl_url_get(u, CURLUPART_QUERY, &query, 0);
    if (query && strpbrk(query, "0123456789")) {
        /* the query names the page: same path, same keys, random values */
        q = strdup(query);
        if (!q)
            goto out;
        random_like(chk, q);
        key = ca__format("%s://%s:%s%s?", scheme, host, port, path);
        for (char *p = query; key && *p;) {
            size_t n = strcspn(p, "=&");
            char *k2 = ca__format("%s%.*s&", key, (int)n, p);

            free(key);
            key = k2;
            p += strcspn(p, "&");
            p += *p == '&';
        }
        purl = ca__format("%s://%s:%s%s?%s", scheme, host, port, path, q);
        rc = key && purl ? 1 : -1;
        goto out;
    }
    slash = path[0] && path[strlen(path) - 1] == '/';
    dirlen = strlen(path) - (size_t)slash;
    while (dirlen && path[dirlen - 1] != '/')
        dirlen--;
    last = path + dirlen;
    if (!*last || !strcmp(last, "/")) {
        rc = 0; /* the home page: nothing beside it to ask */
        goto out;
    }
    dot = strrchr(last, '.');
    if (dot && strlen(dot) < sizeof ext && strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz"
                                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
                                               strlen(dot + 1) - (size_t)slash)
        snprintf(ext, sizeof ext, "%.*s", (int)(strlen(dot) - (size_t)slash), dot);
    random_name(chk, name, 20);
    key = ca__format("%s://%s:%s%.*s*%s%s", scheme, host, port, (int)dirlen, path, ext,
                     slash ? "/" : "");
    purl = ca__format("%s://%s:%s%.*s%s%s%s", scheme, host, port, (int)dirlen, path, name, ext,
                      slash ? "/" : "");
    rc = key && purl ? 1 : -1;
out:
    if (rc == 1) {
        *ret_key = key;
        *ret_url = purl;
    } else {
        free(key);
        free(purl);
    }
    free(q);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    return rc;
}

/* "scheme://host:port" of a key, as the key of the host's trust count. */
static char *origin_key(const char *key)
{
    const char *p = strstr(key, "://");
    size_t n = p ? (size_t)(p + 3 - key) + strcspn(p + 3, "/?") : strlen(key);

    return ca__format("%.*s honest", (int)n, key);
}

static int trusted(const ca_checker *chk, const char *key)
{
    char *ok = origin_key(key);
    uint32_t i = ok ? lookup(chk, ok) : CA_NONE;

    free(ok);
    return i != CA_NONE && chk->probes[i].http_code >= TRUST_AFTER;
}

static void count_honest(ca_checker *chk, const char *key)
{
    char *ok = origin_key(key);
    uint32_t i;

    if (!ok)
        return;
    i = lookup(chk, ok);
    if (i == CA_NONE)
        i = add(chk, ok);
    if (i != CA_NONE)
        chk->probes[i].http_code++;
    free(ok);
}

/* Where an item's redirects ended (or end, while it is being decided). */
static const char *item_final(const struct item *it)
{
    return it->hop ? it->hop : it->res.final_url ? it->res.final_url
                                                 : it->target ? it->target : it->url;
}

/* Compare an item with the soft probe p: soft404 when they are the same. */
static void compare(struct item *it, const struct probe *p)
{
    const struct item_ext *e = it->ext;
    double sim;

    if (it->res.nchain && p->final_url && !strcmp(item_final(it), p->final_url)) {
        it->res.cls = CA_CLASS_SOFT404;
        it->res.reason = CA_REASON_PROBE;
        ca__item_set_error(it, "a random address beside it (%s) is redirected to the same "
                               "page, %s", p->key, p->final_url);
        return;
    }
    if (!e || e->nsketch < MIN_SHINGLES || p->nsketch < MIN_SHINGLES)
        return; /* too little text to tell (a page built by scripts) */
    sim = ca__sketch_similarity(e->sketch, e->nsketch, p->sketch, p->nsketch);
    if (sim < SAME_PAGE)
        return; /* a real page on a host that answers missing ones with 200 */
    it->res.cls = CA_CLASS_SOFT404;
    it->res.reason = CA_REASON_PROBE;
    ca__item_set_error(it, "a random address beside it (%s) answers %d with the same page "
                           "(%.0f%% alike)", p->key, p->http_code, sim * 100);
}

/* The sketch an item is compared with, computed once (drift uses it too). */
static int item_sketch(struct item *it, const char *body, size_t len)
{
    struct item_ext *e = ca__item_ext(it);

    if (!e)
        return -1;
    if (e->sketch || e->nsketch)
        return 0;
    return ca__main_sketch(it->target ? it->target : it->url, body, len, &e->sketch,
                           &e->nsketch);
}

/* A probe from the cache into a new entry. */
static uint32_t from_cache(ca_checker *chk, const char *key)
{
    ca_probe c;
    struct probe *p;
    uint32_t i;

    memset(&c, 0, sizeof c);
    if (!chk->o.hooks.probe_get || !chk->o.hooks.probe_get(key, &c, chk->o.hooks.ud))
        return CA_NONE;
    i = add(chk, key);
    if (i == CA_NONE)
        return CA_NONE;
    p = &chk->probes[i];
    p->state = c.soft ? PROBE_SOFT : PROBE_HONEST;
    p->http_code = c.http_code;
    p->final_url = c.final_url ? strdup(c.final_url) : NULL;
    if (c.nsketch && (p->sketch = malloc(c.nsketch * sizeof *p->sketch))) {
        memcpy(p->sketch, c.sketch, c.nsketch * sizeof *p->sketch);
        p->nsketch = (uint16_t)(c.nsketch > CA__SKETCH_K ? CA__SKETCH_K : c.nsketch);
    }
    chk->stats.probes_cached++;
    if (!c.soft)
        count_honest(chk, key);
    return i;
}

enum step ca__probe_need(ca_checker *chk, struct item *it, const char *cur, const char *body,
                         size_t len)
{
    char *key = NULL, *purl = NULL;
    uint32_t i, aux;
    struct item_ext *e;
    enum step s = STEP_DONE;

    (void)cur;
    /* the host of a link not redirected is the host of its URL: trusted? */
    if (!it->res.nchain && it->host != CA_NONE && chk->hosts[it->host].honest >= TRUST_AFTER)
        return STEP_DONE;
    if (probe_of(chk, it->target ? it->target : it->url, &key, &purl) <= 0 ||
        trusted(chk, key))
        goto out;
    i = lookup(chk, key);
    if (i == CA_NONE && (i = from_cache(chk, key)) == CA_NONE) {
        i = add(chk, key);
        if (i == CA_NONE)
            goto out;
        aux = ca__aux_new(chk, AUX_PROBE, i, purl);
        if (aux == CA_NONE) {
            chk->probes[i].state = PROBE_INCONCLUSIVE;
            goto out;
        }
        chk->stats.probes++;
        ca__sched_aux(chk, aux);
    }
    switch (chk->probes[i].state) {
    case PROBE_SOFT:
        if (item_sketch(it, body, len) == 0)
            compare(it, &chk->probes[i]);
        break;
    case PROBE_PENDING:
        if (!(e = ca__item_ext(it)))
            break;
        /* most probes come back honest: keep the page and sketch it only if not */
        if (!e->sketch && !e->nsketch && chk->pages_kept + len <= PAGES_KEPT &&
            (e->page = malloc(len ? len : 1))) {
            memcpy(e->page, body, len);
            e->page_len = len;
            chk->pages_kept += len;
        } else if (item_sketch(it, body, len) < 0) {
            break;
        }
        e->probe = i;
        e->wait_next = chk->probes[i].waiters;
        chk->probes[i].waiters = ca__item_id(chk, it);
        s = STEP_WAIT;
        break;
    default:
        break;
    }
out:
    free(key);
    free(purl);
    return s;
}

void ca__probe_done(ca_checker *chk, struct aux *a, struct xfer *x)
{
    struct probe *p = &chk->probes[a->owner];
    const ca_result *r = &a->it.res;
    uint32_t id, next;
    ca_probe c;

    p->http_code = r->http_code;
    if (r->cls == CA_CLASS_OK || r->cls == CA_CLASS_REDIRECTED) {
        p->state = PROBE_SOFT;
        p->final_url = r->final_url ? strdup(r->final_url) : NULL;
        if (x && x->keep_cap && x->body.len &&
            ca__main_sketch(a->it.url, x->body.data, x->body.len, &p->sketch, &p->nsketch) < 0)
            p->nsketch = 0;
    } else if (r->http_code == 404 || r->http_code == 410) {
        p->state = PROBE_HONEST;
        count_honest(chk, p->key);
        if (!r->nchain && a->it.host != CA_NONE && chk->hosts[a->it.host].honest < 255)
            chk->hosts[a->it.host].honest++;
    } else {
        p->state = PROBE_INCONCLUSIVE; /* refused, failed: it says nothing */
    }
    if (p->state != PROBE_INCONCLUSIVE && chk->o.hooks.probe_put) {
        c = (ca_probe){p->key, (int64_t)time(NULL), p->http_code, p->state == PROBE_SOFT,
                       p->final_url, p->sketch, p->nsketch};
        chk->o.hooks.probe_put(&c, chk->o.hooks.ud);
    }
    for (id = p->waiters; id != CA_NONE; id = next) {
        struct item *it = ca__item(chk, id);
        struct item_ext *e = it->ext;

        next = e->wait_next;
        e->probe = CA_NONE;
        e->wait_next = CA_NONE;
        if (e->page && (p->state == PROBE_SOFT || e->wants_drift) &&
            item_sketch(it, e->page, e->page_len) < 0)
            e->nsketch = 0;
        if (e->page) {
            chk->pages_kept -= e->page_len;
            free(e->page);
            e->page = NULL;
        }
        if (p->state == PROBE_SOFT)
            compare(it, p);
        if (!e->wants_drift) {
            free(e->sketch);
            e->sketch = NULL;
            e->nsketch = 0;
        }
        if (ca__after_verdict(chk, it) == STEP_DONE)
            ca__sched_resume(chk, it);
    }
    p->waiters = CA_NONE;
}
