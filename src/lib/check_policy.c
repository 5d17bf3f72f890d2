/*
 * check_policy.c - the user's rules about which URLs to check and how:
 * --include/--exclude, --remap, --accept and --header-for. All regexes are
 * POSIX extended, compiled once when the checker is created, so a typo is
 * reported before any request with the option and the pattern named.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "strutil.h"

static size_t count(const char *const *list)
{
    size_t n = 0;

    while (list && list[n])
        n++;
    return n;
}

static ca_status compile_one(regex_t *re, const char *opt, const char *pat, ca_error *err)
{
    char msg[160];
    int rc = regcomp(re, pat, REG_EXTENDED);

    if (rc == 0)
        return CA_OK;
    regerror(rc, re, msg, sizeof msg);
    return ca_error_set(err, CA_USAGE, "%s '%s': not a valid regular expression: %s", opt,
                        pat, msg);
}

/* Compile n patterns into *ret; on failure the compiled ones are freed. */
static ca_status compile_list(regex_t **ret, size_t *ret_n, const char *opt,
                              const char *const *pats, size_t n, ca_error *err)
{
    regex_t *re;
    size_t i;
    ca_status st;

    *ret = NULL;
    *ret_n = 0;
    if (!n)
        return CA_OK;
    re = calloc(n, sizeof *re);
    if (!re)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        st = compile_one(&re[i], opt, pats[i], err);
        if (st != CA_OK) {
            while (i--)
                regfree(&re[i]);
            free(re);
            return st;
        }
    }
    *ret = re;
    *ret_n = n;
    return CA_OK;
}

static ca_status compile_remap(struct rules *r, const char *const *rules, ca_error *err)
{
    size_t n = count(rules), i;
    ca_status st;

    if (!n)
        return CA_OK;
    r->remap_re = calloc(n, sizeof *r->remap_re);
    r->remap_repl = calloc(n + 1, sizeof *r->remap_repl); /* NULL-terminated */
    if (!r->remap_re || !r->remap_repl)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const char *sp = strpbrk(rules[i], " \t");
        char *pat;

        if (!sp || !sp[strspn(sp, " \t")])
            return ca_error_set(err, CA_USAGE,
                                "--remap '%s': give 'REGEX REPLACEMENT', separated by a space",
                                rules[i]);
        pat = ca__strndup(rules[i], (size_t)(sp - rules[i]));
        r->remap_repl[i] = strdup(sp + strspn(sp, " \t"));
        if (!pat || !r->remap_repl[i]) {
            free(pat);
            return ca_error_set(err, CA_NOMEM, "out of memory");
        }
        st = compile_one(&r->remap_re[i], "--remap", pat, err);
        free(pat);
        if (st != CA_OK)
            return st;
        r->nremap++;
    }
    return CA_OK;
}

/* "200..299,403" -> bits. */
static ca_status parse_accept(struct rules *r, const char *spec, ca_error *err)
{
    const char *p = spec;

    while (*p) {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;

        if (end == p)
            goto bad;
        p = end;
        if (p[0] == '.' && p[1] == '.') {
            hi = strtol(p + 2, &end, 10);
            if (end == p + 2)
                goto bad;
            p = end;
        }
        if (lo < 100 || hi > 999 || lo > hi)
            goto bad;
        for (; lo <= hi; lo++)
            r->accept[lo / 8] |= (uint8_t)(1u << (lo % 8));
        if (*p == ',')
            p++;
        else if (*p)
            goto bad;
    }
    r->have_accept = 1;
    return CA_OK;
bad:
    return ca_error_set(err, CA_USAGE,
                        "--accept '%s': give status codes and ranges, e.g. 200..299,403",
                        spec);
}

static ca_status compile_host_headers(struct rules *r, const ca_check_opts *o, ca_error *err)
{
    size_t i;
    ca_status st;

    if (!o->n_host_headers)
        return CA_OK;
    r->hh_re = calloc(o->n_host_headers, sizeof *r->hh_re);
    r->hh_hdr = calloc(o->n_host_headers, sizeof *r->hh_hdr);
    if (!r->hh_re || !r->hh_hdr)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    for (i = 0; i < o->n_host_headers; i++) {
        if (!strchr(o->host_headers[i].header, ':'))
            return ca_error_set(err, CA_USAGE, "--header-for '%s': a header is 'NAME: VALUE'",
                                o->host_headers[i].header);
        st = compile_one(&r->hh_re[i], "--header-for", o->host_headers[i].host_regex, err);
        if (st != CA_OK)
            return st;
        r->hh_hdr[i] = o->host_headers[i].header;
        r->nhh++;
    }
    return CA_OK;
}

ca_status ca__rules_compile(struct rules *r, const ca_check_opts *o, ca_error *err)
{
    ca_status st;

    memset(r, 0, sizeof *r);
    st = compile_list(&r->include, &r->ninclude, "--include", o->include, count(o->include),
                      err);
    if (st == CA_OK)
        st = compile_list(&r->exclude, &r->nexclude, "--exclude", o->exclude,
                          count(o->exclude), err);
    if (st == CA_OK)
        st = compile_remap(r, o->remap, err);
    if (st == CA_OK && o->accept)
        st = parse_accept(r, o->accept, err);
    if (st == CA_OK)
        st = compile_host_headers(r, o, err);
    if (st != CA_OK)
        ca__rules_release(r);
    return st;
}

void ca__rules_release(struct rules *r)
{
    size_t i;

    for (i = 0; i < r->ninclude; i++)
        regfree(&r->include[i]);
    for (i = 0; i < r->nexclude; i++)
        regfree(&r->exclude[i]);
    for (i = 0; i < r->nremap; i++)
        regfree(&r->remap_re[i]);
    for (i = 0; r->remap_repl && r->remap_repl[i]; i++)
        free(r->remap_repl[i]);
    for (i = 0; i < r->nhh; i++)
        regfree(&r->hh_re[i]);
    free(r->include);
    free(r->exclude);
    free(r->remap_re);
    free(r->remap_repl);
    free(r->hh_re);
    free(r->hh_hdr);
    memset(r, 0, sizeof *r);
}

static int any_match(const regex_t *re, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (regexec(&re[i], s, 0, NULL, 0) == 0)
            return 1;
    return 0;
}

/*
 * With --include, only matching URLs are checked; --exclude then removes
 * URLs from what is left. Both are searches (unanchored), as in lychee.
 */
int ca__rules_excluded(const struct rules *r, const char *url)
{
    if (r->ninclude && !any_match(r->include, r->ninclude, url))
        return 1;
    return any_match(r->exclude, r->nexclude, url);
}

/* Expand $N and \N in repl with the groups of the match in src. */
static char *expand(const char *repl, const char *src, const regmatch_t *m)
{
    ca_buf b;
    const char *p;

    ca_buf_init(&b, 64 * 1024);
    for (p = repl; *p; p++) {
        if ((*p == '$' || *p == '\\') && isdigit((unsigned char)p[1])) {
            const regmatch_t *g = &m[p[1] - '0'];

            if (g->rm_so >= 0 &&
                ca_buf_append(&b, src + g->rm_so, (size_t)(g->rm_eo - g->rm_so)) != CA_OK)
                goto fail;
            p++;
        } else if (ca_buf_putc(&b, *p) != CA_OK) {
            goto fail;
        }
    }
    return ca_buf_steal(&b);
fail:
    ca_buf_release(&b);
    return NULL;
}

char *ca__rules_remap(const struct rules *r, const char *url)
{
    regmatch_t m[10];
    size_t i;
    ca_buf b;
    char *mid;

    for (i = 0; i < r->nremap; i++) {
        if (regexec(&r->remap_re[i], url, 10, m, 0) != 0)
            continue;
        mid = expand(r->remap_repl[i], url, m);
        if (!mid)
            return NULL;
        ca_buf_init(&b, 64 * 1024);
        if (ca_buf_append(&b, url, (size_t)m[0].rm_so) != CA_OK || ca_buf_puts(&b, mid) != CA_OK ||
            ca_buf_puts(&b, url + m[0].rm_eo) != CA_OK) {
            free(mid);
            ca_buf_release(&b);
            return NULL;
        }
        free(mid);
        return ca_buf_steal(&b);
    }
    return NULL;
}

int ca__rules_accepts(const struct rules *r, long code)
{
    if (!r->have_accept || code < 0 || code >= 1000)
        return 0;
    return (r->accept[code / 8] >> (code % 8)) & 1;
}

struct curl_slist *ca__rules_host_headers(const struct rules *r, const char *host,
                                          const struct curl_slist *base, int *oom)
{
    struct curl_slist *list = NULL, *n;
    const struct curl_slist *b;
    size_t i;
    int matched = 0;

    *oom = 0;
    for (i = 0; i < r->nhh; i++)
        if (regexec(&r->hh_re[i], host, 0, NULL, 0) == 0)
            matched = 1;
    if (!matched)
        return NULL;
    for (b = base; b; b = b->next)
        if (!(n = curl_slist_append(list, b->data)))
            goto nomem;
        else
            list = n;
    for (i = 0; i < r->nhh; i++) {
        if (regexec(&r->hh_re[i], host, 0, NULL, 0) != 0)
            continue;
        if (!(n = curl_slist_append(list, r->hh_hdr[i])))
            goto nomem;
        list = n;
    }
    return list;
nomem:
    curl_slist_free_all(list);
    *oom = 1;
    return NULL;
}
