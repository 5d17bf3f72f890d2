/*
 * extract.c - from bytes to a finished document: read with a cap, refuse
 * binary data, repair UTF-8, pick the format, run its extractor, then settle
 * the metadata in the documented order (manifest, page head, text markers,
 * else unknown) and drop citations of the document's own URL.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "citeaudit/buf.h"
#include "citeaudit/extract.h"
#include "citeaudit/source.h"
#include "citeaudit/url.h"
#include "extract_int.h"
#include "strutil.h"

void ca_extract_opts_init(ca_extract_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->max_bytes = CA_EXTRACT_DEFAULT_MAX_BYTES;
    opts->max_links = CA_EXTRACT_DEFAULT_MAX_LINKS;
}

void ca__meta_release(ca__meta *m)
{
    free(m->url);
    free(m->site_name);
    free(m->title);
    free(m->published);
    free(m->marker_url);
    memset(m, 0, sizeof *m);
}

void ca__linemap_init(ca__linemap *lm, const char *data, size_t len)
{
    lm->data = data;
    lm->len = len;
    lm->off = 0;
    lm->line = 1;
    lm->bol = 0;
}

void ca__linemap_pos(ca__linemap *lm, size_t off, unsigned *ret_line, unsigned *ret_col)
{
    if (off > lm->len)
        off = lm->len;
    if (off < lm->off) /* going back: restart (rare) */
        ca__linemap_init(lm, lm->data, lm->len);
    while (lm->off < off) {
        const char *nl = memchr(lm->data + lm->off, '\n', off - lm->off);

        if (!nl) {
            lm->off = off;
            break;
        }
        lm->line++;
        lm->off = (size_t)(nl - lm->data) + 1;
        lm->bol = lm->off;
    }
    *ret_line = lm->line;
    *ret_col = (unsigned)(off - lm->bol) + 1;
}

/* Binary data: NUL bytes or many control bytes in the first 8 KiB. */
static int looks_binary(const char *data, size_t len)
{
    size_t n = len < 8192 ? len : 8192, i, ctrl = 0;

    if (n >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                   ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return 0; /* UTF-16 text; converted by the caller */
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];

        if (c == 0)
            return 1;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B)
            ctrl++;
    }
    return n && ctrl * 20 > n;
}

static const char *extension(const char *name)
{
    const char *slash, *dot;

    if (!name)
        return "";
    slash = strrchr(name, '/');
    dot = strrchr(slash ? slash : name, '.');
    return dot ? dot + 1 : "";
}

ca_format ca__format_from_name(const char *name)
{
    const char *ext = extension(name);

    if (!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml") ||
        !strcasecmp(ext, "shtml"))
        return CA_FORMAT_HTML;
    if (!strcasecmp(ext, "md") || !strcasecmp(ext, "markdown") || !strcasecmp(ext, "mdown") ||
        !strcasecmp(ext, "mkd"))
        return CA_FORMAT_MARKDOWN;
    if (!strcasecmp(ext, "txt") || !strcasecmp(ext, "text"))
        return CA_FORMAT_TEXT;
    return CA_FORMAT_UNKNOWN;
}

/* Case-insensitive search for needle in the first n bytes of hay. */
static const char *find_ci(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle), i;

    for (i = 0; i + m <= n; i++) {
        if (strncasecmp(hay + i, needle, m) == 0)
            return hay + i;
    }
    return NULL;
}

static int sniff_html(const char *data, size_t len)
{
    size_t n = len < 4096 ? len : 4096, i = 0;
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<meta ",
                                       "<title", "<article", "<div", "<p>", "<a href"};
    size_t t;

    if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && isspace((unsigned char)data[i]))
        i++;
    if (i < n && data[i] == '<') {
        for (t = 0; t < sizeof tags / sizeof tags[0]; t++) {
            if (strncasecmp(data + i, tags[t], strlen(tags[t])) == 0)
                return 1;
        }
    }
    return find_ci(data, n, "<html") || find_ci(data, n, "<!doctype html") ||
           find_ci(data, n, "<body");
}

/* Markdown syntax: inline links, reference definitions, ATX headings, fences. */
static int sniff_markdown(const char *data, size_t len)
{
    size_t n = len < 16384 ? len : 16384, i;
    int score = 0;

    for (i = 0; i < n; i++) {
        int bol = i == 0 || data[i - 1] == '\n';

        if (data[i] == ']' && i + 1 < n && data[i + 1] == '(')
            score += 2;
        else if (bol && data[i] == '#' && i + 1 < n && (data[i + 1] == ' ' || data[i + 1] == '#'))
            score++;
        else if (bol && i + 3 <= n && !memcmp(data + i, "```", 3))
            score += 2;
        else if (bol && data[i] == '[' && memchr(data + i, ']', n - i) &&
                 strstr(data + i, "]:") == memchr(data + i, ']', n - i))
            score += 2;
    }
    return score >= 2;
}

ca_format ca_extract_sniff(const char *name_hint, const char *data, size_t len)
{
    ca_format byname = ca__format_from_name(name_hint);

    if (looks_binary(data, len))
        return CA_FORMAT_UNKNOWN;
    /* A .txt that is really a saved web page, or an .html that is plain text,
     * is read as what its bytes are. */
    if (sniff_html(data, len))
        return byname == CA_FORMAT_MARKDOWN ? CA_FORMAT_MARKDOWN : CA_FORMAT_HTML;
    if (byname == CA_FORMAT_HTML)
        return CA_FORMAT_TEXT;
    if (byname != CA_FORMAT_UNKNOWN)
        return byname;
    return sniff_markdown(data, len) ? CA_FORMAT_MARKDOWN : CA_FORMAT_TEXT;
}

/* Decode UTF-16 with a byte order mark into UTF-8 (lone surrogates -> U+FFFD). */
static ca_status utf16_to_utf8(const char *data, size_t len, ca_buf *out)
{
    const unsigned char *p = (const unsigned char *)data;
    int le = p[0] == 0xFF;
    size_t i;
    char enc[4];

    for (i = 2; i + 1 < len; i += 2) {
        unsigned cp = le ? (unsigned)(p[i] | p[i + 1] << 8) : (unsigned)(p[i] << 8 | p[i + 1]);
        size_t n;
        ca_status st;

        if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < len) {
            unsigned lo = le ? (unsigned)(p[i + 2] | p[i + 3] << 8)
                             : (unsigned)(p[i + 2] << 8 | p[i + 3]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD;
        if (cp < 0x80) {
            enc[0] = (char)cp, n = 1;
        } else if (cp < 0x800) {
            enc[0] = (char)(0xC0 | cp >> 6), enc[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
        } else if (cp < 0x10000) {
            enc[0] = (char)(0xE0 | cp >> 12), enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            enc[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
        } else {
            enc[0] = (char)(0xF0 | cp >> 18), enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), enc[3] = (char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        st = ca_buf_append(out, enc, n);
        if (st != CA_OK)
            return st;
    }
    return CA_OK;
}

/* Nonzero when two URLs have the same identity. */
static int same_identity(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Normalised identity of url (caller frees), NULL when it has none. */
static char *identity(const char *url)
{
    ca_url u;
    char *id = NULL;

    if (!url || ca_url_normalize(url, NULL, &u, NULL) != CA_OK)
        return NULL;
    if (u.kind == CA_URL_HTTP) {
        id = u.url;
        u.url = NULL;
    }
    ca_url_release(&u);
    return id;
}

/* Drop the citations of the document's own URLs (metadata, not sources). */
static void drop_self_citations(ca_doc *doc, const char *const self[], size_t nself)
{
    char *ids[4] = {0};
    size_t i, j, k = 0, n = nself < 4 ? nself : 4;

    for (i = 0; i < n; i++)
        ids[i] = identity(self[i]);
    for (i = 0; i < doc->ncites; i++) {
        ca_citation *c = &doc->cites[i];
        int self_link = 0;

        for (j = 0; j < n && !self_link; j++)
            self_link = same_identity(c->url, ids[j]);
        if (self_link) {
            ca__citation_release(c);
            continue;
        }
        doc->cites[k++] = *c;
    }
    doc->ncites = k;
    for (i = 0; i < n; i++)
        free(ids[i]);
}

static int is_http_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

/* Settle url, outlet, title and date in the documented order. */
static ca_status settle_metadata(ca_doc *doc, ca__meta *meta, const ca_manifest_entry *me,
                                 const char *base_url)
{
    const char *url = NULL, *self[4];
    ca_status st;

    if (me && me->url)
        url = me->url;
    else if (meta->url)
        url = meta->url;
    else if (meta->marker_url)
        url = meta->marker_url;
    else if (base_url)
        url = base_url;
    st = ca_doc_set_str(&doc->url, url);
    if (st == CA_OK && !doc->title && meta->title)
        st = ca_doc_set_str(&doc->title, meta->title);
    if (st == CA_OK)
        st = ca_doc_set_str(&doc->published, me && me->published ? me->published
                                                                 : meta->published);
    if (st != CA_OK)
        return st;
    if (me && me->outlet) {
        free(doc->outlet);
        doc->outlet = ca_source_host_key(me->outlet);
    } else if (doc->url && is_http_url(doc->url)) {
        char *key = NULL;

        st = ca_source_key(doc->url, &key, NULL);
        free(doc->outlet);
        doc->outlet = key;
    }
    self[0] = doc->url;
    self[1] = meta->url;
    self[2] = meta->marker_url;
    self[3] = base_url;
    drop_self_citations(doc, self, 4);
    return st;
}

/* The URL relative references resolve against before the page says more. */
static const char *initial_base(const char *origin, const ca_extract_opts *opts,
                                const ca_manifest_entry *me)
{
    if (opts->base_url)
        return opts->base_url;
    if (me && me->url)
        return me->url;
    if (is_http_url(origin))
        return origin;
    return NULL;
}

static ca_status run_extractor(ca_doc *doc, ca__meta *meta, const char *text, size_t len,
                               const char *base, ca_error *err)
{
    switch (doc->format) {
    case CA_FORMAT_HTML:
        return ca__extract_html(doc, meta, text, len, base, err);
    case CA_FORMAT_MARKDOWN:
        return ca__extract_md(doc, meta, text, len, base, err);
    case CA_FORMAT_TEXT:
    case CA_FORMAT_UNKNOWN:
        break;
    }
    return ca__extract_text(doc, meta, text, len, base, err);
}

/*
 * terminated: data[len] is readable and NUL, so valid UTF-8 can be handed to
 * the extractor as it is.
 */
static ca_status extract_mem(const char *origin, const char *name_hint, const char *data,
                             size_t len, int terminated, const ca_extract_opts *opts,
                             ca_doc **ret_doc, ca_error *err)
{
    ca_extract_opts defaults;
    const ca_manifest_entry *me;
    ca__meta meta = {0};
    ca_doc *doc = NULL;
    ca_buf u16;
    char *text = NULL;
    const char *src;
    size_t tlen = 0, bad = 0;
    ca_status st;

    if (!opts) {
        ca_extract_opts_init(&defaults);
        opts = &defaults;
    }
    ca_buf_init(&u16, (opts->max_bytes ? opts->max_bytes : CA_EXTRACT_DEFAULT_MAX_BYTES) * 2);
    me = ca_manifest_find(opts->manifest, origin);
    doc = ca_doc_create(origin);
    if (!doc) {
        st = ca_error_set(err, CA_NOMEM, "out of memory reading '%s'", origin);
        goto fail;
    }
    doc->max_links = opts->max_links;
    doc->format = opts->force_format ? opts->force_format
                                     : ca_extract_sniff(name_hint ? name_hint : origin, data, len);
    if (doc->format == CA_FORMAT_UNKNOWN) {
        st = ca_error_set(err, CA_BINARY,
                          "'%s' looks like a binary file, not an article (HTML, Markdown or "
                          "text); skipped",
                          origin);
        goto fail;
    }
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
        st = utf16_to_utf8(data, len, &u16);
        if (st != CA_OK) {
            ca_error_set(err, st, "cannot decode UTF-16 input '%s': %s", origin, ca_strerror(st));
            goto fail;
        }
        data = u16.data ? u16.data : "";
        len = u16.len;
        terminated = 1;
    }
    /* Most inputs are valid UTF-8 and NUL-terminated already: no copy. */
    if (terminated && data[len] == '\0' && ca__utf8_valid_prefix(data, len) == len) {
        src = data;
        tlen = len;
    } else {
        st = (ca_status)ca__utf8_repair(data, len, &text, &tlen, &bad);
        if (st != CA_OK) {
            ca_error_set(err, st, "cannot read '%s': %s", origin, ca_strerror(st));
            goto fail;
        }
        src = text;
    }
    if (bad)
        ca_doc_warn(doc, "%s: %zu invalid UTF-8 byte%s replaced with U+FFFD", origin, bad,
                    bad == 1 ? "" : "s");
    st = run_extractor(doc, &meta, src, tlen, initial_base(origin, opts, me), err);
    if (st != CA_OK)
        goto fail;
    st = settle_metadata(doc, &meta, me, opts->base_url);
    if (st != CA_OK) {
        ca_error_set(err, st, "out of memory reading '%s'", origin);
        goto fail;
    }
    if (doc->links_dropped)
        ca_doc_warn(doc,
                    "%s: more than %zu links; kept the first %zu and dropped %zu "
                    "(raise the cap with --max-links)",
                    origin, doc->max_links, doc->max_links, doc->links_dropped);
    free(text);
    ca_buf_release(&u16);
    ca__meta_release(&meta);
    *ret_doc = doc;
    return CA_OK;
fail:
    free(text);
    ca_buf_release(&u16);
    ca__meta_release(&meta);
    ca_doc_destroy(doc);
    return st;
}

ca_status ca_extract_mem(const char *origin, const char *name_hint, const char *data,
                         size_t len, const ca_extract_opts *opts, ca_doc **ret_doc,
                         ca_error *err)
{
    return extract_mem(origin, name_hint, data, len, 0, opts, ret_doc, err);
}

ca_status ca__read_file(const char *path, ca_buf *b, const char *what, const char *raise,
                        ca_error *err)
{
    char chunk[65536];
    struct stat sb;
    ssize_t n;
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    ca_status st = CA_OK;
    const char *shown = fd == 0 ? "standard input" : path;
    double max_mib = (double)b->max / (1024.0 * 1024.0);

    if (fd < 0)
        return ca_error_set(err, errno == ENOENT ? CA_NOTFOUND : CA_IO,
                            "cannot open %s '%s': %s", what, path, strerror(errno));
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        st = ca_error_set(err, CA_IO, "%s '%s' is a directory", what, path);
        goto done;
    }
    /* A regular file says its size: refuse before reading a byte. */
    if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > b->max) {
        st = ca_error_set(err, CA_TOOBIG, "%s '%s' is %.1f MiB, over the %.1f MiB limit%s",
                          what, path, (double)sb.st_size / (1024.0 * 1024.0), max_mib, raise);
        goto done;
    }
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            st = ca_error_set(err, CA_IO, "cannot read %s '%s': %s", what, shown,
                              strerror(errno));
            goto done;
        }
        st = ca_buf_append(b, chunk, (size_t)n);
        if (st == CA_TOOBIG) {
            ca_error_set(err, st, "%s '%s' is over the %.1f MiB limit%s", what, shown, max_mib,
                         raise);
            goto done;
        }
        if (st != CA_OK) {
            ca_error_set(err, st, "cannot read %s '%s': %s", what, shown, ca_strerror(st));
            goto done;
        }
    }
done:
    if (fd > 0)
        close(fd);
    return st;
}

ca_status ca_extract_file(const char *path, const ca_extract_opts *opts, ca_doc **ret_doc,
                          ca_error *err)
{
    ca_extract_opts defaults;
    ca_buf b;
    ca_status st;

    if (!opts) {
        ca_extract_opts_init(&defaults);
        opts = &defaults;
    }
    ca_buf_init(&b, opts->max_bytes ? opts->max_bytes : CA_EXTRACT_DEFAULT_MAX_BYTES);
    st = ca__read_file(path, &b, "document",
                       " per document; raise it with --max-size or split the file", err);
    if (st == CA_OK)
        st = extract_mem(path, path, b.data ? b.data : "", b.len, 1, opts, ret_doc, err);
    ca_buf_release(&b);
    return st;
}
