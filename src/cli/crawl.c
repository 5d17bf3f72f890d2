/*
 * crawl.c - the crawler of `audit` and `provenance`: follow the inputs'
 * citations to the pages they cite, and on to those pages' own citations,
 * up to --depth, so that provenance can see where a text came from.
 *
 * Depth 1 is what the inputs cite. Those links were just checked like
 * every link; the ones that work are asked again with GET through the
 * same checker (same politeness, retries, byte cap and store), and each
 * page is read by the same extractor as the inputs. A page's body
 * citations make the next depth. From depth 2 on a page is fetched only
 * where its host's robots.txt allows citeaudit (RFC 9309: fetched once
 * per host and kept for the run; 4xx allows everything, 5xx or no answer
 * disallows everything). Depth 1 is not asked: the user's own documents
 * cite those pages, and a link checker reads what it is given.
 *
 * Pages are fetched in batches so that only a batch of bodies is held at
 * once, and never more than --max-pages in all. Every cited page that
 * cannot be read (dead, not a web page, refused by robots.txt) is
 * recorded in the corpus with the reason, for quote support to report.
 * The pages read join the store's documents.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crawl.h"
#include "pipeline.h"

#define BATCH 64
#define ROBOTS_MAX_BYTES ((size_t)512 * 1024)

/* A URL waiting to be fetched. */
struct todo {
    char *url;
    size_t id;
};

struct list {
    struct todo *v;
    size_t n, cap;
};

/* URLs seen (queued, fetched, or the inputs themselves): a string set. */
struct seen {
    char **slot;
    size_t n, cap;
};

/* robots.txt by origin ("https://host:port/robots.txt"). */
struct robots_entry {
    char *key;
    ca_robots *r;
};

struct crawl {
    struct crawl_opts *co;
    ca_run *run;
    ca_run *pages;          /* the pages read, for the store */
    struct seen seen;
    struct robots_entry *robots;
    size_t nrobots, robots_cap;
    char ua[64];            /* our product token */
    int rc;
    int capped;             /* --max-pages reached */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 14695981039346656037ULL;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Add url to the set; 1 when it was new, 0 when seen, -1 out of memory. */
static int seen_add(struct seen *s, const char *url)
{
    size_t i, mask;

    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        char **t = calloc(ncap, sizeof *t);

        if (!t)
            return -1;
        for (i = 0; i < s->cap; i++) {
            size_t k;

            if (!s->slot[i])
                continue;
            for (k = hash_str(s->slot[i]) & (ncap - 1); t[k]; k = (k + 1) & (ncap - 1))
                ;
            t[k] = s->slot[i];
        }
        free(s->slot);
        s->slot = t;
        s->cap = ncap;
    }
    mask = s->cap - 1;
    for (i = hash_str(url) & mask; s->slot[i]; i = (i + 1) & mask)
        if (!strcmp(s->slot[i], url))
            return 0;
    s->slot[i] = strdup(url);
    if (!s->slot[i])
        return -1;
    s->n++;
    return 1;
}

static void seen_release(struct seen *s)
{
    size_t i;

    for (i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
}

static void list_release(struct list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i].url);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int list_push(struct list *l, const char *url)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        struct todo *p = realloc(l->v, ncap * sizeof *p);

        if (!p)
            return -1;
        l->v = p;
        l->cap = ncap;
    }
    l->v[l->n].url = strdup(url);
    if (!l->v[l->n].url)
        return -1;
    l->v[l->n++].id = (size_t)-1;
    return 0;
}

/* Nonzero when the path of url names a file that is not a web page. */
static int not_a_page(const char *url)
{
    static const char *const exts[] = {
        ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".ico", ".mp4",
        ".webm", ".mov", ".avi", ".mp3", ".wav", ".ogg", ".m4a", ".zip", ".gz", ".tgz",
        ".rar", ".7z", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".csv", ".exe",
        ".dmg", ".apk", ".iso", ".epub",
    };
    const char *q = strpbrk(url, "?#");
    size_t n = q ? (size_t)(q - url) : strlen(url), i, e;

    for (i = 0; i < sizeof exts / sizeof *exts; i++) {
        e = strlen(exts[i]);
        if (n > e && !strncasecmp(url + n - e, exts[i], e))
            return 1;
    }
    return 0;
}

static int is_web(const char *url)
{
    return url && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8));
}

static int unavailable(struct crawl *c, const char *url, unsigned depth, const char *why)
{
    ca_error err = CA_ERROR_INIT;

    c->co->unavailable++;
    if (ca_prov_add_unavailable(c->co->prov, url, depth, why, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

/* Queue url for depth when it is new and could be a page. */
static int queue(struct crawl *c, struct list *l, const char *url, unsigned depth)
{
    int fresh;

    if (!is_web(url))
        return EXIT_CLEAN;
    fresh = seen_add(&c->seen, url);
    if (fresh < 0 || (fresh && not_a_page(url) &&
                      unavailable(c, url, depth, "not a web page (a file by its name)") != 0))
        return EXIT_ENV;
    if (fresh && !not_a_page(url) && list_push(l, url) < 0) {
        cli_error("out of memory");
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

/* ---- robots.txt ---- */

/* The robots.txt URL of url's origin (caller frees), or NULL. */
static char *robots_url(const char *url)
{
    return ca_url_resolve("/robots.txt", url);
}

/* url's path and query. */
static const char *path_of(const char *url)
{
    const char *p = strstr(url, "://");

    if (!p)
        return "/";
    p += 3;
    p += strcspn(p, "/?#");
    return *p == '/' ? p : "/";
}

static ca_robots *robots_find(const struct crawl *c, const char *key)
{
    size_t i;

    for (i = 0; i < c->nrobots; i++)
        if (!strcmp(c->robots[i].key, key))
            return c->robots[i].r;
    return NULL;
}

static int robots_keep(struct crawl *c, char *key, ca_robots *r)
{
    if (c->nrobots == c->robots_cap) {
        size_t ncap = c->robots_cap ? c->robots_cap * 2 : 16;
        struct robots_entry *p = realloc(c->robots, ncap * sizeof *p);

        if (!p)
            return -1;
        c->robots = p;
        c->robots_cap = ncap;
    }
    c->robots[c->nrobots].key = key;
    c->robots[c->nrobots++].r = r;
    return 0;
}

/* Fetch the robots.txt files of the hosts of l not known yet, with a
 * checker of our own without the store's hooks (a robots.txt is not a
 * link of the documents). */
static int fetch_robots(struct crawl *c, const struct list *l)
{
    ca_check_opts o = *c->co->chk;
    ca_checker *chk = NULL;
    ca_error err = CA_ERROR_INIT;
    char **keys = calloc(l->n + 1, sizeof *keys);
    size_t *ids = calloc(l->n + 1, sizeof *ids), n = 0, i, k;
    int rc = EXIT_CLEAN;

    o.hooks = (ca_check_hooks){0};
    o.max_fetch_bytes = ROBOTS_MAX_BYTES;
    if (!keys || !ids || ca_checker_create(&o, &chk, &err) != CA_OK) {
        cli_error("%s", err.code ? ca_error_message(&err) : "out of memory");
        rc = EXIT_ENV;
        goto done;
    }
    for (i = 0; i < l->n; i++) {
        char *key = robots_url(l->v[i].url);

        if (!key || robots_find(c, key)) {
            free(key);
            continue;
        }
        for (k = 0; k < n && strcmp(keys[k], key); k++)
            ;
        if (k < n || ca_checker_add_fetch(chk, key, &ids[n], &err) != CA_OK) {
            free(key);
            continue;
        }
        keys[n++] = key;
    }
    if (n && ca_checker_run(chk, NULL, NULL, &err) != CA_OK)
        cli_warn("robots.txt: %s", ca_error_message(&err)); /* all unknown: disallowed */
    for (k = 0; k < n; k++) {
        const ca_result *res = ca_checker_result(chk, ids[k]);
        const char *body;
        size_t len;
        ca_robots *r = NULL;

        body = ca_checker_body(chk, ids[k], &len, NULL);
        ca_error_clear(&err);
        if (ca_robots_from_answer(res->http_code, body, len, c->ua, &r, &err) != CA_OK ||
            robots_keep(c, keys[k], r) < 0) {
            ca_robots_destroy(r);
            cli_error("out of memory");
            rc = EXIT_ENV;
            break;
        }
        keys[k] = NULL;
    }
done:
    for (k = 0; keys && k < n; k++)
        free(keys[k]);
    free(keys);
    free(ids);
    ca_checker_destroy(chk);
    return rc;
}

/* Drop from l what robots.txt disallows, recording why. */
static int robots_filter(struct crawl *c, struct list *l, unsigned depth)
{
    size_t i, n = 0;
    int rc = fetch_robots(c, l);

    for (i = 0; i < l->n && rc == EXIT_CLEAN; i++) {
        char *key = robots_url(l->v[i].url), why[600];
        ca_robots *r = key ? robots_find(c, key) : NULL;
        int all;

        if (!r || ca_robots_allowed(r, path_of(l->v[i].url))) {
            l->v[n++] = l->v[i];
            free(key);
            continue;
        }
        c->co->robots_refused++;
        if (ca_robots_blanket(r, &all))
            snprintf(why, sizeof why, "robots.txt could not be read (%s): the host is not "
                     "crawled", key);
        else
            snprintf(why, sizeof why, "%s disallows it for %s", key, c->ua);
        free(key);
        rc = unavailable(c, l->v[i].url, depth, why);
        free(l->v[i].url);
    }
    for (; i < l->n; i++)
        l->v[n++] = l->v[i];
    l->n = n;
    return rc;
}

/* ---- fetching ---- */

static void why_failed(const ca_result *res, char *why, size_t n)
{
    char code[24] = "";

    if (res->http_code)
        snprintf(code, sizeof code, ", HTTP %d", res->http_code);
    snprintf(why, n, "%s%s (%s)", ca_class_name(res->cls), code,
             res->error ? res->error : ca_class_text(res->cls));
}

static int works(const ca_result *res)
{
    return res->cls == CA_CLASS_OK || res->cls == CA_CLASS_REDIRECTED;
}

/* Read the page fetched for t into the corpus; its citations go to next. */
static int read_page(struct crawl *c, const struct todo *t, unsigned depth, struct list *next)
{
    const ca_result *res = ca_checker_result(c->run->chk, t->id);
    ca_extract_opts ex = *c->co->ex;
    ca_error err = CA_ERROR_INIT;
    const char *body;
    ca_doc *doc = NULL;
    char why[1024];
    size_t len, i;
    int rc = EXIT_CLEAN;

    body = ca_checker_body(c->run->chk, t->id, &len, NULL);
    if (!works(res) || !body) {
        why_failed(res, why, sizeof why);
        rc = unavailable(c, t->url, depth, why);
        goto done;
    }
    ex.base_url = res->final_url ? res->final_url : t->url;
    ex.manifest = NULL;
    if (ca_extract_mem(t->url, NULL, body, len, &ex, &doc, &err) != CA_OK) {
        rc = unavailable(c, t->url, depth, err.code == CA_BINARY ? "not a web page"
                                                                 : ca_error_message(&err));
        goto done;
    }
    if (ca_prov_add(c->co->prov, doc, t->url, depth, t->url, NULL, &err) != CA_OK ||
        ca_run_add_doc(c->pages, doc, t->url, 1, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        rc = EXIT_ENV;
        goto done;
    }
    c->co->fetched++;
    for (i = 0; next && i < doc->ncites && rc == EXIT_CLEAN; i++) {
        const ca_citation *ci = &doc->cites[i];

        if (ci->region == CA_REGION_BODY && (ci->kind == CA_KIND_LINK || ci->kind == CA_KIND_EMBED))
            rc = queue(c, next, ci->url, depth + 1);
    }
done:
    ca_doc_destroy(doc);
    ca_checker_drop_body(c->run->chk, t->id);
    return rc;
}

/* Fetch and read the pages of l (depth), BATCH at a time. */
static int fetch_level(struct crawl *c, struct list *l, unsigned depth, struct list *next)
{
    ca_error err = CA_ERROR_INIT;
    size_t i, k, end;
    int rc = EXIT_CLEAN;

    for (i = 0; i < l->n && rc < EXIT_ENV && !pipeline_interrupted; i = end) {
        end = i + BATCH < l->n ? i + BATCH : l->n;
        for (k = i; k < end; k++) {
            if (c->co->fetched + (k - i) >= c->co->max_pages) {
                c->capped = 1;
                end = k;
                break;
            }
            if (ca_checker_add_fetch(c->run->chk, l->v[k].url, &l->v[k].id, &err) != CA_OK) {
                cli_error("%s", ca_error_message(&err));
                return EXIT_ENV;
            }
        }
        if (end == i)
            break;
        rc = pipeline_worst(rc, pipeline_run_checks(c->run));
        for (k = i; k < end && rc < EXIT_ENV; k++)
            rc = pipeline_worst(rc, read_page(c, &l->v[k], depth,
                                              depth < c->co->depth ? next : NULL));
    }
    return rc;
}

/* Depth 1: what the inputs cite; pages that failed their check are not
 * asked again. */
static int first_level(struct crawl *c, struct list *l)
{
    size_t i, n = 0;
    int rc = EXIT_CLEAN;

    for (i = 0; i < c->run->ndocs && rc == EXIT_CLEAN; i++) /* never the inputs themselves */
        if ((c->run->docs[i].url && seen_add(&c->seen, c->run->docs[i].url) < 0) ||
            seen_add(&c->seen, c->run->docs[i].origin) < 0)
            rc = EXIT_ENV;
    for (i = 0; i < c->run->ncites && rc == EXIT_CLEAN; i++) {
        const ca_run_cite *ci = &c->run->cites[i];

        if (ci->region == CA_REGION_BODY && (ci->kind == CA_KIND_LINK || ci->kind == CA_KIND_EMBED))
            rc = queue(c, l, ca_run_url(c->run, ci), 1);
    }
    for (i = 0; i < l->n && rc == EXIT_CLEAN; i++) {
        size_t id;
        const ca_result *res;
        char why[1024];

        if (ca_checker_add(c->run->chk, l->v[i].url, &id, NULL) != CA_OK)
            continue;
        res = ca_checker_result(c->run->chk, id);
        if (works(res) || res->cls == CA_CLASS_UNKNOWN) {
            l->v[n++] = l->v[i];
            continue;
        }
        why_failed(res, why, sizeof why);
        rc = unavailable(c, l->v[i].url, 1, why);
        free(l->v[i].url);
    }
    for (; i < l->n; i++)
        l->v[n++] = l->v[i];
    l->n = n;
    return rc;
}

int crawl_run(ca_run *run, void *ud)
{
    struct crawl c;
    struct list cur = {NULL, 0, 0}, next = {NULL, 0, 0};
    ca_error err = CA_ERROR_INIT;
    unsigned depth;
    size_t i;

    memset(&c, 0, sizeof c);
    c.co = ud;
    c.run = run;
    if (!c.co->depth)
        return EXIT_CLEAN;
    ca_robots_product_token(c.co->chk->user_agent ? c.co->chk->user_agent : "citeaudit", c.ua,
                            sizeof c.ua);
    if (!c.ua[0])
        snprintf(c.ua, sizeof c.ua, "citeaudit");
    if (ca_run_create(c.co->chk, &c.pages, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    c.rc = first_level(&c, &cur);
    for (depth = 1; depth <= c.co->depth && cur.n && c.rc < EXIT_ENV && !pipeline_interrupted &&
                    !c.capped;
         depth++) {
        if (depth >= 2)
            c.rc = pipeline_worst(c.rc, robots_filter(&c, &cur, depth));
        if (c.rc < EXIT_ENV)
            c.rc = pipeline_worst(c.rc, fetch_level(&c, &cur, depth, &next));
        list_release(&cur);
        cur = next;
        memset(&next, 0, sizeof next);
    }
    if (c.capped && !cli_quiet)
        cli_note("the crawl stopped at --max-pages %zu pages", c.co->max_pages);
    if (c.rc < EXIT_ENV)
        c.rc = pipeline_worst(c.rc, pipeline_save_docs(c.pages));
    list_release(&cur);
    list_release(&next);
    seen_release(&c.seen);
    for (i = 0; i < c.nrobots; i++) {
        free(c.robots[i].key);
        ca_robots_destroy(c.robots[i].r);
    }
    free(c.robots);
    ca_run_destroy(c.pages);
    return c.rc;
}
