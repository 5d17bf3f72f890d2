/*
 * robots.c - a robots.txt parser and matcher following RFC 9309.
 *
 * The file is read line by line (CR, LF or CRLF; '#' starts a comment; a
 * UTF-8 byte order mark is skipped). Consecutive user-agent lines open one
 * group; the allow and disallow lines after them are its rules, until the
 * next user-agent line after a rule opens another group. Lines with other
 * keys (sitemap, crawl-delay, ...) and lines that are not "key: value" are
 * ignored without ending a group. Only the rules that can apply to us are
 * kept: those of every group naming our product token, else those of
 * every "*" group; several matching groups are combined, as the RFC says.
 *
 * A path is allowed unless its longest matching rule (the most octets of
 * pattern) is a disallow; an allow wins a tie. A pattern matches a prefix
 * of the path; '*' matches any run of bytes and a final '$' anchors the
 * end. Patterns and paths are compared in one normal form (percent-escapes
 * with upper-case hex, unreserved characters decoded, bytes outside
 * printable ASCII escaped), so "/caf%c3%a9", "/café" and "/caf%C3%A9" are
 * the same path.
 *
 * Matching is the classic glob walk that backtracks to the last '*', so
 * its cost is bounded by pattern length times path length; both are
 * capped (RULE_MAX, PATH_MAX_BYTES) so a hostile file cannot make a check
 * slow.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "citeaudit/buf.h"
#include "citeaudit/robots.h"

/* Longest rule pattern kept (normalised bytes); longer ones are ignored. */
#define RULE_MAX 2048
/* Longest part of a path compared. */
#define PATH_MAX_BYTES 8192
/* Most rules kept: a 500 KiB file of "Allow: /" lines holds ~50,000. */
#define RULES_MAX 100000

struct rule {
    char *pattern; /* normalised; a final '$' anchors */
    size_t len;
    int allow;
};

struct ca_robots {
    struct rule *rules;
    size_t n, cap;
    int blanket;   /* no file: allow_all says what */
    int allow_all;
};

/* Rules of one kind of group while parsing: ours or the "*" ones. */
struct ruleset {
    struct rule *rules;
    size_t n, cap;
};

static void ruleset_release(struct ruleset *rs)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        free(rs->rules[i].pattern);
    free(rs->rules);
    memset(rs, 0, sizeof *rs);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* The normal form of s[0..n) into b (see the top of the file). */
static ca_status normalise(const char *s, size_t n, ca_buf *b)
{
    static const char hex[] = "0123456789ABCDEF";
    ca_status st = CA_OK;
    size_t i;

    for (i = 0; i < n && st == CA_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        int hi, lo;

        if (c == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
            (lo = hexval(s[i + 2])) >= 0) {
            int v = hi * 16 + lo;

            if (unreserved(v)) {
                st = ca_buf_putc(b, (char)v);
            } else {
                char esc[3] = {'%', hex[v >> 4], hex[v & 15]};

                st = ca_buf_append(b, esc, 3);
            }
            i += 2;
        } else if (c <= 0x20 || c >= 0x7F) {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};

            st = ca_buf_append(b, esc, 3);
        } else {
            st = ca_buf_putc(b, (char)c);
        }
    }
    return st;
}

static ca_status add_rule(struct ruleset *rs, const char *value, size_t n, int allow)
{
    ca_buf b;
    ca_status st;

    if (!n || rs->n >= RULES_MAX)
        return CA_OK; /* "Disallow:" with no path disallows nothing */
    ca_buf_init(&b, RULE_MAX);
    if (value[0] != '/' && value[0] != '*')
        st = ca_buf_putc(&b, '/');
    else
        st = CA_OK;
    if (st == CA_OK)
        st = normalise(value, n, &b);
    if (st == CA_TOOBIG) {
        ca_buf_release(&b);
        return CA_OK; /* a pattern that long is not one anybody meant */
    }
    if (st != CA_OK)
        goto fail;
    if (rs->n == rs->cap) {
        size_t ncap = rs->cap ? rs->cap * 2 : 16;
        struct rule *p = realloc(rs->rules, ncap * sizeof *p);

        if (!p)
            goto fail;
        rs->rules = p;
        rs->cap = ncap;
    }
    rs->rules[rs->n].len = b.len;
    rs->rules[rs->n].allow = allow;
    rs->rules[rs->n].pattern = ca_buf_steal(&b);
    if (!rs->rules[rs->n].pattern)
        goto fail;
    rs->n++;
    return CA_OK;
fail:
    ca_buf_release(&b);
    return CA_NOMEM;
}

/* Leading letters, '-' and '_' of s[0..n). */
static size_t token_len(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                     s[i] == '-' || s[i] == '_'))
        i++;
    return i;
}

void ca_robots_product_token(const char *user_agent, char *buf, size_t n)
{
    size_t len;

    if (!n)
        return;
    len = user_agent ? token_len(user_agent, strlen(user_agent)) : 0;
    if (len >= n)
        len = n - 1;
    if (len)
        memcpy(buf, user_agent, len);
    buf[len] = '\0';
}

/* Parser state. */
struct parser {
    const char *ua;
    size_t ualen;
    struct ruleset ours, star;
    int in_agents;   /* the last group line was a user-agent line */
    int have_group;  /* a user-agent line was seen */
    int cur_ours, cur_star;
    int matched;     /* some group names us, even one without rules */
};

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static int key_is(const char *k, size_t n, const char *want)
{
    return strlen(want) == n && !strncasecmp(k, want, n);
}

static void user_agent_line(struct parser *ps, const char *v, size_t n)
{
    size_t t = token_len(v, n);

    if (!ps->in_agents) { /* a user-agent after rules opens a new group */
        ps->cur_ours = ps->cur_star = 0;
        ps->in_agents = 1;
    }
    ps->have_group = 1;
    if (n >= 1 && v[0] == '*' && (n == 1 || v[1] == ' ' || v[1] == '\t'))
        ps->cur_star = 1;
    else if (t && t == ps->ualen && !strncasecmp(v, ps->ua, t))
        ps->cur_ours = ps->matched = 1;
}

static ca_status line(struct parser *ps, const char *s, size_t n)
{
    const char *hash = memchr(s, '#', n), *colon, *key, *val;
    size_t kn, vn;
    ca_status st = CA_OK;
    int allow;

    if (hash)
        n = (size_t)(hash - s);
    colon = memchr(s, ':', n);
    if (!colon)
        return CA_OK;
    key = s;
    kn = (size_t)(colon - s);
    val = colon + 1;
    vn = n - kn - 1;
    trim(&key, &kn);
    trim(&val, &vn);
    if (key_is(key, kn, "user-agent") || key_is(key, kn, "useragent")) {
        user_agent_line(ps, val, vn);
        return CA_OK;
    }
    if (key_is(key, kn, "allow"))
        allow = 1;
    else if (key_is(key, kn, "disallow"))
        allow = 0;
    else
        return CA_OK; /* sitemap, crawl-delay, ...: not ours, no effect on groups */
    ps->in_agents = 0;
    if (!ps->have_group)
        return CA_OK; /* rules before any user-agent line belong to no group */
    if (ps->cur_ours)
        st = add_rule(&ps->ours, val, vn, allow);
    if (st == CA_OK && ps->cur_star)
        st = add_rule(&ps->star, val, vn, allow);
    return st;
}

static ca_status create(ca_robots **ret, ca_error *err)
{
    *ret = calloc(1, sizeof **ret);
    return *ret ? CA_OK : ca_error_set(err, CA_NOMEM, "out of memory reading robots.txt");
}

ca_status ca_robots_parse(const char *data, size_t len, const char *ua, ca_robots **ret,
                          ca_error *err)
{
    struct parser ps;
    ca_robots *r = NULL;
    ca_status st = CA_OK;
    size_t i = 0;

    *ret = NULL;
    memset(&ps, 0, sizeof ps);
    ps.ua = ua ? ua : "";
    ps.ualen = token_len(ps.ua, strlen(ps.ua));
    if (!data)
        len = 0;
    if (len > CA_ROBOTS_MAX_BYTES)
        len = CA_ROBOTS_MAX_BYTES;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && st == CA_OK) {
        size_t e = i;

        while (e < len && data[e] != '\n' && data[e] != '\r')
            e++;
        st = line(&ps, data + i, e - i);
        i = e + 1;
        if (e + 1 < len && data[e] == '\r' && data[e + 1] == '\n')
            i++;
    }
    if (st == CA_OK)
        st = create(&r, err);
    if (st != CA_OK)
        goto fail;
    if (ps.matched) {
        r->rules = ps.ours.rules;
        r->n = ps.ours.n;
        memset(&ps.ours, 0, sizeof ps.ours);
    } else {
        r->rules = ps.star.rules;
        r->n = ps.star.n;
        memset(&ps.star, 0, sizeof ps.star);
    }
    ruleset_release(&ps.ours);
    ruleset_release(&ps.star);
    *ret = r;
    return CA_OK;
fail:
    ruleset_release(&ps.ours);
    ruleset_release(&ps.star);
    return ca_error_set(err, CA_NOMEM, "out of memory reading robots.txt");
}

ca_status ca_robots_from_answer(int http_code, const char *body, size_t len, const char *ua,
                                ca_robots **ret, ca_error *err)
{
    ca_status st;

    if (http_code >= 200 && http_code < 300)
        return ca_robots_parse(body, len, ua, ret, err);
    st = create(ret, err);
    if (st == CA_OK) {
        (*ret)->blanket = 1;
        (*ret)->allow_all = http_code >= 400 && http_code < 500 && http_code != 429;
    }
    return st;
}

void ca_robots_destroy(ca_robots *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        free(r->rules[i].pattern);
    free(r->rules);
    free(r);
}

int ca_robots_blanket(const ca_robots *r, int *ret_allow_all)
{
    if (ret_allow_all)
        *ret_allow_all = r->blanket ? r->allow_all : 1;
    return r->blanket;
}

/* Does pattern p[0..pn) match a prefix of s[0..sn) (all of it with '$')? */
static int wild_match(const char *p, size_t pn, const char *s, size_t sn)
{
    size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
    int anchored = pn && p[pn - 1] == '$';

    if (anchored)
        pn--;
    for (;;) {
        if (pi == pn) {
            if (!anchored || si == sn)
                return 1;
        } else if (p[pi] == '*') {
            star = pi++;
            mark = si;
            continue;
        } else if (si < sn && p[pi] == s[si]) {
            pi++;
            si++;
            continue;
        }
        /* mismatch: let the last '*' take one more byte */
        if (star == (size_t)-1 || mark >= sn)
            return 0;
        pi = star + 1;
        si = ++mark;
    }
}

int ca_robots_allowed(const ca_robots *r, const char *path_query)
{
    size_t i, best = 0, n;
    int found = 0, allow = 1;
    ca_buf b;

    if (!r)
        return 1;
    if (r->blanket)
        return r->allow_all;
    if (!path_query || !*path_query)
        path_query = "/";
    if (!strcmp(path_query, "/robots.txt"))
        return 1;
    n = strlen(path_query);
    ca_buf_init(&b, PATH_MAX_BYTES * 3);
    if (normalise(path_query, n > PATH_MAX_BYTES ? PATH_MAX_BYTES : n, &b) != CA_OK ||
        !b.data) {
        ca_buf_release(&b);
        return 0; /* out of memory: the polite answer is no */
    }
    for (i = 0; i < r->n; i++) {
        const struct rule *ru = &r->rules[i];

        if (found && (ru->len < best || (ru->len == best && !ru->allow)))
            continue; /* cannot beat the match we have */
        if (!wild_match(ru->pattern, ru->len, b.data, b.len))
            continue;
        if (!found || ru->len > best || ru->allow) {
            best = ru->len;
            allow = ru->allow;
            found = 1;
        }
    }
    ca_buf_release(&b);
    return allow;
}
