/*
 * extract_md.c - the citations of a Markdown document, and its text.
 *
 * md4c parses (CommonMark with tables, strikethrough and the permissive URL
 * and www autolinks); this file listens to its callbacks. Links and images
 * become citations with their anchor text. Nothing inside code spans or
 * code blocks is a link and reference definitions count only where a link
 * uses them: md4c reports nothing else. md4c gives no source positions, but
 * the text it hands over points into the input, so a link is placed at the
 * '[' (or "![") before its first text, or at the URL itself for an
 * autolink. Raw HTML in the document contributes its href= and src=
 * attributes. The text of the blocks becomes doc->text, and each citation's
 * sentence is taken from there, free of Markdown syntax. md4c 0.4 is
 * quadratic over the bare URLs of one paragraph, so where a paragraph holds
 * thousands of them this file finds them in the text itself.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "citeaudit/buf.h"
#include "extract_int.h"
#include "strutil.h"

/* Links open at once that are followed (an image in a link in ...). */
#define MAX_DEPTH 16
/* Anchor text kept while a link is open, before it is cut to CA__TEXT_MAX. */
#define ANCHOR_MAX (64 * 1024)
#define NO_POS SIZE_MAX
/* Bare URLs in one paragraph beyond which md4c's detection is too slow. */
#define AUTOLINK_MAX 2000
/* Deeper bracket nesting is read as plain text (see bracket_depth()). */
#define MD_MAX_BRACKET_DEPTH 256

/* A link or image md4c has opened and not closed yet. */
typedef struct open_link {
    char *href; /* destination, references decoded */
    ca_kind kind;
    size_t lo;       /* the link starts at or after this input offset */
    size_t pos;      /* offset of its '[', "![" or URL; NO_POS until known */
    size_t close;    /* offset of the ']' of "](dest)", NO_POS when unknown */
    size_t dest_end; /* end of that destination in the input */
    size_t astart;   /* its anchor text in m->anchor from here */
    size_t tstart;   /* its place in doc->text */
    unsigned line, col;
} open_link;

/* A citation's place in doc->text, for its sentence. */
typedef struct text_span {
    size_t start, end;
} text_span;

typedef struct mdx {
    ca_doc *doc;
    ca__meta *meta;
    const char *d;
    size_t len;
    const char *base;
    ca_error *err;
    ca_status st; /* the first failure; parsing stops on it */
    ca__linemap lm;
    ca_buf text;       /* becomes doc->text */
    ca_buf anchor;     /* the text inside the open links */
    ca_buf title;      /* the text of the first H1 */
    int title_state;   /* 0 before the first H1, 1 inside it, 2 after */
    int in_code;       /* inside a code block: code is not prose */
    int own_autolinks; /* bare URLs are found here, not by md4c */
    size_t hint;       /* end of the last text md4c gave from the input */
    open_link stack[MAX_DEPTH];
    size_t depth;
    size_t untracked; /* links opened beyond MAX_DEPTH */
    text_span *spans; /* one per citation added */
    size_t nspans, spans_cap;
    size_t first; /* index in doc->cites of the first citation added here */
} mdx;

/* Nonzero when p[0..n) lies inside the input: md4c hands over pointers to
 * its own buffers too (decoded attributes, "\n" for soft breaks). */
static int in_input(const mdx *m, const char *p, size_t n)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)m->d;

    return p && a >= lo && a <= lo + m->len && n <= m->len - (a - lo);
}

/* Append, ignoring the cap: a long anchor or title is cut, not an error. */
static void put(mdx *m, ca_buf *b, const char *s, size_t n)
{
    if (m->st == CA_OK && ca_buf_append(b, s, n) == CA_NOMEM)
        m->st = CA_NOMEM;
}

static size_t utf8_encode(unsigned long cp, char *out)
{
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4, i;

    for (i = n - 1; i > 0; i--, cp >>= 6)
        out[i] = (char)(0x80 | (cp & 0x3F));
    out[0] = (char)(lead[n] | cp);
    return n;
}

/* The character reference s[0..n) ("&amp;", "&#38;", "&#x26;") as UTF-8 in
 * out (4 bytes); its length, 0 when it is not one this file knows. URLs and
 * link text use few named ones; the rest stay as written. */
static size_t entity_utf8(const char *s, size_t n, char *out)
{
    static const struct {
        const char *name;
        unsigned cp;
    } named[] = {
        {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
        {"apos", '\''},     {"nbsp", 0xA0},    {"ndash", 0x2013}, {"mdash", 0x2014},
        {"hellip", 0x2026}, {"laquo", 0xAB},   {"raquo", 0xBB},   {"lsquo", 0x2018},
        {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"copy", 0xA9},
    };
    unsigned long cp = 0;
    size_t i, k;
    int hex;

    if (n < 3 || s[0] != '&' || s[n - 1] != ';')
        return 0;
    if (s[1] != '#') {
        for (k = 0; k < sizeof named / sizeof named[0]; k++) {
            if (strlen(named[k].name) == n - 2 && !memcmp(named[k].name, s + 1, n - 2))
                return utf8_encode(named[k].cp, out);
        }
        return 0;
    }
    hex = n > 3 && (s[2] | 0x20) == 'x';
    for (i = hex ? 3 : 2; i < n - 1; i++) {
        int v = s[i] >= '0' && s[i] <= '9'                            ? s[i] - '0'
                : hex && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f' ? (s[i] | 0x20) - 'a' + 10
                                                                      : -1;

        if (v < 0)
            return 0;
        cp = cp * (hex ? 16 : 10) + (unsigned long)v;
        if (cp > 0x10FFFF)
            cp = 0x110000; /* stays out of range, never overflows */
    }
    if (i == (hex ? 3u : 2u))
        return 0;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    return utf8_encode(cp, out);
}

/* Append s[0..n) with the character references in it decoded. */
static void put_decoded(mdx *m, ca_buf *b, const char *s, size_t n)
{
    size_t i = 0, j, k, ulen;
    char u[4];

    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);

        j = amp ? (size_t)(amp - s) : n;
        put(m, b, s + i, j - i);
        if (j == n)
            return;
        for (k = j + 1; k < n && k - j < 32 && s[k] != ';'; k++)
            ;
        ulen = k < n && s[k] == ';' ? entity_utf8(s + j, k - j + 1, u) : 0;
        put(m, b, ulen ? u : "&", ulen ? ulen : 1);
        i = ulen ? k + 1 : j + 1;
    }
}

/* An md4c attribute as a new string, its references decoded; NULL when
 * memory runs out. */
static char *attr_string(mdx *m, const MD_ATTRIBUTE *a)
{
    ca_buf b;
    unsigned k;

    ca_buf_init(&b, (size_t)a->size * 3 + 1);
    put(m, &b, "", 0);
    for (k = 0; a->substr_offsets && a->substr_offsets[k] < a->size; k++) {
        const char *s = a->text + a->substr_offsets[k];
        size_t n = a->substr_offsets[k + 1] - a->substr_offsets[k];

        if (a->substr_types[k] == MD_TEXT_ENTITY)
            put_decoded(m, &b, s, n);
        else if (a->substr_types[k] == MD_TEXT_NULLCHAR)
            put(m, &b, "\xEF\xBF\xBD", 3);
        else
            put(m, &b, s, n);
    }
    if (m->st != CA_OK) {
        ca_buf_release(&b);
        return NULL;
    }
    return ca_buf_steal(&b);
}

/*
 * Line and column of input offset off. Offsets mostly grow, as the linemap
 * wants; an offset behind its cursor (a link around an image, an empty
 * link) is counted back from the cursor, since restarting the map each time
 * could be quadratic.
 */
static void position(mdx *m, size_t off, unsigned *line, unsigned *col)
{
    size_t i, nl = 0, bol;

    if (off >= m->lm.off) {
        ca__linemap_pos(&m->lm, off, line, col);
        return;
    }
    for (i = off; i < m->lm.off; i++)
        nl += m->d[i] == '\n';
    bol = m->lm.bol;
    if (nl) {
        for (bol = off; bol > 0 && m->d[bol - 1] != '\n';)
            bol--;
    }
    *line = m->lm.line - (unsigned)nl;
    *col = (unsigned)(off - bol) + 1;
}

/* Offset of the '[' that opens a link ending before q, no further back than
 * lo: brackets in between are skipped in pairs. NO_POS when there is none. */
static size_t open_bracket(const mdx *m, size_t lo, size_t q)
{
    int depth = 0;

    while (q > lo) {
        char c = m->d[--q];

        if (c == ']')
            depth++;
        else if (c == '[' && depth-- == 0)
            return q;
    }
    return NO_POS;
}

/* Place link e given its '[' at k, or at the URL at when it has none (an
 * autolink). An image starts at the '!' before its '['. */
static void place(mdx *m, open_link *e, size_t k, size_t at)
{
    if (k == NO_POS)
        e->pos = at;
    else
        e->pos = e->kind == CA_KIND_IMAGE && k > e->lo && m->d[k - 1] == '!' ? k - 1 : k;
}

/*
 * The first text from the input inside open links, at off: place every link
 * not placed yet, innermost first, each at the next '[' further back; then
 * take their positions outermost first, in input order.
 */
static void place_open_links(mdx *m, size_t off)
{
    size_t i = m->depth, q = off, from = m->depth;

    while (i > 0 && m->stack[i - 1].pos == NO_POS) {
        open_link *e = &m->stack[--i];
        size_t k = e->lo <= q ? open_bracket(m, e->lo, q) : NO_POS;

        place(m, e, k, off);
        if (e->pos < q)
            q = e->pos;
        from = i;
    }
    for (i = from; i < m->depth; i++)
        position(m, m->stack[i].pos, &m->stack[i].line, &m->stack[i].col);
}

/* A link closed with no text from the input ("[](url)", "![](img)"): from
 * the ']' before its destination back to its '['; else ("[][ref]") where
 * the text before it ended. */
static void place_empty(mdx *m, open_link *e)
{
    size_t k = NO_POS;

    if (e->close != NO_POS && e->close >= e->lo)
        k = open_bracket(m, e->lo, e->close);
    place(m, e, k, e->lo < m->len ? e->lo : m->len);
    position(m, e->pos, &e->line, &e->col);
}

/* The ']' of an inline destination "](dest" written in the input; NO_POS
 * when md4c rebuilt the attribute or it comes from a reference definition. */
static size_t dest_close(const mdx *m, const MD_ATTRIBUTE *a)
{
    size_t k;

    if (!in_input(m, a->text, a->size))
        return NO_POS;
    k = (size_t)(a->text - m->d);
    while (k > 0 && strchr(" \t\r\n", m->d[k - 1]))
        k--;
    if (k > 0 && m->d[k - 1] == '<')
        k--;
    while (k > 0 && strchr(" \t\r\n", m->d[k - 1]))
        k--;
    return k >= 2 && m->d[k - 1] == '(' && m->d[k - 2] == ']' ? k - 2 : NO_POS;
}

static ca_status push_span(mdx *m, size_t start, size_t end)
{
    if (m->nspans == m->spans_cap) {
        size_t ncap = m->spans_cap ? m->spans_cap * 2 : 16;
        text_span *p = realloc(m->spans, ncap * sizeof *p);

        if (!p)
            return CA_NOMEM;
        m->spans = p;
        m->spans_cap = ncap;
    }
    m->spans[m->nspans++] = (text_span){start, end};
    return CA_OK;
}

/* s[0..n) collapsed and cut to CA__TEXT_MAX on a character boundary; NULL
 * when empty (an image without alt text has no anchor text). */
static char *anchor_text(mdx *m, const char *s, size_t n)
{
    char *t = ca__collapse_ws(s, n);

    if (!t) {
        m->st = CA_NOMEM;
        return NULL;
    }
    ca__utf8_truncate(t, CA__TEXT_MAX);
    if (!*t) {
        free(t);
        t = NULL;
    }
    return t;
}

/*
 * Add a citation of href at input offset pos (line, col), of kind, with
 * anchor text (taken over, may be NULL), standing in doc->text at
 * [tstart, tend). Past the link cap it is counted and dropped.
 */
static void add_citation(mdx *m, const char *href, ca_kind kind, size_t pos, unsigned line,
                         unsigned col, char *text, size_t tstart, size_t tend)
{
    size_t n = strlen(href);
    ca_citation *c;
    ca_status st = ca_doc_add_citation(m->doc, &c);

    if (st != CA_OK) {
        free(text);
        if (st != CA_LIMIT)
            m->st = st;
        return;
    }
    c->kind = kind;
    c->region = CA_REGION_BODY;
    c->line = line;
    c->col = col;
    c->text = text;
    st = ca_citation_set_href(c, href, m->base, m->err);
    /* A www autolink, to which md4c added "http://": keep it as written. */
    if (st == CA_OK && n > 11 && !strncasecmp(href, "http://www.", 11) && pos < m->len &&
        m->len - pos >= n - 7 && !strncmp(m->d + pos, href + 7, n - 7))
        st = ca_doc_set_str(&c->href, href + 7);
    if (st == CA_OK)
        st = push_span(m, tstart, tend);
    if (st != CA_OK)
        m->st = st;
}

/* A Markdown link or image closes: it becomes a citation. */
static void close_link(mdx *m)
{
    open_link *e = &m->stack[--m->depth];
    char *text = NULL;

    if (e->pos == NO_POS)
        place_empty(m, e);
    if (e->dest_end != NO_POS && e->dest_end > m->hint)
        m->hint = e->dest_end; /* what follows starts after the destination */
    if (m->anchor.len > e->astart)
        text = anchor_text(m, m->anchor.data + e->astart, m->anchor.len - e->astart);
    if (m->st == CA_OK && e->href)
        add_citation(m, e->href, e->kind, e->pos, e->line, e->col, text, e->tstart, m->text.len);
    else
        free(text);
    free(e->href);
    e->href = NULL;
    if (m->depth == 0)
        ca_buf_reset(&m->anchor);
}

static void open_link_span(mdx *m, const MD_ATTRIBUTE *dest, ca_kind kind)
{
    open_link *e;

    if (m->depth == MAX_DEPTH) {
        m->untracked++;
        return;
    }
    e = &m->stack[m->depth++];
    memset(e, 0, sizeof *e);
    e->href = attr_string(m, dest);
    e->kind = kind;
    e->lo = m->hint;
    e->pos = NO_POS;
    e->close = dest_close(m, dest);
    e->dest_end = e->close == NO_POS ? NO_POS : (size_t)(dest->text - m->d) + dest->size;
    e->astart = m->anchor.len;
    e->tstart = m->text.len;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    mdx *m = ud;

    if (type == MD_SPAN_A)
        open_link_span(m, &((MD_SPAN_A_DETAIL *)detail)->href, CA_KIND_LINK);
    else if (type == MD_SPAN_IMG)
        open_link_span(m, &((MD_SPAN_IMG_DETAIL *)detail)->src, CA_KIND_IMAGE);
    return m->st != CA_OK;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
    mdx *m = ud;

    (void)detail;
    if (type != MD_SPAN_A && type != MD_SPAN_IMG)
        return 0;
    if (m->untracked)
        m->untracked--;
    else if (m->depth)
        close_link(m);
    return m->st != CA_OK;
}

/* End the text of the block before with a blank line. */
static void block_break(mdx *m)
{
    ca_buf *t = &m->text;

    while (t->len && t->data[t->len - 1] == ' ')
        ca_buf_truncate(t, t->len - 1);
    if (t->len && t->data[t->len - 1] != '\n')
        put(m, t, "\n\n", 2);
    else if (t->len >= 2 && t->data[t->len - 2] != '\n')
        put(m, t, "\n", 1);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    mdx *m = ud;

    switch (type) {
    case MD_BLOCK_DOC:
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (m->text.len && !strchr(" \n", m->text.data[m->text.len - 1]))
            put(m, &m->text, " ", 1);
        break;
    case MD_BLOCK_H:
        if (((MD_BLOCK_H_DETAIL *)detail)->level == 1 && m->title_state == 0)
            m->title_state = 1;
        block_break(m);
        break;
    case MD_BLOCK_CODE:
        m->in_code = 1;
        block_break(m);
        break;
    default:
        block_break(m);
        break;
    }
    return m->st != CA_OK;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    mdx *m = ud;

    (void)detail;
    if (type == MD_BLOCK_CODE)
        m->in_code = 0;
    if (type == MD_BLOCK_H && m->title_state == 1) {
        m->title_state = 2;
        if (!m->meta->title && m->title.len) {
            m->meta->title = ca__collapse_ws(m->title.data, m->title.len);
            if (!m->meta->title)
                m->st = CA_NOMEM;
        }
    }
    return m->st != CA_OK;
}

/* The kind of citation the attribute (href, or src when src) of an HTML
 * element <tag> makes; -1 when none (a script, a stylesheet). */
static int html_kind(const char *tag, size_t n, int src)
{
    static const struct {
        const char *tag;
        int src;
        ca_kind kind;
    } map[] = {
        {"a", 0, CA_KIND_LINK},       {"area", 0, CA_KIND_LINK},   {"img", 1, CA_KIND_IMAGE},
        {"iframe", 1, CA_KIND_EMBED}, {"video", 1, CA_KIND_EMBED}, {"audio", 1, CA_KIND_EMBED},
        {"source", 1, CA_KIND_EMBED}, {"embed", 1, CA_KIND_EMBED},
    };
    size_t k;

    for (k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (map[k].src == src && strlen(map[k].tag) == n && !strncasecmp(tag, map[k].tag, n))
            return (int)map[k].kind;
    }
    return -1;
}

/* Length of the attribute value in s[0..n) (just after its '='); its start
 * in *ret_at. */
static size_t attr_value(const char *s, size_t n, size_t *ret_at)
{
    size_t i = 0, j;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    *ret_at = i;
    if (i < n && (s[i] == '"' || s[i] == '\'')) {
        const char *q = memchr(s + i + 1, s[i], n - i - 1);

        *ret_at = i + 1;
        return q ? (size_t)(q - s) - i - 1 : 0;
    }
    for (j = i; j < n && !strchr(" \t\r\n>", s[j]); j++)
        ;
    return j - i;
}

/* The href= or src= attribute at s[i] of an HTML chunk s[0..n), in the tag
 * named tag[0..tn) at input offset at. */
static void html_attr(mdx *m, const char *s, size_t n, size_t i, const char *tag, size_t tn,
                      size_t at)
{
    int src = (s[i] | 0x20) == 's', kind = html_kind(tag, tn, src);
    size_t k = i + (src ? 3 : 4), vs, vn;
    unsigned line, col;
    ca_buf v;

    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    if (kind < 0 || k >= n || s[k] != '=')
        return;
    vn = attr_value(s + k + 1, n - k - 1, &vs);
    if (!vn)
        return;
    ca_buf_init(&v, vn * 3 + 1);
    put_decoded(m, &v, s + k + 1 + vs, vn);
    if (m->st == CA_OK && v.data) {
        position(m, at, &line, &col);
        add_citation(m, v.data, (ca_kind)kind, at, line, col, NULL, m->text.len, m->text.len);
    }
    ca_buf_release(&v);
}

/*
 * Raw HTML in the document (<a href="...">, <img src="...">): the
 * attributes of the tags in one chunk md4c hands over. A tag cut across
 * chunks (the lines of an HTML block) is missed: a courtesy, not a parser.
 */
static void html_links(mdx *m, const char *s, size_t n)
{
    int in = in_input(m, s, n);
    size_t i, tag = 0, tn = 0, at = in ? (size_t)(s - m->d) : m->hint;

    for (i = 0; i < n && m->st == CA_OK; i++) {
        if (s[i] == '<') {
            for (tag = i + 1, tn = 0; tag + tn < n && isalnum((unsigned char)s[tag + tn]);)
                tn++;
            at = in ? (size_t)(s - m->d) + i : at;
        } else if (s[i] == '>') {
            tn = 0;
        } else if (tn && i > tag + tn && strchr(" \t\r\n", s[i - 1]) &&
                   ((n - i > 4 && !strncasecmp(s + i, "href", 4)) ||
                    (n - i > 3 && !strncasecmp(s + i, "src", 3)))) {
            html_attr(m, s, n, i, s + tag, tn, at);
        }
    }
}

/*
 * md4c 0.4 takes time quadratic in the bare URLs of one paragraph (md4c
 * 0.5 fixed it): a list of 100,000 of them would take minutes. Nonzero when
 * a run of lines without a blank one holds more than AUTOLINK_MAX.
 */
static int many_bare_urls(const char *d, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i + 4 < len; i++) {
        if (d[i] == '\n' && (d[i + 1] == '\n' || (d[i + 1] == '\r' && d[i + 2] == '\n')))
            n = 0;
        else if ((d[i] == ':' && d[i + 1] == '/' && d[i + 2] == '/') ||
                 ((d[i] | 0x20) == 'w' && !strncasecmp(d + i, "www.", 4)))
            n++;
        if (n > AUTOLINK_MAX)
            return 1;
    }
    return 0;
}

/*
 * The bare URLs of a text chunk at input offset off, when md4c does not
 * look for them: up to a blank, a quote or an angle bracket, without the
 * trailing punctuation or a closing parenthesis it does not open.
 */
static void bare_urls(mdx *m, const char *s, size_t n, size_t off)
{
    size_t i, e;
    long bal;
    unsigned line, col;
    ca_buf href;

    for (i = 0; i < n && m->st == CA_OK; i = e > i ? e : i + 1) {
        e = i;
        if ((i > 0 && (isalnum((unsigned char)s[i - 1]) || strchr("@._-/", s[i - 1]))) ||
            !((n - i > 8 && !strncasecmp(s + i, "https://", 8)) ||
              (n - i > 7 && !strncasecmp(s + i, "http://", 7)) ||
              (n - i > 4 && !strncasecmp(s + i, "www.", 4))))
            continue; /* none starts here, or inside a word */
        for (bal = 0; e < n && (unsigned char)s[e] > ' ' && !strchr("<>\"'`", s[e]); e++)
            bal += (s[e] == '(') - (s[e] == ')');
        while (e > i && (strchr(".,;:!?", s[e - 1]) || (s[e - 1] == ')' && bal < 0)))
            bal += s[--e] == ')';
        ca_buf_init(&href, e - i + 8);
        put(m, &href, "http://", (s[i] | 0x20) == 'w' ? 7 : 0);
        put(m, &href, s + i, e - i);
        if (m->st == CA_OK) {
            position(m, off + i, &line, &col);
            add_citation(m, href.data, CA_KIND_LINK, off + i, line, col,
                         anchor_text(m, s + i, e - i), m->text.len + i, m->text.len + e);
        }
        ca_buf_release(&href);
    }
}

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *ud)
{
    mdx *m = ud;
    size_t n = size, k;
    const char *t = s;
    char u[4];

    if (in_input(m, s, n) && n) {
        size_t off = (size_t)(s - m->d);

        if (m->depth && m->stack[m->depth - 1].pos == NO_POS)
            place_open_links(m, off);
        if (off + n > m->hint)
            m->hint = off + n;
    }
    if (type == MD_TEXT_HTML) {
        html_links(m, s, n);
        return m->st != CA_OK;
    }
    if (type == MD_TEXT_ENTITY && (k = entity_utf8(s, n, u)) != 0)
        t = u, n = k;
    else if (type == MD_TEXT_NULLCHAR)
        t = "\xEF\xBF\xBD", n = 3;
    else if (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR)
        t = " ", n = 1;
    if (m->own_autolinks && type == MD_TEXT_NORMAL && !m->depth && in_input(m, s, n))
        bare_urls(m, s, n, (size_t)(s - m->d));
    if (!m->in_code)
        put(m, &m->text, t, n);
    if (m->depth)
        put(m, &m->anchor, t, n); /* past its cap the anchor is cut */
    if (m->title_state == 1)
        put(m, &m->title, t, n);
    return m->st != CA_OK;
}

static ca_status set_contexts(mdx *m, const char *t, size_t n)
{
    size_t k;

    for (k = 0; k < m->nspans && m->first + k < m->doc->ncites; k++) {
        text_span *sp = &m->spans[k];
        ca_citation *c = &m->doc->cites[m->first + k];

        /* The text lost its trailing blanks since: clamp. */
        size_t a = sp->start < n ? sp->start : n, b = sp->end < n ? sp->end : n;

        c->context = ca__sentence_around(t, n, a, b < a ? a : b, CA__CONTEXT_MAX);
        c->text_pos = a;
        if (!c->context)
            return CA_NOMEM;
    }
    return CA_OK;
}

/*
 * Deepest nesting of unescaped square brackets. md4c 0.4.8 is quadratic in
 * it when the document has a reference definition (md4c issue #172:
 * 100,000 nested brackets take a minute); prose nests two or three.
 */
static size_t bracket_depth(const char *d, size_t len)
{
    size_t i, depth = 0, max = 0;

    for (i = 0; i < len; i++) {
        if (d[i] == '\\') {
            i++;
        } else if (d[i] == '[') {
            if (++depth > max)
                max = depth;
        } else if (d[i] == ']' && depth) {
            depth--;
        }
    }
    return max;
}

ca_status ca__extract_md(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                         const char *base_url, ca_error *err)
{
    MD_PARSER parser = {0};
    mdx m = {0};
    size_t bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0, i;
    int rc;

    if (bracket_depth(data, len) > MD_MAX_BRACKET_DEPTH) {
        ca_doc_warn(doc,
                    "%s: square brackets nested deeper than %d levels; read as plain text "
                    "(URLs are still found, link texts are not)",
                    doc->origin, MD_MAX_BRACKET_DEPTH);
        return ca__extract_text(doc, meta, data, len, base_url, err);
    }
    m.doc = doc;
    m.meta = meta;
    m.d = data;
    m.len = len;
    m.base = base_url;
    m.err = err;
    m.first = doc->ncites;
    m.hint = bom;
    ca__linemap_init(&m.lm, data, len);
    ca_buf_init(&m.text, len * 3 + 64);
    ca_buf_init(&m.anchor, ANCHOR_MAX);
    ca_buf_init(&m.title, ANCHOR_MAX);
    m.own_autolinks = many_bare_urls(data, len);
    parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;
    if (!m.own_autolinks)
        parser.flags |= MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text_cb;
    /* md4c sizes are unsigned int; the reading cap keeps documents far below. */
    rc = md_parse(data + bom, (MD_SIZE)(len - bom > UINT_MAX ? UINT_MAX : len - bom), &parser, &m);
    if (rc != 0 && m.st == CA_OK)
        m.st = CA_NOMEM; /* md4c fails only when memory runs out */
    while (m.text.len && strchr(" \n", m.text.data[m.text.len - 1]))
        ca_buf_truncate(&m.text, m.text.len - 1);
    if (m.st == CA_OK)
        m.st = set_contexts(&m, m.text.data ? m.text.data : "", m.text.len);
    if (m.st == CA_OK) {
        free(doc->text);
        doc->text = ca_buf_steal(&m.text);
        if (!doc->text)
            m.st = CA_NOMEM;
    }
    if (m.st != CA_OK)
        ca_error_set(err, m.st, "out of memory extracting links from '%s'", doc->origin);
    for (i = 0; i < m.depth; i++)
        free(m.stack[i].href);
    ca_buf_release(&m.text);
    ca_buf_release(&m.anchor);
    ca_buf_release(&m.title);
    free(m.spans);
    return m.st;
}
