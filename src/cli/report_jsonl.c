/*
 * report_jsonl.c - `check --format jsonl`: one JSON object per line and
 * per citation, in document order, for tools that stream (jq -c, grep,
 * line-oriented loaders). The fields are those of a citation in the JSON
 * report (report_json_cite) plus "doc", with "redirects" a count. Inputs
 * that could not be read have no line here: they are reported on stderr
 * and in the JSON report.
 */
#include "report.h"

int report_jsonl(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct report_cite rc;
    size_t i;

    for (i = 0; i < run->ncites; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        report_json_cite(out, &rc, 1);
        putc('\n', out);
    }
    return report_finish(out);
}
