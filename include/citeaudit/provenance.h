/*
 * provenance.h - where the text of a corpus comes from: text reuse between
 * every pair of documents, the quotes they share, the claims they
 * attribute with no link to check, and whether the pages they cite
 * support the quotes they print.
 *
 * A provenance corpus is fed one document at a time (the inputs, then the
 * pages they cite as the crawler fetches them) and keeps only what the
 * analysis needs: a MinHash sketch of each document's passages, its
 * quotes and attributions, the hashes of its citations, and its main text
 * in a temporary spill file read back when a pair of documents is aligned.
 * So 100,000 documents of 5 KB take about 100 MB of memory, not the
 * documents themselves. ca_prov_analyze() then finds candidate pairs by
 * locality-sensitive hashing, aligns them word by word, and fills the
 * results, which stay valid until the corpus is destroyed.
 *
 * The algorithms, thresholds and data files are described in the README
 * ("Provenance"). The library never prints; every text it returns is
 * valid UTF-8 with whitespace collapsed.
 */
#ifndef CITEAUDIT_PROVENANCE_H
#define CITEAUDIT_PROVENANCE_H

#include <stddef.h>
#include <stdint.h>

#include "citeaudit/doc.h"
#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "No such index" in the results. */
#define CA_PROV_NONE ((size_t)-1)

typedef struct ca_prov_opts {
    unsigned shingle_words;    /* words per shingle (default 5) */
    unsigned chunk_shingles;   /* shingles per MinHash window (default 64) */
    unsigned min_passage_words;/* shortest shared passage counted (default 15) */
    double min_containment;    /* a pair is reported when at least this share of
                                * one document is in shared passages (0.2) */
    double same_text;          /* containment both ways for "the same text" (0.9) */
    unsigned boiler_min_docs;  /* least documents of one outlet a passage recurs in
                                * to be that outlet's boilerplate (default 4) */
    double quote_similar;      /* share of the shorter quote's word pairs that two
                                * quotes share to be one quote (default 0.6) */
    double support_min;        /* share of a quote's word triples found in a cited
                                * page for it to support the quote (default 0.7) */
    size_t max_doc_words;      /* words read per document (default 200,000) */
    unsigned bucket_max;       /* largest LSH bucket paired up (default 64) */
    const char *tmpdir;        /* where the spill file goes (NULL: $TMPDIR, /tmp) */
} ca_prov_opts;

void ca_prov_opts_init(ca_prov_opts *opts);

typedef struct ca_prov ca_prov;

/* Create an empty corpus with opts (NULL: the defaults). CA_NOMEM, or
 * CA_ENV when the spill file cannot be created (the message says where). */
ca_status ca_prov_create(const ca_prov_opts *opts, ca_prov **ret, ca_error *err);
void ca_prov_destroy(ca_prov *p);

/*
 * Add a document. origin names it (NULL: doc->origin); depth is 0 for an
 * input, N for a page reached through N links; fetched_as is the URL it
 * was fetched as (NULL for an input). The corpus copies what it keeps.
 * Returns the document's index through *ret_index (may be NULL).
 */
ca_status ca_prov_add(ca_prov *p, const ca_doc *doc, const char *origin, unsigned depth,
                      const char *fetched_as, size_t *ret_index, ca_error *err);

/* Record that the cited page url (reached at depth) could not be read:
 * why says so ("dead, HTTP 404", "not a web page (application/pdf)",
 * "robots.txt disallows it"). Quote support reports it. */
ca_status ca_prov_add_unavailable(ca_prov *p, const char *url, unsigned depth,
                                  const char *why, ca_error *err);

/* Run the analysis over everything added. Call once. */
ca_status ca_prov_analyze(ca_prov *p, ca_error *err);

/* ---- results ---- */

/* A place in a document's main text (ca_doc.text). */
typedef struct ca_prov_span {
    size_t offset;      /* bytes from the start of the main text */
    size_t length;      /* bytes */
    unsigned paragraph; /* 1-based; paragraphs are separated by blank lines */
} ca_prov_span;

typedef enum ca_prov_boiler_kind {
    CA_PROV_BOILER_APPEAL = 0, /* a donation, membership or newsletter appeal */
    CA_PROV_BOILER_CHROME = 1, /* page chrome left in the text ("Related article: ...") */
    CA_PROV_BOILER_OUTLET = 2, /* recurs across the outlet's documents */
} ca_prov_boiler_kind;

/* "appeal", "chrome", "outlet". */
const char *ca_prov_boiler_kind_name(ca_prov_boiler_kind k);

/* A passage of a document left out of reuse. */
typedef struct ca_prov_boiler {
    ca_prov_span at;
    size_t words;
    ca_prov_boiler_kind kind;
    char *text; /* its beginning, at most 160 bytes */
} ca_prov_boiler;

typedef struct ca_prov_document {
    char *origin;       /* path or URL as given */
    char *url, *outlet, *title, *published; /* any may be NULL */
    unsigned depth;     /* 0: an input; N: reached through N links */
    char *fetched_as;   /* the URL it was fetched as, NULL for inputs */
    size_t words;       /* words of its main text (at most max_doc_words) */
    size_t boiler_words;/* ...of which boilerplate (known after analysis) */
    ca_prov_boiler *boiler;
    size_t nboiler;
} ca_prov_document;

/* A passage two documents share: where it stands in each. */
typedef struct ca_prov_passage {
    ca_prov_span a, b;
    size_t words;       /* words matched exactly (small edits inside a passage
                         * are spanned but not counted) */
    char *text;         /* its beginning in document a, at most 240 bytes */
} ca_prov_passage;

typedef struct ca_prov_pair {
    size_t a, b;          /* document indices, a < b */
    double a_in_b;        /* share of a's words (boilerplate left out) in b */
    double b_in_a;
    size_t shared_words;  /* words of a in shared passages */
    int same_text;        /* both containments at least opts.same_text */
    size_t source;        /* the earlier document by publication date, or
                           * CA_PROV_NONE when the dates do not tell */
    size_t reuser;        /* the later one, or CA_PROV_NONE */
    int same_outlet;
    int credited;         /* the later one (when the dates do not tell: either
                           * one) links the other or its outlet, or both are
                           * of one outlet */
    ca_prov_passage *passages;
    size_t npassages;
} ca_prov_pair;

/* A quotation in a document. */
typedef struct ca_prov_quote {
    size_t doc;
    char *text;         /* the words between the quotation marks */
    char *speaker;      /* who is quoted, when a pattern finds it, else NULL */
    ca_prov_span at;    /* the quoted text, inside the quotation marks */
    char *paragraph;    /* the paragraph it stands in, at most 600 bytes */
    char **links;       /* URLs cited in its paragraph or right after it */
    size_t nlinks;
    size_t cluster;     /* index in clusters, or CA_PROV_NONE */
} ca_prov_quote;

/* One quote carried by several documents. */
typedef struct ca_prov_cluster {
    size_t *quotes;     /* indices in quotes, by document order */
    size_t nquotes;
    size_t ndocs;       /* distinct documents */
    size_t first;       /* quote of the earliest document, CA_PROV_NONE when
                         * the dates do not tell */
    int exact;          /* every quote has the same words */
} ca_prov_cluster;

typedef enum ca_prov_attr_kind {
    CA_PROV_ATTR_SPEECH = 0,    /* "X said", "said X", "X told ..." */
    CA_PROV_ATTR_STATEMENT = 1, /* "said in a statement", "told reporters" */
    CA_PROV_ATTR_PLATFORM = 2,  /* "via Telegram", "wrote on X", "in a video posted" */
    CA_PROV_ATTR_ACCORDING = 3, /* "according to X" */
    CA_PROV_ATTR_ANONYMOUS = 4, /* "a source said", "a source among ..." */
    CA_PROV_ATTR_CREDIT = 5,    /* a photo or video credited to a platform */
} ca_prov_attr_kind;

/* "speech", "statement", "platform", "according", "anonymous", "credit". */
const char *ca_prov_attr_kind_name(ca_prov_attr_kind k);

/* A sentence that attributes a claim to a source. */
typedef struct ca_prov_attribution {
    size_t doc;
    ca_prov_attr_kind kind;
    char *phrase;       /* the attributing words as written ("via Telegram") */
    char *source;       /* who or what is named, or NULL */
    char *platform;     /* the platform named ("Telegram"), or NULL */
    char *sentence;     /* the sentence, at most 400 bytes */
    ca_prov_span at;    /* the attributing words */
    char *link;         /* a URL cited in the same paragraph or right after
                         * it: NULL means unlinked */
    char *link_elsewhere; /* for an unlinked one: a URL cited elsewhere
                         * in the document whose source key names the source
                         * (t.me/vvgladkov for "Gladkov"), or NULL */
} ca_prov_attribution;

typedef enum ca_prov_support_status {
    CA_PROV_SUPPORTED = 0,   /* the cited page has the quote's words */
    CA_PROV_NOT_FOUND = 1,   /* the page was read; the quote is not in it */
    CA_PROV_UNAVAILABLE = 2, /* the page could not be read (why says so) */
} ca_prov_support_status;

/* "supported", "not_found", "source_unavailable". */
const char *ca_prov_support_name(ca_prov_support_status s);

/* Whether one cited page supports one quote. */
typedef struct ca_prov_support {
    size_t quote;       /* index in quotes */
    char *url;          /* the cited page */
    ca_prov_support_status status;
    double score;       /* share of the quote's word triples found in the page */
    size_t page;        /* document index of the page, or CA_PROV_NONE */
    char *why;          /* for source_unavailable: why; else NULL */
    char *excerpt;      /* the page's words where the quote matches best, or NULL */
} ca_prov_support;

/* A cited page that could not be read (ca_prov_add_unavailable). */
typedef struct ca_prov_unavailable {
    char *url;
    unsigned depth;
    char *why;
} ca_prov_unavailable;

typedef struct ca_prov_stats {
    size_t chunks;        /* MinHash windows sketched */
    size_t candidates;    /* document pairs the LSH proposed */
    size_t aligned;       /* ...aligned word by word */
    size_t big_buckets;   /* LSH buckets too big to pair up (common passages) */
    size_t outlet_boiler_shingles; /* shingles found to be outlet boilerplate */
} ca_prov_stats;

typedef struct ca_prov_result {
    ca_prov_document *docs;
    size_t ndocs;
    ca_prov_pair *pairs;          /* sorted by (a, b) */
    size_t npairs;
    ca_prov_quote *quotes;        /* by document, then position */
    size_t nquotes;
    ca_prov_cluster *clusters;    /* quotes in two or more documents, largest first */
    size_t nclusters;
    ca_prov_attribution *attributions; /* by document, then position */
    size_t nattributions;
    ca_prov_support *supports;    /* by quote, then URL */
    size_t nsupports;
    ca_prov_unavailable *unavailable;
    size_t nunavailable;
    ca_prov_stats stats;
    const ca_prov_opts *opts;
} ca_prov_result;

/* The results (documents are there from the first ca_prov_add; the rest
 * after ca_prov_analyze). Owned by p. */
const ca_prov_result *ca_prov_result_of(const ca_prov *p);

/*
 * Compare two publication dates ("2024-01-03", "2024-01-03T10:00:00Z",
 * "2024-01-03T12:00:00+02:00"): -1 when a is earlier, 1 when later, 0
 * when they are the same day and one has no time, equal, or either is
 * missing or unreadable.
 */
int ca_prov_date_cmp(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
