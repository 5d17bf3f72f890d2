/*
 * audit_prov.c - the provenance part of `citeaudit audit`, kept apart so
 * that cmd_audit.c stays the sequence of the whole job: the corpus is fed
 * by the pipeline while the inputs are read, the crawl runs right after
 * the checks (same checker, same store run), the analysis after that, and
 * its results go to provenance.json, report.html and the graph.
 */
#include <stdlib.h>
#include <string.h>

#include "audit_prov.h"
#include "pipeline.h"

int audit_prov_begin(struct audit_prov *ap)
{
    ca_error err = CA_ERROR_INIT;

    if (ca_prov_create(NULL, &ap->prov, &err) != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return cli_exit_code(err.code);
    }
    pipeline_feed(ap->prov);
    return EXIT_CLEAN;
}

int audit_prov_check(struct audit_prov *ap, const struct check_args *a, ca_run *run)
{
    int rc;

    pipeline_feed(NULL); /* the inputs are read; pages are added by the crawl */
    prov_args_crawl(&ap->pa, a, ap->prov, &ap->co);
    pipeline_after_checks(crawl_run, &ap->co);
    rc = pipeline_check(run);
    pipeline_after_checks(NULL, NULL);
    return rc;
}

/* The reuse edges: from the later document to the earlier (either way
 * round when the dates do not tell); a cited page is drawn as its source. */
static int reuse_edges(struct audit_prov *ap)
{
    const ca_prov_result *r = ca_prov_result_of(ap->prov);
    size_t i;

    ap->reuse = calloc(r->npairs ? r->npairs : 1, sizeof *ap->reuse);
    if (!ap->reuse)
        return -1;
    for (i = 0; i < r->npairs; i++) {
        const ca_prov_pair *p = &r->pairs[i];
        size_t from = p->reuser != CA_PROV_NONE ? p->reuser : p->a;
        size_t to = p->reuser != CA_PROV_NONE ? p->source : p->b;
        const ca_prov_document *df = &r->docs[from], *dt = &r->docs[to];
        ca_graph_reuse *e = &ap->reuse[ap->nreuse];
        double share = from == p->a ? p->a_in_b : p->b_in_a;

        if (df->depth && dt->depth)
            continue; /* two cited pages: not articles of the graph */
        if (df->depth) { /* the page reuses the article: draw the article as the reuser */
            const ca_prov_document *t = df;

            df = dt;
            dt = t;
            share = from == p->a ? p->b_in_a : p->a_in_b;
        }
        e->from = df->origin;
        e->to = dt->depth ? dt->outlet : dt->origin;
        e->to_source = dt->depth != 0;
        e->percent = (unsigned)(share * 100 + 0.5);
        e->directed = p->reuser != CA_PROV_NONE;
        e->credited = p->credited;
        if (e->to)
            ap->nreuse++;
    }
    return 0;
}

int audit_prov_finish(struct audit_prov *ap, const ca_run *run, int crawled)
{
    ca_error err = CA_ERROR_INIT;

    pipeline_feed(NULL);
    if (!ap->prov || pipeline_interrupted)
        return EXIT_CLEAN;
    if (ca_prov_analyze(ap->prov, &err) != CA_OK) {
        cli_error("provenance: %s", ca_error_message(&err));
        return cli_exit_code(err.code);
    }
    if (reuse_edges(ap) < 0) {
        cli_error("out of memory");
        return EXIT_ENV;
    }
    prov_args_report_in(&ap->pa, &ap->co, ap->prov, crawled && !run->network_down, &ap->in);
    ap->ready = 1;
    return EXIT_CLEAN;
}

void audit_prov_graph(const struct audit_prov *ap, ca_graph_opts *go)
{
    go->reuse = ap->reuse;
    go->nreuse = ap->nreuse;
}

int audit_prov_json(FILE *out, const struct audit_prov *ap)
{
    return report_prov_json(out, &ap->in);
}

const struct prov_report_in *audit_prov_html(const struct audit_prov *ap)
{
    return ap->ready ? &ap->in : NULL;
}

void audit_prov_release(struct audit_prov *ap)
{
    pipeline_feed(NULL);
    pipeline_after_checks(NULL, NULL);
    free(ap->reuse);
    ap->reuse = NULL;
    ap->nreuse = 0;
    ca_prov_destroy(ap->prov);
    ap->prov = NULL;
    ap->ready = 0;
}
