/*
 * check_args.c - option parsing of `citeaudit check`: every value is
 * validated here, with the option named in the message, so the checker only
 * ever sees options that make sense.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_args.h"

void check_args_help_common(void)
{
    printf(
        "Output:\n"
        "      --body-only         check only the article's citations, not page links\n"
        "      --fail-on CLASSES   classes that fail the run, comma-separated\n"
        "                          (default: dead,soft404,server_error,timeout,dns,\n"
        "                          unreachable,tls,invalid)\n"
        "  -v, --verbose           text: list every link, not only problems\n"
        "  -q, --quiet             no progress or notes on stderr\n\n"
        "Network:\n"
        "  -j, --jobs N            requests in flight (default 64)\n"
        "      --per-host N        requests in flight per host (default 4)\n"
        "      --host-interval MS  least time between requests to one host (default 0)\n"
        "      --timeout SECS      total time per request (default 20)\n"
        "      --connect-timeout SECS  (default 10)\n"
        "      --retries N         retries of timeouts, resets, 408, 429, 5xx (default 2)\n"
        "      --max-retry-wait SECS  longest Retry-After honoured (default 60)\n"
        "      --max-redirects N   (default 10)\n"
        "      --user-agent UA     (default citeaudit/VERSION with a URL)\n"
        "  -H, --header 'N: V'     send a header with every request (repeatable)\n"
        "      --header-for REGEX 'N: V'  send it only to hosts matching REGEX\n"
        "      --resolve HOST:PORT:ADDR  use ADDR for HOST:PORT (as curl does)\n"
        "      --deny-private      refuse loopback, private and link-local addresses\n"
        "                          (checked on the address actually connected)\n"
        "  -k, --insecure          do not verify TLS certificates\n\n"
        "Which links:\n"
        "      --include REGEX     check only URLs matching (repeatable)\n"
        "      --exclude REGEX     do not check URLs matching (repeatable)\n"
        "      --remap 'REGEX REPL'  check a rewritten URL instead ($1 or \\1 groups)\n"
        "      --accept CODES      status codes that count as ok, e.g. 200..299,403\n\n"
        "Verdicts beyond the status code (see README):\n"
        "      --check-content MODE  read pages for soft-404 and parking checks:\n"
        "                          citations (default), all, none (HEAD first)\n"
        "      --no-probe          no random-sibling probes (soft-404 rule c)\n"
        "      --check-fragments, --no-check-fragments  find #fragments on the page\n"
        "                          (default: on)\n"
        "      --archive, --no-archive  look up archived copies of failing links and\n"
        "                          measure drift of live ones (default: off in check,\n"
        "                          on in audit)\n"
        "      --archive-endpoint URL  Wayback availability and CDX API base\n"
        "                          (default https://web.archive.org)\n"
        "      --archive-timegate URL  a Memento TimeGate to ask too (repeatable)\n"
        "      --no-drift          archives for failing links only\n\n"
        "Store (the history of every check; see README):\n"
        "      --store PATH        the store (default .citeaudit/audit.db)\n"
        "      --no-store          keep no history, reuse nothing\n"
        "      --max-age AGE       reuse ok/redirected/dead/soft404 results younger than\n"
        "                          AGE instead of asking again (default 1d; 30m, 12h, 7d)\n"
        "      --refresh           check every link again, whatever the store holds\n"
        "      --confirm N[/DAYS]  fail a link only after N failing checks in a row\n"
        "                          spanning at least DAYS (default 1)\n"
        "      --offline           no request: every result from the store\n"
        "      --snapshot FILE     write the HTTP exchanges as WARC 1.1 (.warc.gz)\n"
        "      --replay FILE       answer every check from a WARC file, no network\n\n"
        "Documents:\n"
        "  -m, --manifest FILE     TSV of per-file metadata (file outlet url published)\n"
        "  -b, --base-url URL      treat local files as served from URL\n"
        "      --max-size SIZE     largest document read or page fetched (default 50M)\n"
        "      --max-links N       most links kept per document (default 100000)\n"
        "  -h, --help              this help\n");
}

static int push(struct strlist *l, const char *s)
{
    if (l->n + 2 > l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        const char **p = realloc(l->v, ncap * sizeof *p);

        if (!p) {
            cli_error("out of memory");
            return -1;
        }
        l->v = p;
        l->cap = ncap;
    }
    l->v[l->n++] = s;
    l->v[l->n] = NULL;
    return 0;
}

/* A count that may be zero (--retries 0). */
static int parse_uint(const char *opt, const char *s, unsigned max, unsigned *ret)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (end == s || *end || errno || s[0] == '-' || v > max) {
        cli_error("%s: '%s' is not a number from 0 to %u", opt, s, max);
        return -1;
    }
    *ret = (unsigned)v;
    return 0;
}

/* Seconds, decimals allowed, into milliseconds. */
static int parse_secs(const char *opt, const char *s, unsigned *ret_ms)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end || errno || !(v > 0) || v > 86400 || isnan(v)) {
        cli_error("%s: '%s' is not a number of seconds (e.g. 20 or 0.5)", opt, s);
        return -1;
    }
    *ret_ms = (unsigned)(v * 1000 + 0.5);
    if (!*ret_ms)
        *ret_ms = 1;
    return 0;
}

static int parse_fail_on(const char *s, unsigned *ret, int *fail_bot)
{
    char *copy = strdup(s), *tok, *save = NULL;
    unsigned m = 0;
    int c;

    if (!copy)
        return -1;
    *fail_bot = 0;
    for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        if (!strcmp(tok, "bot-protection")) {
            *fail_bot = 1; /* links behind bot protection fail too */
            continue;
        }
        c = ca_class_parse(tok);
        if (c < 0) {
            cli_error("--fail-on: '%s' is not a status class; use unknown, ok, redirected, "
                      "dead, soft404, forbidden, ratelimited, server_error, timeout, dns, "
                      "unreachable, tls, excluded, blocked, unsupported or invalid (or "
                      "bot-protection)",
                      tok);
            free(copy);
            return -1;
        }
        m |= 1u << c;
    }
    free(copy);
    *ret = m;
    return 0;
}

static int add_host_header(struct check_args *a, const char *re, const char *hdr)
{
    ca_host_header *p = realloc(a->host_headers, (a->n_host_headers + 1) * sizeof *p);

    if (!p) {
        cli_error("out of memory");
        return -1;
    }
    a->host_headers = p;
    p[a->n_host_headers].host_regex = re;
    p[a->n_host_headers].header = hdr;
    a->n_host_headers++;
    return 0;
}

enum {
    OPT_PER_HOST = 256, OPT_HOST_INTERVAL, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT, OPT_RETRIES,
    OPT_MAX_RETRY_WAIT, OPT_MAX_REDIRECTS, OPT_USER_AGENT, OPT_HEADER_FOR, OPT_RESOLVE,
    OPT_DENY_PRIVATE, OPT_INCLUDE, OPT_EXCLUDE, OPT_REMAP, OPT_ACCEPT, OPT_FAIL_ON,
    OPT_BODY_ONLY, OPT_MAX_SIZE, OPT_MAX_LINKS, OPT_CHECK_CONTENT, OPT_NO_PROBE,
    OPT_CHECK_FRAGMENTS, OPT_NO_CHECK_FRAGMENTS, OPT_ARCHIVE, OPT_NO_ARCHIVE,
    OPT_ARCHIVE_ENDPOINT, OPT_ARCHIVE_TIMEGATE, OPT_NO_DRIFT,
};

static const struct option longopts[] = {
    {"body-only", no_argument, NULL, OPT_BODY_ONLY},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"jobs", required_argument, NULL, 'j'},
    {"per-host", required_argument, NULL, OPT_PER_HOST},
    {"host-interval", required_argument, NULL, OPT_HOST_INTERVAL},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"max-retry-wait", required_argument, NULL, OPT_MAX_RETRY_WAIT},
    {"max-redirects", required_argument, NULL, OPT_MAX_REDIRECTS},
    {"user-agent", required_argument, NULL, OPT_USER_AGENT},
    {"header", required_argument, NULL, 'H'},
    {"header-for", required_argument, NULL, OPT_HEADER_FOR},
    {"resolve", required_argument, NULL, OPT_RESOLVE},
    {"deny-private", no_argument, NULL, OPT_DENY_PRIVATE},
    {"insecure", no_argument, NULL, 'k'},
    {"include", required_argument, NULL, OPT_INCLUDE},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"remap", required_argument, NULL, OPT_REMAP},
    {"accept", required_argument, NULL, OPT_ACCEPT},
    {"manifest", required_argument, NULL, 'm'},
    {"base-url", required_argument, NULL, 'b'},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"max-links", required_argument, NULL, OPT_MAX_LINKS},
    {"check-content", required_argument, NULL, OPT_CHECK_CONTENT},
    {"no-probe", no_argument, NULL, OPT_NO_PROBE},
    {"check-fragments", no_argument, NULL, OPT_CHECK_FRAGMENTS},
    {"no-check-fragments", no_argument, NULL, OPT_NO_CHECK_FRAGMENTS},
    {"archive", no_argument, NULL, OPT_ARCHIVE},
    {"no-archive", no_argument, NULL, OPT_NO_ARCHIVE},
    {"archive-endpoint", required_argument, NULL, OPT_ARCHIVE_ENDPOINT},
    {"archive-timegate", required_argument, NULL, OPT_ARCHIVE_TIMEGATE},
    {"no-drift", no_argument, NULL, OPT_NO_DRIFT},
    STORE_LONGOPTS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int secs_opt(const char *opt, unsigned *ms)
{
    return parse_secs(opt, optarg, ms);
}

/* One option; 0 to go on, 1 after --help, -1 on error. */
static int one(int c, int argc, char **argv, struct check_args *a)
{
    ca_check_opts *o = &a->chk;
    unsigned secs;

    switch (c) {
    case OPT_BODY_ONLY: a->ro.body_only = 1; return 0;
    case OPT_FAIL_ON: return parse_fail_on(optarg, &a->ro.fail_mask, &a->ro.fail_bot);
    case 'v': a->ro.verbose = 1; return 0;
    case 'q': cli_quiet = 1; return 0;
    case 'j': return parse_uint("--jobs", optarg, 10000, &o->jobs) < 0 || !o->jobs ? -1 : 0;
    case OPT_PER_HOST:
        return parse_uint("--per-host", optarg, 1000, &o->per_host) < 0 || !o->per_host ? -1 : 0;
    case OPT_HOST_INTERVAL:
        return parse_uint("--host-interval", optarg, 3600000, &o->host_interval_ms);
    case OPT_TIMEOUT: return secs_opt("--timeout", &o->timeout_ms);
    case OPT_CONNECT_TIMEOUT: return secs_opt("--connect-timeout", &o->connect_timeout_ms);
    case OPT_RETRIES: return parse_uint("--retries", optarg, 20, &o->retries);
    case OPT_MAX_RETRY_WAIT:
        if (parse_uint("--max-retry-wait", optarg, 86400, &secs) < 0)
            return -1;
        o->max_retry_wait_ms = secs * 1000;
        return 0;
    case OPT_MAX_REDIRECTS: return parse_uint("--max-redirects", optarg, 100, &o->max_redirects);
    case OPT_USER_AGENT: o->user_agent = optarg; return 0;
    case 'H': return push(&a->headers, optarg);
    case OPT_HEADER_FOR:
        if (optind >= argc) {
            cli_error("--header-for takes two values: HOST-REGEX 'NAME: VALUE'");
            return -1;
        }
        return add_host_header(a, optarg, argv[optind++]);
    case OPT_RESOLVE: return push(&a->resolve, optarg);
    case OPT_DENY_PRIVATE: o->deny_private = 1; return 0;
    case 'k': o->insecure = 1; return 0;
    case OPT_INCLUDE: return push(&a->include, optarg);
    case OPT_EXCLUDE: return push(&a->exclude, optarg);
    case OPT_REMAP: return push(&a->remap, optarg);
    case OPT_ACCEPT: o->accept = optarg; return 0;
    case 'm': a->manifest_path = optarg; return 0;
    case 'b':
        if (!ca_input_is_url(optarg)) {
            cli_error("--base-url: '%s' is not an http(s) URL", optarg);
            return -1;
        }
        a->ex.base_url = optarg;
        return 0;
    case OPT_MAX_SIZE:
        if (cli_parse_size("--max-size", optarg, &a->ex.max_bytes) < 0)
            return -1;
        o->max_fetch_bytes = a->ex.max_bytes;
        return 0;
    case OPT_MAX_LINKS: return cli_parse_count("--max-links", optarg, &a->ex.max_links);
    case OPT_CHECK_CONTENT:
        if (!strcmp(optarg, "citations"))
            o->content = CA_CONTENT_CITATIONS;
        else if (!strcmp(optarg, "all"))
            o->content = CA_CONTENT_ALL;
        else if (!strcmp(optarg, "none"))
            o->content = CA_CONTENT_NONE;
        else {
            cli_error("--check-content: '%s' is not a mode; use citations, all or none", optarg);
            return -1;
        }
        return 0;
    case OPT_NO_PROBE: o->probe = 0; return 0;
    case OPT_CHECK_FRAGMENTS: o->fragments = 1; return 0;
    case OPT_NO_CHECK_FRAGMENTS: o->fragments = 0; return 0;
    case OPT_ARCHIVE: a->archive_opt = 1; return 0;
    case OPT_NO_ARCHIVE: a->archive_opt = 0; return 0;
    case OPT_ARCHIVE_ENDPOINT:
    case OPT_ARCHIVE_TIMEGATE:
        if (!ca_input_is_url(optarg)) {
            cli_error("%s: '%s' is not an http(s) URL", c == OPT_ARCHIVE_ENDPOINT
                      ? "--archive-endpoint" : "--archive-timegate", optarg);
            return -1;
        }
        if (c == OPT_ARCHIVE_ENDPOINT)
            o->archive_endpoint = optarg;
        else if (push(&a->timegates, optarg) < 0)
            return -1;
        return 0;
    case OPT_NO_DRIFT: o->drift = 0; return 0;
    case OPT_STORE: case OPT_NO_STORE: case OPT_MAX_AGE: case OPT_REFRESH: case OPT_CONFIRM:
    case OPT_OFFLINE: case OPT_SNAPSHOT: case OPT_REPLAY:
        return store_args_option(&a->store, c, optarg);
    default:
        return -1;
    }
}

/* The shared long options followed by the command's own, for getopt_long. */
static struct option *merge_longopts(const struct option *extra)
{
    size_t n = sizeof longopts / sizeof *longopts - 1, m = 0;
    struct option *all;

    while (extra && extra[m].name)
        m++;
    all = calloc(n + m + 1, sizeof *all);
    if (!all)
        return NULL;
    memcpy(all, longopts, n * sizeof *all);
    if (m)
        memcpy(all + n, extra, m * sizeof *all);
    return all;
}

int check_args_parse(int argc, char **argv, struct check_args *a, const struct cmd_spec *spec)
{
    char shortopts[64];
    struct option *all = merge_longopts(spec->extra);
    int c, r = 0;

    if (!all) {
        cli_error("out of memory");
        return -1;
    }
    snprintf(shortopts, sizeof shortopts, "vqj:H:km:b:h%s",
             spec->extra_short ? spec->extra_short : "");
    ca_check_opts_init(&a->chk);
    ca_extract_opts_init(&a->ex);
    store_args_init(&a->store);
    a->format = "text";
    a->render = report_text;
    a->ro.fail_mask = ca_class_default_fail_mask();
    a->ro.argv0 = "citeaudit";
    a->archive_opt = -1;
    a->ro.args = (const char *const *)argv; /* the command and what follows */
    while (!r && (c = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
        r = spec->extra_one ? spec->extra_one(c, optarg, spec->ud) : 2;
        if (r == 2 && c == 'h') {
            spec->help();
            r = 1;
        } else if (r == 2) {
            r = one(c, argc, argv, a);
        }
        if (r < 0 && c == '?')
            fprintf(stderr, "Try 'citeaudit %s --help'.\n", spec->name);
    }
    free(all);
    if (r)
        return r;
    if (optind >= argc) {
        cli_error("no input given; name files, directories, URLs, '-' or @LIST "
                  "(see 'citeaudit %s --help')", spec->name);
        return -1;
    }
    a->chk.headers = a->headers.v;
    a->chk.include = a->include.v;
    a->chk.exclude = a->exclude.v;
    a->chk.remap = a->remap.v;
    a->chk.resolve = a->resolve.v;
    a->chk.host_headers = a->host_headers;
    a->chk.n_host_headers = a->n_host_headers;
    a->chk.timegates = a->timegates.v;
    /* audit looks up archived copies unless told not to; check and graph when asked */
    a->chk.archive = a->archive_opt < 0 ? !strcmp(spec->name, "audit") : a->archive_opt;
    /* the archive is asked about the links that fail this run */
    a->chk.archive_mask = a->ro.fail_mask & ~((1u << CA_CLASS_UNKNOWN) | (1u << CA_CLASS_OK) |
                                              (1u << CA_CLASS_REDIRECTED));
    a->first_input = optind;
    if (a->manifest_path) {
        ca_error err = CA_ERROR_INIT;

        if (ca_manifest_load(a->manifest_path, &a->manifest, &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            return -1;
        }
        a->ex.manifest = a->manifest;
    }
    return store_args_wire(&a->store, &a->chk, &a->ro);
}

struct pipeline_opts check_args_pipeline(const struct check_args *a, int body_only,
                                         int no_network)
{
    return (struct pipeline_opts){&a->chk, &a->ex, a->manifest_path, body_only, no_network};
}

void check_args_release(struct check_args *a)
{
    ca_manifest_destroy(a->manifest);
    free(a->headers.v);
    free(a->include.v);
    free(a->exclude.v);
    free(a->remap.v);
    free(a->resolve.v);
    free(a->timegates.v);
    free(a->host_headers);
    store_args_release(&a->store);
}
