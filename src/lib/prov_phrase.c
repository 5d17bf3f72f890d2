/*
 * prov_phrase.c - the phrase lists of src/lib/data/ (attributions.txt and
 * boilerplate.txt, compiled in by gen-list.py) turned into word hashes,
 * matched against a document's words, and the first use of them: finding
 * the appeals and the page chrome a text copy of an article carries.
 *
 * An outlet's donation appeal is not the outlet's reporting, and with
 * one or two documents of an outlet nothing recurs to give it away, so it
 * is found by what it says. A paragraph scores one cue per appeal phrase
 * it holds ("dear readers", "your support", "support us monthly"). Cue
 * paragraphs at most three paragraphs apart form a run; a run with three
 * cues, or two near the start or the end of the document (where appeals
 * stand), is an appeal, taken from its first to its last paragraph with
 * the short lines around it ("A Message from The Moscow Times:", "Remind
 * me later."). A short paragraph (at most 15 words) that starts with a
 * chrome phrase ("Related article:", "Read more", "Original url:") is
 * page chrome, and so is a paragraph of at most five words holding one.
 */
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"

static const char *const kind_names[PK_COUNT] = {
    [PK_VERB] = "verb", [PK_STATEMENT] = "statement", [PK_PLATFORM] = "platform",
    [PK_ACCORDING] = "according", [PK_ANONYMOUS] = "anonymous", [PK_ANON_NOUN] = "anon-noun",
    [PK_CREDIT] = "credit", [PK_PLATFORM_NAME] = "platform-name", [PK_PRONOUN] = "pronoun",
    [PK_PASSIVE] = "passive", [PK_APPEAL] = "appeal", [PK_CHROME] = "chrome",
    [PK_WRITER] = "writer", [PK_NOBODY] = "nobody", [PK_MODAL] = "modal",
};

/* Longest appeal run's reach and the short lines taken with it. */
#define APPEAL_GAP 3
#define SHORT_LINE_WORDS 8
#define CHROME_MAX_WORDS 15
#define CHROME_ANYWHERE_WORDS 5

static int kind_of(const char *s, size_t n)
{
    int k;

    for (k = 0; k < PK_COUNT; k++)
        if (strlen(kind_names[k]) == n && !memcmp(kind_names[k], s, n))
            return k;
    return -1;
}

/* Compile one "LANG KIND WORDS..." line; 0 when it is not one. */
static int compile(const char *line, ca__pphrase *ph)
{
    const char *kind = strchr(line, ' '), *words, *p;
    size_t n = 0;

    if (!kind)
        return 0;
    kind++;
    words = strchr(kind, ' ');
    if (!words || (ph->kind = kind_of(kind, (size_t)(words - kind))) < 0)
        return 0;
    ph->text = ++words;
    for (p = words; *p && n < PHRASE_MAX_WORDS;) {
        size_t len = strcspn(p, " ");

        if (len == 10 && !memcmp(p, "{platform}", 10))
            ph->w[n++] = PHRASE_SLOT;
        else if (ca__prov_words(p, len, &ph->w[n], 1) == 1)
            n++;
        else
            return 0; /* a word that is not one ("-"), or two ("a-b"): skip the line */
        p += len;
        while (*p == ' ')
            p++;
    }
    ph->n = (unsigned)n;
    return n > 0 && !*p;
}

ca_status ca__phrases_build(ca__phrases *ps)
{
    size_t total = ca__attr_phrases_count + ca__boiler_phrases_count, i, k = 0;
    size_t at[PK_COUNT + 1] = {0};
    ca__pphrase *tmp = calloc(total ? total : 1, sizeof *tmp);
    int kind;

    memset(ps, 0, sizeof *ps);
    ps->v = calloc(total ? total : 1, sizeof *ps->v);
    if (!ps->v || !tmp) {
        free(tmp);
        free(ps->v);
        ps->v = NULL;
        return CA_NOMEM;
    }
    for (i = 0; i < total; i++) {
        const char *line = i < ca__attr_phrases_count
                               ? ca__attr_phrases[i]
                               : ca__boiler_phrases[i - ca__attr_phrases_count];

        if (line && compile(line, &tmp[k]))
            at[tmp[k++].kind + 1]++;
    }
    /* grouped by kind, in list order within a kind (a counting sort) */
    for (kind = 0; kind < PK_COUNT; kind++)
        at[kind + 1] += at[kind];
    memcpy(ps->first, at, sizeof at);
    for (i = 0; i < k; i++)
        ps->v[at[tmp[i].kind]++] = tmp[i];
    ps->n = k;
    free(tmp);
    for (i = 0; i < ps->n; i++) {
        uint64_t *f = ps->starts[ps->v[i].kind];

        if (ps->v[i].w[0] == PHRASE_SLOT)
            memset(f, 0xff, sizeof ps->starts[0]);
        else
            f[ps->v[i].w[0] >> 6 & 63] |= 1ULL << (ps->v[i].w[0] & 63);
    }
    return CA_OK;
}

void ca__phrases_release(ca__phrases *ps)
{
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}

int ca__phrases_is(const ca__phrases *ps, int kind, uint32_t h)
{
    size_t i;

    for (i = ps->first[kind]; i < ps->first[kind + 1]; i++)
        if (ps->v[i].n == 1 && ps->v[i].w[0] == h)
            return 1;
    return 0;
}

/* The longest platform name at t[i..n): its word count, 0 when none. */
static size_t platform_at(const ca__phrases *ps, const ca__ptok *t, size_t i, size_t n,
                          const ca__pphrase **ret)
{
    size_t best = 0, k, j;

    for (k = ps->first[PK_PLATFORM_NAME]; k < ps->first[PK_PLATFORM_NAME + 1]; k++) {
        const ca__pphrase *ph = &ps->v[k];

        if (ph->n <= best || i + ph->n > n)
            continue;
        for (j = 0; j < ph->n && t[i + j].h == ph->w[j]; j++)
            ;
        if (j == ph->n) {
            best = ph->n;
            *ret = ph;
        }
    }
    return best;
}

size_t ca__phrases_match(const ca__phrases *ps, int kind, const ca__ptok *t, size_t i,
                         size_t n, const ca__pphrase **ret, const ca__pphrase **ret_slot)
{
    size_t best = 0, k;

    if (ret_slot)
        *ret_slot = NULL;
    if (i >= n || !(ps->starts[kind][t[i].h >> 6 & 63] >> (t[i].h & 63) & 1))
        return 0; /* no phrase of kind starts with this word */
    for (k = ps->first[kind]; k < ps->first[kind + 1]; k++) {
        const ca__pphrase *ph = &ps->v[k], *slot = NULL;
        size_t pos = i, j, len;

        if (ph->w[0] != PHRASE_SLOT && (i >= n || t[i].h != ph->w[0]))
            continue;
        for (j = 0; j < ph->n; j++) {
            if (ph->w[j] == PHRASE_SLOT) {
                len = platform_at(ps, t, pos, n, &slot);
                if (!len)
                    break;
                pos += len;
            } else if (pos < n && t[pos].h == ph->w[j]) {
                pos++;
            } else {
                break;
            }
        }
        if (j == ph->n && pos - i > best) {
            best = pos - i;
            if (ret)
                *ret = ph;
            if (ret_slot)
                *ret_slot = slot;
        }
    }
    return best;
}

/* Appeal phrases in paragraph pa: how many distinct ones. */
static unsigned appeal_cues(const ca__phrases *ps, const ca__ptext *pt, const ca__ppara *pa)
{
    size_t nk = ps->first[PK_APPEAL + 1] - ps->first[PK_APPEAL], i, k, j;
    unsigned cues = 0;
    unsigned char seen[256];

    memset(seen, 0, sizeof seen);
    for (i = pa->tok0; i < pa->tok1; i++) {
        uint32_t h = pt->tok[i].h;

        if (!(ps->starts[PK_APPEAL][h >> 6 & 63] >> (h & 63) & 1))
            continue;
        for (k = 0; k < nk && k < sizeof seen; k++) {
            const ca__pphrase *ph = &ps->v[ps->first[PK_APPEAL] + k];

            if (seen[k] || ph->w[0] != h || i + ph->n > pa->tok1)
                continue;
            for (j = 1; j < ph->n && pt->tok[i + j].h == ph->w[j]; j++)
                ;
            if (j == ph->n) {
                seen[k] = 1;
                cues++;
            }
        }
    }
    return cues;
}

static int is_chrome(const ca__phrases *ps, const ca__ptext *pt, const ca__ppara *pa)
{
    size_t words = pa->tok1 - pa->tok0, i;
    const ca__pphrase *ph = NULL;

    if (!words || words > CHROME_MAX_WORDS)
        return 0;
    /* a one-word phrase ("Related", "Advertisement") starts chrome only
     * with a colon after it or in a short paragraph: "Related to each
     * other: ..." is prose */
    if (ca__phrases_match(ps, PK_CHROME, pt->tok, pa->tok0, pa->tok1, &ph, NULL) &&
        (ph->n > 1 || words <= CHROME_ANYWHERE_WORDS ||
         (pa->tok0 + 1 < pa->tok1 &&
          ca__prov_gap_has(pt->text, pt->tok[pa->tok0].end, pt->tok[pa->tok0 + 1].start, ":"))))
        return 1;
    for (i = pa->tok0 + 1; words <= CHROME_ANYWHERE_WORDS && i < pa->tok1; i++)
        if (ca__phrases_match(ps, PK_CHROME, pt->tok, i, pa->tok1, NULL, NULL))
            return 1;
    return 0;
}

static size_t para_words(const ca__ptext *pt, size_t p)
{
    return pt->para[p].tok1 - pt->para[p].tok0;
}

static ca_status add_range(ca__brange **v, size_t *n, size_t *cap, size_t tok0, size_t tok1,
                           ca_prov_boiler_kind kind)
{
    ca__brange *r;

    if (tok0 >= tok1)
        return CA_OK;
    r = ca__prov_push((void **)v, n, cap, sizeof **v);
    if (!r)
        return CA_NOMEM;
    r->tok0 = (uint32_t)tok0;
    r->tok1 = (uint32_t)tok1;
    r->kind = kind;
    return CA_OK;
}

/* Mark paragraphs [first, last] (with the short lines around) an appeal. */
static void widen(const ca__ptext *pt, size_t *first, size_t *last)
{
    size_t k;

    for (k = 0; k < 2 && *first > 0 && para_words(pt, *first - 1) <= SHORT_LINE_WORDS; k++)
        (*first)--;
    while (*last + 1 < pt->npara && para_words(pt, *last + 1) <= SHORT_LINE_WORDS)
        (*last)++;
}

ca_status ca__prov_phrase_boiler(const ca__phrases *ps, ca__ptext *pt, ca__brange **ret,
                                 size_t *ret_n)
{
    unsigned *cue = calloc(pt->npara ? pt->npara : 1, sizeof *cue);
    unsigned char *mark = calloc(pt->npara ? pt->npara : 1, 1);
    ca__brange *v = NULL;
    size_t n = 0, cap = 0, p, q, i;
    ca_status st = CA_OK;

    *ret = NULL;
    *ret_n = 0;
    if (!cue || !mark)
        goto nomem;
    for (p = 0; p < pt->npara; p++)
        cue[p] = appeal_cues(ps, pt, &pt->para[p]);
    for (p = 0; p < pt->npara; p = q + 1) {
        size_t last = p;
        unsigned total = cue[p];

        q = p;
        if (!cue[p])
            continue;
        for (i = p + 1; i < pt->npara && i <= last + APPEAL_GAP; i++)
            if (cue[i]) {
                last = i;
                total += cue[i];
            }
        q = last;
        if (total >= 3 || (total >= 2 && (p < 2 || last + 3 >= pt->npara))) {
            size_t first = p;

            widen(pt, &first, &last);
            for (i = first; i <= last; i++)
                mark[i] = 1;
            q = last;
        }
    }
    for (p = 0; p < pt->npara; p++)
        if (!mark[p] && is_chrome(ps, pt, &pt->para[p]))
            mark[p] = 2;
    for (p = 0; p < pt->npara && st == CA_OK; p = q) {
        for (q = p + 1; q < pt->npara && mark[q] == mark[p]; q++)
            ;
        if (mark[p])
            st = add_range(&v, &n, &cap, pt->para[p].tok0, pt->para[q - 1].tok1,
                           mark[p] == 1 ? CA_PROV_BOILER_APPEAL : CA_PROV_BOILER_CHROME);
    }
    if (st != CA_OK)
        goto nomem;
    for (i = 0; i < n; i++)
        for (p = v[i].tok0; p < v[i].tok1; p++)
            pt->tok[p].flags |= PT_BOILER;
    free(cue);
    free(mark);
    *ret = v;
    *ret_n = n;
    return CA_OK;
nomem:
    free(cue);
    free(mark);
    free(v);
    return CA_NOMEM;
}
