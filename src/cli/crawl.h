/*
 * crawl.h - the crawler of `audit` and `provenance`: the pages the inputs
 * cite, and the pages those cite up to --depth, fetched and read into the
 * provenance corpus.
 */
#ifndef CA_CRAWL_H
#define CA_CRAWL_H

#include "cli.h"

/* Pages fetched beyond the inputs at most, by default. */
#define CRAWL_DEFAULT_MAX_PAGES 1000

struct crawl_opts {
    unsigned depth;             /* --depth: 0 fetches nothing */
    size_t max_pages;           /* --max-pages */
    const ca_check_opts *chk;   /* the checker's options (robots.txt is
                                 * fetched with the same, without hooks) */
    const ca_extract_opts *ex;  /* how a fetched page is read */
    ca_prov *prov;              /* where the pages go */
    size_t fetched;             /* out: pages read */
    size_t unavailable;         /* out: cited pages that could not be read */
    size_t robots_refused;      /* out: pages robots.txt kept us from */
};

/*
 * Fetch what the body citations of run's documents link (depth 1: the
 * run's own checker, after its checks, so each page is asked once more
 * with GET), then what those pages cite (depth 2 and on: only where the
 * host's robots.txt allows citeaudit), reading each HTML page into
 * co->prov and the store's documents. Pages that cannot be read are
 * recorded as unavailable with the reason. ud is a struct crawl_opts.
 * Returns the exit code it contributes.
 */
int crawl_run(ca_run *run, void *ud);

#endif
