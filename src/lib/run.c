/*
 * run.c - the run model: documents reduced to what reports need, their
 * citations as compact records pointing at checker ids. Documents are
 * copied in and can be freed at once, which keeps a run over a million
 * links within a few hundred bytes per link.
 */
#include <curl/curl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "citeaudit/run.h"
#include "citeaudit/input.h"
#include "citeaudit/url.h"
#include "strutil.h"

ca_status ca_run_create(const ca_check_opts *opts, ca_run **ret, ca_error *err)
{
    ca_run *run = calloc(1, sizeof *run);
    ca_status st;

    *ret = NULL;
    if (!run)
        return ca_error_set(err, CA_NOMEM, "out of memory creating a run");
    st = ca_checker_create(opts, &run->chk, err);
    if (st != CA_OK) {
        free(run);
        return st;
    }
    run->started = (int64_t)time(NULL);
    *ret = run;
    return CA_OK;
}

static void doc_release(ca_run_doc *d)
{
    free(d->origin);
    free(d->url);
    free(d->outlet);
    free(d->title);
    free(d->published);
    free(d->error);
}

void ca_run_destroy(ca_run *run)
{
    size_t i;

    if (!run)
        return;
    for (i = 0; i < run->ndocs; i++)
        doc_release(&run->docs[i]);
    for (i = 0; i < run->nfrags; i++) {
        free(run->frags[i].fragment);
        free(run->frags[i].res.error);
    }
    free(run->frags);
    for (i = 0; i < run->nsources; i++)
        free(run->sources[i]);
    free(run->sources);
    free(run->source_table);
    free(run->docs);
    free(run->cites);
    ca_checker_destroy(run->chk);
    free(run);
}

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

/* Append a zeroed document; NULL when out of memory or past 2^32 docs. */
static ca_run_doc *new_doc(ca_run *run)
{
    ca_run_doc *d;

    if (run->ndocs >= UINT32_MAX)
        return NULL;
    if (run->ndocs == run->docs_cap) {
        size_t ncap = run->docs_cap ? run->docs_cap * 2 : 16;
        ca_run_doc *p = realloc(run->docs, ncap * sizeof *p);

        if (!p)
            return NULL;
        run->docs = p;
        run->docs_cap = ncap;
    }
    d = &run->docs[run->ndocs++];
    memset(d, 0, sizeof *d);
    d->first = run->ncites;
    return d;
}

static int reserve_cites(ca_run *run, size_t more)
{
    size_t ncap;
    ca_run_cite *p;

    if (run->ncites + more <= run->cites_cap)
        return 0;
    ncap = run->cites_cap ? run->cites_cap : 64;
    while (ncap < run->ncites + more)
        ncap *= 2;
    p = realloc(run->cites, ncap * sizeof *p);
    if (!p)
        return -1;
    run->cites = p;
    run->cites_cap = ncap;
    return 0;
}

static uint32_t *source_slot(const ca_run *run, const char *key)
{
    size_t mask = run->source_table_cap - 1, i = ca__hash_str(key) & mask;

    while (run->source_table[i] != CA_RUN_NO_SOURCE &&
           strcmp(run->sources[run->source_table[i]], key) != 0)
        i = (i + 1) & mask;
    return &run->source_table[i];
}

static int grow_sources(ca_run *run)
{
    size_t ncap = run->source_table_cap ? run->source_table_cap * 2 : 256, i;
    uint32_t *old = run->source_table;
    size_t oldcap = run->source_table_cap;
    char **p = realloc(run->sources, (ncap / 2) * sizeof *p);

    if (!p)
        return -1;
    run->sources = p;
    run->sources_cap = ncap / 2;
    run->source_table = malloc(ncap * sizeof *run->source_table);
    if (!run->source_table) {
        run->source_table = old;
        return -1;
    }
    memset(run->source_table, 0xff, ncap * sizeof *run->source_table);
    run->source_table_cap = ncap;
    for (i = 0; i < oldcap; i++)
        if (old[i] != CA_RUN_NO_SOURCE)
            *source_slot(run, run->sources[old[i]]) = old[i];
    free(old);
    return 0;
}

/* The index of source key (interned on first sight); -1 when out of memory. */
static int64_t intern_source(ca_run *run, const char *key)
{
    uint32_t *slot;

    if (run->nsources + 1 > run->source_table_cap / 2 && grow_sources(run) < 0)
        return -1;
    slot = source_slot(run, key);
    if (*slot != CA_RUN_NO_SOURCE)
        return *slot;
    run->sources[run->nsources] = strdup(key);
    if (!run->sources[run->nsources])
        return -1;
    *slot = (uint32_t)run->nsources;
    return (int64_t)run->nsources++;
}

/* The file: URL of a local document, for resolving its relative links. */
static char *file_base(const char *origin)
{
    char *abs, *base;

    if (!strcmp(origin, "-")) {
        char cwd[PATH_MAX];

        if (!getcwd(cwd, sizeof cwd))
            return NULL;
        return ca__format("file://%s/-", cwd);
    }
    abs = realpath(origin, NULL);
    if (!abs)
        return NULL;
    base = ca__format("file://%s", abs);
    free(abs);
    return base;
}

/* Nonzero when href is a relative reference (no scheme), e.g. "setup.md#x". */
static int is_relative(const char *href)
{
    ca_url u;
    int rel;

    if (!href || ca_url_normalize(href, NULL, &u, NULL) != CA_OK)
        return 0;
    rel = u.kind == CA_URL_INVALID && !u.scheme && href[0] != '/';
    ca_url_release(&u);
    return rel;
}

/*
 * A relative link in a local document with no URL of its own points at a
 * file beside it (documentation in a repository): resolve it with curl
 * against the document's file: URL and look the file up. Returns 1 when
 * the link was handled (added to the checker, *id set), 0 when it is not
 * such a link, -1 on failure.
 */
static int local_link(ca_run *run, const ca_doc *doc, const ca_citation *c, size_t *id,
                      ca_error *err)
{
    CURLU *u = NULL;
    char *base = NULL, *path = NULL, *key = NULL, *why = NULL;
    struct stat sb;
    int rc = 0, found;

    if (doc->url || !c->invalid || ca_input_is_url(doc->origin) || !is_relative(c->href))
        return 0;
    base = file_base(doc->origin);
    u = curl_url();
    if (!base || !u || curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, c->href, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK)
        goto out; /* not resolvable as a file: keep it invalid */
    found = stat(path, &sb) == 0;
    key = ca__format("file://%s", path);
    why = found ? NULL : ca__format("no such file: %s", path);
    if (!key || (!found && !why)) {
        rc = -1;
        ca_error_set(err, CA_NOMEM, "out of memory");
        goto out;
    }
    rc = ca_checker_add_decided(run->chk, key, found ? CA_CLASS_OK : CA_CLASS_DEAD, why, id,
                                err) == CA_OK ? 1 : -1;
out:
    curl_free(path);
    curl_url_cleanup(u);
    free(base);
    free(key);
    free(why);
    return rc;
}

int64_t ca_run_date(const char *s)
{
    int y, mo, d, h = 23, mi = 59, sec = 59, n = 0, oh = 0, om = 0, sign = 0;
    struct tm tm;
    const char *z;

    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || y < 1900 || mo < 1 ||
        mo > 12 || d < 1 || d > 31)
        return 0;
    z = s + n;
    if ((*z == 'T' || *z == ' ') && sscanf(z + 1, "%2d:%2d%n", &h, &mi, &n) == 2) {
        z += 1 + n;
        sec = 0;
        if (*z == ':' && sscanf(z + 1, "%2d%n", &sec, &n) == 1)
            z += 1 + n;
        if (*z == '.')
            z += 1 + strspn(z + 1, "0123456789");
        if ((*z == '+' || *z == '-') && sscanf(z + 1, "%2d:%2d", &oh, &om) >= 1)
            sign = *z == '+' ? 1 : -1;
        else if ((*z == '+' || *z == '-') && sscanf(z + 1, "%2d%2d", &oh, &om) >= 1)
            sign = *z == '+' ? 1 : -1;
    }
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return (int64_t)timegm(&tm) - sign * (int64_t)(oh * 3600 + om * 60);
}

/* Keep a citation's fragment (cites are added in order, so frags stay sorted). */
static int keep_fragment(ca_run *run, const char *fragment)
{
    ca_run_frag *f;

    if (run->nfrags == run->frags_cap) {
        size_t ncap = run->frags_cap ? run->frags_cap * 2 : 16;

        f = realloc(run->frags, ncap * sizeof *f);
        if (!f)
            return -1;
        run->frags = f;
        run->frags_cap = ncap;
    }
    f = &run->frags[run->nfrags];
    memset(f, 0, sizeof *f);
    f->cite = (uint32_t)run->ncites;
    f->fragment = strdup(fragment);
    if (!f->fragment)
        return -1;
    run->nfrags++;
    return 0;
}

ca_status ca_run_add_doc(ca_run *run, const ca_doc *doc, const char *origin, int body_only,
                         ca_error *err)
{
    ca_run_doc *d = new_doc(run);
    int64_t when = ca_run_date(doc->published);
    size_t i;
    ca_status st;

    if (!d || dup_opt(&d->origin, origin ? origin : doc->origin) < 0 ||
        dup_opt(&d->url, doc->url) < 0 || dup_opt(&d->outlet, doc->outlet) < 0 ||
        dup_opt(&d->title, doc->title) < 0 || dup_opt(&d->published, doc->published) < 0 ||
        reserve_cites(run, doc->ncites) < 0)
        goto nomem;
    d->links_dropped = doc->links_dropped;
    for (i = 0; i < doc->ncites; i++) {
        const ca_citation *c = &doc->cites[i];
        ca_run_cite *rc;
        size_t id;

        if (body_only && c->region != CA_REGION_BODY)
            continue;
        switch (local_link(run, doc, c, &id, err)) {
        case 1:
            break;
        case 0: {
            ca_cite_info ci = {c->region == CA_REGION_BODY, c->kind,
                               c->fragment && *c->fragment ? c->fragment : NULL, when};

            st = ca_checker_add_cited(run->chk, c->url, &ci, &id, err);
            if (st != CA_OK)
                return st;
            break;
        }
        default:
            return err ? err->code : CA_NOMEM;
        }
        if (id > UINT32_MAX)
            return ca_error_set(err, CA_LIMIT, "%s: more than 2^32 unique links in one run",
                                d->origin);
        if (c->fragment && *c->fragment && keep_fragment(run, c->fragment) < 0)
            goto nomem;
        rc = &run->cites[run->ncites++];
        rc->doc = (uint32_t)(run->ndocs - 1);
        rc->link = (uint32_t)id;
        rc->line = c->line;
        rc->col = c->col;
        rc->region = (uint8_t)c->region;
        rc->kind = (uint8_t)c->kind;
        rc->source = CA_RUN_NO_SOURCE;
        if (c->source) {
            int64_t si = intern_source(run, c->source);

            if (si < 0)
                goto nomem;
            rc->source = (uint32_t)si;
        }
        d->n++;
    }
    return CA_OK;
nomem:
    return ca_error_set(err, CA_NOMEM, "out of memory adding %s to the run",
                        origin ? origin : doc->origin);
}

ca_status ca_run_add_failed(ca_run *run, const char *origin, const char *why, ca_error *err)
{
    ca_run_doc *d = new_doc(run);

    if (!d || dup_opt(&d->origin, origin) < 0 || dup_opt(&d->error, why) < 0)
        return ca_error_set(err, CA_NOMEM, "out of memory adding %s to the run", origin);
    return CA_OK;
}

static const ca_run_frag *frag_of(const ca_run *run, const ca_run_cite *c)
{
    size_t lo = 0, hi = run->nfrags, mid;
    uint32_t k;

    if (!run->nfrags || c < run->cites || c >= run->cites + run->ncites)
        return NULL;
    k = (uint32_t)(c - run->cites);
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (run->frags[mid].cite == k)
            return &run->frags[mid];
        if (run->frags[mid].cite < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const ca_result *ca_run_result(const ca_run *run, const ca_run_cite *c)
{
    const ca_run_frag *f = frag_of(run, c);

    return f && f->derived ? &f->res : ca_checker_result(run->chk, c->link);
}

const char *ca_run_fragment(const ca_run *run, const ca_run_cite *c)
{
    const ca_run_frag *f = frag_of(run, c);

    return f ? f->fragment : NULL;
}

/* The message of a fragment's state, for people. */
static char *fragment_message(ca_fragment_state st, const char *frag)
{
    const char *dir = strstr(frag, ":~:");

    switch (st) {
    case CA_FRAGMENT_MISSING:
        if (dir && dir != frag)
            return ca__format("#%s: the page has no element with id '%.*s', or not the text "
                              "the fragment quotes", frag, (int)(dir - frag), frag);
        if (dir)
            return ca__format("#%s: the text the fragment quotes is not on the page", frag);
        return ca__format("#%s: the page has no element with that id and no <a name> of it; "
                          "the section was renamed or removed", frag);
    case CA_FRAGMENT_CLIENT_SIDE:
        return ca__format("#%s: only the page's scripts could make this fragment; not "
                          "verified", frag);
    case CA_FRAGMENT_UNVERIFIED:
        return ca__format("#%s: not found in the part of the page read (the checker reads "
                          "at most a few MiB); not verified", frag);
    default:
        return NULL;
    }
}

ca_status ca_run_settle(ca_run *run, ca_error *err)
{
    size_t i;

    for (i = 0; i < run->nfrags; i++) {
        ca_run_frag *f = &run->frags[i];
        const ca_run_cite *c = &run->cites[f->cite];
        const ca_result *base = ca_checker_result(run->chk, c->link);
        ca_fragment_state st = ca_checker_fragment(run->chk, c->link, f->fragment);

        free(f->res.error);
        memset(&f->res, 0, sizeof f->res);
        f->derived = 0;
        if (!base || (base->cls != CA_CLASS_OK && base->cls != CA_CLASS_REDIRECTED) ||
            base->reason != CA_REASON_NONE || st == CA_FRAGMENT_UNCHECKED ||
            st == CA_FRAGMENT_FOUND)
            continue;
        f->res = *base;
        f->res.error = fragment_message(st, f->fragment);
        if (!f->res.error)
            return ca_error_set(err, CA_NOMEM, "out of memory settling fragments");
        f->res.reason = st == CA_FRAGMENT_MISSING ? CA_REASON_FRAGMENT_MISSING
                        : st == CA_FRAGMENT_CLIENT_SIDE ? CA_REASON_FRAGMENT_CLIENT_SIDE
                                                        : CA_REASON_FRAGMENT_UNVERIFIED;
        if (st == CA_FRAGMENT_MISSING)
            f->res.cls = CA_CLASS_DEAD;
        f->derived = 1;
    }
    return CA_OK;
}

const char *ca_run_url(const ca_run *run, const ca_run_cite *c)
{
    return ca_checker_url(run->chk, c->link);
}

const char *ca_run_source(const ca_run *run, const ca_run_cite *c)
{
    return c->source < run->nsources ? run->sources[c->source] : NULL;
}
