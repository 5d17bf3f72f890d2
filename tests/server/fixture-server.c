/*
 * fixture-server.c - a loopback HTTP server that answers from a script, for
 * testing the link checker against every way a server can misbehave.
 *
 *   fixture-server [--port N] [--port-file FILE] [--log FILE] [--lifetime SECS] ROUTES
 *
 * It listens on 127.0.0.1 only (an ephemeral port unless --port), prints the
 * port on stdout (and writes it to --port-file, atomically), logs every
 * request on one line, and exits by itself after --lifetime seconds
 * (default 60, 0 for never) or on SIGTERM/SIGINT. One thread per
 * connection, so a slow route never holds up another. The routes language
 * is in tests/server/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "routes.h"

#define MAX_FILE_BODY ((size_t)64 << 20)
#define MAX_LOG_LINE 8192
#define STOP_GRACE_SECS 5

typedef struct server {
    fs_routes routes;
    FILE *log;
    pthread_mutex_t log_lock;
} server;

/* Set once when the server stops; wakes every nap. */
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond;
static int stopping;

/* One request: the raw target (path and query) as the client sent it. */
typedef struct request {
    char *target;
    int headers_seen;
    int answered;
} request;

/* A response body produced by the reader callback. */
typedef struct body_src {
    const char *data; /* NULL: generated filler */
    char *owned;      /* freed with the response */
    uint64_t size;    /* bytes to send, UINT64_MAX for endless */
    uint64_t declared;/* the Content-Length, or MHD_SIZE_UNKNOWN */
    unsigned drip_ms; /* one byte per drip_ms */
} body_src;

static void fail_msg(const char *what, const char *detail)
{
    fprintf(stderr, "fixture-server: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static int stop_cond_init(void)
{
    pthread_condattr_t attr;
    int rc;

    if (pthread_condattr_init(&attr))
        return -1;
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
         pthread_cond_init(&stop_cond, &attr);
    pthread_condattr_destroy(&attr);
    return rc ? -1 : 0;
}

/* Sleep ms milliseconds; returns nonzero (at once) when the server stops. */
static int nap(unsigned ms)
{
    struct timespec until;
    int stop;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&stop_lock);
    while (!stopping && pthread_cond_timedwait(&stop_cond, &stop_lock, &until) != ETIMEDOUT)
        ;
    stop = stopping;
    pthread_mutex_unlock(&stop_lock);
    return stop;
}

static int is_stopping(void)
{
    int stop;

    pthread_mutex_lock(&stop_lock);
    stop = stopping;
    pthread_mutex_unlock(&stop_lock);
    return stop;
}

static void set_stopping(void)
{
    pthread_mutex_lock(&stop_lock);
    stopping = 1;
    pthread_cond_broadcast(&stop_cond);
    pthread_mutex_unlock(&stop_lock);
}

/* ---- the request log ------------------------------------------------------ */

typedef struct line_buf {
    char s[MAX_LOG_LINE];
    size_t n;
} line_buf;

/* Append text, control bytes shown as '?', silently cut at the end. */
static void line_add(line_buf *b, const char *text)
{
    for (; text && *text && b->n + 1 < sizeof b->s; text++)
        b->s[b->n++] = (unsigned char)*text < 0x20 || *text == 0x7f ? '?' : *text;
    b->s[b->n] = '\0';
}

static enum MHD_Result add_header_to_line(void *cls, enum MHD_ValueKind kind, const char *key,
                                          const char *value)
{
    line_buf *b = cls;

    line_add(b, " | ");
    line_add(b, key);
    line_add(b, ": ");
    line_add(b, value);
    return MHD_YES;
}

/* "METHOD TARGET VERSION | Name: value | ..." with the headers as received. */
static void log_request(server *srv, struct MHD_Connection *c, const char *method,
                        const char *target, const char *version)
{
    line_buf b = {.n = 0};

    if (!srv->log)
        return;
    line_add(&b, method);
    line_add(&b, " ");
    line_add(&b, target);
    line_add(&b, " ");
    line_add(&b, version);
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_to_line, &b);
    pthread_mutex_lock(&srv->log_lock);
    if (fprintf(srv->log, "%s\n", b.s) < 0 || fflush(srv->log) == EOF)
        fail_msg("cannot write the request log", strerror(errno));
    pthread_mutex_unlock(&srv->log_lock);
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    request *req = calloc(1, sizeof *req);

    if (req && !(req->target = strdup(uri))) {
        free(req);
        req = NULL;
    }
    if (!req)
        fail_msg("out of memory", NULL);
    return req;
}

static void request_done(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    request *req = *req_cls;

    if (req) {
        free(req->target);
        free(req);
        *req_cls = NULL;
    }
}

/* ---- bodies --------------------------------------------------------------- */

static ssize_t body_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    static const char filler[] = "citeaudit fixture filler, generated bytes of no meaning.\n";
    body_src *b = cls;
    size_t n;

    if (is_stopping())
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (pos >= b->size)
        return b->declared != MHD_SIZE_UNKNOWN && pos < b->declared
                   ? MHD_CONTENT_READER_END_WITH_ERROR /* short: close the connection */
                   : MHD_CONTENT_READER_END_OF_STREAM;
    if (b->drip_ms) {
        if (nap(b->drip_ms))
            return MHD_CONTENT_READER_END_WITH_ERROR;
        max = 1;
    }
    n = b->size - pos < max ? (size_t)(b->size - pos) : max;
    if (b->data) {
        memcpy(buf, b->data + pos, n);
    } else {
        for (size_t i = 0; i < n; i++)
            buf[i] = filler[(pos + i) % (sizeof filler - 1)];
    }
    return (ssize_t)n;
}

static void body_free(void *cls)
{
    body_src *b = cls;

    free(b->owned);
    free(b);
}

/* Read a body-file, with @PORT@ and @BASE@ expanded; NULL after a message. */
static char *read_body_file(server *srv, const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    char *raw = NULL, *out = NULL;
    size_t n;

    if (!f) {
        fprintf(stderr, "fixture-server: cannot read body-file '%s': %s\n", path,
                strerror(errno));
        return NULL;
    }
    raw = malloc(MAX_FILE_BODY + 1);
    if (!raw) {
        fail_msg("out of memory", path);
        goto done;
    }
    n = fread(raw, 1, MAX_FILE_BODY + 1, f);
    if (ferror(f) || n > MAX_FILE_BODY) {
        fprintf(stderr, "fixture-server: cannot read body-file '%s': %s\n", path,
                ferror(f) ? strerror(errno) : "larger than 64 MiB");
        goto done;
    }
    out = fs_expand(&srv->routes, raw, n, ret_len);
    if (!out)
        fail_msg("out of memory", path);
done:
    free(raw);
    fclose(f);
    return out;
}

static const char *default_type(const fs_step *st, const char *bytes, size_t n)
{
    const char *dot = st->file ? strrchr(st->file, '.') : NULL;
    size_t i = 0;

    if (fs_step_header(st, "Content-Encoding"))
        return "text/html; charset=utf-8";
    if (dot && (!strcmp(dot, ".html") || !strcmp(dot, ".htm") || !strcmp(dot, ".xhtml")))
        return "text/html; charset=utf-8";
    if (dot && !strcmp(dot, ".pdf"))
        return "application/pdf";
    while (i < n && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\t'))
        i++;
    return i < n && bytes[i] == '<' ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
}

/* The step's headers, and a Content-Type guessed from the body when it has none. */
static int add_headers(struct MHD_Response *resp, const fs_step *st, const char *body,
                       size_t n)
{
    for (size_t i = 0; i < st->nheaders; i++) {
        if (MHD_add_response_header(resp, st->headers[i].name, st->headers[i].value) != MHD_YES) {
            fprintf(stderr, "fixture-server: routes line %u: header '%s' refused by "
                    "libmicrohttpd\n", st->line, st->headers[i].name);
            return -1;
        }
    }
    if (!fs_step_header(st, "Content-Type")) {
        const char *type = default_type(st, body, n);

        if (MHD_add_response_header(resp, "Content-Type", type) != MHD_YES) {
            fail_msg("cannot add a Content-Type header", "out of memory?");
            return -1;
        }
    }
    return 0;
}

/* A response over the bytes data (owned: freed with it), or generated. */
static struct MHD_Response *body_response(const fs_step *st, const char *data, char *owned,
                                          size_t n)
{
    body_src *b;
    struct MHD_Response *resp;

    if ((st->body == FS_BODY_BYTES || st->body == FS_BODY_FILE || st->body == FS_BODY_NONE) &&
        !st->drip_ms && !st->has_length) {
        resp = owned ? MHD_create_response_from_buffer(n, owned, MHD_RESPMEM_MUST_FREE)
                     : MHD_create_response_from_buffer(n, (void *)(data ? data : ""),
                                                       MHD_RESPMEM_PERSISTENT);
        if (!resp)
            free(owned);
        return resp;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        free(owned);
        return NULL;
    }
    b->data = data;
    b->owned = owned;
    b->drip_ms = st->drip_ms;
    b->size = st->body == FS_BODY_FILL ? st->fill : n;
    if (st->body == FS_BODY_ENDLESS || (st->body == FS_BODY_NONE && st->drip_ms))
        b->size = UINT64_MAX;
    b->declared = st->has_length ? st->length
                                 : b->size == UINT64_MAX ? MHD_SIZE_UNKNOWN : b->size;
    resp = MHD_create_response_from_callback(b->declared, 64 * 1024, body_reader, b, body_free);
    if (!resp)
        body_free(b);
    return resp;
}

/* The response for a step with its headers, NULL after a message. */
static struct MHD_Response *make_response(server *srv, const fs_step *st)
{
    char *owned = NULL;
    const char *data = NULL;
    size_t n = 0;
    struct MHD_Response *resp;

    if (st->body == FS_BODY_BYTES) {
        data = st->bytes;
        n = st->nbytes;
    } else if (st->body == FS_BODY_FILE) {
        data = owned = read_body_file(srv, st->file, &n);
        if (!owned)
            return NULL;
    }
    resp = body_response(st, data, owned, n); /* owned is the response's now */
    if (!resp) {
        fail_msg("cannot create a response", "out of memory?");
        return NULL;
    }
    if (add_headers(resp, st, data, n) < 0) {
        MHD_destroy_response(resp);
        return NULL;
    }
    return resp;
}

/* ---- answering ------------------------------------------------------------ */

static enum MHD_Result queue_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result rc;

    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
    rc = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* Reset the connection: RST at once, before any byte of a response. */
static void reset_connection(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    struct sockaddr sa;

    if (!ci) {
        fail_msg("reset: cannot get the connection's socket", NULL);
        return;
    }
    if (setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        fail_msg("reset: setsockopt(SO_LINGER)", strerror(errno));
    /* connect(AF_UNSPEC) disconnects a TCP socket with a RST (Linux), so the
     * shutdown(SHUT_WR) libmicrohttpd does before close never sends a FIN. */
    memset(&sa, 0, sizeof sa);
    sa.sa_family = AF_UNSPEC;
    if (connect(ci->connect_fd, &sa, sizeof sa) < 0)
        fail_msg("reset: connect(AF_UNSPEC)", strerror(errno));
}

/* A query argument of the request (for routes with conditions). */
static const char *query_arg(void *ud, const char *name)
{
    return MHD_lookup_connection_value(ud, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls)
{
    server *srv = cls;
    request *req = *req_cls;
    const fs_step *st;
    struct MHD_Response *resp;
    enum MHD_Result rc;

    /* Logged when its headers are in, answered once the whole request is in:
     * queued any earlier, libmicrohttpd closes the connection after the
     * response instead of keeping it alive. */
    if (!req) {
        fail_msg("a request without its state", url);
        return MHD_NO;
    }
    if (!req->headers_seen) {
        req->headers_seen = 1;
        log_request(srv, c, method, req->target, version); /* as soon as it is in */
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* a request body is read and dropped */
        return MHD_YES;
    }
    if (req->answered)
        return MHD_YES;
    req->answered = 1;
    st = fs_routes_next(&srv->routes, method, url, query_arg, c);
    if (!st)
        return queue_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    if (st->delay_ms && nap(st->delay_ms))
        return MHD_NO;
    if (st->action == FS_RESET)
        reset_connection(c);
    if (st->action != FS_RESPOND)
        return MHD_NO;
    resp = make_response(srv, st);
    if (!resp)
        return queue_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "fixture-server: see its stderr\n");
    rc = MHD_queue_response(c, (unsigned)st->status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* ---- start and stop ------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs("usage: fixture-server [--port N] [--port-file FILE] [--log FILE|-]\n"
          "                      [--lifetime SECS] ROUTES\n"
          "Serve the scripted routes of ROUTES on 127.0.0.1 (see tests/server/README.md).\n"
          "  --port N          listen on port N (default 0: any free port)\n"
          "  --port-file FILE  write the port to FILE (atomically) besides stdout\n"
          "  --log FILE        log each request on one line to FILE ('-': stderr)\n"
          "  --lifetime SECS   exit after SECS seconds (default 60; 0: never)\n", out);
}

/* A TCP socket listening on 127.0.0.1:*port; *port gets the real port. */
static int listen_loopback(unsigned *port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int fd, one = 1;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail_msg("cannot create a socket", strerror(errno));
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)*port);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        fprintf(stderr, "fixture-server: cannot listen on 127.0.0.1:%u: %s\n", *port,
                strerror(errno));
        close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

/* Write the port to path through a temporary file and rename. */
static int write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    FILE *f;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        fail_msg("--port-file: path too long", path);
        return -1;
    }
    f = fopen(tmp, "w");
    if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) == EOF) {
        fprintf(stderr, "fixture-server: cannot write port file '%s': %s\n", tmp,
                strerror(errno));
        return -1;
    }
    if (rename(tmp, path) < 0) {
        fprintf(stderr, "fixture-server: cannot rename '%s' to '%s': %s\n", tmp, path,
                strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Wait for SIGTERM/SIGINT (blocked in every thread) or the end of lifetime. */
static void wait_for_end(const sigset_t *sigs, double lifetime)
{
    struct timespec now, end, left;

    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += (time_t)lifetime;
    end.tv_nsec += (long)((lifetime - floor(lifetime)) * 1e9);
    if (end.tv_nsec >= 1000000000L) {
        end.tv_sec++;
        end.tv_nsec -= 1000000000L;
    }
    for (;;) {
        if (lifetime <= 0) {
            if (sigwaitinfo(sigs, NULL) >= 0)
                return;
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        left.tv_sec = end.tv_sec - now.tv_sec;
        left.tv_nsec = end.tv_nsec - now.tv_nsec;
        if (left.tv_nsec < 0) {
            left.tv_sec--;
            left.tv_nsec += 1000000000L;
        }
        if (left.tv_sec < 0)
            return;
        if (sigtimedwait(sigs, NULL, &left) >= 0 || errno == EAGAIN)
            return;
    }
}

typedef struct opts {
    unsigned port;
    const char *port_file, *log, *routes;
    double lifetime;
} opts;

static int parse_args(int argc, char **argv, opts *o)
{
    static const struct option longs[] = {
        {"port", required_argument, NULL, 'p'}, {"port-file", required_argument, NULL, 'P'},
        {"log", required_argument, NULL, 'l'},  {"lifetime", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    char *end;
    int c;
    unsigned long v;

    o->lifetime = 60;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'p':
            v = strtoul(optarg, &end, 10);
            if (*end || end == optarg || v > 65535) {
                fail_msg("--port wants a number from 0 to 65535, not", optarg);
                return -1;
            }
            o->port = (unsigned)v;
            break;
        case 'P': o->port_file = optarg; break;
        case 'l': o->log = optarg; break;
        case 't':
            o->lifetime = strtod(optarg, &end);
            if (*end || end == optarg || !(o->lifetime >= 0 && o->lifetime < 1e7)) {
                fail_msg("--lifetime wants seconds (0: never), not", optarg);
                return -1;
            }
            break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc - 1) {
        fail_msg(optind == argc ? "no routes file given" : "one routes file only", NULL);
        usage(stderr);
        return -1;
    }
    o->routes = argv[optind];
    return 0;
}

int main(int argc, char **argv)
{
    opts o = {.port = 0};
    server srv;
    sigset_t sigs;
    struct MHD_Daemon *d = NULL;
    char err[FS_ERR_MAX];
    int fd = -1, loaded = 0, rc = 1;

    memset(&srv, 0, sizeof srv);
    if (parse_args(argc, argv, &o) < 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    /* Blocked before any thread starts, so only sigtimedwait takes them. */
    if (pthread_sigmask(SIG_BLOCK, &sigs, NULL) || stop_cond_init() < 0 ||
        pthread_mutex_init(&srv.log_lock, NULL)) {
        fail_msg("cannot set up signals and locks", NULL);
        return 1;
    }
    fd = listen_loopback(&o.port);
    if (fd < 0)
        goto fail;
    if (fs_routes_load(&srv.routes, o.routes, o.port, err) < 0) {
        fail_msg(err, NULL);
        rc = 2;
        goto fail;
    }
    loaded = 1;
    if (o.log && strcmp(o.log, "-") && !(srv.log = fopen(o.log, "w"))) {
        fprintf(stderr, "fixture-server: cannot write log '%s': %s\n", o.log, strerror(errno));
        goto fail;
    }
    if (o.log && !strcmp(o.log, "-"))
        srv.log = stderr;
    d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD |
                             MHD_USE_ERROR_LOG,
                         0, NULL, NULL, answer, &srv, MHD_OPTION_LISTEN_SOCKET, fd,
                         MHD_OPTION_URI_LOG_CALLBACK, uri_logger, &srv,
                         MHD_OPTION_NOTIFY_COMPLETED, request_done, &srv,
                         MHD_OPTION_CONNECTION_TIMEOUT, 0u, MHD_OPTION_END);
    if (!d) {
        fail_msg("libmicrohttpd would not start", NULL);
        goto fail;
    }
    fd = -1; /* the daemon owns it now */
    if (printf("%u\n", o.port) < 0 || fflush(stdout) == EOF) {
        fail_msg("cannot write the port to standard output", strerror(errno));
        goto fail;
    }
    if (o.port_file && write_port_file(o.port_file, o.port) < 0)
        goto fail;
    wait_for_end(&sigs, o.lifetime);
    rc = 0;
fail:
    set_stopping();
    if (d) {
        alarm(STOP_GRACE_SECS); /* a connection that will not end ends the process */
        MHD_stop_daemon(d);
        alarm(0);
    }
    if (fd >= 0)
        close(fd);
    if (loaded)
        fs_routes_free(&srv.routes);
    if (srv.log && srv.log != stderr && fclose(srv.log) == EOF) {
        fail_msg("cannot write the request log", strerror(errno));
        rc = 1;
    }
    pthread_mutex_destroy(&srv.log_lock);
    return rc;
}
