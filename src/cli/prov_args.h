/*
 * prov_args.h - what `audit` and `provenance` share about provenance: the
 * crawler's options (--depth, --max-pages), and the steps between the
 * corpus, the crawl and the report.
 */
#ifndef CA_PROV_ARGS_H
#define CA_PROV_ARGS_H

#include <getopt.h>

#include "check_args.h"
#include "crawl.h"
#include "report_prov.h"

/* getopt codes of the shared provenance options. */
enum { OPT_DEPTH = CLI_OPT_COMMAND + 200, OPT_MAX_PAGES };

#define PROV_LONGOPTS                                       \
    {"depth", required_argument, NULL, OPT_DEPTH},          \
    {"max-pages", required_argument, NULL, OPT_MAX_PAGES}

/* Most --depth accepted. */
#define PROV_MAX_DEPTH 5

struct prov_args {
    unsigned depth;   /* default 1 */
    size_t max_pages; /* default CRAWL_DEFAULT_MAX_PAGES */
};

void prov_args_init(struct prov_args *pa);

/* The help lines of the options. */
void prov_args_help(void);

/* One option: 0 handled, -1 bad value (after a message), 2 not ours. */
int prov_args_option(struct prov_args *pa, int c, const char *arg);

/* The crawler's options for this command. */
void prov_args_crawl(const struct prov_args *pa, const struct check_args *a, ca_prov *prov,
                     struct crawl_opts *co);

/* What the report says besides the results. */
void prov_args_report_in(const struct prov_args *pa, const struct crawl_opts *co,
                         const ca_prov *prov, int crawled, struct prov_report_in *in);

#endif
