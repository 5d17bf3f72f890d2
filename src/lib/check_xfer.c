/*
 * check_xfer.c - one request and what it means. Sets up a reused easy
 * handle, guards the connection (--deny-private is enforced on the address
 * actually connected, so DNS answers and redirects cannot get around it),
 * caps what is read, and turns the outcome into the next step for the item:
 * a verdict, a GET after a useless HEAD, a redirect hop, or a retry.
 *
 * curl never follows redirects itself: every hop comes back here, so each is
 * scheme-checked, loop-checked, recorded, and scheduled through the per-host
 * limits like any other request.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "check_int.h"
#include "strutil.h"

#define BACKOFF_BASE_MS 500

/* Loopback, private, link-local, CGNAT, unspecified (IPv4, host order). */
static int private_v4(uint32_t a)
{
    return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
           (a >> 16) == 0xa9fe ||         /* 169.254/16 */
           (a >> 20) == 0xac1 ||          /* 172.16/12 */
           (a >> 16) == 0xc0a8 ||         /* 192.168/16 */
           (a >> 22) == (100u << 2 | 1) || /* 100.64/10 */
           (a >> 28) >= 0xe;              /* multicast, reserved, broadcast */
}

static int private_v6(const unsigned char *b)
{
    static const unsigned char zero[16];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (!memcmp(b, zero, 15) && (b[15] == 0 || b[15] == 1)) /* :: and ::1 */
        return 1;
    if (!memcmp(b, mapped, 12))
        return private_v4((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
                          (uint32_t)b[14] << 8 | b[15]);
    return (b[0] & 0xfe) == 0xfc ||                  /* fc00::/7 ULA */
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || /* fe80::/10 link-local */
           b[0] == 0xff;                             /* multicast */
}

int ca__addr_is_private(int family, const void *addr, char *text, size_t textlen)
{
    if (family == AF_INET) {
        const struct sockaddr_in *in = addr;

        if (text)
            inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)textlen);
        return private_v4(ntohl(in->sin_addr.s_addr));
    }
    if (family == AF_INET6) {
        const struct sockaddr_in6 *in6 = addr;

        if (text)
            inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)textlen);
        return private_v6(in6->sin6_addr.s6_addr);
    }
    return 0;
}

static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct xfer *x = ud;

    (void)purpose;
    if (x->chk->o.deny_private &&
        ca__addr_is_private(a->family, &a->addr, x->blocked_addr, sizeof x->blocked_addr)) {
        x->blocked = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

/* Evidence: what curl sent, for WARC request records. */
static int on_debug(CURL *e, curl_infotype type, char *data, size_t size, void *ud)
{
    struct xfer *x = ud;

    (void)e;
    if (type == CURLINFO_HEADER_OUT)
        ca_buf_append(&x->req, data, size); /* over the cap: the record is cut */
    return 0;
}

/* Is the answer HTML (or XHTML)? By its Content-Type, else by its first byte. */
static int answer_html(struct xfer *x, const char *p, size_t len)
{
    char *ct = NULL;

    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
        return strstr(ct, "html") != NULL || strstr(ct, "HTML") != NULL;
    while (len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++, len--;
    return len && *p == '<';
}

/*
 * How much of this answer's body to keep for the verdict, decided at its
 * first byte: a 2xx HTML page of a link with content checks or fragments
 * (their caps), an archive API's answer, the start of an error page (bot
 * protection says who it is there), else nothing.
 */
static size_t keep_cap(struct xfer *x, struct item *it, const char *p, size_t len)
{
    const ca_check_opts *o = &x->chk->o;
    long code = 0;
    int frags = it->ext && it->ext->nfrags && o->fragments;

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    if (it->flags & IT_KEEP_ANY)
        return code == 200 ? 2 * 1024 * 1024 : 0;
    if (code >= 200 && code < 300 && ((it->flags & IT_CONTENT) || frags) &&
        answer_html(x, p, len))
        return frags && o->max_fragment_bytes > o->max_content_bytes ? o->max_fragment_bytes
                                                                     : o->max_content_bytes;
    if ((code == 403 || code == 429 || code == 503 || code == 999) && !(it->flags & IT_AUX))
        return 16 * 1024;
    return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    struct item *it = ca__item(x->chk, x->item);
    size_t len = size * n, room;

    if (it->fetch) {
        if (ca_buf_append(&it->fetch->body, p, len) != CA_OK) {
            it->fetch->truncated = 1;
            x->capped = 1;
            return 0;
        }
        return len;
    }
    if (!x->keep_decided) {
        x->keep_decided = 1;
        x->keep_cap = keep_cap(x, it, p, len);
        x->body.max = x->keep_cap > x->chk->o.max_body_bytes ? x->keep_cap
                                                              : x->chk->o.max_body_bytes;
    }
    if (x->keep_cap || x->chk->o.hooks.on_exchange) {
        room = x->body.len < x->body.max ? x->body.max - x->body.len : 0;
        if (ca_buf_append(&x->body, p, len < room ? len : room) != CA_OK || len > room)
            x->body_cut = 1;
    }
    x->bytes += len;
    if (x->bytes > (x->keep_cap > x->chk->o.max_body_bytes ? x->keep_cap
                                                            : x->chk->o.max_body_bytes)) {
        x->capped = 1;
        return 0; /* enough to know the status (and the page): stop reading */
    }
    return len;
}

/* Retry-After: delay-seconds or an HTTP date. */
static long parse_retry_after(const char *v)
{
    char *end;
    long s = strtol(v, &end, 10);
    time_t t;

    if (end != v && (*end == '\0' || *end == '\r' || *end == '\n' || *end == ' '))
        return s < 0 ? 0 : s;
    t = curl_getdate(v, NULL);
    if (t < 0)
        return -1;
    s = (long)(t - time(NULL));
    return s < 0 ? 0 : s;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    char val[128];
    size_t vl;

    if (len > 5 && !strncmp(p, "HTTP/", 5)) {
        x->retry_after_s = -1; /* a new response (after 1xx) */
        x->bot = 0;
        ca_buf_reset(&x->resp);
        ca_buf_reset(&x->hdrs);
    }
    if (x->chk->o.hooks.on_exchange)
        ca_buf_append(&x->resp, p, len);
    x->bot |= ca__bot_header(p, len);
    if (x->item & CA_AUX_BIT)
        ca_buf_append(&x->hdrs, p, len); /* the archive reads Location, Link... */
    if (len > 12 && !strncasecmp(p, "retry-after:", 12)) {
        vl = len - 12 < sizeof val - 1 ? len - 12 : sizeof val - 1;
        memcpy(val, p + 12, vl);
        val[vl] = '\0';
        x->retry_after_s = parse_retry_after(val + strspn(val, " \t"));
    }
    return len;
}

ca_status ca__xfer_init(ca_checker *chk, struct xfer *x, ca_error *err)
{
    const ca_check_opts *o = &chk->o;
    CURL *e = curl_easy_init();

    if (!e)
        return ca_error_set(err, CA_NOMEM, "cannot create a transfer (out of memory)");
    x->easy = e;
    x->chk = chk;
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_SHARE, chk->share);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_USERAGENT, chk->user_agent);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    if (o->low_speed_bytes && o->low_speed_secs) {
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, (long)o->low_speed_bytes);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)o->low_speed_secs);
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0);
    if (chk->resolve)
        curl_easy_setopt(e, CURLOPT_RESOLVE, chk->resolve);
    ca_buf_init(&x->body, o->max_body_bytes);
    ca_buf_init(&x->hdrs, 64 * 1024);
    if (o->hooks.on_exchange) {
        ca_buf_init(&x->req, 64 * 1024);
        ca_buf_init(&x->resp, 256 * 1024);
        curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(e, CURLOPT_DEBUGDATA, x);
        curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    }
    if (o->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return CA_OK;
}

void ca__xfer_release(struct xfer *x)
{
    ca_buf_release(&x->req);
    ca_buf_release(&x->resp);
    ca_buf_release(&x->body);
    ca_buf_release(&x->hdrs);
}

/* Hand the evidence of a request that got an answer to the caller. */
static void give_exchange(ca_checker *chk, struct xfer *x, struct item *it, const char *url)
{
    ca_exchange ex;
    char *ip = NULL;
    int fetched = it->fetch != NULL;

    memset(&ex, 0, sizeof ex);
    ex.id = x->item;
    ex.url = url;
    ex.request = x->req.data ? x->req.data : "";
    ex.request_len = x->req.len;
    ex.response = x->resp.data ? x->resp.data : "";
    ex.response_len = x->resp.len;
    ex.body = fetched ? it->fetch->body.data : x->body.data;
    ex.body_len = fetched ? it->fetch->body.len : x->body.len;
    ex.body_truncated = x->capped || x->body_cut || (fetched && it->fetch->truncated);
    ex.body_decoded = fetched || x->decoded;
    if (curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK)
        ex.ip = ip;
    ex.time = x->started;
    chk->o.hooks.on_exchange(&ex, chk->o.hooks.ud);
}

/* Paths of files that are not pages: their links are asked with HEAD first. */
static int not_html(const char *url)
{
    static const char *const exts[] = {
        ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif",
        ".tiff", ".mp3", ".mp4", ".m4a", ".m4v", ".mov", ".avi", ".webm", ".ogg", ".wav",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".doc", ".docx", ".xls",
        ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".csv", ".json", ".xml", ".txt", ".epub",
        ".exe", ".dmg", ".iso", ".deb", ".rpm", ".apk", NULL};
    size_t n = strcspn(url, "?#"), i, k;

    for (i = 0; exts[i]; i++) {
        k = strlen(exts[i]);
        if (n > k && !strncasecmp(url + n - k, exts[i], k))
            return 1;
    }
    return 0;
}

int ca__first_head(const ca_checker *chk, const struct item *it)
{
    const char *u = it->target ? it->target : it->url;

    if (it->want_body || (it->flags & IT_AUX))
        return 0;
    if (it->ext && it->ext->nfrags && chk->o.fragments)
        return 0; /* the page is needed to find the fragment */
    return !(it->flags & IT_CONTENT) || not_html(it->hop ? it->hop : u);
}

void ca__xfer_start(ca_checker *chk, struct xfer *x, struct item *it, const char *url,
                    const struct host *h)
{
    CURL *e = x->easy;
    int fetch = it->want_body;
    int keep = !fetch && !it->head && (it->flags & (IT_CONTENT | IT_KEEP_ANY) ||
                                       (it->ext && it->ext->nfrags));
    const struct curl_slist *hdrs = h->headers ? h->headers : chk->headers;

    x->item = ca__item_id(chk, it);
    x->keep_cap = 0;
    x->keep_decided = 0;
    x->bot = 0;
    x->decoded = fetch || keep;
    ca_buf_reset(&x->hdrs);
    if (x->body.cap > 1024 * 1024) /* a big page's buffer is not kept for small ones */
        ca_buf_release(&x->body);
    x->body.max = chk->o.max_body_bytes;
    if ((it->flags & IT_AUX) && ((struct aux *)(void *)it)->req_headers)
        hdrs = ((struct aux *)(void *)it)->req_headers;
    x->bytes = 0;
    x->capped = x->blocked = 0;
    x->retry_after_s = -1;
    x->errbuf[0] = '\0';
    x->started = (int64_t)time(NULL);
    x->body_cut = 0;
    ca_buf_reset(&x->req);
    ca_buf_reset(&x->resp);
    ca_buf_reset(&x->body);
    if (fetch && !it->fetch) {
        it->fetch = calloc(1, sizeof *it->fetch);
        if (it->fetch)
            ca_buf_init(&it->fetch->body, chk->o.max_fetch_bytes);
    } else if (it->fetch) {
        ca_buf_reset(&it->fetch->body);
        it->fetch->truncated = 0;
    }
    curl_easy_setopt(e, CURLOPT_URL, url);
    if (it->head && !fetch)
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, x->decoded ? "" : NULL);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
    it->state = ITEM_RUNNING;
    it->res.attempts++;
}

static void append_hop(struct item *it, const char *url, int code)
{
    ca_hop *p = realloc(it->res.chain, (it->res.nchain + 1) * sizeof *p);
    char *copy = strdup(url);

    if (!p || !copy) {
        if (p)
            it->res.chain = p;
        free(copy);
        return; /* the chain is a record; losing a hop to ENOMEM loses no verdict */
    }
    it->res.chain = p;
    p[it->res.nchain].url = copy;
    p[it->res.nchain].http_code = code;
    it->res.nchain++;
}

static int in_chain(const struct item *it, const char *url)
{
    unsigned i;

    for (i = 0; i < it->res.nchain; i++)
        if (!strcmp(it->res.chain[i].url, url))
            return 1;
    return 0;
}

static void loop_message(struct item *it, const char *to)
{
    ca_buf b;
    unsigned i;

    ca_buf_init(&b, 4096);
    ca_buf_puts(&b, "redirect loop: ");
    for (i = 0; i < it->res.nchain; i++)
        ca_buf_printf(&b, "%s -> ", it->res.chain[i].url);
    ca_buf_puts(&b, to);
    free(it->res.error);
    it->res.error = ca_buf_steal(&b);
}

/* http or https, through curl's parser; else the scheme named in *bad. */
static int web_scheme(const char *url, char *bad, size_t badlen)
{
    CURLU *u = curl_url();
    char *s = NULL;
    int ok = 0;

    snprintf(bad, badlen, "an unparsable URL");
    if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK) {
        ok = !strcmp(s, "http") || !strcmp(s, "https");
        snprintf(bad, badlen, "a %s: URL", s);
    }
    curl_free(s);
    curl_url_cleanup(u);
    return ok;
}

static enum step redirect(ca_checker *chk, struct item *it, const char *cur, long code,
                          const char *to)
{
    char bad[64];

    append_hop(it, cur, (int)code);
    it->res.cls = CA_CLASS_DEAD;
    if (!web_scheme(to, bad, sizeof bad)) {
        ca__item_set_error(it, "redirect to %s refused (only http and https are followed): %s",
                           bad, to);
        return STEP_DONE;
    }
    if (in_chain(it, to)) {
        loop_message(it, to);
        return STEP_DONE;
    }
    if (it->res.nchain > chk->o.max_redirects) {
        ca__item_set_error(it, "more than %u redirects (--max-redirects); last to %s",
                           chk->o.max_redirects, to);
        return STEP_DONE;
    }
    free(it->hop);
    it->hop = strdup(to);
    if (!it->hop) {
        ca__item_set_error(it, "out of memory following a redirect");
        it->res.cls = CA_CLASS_UNKNOWN;
        return STEP_DONE;
    }
    it->head = (uint8_t)ca__first_head(chk, it);
    it->tries = 0;
    return STEP_REDIRECT;
}

static int64_t backoff_ms(ca_checker *chk, unsigned tries)
{
    uint64_t r;

    chk->rng = chk->rng * 6364136223846793005ull + 1442695040888963407ull;
    r = chk->rng >> 33;
    return ((int64_t)BACKOFF_BASE_MS << (tries < 10 ? tries : 10)) +
           (int64_t)(r % (BACKOFF_BASE_MS / 2 + 1));
}

/* Wait before a retry, or -1 when the server asks for longer than allowed. */
static int64_t retry_delay(ca_checker *chk, const struct xfer *x, struct item *it)
{
    if (x->retry_after_s >= 0) {
        if ((uint64_t)x->retry_after_s * 1000 > chk->o.max_retry_wait_ms) {
            ca__item_set_error(it, "server asked to retry after %ld s, more than "
                                   "--max-retry-wait (%u s)",
                               x->retry_after_s, chk->o.max_retry_wait_ms / 1000);
            return -1;
        }
        return (int64_t)x->retry_after_s * 1000;
    }
    return backoff_ms(chk, it->tries);
}

static int head_useless(long code)
{
    return code == 400 || code == 403 || code == 404 || code == 405 || code == 406 ||
           code == 500 || code == 501 || code == 999;
}

ca_reason ca_checker_classify_reason(const ca_checker *chk, int http_code,
                                     const ca_hop *chain, unsigned nchain)
{
    (void)chk;
    if (http_code < 200 || http_code >= 300 || nchain < 2)
        return CA_REASON_NONE;
    return ca__redirect_rule(chain[0].url, chain[nchain - 1].url);
}

ca_class ca_checker_classify(const ca_checker *chk, int http_code, const ca_hop *chain,
                             unsigned nchain)
{
    long code = http_code;
    unsigned i;

    if (ca_checker_classify_reason(chk, http_code, chain, nchain) != CA_REASON_NONE)
        return CA_CLASS_SOFT404; /* soft-404 rule (a) */
    if (ca__rules_accepts(&chk->rules, code) || (code >= 200 && code < 300)) {
        for (i = 0; i < nchain; i++)
            if (chain[i].http_code == 301 || chain[i].http_code == 308)
                return CA_CLASS_REDIRECTED;
        return CA_CLASS_OK;
    }
    if (code == 401 || code == 403 || code == 999)
        return CA_CLASS_FORBIDDEN;
    if (code == 429)
        return CA_CLASS_RATELIMITED;
    if (code == 408)
        return CA_CLASS_TIMEOUT;
    if (code >= 500 && code < 600)
        return CA_CLASS_SERVER_ERROR;
    if (code >= 300 && code < 500)
        return CA_CLASS_DEAD;
    return CA_CLASS_UNKNOWN;
}

/* A transport failure with no HTTP answer. */
static ca_class class_of_error(CURLcode rc, int *transient, int *netfail)
{
    *transient = *netfail = 0;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        *netfail = 1;
        return CA_CLASS_DNS;
    case CURLE_COULDNT_CONNECT:
        *netfail = 1;
        return CA_CLASS_UNREACHABLE;
    case CURLE_OPERATION_TIMEDOUT:
        *transient = 1;
        return CA_CLASS_TIMEOUT;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        *transient = 1;
        return CA_CLASS_UNREACHABLE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
        return CA_CLASS_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
        return CA_CLASS_UNSUPPORTED;
    case CURLE_URL_MALFORMAT:
        return CA_CLASS_INVALID;
    default:
        return CA_CLASS_UNKNOWN;
    }
}

static void set_curl_error(struct item *it, const struct xfer *x, CURLcode rc)
{
    it->res.curl_code = (int)rc;
    ca__item_set_error(it, "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
}

static enum step transport_failure(ca_checker *chk, struct xfer *x, struct item *it,
                                   CURLcode rc, int64_t *delay_ms)
{
    int transient, netfail;
    ca_class cls = class_of_error(rc, &transient, &netfail);

    set_curl_error(it, x, rc);
    if (x->blocked) {
        ca__item_set_error(it, "refused to connect to private address %s (--deny-private)",
                           x->blocked_addr);
        it->res.cls = CA_CLASS_BLOCKED;
        return STEP_DONE;
    }
    if (netfail && !it->hop) {
        if (!chk->first_net_error[0])
            snprintf(chk->first_net_error, sizeof chk->first_net_error, "%s", it->res.error);
    }
    /* A server that drops a HEAD may still answer a GET. */
    if (it->head && (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
                     rc == CURLE_PARTIAL_FILE || rc == CURLE_WEIRD_SERVER_REPLY)) {
        it->head = 0;
        return STEP_GET;
    }
    it->res.cls = cls;
    if (transient && it->tries < chk->o.retries) {
        *delay_ms = backoff_ms(chk, it->tries);
        it->tries++;
        return STEP_RETRY;
    }
    return STEP_DONE;
}

/* The site's bot protection refused the checker: forbidden, not a verdict on the link. */
static int bot_blocked(struct xfer *x, struct item *it, long code)
{
    static const struct {
        unsigned flag;
        const char *name;
    } who[] = {
        {CA__BOT_CLOUDFLARE, "Cloudflare"}, {CA__BOT_AKAMAI, "Akamai"}, {CA__BOT_SUCURI, "Sucuri"},
        {CA__BOT_IMPERVA, "Imperva"}, {CA__BOT_DATADOME, "DataDome"},
        {CA__BOT_PERIMETERX, "PerimeterX"}, {CA__BOT_AWSWAF, "AWS WAF"},
    };
    const char *name = code == 999 ? "the site (HTTP 999)" : "a bot-protection front end";
    size_t i;

    if ((it->flags & IT_AUX) || it->want_body ||
        !ca__bot_rule((int)code, x->bot, x->keep_cap ? x->body.data : NULL, x->body.len))
        return 0;
    for (i = 0; i < sizeof who / sizeof who[0]; i++)
        if (x->bot & who[i].flag) {
            name = who[i].name;
            break;
        }
    it->res.cls = CA_CLASS_FORBIDDEN;
    it->res.reason = CA_REASON_BOT_PROTECTION;
    ca__item_set_error(it, "HTTP %ld from %s%s: it refuses automated checks; open the link "
                           "in a browser",
                       code, name, x->bot & CA__BOT_CHALLENGE ? " (a challenge page)" : "");
    return 1;
}

static enum step request_done(ca_checker *chk, struct xfer *x, struct item *it, CURLcode rc,
                              int64_t *delay_ms, int *strike);

enum step ca__xfer_done(ca_checker *chk, struct xfer *x, struct item *it, CURLcode rc,
                        int64_t *delay_ms, int *strike)
{
    const char *cur = it->hop ? it->hop : it->target ? it->target : it->url;
    enum step s = request_done(chk, x, it, rc, delay_ms, strike);

    if (s != STEP_DONE || (it->flags & IT_AUX) || it->want_body)
        return s;
    if (it->res.cls == CA_CLASS_OK || it->res.cls == CA_CLASS_REDIRECTED)
        return ca__content_verdict(chk, x, it, it->hop ? it->hop : cur);
    return ca__after_verdict(chk, it);
}

static enum step request_done(ca_checker *chk, struct xfer *x, struct item *it, CURLcode rc,
                              int64_t *delay_ms, int *strike)
{
    const char *cur = it->hop ? it->hop : it->target ? it->target : it->url;
    long code = 0;
    char *redir = NULL;
    curl_off_t us = 0;
    ca_class cls;

    *strike = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    if (curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &us) == CURLE_OK)
        it->res.elapsed_ms += (unsigned)(us / 1000);
    /* A status line is an answer, even when the body then failed or was cut
     * short on purpose; but a page whose body drips too slowly is a timeout. */
    if (code <= 0 || (rc == CURLE_OPERATION_TIMEDOUT && !it->head)) {
        it->res.http_code = (int)(code > 0 ? code : 0);
        return transport_failure(chk, x, it, rc, delay_ms);
    }
    if (!(it->flags & IT_AUX))
        chk->answered++;
    if (chk->o.hooks.on_exchange && !(it->flags & IT_AUX))
        give_exchange(chk, x, it, cur);
    it->res.http_code = (int)code;
    it->res.curl_code = 0;
    it->res.reason = CA_REASON_NONE;
    if (it->head && (head_useless(code) || ((code == 429 || code == 503) && x->bot))) {
        it->head = 0; /* a GET shows the page (and a challenge page says it is one) */
        return STEP_GET;
    }
    if (code >= 300 && code < 400 && !(it->flags & IT_NOFOLLOW) &&
        curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &redir) == CURLE_OK && redir)
        return redirect(chk, it, cur, code, redir);
    if (it->res.nchain)
        append_hop(it, cur, (int)code);
    if (bot_blocked(x, it, code))
        return STEP_DONE;
    cls = ca_checker_classify(chk, (int)code, it->res.chain, it->res.nchain);
    it->res.cls = cls;
    if (cls == CA_CLASS_SOFT404) {
        it->res.reason = ca_checker_classify_reason(chk, (int)code, it->res.chain,
                                                    it->res.nchain);
        ca__item_set_error(it, "%s %s", it->res.reason == CA_REASON_HOME_REDIRECT
                                            ? "redirected to the site's home page"
                                            : "redirected to an error page",
                           cur);
        return STEP_DONE;
    }
    if (code >= 300 && code < 400 && !(it->flags & IT_NOFOLLOW))
        ca__item_set_error(it, "HTTP %ld without a Location to follow", code);
    if (code == 429 || code == 408 || (code >= 500 && code < 600)) {
        *strike = code == 429 || code >= 500;
        if (it->tries < chk->o.retries) {
            *delay_ms = retry_delay(chk, x, it);
            if (*delay_ms >= 0) {
                it->tries++;
                return STEP_RETRY;
            }
        }
        if (!it->res.error)
            ca__item_set_error(it, "HTTP %ld after %u attempt%s", code, it->res.attempts,
                               it->res.attempts == 1 ? "" : "s");
    } else if (it->res.error && cls == CA_CLASS_OK) {
        free(it->res.error); /* a failed try earlier on: the answer now is fine */
        it->res.error = NULL;
    }
    if (it->fetch && x->capped)
        it->fetch->truncated = 1;
    return STEP_DONE;
}
