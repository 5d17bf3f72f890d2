/*
 * prov_text.c - text as provenance compares it: words in one normal form,
 * each with its place, grouped in paragraphs and sentences.
 *
 * The same article reaches us hard-wrapped, as one paragraph a line, with
 * straight or curly quotes and apostrophes, "Defense Ministry’s" or
 * "Defense Ministry's". So a word is a run of letters and digits, folded
 * to lower case (ASCII, Latin-1 and Latin Extended-A, Greek, Cyrillic),
 * with an apostrophe inside it (' ’ ʼ) kept as one form, and everything
 * else (punctuation, quotes, dashes, line breaks) only separates words.
 * URLs are not words of the text. Each CJK character is a word, since
 * those scripts do not separate words with spaces.
 *
 * A word is kept as a 32-bit hash of its normal form with its byte span,
 * so texts are compared without copying them. Sentences start after '.',
 * '!', '?' or '...' when the next word is capitalised (or a digit, or
 * opens a quotation) and the word before is not an abbreviation ("Jan.",
 * "Mr.", an initial).
 */
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"
#include "strutil.h"

/* Decode one UTF-8 character of s[0..n) (n >= 1); invalid bytes decode to
 * U+FFFD one at a time. *len gets its length. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c = s[0];
    size_t need, i;

    if (c < 0x80) {
        *len = 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, c &= 0x07;
    else
        goto bad;
    if (n < need + 1)
        goto bad;
    for (i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (s[i] & 0x3F);
    }
    *len = need + 1;
    return c;
bad:
    *len = 1;
    return 0xFFFD;
}

static int is_cjk(uint32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

/* Letters and digits; above Latin-1 everything but the punctuation and
 * symbol blocks counts as a letter. */
static int is_word_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c < 0xC0 || c == 0xD7 || c == 0xF7 || c == 0xFFFD)
        return 0;
    if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x2E00 && c <= 0x2E7F) ||
        (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE10 && c <= 0xFE6F) ||
        (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
        (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
        (c >= 0xFFF0 && c <= 0xFFFF) || (c >= 0x1F000 && c <= 0x1FAFF))
        return 0;
    return 1;
}

static int is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2BC;
}

static uint32_t lower_cp(uint32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x17F) {
        /* Latin Extended-A pairs upper/lower, even/odd, with a shift at
         * 0x139..0x148 and 0x179..0x17E */
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c;
        return (c & 1) ? c : c + 1;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x460 && c <= 0x4FF && !(c & 1) && !(c >= 0x482 && c <= 0x489))
        return c + 1;
    return c;
}

/* FNV-1a over the bytes of a code point, as it would be in UTF-8. */
static uint32_t hash_cp(uint32_t h, uint32_t c)
{
    unsigned char b[4];
    size_t n, i;

    if (c < 0x80) {
        b[0] = (unsigned char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (unsigned char)(0xC0 | c >> 6);
        b[1] = (unsigned char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (unsigned char)(0xE0 | c >> 12);
        b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        b[2] = (unsigned char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | c >> 18);
        b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
        b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        b[3] = (unsigned char)(0x80 | (c & 0x3F));
        n = 4;
    }
    for (i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h ? h : 1; /* 0 stands for the {platform} slot in phrases */
}

uint64_t ca__prov_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t ca__prov_str_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;

    if (!s)
        return 0;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return ca__prov_mix64(h) | 1;
}

uint64_t ca__prov_shingle(const ca__ptok *t, unsigned k)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    unsigned i;

    for (i = 0; i < k; i++)
        h = (h ^ t[i].h) * 0x100000001B3ULL + i;
    return ca__prov_mix64(h);
}

/* Length of a URL starting at s[0..n) (http://, https://, www.), else 0. */
static size_t url_len(const char *s, size_t n)
{
    size_t i = 0;

    if (*s != 'h' && *s != 'H' && *s != 'w' && *s != 'W')
        return 0; /* most words: no string compared */
    if (!((n > 7 && !strncasecmp(s, "http://", 7)) || (n > 8 && !strncasecmp(s, "https://", 8)) ||
          (n > 4 && !strncasecmp(s, "www.", 4))))
        return 0;
    while (i < n && s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
        i++;
    return i;
}

/*
 * One word starting at s[i] (a word character): its end and hash, whether
 * it starts with a capital or a digit. Returns the end offset.
 */
static size_t scan_word(const char *s, size_t i, size_t n, uint32_t *ret_h, uint32_t *ret_flags)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t h = 2166136261u, c;
    size_t len, end = i;
    int first = 1;

    while (end < n) {
        c = next_cp(u + end, n - end, &len);
        if (is_apostrophe(c) && !first && end + len < n) {
            size_t l2;
            uint32_t c2 = next_cp(u + end + len, n - end - len, &l2);

            if (!is_word_cp(c2) || is_cjk(c2))
                break;
            h = hash_cp(h, '\'');
            end += len;
            continue;
        }
        if (!is_word_cp(c) || (is_cjk(c) && !first))
            break;
        if (first) {
            if (lower_cp(c) != c)
                *ret_flags |= PT_CAP;
            if (c >= '0' && c <= '9')
                *ret_flags |= PT_DIGIT;
        }
        h = hash_cp(h, lower_cp(c));
        end += len;
        if (is_cjk(c))
            break;
        first = 0;
    }
    *ret_h = fmix32(h);
    return end;
}

size_t ca__prov_words(const char *s, size_t n, uint32_t *out, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k = 0, len;

    while (i < n) {
        uint32_t c = next_cp(u + i, n - i, &len), h, fl = 0;

        if (!is_word_cp(c)) {
            i += len;
            continue;
        }
        i = scan_word(s, i, n, &h, &fl);
        if (k < max)
            out[k] = h;
        k++;
    }
    return k;
}

/* Hashes of abbreviations that end with a period mid-sentence. */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt",
    "cmdr", "maj", "adm", "gov", "sen", "rep", "rev", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "inc", "corp",
    "ltd", "co", "approx", "dept", "est", "fig", "vol", "pp", "ch", "art", "ул", "г",
};

int ca__prov_abbreviation(const ca__ptok *t)
{
    static uint32_t hashes[sizeof abbreviations / sizeof *abbreviations];
    static int ready;
    size_t i;

    if (!ready) { /* computed once; the same values from any thread */
        for (i = 0; i < sizeof abbreviations / sizeof *abbreviations; i++)
            ca__prov_words(abbreviations[i], strlen(abbreviations[i]), &hashes[i], 1);
        ready = 1;
    }
    if ((t->flags & PT_CAP) && t->end - t->start == 1)
        return 1; /* an initial: "J. Smith", "U.S." */
    for (i = 0; i < sizeof abbreviations / sizeof *abbreviations; i++)
        if (hashes[i] == t->h)
            return 1;
    return 0;
}

int ca__prov_gap_has(const char *text, size_t a, size_t b, const char *set)
{
    for (; a < b; a++)
        if (strchr(set, text[a]) && text[a])
            return 1;
    return 0;
}

/* Does the gap text[a..b) between two words end a sentence? */
static int sentence_gap(const char *text, size_t a, size_t b)
{
    size_t i;

    for (i = a; i < b; i++) {
        if (text[i] == '.' || text[i] == '!' || text[i] == '?')
            return 1;
        if (i + 3 <= b && !memcmp(text + i, "\xE2\x80\xA6", 3))
            return 1; /* ... */
    }
    return 0;
}

/* Does the gap open a quotation (the next word is its first)? */
static int opens_quote(const char *text, size_t a, size_t b)
{
    size_t i;

    for (i = a; i < b; i++) {
        if (text[i] == '"')
            return 1;
        if (i + 3 <= b && (!memcmp(text + i, "\xE2\x80\x9C", 3) ||
                           !memcmp(text + i, "\xE2\x80\x9E", 3)))
            return 1;
        if (i + 2 <= b && !memcmp(text + i, "\xC2\xAB", 2))
            return 1;
    }
    return 0;
}

static ca_status push_tok(ca__ptext *pt, const ca__ptok *t)
{
    if (pt->ntok == pt->tok_cap) {
        size_t ncap = pt->tok_cap ? pt->tok_cap * 2 : 256;
        ca__ptok *p = realloc(pt->tok, ncap * sizeof *p);

        if (!p)
            return CA_NOMEM;
        pt->tok = p;
        pt->tok_cap = ncap;
    }
    pt->tok[pt->ntok++] = *t;
    return CA_OK;
}

/* The words of paragraph pa. */
static ca_status words_of(ca__ptext *pt, ca__ppara *pa, uint32_t para, size_t max_words)
{
    const unsigned char *u = (const unsigned char *)pt->text;
    size_t i = pa->start, len, ul;
    ca_status st = CA_OK;

    pa->tok0 = (uint32_t)pt->ntok;
    while (i < pa->end && st == CA_OK && pt->ntok < max_words) {
        uint32_t c = next_cp(u + i, pa->end - i, &len);
        ca__ptok t = {0, 0, 0, para, 0};

        if (!is_word_cp(c)) {
            i += len;
            continue;
        }
        if ((ul = url_len(pt->text + i, pa->end - i)) != 0) {
            i += ul;
            continue;
        }
        t.start = (uint32_t)i;
        i = scan_word(pt->text, i, pa->end, &t.h, &t.flags);
        t.end = (uint32_t)i;
        if (pt->ntok == pa->tok0) {
            t.flags |= PT_PARA | PT_SENT;
        } else {
            const ca__ptok *prev = &pt->tok[pt->ntok - 1];

            if (sentence_gap(pt->text, prev->end, t.start) && !ca__prov_abbreviation(prev) &&
                (t.flags & (PT_CAP | PT_DIGIT) || opens_quote(pt->text, prev->end, t.start)))
                t.flags |= PT_SENT;
        }
        st = push_tok(pt, &t);
    }
    pa->tok1 = (uint32_t)pt->ntok;
    return st;
}

/* Is text[i..] a blank line break: "\n", blanks, "\n"? Returns its end. */
static size_t blank_break(const char *s, size_t i, size_t n)
{
    size_t j;

    if (s[i] != '\n')
        return 0;
    for (j = i + 1; j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'); j++)
        ;
    return j < n && s[j] == '\n' ? j + 1 : 0;
}

ca_status ca__ptext_build(ca__ptext *pt, const char *text, size_t len, size_t max_words)
{
    size_t i = 0, start, end, brk;
    ca_status st = CA_OK;

    memset(pt, 0, sizeof *pt);
    pt->text = text ? text : "";
    pt->len = text ? len : 0;
    if (pt->len > UINT32_MAX - 1)
        pt->len = UINT32_MAX - 1; /* offsets are 32-bit; 4 GB of text is cut */
    while (i < pt->len && st == CA_OK) {
        start = i;
        for (brk = 0; i < pt->len && !(brk = blank_break(pt->text, i, pt->len)); i++)
            ;
        end = i;
        i = brk ? brk : pt->len;
        while (start < end && strchr(" \t\r\n", pt->text[start]))
            start++;
        while (end > start && strchr(" \t\r\n", pt->text[end - 1]))
            end--;
        if (start == end)
            continue;
        if (pt->npara == pt->para_cap) {
            size_t ncap = pt->para_cap ? pt->para_cap * 2 : 32;
            ca__ppara *p = realloc(pt->para, ncap * sizeof *p);

            if (!p) {
                st = CA_NOMEM;
                break;
            }
            pt->para = p;
            pt->para_cap = ncap;
        }
        pt->para[pt->npara] = (ca__ppara){(uint32_t)start, (uint32_t)end, 0, 0};
        st = words_of(pt, &pt->para[pt->npara], (uint32_t)pt->npara, max_words);
        pt->npara++;
    }
    if (st != CA_OK)
        ca__ptext_release(pt);
    return st;
}

void ca__ptext_release(ca__ptext *pt)
{
    free(pt->tok);
    free(pt->para);
    pt->tok = NULL;
    pt->para = NULL;
    pt->ntok = pt->npara = pt->tok_cap = pt->para_cap = 0;
}

size_t ca__ptext_sent_start(const ca__ptext *pt, size_t i)
{
    while (i > 0 && !(pt->tok[i].flags & PT_SENT))
        i--;
    return i;
}

size_t ca__ptext_sent_end(const ca__ptext *pt, size_t i)
{
    i++;
    while (i < pt->ntok && !(pt->tok[i].flags & PT_SENT))
        i++;
    return i;
}

void ca__ptext_sent_bytes(const ca__ptext *pt, size_t i, size_t *ret_a, size_t *ret_b)
{
    size_t s = ca__ptext_sent_start(pt, i), e = ca__ptext_sent_end(pt, i);
    const ca__ppara *pa = &pt->para[pt->tok[i].para];
    size_t a = pt->tok[s].start, b;

    /* the sentence runs from its first word (with an opening quote before
     * it) to the last mark before the next sentence's first word */
    if (s == pa->tok0)
        a = pa->start;
    else
        while (a > pa->start && !strchr(" \t\r\n", pt->text[a - 1]))
            a--;
    /* ...and to the marks after its last word, up to the next blank */
    b = pt->tok[e - 1].end;
    while (b < pa->end && !strchr(" \t\r\n", pt->text[b]))
        b++;
    *ret_a = a;
    *ret_b = b;
}

int ca__ptext_codeish(const ca__ptext *pt, size_t para)
{
    const ca__ppara *pa = &pt->para[para];
    size_t i, marks = 0, n = pa->end - pa->start;

    for (i = pa->start; i < pa->end; i++) {
        char c = pt->text[i];

        if (strchr("{}();=<>[]$|\\", c) && c)
            marks++;
        if (i + 1 < pa->end && ((c == '=' && pt->text[i + 1] == '>') ||
                                (c == '(' && pt->text[i + 1] == ')') ||
                                (c == '&' && pt->text[i + 1] != ' ')))
            return 1; /* "=>", "()", "a=1&b=2" */
    }
    return n && marks * 100 >= n * 4; /* punctuation of code, not of prose */
}

char *ca__prov_excerpt(const char *text, size_t start, size_t end, size_t max)
{
    char *s = ca__collapse_ws(text + start, end > start ? end - start : 0);
    size_t n, cut;

    if (!s || (n = strlen(s)) <= max)
        return s;
    cut = max > 3 ? max - 3 : 0;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    n = cut;
    while (n > cut / 2 && s[n] != ' ')
        n--;
    if (n <= cut / 2)
        n = cut;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    memcpy(s + n, "...", 4);
    return s;
}

char *ca__prov_words_text(const ca__ptext *pt, size_t a, size_t b)
{
    if (a >= b || b > pt->ntok)
        return NULL;
    return ca__collapse_ws(pt->text + pt->tok[a].start, pt->tok[b - 1].end - pt->tok[a].start);
}

void *ca__prov_push(void **v, size_t *n, size_t *cap, size_t size)
{
    char *p;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 2; /* most arrays of a document hold one or two */

        p = realloc(*v, ncap * size);
        if (!p)
            return NULL;
        *v = p;
        *cap = ncap;
    }
    p = (char *)*v + *n * size;
    memset(p, 0, size);
    (*n)++;
    return p;
}
