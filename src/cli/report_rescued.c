/*
 * report_rescued.c - rescued.md of `citeaudit audit`: for every failing
 * citation that an archive holds a copy of (the capture closest before the
 * citing document's publication), one line "DEAD URL -> ARCHIVE URL" to
 * paste into a search and replace, grouped by document. A URL cited twice
 * in one document is listed once.
 */
#include <string.h>

#include "report.h"

/* Was url already listed for this document (an earlier citation of it)? */
static int listed_before(const ca_run *run, const struct report_opts *ro, const ca_run_doc *d,
                         size_t k, const char *url)
{
    struct report_cite rc;
    size_t i;

    for (i = d->first; i < k; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        if (report_rescued(&rc) && !strcmp(rc.url, url))
            return 1;
    }
    return 0;
}

int report_rescued_md(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    struct report_summary s;
    struct report_cite rc;
    size_t i, k, n;

    report_summarise(run, ro, &s);
    fputs("# Rescued citations\n\n", out);
    if (!s.rescued) {
        fputs(s.stats.archive_lookups
                  ? "No failing citation has an archived copy in the archives asked.\n"
                  : "No archive was asked (`--no-archive`, `--no-check`, or nothing failed).\n",
              out);
        return report_finish(out);
    }
    fprintf(out, "%zu failing %s an archived copy: the capture closest before the citing "
            "document's publication date (else the first after it). Replace each dead URL "
            "with its archive URL:\n", s.rescued,
            s.rescued == 1 ? "citation has" : "citations have");
    for (i = 0; i < run->ndocs; i++) {
        const ca_run_doc *d = &run->docs[i];

        for (k = d->first, n = 0; k < d->first + d->n; k++) {
            report_cite_get(run, ro, &run->cites[k], &rc);
            if (!report_rescued(&rc) || listed_before(run, ro, d, k, rc.url))
                continue;
            if (n++ == 0) {
                fputs("\n## ", out);
                report_put_clean(out, d->title ? d->title : d->origin);
                fputs("\n\n", out);
                if (d->title) {
                    fputs("`", out);
                    report_put_clean(out, d->origin);
                    fputs("`", out);
                }
                if (d->published) {
                    fputs(d->title ? ", published " : "Published ", out);
                    report_put_clean(out, d->published);
                }
                if (d->title || d->published)
                    fputs("\n\n", out);
            }
            fputs("- ", out);
            report_put_clean(out, rc.url);
            fputs(" -> ", out);
            report_put_clean(out, rc.res->archive->url);
            putc('\n', out);
        }
    }
    return report_finish(out);
}
