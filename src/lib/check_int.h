/*
 * check_int.h - internals of the checker, shared by its modules:
 *
 *   check.c        the public API: the URL table, results, classes
 *   check_policy.c include/exclude/remap/accept/header rules
 *   check_sched.c  the run loop: hosts, queues, timers, retries, breaker
 *   check_xfer.c   one request: easy handle set-up, callbacks, verdicts
 *   check_page.c   a light scan of an HTML body: title, text, ids, scripts
 *   check_content.c verdicts on content: soft-404 and parking rules, bot
 *                  protection, fragments, shingle sketches
 *   check_probe.c  random-sibling probes (soft-404 rule c) and their cache
 *   check_archive.c archived copies (Wayback availability, CDX, Memento
 *                  TimeGates) and drift
 *
 * Work that is not a link of the caller's (a probe, an archive query) is an
 * "aux" item: a struct item inside a struct aux, scheduled through the same
 * host queues, named by its index with CA_AUX_BIT set.
 */
#ifndef CA_CHECK_INT_H
#define CA_CHECK_INT_H

#include <curl/curl.h>
#include <regex.h>
#include <signal.h>
#include <stdint.h>

#include "citeaudit/buf.h"
#include "citeaudit/check.h"

#define CA_NONE UINT32_MAX
#define CA_AUX_BIT 0x80000000u

enum item_state {
    ITEM_NEW = 0,   /* added, not yet scheduled */
    ITEM_QUEUED,    /* waiting in its host's queue */
    ITEM_DELAYED,   /* waiting for a retry timer */
    ITEM_RUNNING,   /* a transfer is in flight */
    ITEM_DONE,      /* verdict reached (also: decided without a request) */
    ITEM_WAITING,   /* answered; waits for a probe or an archive before its verdict */
};

/* item.flags */
enum {
    IT_CONTENT = 1,   /* content checks: GET, body kept when HTML */
    IT_AUX = 2,       /* a struct aux of the checker's own */
    IT_NOFOLLOW = 4,  /* a 3xx is the answer (a TimeGate's) */
    IT_KEEP_ANY = 8,  /* keep the body whatever its type (archive APIs) */
    IT_ARCHIVED = 16, /* the archive stage has run */
};

/* One fragment a citation gives for a link. */
struct frag {
    char *s;
    uint8_t state; /* ca_fragment_state */
};

/* What only some items need, allocated on first need. */
struct item_ext {
    struct frag *frags;
    uint16_t nfrags;
    uint8_t wants_drift; /* a body citation of a dated document */
    uint8_t frag_missing;/* a fragment is missing: worth a rescue */
    int64_t cited_at;    /* earliest citing date, 0 unknown */
    uint64_t *sketch;    /* the live page's main-text sketch, while it waits */
    uint16_t nsketch;
    uint32_t probe;      /* the probe entry waited for, CA_NONE */
    uint32_t wait_next;  /* next item waiting on the same probe */
    ca_result *before;   /* the verdict of a checked link fetched again as a page
                            (a crawl): what the fetch cannot redo is kept from it */
    char *page;          /* the page kept while the probe is out, to sketch it only
                            when the probe says it must be compared */
    size_t page_len;
    /* archive lookup in progress */
    char *cap_url;       /* the best capture so far */
    int64_t cap_time;
    char *after_url;     /* a capture after the date (a fallback) */
    int64_t after_time;
    uint16_t timegate;   /* next TimeGate to ask */
};

/* What a fetched article keeps beyond its result. */
struct fetch {
    ca_buf body;
    char *ctype;
    int truncated;
};

/* One unique URL and its verdict. */
struct item {
    char *url;        /* as added: the identity */
    char *target;     /* after --remap, or NULL when the same */
    char *hop;        /* URL of the current redirect hop, or NULL for the first */
    struct fetch *fetch; /* NULL unless fetched as an article */
    ca_result res;
    uint32_t next;    /* host queue link */
    uint32_t host;    /* host of the current hop, CA_NONE before scheduling */
    uint8_t state;
    uint8_t head;     /* the next request is a HEAD */
    uint8_t tries;    /* retries used on the current hop */
    uint8_t want_body;
    uint8_t flags;    /* IT_* */
    struct item_ext *ext; /* NULL unless needed */
};

/* Kinds of aux requests. */
enum aux_kind {
    AUX_PROBE,      /* GET a random sibling */
    AUX_AVAIL,      /* Wayback availability API */
    AUX_CDX_BEFORE, /* CDX: the captures up to the date */
    AUX_CDX_AFTER,  /* CDX: the captures from the date */
    AUX_TIMEGATE,   /* Memento TimeGate with Accept-Datetime */
    AUX_VERIFY,     /* the memento a TimeGate named: does it answer 2xx? */
    AUX_MEMENTO,    /* the capture's content, for drift */
};

struct aux {
    struct item it;   /* the request (it.url owned) */
    uint32_t index;   /* in chk->aux */
    uint8_t kind;     /* enum aux_kind */
    uint32_t owner;   /* the main item (archive work) or the probe entry */
    struct curl_slist *req_headers; /* headers of its own (Accept-Datetime), or NULL */
};

/* A probe of one host and directory (check_probe.c). */
enum { PROBE_PENDING, PROBE_HONEST, PROBE_SOFT, PROBE_INCONCLUSIVE };
struct probe {
    char *key;
    uint8_t state;
    int http_code;
    char *final_url;
    uint64_t *sketch;
    uint16_t nsketch;
    uint32_t waiters;   /* first waiting item, chained by ext->wait_next */
    uint32_t hash_next;
};

struct host {
    char *name;        /* host name (for rules and messages) */
    char *key;         /* host:port, the politeness unit */
    struct curl_slist *headers; /* extra headers for this host, or NULL */
    uint32_t qhead, qtail; /* queued items */
    uint32_t ready_next;
    uint32_t hash_next;
    unsigned active;
    unsigned strikes;  /* consecutive 429/5xx answers: the breaker */
    int64_t next_ms;   /* earliest start (host interval, breaker, Retry-After) */
    uint8_t in_ready;
    uint8_t timer_set;
    uint8_t answered;  /* some response came from it */
    uint8_t loopback;  /* a loopback literal: says nothing about the network */
    uint8_t honest;    /* random-sibling probes answered 404/410 here (check_probe.c) */
};

/* A timer: an item to requeue or a host to wake. */
struct timer {
    int64_t due_ms;
    uint32_t id;
    uint8_t is_host;
};

/* One transfer slot: an easy handle reused from request to request. */
struct xfer {
    CURL *easy;
    struct ca_checker *chk;
    uint32_t item;
    uint32_t next_free;
    size_t bytes;       /* body bytes seen */
    int capped;         /* we stopped the body on purpose */
    int blocked;        /* deny-private refused the address */
    char blocked_addr[64];
    long retry_after_s; /* -1 when absent */
    int64_t started;    /* Unix time of the request, for evidence */
    ca_buf req, resp, body; /* evidence, kept only with on_exchange */
    int body_cut;       /* the evidence body hit its cap */
    size_t keep_cap;    /* body bytes kept for the verdict (decided at the first
                           byte of a response), 0: none */
    int keep_decided;
    int decoded;        /* Accept-Encoding was sent: curl decodes the body */
    unsigned bot;       /* bot-protection signals in the headers (CA__BOT_*) */
    ca_buf hdrs;        /* header lines of the answer, kept for aux requests */
    char errbuf[CURL_ERROR_SIZE];
};

struct rules {
    regex_t *include, *exclude, *remap_re;
    char **remap_repl;
    size_t ninclude, nexclude, nremap;
    regex_t *hh_re;      /* --header-for host regexes */
    const char **hh_hdr; /* their headers */
    size_t nhh;
    uint8_t accept[1000 / 8]; /* status codes taken as ok */
    int have_accept;
};

struct ca_checker {
    ca_check_opts o;
    char *user_agent;
    struct rules rules;
    struct curl_slist *headers; /* global request headers */
    struct curl_slist *resolve;
    CURLM *multi;
    CURLSH *share;

    struct item *items;
    size_t nitems, items_cap;
    uint32_t *table;   /* open addressing: item ids by URL hash */
    size_t table_cap;
    size_t next_new;   /* items below this were scheduled by an earlier run */

    struct host *hosts;
    size_t nhosts, hosts_cap;
    uint32_t *host_table; /* chained by host.hash_next */
    size_t host_table_cap;
    uint32_t ready_head, ready_tail;

    struct timer *timers;
    size_t ntimers, timers_cap;

    struct xfer *xfers;
    size_t nxfers;
    uint32_t free_xfer;
    unsigned running;

    /* this run */
    size_t total, done, failing;
    size_t answered;      /* responses with a status line */
    size_t verdicts_since_idle; /* for on_idle */
    char first_net_error[256];
    volatile sig_atomic_t interrupted;
    uint64_t rng;

    /* aux requests and probes */
    struct aux **aux;
    size_t naux, aux_cap;
    struct probe *probes;
    size_t nprobes, probes_cap;
    uint32_t *probe_table; /* chained by probe.hash_next */
    size_t probe_table_cap;
    size_t pages_kept;     /* bytes of item_ext.page held */
    ca_check_stats stats;
};

/* check.c */
int64_t ca__now_ms(void);
/* The item named id (a caller's link, or an aux request with CA_AUX_BIT). */
struct item *ca__item(ca_checker *chk, uint32_t id);
/* The id of it (the inverse of ca__item). */
uint32_t ca__item_id(const ca_checker *chk, const struct item *it);
/* The ext of it, allocated when missing; NULL when out of memory. */
struct item_ext *ca__item_ext(struct item *it);
/* A uniformly random 64-bit number from the checker's generator. */
uint64_t ca__random(ca_checker *chk);
/* Release a result's strings, chain and archive, and zero it. */
void ca__result_release(ca_result *r);
ca_status ca__item_set_error(struct item *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ca__item_finish(ca_checker *chk, struct item *it, ca_class cls);

/* check_policy.c */
ca_status ca__rules_compile(struct rules *r, const ca_check_opts *o, ca_error *err);
void ca__rules_release(struct rules *r);
int ca__rules_excluded(const struct rules *r, const char *url);
/* The remapped URL (caller frees), or NULL when no rule matches or on ENOMEM. */
char *ca__rules_remap(const struct rules *r, const char *url);
int ca__rules_accepts(const struct rules *r, long code);
/* Headers for a host name: a new list (caller frees) or NULL when none apply. */
struct curl_slist *ca__rules_host_headers(const struct rules *r, const char *host,
                                          const struct curl_slist *base, int *oom);

/* check_sched.c */
ca_status ca__sched_run(ca_checker *chk, ca_check_progress_fn progress, void *ud,
                        ca_error *err);
void ca__sched_release(ca_checker *chk);

/* check_xfer.c */
/*
 * Nonzero when addr (a struct sockaddr_in or _in6 of family) is loopback,
 * private (RFC 1918, IPv6 ULA), link-local, CGNAT, unspecified or
 * multicast, also inside an IPv4-mapped IPv6 address. text, when not NULL,
 * gets the address in print.
 */
int ca__addr_is_private(int family, const void *addr, char *text, size_t textlen);
ca_status ca__xfer_init(ca_checker *chk, struct xfer *x, ca_error *err);
void ca__xfer_start(ca_checker *chk, struct xfer *x, struct item *it, const char *url,
                    const struct host *h);
void ca__xfer_release(struct xfer *x);

/* What one finished request says about its item (check_xfer.c decides). */
enum step {
    STEP_DONE,     /* verdict reached: res.cls set */
    STEP_WAIT,     /* answered; the verdict waits for a probe or an archive */
    STEP_GET,      /* HEAD was not good enough: ask again with GET */
    STEP_REDIRECT, /* follow to res.final_url (the new hop, owned by it->hop) */
    STEP_RETRY,    /* transient: retry after *delay_ms */
};
enum step ca__xfer_done(ca_checker *chk, struct xfer *x, struct item *it, CURLcode rc,
                        int64_t *delay_ms, int *strike);

/* check_sched.c: queue an aux request (created by the modules below) now. */
void ca__sched_aux(ca_checker *chk, uint32_t id);
/* Finish a waiting item with its verdict as it stands (check_sched.c). */
void ca__sched_resume(ca_checker *chk, struct item *it);

/* check_xfer.c: whether the first request of it is a HEAD. */
int ca__first_head(const ca_checker *chk, const struct item *it);

/* ---- check_page.c ---- */

/* Bytes of own text (spaces left out) above which a page is long: an error or
 * parking page is shorter. */
#define CA__PAGE_SHORT 3000

/*
 * What a light scan of an HTML body finds. Text is normalised for matching
 * (ca__norm_append): lowercase, whitespace collapsed, quotes and dashes
 * folded.
 */
struct page {
    ca_buf title;       /* the first <title> */
    ca_buf h1;          /* the first <h1> */
    ca_buf raw;         /* visible text outside nav, header, footer, aside, forms,
                           scripts, as written (at most 16 KiB kept) */
    ca_buf text;        /* the same normalised: ca__page_text fills it on demand */
    size_t text_total;  /* bytes of that text but spaces (counted up to a little past
                           CA__PAGE_SHORT, which is all the rules ask) */
    ca_buf all;         /* every visible text, for text fragments (when asked) */
    unsigned nids;      /* elements with an id */
    unsigned nscripts;
    size_t script_bytes;
    int app_root;       /* an empty single-page-app mount point (#root, #app, ...) */
};

/*
 * Scan html[0..len) (any bytes; a cut-off page is fine). Fragments in
 * frags[0..nfrags) found as an id or an <a name> get CA_FRAGMENT_FOUND.
 * all_text: collect every visible text into p->all. Returns -1 when out of
 * memory (p still released by ca__page_release).
 */
int ca__page_scan(const char *html, size_t len, struct frag *frags, size_t nfrags,
                  int all_text, struct page *p);
void ca__page_release(struct page *p);
/* The page's own text normalised (p->text, made on first call from p->raw). */
const char *ca__page_text(struct page *p);

/* Append s[0..n) to out normalised for matching. */
void ca__norm_append(ca_buf *out, const char *s, size_t n);

/*
 * A text directive ("#:~:text=[prefix-,]start[,end][,-suffix]", one
 * "text=" value, percent-encoded) found in the normalised text? 1 found, 0
 * not, -1 malformed.
 */
int ca__text_directive_match(const char *directive, const char *text, size_t len);

/* ---- check_content.c ---- */

/* Bot-protection signals in response headers. */
enum {
    CA__BOT_CLOUDFLARE = 1, CA__BOT_CHALLENGE = 2, CA__BOT_AKAMAI = 4, CA__BOT_SUCURI = 8,
    CA__BOT_IMPERVA = 16, CA__BOT_DATADOME = 32, CA__BOT_PERIMETERX = 64,
    CA__BOT_AWSWAF = 128, CA__BOT_OTHER = 256,
};
/* The signals of one header line ("Name: value\r\n"), or 0. */
unsigned ca__bot_header(const char *line, size_t len);
/*
 * Nonzero when an answer with status code, header signals flags and body
 * (its start, may be NULL) comes from bot protection rather than the site.
 */
int ca__bot_rule(int code, unsigned flags, const char *body, size_t len);

/* Soft-404 rule (a): the redirect chain ends on the home page or an error
 * address. from is the URL asked, to where the redirects ended. */
ca_reason ca__redirect_rule(const char *from, const char *to);

/*
 * The verdict on an item whose last request ended in a 2xx answer with the
 * body in x (the content rules, fragments, probe); STEP_DONE or STEP_WAIT.
 * cur is the URL of the last request.
 */
enum step ca__content_verdict(ca_checker *chk, struct xfer *x, struct item *it, const char *cur);

/* After the verdict: an archive lookup when one is wanted; STEP_DONE or STEP_WAIT. */
enum step ca__after_verdict(ca_checker *chk, struct item *it);

/* The template rules on a scanned page: PARKED, ERROR_TEMPLATE or NONE;
 * *ret_where names the part that matched ("title", "heading", "text") and
 * *ret_phrase the phrase. */
ca_reason ca__template_rule(struct page *p, const char **ret_where, const char **ret_phrase);

/* ---- check_sketch.c ---- */

/* Hashes kept per sketch. */
#define CA__SKETCH_K 256

/*
 * The sketch of text: the CA__SKETCH_K smallest 64-bit hashes of its
 * 4-word shingles (all of them when fewer), sorted; words of ignore (a URL
 * whose path and query words a page may echo) left out. *ret (malloc, NULL
 * when empty) and *ret_n; -1 when out of memory.
 */
int ca__sketch(const char *text, size_t len, const char *ignore, uint64_t **ret,
               uint16_t *ret_n);
/* Jaccard similarity of the shingle sets two sketches stand for (exact when
 * both sets fit the sketch); 1 when both are empty, 0 when one is. */
double ca__sketch_similarity(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);
/* The sketch of an HTML page's title and main text (the extractor's), the
 * words of url's path and query left out. -1 when out of memory or not a
 * page. */
int ca__main_sketch(const char *url, const char *body, size_t len, uint64_t **ret,
                    uint16_t *ret_n);

/* ---- check_probe.c ---- */
/* Start (or join) the probe item it needs; STEP_WAIT, or STEP_DONE when the
 * cache answers (res set). body: the cited page (HTML) for the comparison. */
enum step ca__probe_need(ca_checker *chk, struct item *it, const char *cur, const char *body,
                         size_t len);
/* An aux probe finished (its verdict in it.res, its body in x). */
void ca__probe_done(ca_checker *chk, struct aux *a, struct xfer *x);
void ca__probes_release(ca_checker *chk);

/* ---- check_archive.c ---- */
/* An aux archive request finished (its verdict in it.res, its answer in x). */
void ca__archive_done(ca_checker *chk, struct aux *a, struct xfer *x);
/* Wayback's "YYYYMMDDhhmmss" (shorter: padded) as Unix time; 0 when not one. */
int64_t ca__wayback_time(const char *ts);
/* Index of the capture closest before cited (else closest after; the newest
 * when cited is 0) among n with status 200, 203 or 206; -1 when none. */
int ca__capture_pick(const int64_t *times, const int *codes, size_t n, int64_t cited);
/* The memento of a Link header value (RFC 7089) chosen as ca__capture_pick
 * would: *ret_url (malloc) and *ret_time. 1 found, 0 none, -1 out of memory. */
int ca__memento_pick(const char *link, int64_t cited, char **ret_url, int64_t *ret_time);

/* check.c: a new aux request of kind for owner; its id, or CA_NONE when out
 * of memory. */
uint32_t ca__aux_new(ca_checker *chk, enum aux_kind kind, uint32_t owner, const char *url);
struct aux *ca__aux(ca_checker *chk, uint32_t id);

/*
 * Set the result of id as if it had been checked (copies every string).
 * For tests of the renderers, which need results without a network.
 */
ca_status ca__checker_set_result(ca_checker *chk, size_t id, const ca_result *res);

#endif
