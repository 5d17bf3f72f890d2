/*
 * check_archive.c - archived copies of cited links, chosen the way
 * Wikipedia's InternetArchiveBot chooses them: the capture closest before
 * the date the link was cited (the citing document's publication), because
 * that is what its author saw; else the closest after. Only captures that
 * answered 200, 203 or 206 count.
 *
 * The lookup of a link goes, until one answers with a capture:
 *
 *   1. the Wayback availability API (ENDPOINT/wayback/available?url=&
 *      timestamp=), whose one "closest" capture is taken when it is before
 *      the date;
 *   2. the CDX API (ENDPOINT/cdx/search/cdx?url=&output=json&...): the last
 *      captures up to the date (to=, limit=-5), then the first after it
 *      (from=, limit=5) when there are none;
 *   3. each Memento TimeGate given (RFC 7089: BASE + URL with
 *      Accept-Datetime), through the Location of its redirect or the Link
 *      header's mementos, the named memento then asked to confirm it
 *      answers 2xx.
 *
 * A failing link gets its capture (a rescue). A live cited link of a dated
 * document gets one too, and its capture's main text is compared with the
 * live page's: below the threshold it has drifted. An archive that is down
 * or answers nonsense leaves the link without a capture; the run goes on.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "check_int.h"
#include "strutil.h"

#define DEFAULT_ENDPOINT "https://web.archive.org"
/* The Internet Archive documents its availability API on archive.org. */
#define DEFAULT_AVAILABILITY "https://archive.org"

/* ---- pure parts ---- */

int64_t ca__wayback_time(const char *ts)
{
    static const int len[] = {4, 2, 2, 2, 2, 2};
    int v[6] = {0, 1, 1, 0, 0, 0}, k, i;
    struct tm tm;
    const char *p = ts;

    if (!ts || !isdigit((unsigned char)*ts))
        return 0;
    for (k = 0; k < 6 && isdigit((unsigned char)*p); k++) {
        v[k] = 0;
        for (i = 0; i < len[k] && isdigit((unsigned char)*p); i++, p++)
            v[k] = v[k] * 10 + (*p - '0');
    }
    if (*p || v[0] < 1990 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
        return 0;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = v[0] - 1900;
    tm.tm_mon = v[1] - 1;
    tm.tm_mday = v[2];
    tm.tm_hour = v[3];
    tm.tm_min = v[4];
    tm.tm_sec = v[5];
    return (int64_t)timegm(&tm);
}

static void wayback_stamp(int64_t t, char out[16])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) || !strftime(out, 16, "%Y%m%d%H%M%S", &tm))
        out[0] = '\0';
}

int ca__capture_pick(const int64_t *times, const int *codes, size_t n, int64_t cited)
{
    int before = -1, after = -1;
    size_t i;

    for (i = 0; i < n; i++) {
        if (codes[i] != 200 && codes[i] != 203 && codes[i] != 206)
            continue;
        if (!cited || times[i] <= cited) {
            if (before < 0 || times[i] > times[before])
                before = (int)i;
        } else if (after < 0 || times[i] < times[after]) {
            after = (int)i;
        }
    }
    return before >= 0 ? before : after;
}

/* One entry of a Link header: its URI, rel and datetime, at *p; moves p on. */
static int link_entry(const char **p, char **uri, char **rel, int64_t *dt)
{
    const char *s = *p, *e;

    *uri = *rel = NULL;
    *dt = 0;
    s += strspn(s, " \t,");
    if (*s != '<')
        return 0;
    e = strchr(s, '>');
    if (!e)
        return 0;
    *uri = ca__strndup(s + 1, (size_t)(e - s - 1));
    s = e + 1;
    while (*s && *s != ',') {
        const char *name, *val;
        size_t nn, vn;

        s += strspn(s, " \t;");
        name = s;
        nn = strcspn(s, "=;,");
        s += nn;
        if (*s != '=')
            continue;
        s++;
        if (*s == '"') {
            val = ++s;
            vn = strcspn(s, "\"");
            s += vn + (s[vn] == '"');
        } else {
            val = s;
            vn = strcspn(s, ";,");
            s += vn;
        }
        while (nn && name[nn - 1] == ' ')
            nn--;
        if (nn == 3 && !strncasecmp(name, "rel", 3)) {
            free(*rel);
            *rel = ca__strndup(val, vn);
        } else if (nn == 8 && !strncasecmp(name, "datetime", 8)) {
            char *d = ca__strndup(val, vn);

            *dt = d ? (int64_t)curl_getdate(d, NULL) : 0;
            free(d);
        }
    }
    *p = s;
    return *uri != NULL;
}

static int rel_has(const char *rel, const char *token)
{
    size_t k = strlen(token);

    for (const char *s = rel; s && *s;) {
        size_t n;

        s += strspn(s, " ");
        n = strcspn(s, " ");
        if (n == k && !strncasecmp(s, token, k))
            return 1;
        s += n;
    }
    return 0;
}

int ca__memento_pick(const char *link, int64_t cited, char **ret_url, int64_t *ret_time)
{
    const char *p = link;
    char *uri, *rel, **uris = NULL;
    int64_t dt, *times = NULL;
    int *codes = NULL, best, rc = 0;
    size_t n = 0, cap = 0, i;

    *ret_url = NULL;
    *ret_time = 0;
    while (p && *p) {
        const char *before = p;

        if (!link_entry(&p, &uri, &rel, &dt)) {
            free(uri);
            free(rel);
            if (p == before)
                p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',');
            continue;
        }
        if (rel_has(rel, "memento") && dt > 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                if (!(uris = realloc(uris, cap * sizeof *uris)) ||
                    !(times = realloc(times, cap * sizeof *times)) ||
                    !(codes = realloc(codes, cap * sizeof *codes))) {
                    free(uri);
                    free(rel);
                    rc = -1;
                    goto out;
                }
            }
            uris[n] = uri;
            times[n] = dt;
            codes[n++] = 200; /* a TimeGate lists mementos; the verify step asks */
            uri = NULL;
        }
        free(uri);
        free(rel);
    }
    best = n ? ca__capture_pick(times, codes, n, cited) : -1;
    if (best >= 0) {
        *ret_url = uris[best];
        *ret_time = times[best];
        uris[best] = NULL;
        rc = 1;
    }
out:
    for (i = 0; i < n; i++)
        free(uris ? uris[i] : NULL);
    free(uris);
    free(times);
    free(codes);
    return rc;
}

/* ---- requests ---- */

/* s percent-encoded for a query value (RFC 3986 unreserved kept). */
static char *encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;

    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

static const char *endpoint(const ca_checker *chk)
{
    return chk->o.archive_endpoint ? chk->o.archive_endpoint : DEFAULT_ENDPOINT;
}

static size_t ntimegates(const ca_checker *chk)
{
    size_t n = 0;

    while (chk->o.timegates && chk->o.timegates[n])
        n++;
    return n;
}

/* Ask url as kind for it; STEP_WAIT, or STEP_DONE when it cannot be asked. */
static enum step ask(ca_checker *chk, struct item *it, enum aux_kind kind, char *url,
                     const char *extra_header)
{
    uint32_t id = url ? ca__aux_new(chk, kind, ca__item_id(chk, it), url) : CA_NONE;
    struct aux *a;
    const struct curl_slist *h;
    struct curl_slist *n;

    free(url);
    if (id == CA_NONE)
        return STEP_DONE;
    a = ca__aux(chk, id);
    if (extra_header) {
        for (h = chk->headers; h; h = h->next)
            if ((n = curl_slist_append(a->req_headers, h->data)))
                a->req_headers = n;
        if ((n = curl_slist_append(a->req_headers, extra_header)))
            a->req_headers = n;
    }
    ca__sched_aux(chk, id);
    return STEP_WAIT;
}

/* The URL the lookup is about: the citation's, not a mirror's. */
static const char *subject(const struct item *it)
{
    return it->url;
}

static enum step ask_avail(ca_checker *chk, struct item *it)
{
    const struct item_ext *e = it->ext;
    const char *base = chk->o.archive_endpoint ? chk->o.archive_endpoint : DEFAULT_AVAILABILITY;
    char stamp[16] = "", *u = encode(subject(it)), *url;
    size_t el = strlen(base);

    if (!u)
        return STEP_DONE;
    if (e && e->cited_at)
        wayback_stamp(e->cited_at, stamp);
    el -= el && base[el - 1] == '/';
    url = ca__format("%.*s/wayback/available?url=%s%s%s", (int)el, base, u,
                     stamp[0] ? "&timestamp=" : "", stamp);
    free(u);
    return ask(chk, it, AUX_AVAIL, url, NULL);
}

static enum step ask_cdx(ca_checker *chk, struct item *it, enum aux_kind kind)
{
    const struct item_ext *e = it->ext;
    char stamp[16] = "", *u = encode(subject(it)), *url;
    size_t el = strlen(endpoint(chk));

    if (!u)
        return STEP_DONE;
    if (e && e->cited_at)
        wayback_stamp(e->cited_at, stamp);
    el -= el && endpoint(chk)[el - 1] == '/';
    if (kind == AUX_CDX_AFTER)
        url = ca__format("%.*s/cdx/search/cdx?url=%s&output=json&fl=timestamp,original,"
                         "statuscode&filter=statuscode%%3A20%%5B036%%5D&from=%s&limit=5",
                         (int)el, endpoint(chk), u, stamp);
    else
        url = ca__format("%.*s/cdx/search/cdx?url=%s&output=json&fl=timestamp,original,"
                         "statuscode&filter=statuscode%%3A20%%5B036%%5D%s%s&limit=-5",
                         (int)el, endpoint(chk), u, stamp[0] ? "&to=" : "", stamp);
    free(u);
    return ask(chk, it, kind, url, NULL);
}

static enum step ask_timegate(ca_checker *chk, struct item *it)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct item_ext *e = it->ext;
    const char *base;
    char hdr[96];
    time_t t;
    struct tm tm;
    size_t bl;

    while (e->timegate < ntimegates(chk)) {
        base = chk->o.timegates[e->timegate++];
        bl = strlen(base);
        t = (time_t)(e->cited_at ? e->cited_at : (int64_t)time(NULL));
        if (!gmtime_r(&t, &tm))
            continue;
        snprintf(hdr, sizeof hdr, "Accept-Datetime: %s, %02d %s %04d %02d:%02d:%02d GMT",
                 days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
        if (ask(chk, it, AUX_TIMEGATE,
                ca__format("%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", subject(it)),
                hdr) == STEP_WAIT)
            return STEP_WAIT;
    }
    return STEP_DONE;
}

enum step ca__after_verdict(ca_checker *chk, struct item *it)
{
    struct item_ext *e = it->ext;
    unsigned mask = chk->o.archive_mask;
    ca_class c = it->res.cls;
    int rescue, drift;
    enum step s;

    if (!mask)
        mask = ca_class_default_fail_mask();
    if (!chk->o.archive || (it->flags & (IT_ARCHIVED | IT_AUX)) || it->target || it->want_body)
        goto none;
    rescue = (((mask >> c) & 1) && c != CA_CLASS_INVALID && c != CA_CLASS_UNSUPPORTED &&
              c != CA_CLASS_EXCLUDED && c != CA_CLASS_BLOCKED && c != CA_CLASS_UNKNOWN) ||
             (e && e->frag_missing);
    drift = !rescue && chk->o.drift && e && e->wants_drift && e->cited_at && e->nsketch &&
            (c == CA_CLASS_OK || c == CA_CLASS_REDIRECTED) && !it->res.reason;
    if (!rescue && !drift)
        goto none;
    if (!ca__item_ext(it))
        goto none;
    it->flags |= IT_ARCHIVED;
    chk->stats.archive_lookups++;
    s = ask_avail(chk, it);
    if (s == STEP_DONE)
        s = ask_timegate(chk, it);
    return s;
none:
    if (e && e->sketch) {
        free(e->sketch);
        e->sketch = NULL;
        e->nsketch = 0;
    }
    return STEP_DONE;
}

/* ---- answers ---- */

/* "http://web.archive.org/web/20240101000000/x" -> ".../20240101000000id_/x":
 * the capture as it was archived, without the archive's banner. */
static char *raw_capture(const char *url)
{
    const char *w = strstr(url, "/web/");
    size_t n;

    if (!w)
        return strdup(url);
    w += 5;
    n = strspn(w, "0123456789");
    if (n < 8 || w[n] != '/')
        return strdup(url);
    return ca__format("%.*sid_%s", (int)(w + n - url), url, w + n);
}

/* The lookup found url captured at t: keep it, then measure drift when wanted. */
static enum step found(ca_checker *chk, struct item *it, const char *url, int64_t t)
{
    ca_archive *a = calloc(1, sizeof *a);
    struct item_ext *e = it->ext;

    if (!a || !(a->url = strdup(url))) {
        free(a);
        return STEP_DONE;
    }
    a->time = t;
    a->drift = -1;
    if (it->res.archive) {
        free(it->res.archive->url);
        free(it->res.archive);
    }
    it->res.archive = a;
    chk->stats.archive_found++;
    if ((it->res.cls == CA_CLASS_OK || it->res.cls == CA_CLASS_REDIRECTED) && e && e->nsketch)
        return ask(chk, it, AUX_MEMENTO, raw_capture(url), NULL);
    return STEP_DONE;
}

/* Nothing more from Wayback: the TimeGates, then a capture after the date. */
static enum step wayback_exhausted(ca_checker *chk, struct item *it)
{
    struct item_ext *e = it->ext;
    char *u;
    enum step s = ask_timegate(chk, it);

    if (s == STEP_WAIT || !e->after_url)
        return s;
    u = e->after_url;
    e->after_url = NULL;
    s = found(chk, it, u, e->after_time);
    free(u);
    return s;
}

static void keep_after(struct item_ext *e, const char *url, int64_t t)
{
    char *u;

    if (e->after_url && e->after_time <= t)
        return;
    if (!(u = strdup(url)))
        return;
    free(e->after_url);
    e->after_url = u;
    e->after_time = t;
}

static json_t *body_json(const struct xfer *x, const struct aux *a)
{
    if (a->it.res.http_code != 200 || !x || !x->body.len)
        return NULL;
    return json_loadb(x->body.data, x->body.len, 0, NULL);
}

static enum step on_avail(ca_checker *chk, struct item *it, json_t *j)
{
    struct item_ext *e = it->ext;
    json_t *c = json_object_get(json_object_get(j, "archived_snapshots"), "closest");
    const char *url = json_string_value(json_object_get(c, "url"));
    const char *ts = json_string_value(json_object_get(c, "timestamp"));
    json_t *st = json_object_get(c, "status"), *av = json_object_get(c, "available");
    int code = json_is_string(st) ? atoi(json_string_value(st)) : (int)json_integer_value(st);
    int64_t t = ca__wayback_time(ts);

    if (url && t && (!av || json_is_true(av)) && ca__capture_pick(&t, &code, 1, 0) == 0) {
        if (!e->cited_at || t <= e->cited_at)
            return found(chk, it, url, t);
        keep_after(e, url, t); /* the closest is after the date: look for one before */
    }
    return ask_cdx(chk, it, AUX_CDX_BEFORE);
}

static enum step on_cdx(ca_checker *chk, struct item *it, json_t *j, enum aux_kind kind)
{
    struct item_ext *e = it->ext;
    size_t n = json_array_size(j), i, k, m = 0;
    int64_t *times = calloc(n ? n : 1, sizeof *times);
    int *codes = calloc(n ? n : 1, sizeof *codes), its = -1, io = -1, ic = -1, best;
    json_t *head = json_array_get(j, 0);
    enum step s;
    char *url = NULL;

    for (k = 0; k < json_array_size(head); k++) {
        const char *h = json_string_value(json_array_get(head, k));

        its = h && !strcmp(h, "timestamp") ? (int)k : its;
        io = h && !strcmp(h, "original") ? (int)k : io;
        ic = h && !strcmp(h, "statuscode") ? (int)k : ic;
    }
    for (i = 1; times && codes && its >= 0 && io >= 0 && i < n; i++) {
        json_t *row = json_array_get(j, i);
        const char *c = ic >= 0 ? json_string_value(json_array_get(row, (size_t)ic)) : "200";

        times[i] = ca__wayback_time(json_string_value(json_array_get(row, (size_t)its)));
        codes[i] = c ? atoi(c) : 0;
        m += times[i] != 0;
    }
    best = m ? ca__capture_pick(times + 1, codes + 1, n - 1, e->cited_at) : -1;
    if (best >= 0 && kind == AUX_CDX_BEFORE && e->cited_at && times[best + 1] > e->cited_at)
        best = -1; /* only after the date: the query from the date decides */
    if (best >= 0) {
        const char *orig = json_string_value(json_array_get(json_array_get(j, (size_t)best + 1),
                                                            (size_t)io));
        char stamp[16];
        size_t el = strlen(endpoint(chk));

        wayback_stamp(times[best + 1], stamp);
        el -= el && endpoint(chk)[el - 1] == '/';
        url = orig ? ca__format("%.*s/web/%s/%s", (int)el, endpoint(chk), stamp, orig) : NULL;
    }
    if (url && kind == AUX_CDX_AFTER) {
        keep_after(e, url, times[best + 1]);
        s = wayback_exhausted(chk, it);
    } else if (url) {
        s = found(chk, it, url, times[best + 1]);
    } else if (kind == AUX_CDX_BEFORE && e->cited_at && !e->after_url) {
        s = ask_cdx(chk, it, AUX_CDX_AFTER);
    } else {
        s = wayback_exhausted(chk, it);
    }
    free(url);
    free(times);
    free(codes);
    return s;
}

/* The value of header name in the kept header lines (several joined by ", "). */
static char *header(const struct xfer *x, const char *name)
{
    const char *s = x->hdrs.data, *end = s ? s + x->hdrs.len : NULL;
    size_t nl = strlen(name);
    ca_buf v;

    if (!s)
        return NULL;
    ca_buf_init(&v, 64 * 1024);
    while (s < end) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        size_t ll = eol ? (size_t)(eol - s) : (size_t)(end - s);

        if (ll > nl && s[nl] == ':' && !strncasecmp(s, name, nl)) {
            const char *val = s + nl + 1;
            size_t vl = ll - nl - 1;

            while (vl && (*val == ' ' || *val == '\t'))
                val++, vl--;
            while (vl && (val[vl - 1] == '\r' || val[vl - 1] == ' '))
                vl--;
            if (v.len)
                ca_buf_puts(&v, ", ");
            ca_buf_append(&v, val, vl);
        }
        s += ll + 1;
    }
    return v.len ? ca_buf_steal(&v) : (ca_buf_release(&v), NULL);
}

/*
 * A TimeGate's answer: a memento itself (2xx with Memento-Datetime), or a
 * redirect to the memento it chose (Location) with the mementos around it
 * in its Link header (first, prev, next, last). The closest before the date
 * among the Link's mementos wins, else the Location; it is then asked.
 */
static enum step on_timegate(ca_checker *chk, struct item *it, const struct aux *a,
                             const struct xfer *x)
{
    struct item_ext *e = it->ext;
    int code = a->it.res.http_code;
    char *link = header(x, "link"), *loc = header(x, "location"), *mdt = NULL, *url = NULL;
    int64_t t = 0;
    enum step s;

    if (code >= 200 && code < 300 && (mdt = header(x, "memento-datetime"))) {
        char *cl = header(x, "content-location");

        t = (int64_t)curl_getdate(mdt, NULL);
        s = found(chk, it, cl ? cl : a->it.url, t > 0 ? t : 0);
        free(cl);
        goto out;
    }
    if (code >= 300 && code < 400) {
        if (!link || ca__memento_pick(link, e->cited_at, &url, &t) != 1) {
            url = loc;
            loc = NULL;
            t = 0;
        }
        if (url) {
            free(e->cap_url);
            e->cap_url = url;
            e->cap_time = t;
            url = NULL;
            s = ask(chk, it, AUX_VERIFY, strdup(e->cap_url), NULL);
            goto out;
        }
    }
    s = wayback_exhausted(chk, it);
out:
    free(link);
    free(loc);
    free(mdt);
    free(url);
    return s;
}

static enum step on_memento(ca_checker *chk, struct item *it, const struct aux *a,
                            const struct xfer *x)
{
    struct item_ext *e = it->ext;
    uint64_t *sk = NULL;
    uint16_t n = 0;
    double sim;

    if ((a->it.res.cls == CA_CLASS_OK || a->it.res.cls == CA_CLASS_REDIRECTED) && x->keep_cap &&
        x->body.len && it->res.archive &&
        ca__main_sketch(it->url, x->body.data, x->body.len, &sk, &n) == 0 && n) {
        sim = ca__sketch_similarity(e->sketch, e->nsketch, sk, n);
        it->res.archive->drift = sim;
        it->res.archive->drifted = sim < chk->o.drift_threshold;
        chk->stats.drift_measured++;
    }
    free(sk);
    return STEP_DONE;
}

void ca__archive_done(ca_checker *chk, struct aux *a, struct xfer *x)
{
    struct item *it = ca__item(chk, a->owner);
    struct item_ext *e = it->ext;
    enum step s = STEP_DONE;
    json_t *j = NULL;
    int ok = a->it.res.cls == CA_CLASS_OK || a->it.res.cls == CA_CLASS_REDIRECTED;

    switch ((enum aux_kind)a->kind) {
    case AUX_AVAIL:
        j = body_json(x, a);
        s = j ? on_avail(chk, it, j) : ask_cdx(chk, it, AUX_CDX_BEFORE);
        break;
    case AUX_CDX_BEFORE:
    case AUX_CDX_AFTER:
        j = body_json(x, a);
        s = json_is_array(j) ? on_cdx(chk, it, j, (enum aux_kind)a->kind)
                             : wayback_exhausted(chk, it);
        break;
    case AUX_TIMEGATE:
        s = on_timegate(chk, it, a, x);
        break;
    case AUX_VERIFY:
        if (ok && e->cap_url && !e->cap_time) {
            char *mdt = header(x, "memento-datetime");

            e->cap_time = mdt && curl_getdate(mdt, NULL) > 0 ? (int64_t)curl_getdate(mdt, NULL) : 0;
            free(mdt);
        }
        s = ok && e->cap_url ? found(chk, it, e->cap_url, e->cap_time)
                             : wayback_exhausted(chk, it);
        break;
    case AUX_MEMENTO:
        s = on_memento(chk, it, a, x);
        break;
    default:
        break;
    }
    json_decref(j);
    if (s == STEP_WAIT)
        return;
    if (e) {
        free(e->sketch);
        e->sketch = NULL;
        e->nsketch = 0;
        free(e->after_url);
        e->after_url = NULL;
        free(e->cap_url);
        e->cap_url = NULL;
    }
    ca__sched_resume(chk, it);
}
