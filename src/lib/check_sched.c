/*
 * check_sched.c - the run loop: one thread, curl_multi_poll, and a
 * scheduler that keeps -j transfers in flight without ever sending a host
 * more than --per-host at once.
 *
 * Items wait in per-host FIFO queues. A host whose queue is non-empty and
 * that may start a request now sits in the "ready" list; starting takes
 * hosts from it round-robin, so a slow or throttled host never holds a slot
 * another host could use. Hosts that must wait (--host-interval, the
 * breaker, Retry-After) and items that wait for a retry are kept in a timer
 * heap. Everything is O(1) or O(log n) per request, whatever the number of
 * hosts.
 */
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "strutil.h"

#define PROGRESS_MS 100
#define BREAKER_STRIKES 3

/* ---- timers: a binary min-heap on due_ms ---- */

static int timer_push(ca_checker *chk, int64_t due, uint32_t id, int is_host)
{
    size_t i;

    if (chk->ntimers == chk->timers_cap) {
        size_t ncap = chk->timers_cap ? chk->timers_cap * 2 : 64;
        struct timer *p = realloc(chk->timers, ncap * sizeof *p);

        if (!p)
            return -1;
        chk->timers = p;
        chk->timers_cap = ncap;
    }
    i = chk->ntimers++;
    while (i > 0 && chk->timers[(i - 1) / 2].due_ms > due) {
        chk->timers[i] = chk->timers[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    chk->timers[i] = (struct timer){due, id, (uint8_t)is_host};
    return 0;
}

static struct timer timer_pop(ca_checker *chk)
{
    struct timer top = chk->timers[0], last = chk->timers[--chk->ntimers];
    size_t i = 0, c;

    while ((c = 2 * i + 1) < chk->ntimers) {
        if (c + 1 < chk->ntimers && chk->timers[c + 1].due_ms < chk->timers[c].due_ms)
            c++;
        if (last.due_ms <= chk->timers[c].due_ms)
            break;
        chk->timers[i] = chk->timers[c];
        i = c;
    }
    if (chk->ntimers)
        chk->timers[i] = last;
    return top;
}

/* ---- hosts ---- */

static int is_loopback_name(const char *host)
{
    return !strncmp(host, "127.", 4) || !strcmp(host, "[::1]") || !strcmp(host, "::1") ||
           !strcmp(host, "localhost");
}

static int grow_host_table(ca_checker *chk)
{
    size_t ncap = chk->host_table_cap ? chk->host_table_cap * 2 : 256, i;
    uint32_t *t = malloc(ncap * sizeof *t);

    if (!t)
        return -1;
    memset(t, 0xff, ncap * sizeof *t);
    for (i = 0; i < chk->nhosts; i++) {
        uint32_t b = ca__hash_str(chk->hosts[i].key) & (uint32_t)(ncap - 1);

        chk->hosts[i].hash_next = t[b];
        t[b] = (uint32_t)i;
    }
    free(chk->host_table);
    chk->host_table = t;
    chk->host_table_cap = ncap;
    return 0;
}

static ca_status new_host(ca_checker *chk, char *name, char *key, uint32_t *ret)
{
    struct host *h;
    uint32_t b;
    int oom = 0;

    if (chk->nhosts == chk->hosts_cap) {
        size_t ncap = chk->hosts_cap ? chk->hosts_cap * 2 : 64;
        struct host *p = realloc(chk->hosts, ncap * sizeof *p);

        if (!p)
            return CA_NOMEM;
        chk->hosts = p;
        chk->hosts_cap = ncap;
    }
    if (chk->nhosts * 2 >= chk->host_table_cap && grow_host_table(chk) < 0)
        return CA_NOMEM;
    h = &chk->hosts[chk->nhosts];
    memset(h, 0, sizeof *h);
    h->headers = ca__rules_host_headers(&chk->rules, name, chk->headers, &oom);
    if (oom)
        return CA_NOMEM;
    h->name = name;
    h->key = key;
    h->qhead = h->qtail = h->ready_next = CA_NONE;
    h->loopback = (uint8_t)is_loopback_name(name);
    b = ca__hash_str(key) & (uint32_t)(chk->host_table_cap - 1);
    h->hash_next = chk->host_table[b];
    chk->host_table[b] = (uint32_t)chk->nhosts;
    *ret = (uint32_t)chk->nhosts++;
    return CA_OK;
}

/* The host (host:port) of url, created on first sight. CA_URL when unparsable. */
static ca_status host_of(ca_checker *chk, const char *url, uint32_t *ret)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *name = NULL, *key = NULL;
    ca_status st = CA_NOMEM;
    uint32_t i;

    if (!u)
        return CA_NOMEM;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        st = CA_URL;
        goto out;
    }
    key = ca__format("%s:%s", host, port);
    if (!key)
        goto out;
    if (chk->host_table_cap) {
        for (i = chk->host_table[ca__hash_str(key) & (uint32_t)(chk->host_table_cap - 1)];
             i != CA_NONE; i = chk->hosts[i].hash_next)
            if (!strcmp(chk->hosts[i].key, key)) {
                *ret = i;
                st = CA_OK;
                goto out;
            }
    }
    name = strdup(host);
    if (name && (st = new_host(chk, name, key, ret)) == CA_OK)
        name = key = NULL; /* owned by the host now */
out:
    free(name);
    free(key);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return st;
}

static int host_can_start(const ca_checker *chk, const struct host *h, int64_t now)
{
    return h->qhead != CA_NONE && h->active < chk->o.per_host && now >= h->next_ms;
}

/* Put h where it belongs: the ready list, a wake-up timer, or nowhere. */
static void host_kick(ca_checker *chk, uint32_t hid, int64_t now)
{
    struct host *h = &chk->hosts[hid];

    if (h->in_ready || h->qhead == CA_NONE || h->active >= chk->o.per_host)
        return;
    if (now < h->next_ms) {
        if (!h->timer_set && timer_push(chk, h->next_ms, hid, 1) == 0)
            h->timer_set = 1;
        return;
    }
    h->in_ready = 1;
    h->ready_next = CA_NONE;
    if (chk->ready_tail == CA_NONE)
        chk->ready_head = hid;
    else
        chk->hosts[chk->ready_tail].ready_next = hid;
    chk->ready_tail = hid;
}

static uint32_t ready_pop(ca_checker *chk)
{
    uint32_t hid = chk->ready_head;

    if (hid == CA_NONE)
        return hid;
    chk->ready_head = chk->hosts[hid].ready_next;
    if (chk->ready_head == CA_NONE)
        chk->ready_tail = CA_NONE;
    chk->hosts[hid].in_ready = 0;
    return hid;
}

static const char *item_cur_url(const struct item *it)
{
    return it->hop ? it->hop : it->target ? it->target : it->url;
}

/* Queue an item at the host of its current URL (at the front: a retry or a
 * redirect hop finishes what was started before new work begins). */
static void enqueue(ca_checker *chk, uint32_t id, int front, int64_t now)
{
    struct item *it = ca__item(chk, id);
    struct host *h;
    uint32_t hid;
    ca_status st = host_of(chk, item_cur_url(it), &hid);

    if (st != CA_OK) {
        ca__item_set_error(it, st == CA_URL ? "not a valid URL: %s" : "out of memory: %s",
                           item_cur_url(it));
        ca__item_finish(chk, it, st == CA_URL ? CA_CLASS_INVALID : CA_CLASS_UNKNOWN);
        return;
    }
    it->host = hid;
    it->state = ITEM_QUEUED;
    h = &chk->hosts[hid];
    if (h->qhead == CA_NONE) {
        it->next = CA_NONE;
        h->qhead = h->qtail = id;
    } else if (front) {
        it->next = h->qhead;
        h->qhead = id;
    } else {
        it->next = CA_NONE;
        ca__item(chk, h->qtail)->next = id;
        h->qtail = id;
    }
    host_kick(chk, hid, now);
}

/* ---- transfers ---- */

static ca_status multi_init(ca_checker *chk, ca_error *err)
{
    size_t i;

    if (chk->multi)
        return CA_OK;
    chk->multi = curl_multi_init();
    chk->share = curl_share_init();
    chk->xfers = calloc(chk->o.jobs, sizeof *chk->xfers);
    if (!chk->multi || !chk->share || !chk->xfers)
        return ca_error_set(err, CA_NOMEM, "cannot set up transfers (out of memory)");
    /* The multi handle pools connections; the share adds DNS answers and TLS
     * sessions across handles and runs. */
    curl_share_setopt(chk->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(chk->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_multi_setopt(chk->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    chk->nxfers = chk->o.jobs;
    for (i = chk->nxfers; i-- > 0;) {
        chk->xfers[i].next_free = chk->free_xfer;
        chk->free_xfer = (uint32_t)i;
    }
    return CA_OK;
}

static struct xfer *xfer_get(ca_checker *chk, ca_error *err)
{
    struct xfer *x;

    if (chk->free_xfer == CA_NONE)
        return NULL;
    x = &chk->xfers[chk->free_xfer];
    if (!x->easy && ca__xfer_init(chk, x, err) != CA_OK)
        return NULL;
    chk->free_xfer = x->next_free;
    return x;
}

static void xfer_put(ca_checker *chk, struct xfer *x)
{
    x->next_free = chk->free_xfer;
    chk->free_xfer = (uint32_t)(x - chk->xfers);
}

static ca_status start_one(ca_checker *chk, uint32_t hid, int64_t now, ca_error *err)
{
    struct host *h = &chk->hosts[hid];
    uint32_t id = h->qhead;
    struct item *it = ca__item(chk, id);
    struct xfer *x = xfer_get(chk, err);

    if (!x)
        return ca_error_set(err, CA_NOMEM, "cannot create a transfer (out of memory)");
    h->qhead = it->next;
    if (h->qhead == CA_NONE)
        h->qtail = CA_NONE;
    ca__xfer_start(chk, x, it, item_cur_url(it), h);
    if (curl_multi_add_handle(chk->multi, x->easy) != CURLM_OK) {
        xfer_put(chk, x);
        return ca_error_set(err, CA_NOMEM, "cannot start a transfer to %s", h->name);
    }
    h->active++;
    chk->running++;
    if (chk->o.host_interval_ms)
        h->next_ms = now + chk->o.host_interval_ms;
    return CA_OK;
}

static ca_status fill(ca_checker *chk, int64_t now, ca_error *err)
{
    ca_status st;
    uint32_t hid;

    while (chk->running < chk->o.jobs && (hid = ready_pop(chk)) != CA_NONE) {
        if (!host_can_start(chk, &chk->hosts[hid], now)) {
            host_kick(chk, hid, now);
            continue;
        }
        st = start_one(chk, hid, now, err);
        if (st != CA_OK)
            return st;
        host_kick(chk, hid, now); /* back of the line: round robin */
    }
    return CA_OK;
}

static void breaker(ca_checker *chk, struct host *h, int strike, const struct xfer *x,
                    int64_t now)
{
    int64_t hold = 0;

    if (!strike) {
        h->strikes = 0;
        return;
    }
    h->strikes++;
    if (x->retry_after_s > 0)
        hold = (int64_t)x->retry_after_s * 1000;
    if (h->strikes >= BREAKER_STRIKES) {
        int64_t b = (int64_t)1000 << (h->strikes - BREAKER_STRIKES < 6 ? h->strikes - BREAKER_STRIKES : 6);

        hold = hold > b ? hold : b;
    }
    if (hold > (int64_t)chk->o.max_retry_wait_ms)
        hold = chk->o.max_retry_wait_ms;
    if (now + hold > h->next_ms)
        h->next_ms = now + hold;
}

static void finished(ca_checker *chk, CURLMsg *msg, int64_t now)
{
    struct xfer *x = NULL;
    struct item *it;
    struct host *h;
    int64_t delay = 0;
    int strike = 0;
    enum step s;
    uint32_t hid;

    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
    curl_multi_remove_handle(chk->multi, msg->easy_handle);
    it = ca__item(chk, x->item);
    hid = it->host;
    h = &chk->hosts[hid];
    h->active--;
    chk->running--;
    s = ca__xfer_done(chk, x, it, msg->data.result, &delay, &strike);
    h = &chk->hosts[hid]; /* the verdict may have queued probes on new hosts */
    if (it->res.http_code)
        h->answered = 1;
    breaker(chk, h, strike, x, now);
    if ((s == STEP_DONE || s == STEP_WAIT) && it->hop && it->res.nchain) {
        free(it->res.final_url);
        it->res.final_url = it->hop;
        it->hop = NULL;
    }
    if (s == STEP_DONE && (it->flags & IT_AUX)) {
        /* the checker's own request: its answer goes to whoever asked */
        it->state = ITEM_DONE;
        if (((struct aux *)(void *)it)->kind == AUX_PROBE)
            ca__probe_done(chk, (struct aux *)(void *)it, x);
        else
            ca__archive_done(chk, (struct aux *)(void *)it, x);
        xfer_put(chk, x);
        host_kick(chk, hid, now);
        return;
    }
    xfer_put(chk, x);
    switch (s) {
    case STEP_GET:
        enqueue(chk, x->item, 1, now);
        break;
    case STEP_REDIRECT:
        enqueue(chk, x->item, 1, now);
        break;
    case STEP_RETRY:
        it->state = ITEM_DELAYED;
        if (timer_push(chk, now + delay, x->item, 0) < 0) {
            ca__item_set_error(it, "out of memory scheduling a retry");
            ca__item_finish(chk, it, CA_CLASS_UNKNOWN);
        }
        break;
    case STEP_WAIT:
        it->state = ITEM_WAITING;
        break;
    case STEP_DONE:
        ca__item_finish(chk, it, it->res.cls);
        break;
    }
    host_kick(chk, hid, now);
}

void ca__sched_aux(ca_checker *chk, uint32_t id)
{
    struct item *it = ca__item(chk, id);

    it->head = 0;
    enqueue(chk, id, 1, ca__now_ms());
}

void ca__sched_resume(ca_checker *chk, struct item *it)
{
    ca__item_finish(chk, it, it->res.cls);
}

static void fire_timers(ca_checker *chk, int64_t now)
{
    while (chk->ntimers && chk->timers[0].due_ms <= now) {
        struct timer t = timer_pop(chk);

        if (t.is_host) {
            chk->hosts[t.id].timer_set = 0;
            host_kick(chk, t.id, now);
        } else if (ca__item(chk, t.id)->state == ITEM_DELAYED) {
            enqueue(chk, t.id, 1, now);
        }
    }
}

static void report(ca_checker *chk, ca_check_progress_fn fn, void *ud, int64_t start,
                   int64_t now)
{
    ca_check_progress p = {chk->done, chk->total, chk->failing, chk->running,
                           (double)(now - start) / 1000.0};

    if (fn)
        fn(&p, ud);
}

/* Stop everything in flight and leave what is unfinished UNKNOWN. */
static void abandon(ca_checker *chk, const char *why)
{
    size_t i;

    for (i = 0; i < chk->nxfers; i++)
        if (chk->xfers[i].easy)
            curl_multi_remove_handle(chk->multi, chk->xfers[i].easy);
    chk->free_xfer = CA_NONE;
    for (i = chk->nxfers; i-- > 0;)
        xfer_put(chk, &chk->xfers[i]);
    chk->running = 0;
    chk->ntimers = 0;
    chk->ready_head = chk->ready_tail = CA_NONE;
    for (i = 0; i < chk->nhosts; i++) {
        struct host *h = &chk->hosts[i];

        h->qhead = h->qtail = CA_NONE;
        h->active = 0;
        h->in_ready = h->timer_set = 0;
    }
    for (i = 0; i < chk->naux; i++)
        chk->aux[i]->it.state = ITEM_DONE;
    for (i = 0; i < chk->nitems; i++) {
        struct item *it = &chk->items[i];

        if (it->state == ITEM_DONE || it->state == ITEM_NEW)
            continue;
        if (it->state == ITEM_WAITING) {
            /* answered: the verdict stands without the probe or archive */
            ca__item_finish(chk, it, it->res.cls);
            continue;
        }
        ca__item_set_error(it, "%s", why);
        it->res.http_code = 0;
        ca__item_finish(chk, it, CA_CLASS_UNKNOWN);
    }
}

static int poll_wait_ms(const ca_checker *chk, int64_t now)
{
    int64_t wait = chk->ntimers ? chk->timers[0].due_ms - now : 1000;

    return wait > 1000 ? 1000 : wait < 0 ? 0 : (int)wait;
}

static ca_status loop(ca_checker *chk, ca_check_progress_fn progress, void *ud,
                      ca_error *err)
{
    int64_t start = ca__now_ms(), last = start, now = start;
    int still = 0, ended;
    CURLMsg *msg;
    ca_status st;

    for (;;) {
        fire_timers(chk, now);
        st = fill(chk, now, err);
        if (st != CA_OK)
            return st;
        if (!chk->running && !chk->ntimers && chk->ready_head == CA_NONE)
            break;
        if (chk->interrupted) {
            abandon(chk, "not checked: the run was interrupted");
            break;
        }
        curl_multi_perform(chk->multi, &still);
        now = ca__now_ms();
        ended = 0;
        while ((msg = curl_multi_info_read(chk->multi, &still)))
            if (msg->msg == CURLMSG_DONE) {
                finished(chk, msg, now);
                ended++;
            }
        /* The verdicts of this round are handed over together before any
         * new request goes out or the loop waits. */
        if (chk->o.hooks.on_idle && chk->verdicts_since_idle) {
            chk->verdicts_since_idle = 0;
            chk->o.hooks.on_idle(chk, 0, chk->o.hooks.ud);
        }
        /* Freed slots are refilled at once; otherwise wait for sockets or
         * the next timer. */
        if (!ended)
            curl_multi_poll(chk->multi, NULL, 0, poll_wait_ms(chk, now), NULL);
        now = ca__now_ms();
        if (progress && now - last >= PROGRESS_MS) {
            report(chk, progress, ud, start, now);
            last = now;
        }
    }
    report(chk, progress, ud, start, ca__now_ms());
    return CA_OK;
}

static int have_network_interface(void)
{
    struct ifaddrs *ifa, *p;
    int found = 0;

    if (getifaddrs(&ifa) != 0)
        return 1; /* cannot tell: assume there is one */
    for (p = ifa; p && !found; p = p->ifa_next)
        found = p->ifa_addr && (p->ifa_flags & IFF_UP) && !(p->ifa_flags & IFF_LOOPBACK) &&
                (p->ifa_addr->sa_family == AF_INET || p->ifa_addr->sa_family == AF_INET6);
    freeifaddrs(ifa);
    return found;
}

static int failed_at_network(const struct item *it)
{
    return it->res.cls == CA_CLASS_DNS ||
           (it->res.cls == CA_CLASS_UNREACHABLE && it->res.curl_code == CURLE_COULDNT_CONNECT) ||
           (it->res.cls == CA_CLASS_TIMEOUT && !it->res.http_code);
}

/*
 * The network is down when nothing answered and every request failed to
 * resolve or connect, on at least two hosts that are not loopback, or on
 * one when no interface but loopback is up. One dead domain is a dead
 * link, not a dead network.
 */
static int network_down(ca_checker *chk, const uint8_t *in_run)
{
    size_t i, attempted = 0, failed = 0, hosts = 0, h;
    uint32_t first_host = CA_NONE;

    if (chk->answered)
        return 0;
    for (i = 0; i < chk->nitems; i++) {
        const struct item *it = &chk->items[i];

        if (!in_run[i] || !it->res.attempts)
            continue;
        attempted++;
        if (!failed_at_network(it))
            return 0;
        failed++;
        h = it->host;
        if (h == CA_NONE || chk->hosts[h].loopback || chk->hosts[h].answered)
            continue;
        if (first_host == CA_NONE)
            first_host = (uint32_t)h, hosts = 1;
        else if (h != first_host && strcmp(chk->hosts[h].name, chk->hosts[first_host].name))
            hosts = 2;
    }
    if (!attempted || failed != attempted || !hosts)
        return 0;
    return hosts >= 2 || !have_network_interface();
}

ca_status ca__sched_run(ca_checker *chk, ca_check_progress_fn progress, void *ud,
                        ca_error *err)
{
    uint8_t *in_run = calloc(chk->nitems ? chk->nitems : 1, 1);
    int64_t now = ca__now_ms();
    ca_status st;
    size_t i;

    if (!in_run)
        return ca_error_set(err, CA_NOMEM, "out of memory starting the checks");
    st = multi_init(chk, err);
    if (st != CA_OK)
        goto out;
    chk->total = chk->done = chk->failing = 0;
    chk->answered = 0;
    chk->first_net_error[0] = '\0';
    for (i = 0; i < chk->nitems; i++) {
        struct item *it = &chk->items[i];

        if (it->state == ITEM_NEW) {
            it->head = (uint8_t)ca__first_head(chk, it);
            in_run[i] = 1;
            chk->total++;
        } else if (i >= chk->next_new) {
            chk->total++;
            chk->done++;
            chk->failing += ca_class_fails_by_default(it->res.cls) != 0;
        }
    }
    chk->next_new = chk->nitems;
    for (i = 0; i < chk->nitems; i++)
        if (in_run[i])
            enqueue(chk, (uint32_t)i, 0, now);
    st = loop(chk, progress, ud, err);
    if (st == CA_OK && network_down(chk, in_run)) {
        for (i = 0; i < chk->nitems; i++) {
            if (!in_run[i])
                continue;
            chk->items[i].res.cls = CA_CLASS_UNKNOWN;
            ca__item_set_error(&chk->items[i], "not checked: no network");
        }
        st = ca_error_set(err, CA_ENV,
                          "no network: no host could be resolved or reached (%s); every "
                          "link is left 'unknown', none is reported dead. Check the "
                          "connection, DNS or proxy settings and run again",
                          chk->first_net_error[0] ? chk->first_net_error : "no answer");
    }
out:
    free(in_run);
    return st;
}

void ca__sched_release(ca_checker *chk)
{
    size_t i;

    for (i = 0; i < chk->nxfers; i++) {
        ca__xfer_release(&chk->xfers[i]);
        if (!chk->xfers[i].easy)
            continue;
        if (chk->multi)
            curl_multi_remove_handle(chk->multi, chk->xfers[i].easy);
        curl_easy_cleanup(chk->xfers[i].easy);
    }
    free(chk->xfers);
    if (chk->multi)
        curl_multi_cleanup(chk->multi);
    if (chk->share)
        curl_share_cleanup(chk->share);
    for (i = 0; i < chk->nhosts; i++) {
        free(chk->hosts[i].name);
        free(chk->hosts[i].key);
        curl_slist_free_all(chk->hosts[i].headers);
    }
    free(chk->hosts);
    free(chk->host_table);
    free(chk->timers);
}
