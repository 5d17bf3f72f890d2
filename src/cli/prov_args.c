/*
 * prov_args.c - the provenance options of `audit` and `provenance`
 * (--depth, --max-pages), validated here with the option named in the
 * message, and the glue from them to the crawler and the report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_args.h"

void prov_args_init(struct prov_args *pa)
{
    pa->depth = 1;
    pa->max_pages = CRAWL_DEFAULT_MAX_PAGES;
}

void prov_args_help(void)
{
    printf("      --depth N           follow citations N links deep for provenance\n"
           "                          (default 1: the pages the inputs cite; 0: none;\n"
           "                          beyond 1 only where robots.txt allows)\n"
           "      --max-pages N       fetch at most N cited pages (default %d)\n",
           CRAWL_DEFAULT_MAX_PAGES);
}

int prov_args_option(struct prov_args *pa, int c, const char *arg)
{
    char *end;
    unsigned long v;

    if (c != OPT_DEPTH && c != OPT_MAX_PAGES)
        return 2;
    errno = 0;
    v = strtoul(arg, &end, 10);
    if (c == OPT_DEPTH) {
        if (end == arg || *end || errno || arg[0] == '-' || v > PROV_MAX_DEPTH) {
            cli_error("--depth: '%s' is not a number from 0 to %d", arg, PROV_MAX_DEPTH);
            return -1;
        }
        pa->depth = (unsigned)v;
        return 0;
    }
    return cli_parse_count("--max-pages", arg, &pa->max_pages) < 0 ? -1 : 0;
}

void prov_args_crawl(const struct prov_args *pa, const struct check_args *a, ca_prov *prov,
                     struct crawl_opts *co)
{
    memset(co, 0, sizeof *co);
    co->depth = pa->depth;
    co->max_pages = pa->max_pages;
    co->chk = &a->chk;
    co->ex = &a->ex;
    co->prov = prov;
}

void prov_args_report_in(const struct prov_args *pa, const struct crawl_opts *co,
                         const ca_prov *prov, int crawled, struct prov_report_in *in)
{
    memset(in, 0, sizeof *in);
    in->res = ca_prov_result_of(prov);
    in->depth = pa->depth;
    in->crawled = crawled && pa->depth > 0;
    in->fetched = co->fetched;
    in->unavailable = co->unavailable;
    in->robots_refused = co->robots_refused;
}
