/*
 * cmd_history.c - `citeaudit history URL`: every stored check of one URL,
 * oldest first (time, class, HTTP code, final URL), then what the history
 * says: first seen alive, first seen failing, and the current failure
 * streak. The URL is normalised as citations are, so it can be given as
 * written in a document (tracking parameters and all).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"
#include "report.h"
#include "store_args.h"

static void help(void)
{
    printf("usage: citeaudit history [OPTIONS] URL\n\n"
           "List every stored check of URL, oldest first (time, class, HTTP code,\n"
           "final URL), with when it was first seen alive, first seen failing, and\n"
           "its current failure streak.\n\n"
           "      --store PATH        the store (default .citeaudit/audit.db)\n"
           "  -f, --format FMT        text (default) or json\n"
           "  -h, --help              this help\n\n"
           "Exit status: 0 the link is not failing now, 1 its latest checks fail,\n"
           "2 bad usage or no check of URL in the store, 3 the store cannot be read.\n");
}

static void time_text(FILE *out, const char *label, int64_t t)
{
    char buf[32];

    report_iso8601(t, buf);
    fprintf(out, "%-20s %s\n", label, t ? buf : "never");
}

static void print_text(FILE *out, const char *url, const ca_store_check *v, size_t n,
                       const ca_store_timeline *t)
{
    char when[32], since[32];
    size_t i;

    report_put_clean(out, url);
    fprintf(out, ": %zu check%s\n\n", n, n == 1 ? "" : "s");
    for (i = 0; i < n; i++) {
        const ca_result *r = &v[i].res;

        report_iso8601(r->checked_at, when);
        fprintf(out, "%s  %-12s ", when, ca_class_name(r->cls));
        if (r->http_code)
            fprintf(out, "%3d", r->http_code);
        else
            fputs("  -", out);
        if (r->final_url) {
            fputs("  -> ", out);
            report_put_clean(out, r->final_url);
        }
        if (r->error) {
            fputs("  (", out);
            if (r->reason != CA_REASON_NONE)
                fprintf(out, "%s: ", ca_reason_name(r->reason));
            report_put_clean(out, r->error);
            putc(')', out);
        }
        if (r->archive && r->archive->url) {
            fputs("  [archived: ", out);
            report_put_clean(out, r->archive->url);
            putc(']', out);
        }
        putc('\n', out);
    }
    putc('\n', out);
    time_text(out, "first seen alive:", t->first_alive);
    time_text(out, "first seen failing:", t->first_failing);
    if (t->streak) {
        report_iso8601(t->streak_since, since);
        fprintf(out, "%-20s %zu check%s, failing since %s\n", "failure streak:", t->streak,
                t->streak == 1 ? "" : "s", since);
    } else {
        fprintf(out, "%-20s none (not failing now)\n", "failure streak:");
    }
}

static void time_json(FILE *out, const char *key, int64_t t)
{
    char buf[32];

    report_iso8601(t, buf);
    jsonw_key_str(out, 0, key, t ? buf : NULL);
}

static void print_json(FILE *out, const char *url, const char *store, const ca_store_check *v,
                       size_t n, const ca_store_timeline *t)
{
    size_t i;

    putc('{', out);
    jsonw_key_str(out, 1, "url", url);
    jsonw_key_str(out, 0, "store", store);
    jsonw_key(out, 0, "checks");
    putc('[', out);
    for (i = 0; i < n; i++) {
        const ca_result *r = &v[i].res;
        char when[32];

        report_iso8601(r->checked_at, when);
        fputs(i ? ",{" : "{", out);
        jsonw_key_str(out, 1, "checked_at", when);
        jsonw_key_str(out, 0, "status", ca_class_name(r->cls));
        jsonw_key_str(out, 0, "reason", ca_reason_name(r->reason));
        jsonw_key_str(out, 0, "archive_url", r->archive ? r->archive->url : NULL);
        if (r->http_code)
            jsonw_key_uint(out, 0, "http_code", (unsigned)r->http_code);
        else
            jsonw_key_str(out, 0, "http_code", NULL);
        jsonw_key_str(out, 0, "final_url", r->final_url);
        jsonw_key_str(out, 0, "error", r->error);
        jsonw_key_uint(out, 0, "attempts", r->attempts);
        jsonw_key_uint(out, 0, "run", (unsigned long long)v[i].run_id);
        putc('}', out);
    }
    putc(']', out);
    time_json(out, "first_seen_alive", t->first_alive);
    time_json(out, "first_seen_failing", t->first_failing);
    jsonw_key_uint(out, 0, "failure_streak", t->streak);
    time_json(out, "failing_since", t->streak ? t->streak_since : 0);
    fputs("}\n", out);
}

/* The URL as the store keys it (normalised like a citation), caller frees. */
static char *store_key(const char *url)
{
    ca_url u;
    char *key;

    if (ca_url_normalize(url, NULL, &u, NULL) != CA_OK)
        return NULL;
    key = strdup(u.url ? u.url : url);
    ca_url_release(&u);
    return key;
}

static int show(const char *path, const char *url, int json)
{
    ca_error err = CA_ERROR_INIT;
    ca_store *s = NULL;
    ca_store_check *v = NULL;
    ca_store_timeline t;
    char *key = store_key(url);
    size_t n = 0;
    int rc = EXIT_CLEAN;
    ca_status st;

    if (!key) {
        cli_error("out of memory");
        return EXIT_ENV;
    }
    st = ca_store_open(path, CA_STORE_READONLY, &s, &err);
    if (st == CA_OK)
        st = ca_store_history(s, key, &v, &n, &err);
    if (st != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        rc = st == CA_NOTFOUND ? EXIT_USAGE : EXIT_ENV;
        goto out;
    }
    if (!n) {
        cli_error("no check of '%s' in store '%s'; check a document that cites it first",
                  key, path);
        rc = EXIT_USAGE;
        goto out;
    }
    ca_store_timeline_of(v, n, ca_class_default_fail_mask(), &t);
    if (json)
        print_json(stdout, key, path, v, n, &t);
    else
        print_text(stdout, key, v, n, &t);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        rc = EXIT_ENV;
    } else if (t.streak) {
        rc = EXIT_FAILING;
    }
out:
    ca_store_history_free(v, n);
    ca_store_close(s);
    free(key);
    return rc;
}

int cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {
        {"store", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *path = STORE_DEFAULT_PATH, *format = "text";
    int c;

    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': path = optarg; break;
        case 'f': format = optarg; break;
        case 'h': help(); return EXIT_CLEAN;
        default:
            fprintf(stderr, "Try 'citeaudit history --help'.\n");
            return EXIT_USAGE;
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        cli_error("--format: '%s' is not a format of history; use text or json", format);
        return EXIT_USAGE;
    }
    if (optind != argc - 1) {
        cli_error(optind >= argc ? "no URL given; see 'citeaudit history --help'"
                                 : "give one URL; see 'citeaudit history --help'");
        return EXIT_USAGE;
    }
    return show(path, argv[optind], !strcmp(format, "json"));
}
