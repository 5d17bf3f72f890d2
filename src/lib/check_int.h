/*
 * check_int.h - internals of the checker, shared by its modules:
 *
 *   check.c        the public API: the URL table, results, classes
 *   check_policy.c include/exclude/remap/accept/header rules
 *   check_sched.c  the run loop: hosts, queues, timers, retries, breaker
 *   check_xfer.c   one request: easy handle set-up, callbacks, verdicts
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

enum item_state {
    ITEM_NEW = 0,   /* added, not yet scheduled */
    ITEM_QUEUED,    /* waiting in its host's queue */
    ITEM_DELAYED,   /* waiting for a retry timer */
    ITEM_RUNNING,   /* a transfer is in flight */
    ITEM_DONE,      /* verdict reached (also: decided without a request) */
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
    char first_net_error[256];
    volatile sig_atomic_t interrupted;
    uint64_t rng;
};

/* check.c */
int64_t ca__now_ms(void);
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
    STEP_GET,      /* HEAD was not good enough: ask again with GET */
    STEP_REDIRECT, /* follow to res.final_url (the new hop, owned by it->hop) */
    STEP_RETRY,    /* transient: retry after *delay_ms */
};
enum step ca__xfer_done(ca_checker *chk, struct xfer *x, struct item *it, CURLcode rc,
                        int64_t *delay_ms, int *strike);

/*
 * Set the result of id as if it had been checked (copies every string).
 * For tests of the renderers, which need results without a network.
 */
ca_status ca__checker_set_result(ca_checker *chk, size_t id, const ca_result *res);

#endif
