/*
 * routes.c - parse the fixture server's routes file into routes, each a
 * sequence of steps, and pick the step that answers a request.
 *
 * A line is `[METHOD] PATH ACTION [ITEM...]`, split into words like a shell
 * would with double quotes only (inside quotes: \" \\ \n \r \t \xNN).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "routes.h"

#define MAX_LINE_WORDS 256
#define MAX_DELAY_MS (3600u * 1000u)

typedef struct words {
    char *w[MAX_LINE_WORDS];
    size_t n;
} words;

static void set_err(char err[FS_ERR_MAX], const char *file, unsigned line,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set_err(char err[FS_ERR_MAX], const char *file, unsigned line,
                    const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, FS_ERR_MAX, "%s:%u: ", file, line);

    if (n < 0 || n >= FS_ERR_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(err + n, FS_ERR_MAX - (size_t)n, fmt, ap);
    va_end(ap);
}

static void words_free(words *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i]);
    ws->n = 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode one escape at *p (just after the backslash) into *out. */
static const char *unescape(const char *p, char *out, const char **why)
{
    int hi, lo;

    switch (*p) {
    case 'n': *out = '\n'; return p + 1;
    case 'r': *out = '\r'; return p + 1;
    case 't': *out = '\t'; return p + 1;
    case '"': *out = '"'; return p + 1;
    case '\\': *out = '\\'; return p + 1;
    case 'x':
        hi = hexval((unsigned char)p[1]);
        lo = hi < 0 ? -1 : hexval((unsigned char)p[2]);
        if (lo < 0)
            break;
        *out = (char)(hi * 16 + lo);
        return p + 3;
    default:
        break;
    }
    *why = "unknown escape in quotes (use \\\" \\\\ \\n \\r \\t \\xNN)";
    return NULL;
}

/* Split line into words; -1 with *why on an unterminated quote and kin. */
static int split_words(const char *line, words *ws, const char **why)
{
    const char *p = line;
    size_t cap = strlen(line) + 1;

    ws->n = 0;
    for (;;) {
        char *w, *o;
        int quoted = 0;

        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            return 0;
        if (ws->n == MAX_LINE_WORDS) {
            *why = "too many words on one line";
            return -1;
        }
        w = o = malloc(cap);
        if (!w) {
            *why = "out of memory";
            return -1;
        }
        ws->w[ws->n++] = w;
        while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\r'))) {
            if (*p == '"') {
                quoted = !quoted;
                p++;
            } else if (quoted && *p == '\\') {
                p = unescape(p + 1, o++, why);
                if (!p)
                    return -1;
            } else {
                *o++ = *p++;
            }
        }
        if (quoted) {
            *why = "unterminated double quote";
            return -1;
        }
        *o = '\0';
    }
}

int fs_parse_size(const char *s, uint64_t *ret)
{
    char *end;
    unsigned long long v;
    unsigned shift = 0;

    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end || v > (UINT64_MAX >> 30))
        return -1;
    *ret = (uint64_t)v << shift;
    return 0;
}

static int parse_ms(const char *s, unsigned *ret)
{
    uint64_t v;

    if (strpbrk(s, "KkMmGg") || fs_parse_size(s, &v) < 0 || v > MAX_DELAY_MS)
        return -1;
    *ret = (unsigned)v;
    return 0;
}

char *fs_expand(const fs_routes *rt, const char *text, size_t len, size_t *ret_len)
{
    static const char *const names[] = {"@PORT@", "@BASE@"};
    const char *vals[] = {rt->port, rt->base};
    size_t grow = strlen(rt->base), cap = len + 1, n = 0;
    char *out;

    for (size_t i = 0; i + 6 <= len; i++)
        if (text[i] == '@' && (!memcmp(text + i, names[0], 6) || !memcmp(text + i, names[1], 6)))
            cap += grow;
    out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        int hit = -1;

        if (text[i] == '@' && i + 6 <= len)
            for (int k = 0; k < 2; k++)
                if (!memcmp(text + i, names[k], 6))
                    hit = k;
        if (hit < 0) {
            out[n++] = text[i++];
            continue;
        }
        memcpy(out + n, vals[hit], strlen(vals[hit]));
        n += strlen(vals[hit]);
        i += 6;
    }
    out[n] = '\0';
    if (ret_len)
        *ret_len = n;
    return out;
}

const char *fs_step_header(const fs_step *st, const char *name)
{
    for (size_t i = 0; i < st->nheaders; i++)
        if (!strcasecmp(st->headers[i].name, name))
            return st->headers[i].value;
    return NULL;
}

static void step_free(fs_step *st)
{
    for (size_t i = 0; i < st->nheaders; i++) {
        free(st->headers[i].name);
        free(st->headers[i].value);
    }
    free(st->headers);
    free(st->bytes);
    free(st->file);
}

void fs_routes_free(fs_routes *rt)
{
    for (size_t i = 0; i < rt->n; i++) {
        for (size_t j = 0; j < rt->routes[i].nsteps; j++)
            step_free(&rt->routes[i].steps[j]);
        free(rt->routes[i].steps);
        free(rt->routes[i].method);
        free(rt->routes[i].path);
        free(rt->routes[i].spec);
        for (size_t j = 0; j < rt->routes[i].nconds; j++) {
            free(rt->routes[i].conds[j].name);
            free(rt->routes[i].conds[j].value);
        }
        free(rt->routes[i].conds);
    }
    free(rt->routes);
    rt->routes = NULL;
    rt->n = 0;
    pthread_mutex_destroy(&rt->lock);
}

static int add_header(fs_step *st, const char *name, const char *value, const char **why)
{
    fs_header *h;
    size_t len = strlen(name) - 1; /* without the colon */

    if (!strncasecmp(name, "Content-Length", len) && len == 14) {
        *why = "Content-Length is set by the body; use 'length N' to declare another";
        return -1;
    }
    if (!strncasecmp(name, "Transfer-Encoding", len) && len == 17) {
        *why = "Transfer-Encoding is chosen by the server ('endless' is chunked)";
        return -1;
    }
    h = realloc(st->headers, (st->nheaders + 1) * sizeof *h);
    if (!h)
        goto nomem;
    st->headers = h;
    h = &st->headers[st->nheaders];
    h->name = strndup(name, len);
    h->value = strdup(value);
    if (!h->name || !h->value) {
        free(h->name);
        free(h->value);
        goto nomem;
    }
    st->nheaders++;
    return 0;
nomem:
    *why = "out of memory";
    return -1;
}

/* The first word after PATH: a status code, reset or close. */
static int parse_action(fs_step *st, const char *w, const char **why)
{
    char *end;
    long v;

    if (!strcmp(w, "reset")) {
        st->action = FS_RESET;
        return 0;
    }
    if (!strcmp(w, "close")) {
        st->action = FS_CLOSE;
        return 0;
    }
    v = strtol(w, &end, 10);
    if (*end || end == w || v < 100 || v > 999) {
        *why = "want a status code (100-999), 'reset' or 'close' after the path";
        return -1;
    }
    st->action = FS_RESPOND;
    st->status = (int)v;
    return 0;
}

static int set_body(fs_step *st, fs_body kind, const char **why)
{
    if (st->body != FS_BODY_NONE) {
        *why = "more than one body (body, body-file, fill, endless, gzip-bomb)";
        return -1;
    }
    st->body = kind;
    return 0;
}

/* One ITEM starting at ws->w[*i]; *i is left on its last word. */
static int parse_item(fs_step *st, const words *ws, size_t *i, char err[FS_ERR_MAX],
                      const char **why)
{
    const char *w = ws->w[*i], *arg = *i + 1 < ws->n ? ws->w[*i + 1] : NULL;
    size_t wl = strlen(w);
    uint64_t size;

    if (!strcmp(w, "endless"))
        return set_body(st, FS_BODY_ENDLESS, why);
    if (!arg) {
        snprintf(err, FS_ERR_MAX, wl > 1 && w[wl - 1] == ':'
                     ? "header '%s' needs a value (quote it if it has spaces)"
                     : "'%s' is an unknown word or lacks its argument", w);
        *why = err;
        return -1;
    }
    ++*i;
    if (wl > 1 && w[wl - 1] == ':' && w[0] != '/')
        return add_header(st, w, arg, why);
    if (!strcmp(w, "body")) {
        if (set_body(st, FS_BODY_BYTES, why) < 0)
            return -1;
        st->bytes = strdup(arg);
        st->nbytes = strlen(arg);
        return st->bytes ? 0 : (*why = "out of memory", -1);
    }
    if (!strcmp(w, "body-file")) {
        if (set_body(st, FS_BODY_FILE, why) < 0)
            return -1;
        st->file = strdup(arg);
        return st->file ? 0 : (*why = "out of memory", -1);
    }
    if (!strcmp(w, "fill") || !strcmp(w, "gzip-bomb") || !strcmp(w, "length")) {
        if (fs_parse_size(arg, &size) < 0) {
            *why = "want a size (bytes, with an optional K, M or G suffix)";
            return -1;
        }
        if (!strcmp(w, "length")) {
            st->has_length = 1;
            st->length = size;
            return 0;
        }
        if (!strcmp(w, "fill")) {
            st->fill = size;
            return set_body(st, FS_BODY_FILL, why);
        }
        if (set_body(st, FS_BODY_BYTES, why) < 0)
            return -1;
        if (fs_gzip_zeros(size, &st->bytes, &st->nbytes, err) < 0) {
            *why = err;
            return -1;
        }
        return fs_step_header(st, "Content-Encoding")
                   ? 0 : add_header(st, "Content-Encoding:", "gzip", why);
    }
    if (!strcmp(w, "delay") || !strcmp(w, "drip")) {
        if (parse_ms(arg, !strcmp(w, "delay") ? &st->delay_ms : &st->drip_ms) < 0) {
            *why = "want milliseconds (at most one hour)";
            return -1;
        }
        return 0;
    }
    snprintf(err, FS_ERR_MAX, "unknown word '%s' (see tests/server/README.md)", w);
    *why = err;
    return -1;
}

static int check_step(const fs_step *st, const char **why)
{
    if (st->action != FS_RESPOND && (st->nheaders || st->body || st->has_length ||
                                     st->drip_ms)) {
        *why = "reset and close send nothing: only 'delay' may follow them";
        return -1;
    }
    if (st->has_length && (st->body == FS_BODY_ENDLESS || (st->body == FS_BODY_NONE &&
                                                          st->drip_ms))) {
        *why = "'length' needs a body of known size (body, body-file, fill)";
        return -1;
    }
    return 0;
}

/* "a=1&b=*&c&!d" into r's conditions. */
static int parse_conds(fs_route *r, const char *q)
{
    while (*q) {
        size_t n = strcspn(q, "&");
        fs_cond *c, *p = realloc(r->conds, (r->nconds + 1) * sizeof *p);
        const char *eq;

        if (!p)
            return -1;
        r->conds = p;
        c = &p[r->nconds];
        memset(c, 0, sizeof *c);
        c->absent = *q == '!';
        q += c->absent;
        n -= (size_t)c->absent;
        eq = memchr(q, '=', n);
        c->name = strndup(q, eq ? (size_t)(eq - q) : n);
        if (eq && !(eq[1] == '*' && eq + 2 == q + n))
            c->value = strndup(eq + 1, (size_t)(q + n - eq - 1));
        r->nconds++;
        if (!c->name || (eq && !(eq[1] == '*' && eq + 2 == q + n) && !c->value))
            return -1;
        q += n;
        q += *q == '&';
    }
    return 0;
}

/* The route of (method, spec), created when new. */
static fs_route *route_for(fs_routes *rt, const char *method, const char *spec)
{
    fs_route *r;
    const char *q = strchr(spec, '?');
    size_t pl = q ? (size_t)(q - spec) : strlen(spec);

    for (size_t i = 0; i < rt->n; i++) {
        r = &rt->routes[i];
        if (!strcmp(r->spec, spec) && (r->method ? method && !strcmp(r->method, method)
                                                  : !method))
            return r;
    }
    r = realloc(rt->routes, (rt->n + 1) * sizeof *r);
    if (!r)
        return NULL;
    rt->routes = r;
    r = &rt->routes[rt->n];
    memset(r, 0, sizeof *r);
    r->spec = strdup(spec);
    r->path = strndup(spec, pl);
    r->method = method ? strdup(method) : NULL;
    if (!r->spec || !r->path || (method && !r->method) || (q && parse_conds(r, q + 1) < 0)) {
        free(r->spec);
        free(r->path);
        free(r->method);
        for (size_t j = 0; j < r->nconds; j++) {
            free(r->conds[j].name);
            free(r->conds[j].value);
        }
        free(r->conds);
        return NULL;
    }
    r->prefix = pl > 1 && spec[pl - 1] == '*';
    rt->n++;
    return r;
}

static int is_method(const char *w)
{
    if (!*w)
        return 0;
    for (const char *p = w; *p; p++)
        if (!isupper((unsigned char)*p))
            return 0;
    return 1;
}

/* Parse the words of one line into a new step of its route. */
static int parse_line(fs_routes *rt, const words *ws, unsigned line, char err[FS_ERR_MAX],
                      const char **why)
{
    size_t i = 0;
    const char *method = NULL;
    fs_step st, *steps;
    fs_route *r;

    memset(&st, 0, sizeof st);
    st.line = line;
    if (is_method(ws->w[0]))
        method = ws->w[i++];
    if (i >= ws->n || (ws->w[i][0] != '/' && strcmp(ws->w[i], "*"))) {
        *why = "want [METHOD] PATH ACTION: the path starts with '/' (or is '*')";
        return -1;
    }
    if (i + 1 >= ws->n) {
        *why = "no action after the path (a status code, 'reset' or 'close')";
        return -1;
    }
    if (parse_action(&st, ws->w[i + 1], why) < 0)
        return -1;
    for (i += 2; i < ws->n; i++)
        if (parse_item(&st, ws, &i, err, why) < 0)
            goto fail;
    if (check_step(&st, why) < 0)
        goto fail;
    r = route_for(rt, method, ws->w[method ? 1 : 0]);
    steps = r ? realloc(r->steps, (r->nsteps + 1) * sizeof *steps) : NULL;
    if (!steps) {
        *why = "out of memory";
        goto fail;
    }
    r->steps = steps;
    r->steps[r->nsteps++] = st;
    return 0;
fail:
    step_free(&st);
    return -1;
}

int fs_routes_load(fs_routes *rt, const char *path, unsigned port, char err[FS_ERR_MAX])
{
    FILE *f = NULL;
    char *line = NULL, *exp = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    words ws = {.n = 0};
    const char *why = NULL;

    memset(rt, 0, sizeof *rt);
    snprintf(rt->port, sizeof rt->port, "%u", port);
    snprintf(rt->base, sizeof rt->base, "http://127.0.0.1:%u", port);
    if (pthread_mutex_init(&rt->lock, NULL)) {
        snprintf(err, FS_ERR_MAX, "cannot create a mutex");
        return -1;
    }
    f = fopen(path, "r");
    if (!f) {
        snprintf(err, FS_ERR_MAX, "cannot read routes file '%s': %s", path, strerror(errno));
        goto fail;
    }
    err[0] = '\0';
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        free(exp);
        exp = fs_expand(rt, line, (size_t)len, NULL);
        if (!exp) {
            why = "out of memory";
            break;
        }
        if (memchr(line, '\0', (size_t)len)) {
            why = "a NUL byte in the line";
            break;
        }
        if (split_words(exp, &ws, &why) < 0)
            break;
        if (ws.n && ws.w[0][0] != '#' && parse_line(rt, &ws, lineno, err, &why) < 0)
            break;
        words_free(&ws);
        why = NULL;
    }
    if (!why && ferror(f)) {
        snprintf(err, FS_ERR_MAX, "cannot read routes file '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (why) {
        if (why == err) { /* a message already in err: prefix the position */
            char msg[FS_ERR_MAX];

            snprintf(msg, sizeof msg, "%s", err);
            set_err(err, path, lineno, "%s", msg);
        } else {
            set_err(err, path, lineno, "%s", why);
        }
        goto fail;
    }
    words_free(&ws);
    free(exp);
    free(line);
    fclose(f);
    return 0;
fail:
    words_free(&ws);
    free(exp);
    free(line);
    if (f)
        fclose(f);
    fs_routes_free(rt);
    return -1;
}

/* How well r's path and conditions fit a request: 0 not at all; an exact
 * path beats a prefix, a longer prefix a shorter one, more conditions fewer. */
static long fit(const fs_route *r, const char *path, fs_arg_fn arg, void *ud)
{
    size_t pl = strlen(r->path);
    long score;

    if (!strcmp(r->path, "*"))
        score = 1;
    else if (r->prefix && !strncmp(r->path, path, pl - 1))
        score = 2 + (long)pl * 64;
    else if (!r->prefix && !strcmp(r->path, path))
        score = 1L << 30;
    else
        return 0;
    for (size_t j = 0; j < r->nconds; j++) {
        const fs_cond *c = &r->conds[j];
        const char *v = arg ? arg(ud, c->name) : NULL;

        if (c->absent ? v != NULL : (!v || (c->value && strcmp(c->value, v) != 0)))
            return 0;
    }
    return score + (long)r->nconds;
}

const fs_step *fs_routes_next(fs_routes *rt, const char *method, const char *path,
                              fs_arg_fn arg, void *ud)
{
    fs_route *hit = NULL;
    const fs_step *st;

    for (size_t pass = 0; pass < 3 && !hit; pass++) {
        long best = 0;

        for (size_t i = 0; i < rt->n; i++) {
            fs_route *r = &rt->routes[i];
            int star = !strcmp(r->path, "*");
            long f;

            /* pass 0: this method and path; 1: any method, this path; 2: '*' */
            if ((pass < 2) == star || !(pass == 0 ? r->method && !strcmp(r->method, method)
                                                  : !r->method || !strcmp(r->method, method)))
                continue;
            f = fit(r, path, arg, ud);
            if (f > best) {
                best = f;
                hit = r;
            }
        }
    }
    if (!hit)
        return NULL;
    pthread_mutex_lock(&rt->lock);
    st = &hit->steps[hit->hits < hit->nsteps ? hit->hits : hit->nsteps - 1];
    hit->hits++;
    pthread_mutex_unlock(&rt->lock);
    return st;
}
