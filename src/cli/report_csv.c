/*
 * report_csv.c - `check --format csv`: one row per citation for
 * spreadsheets and data tools, RFC 4180: a header row, CRLF line ends,
 * fields holding a comma, quote or line break put in double quotes with
 * inner quotes doubled. Empty fields stand for "none" (no HTTP status, no
 * final URL, no error). The columns reason, archive_url, archive_time and
 * drift come last, so readers of the older columns by position still work.
 */
#include <string.h>

#include "report.h"

static void field(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}

static void row(FILE *out, const struct report_cite *rc)
{
    const ca_result *res = rc->res;

    field(out, rc->doc->origin);
    fprintf(out, ",%u,%u,%s,", (unsigned)rc->c->line, (unsigned)rc->c->col,
            ca_region_name((ca_region)rc->c->region));
    field(out, rc->url);
    fprintf(out, ",%s,", ca_class_name(res->cls));
    if (res->http_code)
        fprintf(out, "%d", res->http_code);
    putc(',', out);
    field(out, res->final_url);
    putc(',', out);
    field(out, res->error);
    fprintf(out, ",%u,%u,", res->attempts, res->elapsed_ms);
    field(out, ca_reason_name(res->reason));
    putc(',', out);
    field(out, res->archive ? res->archive->url : NULL);
    putc(',', out);
    if (res->archive && res->archive->time) {
        char when[32];

        report_iso8601(res->archive->time, when);
        fputs(when, out);
    }
    putc(',', out);
    if (res->archive && res->archive->drift >= 0)
        fprintf(out, "%.3f", res->archive->drift);
    fputs("\r\n", out);
}

int report_csv(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct report_cite rc;
    size_t i;

    fputs("doc,line,col,region,url,status,http_code,final_url,error,attempts,elapsed_ms,"
          "reason,archive_url,archive_time,drift\r\n", out);
    for (i = 0; i < run->ncites; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        row(out, &rc);
    }
    return report_finish(out);
}
