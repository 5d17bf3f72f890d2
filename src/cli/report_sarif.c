/*
 * report_sarif.c - `check --format sarif`: SARIF 2.1.0 (OASIS), the format
 * GitHub code scanning and other static-analysis dashboards take, so dead
 * links show as annotations on the lines that cite them.
 *
 * One rule per failing class (ruleId "dead", "timeout", ...; level error
 * for the classes that fail by default, warning for those the user added
 * with --fail-on), one result per failing link. Locations are the
 * document's path as a relative URI reference against %SRCROOT% (the
 * working directory, which is the checkout in CI), or its URL when the
 * document was fetched. Columns count bytes, as everywhere in citeaudit;
 * SARIF has no byte column kind, so lines with non-ASCII text before the
 * link are off by a little.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"
#include "report.h"

#define INFORMATION_URI "https://github.com/citeaudit/citeaudit"

/* What to do about a failing link of each class, for the rule's help. */
static const char *advice(ca_class cls)
{
    switch (cls) {
    case CA_CLASS_DEAD:
    case CA_CLASS_SOFT404:
        return "The cited page is gone. Link an archived copy (for example on "
               "web.archive.org) or a current source for the same claim.";
    case CA_CLASS_SERVER_ERROR:
    case CA_CLASS_TIMEOUT:
    case CA_CLASS_UNREACHABLE:
        return "The site did not answer properly after retries. Check the link by hand; if "
               "the site is down for good, link an archived copy.";
    case CA_CLASS_DNS:
        return "The host name no longer exists. Look for the page's new address or an "
               "archived copy.";
    case CA_CLASS_TLS:
        return "The site's certificate or TLS setup is broken. Readers' browsers will warn "
               "too; link another copy if it stays broken.";
    case CA_CLASS_INVALID:
        return "The link is not a valid URL. Fix the typo in the document.";
    default:
        return "See the message for what the checker found.";
    }
}

/* Level of a result of class cls. */
static const char *level(ca_class cls)
{
    return ca_class_fails_by_default(cls) ? "error" : "warning";
}

/* The rule index of each failing class, in class order; -1 when none. */
static void rule_indexes(const struct report_opts *ro, int idx[CA_CLASS_COUNT])
{
    int i, n = 0;

    for (i = 0; i < CA_CLASS_COUNT; i++)
        idx[i] = report_fails(ro, (ca_class)i) ? n++ : -1;
}

static void text_obj(FILE *out, int first, const char *key, const char *text)
{
    jsonw_key(out, first, key);
    putc('{', out);
    jsonw_key_str(out, 1, "text", text);
    putc('}', out);
}

static void rule(FILE *out, ca_class cls)
{
    char title[160];

    snprintf(title, sizeof title, "Failing link: %s", ca_class_text(cls));
    putc('{', out);
    jsonw_key_str(out, 1, "id", ca_class_name(cls));
    text_obj(out, 0, "shortDescription", title);
    snprintf(title, sizeof title, "The link check classed the link '%s': %s.",
             ca_class_name(cls), ca_class_text(cls));
    text_obj(out, 0, "fullDescription", title);
    text_obj(out, 0, "help", advice(cls));
    jsonw_key(out, 0, "defaultConfiguration");
    putc('{', out);
    jsonw_key_str(out, 1, "level", level(cls));
    putc('}', out);
    putc('}', out);
}

static void driver(FILE *out, const int idx[CA_CLASS_COUNT])
{
    int i, first = 1;

    jsonw_key(out, 1, "driver");
    putc('{', out);
    jsonw_key_str(out, 1, "name", "citeaudit");
    jsonw_key_str(out, 0, "version", ca_version());
    jsonw_key_str(out, 0, "semanticVersion", ca_version());
    jsonw_key_str(out, 0, "informationUri", INFORMATION_URI);
    jsonw_key(out, 0, "rules");
    putc('[', out);
    for (i = 0; i < CA_CLASS_COUNT; i++) {
        if (idx[i] < 0)
            continue;
        if (!first)
            putc(',', out);
        first = 0;
        rule(out, (ca_class)i);
    }
    fputs("]}", out);
}

/* Characters a URI path keeps as they are besides letters and digits:
 * RFC 3986 unreserved, sub-delims, "@" and "/". ":" is encoded so that a
 * relative path never reads as a scheme. */
#define PATH_KEEP "-._~!$&'()*+,;=@/"
/* In a URL given as input, everything but spaces, controls, non-ASCII
 * bytes and the few characters RFC 3986 never allows. */
#define URL_KEEP "-._~!$&'()*+,;=@/:?#[]%"

/* prefix then s, percent-encoded except letters, digits and keep, into a
 * new string (NULL when out of memory). */
static char *uri_encode(const char *prefix, const char *s, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(prefix);
    char *uri = malloc(n + 3 * strlen(s) + 1), *p;

    if (!uri)
        return NULL;
    memcpy(uri, prefix, n);
    for (p = uri + n; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr(keep, c)) {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    *p = '\0';
    return uri;
}

/* artifactLocation of a document: its URL, file:///abs/path, or a path
 * relative to %SRCROOT%. The uri is the origin when out of memory. */
static void artifact(FILE *out, const char *origin)
{
    char *uri;
    int relative = 0;

    if (strstr(origin, "://")) {
        uri = uri_encode("", origin, URL_KEEP);
    } else if (origin[0] == '/') {
        uri = uri_encode("file://", origin, PATH_KEEP);
    } else {
        while (origin[0] == '.' && origin[1] == '/')
            origin += 2;
        uri = uri_encode("", origin, PATH_KEEP);
        relative = 1;
    }
    jsonw_key(out, 1, "artifactLocation");
    putc('{', out);
    jsonw_key_str(out, 1, "uri", uri ? uri : origin);
    if (relative)
        jsonw_key_str(out, 0, "uriBaseId", "%SRCROOT%");
    putc('}', out);
    free(uri);
}

/* "Citation https://x/a: dead (HTTP 404 Not Found)" into a new string. */
static char *message(const struct report_cite *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    if (!m)
        return NULL;
    fprintf(m, "%s %s", rc->chrome ? "Page link" : "Citation", rc->url);
    if (rc->final_url)
        fprintf(m, " (redirects to %s)", rc->final_url);
    fprintf(m, ": %s (", ca_class_name(rc->res->cls));
    if (rc->res->reason != CA_REASON_NONE)
        fprintf(m, "%s: ", ca_reason_name(rc->res->reason));
    if (!rc->res->error && rc->res->http_code)
        fprintf(m, "HTTP %d ", rc->res->http_code);
    fprintf(m, "%s)", report_reason(rc->res));
    if (report_rescued(rc))
        fprintf(m, "; archived copy: %s", rc->res->archive->url);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void location(FILE *out, const struct report_cite *rc)
{
    jsonw_key(out, 0, "locations");
    fputs("[{", out);
    jsonw_key(out, 1, "physicalLocation");
    putc('{', out);
    artifact(out, rc->doc->origin);
    if (rc->c->line) {
        jsonw_key(out, 0, "region");
        putc('{', out);
        jsonw_key_uint(out, 1, "startLine", rc->c->line);
        if (rc->c->col)
            jsonw_key_uint(out, 0, "startColumn", rc->c->col);
        putc('}', out);
    }
    fputs("}}]", out);
}

/* One result; -1 when out of memory. */
static int result(FILE *out, const struct report_cite *rc, int rule_index)
{
    char *msg = message(rc);

    if (!msg)
        return -1;
    putc('{', out);
    jsonw_key_str(out, 1, "ruleId", ca_class_name(rc->res->cls));
    jsonw_key_uint(out, 0, "ruleIndex", (unsigned)rule_index);
    jsonw_key_str(out, 0, "level", level(rc->res->cls));
    text_obj(out, 0, "message", msg);
    location(out, rc);
    jsonw_key(out, 0, "properties");
    putc('{', out);
    jsonw_key_str(out, 1, "url", rc->url);
    jsonw_key_str(out, 0, "final_url", rc->final_url);
    if (rc->res->http_code)
        jsonw_key_uint(out, 0, "http_code", (unsigned)rc->res->http_code);
    jsonw_key_str(out, 0, "region", rc->chrome ? "chrome" : "body");
    fputs("}}", out);
    free(msg);
    return 0;
}

static int results(FILE *out, const ca_run *run, const struct report_opts *ro,
                   const int idx[CA_CLASS_COUNT])
{
    struct report_cite rc;
    size_t i;
    int first = 1;

    jsonw_key(out, 0, "results");
    putc('[', out);
    for (i = 0; i < run->ncites; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        if (rc.group != REPORT_FAILING)
            continue;
        if (!first)
            putc(',', out);
        first = 0;
        if (result(out, &rc, idx[rc.res->cls]) < 0)
            return -1;
    }
    putc(']', out);
    return 0;
}

static void notification(FILE *out, int first, const char *lvl, const char *a, const char *b)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);

    if (!first)
        putc(',', out);
    putc('{', out);
    jsonw_key_str(out, 1, "level", lvl);
    if (m) {
        fprintf(m, "%s%s%s", a, b ? ": " : "", b ? b : "");
        if (fclose(m) != 0) {
            free(text);
            text = NULL;
        }
    }
    text_obj(out, 0, "message", text ? text : a);
    putc('}', out);
    free(text);
}

/* Inputs not read and a network that was down: the run's own problems. */
static void notifications(FILE *out, const ca_run *run)
{
    size_t i;
    int first = 1;

    jsonw_key(out, 0, "toolExecutionNotifications");
    putc('[', out);
    if (run->network_down) {
        notification(out, first, "warning", "no network: links were not checked", NULL);
        first = 0;
    }
    for (i = 0; i < run->ndocs; i++) {
        if (!run->docs[i].error)
            continue;
        notification(out, first, "error", run->docs[i].origin, run->docs[i].error);
        first = 0;
    }
    putc(']', out);
}

/* s quoted for a POSIX shell when it needs to be. */
static void shell_word(FILE *m, const char *s)
{
    if (*s && !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                           "-_./:=@%+,")]) {
        fputs(s, m);
        return;
    }
    putc('\'', m);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", m);
        else
            putc(*s, m);
    }
    putc('\'', m);
}

/* "commandLine" as a shell would take it, and "arguments" one by one. */
static void command_line(FILE *out, const struct report_opts *ro)
{
    char *line = NULL;
    size_t i, len = 0;
    FILE *m = open_memstream(&line, &len);

    if (m) {
        shell_word(m, ro->argv0);
        for (i = 0; ro->args && ro->args[i]; i++) {
            putc(' ', m);
            shell_word(m, ro->args[i]);
        }
        if (fclose(m) == 0)
            jsonw_key_str(out, 0, "commandLine", line);
        free(line);
    }
    jsonw_key(out, 0, "arguments");
    putc('[', out);
    for (i = 0; ro->args && ro->args[i]; i++) {
        if (i)
            putc(',', out);
        jsonw_str(out, ro->args[i]);
    }
    putc(']', out);
}

static void invocation(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    char t[32];

    jsonw_key(out, 0, "invocations");
    fputs("[{", out);
    jsonw_key_bool(out, 1, "executionSuccessful", 1);
    report_iso8601(run->started, t);
    if (t[0])
        jsonw_key_str(out, 0, "startTimeUtc", t);
    report_iso8601(run->finished, t);
    if (t[0])
        jsonw_key_str(out, 0, "endTimeUtc", t);
    if (ro->argv0)
        command_line(out, ro);
    notifications(out, run);
    fputs("}]", out);
}

/* %SRCROOT%: the working directory, which relative locations are under. */
static void base_ids(FILE *out)
{
    char cwd[4096];
    char *uri;

    if (!getcwd(cwd, sizeof cwd - 1))
        return;
    if (cwd[strlen(cwd) - 1] != '/')
        strcat(cwd, "/");
    uri = uri_encode("file://", cwd, PATH_KEEP);
    if (!uri)
        return;
    jsonw_key(out, 0, "originalUriBaseIds");
    putc('{', out);
    jsonw_key(out, 1, "%SRCROOT%");
    putc('{', out);
    jsonw_key_str(out, 1, "uri", uri);
    fputs("}}", out);
    free(uri);
}

int report_sarif(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    int idx[CA_CLASS_COUNT];
    int rc;

    rule_indexes(ro, idx);
    putc('{', out);
    jsonw_key_str(out, 1, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    jsonw_key_str(out, 0, "version", "2.1.0");
    jsonw_key(out, 0, "runs");
    fputs("[{", out);
    jsonw_key(out, 1, "tool");
    putc('{', out);
    driver(out, idx);
    putc('}', out);
    invocation(out, run, ro);
    base_ids(out);
    jsonw_key_str(out, 0, "columnKind", "unicodeCodePoints");
    rc = results(out, run, ro, idx);
    fputs("}]}\n", out);
    if (rc < 0)
        return -1;
    return report_finish(out);
}
