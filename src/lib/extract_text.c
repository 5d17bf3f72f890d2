/*
 * extract_text.c - the citations of a plain-text document, and its text.
 *
 * Plain text has no markup to say where a link is, so this file looks for
 * what a reader recognises as one: http(s):// URLs, "www." hosts, and the
 * bare "t.me/name" forms of the platforms where sources post. Most plain
 * text reaches us copied out of PDFs and e-mails, hard-wrapped at a fixed
 * width with long URLs broken across two lines. So the file first measures
 * the document's wrap width, then rejoins a URL whose line ends at that
 * width (or at a mark no URL ends with) when the next line goes on with URL
 * characters, and rebuilds the wrapped paragraphs of doc->text the same
 * way. Three passes, each linear: measure the width, scan for URLs, build
 * the text and take each citation's sentence from it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "citeaudit/buf.h"
#include "extract_int.h"
#include "strutil.h"

/* Lines shorter than this (headings, list items, signatures) say nothing
 * about the width the text was wrapped at. */
#define WRAP_MIN_LINE 20
/* Lines longer than this were not wrapped by anyone. */
#define WRAP_MAX_WIDTH 1000
/* Longest line taken for a title guess, in bytes. */
#define TITLE_MAX 200

/*
 * One line of the input: [start, eol) its bytes without the "\r\n",
 * [cs, ce) the same without leading and trailing blanks, next the offset of
 * the following line (len at the end).
 */
typedef struct line {
    size_t start, cs, ce, eol, next;
} line;

/* Where a URL was found, in the input and later in doc->text. */
typedef struct span {
    size_t start, end;   /* raw offsets, end exclusive */
    size_t tstart, tend; /* the same in doc->text */
} span;

enum form { FORM_SCHEME, FORM_WWW, FORM_BARE };

typedef struct scanner {
    ca_doc *doc;
    ca__meta *meta;
    const char *d;
    size_t len;
    size_t begin; /* first byte after a byte order mark */
    const char *base;
    ca_error *err;
    size_t wrap; /* wrap width in characters, 0 when not hard-wrapped */
    ca__linemap lm;
    ca_buf url;   /* the URL being assembled, maybe from several lines */
    size_t first; /* index in doc->cites of the first citation added here */
    span *spans;  /* one per citation added, in order */
    size_t nspans, spans_cap;
    size_t *joins; /* starts of lines that continue a URL of the line before */
    size_t njoins, joins_cap;
    size_t marker_at; /* where the URL of an "Original url:" marker starts */
    int marker_next;  /* a marker with nothing after it: the next line has it */
} scanner;

/* Bare platform hosts: there a "host/path" in prose is a link to a source. */
static const char *const platforms[] = {
    "t.me/",          "telegram.me/",   "x.com/",      "twitter.com/",  "mobile.twitter.com/",
    "youtube.com/",   "m.youtube.com/", "youtu.be/",   "facebook.com/", "m.facebook.com/",
    "instagram.com/", "tiktok.com/",    "github.com/", "vk.com/",       "m.vk.com/",
};

/* Labels of a line that gives the document's own URL. */
static const char *const markers[] = {
    "original url:", "source url:", "canonical url:", "canonical:", "url:",
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void line_at(const char *d, size_t len, size_t off, line *ln)
{
    const char *nl = memchr(d + off, '\n', len - off);
    size_t end = nl ? (size_t)(nl - d) : len;

    ln->start = ln->cs = off;
    ln->next = nl ? end + 1 : len;
    ln->eol = end > off && d[end - 1] == '\r' ? end - 1 : end;
    while (ln->cs < ln->eol && is_blank(d[ln->cs]))
        ln->cs++;
    ln->ce = ln->eol;
    while (ln->ce > ln->cs && (is_blank(d[ln->ce - 1]) || d[ln->ce - 1] == '\r'))
        ln->ce--;
}

/* Characters (not bytes: wrappers count characters) in d[from, to). */
static size_t nchars(const char *d, size_t from, size_t to)
{
    size_t n = 0;

    for (; from < to; from++)
        n += ((unsigned char)d[from] & 0xC0) != 0x80;
    return n;
}

static size_t width(const char *d, const line *ln)
{
    return nchars(d, ln->start, ln->ce);
}

/* How far short of the wrap width a wrapped line may stop: proportional
 * fonts in PDFs fit more narrow letters on a line than wide ones. */
static size_t slack(size_t wrap)
{
    return wrap / 10 > 3 ? wrap / 10 : 3;
}

/*
 * The width the text was hard-wrapped at, 0 when it was not. Lines inside
 * paragraphs (followed by a non-empty line) of a wrapped text crowd just
 * under the width: take a high percentile of their lengths, then accept it
 * only when most of those lines lie within 30% under it. Text written one
 * paragraph a line spreads far wider and is left alone.
 */
static size_t wrap_width(const char *d, size_t len, size_t off)
{
    size_t hist[WRAP_MAX_WIDTH + 1] = {0};
    size_t n = 0, prev = 0, seen = 0, near = 0, w, i;
    line ln;

    while (off < len) {
        line_at(d, len, off, &ln);
        off = ln.next;
        w = ln.cs == ln.ce ? 0 : width(d, &ln);
        if (w && prev >= WRAP_MIN_LINE) {
            hist[prev < WRAP_MAX_WIDTH ? prev : WRAP_MAX_WIDTH]++;
            n++;
        }
        prev = w;
    }
    if (n < 4)
        return 0;
    for (w = 0; w < WRAP_MAX_WIDTH; w++) {
        seen += hist[w];
        if (seen * 10 >= n * 9)
            break;
    }
    if (w >= WRAP_MAX_WIDTH)
        return 0;
    for (i = w - w * 3 / 10; i <= w; i++)
        near += hist[i];
    return near * 10 >= n * 6 ? w : 0;
}

/*
 * Nonzero when the character at d[i] (before end) can be part of a URL.
 * Whitespace, quotes (straight, curly, guillemets), angle brackets and the
 * Unicode punctuation blocks end one; other non-ASCII letters do not, so
 * IRIs with Cyrillic or CJK paths survive. Works byte by byte: every stop
 * sequence starts with a lead byte.
 */
static int url_char(const char *d, size_t i, size_t end)
{
    const unsigned char *p = (const unsigned char *)d + i;
    size_t left = end - i;

    if (p[0] < 0x80)
        return p[0] > 0x20 && p[0] != 0x7F && !memchr("\"'<>`\\^|", p[0], 8);
    if (p[0] == 0xC2) /* U+0080-U+00BF: controls, no-break space, soft hyphen, << >> */
        return 0;
    if (left < 3)
        return 1;
    if (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) /* U+2000-U+207F: spaces, quotes, ... */
        return 0;
    if (p[0] == 0xE3 && p[1] == 0x80) /* U+3000-U+303F: ideographic space and punctuation */
        return 0;
    if (p[0] == 0xEF && ((p[1] == 0xBB && p[2] == 0xBF) || (p[1] == 0xBF && p[2] == 0xBD)))
        return 0; /* byte order mark, replacement character */
    if (p[0] == 0xEF && p[1] == 0xBC && (p[2] <= 0x8F || (p[2] >= 0x9A && p[2] <= 0xA0)))
        return 0; /* full-width punctuation */
    return 1;
}

static size_t run_end(const char *d, size_t i, size_t end)
{
    while (i < end && url_char(d, i, end))
        i++;
    return i;
}

static int host_char(const char *d, size_t i, size_t end)
{
    return is_alnum(d[i]) || ((unsigned char)d[i] >= 0x80 && url_char(d, i, end));
}

/* Nonzero when the byte before i continues a word, so no URL starts at i:
 * "user@www.example.com" and "foo.t.me/x" are not links. A scheme is only
 * kept from starting inside a word ("xhttp://"); "end.https://" glued by a
 * lost newline still is a URL. */
static int mid_word(const char *d, size_t i, int scheme)
{
    char c;

    if (i == 0)
        return 0;
    c = d[i - 1];
    if (is_alnum(c))
        return 1;
    return !scheme && c && strchr("@.-_/%+~\\", c) != NULL;
}

/* "www." must lead a host with one more dot: "www.example.com". */
static int www_host(const char *d, size_t i, size_t end)
{
    if (i >= end || !host_char(d, i, end))
        return 0;
    for (; i + 1 < end && (host_char(d, i, end) || d[i] == '-' || d[i] == '.'); i++) {
        if (d[i] == '.' && host_char(d, i + 1, end))
            return 1;
    }
    return 0;
}

/* A bare platform form needs a path: "t.me/" alone cites nobody. */
static int path_start(const char *d, size_t i, size_t end)
{
    return i < end && url_char(d, i, end) && !strchr(".,;:!?)]}", d[i]);
}

/* Length of the prefix of a URL starting at d[i] ("https://", "www.",
 * "t.me/"), with its form in *ret_form; 0 when no URL starts there. */
static size_t url_prefix(const char *d, size_t i, size_t end, enum form *ret_form)
{
    size_t left = end - i, k, n;
    char c = (char)(d[i] | 0x20);

    if (c == 'h') {
        n = left > 8 && !strncasecmp(d + i, "https://", 8)  ? 8
            : left > 7 && !strncasecmp(d + i, "http://", 7) ? 7
                                                            : 0;
        if (!n || mid_word(d, i, 1) || !(host_char(d, i + n, end) || d[i + n] == '['))
            return 0;
        *ret_form = FORM_SCHEME;
        return n;
    }
    if (mid_word(d, i, 0))
        return 0;
    if (c == 'w' && left > 4 && !strncasecmp(d + i, "www.", 4) && www_host(d, i + 4, end)) {
        *ret_form = FORM_WWW;
        return 4;
    }
    for (k = 0; k < sizeof platforms / sizeof platforms[0]; k++) {
        n = strlen(platforms[k]);
        if (c == platforms[k][0] && left > n && !strncasecmp(d + i, platforms[k], n) &&
            path_start(d, i + n, end)) {
            *ret_form = FORM_BARE;
            return n;
        }
    }
    return 0;
}

/*
 * Length of the URL u[0..n) without what the sentence around it added:
 * trailing punctuation, and closing brackets that close nothing inside the
 * URL, so "(see https://en.wikipedia.org/wiki/Foo_(bar))." keeps "_(bar)".
 * Never shorter than min.
 */
static size_t trim_end(const char *u, size_t n, size_t min)
{
    static const char open[] = "([{", close[] = ")]}";
    long bal[3] = {0, 0, 0};
    const char *k;
    size_t i;

    for (i = 0; i < n; i++) {
        if (u[i] && (k = strchr(open, u[i])) != NULL)
            bal[k - open]++;
        else if (u[i] && (k = strchr(close, u[i])) != NULL)
            bal[k - close]--;
    }
    while (n > min) {
        char c = u[n - 1];

        k = c ? strchr(close, c) : NULL;
        if (c && strchr(".,;:!?", c))
            n--;
        else if (k && bal[k - close] < 0)
            bal[k - close]++, n--;
        else
            break;
    }
    return n;
}

/* Marks a URL does not end with: at the end of a line they say the wrapper
 * cut it there. */
static int cut_mark(char c)
{
    return c == '-' || c == '_' || c == '=' || c == '&' || c == '%';
}

/*
 * Nonzero when t[0..n), the start of the next line, reads as the rest of a
 * URL rather than prose: it holds a digit or URL punctuation, or it is the
 * extension a URL cut after its dot ("page." + "html") lacks. A plain word
 * after a URL that fills a line is the next word of the sentence.
 */
static int url_material(const char *t, size_t n, char before)
{
    static const char *const exts[] = {"html", "htm", "shtml", "php", "asp", "aspx", "jsp", "pdf"};
    size_t i;

    n = trim_end(t, n, 0);
    for (i = 0; i < n; i++) {
        if (is_digit(t[i]) || strchr("-_~/%?=&#+.@:", t[i]))
            return 1;
    }
    for (i = 0; before == '.' && i < sizeof exts / sizeof exts[0]; i++) {
        if (strlen(exts[i]) == n && !strncasecmp(t, exts[i], n))
            return 1;
    }
    return 0;
}

/* "12." or "3)" followed by a blank: a numbered list item, not a URL part. */
static int numbered_item(const char *d, size_t from, size_t to, size_t eol)
{
    size_t i = from;

    while (i < to && is_digit(d[i]))
        i++;
    return i > from && i + 1 == to && (d[i] == '.' || d[i] == ')') &&
           (to == eol || is_blank(d[to]));
}

/*
 * Whether the URL that runs to the end of line ln (its run ends at end,
 * before a soft hyphen when soft) goes on at the start of line nx; its part
 * there is [*ret_from, *ret_end). Inside "<...>" a URL goes on until the
 * '>' (RFC 3986, appendix C). Otherwise the line must end at the wrap width
 * or on a cut mark, and the next line must start flush with URL characters
 * that do not start a URL of their own.
 */
static int continues(const scanner *s, const line *ln, size_t end, int soft, int angle,
                     const line *nx, size_t *ret_from, size_t *ret_end)
{
    const char *d = s->d;
    size_t from = nx->cs, e;
    enum form f;

    if (nx->cs == nx->ce || (!angle && nx->cs != nx->start))
        return 0; /* blank, or indented: a new paragraph, a quote */
    e = run_end(d, from, nx->eol);
    if (e - from < (angle ? 1u : 2u) || url_prefix(d, from, nx->eol, &f) ||
        numbered_item(d, from, e, nx->eol))
        return 0;
    if (!is_alnum(d[from]) && (unsigned char)d[from] < 0x80 && !strchr("-_~/%?=&#+.", d[from]))
        return 0;
    if (angle) {
        if (e != nx->eol && d[e] != '>')
            return 0;
    } else if (!soft && !cut_mark(d[end - 1])) {
        if (!s->wrap || width(d, ln) + slack(s->wrap) < s->wrap ||
            !url_material(d + from, e - from, d[end - 1]))
            return 0;
    }
    *ret_from = from;
    *ret_end = e;
    return 1;
}

/* arr (*cap elements of sz bytes, n of them used) with room for one more;
 * NULL when memory runs out, arr left as it was. */
static void *grow(void *arr, size_t n, size_t *cap, size_t sz)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p;

    if (n < *cap)
        return arr;
    p = realloc(arr, ncap * sz);
    if (p)
        *cap = ncap;
    return p;
}

static ca_status push_join(scanner *s, size_t at)
{
    size_t *p = grow(s->joins, s->njoins, &s->joins_cap, sizeof *p);

    if (!p)
        return CA_NOMEM;
    s->joins = p;
    s->joins[s->njoins++] = at;
    return CA_OK;
}

static ca_status push_span(scanner *s, size_t start, size_t end)
{
    span *p = grow(s->spans, s->nspans, &s->spans_cap, sizeof *p);

    if (!p)
        return CA_NOMEM;
    s->spans = p;
    s->spans[s->nspans++] = (span){start, end, 0, 0};
    return CA_OK;
}

/*
 * Add the URL in s->url (its first plen bytes a scheme this file added) as
 * a citation found at d[start, end). A marker's URL becomes the marker URL
 * even past the link cap: it names the document, it is not a citation.
 */
static ca_status add_citation(scanner *s, size_t plen, size_t start, size_t end)
{
    const char *abs = s->url.data;
    ca_citation *c;
    ca_status st;

    if (start == s->marker_at && !s->meta->marker_url) {
        s->meta->marker_url = strdup(abs);
        if (!s->meta->marker_url)
            return CA_NOMEM;
    }
    st = ca_doc_add_citation(s->doc, &c);
    if (st != CA_OK)
        return st;
    c->kind = CA_KIND_LINK;
    c->region = CA_REGION_BODY;
    ca__linemap_pos(&s->lm, start, &c->line, &c->col);
    st = ca_citation_set_href(c, abs, s->base, s->err);
    if (st == CA_OK && plen) /* the reference stays as the document wrote it */
        st = ca_doc_set_str(&c->href, abs + plen);
    if (st == CA_OK)
        st = push_span(s, start, end);
    return st;
}

/*
 * Take the URL whose prefix (plen bytes, form f) starts at d[start] in line
 * *ln: follow it across hard wraps (*ln then is the line it ends in), trim
 * it, add it. *ret_resume is where scanning goes on.
 */
static ca_status take_url(scanner *s, line *ln, size_t start, size_t plen, enum form f,
                          size_t *ret_resume)
{
    const char *d = s->d;
    const char *scheme = f == FORM_WWW ? "http://" : f == FORM_BARE ? "https://" : "";
    size_t seg = start, end = run_end(d, start, ln->eol), njoins = s->njoins, pre, n, cut;
    int angle = start > 0 && d[start - 1] == '<';
    line first = *ln, nx;
    ca_status st;

    ca_buf_reset(&s->url);
    st = ca_buf_puts(&s->url, scheme);
    pre = s->url.len;
    for (;;) {
        int soft = end + 2 == ln->eol && (unsigned char)d[end] == 0xC2 &&
                   (unsigned char)d[end + 1] == 0xAD;

        if (st == CA_OK)
            st = ca_buf_append(&s->url, d + seg, end - seg);
        if (st != CA_OK)
            return st;
        if ((end != ln->eol && !soft) || ln->next >= s->len)
            break;
        line_at(d, s->len, ln->next, &nx);
        if (!continues(s, ln, end, soft, angle, &nx, &seg, &end))
            break;
        st = push_join(s, nx.start);
        *ln = nx;
    }
    *ret_resume = end;
    n = trim_end(s->url.data + pre, s->url.len - pre, plen);
    if (f == FORM_WWW ? !www_host(s->url.data + pre, plen, n) : n <= plen) {
        s->njoins = njoins; /* trimmed, no URL is left: undo its joins */
        *ln = first;
        *ret_resume = start + plen;
        return CA_OK;
    }
    cut = s->url.len - pre - n;
    ca_buf_truncate(&s->url, pre + n);
    return add_citation(s, pre, start, cut <= end - seg ? end - cut : seg);
}

/* A line "Original url: ..." names the document: note where its URL starts
 * (after the label, or on the next non-empty line, maybe inside "<...>").
 * Returns where scanning of the line starts. */
static size_t check_marker(scanner *s, const line *ln)
{
    size_t k, n, i;

    if (ln->cs == ln->ce)
        return ln->cs;
    if (s->marker_next) {
        s->marker_at = ln->cs + (s->d[ln->cs] == '<');
        s->marker_next = 0;
    }
    for (k = 0; k < sizeof markers / sizeof markers[0]; k++) {
        n = strlen(markers[k]);
        if (ln->ce - ln->cs < n || strncasecmp(s->d + ln->cs, markers[k], n) != 0)
            continue;
        i = ln->cs + n;
        while (i < ln->ce && is_blank(s->d[i]))
            i++;
        if (i < ln->ce)
            s->marker_at = i + (s->d[i] == '<');
        else
            s->marker_next = 1;
        return i;
    }
    return ln->cs;
}

/* Pass 2: every URL of the text, line by line. */
static ca_status scan(scanner *s)
{
    size_t off = s->begin, i, plen;
    enum form f;
    line ln;
    ca_status st;

    while (off < s->len) {
        line_at(s->d, s->len, off, &ln);
        for (i = check_marker(s, &ln); i < ln.ce;) {
            plen = url_prefix(s->d, i, ln.eol, &f);
            if (!plen) {
                i++;
                continue;
            }
            st = take_url(s, &ln, i, plen, f, &i);
            /* Past the link cap, go on counting what is dropped. */
            if (st != CA_OK && st != CA_LIMIT)
                return st;
        }
        off = ln.next;
    }
    return CA_OK;
}

/* Nonzero when a line starts a list item: "- ", "* ", "+ ", bullet, "1. ". */
static int list_item(const char *d, const line *ln)
{
    size_t i = ln->cs;

    if (ln->ce - i >= 2 && strchr("-*+", d[i]) && is_blank(d[i + 1]))
        return 1;
    if (ln->ce - i >= 3 && !memcmp(d + i, "\xE2\x80\xA2", 3))
        return 1;
    while (i < ln->ce && is_digit(d[i]))
        i++;
    return i > ln->cs && i + 1 < ln->ce && (d[i] == '.' || d[i] == ')') && is_blank(d[i + 1]);
}

/* Nonzero when a line starts with a URL; with whole, when it holds nothing else. */
static int url_line(const char *d, const line *ln, int whole)
{
    enum form f;

    return url_prefix(d, ln->cs, ln->ce, &f) && (!whole || run_end(d, ln->cs, ln->ce) == ln->ce);
}

/* Characters of the first word of a line. */
static size_t first_word(const char *d, const line *ln)
{
    size_t i = ln->cs;

    while (i < ln->ce && !is_blank(d[i]))
        i++;
    return nchars(d, ln->cs, i);
}

/*
 * What goes between the previous non-empty line (pw characters wide, only
 * a URL when url_before) and ln in doc->text: nothing where a URL was
 * rejoined, a space where the wrapper broke a paragraph (the first word of
 * ln would not have fitted on the line before), else a paragraph break. A
 * list of links, one a line, stays a list.
 */
static const char *separator(scanner *s, const line *ln, size_t pw, int blank_before,
                             int url_before, size_t *j)
{
    while (*j < s->njoins && s->joins[*j] < ln->start)
        (*j)++;
    if (*j < s->njoins && s->joins[*j] == ln->start)
        return "";
    if (blank_before || !s->wrap || list_item(s->d, ln) || (url_before && url_line(s->d, ln, 1)))
        return "\n\n";
    return pw + 1 + first_word(s->d, ln) + slack(s->wrap) > s->wrap ? " " : "\n\n";
}

/* Translate the raw positions of the spans that fall in ln (copied to the
 * text at tl) into text positions. */
static void map_spans(scanner *s, const line *ln, size_t tl, size_t *ks, size_t *ke)
{
    for (; *ks < s->nspans && s->spans[*ks].start <= ln->ce; (*ks)++) {
        size_t a = s->spans[*ks].start < ln->cs ? ln->cs : s->spans[*ks].start;

        s->spans[*ks].tstart = tl + (a - ln->cs);
    }
    for (; *ke < s->nspans && s->spans[*ke].end <= ln->ce; (*ke)++) {
        size_t e = s->spans[*ke].end < ln->cs ? ln->cs : s->spans[*ke].end;

        s->spans[*ke].tend = tl + (e - ln->cs);
    }
}

/* Pass 3: the text with wrapped paragraphs and URLs joined back. */
static ca_status build_text(scanner *s, ca_buf *out)
{
    size_t off = s->begin, j = 0, ks = 0, ke = 0, pw = 0, tl;
    int blank_before = 0, url_before = 0;
    ca_status st = CA_OK;
    line ln;

    while (off < s->len && st == CA_OK) {
        line_at(s->d, s->len, off, &ln);
        off = ln.next;
        if (ln.cs == ln.ce) {
            blank_before = 1;
            continue;
        }
        if (out->len)
            st = ca_buf_puts(out, separator(s, &ln, pw, blank_before, url_before, &j));
        tl = out->len;
        if (st == CA_OK)
            st = ca_buf_append(out, s->d + ln.cs, ln.ce - ln.cs);
        map_spans(s, &ln, tl, &ks, &ke);
        pw = width(s->d, &ln);
        url_before = url_line(s->d, &ln, 1);
        blank_before = 0;
    }
    return st;
}

static ca_status set_contexts(scanner *s, const char *t, size_t n)
{
    size_t k;

    for (k = 0; k < s->nspans && s->first + k < s->doc->ncites; k++) {
        span *sp = &s->spans[k];
        ca_citation *c = &s->doc->cites[s->first + k];

        if (sp->tstart > n || sp->tend < sp->tstart || sp->tend > n)
            continue; /* cannot happen; never cut out of bounds if it does */
        c->context = ca__sentence_around(t, n, sp->tstart, sp->tend, CA__CONTEXT_MAX);
        c->text_pos = sp->tstart;
        if (!c->context)
            return CA_NOMEM;
    }
    return CA_OK;
}

/* The end of d[from, e) without the closing quotes and brackets after it. */
static size_t before_closers(const char *d, size_t from, size_t e)
{
    for (;;) {
        if (e > from && d[e - 1] && strchr("\"')", d[e - 1]))
            e--;
        else if (e - from >= 3 &&
                 (!memcmp(d + e - 3, "\xE2\x80\x9D", 3) || !memcmp(d + e - 3, "\xE2\x80\x99", 3)))
            e -= 3; /* right double and single quotation marks */
        else if (e - from >= 2 && !memcmp(d + e - 2, "\xC2\xBB", 2))
            e -= 2; /* right guillemet */
        else
            return e;
    }
}

/*
 * The first non-empty line as the title, when it stands alone (a blank line
 * or the end after it), is short, has three words or more, is no URL and
 * does not end like a sentence. Kept conservative: no title beats a wrong one.
 */
static ca_status guess_title(scanner *s)
{
    const char *d = s->d;
    size_t off = s->begin, e, words = 1, i;
    line ln = {0}, nx;

    for (; off < s->len; off = ln.next) {
        line_at(d, s->len, off, &ln);
        if (ln.cs < ln.ce)
            break;
    }
    if (ln.cs == ln.ce || ln.ce - ln.cs > TITLE_MAX || list_item(d, &ln))
        return CA_OK;
    if (ln.next < s->len) {
        line_at(d, s->len, ln.next, &nx);
        if (nx.cs < nx.ce)
            return CA_OK;
    }
    for (i = ln.cs; i + 1 < ln.ce; i++)
        words += is_blank(d[i]) && !is_blank(d[i + 1]);
    e = before_closers(d, ln.cs, ln.ce);
    if (words < 3 || e == ln.cs || strchr(".,;:", d[e - 1]) || url_line(d, &ln, 0))
        return CA_OK;
    s->meta->title = ca__strndup(d + ln.cs, ln.ce - ln.cs);
    return s->meta->title ? CA_OK : CA_NOMEM;
}

ca_status ca__extract_text(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                           const char *base_url, ca_error *err)
{
    scanner s = {0};
    ca_buf text;
    ca_status st;

    s.doc = doc;
    s.meta = meta;
    s.d = data;
    s.len = len;
    s.begin = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    s.base = base_url;
    s.err = err;
    s.first = doc->ncites;
    s.marker_at = SIZE_MAX;
    ca__linemap_init(&s.lm, data, len);
    ca_buf_init(&s.url, len + 16);
    ca_buf_init(&text, len * 2 + 16);
    s.wrap = wrap_width(data, len, s.begin);
    st = scan(&s);
    if (st == CA_OK)
        st = build_text(&s, &text);
    if (st == CA_OK)
        st = set_contexts(&s, text.data ? text.data : "", text.len);
    if (st == CA_OK && !meta->title)
        st = guess_title(&s);
    if (st != CA_OK)
        goto fail;
    free(doc->text);
    doc->text = ca_buf_steal(&text);
    if (!doc->text) {
        st = CA_NOMEM;
        goto fail;
    }
    st = CA_OK;
fail:
    if (st != CA_OK)
        ca_error_set(err, st, "out of memory extracting links from '%s'", doc->origin);
    ca_buf_release(&text);
    ca_buf_release(&s.url);
    free(s.spans);
    free(s.joins);
    return st;
}
