/*
 * report_json.c - `check --format json`: the whole run as one JSON
 * document for programs (schema in README.md, "JSON report schema"). The
 * fields of one citation are written here once and shared with the JSONL
 * report. Written with the streaming writer of jsonw.c, so a run of a
 * million links is never held in memory as a tree.
 */
#include "jsonw.h"
#include "report.h"

/* Bumped when a field changes meaning or goes away; new fields keep it. */
#define SCHEMA_VERSION 1

/* "key":123, or null when v is 0 (no HTTP status, never checked). */
static void uint_or_null(FILE *out, const char *key, unsigned long long v)
{
    if (v)
        jsonw_key_uint(out, 0, key, v);
    else
        jsonw_key_str(out, 0, key, NULL);
}

/* "key":"2024-01-31T12:00:00Z", or null when t is 0. */
static void time_field(FILE *out, int first, const char *key, int64_t t)
{
    char buf[32];

    report_iso8601(t, buf);
    jsonw_key_str(out, first, key, buf[0] ? buf : NULL);
}

static void redirect_list(FILE *out, const ca_result *res)
{
    unsigned i;

    jsonw_key(out, 0, "redirects");
    putc('[', out);
    for (i = 0; i < res->nchain; i++) {
        if (i)
            putc(',', out);
        putc('{', out);
        jsonw_key_str(out, 1, "url", res->chain[i].url);
        uint_or_null(out, "http_code", (unsigned)res->chain[i].http_code);
        putc('}', out);
    }
    putc(']', out);
}

/* "reason", "archive_url", "archive_time", "drift" (the similarity of the
 * live page to its capture, null when not measured), "drifted", "fragment". */
static void archive_fields(FILE *out, const struct report_cite *rc)
{
    const ca_result *res = rc->res;
    const ca_archive *a = res->archive;

    jsonw_key_str(out, 0, "reason", ca_reason_name(res->reason));
    jsonw_key_str(out, 0, "archive_url", a ? a->url : NULL);
    time_field(out, 0, "archive_time", a ? a->time : 0);
    jsonw_key(out, 0, "drift");
    if (a && a->drift >= 0)
        fprintf(out, "%.3f", a->drift);
    else
        fputs("null", out);
    jsonw_key_bool(out, 0, "drifted", report_drifted(rc));
    jsonw_key_str(out, 0, "fragment", ca_run_fragment(rc->run, rc->c));
}

void report_json_cite(FILE *out, const struct report_cite *rc, int jsonl)
{
    const ca_result *res = rc->res;

    putc('{', out);
    if (jsonl)
        jsonw_key_str(out, 1, "doc", rc->doc->origin);
    jsonw_key_uint(out, !jsonl, "line", rc->c->line);
    jsonw_key_uint(out, 0, "col", rc->c->col);
    jsonw_key_str(out, 0, "region", ca_region_name((ca_region)rc->c->region));
    jsonw_key_str(out, 0, "kind", ca_kind_name((ca_kind)rc->c->kind));
    jsonw_key_str(out, 0, "url", rc->url);
    jsonw_key_str(out, 0, "status", ca_class_name(res->cls));
    archive_fields(out, rc);
    jsonw_key_bool(out, 0, "failing", rc->group == REPORT_FAILING);
    uint_or_null(out, "http_code", (unsigned)res->http_code);
    jsonw_key_str(out, 0, "final_url", res->final_url);
    if (jsonl)
        jsonw_key_uint(out, 0, "redirects", report_redirects(res));
    else
        redirect_list(out, res);
    jsonw_key_str(out, 0, "error", res->error);
    jsonw_key_uint(out, 0, "attempts", res->attempts);
    jsonw_key_uint(out, 0, "elapsed_ms", res->elapsed_ms);
    time_field(out, 0, "checked_at", res->checked_at);
    if (rc->link) { /* what the store says: only with a store */
        time_field(out, 0, "dead_since", rc->link->failing_since);
        jsonw_key_uint(out, 0, "failing_checks", rc->link->failing_checks);
        jsonw_key_bool(out, 0, "confirmed", !rc->link->unconfirmed);
    }
    putc('}', out);
}

static void document(FILE *out, const ca_run *run, const struct report_opts *ro,
                     const ca_run_doc *d)
{
    struct report_cite rc;
    size_t i;

    putc('{', out);
    jsonw_key_str(out, 1, "origin", d->origin);
    jsonw_key_str(out, 0, "url", d->url);
    jsonw_key_str(out, 0, "outlet", d->outlet);
    jsonw_key_str(out, 0, "title", d->title);
    jsonw_key_str(out, 0, "published", d->published);
    jsonw_key_str(out, 0, "error", d->error);
    jsonw_key_uint(out, 0, "links_dropped", d->links_dropped);
    jsonw_key(out, 0, "citations");
    putc('[', out);
    for (i = d->first; i < d->first + d->n; i++) {
        if (i > d->first)
            putc(',', out);
        report_cite_get(run, ro, &run->cites[i], &rc);
        report_json_cite(out, &rc, 0);
    }
    fputs("]}", out);
}

static void summary(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct report_summary s;
    int i;

    report_summarise(run, ro, &s);
    putc('{', out);
    jsonw_key_uint(out, 1, "total", s.total);
    jsonw_key_uint(out, 0, "failing", s.by_group[REPORT_FAILING]);
    jsonw_key_uint(out, 0, "citations", s.body);
    jsonw_key_uint(out, 0, "page_links", s.chrome);
    jsonw_key_uint(out, 0, "failing_citations", s.body_failing);
    jsonw_key_uint(out, 0, "failing_page_links", s.chrome_failing);
    jsonw_key_uint(out, 0, "documents", s.docs);
    jsonw_key_uint(out, 0, "inputs_failed", s.inputs_failed);
    jsonw_key(out, 0, "by_status");
    putc('{', out);
    for (i = 0; i < CA_CLASS_COUNT; i++)
        jsonw_key_uint(out, i == 0, ca_class_name((ca_class)i), s.by_class[i]);
    putc('}', out);
    jsonw_key(out, 0, "by_reason");
    putc('{', out);
    for (i = 1; i < CA_REASON_COUNT; i++)
        jsonw_key_uint(out, i == 1, ca_reason_name((ca_reason)i), s.by_reason[i]);
    putc('}', out);
    jsonw_key_uint(out, 0, "rescued", s.rescued);
    jsonw_key_uint(out, 0, "drifted", s.drifted);
    jsonw_key_uint(out, 0, "probes", s.stats.probes);
    jsonw_key_uint(out, 0, "probes_from_store", s.stats.probes_cached);
    jsonw_key_uint(out, 0, "archive_lookups", s.stats.archive_lookups);
    jsonw_key_uint(out, 0, "drift_measured", s.stats.drift_measured);
    putc('}', out);
}

/* The classes that fail this run, by name: what "failing" means here. */
static void fail_on(FILE *out, const struct report_opts *ro)
{
    int i, first = 1;

    jsonw_key(out, 0, "fail_on");
    putc('[', out);
    for (i = 0; i < CA_CLASS_COUNT; i++) {
        if (!report_fails(ro, (ca_class)i))
            continue;
        if (!first)
            putc(',', out);
        first = 0;
        jsonw_str(out, ca_class_name((ca_class)i));
    }
    putc(']', out);
}

int report_json(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    size_t i;

    putc('{', out);
    jsonw_key_uint(out, 1, "schema_version", SCHEMA_VERSION);
    jsonw_key(out, 0, "tool");
    putc('{', out);
    jsonw_key_str(out, 1, "name", "citeaudit");
    jsonw_key_str(out, 0, "version", ca_version());
    putc('}', out);
    time_field(out, 0, "generated", report_now());
    time_field(out, 0, "started", run->started);
    time_field(out, 0, "finished", run->finished);
    jsonw_key_bool(out, 0, "network_down", run->network_down);
    jsonw_key_bool(out, 0, "page_links_checked", !ro->body_only);
    fail_on(out, ro);
    jsonw_key(out, 0, "documents");
    putc('[', out);
    for (i = 0; i < run->ndocs; i++) {
        if (i)
            putc(',', out);
        document(out, run, ro, &run->docs[i]);
    }
    putc(']', out);
    jsonw_key(out, 0, "summary");
    summary(out, run, ro);
    fputs("}\n", out);
    return report_finish(out);
}
