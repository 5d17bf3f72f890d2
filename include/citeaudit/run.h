/*
 * run.h - one audit run: the documents read, their citations in a compact
 * form, and the checker that holds one result per unique URL. Reports,
 * graphs and the store are built from a run.
 *
 * A run keeps only what reports need of each citation (position, region,
 * kind, link id), not the anchor text or context, so that a run over a
 * million links stays small; the documents themselves are freed as soon as
 * they have been added.
 */
#ifndef CITEAUDIT_RUN_H
#define CITEAUDIT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "citeaudit/check.h"
#include "citeaudit/doc.h"
#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A document of the run. Strings owned by the run; any may be NULL but origin. */
typedef struct ca_run_doc {
    char *origin;       /* path, URL or "-" as the user gave it */
    char *url;          /* the document's own URL */
    char *outlet;
    char *title;
    char *published;
    size_t first;       /* its citations are run->cites[first .. first + n) */
    size_t n;
    size_t links_dropped; /* citations beyond --max-links */
    char *error;        /* the input could not be read or fetched: why */
} ca_run_doc;

/* A citation: where it stands and which checked link it points to. */
typedef struct ca_run_cite {
    uint32_t doc;   /* index in run->docs */
    uint32_t link;  /* checker id: ca_checker_url/ca_checker_result */
    uint32_t line;
    uint32_t col;
    uint32_t source; /* index in run->sources, CA_RUN_NO_SOURCE when none */
    uint8_t region; /* ca_region */
    uint8_t kind;   /* ca_kind */
} ca_run_cite;

#define CA_RUN_NO_SOURCE UINT32_MAX

/*
 * A citation's fragment (kept only for citations that have one, in cite
 * order) and, once the checks are settled (ca_run_settle), the result the
 * fragment gives the citation when it differs from its link's.
 */
typedef struct ca_run_frag {
    uint32_t cite;       /* index in run->cites */
    char *fragment;      /* without '#' */
    int derived;         /* res is the citation's own result */
    ca_result res;       /* cls, reason, error owned; final_url, chain and archive
                            borrowed from the link's result */
} ca_run_frag;

typedef struct ca_run {
    ca_run_doc *docs;
    size_t ndocs, docs_cap;
    ca_run_cite *cites;
    size_t ncites, cites_cap;
    char **sources;   /* source keys of the citations, each once */
    size_t nsources, sources_cap;
    uint32_t *source_table; /* open addressing over sources */
    size_t source_table_cap;
    ca_run_frag *frags; /* citations with a fragment, by cite index */
    size_t nfrags, frags_cap;
    ca_checker *chk;  /* owned */
    int64_t started;  /* Unix time of ca_run_create */
    int64_t finished; /* set by the caller when checking ended, else 0 */
    int network_down; /* the check found no network: results are unknown */
} ca_run;

/* Create an empty run whose checker uses opts (see ca_checker_create). */
ca_status ca_run_create(const ca_check_opts *opts, ca_run **ret, ca_error *err);
void ca_run_destroy(ca_run *run);

/*
 * Add a document: its metadata, and its citations (body ones only when
 * body_only), whose URLs are added to the checker. The run copies what it
 * keeps; the caller still owns and frees doc. origin, when not NULL,
 * replaces doc->origin (a fetched article is named by the URL given).
 */
ca_status ca_run_add_doc(ca_run *run, const ca_doc *doc, const char *origin, int body_only,
                         ca_error *err);

/* Add an input that could not be read or fetched, with the reason. */
ca_status ca_run_add_failed(ca_run *run, const char *origin, const char *why, ca_error *err);

/*
 * The result of a citation (never NULL for a citation of the run): its
 * link's, or after ca_run_settle its own when its fragment is missing
 * (dead, reason fragment-missing) or could not be verified (the link's
 * class, reason fragment-client-side or fragment-unverified).
 */
const ca_result *ca_run_result(const ca_run *run, const ca_run_cite *c);

/* The fragment a citation gives (without '#'), or NULL. */
const char *ca_run_fragment(const ca_run *run, const ca_run_cite *c);

/*
 * After the checks: give each citation whose fragment the checker found
 * missing or unverifiable a result of its own. Call again whenever the
 * links' results change (the derived results borrow their strings).
 */
ca_status ca_run_settle(ca_run *run, ca_error *err);

/*
 * A publication date as Unix time: ISO 8601 dates and date-times
 * ("2024-01-03", "2024-01-03T10:00:00Z", "...+03:00"); a bare date is its
 * last second (UTC). 0 when unknown or unreadable.
 */
int64_t ca_run_date(const char *published);
/* The URL of a citation as found in the document (normalised). */
const char *ca_run_url(const ca_run *run, const ca_run_cite *c);

/* The source key of a citation (see source.h), or NULL when it has none. */
const char *ca_run_source(const ca_run *run, const ca_run_cite *c);

#ifdef __cplusplus
}
#endif
#endif
