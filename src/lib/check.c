/*
 * check.c - the checker's public face: options, the table of unique URLs
 * (one id each, however many documents cite them), decisions that need no
 * request (unsupported, invalid, excluded), and results. The run loop lives
 * in check_sched.c, single requests in check_xfer.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_int.h"
#include "citeaudit/citeaudit.h"
#include "strutil.h"

static const struct {
    const char *name, *text;
    int fails;
} classes[] = {
#define CA__CLASS_ROW(name, num, str, fails, text) [num] = {str, text, fails},
    CA_CLASS_MAP(CA__CLASS_ROW)
#undef CA__CLASS_ROW
};

const char *ca_class_name(ca_class c)
{
    return (unsigned)c < CA_CLASS_COUNT ? classes[c].name : "?";
}

const char *ca_class_text(ca_class c)
{
    return (unsigned)c < CA_CLASS_COUNT ? classes[c].text : "?";
}

int ca_class_parse(const char *name)
{
    int i;

    for (i = 0; i < CA_CLASS_COUNT; i++)
        if (!strcmp(name, classes[i].name))
            return i;
    return -1;
}

int ca_class_fails_by_default(ca_class c)
{
    return (unsigned)c < CA_CLASS_COUNT ? classes[c].fails : 0;
}

unsigned ca_class_default_fail_mask(void)
{
    unsigned m = 0;
    int c;

    for (c = 0; c < CA_CLASS_COUNT; c++)
        if (classes[c].fails)
            m |= 1u << c;
    return m;
}

static const struct {
    const char *name, *text;
} reasons[] = {
#define CA__REASON_ROW(name, num, str, text) [num] = {str, text},
    CA_REASON_MAP(CA__REASON_ROW)
#undef CA__REASON_ROW
};

const char *ca_reason_name(ca_reason r)
{
    return (unsigned)r < CA_REASON_COUNT ? reasons[r].name : NULL;
}

const char *ca_reason_text(ca_reason r)
{
    return (unsigned)r < CA_REASON_COUNT ? reasons[r].text : "?";
}

ca_reason ca_reason_parse(const char *name)
{
    int i;

    for (i = 1; name && i < CA_REASON_COUNT; i++)
        if (!strcmp(name, reasons[i].name))
            return (ca_reason)i;
    return CA_REASON_NONE;
}

void ca_check_opts_init(ca_check_opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 64;
    o->per_host = 4;
    o->max_redirects = 10;
    o->timeout_ms = 20000;
    o->connect_timeout_ms = 10000;
    o->low_speed_bytes = 10;
    o->low_speed_secs = 10;
    o->retries = 2;
    o->max_retry_wait_ms = 60000;
    o->max_body_bytes = 64 * 1024;
    o->max_fetch_bytes = CA_EXTRACT_DEFAULT_MAX_BYTES;
    o->content = CA_CONTENT_CITATIONS;
    o->probe = 1;
    o->fragments = 1;
    o->max_content_bytes = 512 * 1024;
    o->max_fragment_bytes = 4 * 1024 * 1024;
    o->drift = 1;
    o->drift_threshold = 0.75;
}

int64_t ca__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t *slot_of(const ca_checker *chk, const char *url)
{
    size_t mask = chk->table_cap - 1, i = ca__hash_str(url) & mask;

    while (chk->table[i] != CA_NONE && strcmp(chk->items[chk->table[i]].url, url) != 0)
        i = (i + 1) & mask;
    return &chk->table[i];
}

static int grow_table(ca_checker *chk)
{
    size_t ncap = chk->table_cap ? chk->table_cap * 2 : 1024, i;
    uint32_t *old = chk->table;
    size_t oldcap = chk->table_cap;

    chk->table = malloc(ncap * sizeof *chk->table);
    if (!chk->table) {
        chk->table = old;
        return -1;
    }
    memset(chk->table, 0xff, ncap * sizeof *chk->table);
    chk->table_cap = ncap;
    for (i = 0; i < oldcap; i++)
        if (old[i] != CA_NONE)
            *slot_of(chk, chk->items[old[i]].url) = old[i];
    free(old);
    return 0;
}

static ca_status build_headers(ca_checker *chk, ca_error *err)
{
    const char *const *h;
    struct curl_slist *n;

    for (h = chk->o.headers; h && *h; h++) {
        if (!strchr(*h, ':'))
            return ca_error_set(err, CA_USAGE,
                                "--header '%s': a header is 'NAME: VALUE'", *h);
        n = curl_slist_append(chk->headers, *h);
        if (!n)
            return ca_error_set(err, CA_NOMEM, "out of memory");
        chk->headers = n;
    }
    for (h = chk->o.resolve; h && *h; h++) {
        n = curl_slist_append(chk->resolve, *h);
        if (!n)
            return ca_error_set(err, CA_NOMEM, "out of memory");
        chk->resolve = n;
    }
    return CA_OK;
}

ca_status ca_checker_create(const ca_check_opts *opts, ca_checker **ret, ca_error *err)
{
    ca_checker *chk = calloc(1, sizeof *chk);
    ca_status st = CA_NOMEM;

    *ret = NULL;
    if (!chk)
        return ca_error_set(err, CA_NOMEM, "out of memory creating the checker");
    if (opts)
        chk->o = *opts;
    else
        ca_check_opts_init(&chk->o);
    if (!chk->o.jobs)
        chk->o.jobs = 1;
    if (!chk->o.per_host)
        chk->o.per_host = 1;
    if (chk->o.connect_timeout_ms > chk->o.timeout_ms && chk->o.timeout_ms)
        chk->o.connect_timeout_ms = chk->o.timeout_ms;
    if (chk->o.user_agent)
        chk->user_agent = strdup(chk->o.user_agent);
    else
        chk->user_agent =
            ca__format("citeaudit/%s (+https://github.com/citeaudit/citeaudit)", ca_version());
    if (!chk->user_agent)
        goto fail_nomem;
    chk->ready_head = chk->ready_tail = chk->free_xfer = CA_NONE;
    chk->rng = (uint64_t)ca__now_ms() * 6364136223846793005ull + (uint64_t)(uintptr_t)chk;
    st = ca__rules_compile(&chk->rules, &chk->o, err);
    if (st != CA_OK)
        goto fail;
    st = build_headers(chk, err);
    if (st != CA_OK)
        goto fail;
    if (grow_table(chk) < 0)
        goto fail_nomem;
    *ret = chk;
    return CA_OK;
fail_nomem:
    st = ca_error_set(err, CA_NOMEM, "out of memory creating the checker");
fail:
    ca_checker_destroy(chk);
    return st;
}

static void fetch_free(struct fetch *f)
{
    if (!f)
        return;
    ca_buf_release(&f->body);
    free(f->ctype);
    free(f);
}

void ca__result_release(ca_result *r)
{
    unsigned i;

    free(r->error);
    free(r->final_url);
    for (i = 0; i < r->nchain; i++)
        free(r->chain[i].url);
    free(r->chain);
    if (r->archive)
        free(r->archive->url);
    free(r->archive);
    memset(r, 0, sizeof *r);
}

static void result_release(ca_result *r)
{
    ca__result_release(r);
}

static void ext_free(struct item_ext *e)
{
    uint16_t k;

    if (!e)
        return;
    for (k = 0; k < e->nfrags; k++)
        free(e->frags[k].s);
    free(e->frags);
    free(e->sketch);
    free(e->page);
    if (e->before)
        ca__result_release(e->before);
    free(e->before);
    free(e->cap_url);
    free(e->after_url);
    free(e);
}

static void item_free(struct item *it)
{
    free(it->url);
    free(it->target);
    free(it->hop);
    fetch_free(it->fetch);
    result_release(&it->res);
    ext_free(it->ext);
}


void ca_checker_destroy(ca_checker *chk)
{
    size_t i;

    if (!chk)
        return;
    ca__sched_release(chk);
    for (i = 0; i < chk->nitems; i++)
        item_free(&chk->items[i]);
    for (i = 0; i < chk->naux; i++) {
        item_free(&chk->aux[i]->it);
        curl_slist_free_all(chk->aux[i]->req_headers);
        free(chk->aux[i]);
    }
    free(chk->aux);
    ca__probes_release(chk);
    free(chk->items);
    free(chk->table);
    curl_slist_free_all(chk->headers);
    curl_slist_free_all(chk->resolve);
    ca__rules_release(&chk->rules);
    free(chk->user_agent);
    free(chk);
}

struct item *ca__item(ca_checker *chk, uint32_t id)
{
    return id & CA_AUX_BIT ? &chk->aux[id & ~CA_AUX_BIT]->it : &chk->items[id];
}

uint32_t ca__item_id(const ca_checker *chk, const struct item *it)
{
    if (it->flags & IT_AUX)
        return CA_AUX_BIT | ((const struct aux *)(const void *)it)->index;
    return (uint32_t)(it - chk->items);
}

struct aux *ca__aux(ca_checker *chk, uint32_t id)
{
    return chk->aux[id & ~CA_AUX_BIT];
}

struct item_ext *ca__item_ext(struct item *it)
{
    if (!it->ext && (it->ext = calloc(1, sizeof *it->ext))) {
        it->ext->probe = it->ext->wait_next = CA_NONE;
    }
    return it->ext;
}

uint64_t ca__random(ca_checker *chk)
{
    chk->rng = chk->rng * 6364136223846793005ull + 1442695040888963407ull;
    return chk->rng >> 33;
}

uint32_t ca__aux_new(ca_checker *chk, enum aux_kind kind, uint32_t owner, const char *url)
{
    struct aux *a;

    if (chk->naux >= (CA_AUX_BIT - 1))
        return CA_NONE;
    if (chk->naux == chk->aux_cap) {
        size_t ncap = chk->aux_cap ? chk->aux_cap * 2 : 64;
        struct aux **p = realloc(chk->aux, ncap * sizeof *p);

        if (!p)
            return CA_NONE;
        chk->aux = p;
        chk->aux_cap = ncap;
    }
    a = calloc(1, sizeof *a);
    if (!a || !(a->it.url = strdup(url))) {
        free(a);
        return CA_NONE;
    }
    a->index = (uint32_t)chk->naux;
    a->kind = (uint8_t)kind;
    a->owner = owner;
    a->it.host = a->it.next = CA_NONE;
    a->it.flags = IT_AUX;
    if (kind == AUX_PROBE || kind == AUX_MEMENTO)
        a->it.flags |= IT_CONTENT;
    else if (kind == AUX_AVAIL || kind == AUX_CDX_BEFORE || kind == AUX_CDX_AFTER)
        a->it.flags |= IT_KEEP_ANY;
    else if (kind == AUX_TIMEGATE)
        a->it.flags |= IT_NOFOLLOW;
    chk->aux[chk->naux++] = a;
    return CA_AUX_BIT | a->index;
}

ca_status ca__item_set_error(struct item *it, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = ca__vformat(fmt, ap);
    va_end(ap);
    if (!s)
        return CA_NOMEM;
    free(it->res.error);
    it->res.error = s;
    return CA_OK;
}

/*
 * A page fetched again after its check: when it still answers, the check's
 * verdict on its content stands (a fetch reads no template, makes no probe,
 * asks no archive), and so does its archived copy.
 */
static void keep_before(struct item *it)
{
    ca_result *b = it->ext->before;
    ca_class c = it->res.cls;

    it->ext->before = NULL;
    if ((c == CA_CLASS_OK || c == CA_CLASS_REDIRECTED) && b->reason != CA_REASON_NONE &&
        b->reason != CA_REASON_BOT_PROTECTION) {
        it->res.cls = b->cls;
        it->res.reason = b->reason;
        free(it->res.error);
        it->res.error = b->error;
        b->error = NULL;
    }
    if (!it->res.archive) {
        it->res.archive = b->archive;
        b->archive = NULL;
    }
    ca__result_release(b);
    free(b);
}

void ca__item_finish(ca_checker *chk, struct item *it, ca_class cls)
{
    it->res.cls = cls;
    if (it->ext && it->ext->before)
        keep_before(it);
    it->res.checked_at = (int64_t)time(NULL);
    it->state = ITEM_DONE;
    if (chk->total) {
        chk->done++;
        if (ca_class_fails_by_default(cls))
            chk->failing++;
    }
    chk->verdicts_since_idle++;
    if (chk->o.hooks.on_result)
        chk->o.hooks.on_result(chk, (size_t)(it - chk->items), chk->o.hooks.ud);
}

/* The scheme of url through curl's parser: "http", "mailto", ... or NULL. */
static char *scheme_of(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *copy = NULL;

    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK)
        copy = strdup(scheme);
    curl_free(scheme);
    curl_url_cleanup(u);
    return copy;
}

/* Decide what needs no request; leave the item NEW otherwise. */
static ca_status classify_new(ca_checker *chk, struct item *it)
{
    char *scheme = scheme_of(it->url);

    if (!scheme) {
        /* curl's parser wants "scheme://"; mailto:, tel: and the like are
         * told apart from garbage by the URL module. */
        ca_url u;

        if (ca_url_normalize(it->url, NULL, &u, NULL) != CA_OK)
            return CA_NOMEM;
        if (u.kind == CA_URL_UNSUPPORTED && u.scheme) {
            ca__item_set_error(it, "%s: links are not checked (only http and https)", u.scheme);
            ca__item_finish(chk, it, CA_CLASS_UNSUPPORTED);
        } else if (!u.scheme) {
            ca__item_set_error(it, "a relative link, and the document has no URL to resolve "
                                   "it against; give --base-url");
            ca__item_finish(chk, it, CA_CLASS_INVALID);
        } else {
            ca__item_set_error(it, "not a valid URL");
            ca__item_finish(chk, it, CA_CLASS_INVALID);
        }
        ca_url_release(&u);
        return CA_OK;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        ca__item_set_error(it, "%s: links are not checked (only http and https)", scheme);
        free(scheme);
        ca__item_finish(chk, it, CA_CLASS_UNSUPPORTED);
        return CA_OK;
    }
    free(scheme);
    if (ca__rules_excluded(&chk->rules, it->url)) {
        ca__item_finish(chk, it, CA_CLASS_EXCLUDED);
        return CA_OK;
    }
    if (chk->rules.nremap) {
        it->target = ca__rules_remap(&chk->rules, it->url);
        if (it->target && !strcmp(it->target, it->url)) {
            free(it->target);
            it->target = NULL;
        }
    }
    return CA_OK;
}

/* want_body: 0 check, 1 fetch, -1 decided by the caller (no classification). */
static ca_status add(ca_checker *chk, const char *url, int want_body, size_t *ret_id,
                     ca_error *err)
{
    uint32_t *slot;
    struct item *it;

    if (!url)
        url = "";
    if ((chk->nitems + 1) * 2 > chk->table_cap && grow_table(chk) < 0)
        goto nomem;
    slot = slot_of(chk, url);
    if (*slot != CA_NONE) {
        it = &chk->items[*slot];
        *ret_id = *slot;
        if (want_body < 0)
            return CA_OK;
        if (want_body > 0 && !it->want_body && it->state == ITEM_DONE &&
            it->res.checked_at) {
            /* checked, not fetched: fetch it in the next run, keeping what only
             * the check knew (content verdicts, the archived copy) */
            struct item_ext *e = it->res.reason || it->res.archive ? ca__item_ext(it) : NULL;

            if (e && !e->before && (e->before = malloc(sizeof *e->before))) {
                *e->before = it->res;
                memset(&it->res, 0, sizeof it->res);
            } else {
                result_release(&it->res);
            }
            it->state = ITEM_NEW;
            it->want_body = 1;
        } else if (want_body > 0) {
            it->want_body = 1;
        }
        return CA_OK;
    }
    if (chk->nitems >= CA_NONE - 1)
        return ca_error_set(err, CA_LIMIT, "more than 2^32 unique URLs in one run");
    if (chk->nitems == chk->items_cap) {
        size_t ncap = chk->items_cap ? chk->items_cap * 2 : 256;
        struct item *p = realloc(chk->items, ncap * sizeof *p);

        if (!p)
            goto nomem;
        chk->items = p;
        chk->items_cap = ncap;
    }
    it = &chk->items[chk->nitems];
    memset(it, 0, sizeof *it);
    it->url = strdup(url);
    if (!it->url)
        goto nomem;
    it->host = it->next = CA_NONE;
    it->want_body = want_body > 0;
    *slot = (uint32_t)chk->nitems;
    *ret_id = chk->nitems++;
    return want_body < 0 ? CA_OK : classify_new(chk, it);
nomem:
    return ca_error_set(err, CA_NOMEM, "out of memory adding %s", url);
}

ca_status ca_checker_add(ca_checker *chk, const char *url, size_t *ret_id, ca_error *err)
{
    return add(chk, url, 0, ret_id, err);
}

ca_status ca_checker_add_fetch(ca_checker *chk, const char *url, size_t *ret_id,
                               ca_error *err)
{
    return add(chk, url, 1, ret_id, err);
}

/* Keep fragment f for it (once). */
static int add_fragment(struct item *it, const char *f)
{
    struct item_ext *e = ca__item_ext(it);
    struct frag *p;
    uint16_t k;

    if (!e)
        return -1;
    for (k = 0; k < e->nfrags; k++)
        if (!strcmp(e->frags[k].s, f))
            return 0;
    if (e->nfrags >= 1000)
        return 0; /* a page cited with a thousand fragments: enough */
    p = realloc(e->frags, (e->nfrags + 1u) * sizeof *p);
    if (!p)
        return -1;
    e->frags = p;
    p[e->nfrags].s = strdup(f);
    p[e->nfrags].state = CA_FRAGMENT_UNCHECKED;
    if (!p[e->nfrags].s)
        return -1;
    e->nfrags++;
    return 0;
}

ca_status ca_checker_add_cited(ca_checker *chk, const char *url, const ca_cite_info *ci,
                               size_t *ret_id, ca_error *err)
{
    ca_status st = add(chk, url, 0, ret_id, err);
    struct item *it;
    struct item_ext *e;

    if (st != CA_OK || !ci)
        return st;
    it = &chk->items[*ret_id];
    if (it->state == ITEM_DONE && !it->res.attempts && it->res.cls != CA_CLASS_UNKNOWN)
        return CA_OK; /* unsupported, invalid, excluded: no request to shape */
    if ((chk->o.content == CA_CONTENT_ALL ||
         (chk->o.content == CA_CONTENT_CITATIONS && ci->body && ci->kind == CA_KIND_LINK)))
        it->flags |= IT_CONTENT;
    if (ci->fragment && chk->o.fragments && add_fragment(it, ci->fragment) < 0)
        goto nomem;
    if (chk->o.archive && (ci->cited_at || (ci->body && ci->kind == CA_KIND_LINK))) {
        e = ca__item_ext(it);
        if (!e)
            goto nomem;
        if (ci->cited_at && (!e->cited_at || ci->cited_at < e->cited_at))
            e->cited_at = ci->cited_at;
        if (ci->body && ci->kind == CA_KIND_LINK)
            e->wants_drift = 1;
    }
    return CA_OK;
nomem:
    return ca_error_set(err, CA_NOMEM, "out of memory adding %s", url);
}

ca_fragment_state ca_checker_fragment(const ca_checker *chk, size_t id, const char *fragment)
{
    const struct item_ext *e = id < chk->nitems ? chk->items[id].ext : NULL;
    uint16_t k;

    for (k = 0; e && fragment && k < e->nfrags; k++)
        if (!strcmp(e->frags[k].s, fragment))
            return (ca_fragment_state)e->frags[k].state;
    return CA_FRAGMENT_UNCHECKED;
}

int ca_checker_needs_request(const ca_checker *chk, size_t id)
{
    const struct item_ext *e = id < chk->nitems ? chk->items[id].ext : NULL;

    return e && e->nfrags && chk->o.fragments;
}

void ca_checker_stats(const ca_checker *chk, ca_check_stats *ret)
{
    *ret = chk->stats;
}

ca_status ca_checker_add_decided(ca_checker *chk, const char *key, ca_class cls,
                                 const char *why, size_t *ret_id, ca_error *err)
{
    size_t before = chk->nitems;
    ca_status st = add(chk, key, -1, ret_id, err);
    struct item *it;

    if (st != CA_OK || chk->nitems == before)
        return st;
    it = &chk->items[*ret_id];
    if (why && ca__item_set_error(it, "%s", why) != CA_OK)
        return ca_error_set(err, CA_NOMEM, "out of memory adding %s", key);
    ca__item_finish(chk, it, cls);
    return CA_OK;
}

ca_status ca_checker_run(ca_checker *chk, ca_check_progress_fn progress, void *ud,
                         ca_error *err)
{
    return ca__sched_run(chk, progress, ud, err);
}

void ca_checker_interrupt(ca_checker *chk)
{
    chk->interrupted = 1;
}

size_t ca_checker_count(const ca_checker *chk)
{
    return chk->nitems;
}

const char *ca_checker_url(const ca_checker *chk, size_t id)
{
    return id < chk->nitems ? chk->items[id].url : NULL;
}

const ca_result *ca_checker_result(const ca_checker *chk, size_t id)
{
    return id < chk->nitems ? &chk->items[id].res : NULL;
}

const char *ca_checker_body(const ca_checker *chk, size_t id, size_t *ret_len,
                            const char **ret_type)
{
    const struct fetch *f = id < chk->nitems ? chk->items[id].fetch : NULL;

    *ret_len = f ? f->body.len : 0;
    if (ret_type)
        *ret_type = f ? f->ctype : NULL;
    if (!f)
        return NULL;
    return f->body.data ? f->body.data : "";
}

void ca_checker_drop_body(ca_checker *chk, size_t id)
{
    if (id < chk->nitems) {
        fetch_free(chk->items[id].fetch);
        chk->items[id].fetch = NULL;
    }
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return src && !*dst ? -1 : 0;
}

ca_status ca_checker_set_known(ca_checker *chk, size_t id, const ca_result *res,
                               ca_error *err)
{
    ca_status st = ca__checker_set_result(chk, id, res);

    if (st == CA_INVALID)
        return ca_error_set(err, st, "no link with id %zu in the checker", id);
    if (st != CA_OK)
        return ca_error_set(err, st, "out of memory keeping a known result");
    return CA_OK;
}

ca_status ca__checker_set_result(ca_checker *chk, size_t id, const ca_result *res)
{
    ca_result *r;
    unsigned i;

    if (id >= chk->nitems)
        return CA_INVALID;
    r = &chk->items[id].res;
    result_release(r);
    *r = *res;
    r->error = r->final_url = NULL;
    r->chain = NULL;
    r->nchain = 0;
    r->archive = NULL;
    if (dup_or_null(&r->error, res->error) < 0 || dup_or_null(&r->final_url, res->final_url) < 0)
        return CA_NOMEM;
    if (res->archive) {
        r->archive = calloc(1, sizeof *r->archive);
        if (!r->archive)
            return CA_NOMEM;
        *r->archive = *res->archive;
        r->archive->url = NULL;
        if (dup_or_null(&r->archive->url, res->archive->url) < 0)
            return CA_NOMEM;
    }
    if (res->nchain) {
        r->chain = calloc(res->nchain, sizeof *r->chain);
        if (!r->chain)
            return CA_NOMEM;
        for (i = 0; i < res->nchain; i++) {
            r->chain[i].http_code = res->chain[i].http_code;
            if (dup_or_null(&r->chain[i].url, res->chain[i].url) < 0)
                return CA_NOMEM;
            r->nchain++;
        }
    }
    chk->items[id].state = ITEM_DONE;
    return CA_OK;
}
