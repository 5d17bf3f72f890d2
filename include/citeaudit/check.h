/*
 * check.h - the link checker: every unique URL checked once, concurrently,
 * politely, on one thread with the libcurl multi interface, and classified
 * into the status classes of the product contract.
 *
 * Usage: create a checker with options, add URLs (each returns a stable id;
 * adding a URL twice returns the first id), run, read the results by id.
 * ca_checker_run() may be called again after adding more URLs: only the new
 * ones are checked.
 */
#ifndef CITEAUDIT_CHECK_H
#define CITEAUDIT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "citeaudit/doc.h"
#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The status classes: name, number, whether it fails a run by default,
 * description. Numbers are append-only.
 */
#define CA_CLASS_MAP(X)                                                              \
    X(UNKNOWN, 0, "unknown", 0, "not checked (offline, or the network is down)")     \
    X(OK, 1, "ok", 0, "works")                                                       \
    X(REDIRECTED, 2, "redirected", 0, "works through a permanent redirect")          \
    X(DEAD, 3, "dead", 1, "gone (404, 410, other client errors, redirect loops)")    \
    X(SOFT404, 4, "soft404", 1, "answers but is a not-found page")                    \
    X(FORBIDDEN, 5, "forbidden", 0, "401/403: access refused, often bot blocking")   \
    X(RATELIMITED, 6, "ratelimited", 0, "429 after retries")                          \
    X(SERVER_ERROR, 7, "server_error", 1, "5xx after retries")                        \
    X(TIMEOUT, 8, "timeout", 1, "no complete answer in time after retries")           \
    X(DNS, 9, "dns", 1, "the host name does not resolve")                             \
    X(UNREACHABLE, 10, "unreachable", 1, "connection refused, reset or no route")    \
    X(TLS, 11, "tls", 1, "TLS handshake or certificate failure")                      \
    X(EXCLUDED, 12, "excluded", 0, "left out by --exclude/--include")                 \
    X(BLOCKED, 13, "blocked", 0, "refused by policy (private address)")               \
    X(UNSUPPORTED, 14, "unsupported", 0, "not an http(s) URL (mailto:, tel:, ...)")   \
    X(INVALID, 15, "invalid", 1, "malformed URL")

typedef enum ca_class {
#define CA__CLASS_ENUM(name, num, str, fails, text) CA_CLASS_##name = num,
    CA_CLASS_MAP(CA__CLASS_ENUM)
#undef CA__CLASS_ENUM
        CA_CLASS_COUNT
} ca_class;

/* "dead", "soft404", ... Never NULL ("?" out of range). */
const char *ca_class_name(ca_class c);
/* A one-line description of the class. */
const char *ca_class_text(ca_class c);
/* Parse a class name; -1 when unknown. */
int ca_class_parse(const char *name);
/* Nonzero when the class fails a run unless --fail-on says otherwise. */
int ca_class_fails_by_default(ca_class c);
/* The classes that fail by default as a mask: bit (1u << class) each. */
unsigned ca_class_default_fail_mask(void);

/*
 * Why a verdict is what it is, beyond the HTTP status: a short machine word
 * kept with the result (the detail for people is in ca_result.error). Name,
 * number, description. Numbers are append-only.
 */
#define CA_REASON_MAP(X)                                                             \
    X(NONE, 0, NULL, "no reason beyond the status")                                  \
    X(BOT_PROTECTION, 1, "bot-protection",                                           \
      "a bot-protection front end (Cloudflare, Akamai, ...) refused the checker")    \
    X(PARKED, 2, "parked", "the domain shows a parking or for-sale page")            \
    X(HOME_REDIRECT, 3, "home-redirect", "redirected to the site's home page")       \
    X(ERROR_PATH, 4, "error-path", "redirected to a page whose address names an error") \
    X(ERROR_TEMPLATE, 5, "error-template", "the page reads as a not-found page")     \
    X(PROBE, 6, "probe",                                                             \
      "a random address beside it answers with the same page")                       \
    X(FRAGMENT_MISSING, 7, "fragment-missing", "the page has no such fragment")      \
    X(FRAGMENT_CLIENT_SIDE, 8, "fragment-client-side",                               \
      "the fragment can only be made by the page's scripts: not verified")           \
    X(FRAGMENT_UNVERIFIED, 9, "fragment-unverified",                                 \
      "the fragment was not in the part of the page read")

typedef enum ca_reason {
#define CA__REASON_ENUM(name, num, str, text) CA_REASON_##name = num,
    CA_REASON_MAP(CA__REASON_ENUM)
#undef CA__REASON_ENUM
        CA_REASON_COUNT
} ca_reason;

/* "bot-protection", "parked", ...; NULL for CA_REASON_NONE or out of range. */
const char *ca_reason_name(ca_reason r);
/* A one-line description of the reason. */
const char *ca_reason_text(ca_reason r);
/* Parse a reason name; CA_REASON_NONE when unknown or NULL. */
ca_reason ca_reason_parse(const char *name);

/* One hop of a redirect chain: the URL requested and what it answered. */
typedef struct ca_hop {
    char *url;
    int http_code;
} ca_hop;

/*
 * The verdict on one URL. Strings are owned by the checker; any may be NULL.
 */
/*
 * An archived copy of a link (a web archive's capture), looked up for a
 * failing link (a rescue) or a live one (to measure drift).
 */
typedef struct ca_archive {
    char *url;          /* the capture in the archive */
    int64_t time;       /* when it was captured (Unix time), 0 when unknown */
    double drift;       /* main-text similarity of the live page to the capture,
                           0..1; -1 when not measured */
    int drifted;        /* drift was measured and is below the threshold */
} ca_archive;

typedef struct ca_result {
    ca_class cls;
    int http_code;      /* last HTTP status received, 0 when none */
    int curl_code;      /* CURLcode of the last attempt, 0 when none */
    ca_reason reason;   /* why beyond the status (soft404, parked, ...), or NONE */
    char *error;        /* why (curl's message, "redirect loop: ...", ...) */
    char *final_url;    /* where the redirects ended, when they did */
    ca_hop *chain;      /* each redirect hop in order, first is the URL itself */
    unsigned nchain;
    unsigned attempts;  /* requests made (retries and HEAD->GET included) */
    unsigned elapsed_ms;/* total time spent on this URL's requests */
    int64_t checked_at; /* Unix time of the verdict, 0 when not checked */
    ca_archive *archive;/* an archived copy, or NULL when none was looked up or found */
} ca_result;

/* A "NAME: VALUE" header sent only to hosts matching a regex. */
typedef struct ca_host_header {
    const char *host_regex; /* POSIX extended, matched against the host name */
    const char *header;
} ca_host_header;

/*
 * One HTTP exchange as it happened, for evidence (WARC records): what was
 * sent and what came back, the body within the checker's byte cap. Valid
 * only during the callback.
 */
typedef struct ca_exchange {
    size_t id;                    /* the checker id of the URL being checked */
    const char *url;              /* the URL requested (a redirect hop, say) */
    const char *request;          /* request line and headers as sent (CRLF) */
    size_t request_len;
    const char *response;         /* status line and headers as received */
    size_t response_len;
    const char *body;             /* as received (not decoded), may be NULL */
    size_t body_len;
    int body_truncated;           /* the cap or a failure cut it short */
    int body_decoded;             /* Content-Encoding was undone (pages fetched
                                     as articles); the headers still name it */
    const char *ip;               /* the peer address, or NULL */
    int64_t time;                 /* Unix time the request started */
} ca_exchange;

/*
 * What a random-sibling probe found on one host and directory (soft-404
 * rule c): kept by the checker for the run, and by a cache (the store)
 * across runs through the probe_get/probe_put hooks. Strings and the sketch
 * are borrowed: valid during the call only.
 */
typedef struct ca_probe {
    const char *key;        /* "https://host:443/dir/" (or ".../page.php?id" for a
                               query probe): the unit probed */
    int64_t checked_at;     /* Unix time of the probe */
    int http_code;          /* the final status of the random address, 0 none */
    int soft;               /* it answered 2xx: missing pages look like pages here */
    const char *final_url;  /* where its redirects ended, or NULL */
    const uint64_t *sketch; /* shingle sketch of its main text, sorted, or NULL */
    size_t nsketch;
} ca_probe;

/* The cached probe of key into *ret (1), or 0 when there is none fresh. */
typedef int (*ca_check_probe_get_fn)(const char *key, ca_probe *ret, void *ud);
/* A new probe result, to keep. */
typedef void (*ca_check_probe_put_fn)(const ca_probe *p, void *ud);

/* Which links get content checks (soft-404 and parking rules on the body). */
typedef enum ca_content_mode {
    CA_CONTENT_CITATIONS = 0, /* body citations of kind link (the default) */
    CA_CONTENT_ALL = 1,       /* every http(s) link */
    CA_CONTENT_NONE = 2,      /* none: HEAD first, status codes and redirects only */
} ca_content_mode;

struct ca_checker;
/* Called with each verdict as it is reached, requests or not. */
typedef void (*ca_check_result_fn)(struct ca_checker *chk, size_t id, void *ud);
/* Called after each request that got a response, when evidence is wanted. */
typedef void (*ca_check_exchange_fn)(const ca_exchange *ex, void *ud);

/*
 * What the checker tells its caller as it goes (a store, evidence, a probe
 * cache). Kept together so options copied for another checker drop them
 * all at once (hooks = (ca_check_hooks){0}).
 */
typedef struct ca_check_hooks {
    ca_check_result_fn on_result;     /* each verdict, or NULL */
    /* Called once per round of the run loop that gave verdicts, before any
     * new request goes out: where a store commits what on_result recorded,
     * so a burst of answers costs one commit and none waits on a socket. */
    ca_check_result_fn on_idle;       /* or NULL; id is 0 */
    ca_check_exchange_fn on_exchange; /* or NULL: no capture at all */
    ca_check_probe_get_fn probe_get;  /* probe cache, or NULL */
    ca_check_probe_put_fn probe_put;
    void *ud;                         /* passed to every hook */
} ca_check_hooks;

typedef struct ca_check_opts {
    unsigned jobs;            /* transfers in flight (default 64) */
    unsigned per_host;        /* transfers in flight per host (default 4) */
    unsigned host_interval_ms;/* least gap between request starts to a host */
    unsigned max_redirects;   /* default 10 */
    unsigned timeout_ms;      /* total per request (default 20 s) */
    unsigned connect_timeout_ms; /* default 10 s, at most timeout_ms */
    unsigned low_speed_bytes; /* slower than this for low_speed_secs... */
    unsigned low_speed_secs;  /* ...ends the request as a timeout */
    unsigned retries;         /* default 2 */
    unsigned max_retry_wait_ms; /* longest Retry-After honoured (default 60 s) */
    size_t max_body_bytes;    /* bytes read of a GET response when checking */
    size_t max_fetch_bytes;   /* bytes kept of a fetched article */
    const char *user_agent;   /* NULL: "citeaudit/VERSION (+URL)" */
    const char *const *headers; /* NULL-terminated "NAME: VALUE" list, or NULL */
    const ca_host_header *host_headers; /* n_host_headers entries */
    size_t n_host_headers;
    const char *const *include; /* NULL-terminated regexes: only these are checked */
    const char *const *exclude; /* NULL-terminated regexes: never checked */
    const char *const *remap;   /* NULL-terminated "REGEX REPLACEMENT" ($1 or \1) */
    const char *accept;       /* status codes taken as ok, e.g. "200..299,403" */
    int deny_private;         /* refuse private, loopback and link-local addresses */
    const char *const *resolve; /* NULL-terminated "HOST:PORT:ADDR" overrides */
    int insecure;             /* do not verify TLS certificates */
    ca_check_hooks hooks;     /* the caller's callbacks, all NULL by default */

    /* Verdicts beyond the status code (soft-404, parking, fragments). */
    ca_content_mode content;  /* which links get content checks */
    int probe;                /* random-sibling probes on (default 1) */
    int fragments;            /* check the fragments of cited URLs (default 1) */
    size_t max_content_bytes; /* body read for content checks (default 512 KiB) */
    size_t max_fragment_bytes;/* body read to find a fragment (default 4 MiB) */

    /* Web archives: a capture for failing links, drift for live ones. */
    int archive;              /* look up archived copies (default 0) */
    int drift;                /* with archive: compare live citations of dated
                                 documents to their capture (default 1) */
    double drift_threshold;   /* similarity below which a page drifted (0.75) */
    unsigned archive_mask;    /* classes (bit 1u << class) whose links are looked
                                 up; 0: those failing by default */
    const char *archive_endpoint; /* Wayback base: availability and CDX APIs
                                     (default https://web.archive.org) */
    const char *const *timegates; /* NULL-terminated Memento TimeGate bases, or NULL */
} ca_check_opts;

void ca_check_opts_init(ca_check_opts *opts);

/* Progress, reported at most every 100 ms and once at the end of a run. */
typedef struct ca_check_progress {
    size_t done, total, failing, in_flight;
    double elapsed_s;
} ca_check_progress;
typedef void (*ca_check_progress_fn)(const ca_check_progress *p, void *ud);

typedef struct ca_checker ca_checker;

/*
 * Create a checker. Fails with CA_USAGE and a message naming the option when
 * a regex, remap rule, accept list or header is malformed.
 */
ca_status ca_checker_create(const ca_check_opts *opts, ca_checker **ret, ca_error *err);
void ca_checker_destroy(ca_checker *chk);

/*
 * Add a URL (normalised absolute URL, or anything else which is then
 * classified without a request: unsupported scheme, invalid, excluded) and
 * return its id through *ret_id. The same URL added twice has one id.
 */
ca_status ca_checker_add(ca_checker *chk, const char *url, size_t *ret_id, ca_error *err);

/* What a citation asks of its link beyond a status (ca_checker_add_cited). */
typedef struct ca_cite_info {
    int body;             /* a citation of the article's text, not a page link */
    ca_kind kind;         /* link, image, embed */
    const char *fragment; /* the fragment after '#', or NULL */
    int64_t cited_at;     /* when it was cited (the document's publication, Unix
                             time), 0 when unknown: archive captures are chosen
                             closest before it */
} ca_cite_info;

/*
 * ca_checker_add for a link cited in a document: the checker also learns
 * what the citation needs (content checks for a body citation, the
 * fragment to find on the page, the date it was cited; the earliest date
 * given for a URL wins). Same id rules as ca_checker_add.
 */
ca_status ca_checker_add_cited(ca_checker *chk, const char *url, const ca_cite_info *ci,
                               size_t *ret_id, ca_error *err);

/* What became of one fragment of a checked link. */
typedef enum ca_fragment_state {
    CA_FRAGMENT_UNCHECKED = 0, /* not checked (fragment checks off, the page not
                                  HTML, or the link not ok) */
    CA_FRAGMENT_FOUND,         /* an element with that id or an <a name>, or the text */
    CA_FRAGMENT_MISSING,       /* the page has no such element or text */
    CA_FRAGMENT_CLIENT_SIDE,   /* only the page's scripts could make it (#/route,
                                  #!, a script-built page): not verified */
    CA_FRAGMENT_UNVERIFIED,    /* not in the part of the page read (the body cap) */
} ca_fragment_state;

/* The state of fragment (as given to ca_checker_add_cited) of link id. */
ca_fragment_state ca_checker_fragment(const ca_checker *chk, size_t id, const char *fragment);

/*
 * Nonzero when link id needs a request this run whatever is known of it:
 * it has fragments to find on the page, which a stored result cannot say.
 */
int ca_checker_needs_request(const ca_checker *chk, size_t id);

/* What the checker did besides checking links, for reports. */
typedef struct ca_check_stats {
    size_t probes;          /* random-sibling probes requested */
    size_t probes_cached;   /* probes answered by the cache (the store) */
    size_t archive_lookups; /* links looked up in archives */
    size_t archive_found;   /* ... that got a capture */
    size_t drift_measured;  /* live links compared to their capture */
} ca_check_stats;

void ca_checker_stats(const ca_checker *chk, ca_check_stats *ret);

/*
 * Add a URL to be fetched with GET and its body kept (up to max_fetch_bytes,
 * decoded): an article given as input. Same id rules as ca_checker_add; a
 * URL already added for checking only is fetched again.
 */
ca_status ca_checker_add_fetch(ca_checker *chk, const char *url, size_t *ret_id,
                               ca_error *err);

/*
 * Add a link whose verdict is already known (a local file that exists or
 * not, say): key names it (e.g. a file: URL), why may be NULL. A key added
 * before keeps its first verdict.
 */
ca_status ca_checker_add_decided(ca_checker *chk, const char *key, ca_class cls,
                                 const char *why, size_t *ret_id, ca_error *err);

/*
 * Check every URL added since the last run. Returns CA_OK when the run
 * completed (whatever the verdicts), CA_ENV when the network is down: no host
 * answered at all; every network result is then UNKNOWN and err says so.
 * progress may be NULL.
 */
ca_status ca_checker_run(ca_checker *chk, ca_check_progress_fn progress, void *ud,
                         ca_error *err);

/*
 * Give id a verdict without a request (a fresh result from the store, an
 * answer replayed from a WARC file). Copies res; the URL is then not
 * checked by the next run. CA_INVALID for an id out of range.
 */
ca_status ca_checker_set_known(ca_checker *chk, size_t id, const ca_result *res,
                               ca_error *err);

/*
 * The class the checker gives a final answer with HTTP status http_code,
 * reached through chain (the redirect hops before it, each with its status;
 * may be empty), under its --accept rules: for answers that did not come
 * from a request of its own (a response replayed from a WARC file). A
 * redirect chain that ends on the site's home page or on an error address
 * is soft404 (the reason is ca_checker_classify_reason's).
 */
ca_class ca_checker_classify(const ca_checker *chk, int http_code, const ca_hop *chain,
                             unsigned nchain);

/* The reason behind ca_checker_classify's class: HOME_REDIRECT, ERROR_PATH or NONE. */
ca_reason ca_checker_classify_reason(const ca_checker *chk, int http_code,
                                     const ca_hop *chain, unsigned nchain);

/* Stop a run from a signal handler: pending URLs stay UNKNOWN. */
void ca_checker_interrupt(ca_checker *chk);

size_t ca_checker_count(const ca_checker *chk);
/* The URL as added (NULL for an id out of range). */
const char *ca_checker_url(const ca_checker *chk, size_t id);
/* The result of id (NULL for an id out of range). */
const ca_result *ca_checker_result(const ca_checker *chk, size_t id);

/*
 * The body fetched for id (ca_checker_add_fetch), NULL when none. The
 * pointer stays owned by the checker; *ret_len gets its length and
 * *ret_type the Content-Type (may be NULL).
 */
const char *ca_checker_body(const ca_checker *chk, size_t id, size_t *ret_len,
                            const char **ret_type);
/* Free the body kept for id once it has been used. */
void ca_checker_drop_body(ca_checker *chk, size_t id);

#ifdef __cplusplus
}
#endif
#endif
