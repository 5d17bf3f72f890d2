/*
 * report.c - what the renderers of `citeaudit check` share: the table of
 * formats, which citations fail and which deserve a mention, the counts of
 * the summary, the reason shown for a result, and times in ISO 8601. Each
 * report_*.c file only decides how its format looks, so the formats can
 * never disagree on what failed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonw.h"
#include "report.h"

static const struct {
    const char *name;
    report_fn fn;
} formats[] = {
    {"text", report_text},   {"json", report_json},         {"jsonl", report_jsonl},
    {"markdown", report_markdown}, {"junit", report_junit}, {"sarif", report_sarif},
    {"csv", report_csv},
};

report_fn report_lookup(const char *fmt)
{
    size_t i;

    for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(fmt, formats[i].name))
            return formats[i].fn;
    return NULL;
}

const char *report_format_names(void)
{
    return "text|json|jsonl|markdown|junit|sarif|csv";
}

enum report_group report_group_of(const struct report_opts *ro, ca_class cls)
{
    if (report_fails(ro, cls))
        return REPORT_FAILING;
    switch (cls) {
    case CA_CLASS_OK:
        return REPORT_OK;
    case CA_CLASS_REDIRECTED:
        return REPORT_UPDATE;
    case CA_CLASS_UNKNOWN:
    case CA_CLASS_EXCLUDED:
    case CA_CLASS_BLOCKED:
    case CA_CLASS_UNSUPPORTED:
        return REPORT_SKIPPED;
    default:
        /* forbidden, ratelimited, and failing classes left out of --fail-on:
         * the link has a problem even if the run does not fail on it. */
        return REPORT_WARN;
    }
}

const struct report_link *report_link_of(const struct report_opts *ro, const ca_run_cite *c)
{
    return ro->links && c->link < ro->nlinks ? &ro->links[c->link] : NULL;
}

enum report_group report_cite_group(const ca_run *run, const struct report_opts *ro,
                                    const ca_run_cite *c)
{
    const struct report_link *l = report_link_of(ro, c);
    const ca_result *res = ca_run_result(run, c);
    enum report_group g = report_group_of(ro, res->cls);

    /* a bot wall says nothing about the link: apart, never failing unless asked */
    if (res->reason == CA_REASON_BOT_PROTECTION)
        return ro->fail_bot ? REPORT_FAILING : REPORT_WARN;
    if ((g == REPORT_OK || g == REPORT_UPDATE) &&
        ((res->archive && res->archive->drifted) ||
         res->reason == CA_REASON_FRAGMENT_CLIENT_SIDE ||
         res->reason == CA_REASON_FRAGMENT_UNVERIFIED))
        return REPORT_WARN;
    return g == REPORT_FAILING && l && l->unconfirmed ? REPORT_WARN : g;
}

int report_bot_blocked(const struct report_cite *rc)
{
    return rc->res->reason == CA_REASON_BOT_PROTECTION;
}

int report_drifted(const struct report_cite *rc)
{
    return rc->res->archive && rc->res->archive->drifted &&
           (rc->res->cls == CA_CLASS_OK || rc->res->cls == CA_CLASS_REDIRECTED);
}

int report_rescued(const struct report_cite *rc)
{
    return rc->res->archive && rc->res->archive->url && rc->res->cls != CA_CLASS_OK &&
           rc->res->cls != CA_CLASS_REDIRECTED && rc->group == REPORT_FAILING;
}

void report_date(int64_t t, char buf[static 16])
{
    time_t tt = (time_t)t;
    struct tm tm;

    buf[0] = '\0';
    if (t == 0 || !gmtime_r(&tt, &tm))
        return;
    strftime(buf, 16, "%Y-%m-%d", &tm);
}

void report_archive_note(FILE *out, const struct report_cite *rc, report_put_fn put)
{
    const ca_archive *a = rc->res->archive;
    char when[16];

    if (!a || !a->url)
        return;
    report_date(a->time, when);
    if (report_drifted(rc)) {
        fprintf(out, " [drifted: %.0f%% alike its capture%s%s: ", a->drift * 100,
                when[0] ? " of " : "", when);
        put(out, a->url);
        putc(']', out);
    } else if (report_rescued(rc)) {
        fprintf(out, " [archived%s%s: ", when[0] ? " " : "", when);
        put(out, a->url);
        putc(']', out);
    }
}

int report_unconfirmed(const struct report_cite *rc)
{
    return rc->link && rc->link->unconfirmed;
}

void report_cite_get(const ca_run *run, const struct report_opts *ro, const ca_run_cite *c,
                     struct report_cite *rc)
{
    rc->run = run;
    rc->doc = &run->docs[c->doc];
    rc->c = c;
    rc->res = ca_run_result(run, c);
    rc->url = ca_run_url(run, c);
    rc->final_url = rc->res->final_url;
    if (rc->final_url && rc->url && !strcmp(rc->final_url, rc->url))
        rc->final_url = NULL;
    rc->link = report_link_of(ro, c);
    rc->group = report_cite_group(run, ro, c);
    rc->chrome = c->region != CA_REGION_BODY;
}

void report_cite_line(FILE *out, const struct report_cite *rc, report_put_fn put,
                      const char *on, const char *off)
{
    const ca_result *res = rc->res;

    put(out, rc->doc->origin);
    fprintf(out, ":%u:%u: %s%s%s", (unsigned)rc->c->line, (unsigned)rc->c->col, on ? on : "",
            ca_class_name(res->cls), off ? off : "");
    if (res->http_code)
        fprintf(out, " %d", res->http_code);
    putc(' ', out);
    put(out, rc->url);
    if (rc->final_url) {
        fputs(" -> ", out);
        put(out, rc->final_url);
    }
    if (rc->group != REPORT_OK && rc->group != REPORT_UPDATE &&
        !(report_drifted(rc) && res->reason == CA_REASON_NONE)) {
        fputs(" (", out);
        if (res->reason != CA_REASON_NONE)
            fprintf(out, "%s: ", ca_reason_name(res->reason));
        put(out, report_reason(res));
        putc(')', out);
    }
    report_archive_note(out, rc, put);
    report_history_note(out, rc);
}

void report_history_note(FILE *out, const struct report_cite *rc)
{
    char when[32];

    if (!rc->link || !rc->link->failing_checks)
        return;
    if (rc->link->unconfirmed)
        fprintf(out, " failing, not yet confirmed (%u of %u)", (unsigned)rc->link->failing_checks,
                (unsigned)rc->link->confirm_needed);
    report_iso8601(rc->link->failing_since, when);
    fprintf(out, " %s since %s (%u check%s)",
            rc->res->cls == CA_CLASS_DEAD || rc->res->cls == CA_CLASS_SOFT404 ? "dead" : "failing",
            when, (unsigned)rc->link->failing_checks, rc->link->failing_checks == 1 ? "" : "s");
}

void report_summarise(const ca_run *run, const struct report_opts *ro,
                      struct report_summary *s)
{
    size_t i;

    memset(s, 0, sizeof *s);
    s->body_only = ro->body_only;
    ca_checker_stats(run->chk, &s->stats);
    for (i = 0; i < run->ndocs; i++) {
        if (run->docs[i].error)
            s->inputs_failed++;
        else
            s->docs++;
    }
    for (i = 0; i < run->ncites; i++) {
        const ca_run_cite *c = &run->cites[i];
        ca_class cls = ca_run_result(run, c)->cls;
        enum report_group g = report_cite_group(run, ro, c);
        int chrome = c->region != CA_REGION_BODY;

        if ((unsigned)cls < CA_CLASS_COUNT)
            s->by_class[cls]++;
        s->by_group[g]++;
        {
            struct report_cite rc;

            report_cite_get(run, ro, c, &rc);
            if ((unsigned)rc.res->reason < CA_REASON_COUNT)
                s->by_reason[rc.res->reason]++;
            s->rescued += report_rescued(&rc) != 0;
            s->drifted += report_drifted(&rc) != 0;
        }
        s->total++;
        if (chrome) {
            s->chrome++;
            s->chrome_failing += g == REPORT_FAILING;
        } else {
            s->body++;
            s->body_failing += g == REPORT_FAILING;
        }
    }
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ": 9 ok, 1 redirected, 2 dead" -- ok first, unknown last, zeros left out. */
static void class_counts(FILE *out, const struct report_summary *s)
{
    const char *sep = ": ";
    int i;

    for (i = 1; i <= CA_CLASS_COUNT; i++) {
        ca_class cls = (ca_class)(i % CA_CLASS_COUNT);

        if (!s->by_class[cls])
            continue;
        fprintf(out, "%s%zu %s", sep, s->by_class[cls], ca_class_name(cls));
        sep = ", ";
    }
}

void report_summary_line(FILE *out, const ca_run *run, const struct report_summary *s)
{
    size_t failing = s->by_group[REPORT_FAILING];
    /* Every link unknown without a dead network: audit --no-check, or an
     * interrupt before the first answer. */
    int none = s->total && s->by_class[CA_CLASS_UNKNOWN] == s->total;

    fprintf(out, "%zu %s %s in %zu %s", s->total,
            s->body_only ? plural(s->total, "citation", "citations")
                         : plural(s->total, "link", "links"),
            run->network_down ? "not checked (no network)" : none ? "not checked" : "checked",
            s->docs, plural(s->docs, "document", "documents"));
    class_counts(out, s);
    if (!failing)
        fputs("; none failing", out);
    else if (!s->chrome)
        fprintf(out, "; %zu failing", failing);
    else
        fprintf(out, "; %zu failing (%zu %s, %zu %s)", failing, s->body_failing,
                plural(s->body_failing, "citation", "citations"), s->chrome_failing,
                plural(s->chrome_failing, "page link", "page links"));
    if (s->inputs_failed)
        fprintf(out, "; %zu %s not read", s->inputs_failed,
                plural(s->inputs_failed, "input", "inputs"));
}

int report_extra_line(FILE *out, const struct report_summary *s)
{
    const char *sep = "";
    int any = 0;

    if (s->stats.probes || s->stats.probes_cached) {
        fprintf(out, "soft-404 probes: %zu made", s->stats.probes);
        if (s->stats.probes_cached)
            fprintf(out, ", %zu from the store", s->stats.probes_cached);
        sep = "; ";
        any = 1;
    }
    if (s->stats.archive_lookups) {
        fprintf(out, "%sarchives: %zu %s looked up, %zu %s rescued", sep,
                s->stats.archive_lookups, s->stats.archive_lookups == 1 ? "link" : "links",
                s->rescued, s->rescued == 1 ? "citation" : "citations");
        if (s->stats.drift_measured)
            fprintf(out, ", %zu drifted of %zu compared", s->drifted, s->stats.drift_measured);
        sep = "; ";
        any = 1;
    }
    if (s->by_reason[CA_REASON_BOT_PROTECTION]) {
        fprintf(out, "%s%zu behind bot protection (not counted as failing)", sep,
                s->by_reason[CA_REASON_BOT_PROTECTION]);
        any = 1;
    }
    return any;
}

const char *report_http_phrase(int code)
{
    static const struct {
        int code;
        const char *text;
    } phrases[] = {
        {200, "OK"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
        {307, "Temporary Redirect"}, {308, "Permanent Redirect"}, {400, "Bad Request"},
        {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"},
        {405, "Method Not Allowed"}, {406, "Not Acceptable"}, {408, "Request Timeout"},
        {410, "Gone"}, {429, "Too Many Requests"}, {451, "Unavailable For Legal Reasons"},
        {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
        {503, "Service Unavailable"}, {504, "Gateway Timeout"},
    };
    size_t i;

    for (i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        if (phrases[i].code == code)
            return phrases[i].text;
    return NULL;
}

const char *report_reason(const ca_result *res)
{
    const char *phrase;

    if (res->error && *res->error)
        return res->error;
    phrase = res->http_code ? report_http_phrase(res->http_code) : NULL;
    return phrase ? phrase : ca_class_text(res->cls);
}

unsigned report_redirects(const ca_result *res)
{
    unsigned i, n = 0;

    for (i = 0; i < res->nchain; i++)
        n += res->chain[i].http_code >= 300 && res->chain[i].http_code < 400;
    return n;
}

void report_iso8601(int64_t t, char buf[static 32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    buf[0] = '\0';
    if (t == 0 || !gmtime_r(&tt, &tm))
        return;
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t report_now(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (sde && *sde) {
        v = strtoll(sde, &end, 10);
        if (!*end && v > 0)
            return (int64_t)v;
    }
    return (int64_t)time(NULL);
}

/* Nonzero for a code point a terminal would act on rather than show. */
static int is_control(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

void report_put_clean(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;

    for (; p && *p; p += n) {
        n = *p < 0x80 ? 1 : jsonw_utf8_len(p);
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            putc(' ', out);
            continue;
        }
        /* U+0080..U+009F are encoded C2 80..C2 9F. */
        if (n == 0 || (n == 1 && is_control(*p)) || (n == 2 && p[0] == 0xC2 && p[1] <= 0x9F)) {
            fputs("\xEF\xBF\xBD", out);
            n = n ? n : 1;
            continue;
        }
        fwrite(p, 1, n, out);
    }
}

int report_finish(FILE *out)
{
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}

int report_any_failing(const ca_run *run, const struct report_opts *ro)
{
    size_t i;

    for (i = 0; i < run->ncites; i++)
        if (report_cite_group(run, ro, &run->cites[i]) == REPORT_FAILING)
            return 1;
    return 0;
}

int report_have_results(const ca_run *run)
{
    size_t i;

    for (i = 0; i < run->ncites; i++)
        if (ca_run_result(run, &run->cites[i])->checked_at)
            return 1;
    return 0;
}
