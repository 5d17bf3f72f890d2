/*
 * check_page.c - a light scan of an HTML body for the checker's verdicts:
 * the title, the first <h1>, the visible text outside page furniture, the
 * ids and <a name>s a fragment may point at, and how script-driven the page
 * is. It also normalises text for matching and matches text fragments.
 *
 * Why not gumbo here: the checker reads the body of every cited page, and a
 * full parse costs 20 times this scan (50 ms a megabyte against 2), which
 * a check of 10,000 links cannot afford. The scan follows the tokenizer
 * rules that matter for these answers: comments, raw-text elements
 * (script, style, textarea, title...) whose content is not markup,
 * attributes quoted either way or not at all, character references. It
 * builds no tree; where the tree matters (the main text of a page compared
 * with another), the extractor's full parse is used instead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

#define TEXT_KEEP (16 * 1024) /* main-ish text kept for the template rules */
#define TITLE_KEEP 1024

/* ---- text normalisation ---- */

/* Decode one UTF-8 character at s[0..n); its length in *len (1 for a bad byte, cp -1). */
static long utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    unsigned c = s[0], need, i;
    long cp;

    *len = 1;
    if (c < 0x80)
        return c;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, cp = c & 0x07;
    else
        return -1;
    if (n < need + 1)
        return -1;
    for (i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = need + 1;
    return cp;
}

/* Lowercase of cp for the scripts the template lists use (Latin, Greek,
 * Cyrillic); cp itself otherwise. */
static long lower_cp(long cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x178)
            return 0xFF;
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return cp & 1 ? cp + 1 : cp;
        if (cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 && cp != 0x17F)
            return cp & 1 ? cp : cp + 1;
        return cp;
    }
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 32;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 37;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 63;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x4FF))
        return cp & 1 ? cp : cp + 1;
    if (cp >= 0x4C1 && cp <= 0x4CE)
        return cp & 1 ? cp + 1 : cp;
    if (cp == 0x4C0)
        return 0x4CF;
    return cp;
}

static int is_space_cp(long cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* UTF-8 bytes of cp into b; their count. */
static size_t enc_cp(long cp, char b[4])
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void ca__norm_append(ca_buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    char chunk[1024];
    size_t len, k = 0;
    int space = out->len && out->data[out->len - 1] == ' ';
    long cp;

    /* written through a chunk: one append per KiB, not per character */
    while (p < end) {
        if (k > sizeof chunk - 8) {
            if (ca_buf_append(out, chunk, k) != CA_OK)
                return; /* over the cap: the text is cut, as it should be */
            k = 0;
        }
        if (*p < 0x80 && *p > 0x20 && *p != 0x7F && *p != '`') {
            chunk[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            space = 0;
            p++;
            continue;
        }
        cp = utf8_next(p, (size_t)(end - p), &len);
        p += len;
        if (cp < 0 || cp == 0xFFFD)
            cp = '?';
        if (is_space_cp(cp)) {
            if (!space && (k || out->len))
                chunk[k++] = ' ';
            space = 1;
            continue;
        }
        if (cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF ||
            cp < 0x20 || cp == 0x7F)
            continue;
        space = 0;
        if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2BC || cp == 0xB4 ||
            cp == 0x2032 || cp == '`')
            cp = '\'';
        else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB || cp == 0xBB ||
                 cp == 0x2033)
            cp = '"';
        else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
            cp = '-';
        else if (cp == 0x2026) {
            memcpy(chunk + k, "...", 3);
            k += 3;
            continue;
        }
        k += enc_cp(lower_cp(cp), chunk + k);
    }
    if (k)
        ca_buf_append(out, chunk, k);
}

/* ---- character references ---- */

static const struct {
    const char *name;
    unsigned cp;
} entities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0},
    {"rsquo", 0x2019}, {"lsquo", 0x2018}, {"rdquo", 0x201D}, {"ldquo", 0x201C},
    {"laquo", 0xAB}, {"raquo", 0xBB}, {"ndash", 0x2013}, {"mdash", 0x2014},
    {"hellip", 0x2026}, {"copy", 0xA9}, {"shy", 0xAD}, {"middot", 0xB7}, {"bull", 0x2022},
    {"aacute", 0xE1}, {"agrave", 0xE0}, {"acirc", 0xE2}, {"auml", 0xE4}, {"ccedil", 0xE7},
    {"eacute", 0xE9}, {"egrave", 0xE8}, {"ecirc", 0xEA}, {"euml", 0xEB}, {"iacute", 0xED},
    {"icirc", 0xEE}, {"iuml", 0xEF}, {"ntilde", 0xF1}, {"oacute", 0xF3}, {"ocirc", 0xF4},
    {"ouml", 0xF6}, {"uacute", 0xFA}, {"ugrave", 0xF9}, {"ucirc", 0xFB}, {"uuml", 0xFC},
    {"szlig", 0xDF}, {"Auml", 0xC4}, {"Ouml", 0xD6}, {"Uuml", 0xDC}, {"Eacute", 0xC9},
    {"iexcl", 0xA1}, {"iquest", 0xBF},
};

/* A character reference at s[0..n) ("&amp;", "&#39;", "&#x2019;"): its code
 * point, and its length in *len; -1 when it is not one. */
static long char_ref(const char *s, size_t n, size_t *len)
{
    size_t i = 1, k;
    long cp = 0;

    if (n < 3)
        return -1;
    if (s[1] == '#') {
        int hex = n > 2 && (s[2] == 'x' || s[2] == 'X');

        for (i = hex ? 3 : 2; i < n && i < 12 && (hex ? isxdigit((unsigned char)s[i])
                                                        : isdigit((unsigned char)s[i]));
             i++)
            cp = cp * (hex ? 16 : 10) +
                 (isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
        if (i == (hex ? 3u : 2u))
            return -1;
        *len = i < n && s[i] == ';' ? i + 1 : i;
        return cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) ? cp : 0xFFFD;
    }
    while (i < n && i < 10 && isalnum((unsigned char)s[i]))
        i++;
    for (k = 0; k < sizeof entities / sizeof entities[0]; k++)
        if (strlen(entities[k].name) == i - 1 && !memcmp(s + 1, entities[k].name, i - 1)) {
            *len = i < n && s[i] == ';' ? i + 1 : i;
            return entities[k].cp;
        }
    return -1;
}

/* Append text s[0..n) with its character references decoded, normalised. */
static void append_text(ca_buf *out, const char *s, size_t n)
{
    size_t i = 0, start = 0, len;
    long cp;
    char b[4];

    for (; i < n; i++) {
        if (s[i] != '&')
            continue;
        cp = char_ref(s + i, n - i, &len);
        if (cp < 0)
            continue;
        ca__norm_append(out, s + start, i - start);
        ca__norm_append(out, b, enc_cp(cp, b));
        i += len - 1;
        start = i + 1;
    }
    ca__norm_append(out, s + start, n - start);
}

/* ---- the scan ---- */

struct scan {
    const char *s;
    size_t n, i;
    struct page *p;
    struct frag *frags;
    size_t nfrags;
    char **decoded;   /* percent-decoded fragments, NULL when the same */
    unsigned skip;    /* depth inside nav, header, footer, aside, forms, svg... */
    int in_h1;        /* collecting the first h1 */
    int all_text;
};

/* s[0..n) lowercased into out (a tag or attribute name; longer ones are cut,
 * and then match nothing the scan looks for). */
static void lower_name(char *out, size_t cap, const char *s, size_t n)
{
    size_t i;

    if (n >= cap)
        n = cap - 1;
    for (i = 0; i < n; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    out[n] = '\0';
}

/* What the scan does with a tag: its content is raw text, it holds page
 * furniture (its text is not the page's own), it starts a block. */
enum { T_RAW = 1, T_SKIP = 2, T_BLOCK = 4 };

static const struct {
    const char *name;
    unsigned char flags;
} tags[] = { /* sorted by name, for bsearch */
    {"address", T_BLOCK}, {"article", T_BLOCK}, {"aside", T_SKIP}, {"blockquote", T_BLOCK},
    {"body", T_BLOCK}, {"br", T_BLOCK}, {"button", T_SKIP}, {"center", T_BLOCK},
    {"dd", T_BLOCK}, {"div", T_BLOCK}, {"dl", T_BLOCK}, {"dt", T_BLOCK},
    {"figcaption", T_BLOCK}, {"figure", T_BLOCK}, {"footer", T_SKIP}, {"form", T_SKIP},
    {"h1", T_BLOCK}, {"h2", T_BLOCK}, {"h3", T_BLOCK}, {"h4", T_BLOCK}, {"h5", T_BLOCK},
    {"h6", T_BLOCK}, {"header", T_SKIP}, {"hr", T_BLOCK}, {"iframe", T_RAW}, {"li", T_BLOCK},
    {"main", T_BLOCK}, {"math", T_SKIP}, {"nav", T_SKIP}, {"noembed", T_RAW},
    {"noframes", T_RAW}, {"noscript", T_RAW}, {"ol", T_BLOCK}, {"p", T_BLOCK},
    {"pre", T_BLOCK}, {"script", T_RAW}, {"section", T_BLOCK}, {"select", T_SKIP},
    {"style", T_RAW}, {"svg", T_SKIP}, {"table", T_BLOCK}, {"td", T_BLOCK},
    {"template", T_SKIP}, {"textarea", T_RAW}, {"th", T_BLOCK}, {"title", T_RAW},
    {"tr", T_BLOCK}, {"ul", T_BLOCK}, {"xmp", T_RAW},
};

static unsigned tag_flags(const char *tag)
{
    size_t lo = 0, hi = sizeof tags / sizeof tags[0], mid;
    int c;

    while (lo < hi) {
        mid = (lo + hi) / 2;
        c = strcmp(tag, tags[mid].name);
        if (!c)
            return tags[mid].flags;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static void text_sep(struct scan *sc)
{
    struct page *p = sc->p;

    if (!sc->skip && p->raw.len && p->raw.data[p->raw.len - 1] != ' ')
        ca_buf_putc(&p->raw, ' ');
    if (sc->all_text && p->all.len && p->all.data[p->all.len - 1] != ' ')
        ca_buf_putc(&p->all, ' ');
    if (sc->in_h1 && p->h1.len && p->h1.data[p->h1.len - 1] != ' ')
        ca_buf_putc(&p->h1, ' ');
}

static void text_run(struct scan *sc, const char *s, size_t n)
{
    struct page *p = sc->p;
    size_t i, room;

    if (!n)
        return;
    if (!sc->skip && p->text_total <= CA__PAGE_SHORT) {
        /* kept raw: most pages never need it normalised (ca__page_text);
         * past the length of a short page, only "long" matters */
        for (i = 0; i < n; i++) /* every byte but spaces and controls */
            p->text_total += (unsigned char)s[i] > ' ';
        room = p->raw.len < TEXT_KEEP ? TEXT_KEEP - p->raw.len : 0;
        ca_buf_append(&p->raw, s, n < room ? n : room);
    }
    if (sc->all_text)
        append_text(&p->all, s, n);
    if (sc->in_h1)
        append_text(&p->h1, s, n);
}

/* Does value name one of the fragments? Mark it found. GitHub and GitLab
 * prefix the ids of rendered Markdown with "user-content-" and let their
 * scripts answer the bare name: both count. */
static void note_anchor(struct scan *sc, const char *v, size_t n)
{
    size_t k;

    if (n > 13 && !memcmp(v, "user-content-", 13))
        note_anchor(sc, v + 13, n - 13);
    for (k = 0; k < sc->nfrags; k++) {
        const char *f = sc->frags[k].s, *d = sc->decoded[k];

        if ((strlen(f) == n && !memcmp(f, v, n)) || (d && strlen(d) == n && !memcmp(d, v, n)))
            sc->frags[k].state = CA_FRAGMENT_FOUND;
    }
}

static const char *const app_ids[] = {"root", "app", "__next", "__nuxt", "___gatsby",
                                      "app-root", "svelte", NULL};

static int app_id(const char *id)
{
    for (const char *const *p = app_ids; *p; p++)
        if (!strcmp(id, *p))
            return 1;
    return 0;
}

/* An attribute value with its character references decoded (no other change),
 * into out (cap bytes); its length. */
static size_t decode_attr(const char *v, size_t vn, char *out, size_t cap)
{
    size_t i = 0, k = 0, len;
    long cp;
    char b[4];

    while (i < vn && k + 4 < cap) {
        if (v[i] == '&' && (cp = char_ref(v + i, vn - i, &len)) >= 0) {
            size_t m = enc_cp(cp, b);

            memcpy(out + k, b, m);
            k += m;
            i += len;
        } else {
            out[k++] = v[i++];
        }
    }
    return k;
}

/* One attribute of a start tag: ids, <a name>, app mount points. */
static void attribute(struct scan *sc, const char *tag, const char *name, const char *v,
                      size_t vn)
{
    char idv[16], dec[512];

    if ((!strcmp(name, "id") || !strcmp(name, "name")) && memchr(v, '&', vn) &&
        vn < sizeof dec) {
        vn = decode_attr(v, vn, dec, sizeof dec);
        v = dec;
    }
    if (!strcmp(name, "id")) {
        sc->p->nids++;
        note_anchor(sc, v, vn);
        if (vn < sizeof idv) {
            memcpy(idv, v, vn);
            idv[vn] = '\0';
            if (app_id(idv) && (!strcmp(tag, "div") || !strcmp(tag, "main") ||
                                         !strcmp(tag, "body") || !strcmp(tag, "app-root")))
                sc->p->app_root = 1;
        }
    } else if (!strcmp(name, "name") && !strcmp(tag, "a")) {
        note_anchor(sc, v, vn);
    }
}

/* Attributes from sc->i to the end of the tag; returns 1 for "/>". */
static int attributes(struct scan *sc, const char *tag)
{
    const char *s = sc->s;
    size_t n = sc->n, i = sc->i, ns, vs, ve;
    char name[16];
    int self = 0;

    while (i < n && s[i] != '>') {
        if (isspace((unsigned char)s[i]) || s[i] == '/') {
            self = s[i] == '/';
            i++;
            continue;
        }
        self = 0;
        ns = i;
        while (i < n && !isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' &&
               s[i] != '/')
            i++;
        lower_name(name, sizeof name, s + ns, i - ns);
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i >= n || s[i] != '=')
            continue;
        i++;
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i < n && (s[i] == '"' || s[i] == '\'')) {
            char q = s[i++];

            vs = i;
            while (i < n && s[i] != q)
                i++;
            ve = i;
            i += i < n;
        } else {
            vs = i;
            while (i < n && !isspace((unsigned char)s[i]) && s[i] != '>')
                i++;
            ve = i;
        }
        attribute(sc, tag, name, s + vs, ve - vs);
    }
    sc->i = i < n ? i + 1 : n;
    return self;
}

/* The end of a raw-text element's content: where "</tag" starts. */
static size_t raw_end(const struct scan *sc, const char *tag)
{
    size_t tl = strlen(tag), i;

    for (i = sc->i; i + 2 + tl <= sc->n; i++)
        if (sc->s[i] == '<' && sc->s[i + 1] == '/' && !strncasecmp(sc->s + i + 2, tag, tl))
            return i;
    return sc->n;
}

static void start_tag(struct scan *sc)
{
    const char *s = sc->s;
    size_t ns = sc->i + 1, i = ns, end;
    char tag[16];
    int self;
    unsigned fl;

    while (i < sc->n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == ':'))
        i++;
    lower_name(tag, sizeof tag, s + ns, i - ns);
    sc->i = i;
    self = attributes(sc, tag);
    fl = tag_flags(tag);
    if (fl & T_RAW) {
        end = raw_end(sc, tag);
        if (!strcmp(tag, "title") && !sc->p->title.len && !sc->skip)
            append_text(&sc->p->title, s + sc->i, end - sc->i);
        else if (!strcmp(tag, "script")) {
            sc->p->nscripts++;
            sc->p->script_bytes += end - sc->i;
        }
        sc->i = end;
        return;
    }
    if (!strcmp(tag, "plaintext")) {
        text_run(sc, s + sc->i, sc->n - sc->i);
        sc->i = sc->n;
        return;
    }
    if (fl & T_BLOCK)
        text_sep(sc);
    if (!self && (fl & T_SKIP))
        sc->skip++;
    if (!strcmp(tag, "h1") && !sc->p->h1.len && !self)
        sc->in_h1 = 1;
}

static void end_tag(struct scan *sc)
{
    const char *s = sc->s;
    size_t ns = sc->i + 2, i = ns;
    char tag[16];

    while (i < sc->n && isalnum((unsigned char)s[i]))
        i++;
    lower_name(tag, sizeof tag, s + ns, i - ns);
    while (i < sc->n && s[i] != '>')
        i++;
    sc->i = i < sc->n ? i + 1 : sc->n;
    if ((tag_flags(tag) & T_SKIP) && sc->skip)
        sc->skip--;
    if (!strcmp(tag, "h1"))
        sc->in_h1 = 0;
    if (tag_flags(tag) & T_BLOCK)
        text_sep(sc);
}

/* After "<!" or "<?": a comment, a doctype, a CDATA section. */
static void markup_decl(struct scan *sc)
{
    const char *s = sc->s, *e;
    size_t n = sc->n, i = sc->i;

    if (i + 4 <= n && !memcmp(s + i, "<!--", 4)) {
        e = NULL;
        for (size_t k = i + 4; k + 3 <= n; k++)
            if (!memcmp(s + k, "-->", 3)) {
                e = s + k + 3;
                break;
            }
        sc->i = e ? (size_t)(e - s) : n;
        return;
    }
    while (i < n && s[i] != '>')
        i++;
    sc->i = i < n ? i + 1 : n;
}

static int decode_frags(struct scan *sc)
{
    size_t k;

    sc->decoded = calloc(sc->nfrags ? sc->nfrags : 1, sizeof *sc->decoded);
    if (!sc->decoded)
        return -1;
    for (k = 0; k < sc->nfrags; k++) {
        const char *f = sc->frags[k].s;
        char *d;
        size_t j = 0;

        if (!strchr(f, '%'))
            continue;
        d = malloc(strlen(f) + 1);
        if (!d)
            return -1;
        for (const char *q = f; *q; q++) {
            if (q[0] == '%' && isxdigit((unsigned char)q[1]) && isxdigit((unsigned char)q[2])) {
                char hx[3] = {q[1], q[2], 0};

                d[j++] = (char)strtol(hx, NULL, 16);
                q += 2;
            } else {
                d[j++] = *q;
            }
        }
        d[j] = '\0';
        sc->decoded[k] = d;
    }
    return 0;
}

int ca__page_scan(const char *html, size_t len, struct frag *frags, size_t nfrags,
                  int all_text, struct page *p)
{
    struct scan sc = {html, len, 0, p, frags, nfrags, NULL, 0, 0, all_text};
    size_t run, k;
    int rc = 0;

    memset(p, 0, sizeof *p);
    ca_buf_init(&p->title, TITLE_KEEP);
    ca_buf_init(&p->h1, TITLE_KEEP);
    ca_buf_init(&p->text, TEXT_KEEP + 64);
    ca_buf_init(&p->raw, TEXT_KEEP + 64);
    ca_buf_init(&p->all, all_text ? len + 64 : 0);
    if (decode_frags(&sc) < 0) {
        rc = -1;
        goto out;
    }
    while (sc.i < len) {
        /* nothing left to learn: a long page whose title and heading are read */
        if (!nfrags && !all_text && p->text_total > CA__PAGE_SHORT && p->title.len &&
            (p->h1.len && !sc.in_h1))
            break;
        if (html[sc.i] != '<') {
            run = sc.i;
            while (sc.i < len && html[sc.i] != '<')
                sc.i++;
            text_run(&sc, html + run, sc.i - run);
            continue;
        }
        if (sc.i + 1 < len && (html[sc.i + 1] == '!' || html[sc.i + 1] == '?'))
            markup_decl(&sc);
        else if (sc.i + 1 < len && html[sc.i + 1] == '/' && sc.i + 2 < len &&
                 isalpha((unsigned char)html[sc.i + 2]))
            end_tag(&sc);
        else if (sc.i + 1 < len && isalpha((unsigned char)html[sc.i + 1]))
            start_tag(&sc);
        else {
            text_run(&sc, "<", 1);
            sc.i++;
        }
    }
out:
    for (k = 0; sc.decoded && k < nfrags; k++)
        free(sc.decoded[k]);
    free(sc.decoded);
    return rc;
}

const char *ca__page_text(struct page *p)
{
    if (!p->text.len && p->raw.len)
        append_text(&p->text, p->raw.data, p->raw.len);
    return p->text.data ? p->text.data : "";
}

void ca__page_release(struct page *p)
{
    ca_buf_release(&p->raw);
    ca_buf_release(&p->title);
    ca_buf_release(&p->h1);
    ca_buf_release(&p->text);
    ca_buf_release(&p->all);
}

/* ---- text fragments ---- */

/* Percent-decode and normalise one term of a text directive. */
static int term(const char *s, size_t n, ca_buf *out)
{
    char *d = malloc(n + 1);
    size_t j = 0, i;

    if (!d)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hx[3] = {s[i + 1], s[i + 2], 0};

            d[j++] = (char)strtol(hx, NULL, 16);
            i += 2;
        } else {
            d[j++] = s[i];
        }
    }
    ca__norm_append(out, d, j);
    free(d);
    /* trim the ends: normalisation keeps one trailing space at most */
    while (out->len && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    return 0;
}

static int word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Where needle occurs in hay at or after from on word boundaries; -1 none. */
static long find_word(const char *hay, size_t hn, const char *needle, size_t nn, size_t from)
{
    size_t i;

    if (!nn)
        return (long)from;
    for (i = from; i + nn <= hn; i++) {
        if (memcmp(hay + i, needle, nn) != 0)
            continue;
        if (i > 0 && word_byte((unsigned char)hay[i - 1]) && word_byte((unsigned char)needle[0]))
            continue;
        if (i + nn < hn && word_byte((unsigned char)hay[i + nn]) &&
            word_byte((unsigned char)needle[nn - 1]))
            continue;
        return (long)i;
    }
    return -1;
}

/* hay[at..] starts with needle after optional spaces; the end in *ret_end. */
static int starts_with_ws(const char *hay, size_t hn, size_t at, const char *needle, size_t nn,
                          size_t *ret_end)
{
    while (at < hn && hay[at] == ' ')
        at++;
    if (at + nn > hn || memcmp(hay + at, needle, nn) != 0)
        return 0;
    if (at + nn < hn && nn && word_byte((unsigned char)hay[at + nn]) &&
        word_byte((unsigned char)needle[nn - 1]))
        return 0;
    *ret_end = at + nn;
    return 1;
}

int ca__text_directive_match(const char *directive, const char *text, size_t len)
{
    ca_buf t[4]; /* prefix, start, end, suffix */
    const char *p = directive, *comma;
    size_t nparts = 0, i, e;
    const char *parts[4];
    size_t plen[4];
    int have_prefix = 0, have_suffix = 0, rc = -1;
    long at;

    for (i = 0; i < 4; i++)
        ca_buf_init(&t[i], 4096);
    while (nparts < 4) {
        comma = strchr(p, ',');
        parts[nparts] = p;
        plen[nparts] = comma ? (size_t)(comma - p) : strlen(p);
        nparts++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (strchr(p, ',') && nparts == 4)
        goto out; /* too many terms */
    i = 0;
    if (nparts > 1 && plen[0] && parts[0][plen[0] - 1] == '-') {
        if (plen[0] == 1)
            goto out; /* an empty prefix */
        have_prefix = 1;
        if (term(parts[0], plen[0] - 1, &t[0]) < 0)
            goto out;
        i = 1;
    }
    if (nparts > i + 1 && parts[nparts - 1][0] == '-') {
        if (plen[nparts - 1] == 1)
            goto out; /* an empty suffix */
        have_suffix = 1;
        if (term(parts[nparts - 1] + 1, plen[nparts - 1] - 1, &t[3]) < 0)
            goto out;
        nparts--;
    }
    if (i >= nparts || nparts - i > 2 || !plen[i])
        goto out;
    if (term(parts[i], plen[i], &t[1]) < 0 ||
        (nparts - i == 2 && term(parts[i + 1], plen[i + 1], &t[2]) < 0))
        goto out;
    if (!t[1].len || (have_prefix && !t[0].len) || (have_suffix && !t[3].len) ||
        (nparts - i == 2 && !t[2].len))
        goto out; /* a term that is empty once decoded and folded */
    rc = 0;
    for (at = find_word(text, len, t[1].data, t[1].len, 0); at >= 0;
         at = find_word(text, len, t[1].data, t[1].len, (size_t)at + 1)) {
        size_t s = (size_t)at, pe;

        if (have_prefix) {
            /* the prefix, then only spaces, then the start */
            pe = s;
            while (pe > 0 && text[pe - 1] == ' ')
                pe--;
            if (pe < t[0].len || memcmp(text + pe - t[0].len, t[0].data, t[0].len) != 0 ||
                (pe - t[0].len > 0 && word_byte((unsigned char)text[pe - t[0].len - 1]) &&
                 word_byte((unsigned char)t[0].data[0])))
                continue;
        }
        e = s + t[1].len;
        if (t[2].len) {
            long ee = find_word(text, len, t[2].data, t[2].len, e);

            if (ee < 0)
                continue;
            e = (size_t)ee + t[2].len;
        }
        if (have_suffix && !starts_with_ws(text, len, e, t[3].data, t[3].len, &pe))
            continue;
        rc = 1;
        break;
    }
out:
    for (i = 0; i < 4; i++)
        ca_buf_release(&t[i]);
    return rc;
}
