/*
 * store_args.c - what check, graph and audit do with the audit store and
 * the WARC evidence: parse their options, open the store and start a run,
 * give links that need no request their result (fresh stored results,
 * --offline, --replay), record every verdict as it arrives through the
 * checker's on_result hook (so a killed run loses nothing it finished) and
 * every exchange through on_exchange (--snapshot), end the run, and tell
 * the reports how long each failing link has been failing (--confirm).
 *
 * A hook cannot fail the checker, so a store or snapshot that stops
 * accepting writes (a full disk) is remembered, written to no more, and
 * reported with exit 3 when the checks end.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_args.h"

enum { FAILED_STORE = 1, FAILED_WARC = 2 };

void store_args_init(struct store_args *sa)
{
    sa->max_age_s = 86400;
    sa->confirm_n = 1;
}

int store_parse_age(const char *opt, const char *s, int64_t *ret)
{
    char *end;
    double v;
    double unit = 1;

    errno = 0;
    v = strtod(s, &end);
    if (end != s && *end && !end[1]) {
        switch (*end) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        default: end = (char *)s; break;
        }
        end += end != s;
    }
    if (end == s || *end || errno || !(v >= 0) || isnan(v) || v * unit > 1e11) {
        cli_error("%s: '%s' is not an age; give a number with s, m, h, d or w (e.g. 30m, "
                  "12h, 7d)", opt, s);
        return -1;
    }
    *ret = (int64_t)(v * unit + 0.5);
    return 0;
}

/* --confirm N[/DAYS] */
static int parse_confirm(struct store_args *sa, const char *s)
{
    char *end;
    unsigned long n;
    double days = 0;

    errno = 0;
    n = strtoul(s, &end, 10);
    if (end != s && *end == '/') {
        const char *d = end + 1;

        days = strtod(d, &end);
        if (end == d || !(days >= 0) || days > 36500)
            end = (char *)s;
    }
    if (end == s || *end || errno || s[0] == '-' || n < 1 || n > 1000) {
        cli_error("--confirm: '%s' is not N or N/DAYS; e.g. 3/3 reports a link as failing "
                  "after 3 failing checks spanning at least 3 days", s);
        return -1;
    }
    sa->confirm_n = (unsigned)n;
    sa->confirm_span_s = (int64_t)(days * 86400 + 0.5);
    return 0;
}

int store_args_option(struct store_args *sa, int c, const char *arg)
{
    switch (c) {
    case OPT_STORE: sa->path = arg; return 0;
    case OPT_NO_STORE: sa->no_store = 1; return 0;
    case OPT_MAX_AGE: return store_parse_age("--max-age", arg, &sa->max_age_s);
    case OPT_REFRESH: sa->refresh = 1; return 0;
    case OPT_CONFIRM: return parse_confirm(sa, arg);
    case OPT_OFFLINE: sa->offline = 1; return 0;
    case OPT_SNAPSHOT: sa->snapshot = arg; return 0;
    case OPT_REPLAY: sa->replay = arg; return 0;
    default: return -1;
    }
}

/* ---- the checker's hooks ---- */

static void fail_later(struct store_args *sa, int what, const ca_error *err)
{
    if (!sa->failed)
        snprintf(sa->failure, sizeof sa->failure, "%s", ca_error_message(err));
    sa->failed |= what;
}

static void on_result(ca_checker *chk, size_t id, void *ud)
{
    struct store_args *sa = ud;
    const ca_result *res = ca_checker_result(chk, id);
    ca_error err = CA_ERROR_INIT;

    /* decided without a request (excluded, a local file...), or not
     * checked at all (unknown): not a check of the link */
    if (!sa->store || sa->readonly || (sa->failed & FAILED_STORE) || !res->attempts ||
        res->cls == CA_CLASS_UNKNOWN)
        return;
    if (ca_store_record(sa->store, sa->run_id, ca_checker_url(chk, id), res, &err) != CA_OK)
        fail_later(sa, FAILED_STORE, &err);
    else
        sa->checked++;
}

/* A round of the checker's loop ended: save its results in one
 * transaction before any new request goes out, so SIGKILL loses at most
 * what finished in the last few microseconds, yet a burst of answers costs
 * one commit. */
static void on_idle(ca_checker *chk, size_t id, void *ud)
{
    struct store_args *sa = ud;
    ca_error err = CA_ERROR_INIT;

    (void)chk;
    (void)id;
    if (!sa->store || sa->readonly || (sa->failed & FAILED_STORE))
        return;
    if (ca_store_flush(sa->store, &err) != CA_OK)
        fail_later(sa, FAILED_STORE, &err);
}

static void on_exchange(const ca_exchange *ex, void *ud)
{
    struct store_args *sa = ud;
    ca_error err = CA_ERROR_INIT;

    if (sa->warc && !(sa->failed & FAILED_WARC) &&
        ca_warc_write_exchange(sa->warc, ex, &err) != CA_OK)
        fail_later(sa, FAILED_WARC, &err);
}

/* Probes younger than this are reused across runs: how a site answers
 * missing pages changes far more slowly than its pages. */
#define PROBE_MAX_AGE (7 * 86400)

static int probe_get(const char *key, ca_probe *ret, void *ud)
{
    struct store_args *sa = ud;
    ca_error err = CA_ERROR_INIT;
    int found = 0;

    ca_store_probe_release(&sa->probe);
    if (!sa->store || sa->refresh)
        return 0;
    if (ca_store_probe_get(sa->store, key, (int64_t)time(NULL) - PROBE_MAX_AGE, &sa->probe,
                           &found, &err) != CA_OK)
        return 0; /* a probe is only a saving: make it again */
    if (found)
        *ret = sa->probe;
    return found;
}

static void probe_put(const ca_probe *p, void *ud)
{
    struct store_args *sa = ud;
    ca_error err = CA_ERROR_INIT;

    if (sa->store && !sa->readonly && !(sa->failed & FAILED_STORE) &&
        ca_store_probe_put(sa->store, p, &err) != CA_OK)
        fail_later(sa, FAILED_STORE, &err);
}

int store_args_wire(struct store_args *sa, ca_check_opts *chk, struct report_opts *ro)
{
    const char *clash = NULL;

    if (sa->offline && sa->replay)
        clash = "--offline and --replay both answer without the network; give one";
    else if (sa->offline && sa->no_store)
        clash = "--offline takes every result from the store; leave out --no-store";
    else if (sa->refresh && (sa->offline || sa->replay))
        clash = "--refresh checks every link again, and --offline/--replay make no request";
    else if (sa->snapshot && (sa->offline || sa->replay))
        clash = "--snapshot records the requests made, and --offline/--replay make none";
    else if ((sa->confirm_n > 1 || sa->confirm_span_s) && (sa->no_store || sa->replay))
        clash = "--confirm counts the failing checks kept in the store; leave out --no-store "
                "and --replay";
    else if (chk->remap && chk->remap[0] && (sa->offline || sa->path || sa->confirm_n > 1 ||
                                              sa->confirm_span_s))
        clash = "--remap checks mirrors, whose results are not the links' history: leave "
                "out --store, --offline and --confirm";
    if (clash) {
        cli_error("%s", clash);
        return -1;
    }
    /* A result reached through --remap describes a mirror, not the URL:
     * recording it would make the URL's history lie. */
    if (chk->remap && chk->remap[0])
        sa->no_store = 1;
    chk->hooks = (ca_check_hooks){on_result, on_idle, sa->snapshot ? on_exchange : NULL,
                                  probe_get, probe_put, sa};
    sa->chk = chk;
    sa->ro = ro;
    sa->max_redirects = chk->max_redirects;
    sa->args = ro->args;
    return 0;
}

int store_args_no_requests(const struct store_args *sa)
{
    return sa->offline || sa->replay != NULL;
}

/* ---- opening ---- */

/* The command line as one string, for the run's record (caller frees). */
static char *command_line(const char *const *args)
{
    size_t len = sizeof "citeaudit", i;
    char *s;

    for (i = 0; args && args[i]; i++)
        len += strlen(args[i]) + 1;
    s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, "citeaudit");
    for (i = 0; args && args[i]; i++) {
        strcat(s, " ");
        strcat(s, args[i]);
    }
    return s;
}

static int open_store(struct store_args *sa, int no_check)
{
    ca_error err = CA_ERROR_INIT;
    const char *path = sa->path ? sa->path : STORE_DEFAULT_PATH;
    int flags = sa->path ? 0 : CA_STORE_MKDIR;
    char *cmd;
    ca_status st;

    sa->readonly = sa->offline || no_check;
    if (sa->readonly)
        flags = CA_STORE_READONLY;
    st = ca_store_open(path, flags, &sa->store, &err);
    if (st == CA_NOTFOUND && sa->readonly) {
        if (sa->offline)
            cli_note("no store at '%s' yet: every link is 'unknown'", path);
        return EXIT_CLEAN;
    }
    if (st != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    if (sa->readonly)
        return EXIT_CLEAN;
    /* Results are saved in groups by on_idle whenever the checker waits;
     * the batch limits only bound a long busy stretch. */
    ca_store_set_batch(sa->store, 256, 200);
    cmd = command_line(sa->args);
    st = ca_store_run_begin(sa->store, cmd, (int64_t)time(NULL), &sa->run_id, &err);
    free(cmd);
    if (st != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

int store_args_open(struct store_args *sa, int no_check)
{
    ca_error err = CA_ERROR_INIT;
    ca_status st;

    if (sa->replay) {
        st = ca_warc_replay_open(sa->replay, &sa->replayed, &err);
        if (st != CA_OK) {
            cli_error("--replay: %s", ca_error_message(&err));
            return st == CA_NOMEM ? EXIT_ENV : EXIT_USAGE;
        }
        return EXIT_CLEAN; /* a replay is not a check of the web: the store stays as it is */
    }
    if (sa->snapshot && !no_check && ca_warc_writer_open(sa->snapshot, &sa->warc, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    if (sa->no_store)
        return EXIT_CLEAN;
    return open_store(sa, no_check);
}

int store_args_save_docs(struct store_args *sa, const ca_run *run)
{
    ca_error err = CA_ERROR_INIT;

    if (!sa->store || sa->readonly)
        return EXIT_CLEAN;
    if (ca_store_save_docs(sa->store, sa->run_id, run, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

/* ---- results without requests ---- */

static int set_known(ca_run *run, size_t id, const ca_result *res)
{
    ca_error err = CA_ERROR_INIT;

    if (ca_checker_set_known(run->chk, id, res, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

static int set_unknown(ca_run *run, size_t id, const char *why)
{
    ca_result res;

    memset(&res, 0, sizeof res);
    res.cls = CA_CLASS_UNKNOWN;
    res.error = (char *)why;
    return set_known(run, id, &res);
}

static int replay_one(struct store_args *sa, ca_run *run, size_t id, const char *url)
{
    ca_error err = CA_ERROR_INIT;
    ca_result res;
    char why[600];
    int found, rc;

    if (ca_warc_replay_result(sa->replayed, run->chk, url, sa->max_redirects, &res, &found,
                              &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    if (!found) {
        snprintf(why, sizeof why, "not checked: no response for it in %s", sa->replay);
        return set_unknown(run, id, why);
    }
    rc = set_known(run, id, &res);
    ca_warc_result_release(&res);
    return rc;
}

/* The stored result of url, when fresh enough (or any, offline). */
static int stored_one(struct store_args *sa, ca_run *run, size_t id, const char *url,
                      int64_t now, int any_age)
{
    ca_error err = CA_ERROR_INIT;
    ca_store_check c;
    int found, rc = EXIT_CLEAN, fresh;

    if (ca_store_latest(sa->store, url, &c, &found, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    if (!found)
        return sa->offline ? set_unknown(run, id, "not checked: --offline, and the store has "
                                                  "no result for it") : EXIT_CLEAN;
    fresh = ca_store_class_definitive(c.res.cls) && now - c.res.checked_at < sa->max_age_s &&
            !ca_checker_needs_request(run->chk, id); /* fragments need the page */
    /* a failing result kept without an archive lookup is looked up now */
    if (fresh && sa->chk && sa->chk->archive && !c.res.archive &&
        (c.res.cls == CA_CLASS_DEAD || c.res.cls == CA_CLASS_SOFT404))
        fresh = 0;
    if (any_age || fresh) {
        rc = set_known(run, id, &c.res);
        if (rc == EXIT_CLEAN && !sa->readonly &&
            ca_store_record_reused(sa->store, sa->run_id, url, c.id, &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            rc = EXIT_ENV;
        }
        sa->reused += rc == EXIT_CLEAN;
    }
    ca_store_check_release(&c);
    return rc;
}

/* Every link still to check: from the replay file or the store. */
static int give_results(struct store_args *sa, ca_run *run, int any_age)
{
    ca_error err = CA_ERROR_INIT;
    size_t id, n = ca_checker_count(run->chk);
    int64_t now = (int64_t)time(NULL);
    int rc = EXIT_CLEAN, txn = sa->store && !sa->readonly;

    if (txn && ca_store_begin(sa->store, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    for (id = 0; id < n && rc == EXIT_CLEAN; id++) {
        const ca_result *res = ca_checker_result(run->chk, id);
        const char *url = ca_checker_url(run->chk, id);

        if (res->checked_at || res->cls != CA_CLASS_UNKNOWN)
            continue; /* decided already: excluded, a local file, a fetched page */
        if (sa->replayed)
            rc = replay_one(sa, run, id, url);
        else if (sa->store)
            rc = stored_one(sa, run, id, url, now, any_age);
        else if (sa->offline)
            rc = set_unknown(run, id, "not checked: --offline, and there is no store yet");
    }
    if (txn && ca_store_commit(sa->store, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        rc = EXIT_ENV;
    }
    return rc;
}

int store_args_prepare(struct store_args *sa, ca_run *run, int *ret_skip)
{
    *ret_skip = store_args_no_requests(sa);
    if (!sa->replayed && (!sa->store || sa->refresh) && !sa->offline)
        return EXIT_CLEAN;
    return give_results(sa, run, sa->offline);
}

/* ---- after the checks ---- */

/* How long each failing link has been failing, and whether it counts yet. */
static int link_history(struct store_args *sa, const ca_run *run)
{
    ca_error err = CA_ERROR_INIT;
    size_t id, n = ca_checker_count(run->chk);
    int confirm = sa->confirm_n > 1 || sa->confirm_span_s > 0;

    if (!sa->store || !sa->ro || !n)
        return EXIT_CLEAN;
    free(sa->links);
    sa->links = calloc(n, sizeof *sa->links);
    if (!sa->links) {
        cli_error("out of memory reading the history of the links");
        return EXIT_ENV;
    }
    for (id = 0; id < n; id++) {
        const ca_result *res = ca_checker_result(run->chk, id);
        struct report_link *l = &sa->links[id];
        ca_store_timeline t;

        if (!report_fails(sa->ro, res->cls) || !res->checked_at)
            continue;
        if (ca_store_url_timeline(sa->store, ca_checker_url(run->chk, id), sa->ro->fail_mask,
                                  &t, &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            return EXIT_ENV;
        }
        if (!t.streak)
            continue; /* not a stored check (decided without a request) */
        l->failing_since = t.streak_since;
        l->failing_checks = (uint32_t)t.streak;
        l->confirm_needed = sa->confirm_n;
        l->unconfirmed = confirm && (t.streak < sa->confirm_n ||
                                     t.last_checked - t.streak_since < sa->confirm_span_s);
    }
    sa->ro->links = sa->links;
    sa->ro->nlinks = n;
    return EXIT_CLEAN;
}

int store_args_load(struct store_args *sa, ca_run *run)
{
    int rc;

    if (!sa->store)
        return EXIT_CLEAN;
    rc = give_results(sa, run, 1);
    if (rc == EXIT_CLEAN)
        rc = link_history(sa, run);
    return rc;
}

static int end_run(struct store_args *sa, const ca_run *run, int interrupted)
{
    static const ca_class no_network[] = {CA_CLASS_DNS, CA_CLASS_UNREACHABLE, CA_CLASS_TIMEOUT};
    ca_error err = CA_ERROR_INIT;
    ca_store_run_status status = CA_STORE_RUN_DONE;
    size_t i;

    if (!sa->store || sa->readonly || (sa->failed & FAILED_STORE))
        return EXIT_CLEAN;
    if (run->network_down) {
        /* the failures of a run with no network say nothing of the links */
        for (i = 0; i < sizeof no_network / sizeof *no_network; i++)
            if (ca_store_drop_checks(sa->store, sa->run_id, no_network[i], &err) != CA_OK)
                break;
        status = CA_STORE_RUN_NO_NETWORK;
    } else if (interrupted) {
        status = CA_STORE_RUN_INTERRUPTED;
    }
    if (err.code == CA_OK)
        ca_store_run_end(sa->store, sa->run_id, run->finished ? run->finished
                                                              : (int64_t)time(NULL),
                         status, ca_checker_count(run->chk), sa->checked, sa->reused, &err);
    if (err.code != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return EXIT_ENV;
    }
    return EXIT_CLEAN;
}

int store_args_finish(struct store_args *sa, ca_run *run, int interrupted)
{
    ca_error err = CA_ERROR_INIT;
    ca_warc_writer *w = sa->warc;
    int rc;

    rc = end_run(sa, run, interrupted);
    if (rc == EXIT_CLEAN)
        rc = link_history(sa, run);
    sa->warc = NULL;
    if (ca_warc_writer_close(w, &err) != CA_OK && !(sa->failed & FAILED_WARC)) {
        fail_later(sa, FAILED_WARC, &err);
    }
    if (sa->failed) {
        cli_error("%s", sa->failure);
        if (sa->failed & FAILED_STORE)
            cli_note("the results up to the failure are in the store; the report below "
                     "covers every link checked");
        rc = EXIT_ENV;
    }
    return rc;
}

void store_args_release(struct store_args *sa)
{
    ca_warc_writer_close(sa->warc, NULL);
    sa->warc = NULL;
    ca_warc_replay_destroy(sa->replayed);
    sa->replayed = NULL;
    ca_store_probe_release(&sa->probe);
    ca_store_close(sa->store);
    sa->store = NULL;
    if (sa->ro && sa->ro->links == sa->links) {
        sa->ro->links = NULL;
        sa->ro->nlinks = 0;
    }
    free(sa->links);
    sa->links = NULL;
}
