/*
 * prov_attrib.c - attributions: sentences that say where a claim comes
 * from ("the Defense Ministry said in a statement", "Gladkov alleged via
 * Telegram", "according to Ukrainian military intelligence", "(Photo:
 * Mash/Telegram)"), with the source or platform they name, and whether
 * the document links anything there to check them by.
 *
 * The phrases are in src/lib/data/attributions.txt. Each word of a
 * paragraph outside quotation marks is tried, longest phrase first:
 * statement, platform, anonymous-source and "according to" phrases, then
 * photo credits (a credit word followed by ':' or "by" that names a
 * platform), then bare speech verbs ("X said"). A sentence with a
 * specific phrase does not also count its speech verb.
 *
 * The source of "X said" is the subject before the verb: the run of
 * capitalised words right before it ("Oblast Governor Vyacheslav
 * Gladkov alleged"), widened over "of the ..." to the clause start ("a
 * representative of the French Foreign Ministry"), or else the words back
 * to the clause start ("Kyiv Post's source among the special services
 * said"), at most 10 words. Pronouns stand for the last source named. A
 * subject naming a source ("the source", "sources") makes an anonymous
 * attribution.
 *
 * An attribution is linked when a citation stands in its paragraph, or
 * in a bare-link paragraph right after it (an embedded post); else it is
 * unlinked, and a citation elsewhere in the document whose source key
 * holds the source's last name (t.me/vvgladkov for "Gladkov") is named as
 * a link elsewhere.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "prov_int.h"
#include "strutil.h"

#define SUBJECT_MAX 10
#define NAME_MAX_WORDS 6
#define ACCORDING_WORDS 8
#define CREDIT_WORDS 6
#define SENTENCE_MAX 400
#define CLAUSE_MARKS ",;:()[]\"!?"

/* Function words the subject rules need, hashed once. */
enum { W_THE, W_OF, W_A, W_AN, W_BY, W_VIA, W_COURTESY, W_COUNT };
static const char *const fwords[W_COUNT] = {"the", "of", "a", "an", "by", "via", "courtesy"};

/* Words between a subject and its verb ("the source also noted"); lowercase
 * "-ly" adverbs too. */
static const char *const between[] = {"also", "has", "have", "had", "later", "then",
                                      "again", "further", "already", "once", "yesterday",
                                      "today", "tonight", "now", "since", "often", "first",
                                      "even", "still", "just"};

/* Relative pronouns: a clause that describes the subject, or ends a
 * source's name ("a programmer who has released ..."). */
static const char *const relatives[] = {"which", "who", "whose", "whom", "where", "that",
                                        "when"};

/* Words a subject cannot end with. */
static const char *const trailers[] = {"and", "or", "but", "in", "of", "the", "a", "an",
                                       "to", "with", "for", "on", "at", "by", "from", "that"};

/* Words after which a past participle is not a speech verb ("explosions
 * reported in Belgorod"). */
static const char *const participle_next[] = {"in", "by", "at", "near", "from", "across",
                                              "over", "during", "after", "as", "to",
                                              "on"};

/* Words that deny what the verb would attribute ("has not claimed"). */
static const char *const negations[] = {"not", "never", "no"};

/* Words a clause starts with, dropped from a subject. */
static const char *const openers[] = {"that", "and", "but", "which", "who", "while", "as",
                                      "when", "where", "because", "so", "meanwhile", "however",
                                      "although", "though", "if", "after", "before", "yet"};

static uint32_t fw[W_COUNT];
static uint32_t between_h[sizeof between / sizeof *between];
static uint32_t openers_h[sizeof openers / sizeof *openers];
static uint32_t negations_h[sizeof negations / sizeof *negations];
static uint32_t relatives_h[sizeof relatives / sizeof *relatives];
static uint32_t trailers_h[sizeof trailers / sizeof *trailers];
static uint32_t participle_next_h[sizeof participle_next / sizeof *participle_next];

static void hash_words(void)
{
    static int ready;
    size_t i;

    if (ready)
        return;
    for (i = 0; i < W_COUNT; i++)
        ca__prov_words(fwords[i], strlen(fwords[i]), &fw[i], 1);
    for (i = 0; i < sizeof between / sizeof *between; i++)
        ca__prov_words(between[i], strlen(between[i]), &between_h[i], 1);
    for (i = 0; i < sizeof openers / sizeof *openers; i++)
        ca__prov_words(openers[i], strlen(openers[i]), &openers_h[i], 1);
    for (i = 0; i < sizeof negations / sizeof *negations; i++)
        ca__prov_words(negations[i], strlen(negations[i]), &negations_h[i], 1);
    for (i = 0; i < sizeof relatives / sizeof *relatives; i++)
        ca__prov_words(relatives[i], strlen(relatives[i]), &relatives_h[i], 1);
    for (i = 0; i < sizeof trailers / sizeof *trailers; i++)
        ca__prov_words(trailers[i], strlen(trailers[i]), &trailers_h[i], 1);
    for (i = 0; i < sizeof participle_next / sizeof *participle_next; i++)
        ca__prov_words(participle_next[i], strlen(participle_next[i]), &participle_next_h[i], 1);
    ready = 1;
}

static int in_set(const uint32_t *set, size_t n, uint32_t h)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (set[i] == h)
            return 1;
    return 0;
}

/* Does the gap between words i and i + 1 hold clause punctuation (or a
 * quotation mark or dash)? */
static int clause_break(const ca__ptext *pt, size_t i)
{
    size_t a = pt->tok[i].end, b = pt->tok[i + 1].start, k;

    if (ca__prov_gap_has(pt->text, a, b, CLAUSE_MARKS))
        return 1;
    if (ca__prov_gap_has(pt->text, a, b, ".") && !ca__prov_abbreviation(&pt->tok[i]))
        return 1; /* "Mr. Reeves" goes on */
    for (k = a; k + 3 <= b; k++) /* “ ” « » — – */
        if (!memcmp(pt->text + k, "\xE2\x80\x9C", 3) || !memcmp(pt->text + k, "\xE2\x80\x9D", 3) ||
            !memcmp(pt->text + k, "\xE2\x80\x94", 3) || !memcmp(pt->text + k, "\xE2\x80\x93", 3))
            return 1;
    for (k = a; k + 2 <= b; k++)
        if (!memcmp(pt->text + k, "\xC2\xAB", 2) || !memcmp(pt->text + k, "\xC2\xBB", 2))
            return 1;
    return 0;
}

/* A lowercase word ending in "ly": an adverb between a subject and its
 * verb ("RMS has consistently argued"). */
static int adverb(const ca__ptext *pt, size_t i)
{
    const ca__ptok *t = &pt->tok[i];

    return !(t->flags & PT_CAP) && t->end - t->start >= 4 &&
           !memcmp(pt->text + t->end - 2, "ly", 2);
}

/* Step *e back over the words between a subject and its verb ("also",
 * "has", "reportedly"); 0 when a negation or a modal says that nothing
 * was said ("has not claimed", "might say"). */
static int skip_between(const ca__phrases *ps, const ca__ptext *pt, size_t s0, size_t *e)
{
    while (*e > s0 && !clause_break(pt, *e - 1)) {
        uint32_t h = pt->tok[*e - 1].h;

        if (in_set(negations_h, sizeof negations_h / sizeof *negations_h, h) ||
            ca__phrases_is(ps, PK_MODAL, h))
            return 0;
        if (!in_set(between_h, sizeof between_h / sizeof *between_h, h) && !adverb(pt, *e - 1))
            break;
        (*e)--;
    }
    return 1;
}

/* The first word of the clause that ends at e: back to clause punctuation
 * or the sentence start; (size_t)-1 when that is more than SUBJECT_MAX
 * words away. */
static size_t clause_start(const ca__ptext *pt, size_t s0, size_t e)
{
    size_t a = e - 1;

    while (a > s0 && !clause_break(pt, a - 1) && !(pt->tok[a - 1].flags & PT_QUOTE) &&
           e - a < SUBJECT_MAX)
        a--;
    if (a > s0 && !clause_break(pt, a - 1) && !(pt->tok[a - 1].flags & PT_QUOTE))
        return (size_t)-1;
    return a;
}

/* Capitalised words ending at e, nothing but blanks between: their start. */
static size_t name_start(const ca__ptext *pt, size_t s0, size_t e)
{
    size_t a = e - 1;

    while (a > s0 && (pt->tok[a - 1].flags & PT_CAP) && !clause_break(pt, a - 1) &&
           e - a < NAME_MAX_WORDS)
        a--;
    return a;
}

/* Could words [a, e) be the subject of a speech verb? */
static int plausible(const ca__phrases *ps, const ca__ptext *pt, size_t a, size_t e)
{
    size_t k;

    if (a >= e)
        return 0;
    for (k = a; k < e; k++)
        if (ca__phrases_is(ps, PK_PASSIVE, pt->tok[k].h) ||
            ca__phrases_match(ps, PK_VERB, pt->tok, k, e, NULL, NULL))
            return 0; /* "There is additional damage reported", "X said in a
                       * video posted": not the subject of this verb */
    if (in_set(trailers_h, sizeof trailers_h / sizeof *trailers_h, pt->tok[e - 1].h) ||
        (!(pt->tok[a].flags & PT_CAP) && pt->tok[a].h != fw[W_THE] && pt->tok[a].h != fw[W_A] &&
         pt->tok[a].h != fw[W_AN] &&
         in_set(trailers_h, sizeof trailers_h / sizeof *trailers_h, pt->tok[a].h)))
        return 0; /* "... in Pokrovsk and continued", "of respondents said": a
                   * clause or a fragment, not a subject */
    for (k = a; k < e; k++)
        if (in_set(negations_h, sizeof negations_h / sizeof *negations_h, pt->tok[k].h))
            return 0; /* "no group claimed": nobody did */
    if (pt->tok[e - 1].end - pt->tok[e - 1].start > 2 &&
        (!memcmp(pt->text + pt->tok[e - 1].end - 2, "'s", 2) ||
         (pt->tok[e - 1].end - pt->tok[e - 1].start > 4 &&
          !memcmp(pt->text + pt->tok[e - 1].end - 4, "\xE2\x80\x99s", 4))))
        return 0; /* "Yoon's": whose what? */
    if (ca__prov_gap_has(pt->text, pt->tok[a].start, pt->tok[e - 1].end, "$#[]{}<>|=/\\"))
        return 0; /* code, a table, a path: not prose */
    if (e - a == 1 && (ca__phrases_is(ps, PK_WRITER, pt->tok[a].h) ||
                       ca__phrases_is(ps, PK_NOBODY, pt->tok[a].h)))
        return 0; /* "I wrote", "we've added", "they say", "it said": nobody named */
    return 1;
}

static int relative(uint32_t h)
{
    return in_set(relatives_h, sizeof relatives_h / sizeof *relatives_h, h);
}

int ca__prov_subject_before(const ca__phrases *ps, const ca__ptext *pt, size_t v,
                            size_t *ret_a, size_t *ret_b)
{
    size_t s0 = ca__ptext_sent_start(pt, v), e = v, a;

    hash_words();
    if (!skip_between(ps, pt, s0, &e) || e == s0 || (pt->tok[e - 1].flags & PT_QUOTE))
        return 0;
    if (clause_break(pt, e - 1)) {
        /* a comma right before the verb: "Vyacheslav Gladkov, said" (the
         * name is the subject), "The catering giant, which ..., said" and
         * "Ajmi Lourimi, a member of ..., said" (the subject is before the
         * relative clause or the appositive), else not a subject here
         * ("..., says Mayer" is the caller's inversion) */
        a = clause_start(pt, s0, e);
        if (a == (size_t)-1)
            return 0;
        if ((pt->tok[a].flags & PT_CAP) && name_start(pt, s0, e) <= a &&
            plausible(ps, pt, a, e)) {
            *ret_a = a;
            *ret_b = e;
            return 1;
        }
        if (!(relative(pt->tok[a].h) || pt->tok[a].h == fw[W_A] || pt->tok[a].h == fw[W_AN] ||
              pt->tok[a].h == fw[W_THE]) || a <= s0 || !clause_break(pt, a - 1))
            return 0;
        e = a; /* "Ajmi Lourimi, a member of ..., said": the name before it */
    }
    a = e - 1;
    if (pt->tok[a].flags & PT_CAP) {
        a = name_start(pt, s0, e);
        if (!(a > s0 && !clause_break(pt, a - 1) &&
              (pt->tok[a - 1].h == fw[W_THE] || pt->tok[a - 1].h == fw[W_OF]))) {
            while (a + 1 < e && in_set(openers_h, sizeof openers_h / sizeof *openers_h,
                                       pt->tok[a].h))
                a++; /* "But Williams said" */
            if (!plausible(ps, pt, a, e))
                return 0;
            *ret_a = a;
            *ret_b = e;
            return 1;
        }
        /* "of the French Foreign Ministry", "the Russian Defense Ministry":
         * the rest of the clause belongs to it */
    }
    a = clause_start(pt, s0, e);
    if (a == (size_t)-1)
        return 0; /* no clause start in reach: not a subject */
    while (a < e && in_set(openers_h, sizeof openers_h / sizeof *openers_h, pt->tok[a].h))
        a++;
    if (!plausible(ps, pt, a, e))
        return 0;
    *ret_a = a;
    *ret_b = e;
    return 1;
}

int ca__prov_name_after(const ca__phrases *ps, const ca__ptext *pt, size_t v, size_t limit,
                        int names_only, size_t *ret_a, size_t *ret_b)
{
    size_t e = v, para;
    int cap;

    (void)ps;
    hash_words();
    if (v >= pt->ntok || (pt->tok[v].flags & (PT_SENT | PT_QUOTE)) ||
        (v > 0 && pt->tok[v - 1].para == pt->tok[v].para && clause_break(pt, v - 1) &&
         !ca__prov_gap_has(pt->text, pt->tok[v - 1].end, pt->tok[v].start, ",")))
        return 0;
    para = pt->tok[v].para;
    cap = names_only && (pt->tok[v].flags & PT_CAP) != 0;
    if (relative(pt->tok[v].h))
        return 0;
    for (e = v + 1; e < pt->ntok && e - v < limit && pt->tok[e].para == para; e++) {
        if (clause_break(pt, e - 1) || (pt->tok[e].flags & (PT_SENT | PT_QUOTE)) ||
            relative(pt->tok[e].h))
            break;
        if (cap && !(pt->tok[e].flags & PT_CAP) &&
            !(pt->tok[e].h == fw[W_OF] && e + 1 < pt->ntok && (pt->tok[e + 1].flags & PT_CAP)))
            break;
    }
    *ret_a = v;
    *ret_b = e;
    return 1;
}

/* Words that say a possessive subject's statement ("the ministry's
 * statement added"): dropped from the source. */
static const char *const said_by_nouns[] = {"statement", "post", "message", "video", "release",
                                            "announcement", "report", "account", "channel"};

char *ca__prov_source_text(const ca__ptext *pt, size_t a, size_t b)
{
    static uint32_t hs[sizeof said_by_nouns / sizeof *said_by_nouns];
    static int ready;
    char *s;
    size_t n, i;

    if (!ready) {
        for (i = 0; i < sizeof hs / sizeof *hs; i++)
            ca__prov_words(said_by_nouns[i], strlen(said_by_nouns[i]), &hs[i], 1);
        ready = 1;
    }
    if (b - a < 2 || !in_set(hs, sizeof hs / sizeof *hs, pt->tok[b - 1].h))
        return ca__prov_words_text(pt, a, b);
    s = ca__prov_words_text(pt, a, b - 1);
    n = s ? strlen(s) : 0;
    if (n > 2 && !strcmp(s + n - 2, "'s")) {
        s[n - 2] = '\0';
    } else if (n > 4 && !strcmp(s + n - 4, "\xE2\x80\x99s")) {
        s[n - 4] = '\0';
    } else { /* "The report suggested": the report is the source */
        free(s);
        s = ca__prov_words_text(pt, a, b);
    }
    return s;
}

size_t ca__prov_verb_at(const ca__phrases *ps, const ca__ptext *pt, size_t i, size_t end)
{
    if (i >= end || (pt->tok[i].flags & PT_CAP))
        return 0; /* "the United States", "Says": a name or a title, not a verb */
    return ca__phrases_match(ps, PK_VERB, pt->tok, i, end, NULL, NULL);
}

/* ---- links near a paragraph ---- */

/* The paragraph holding byte offset pos, or pt->npara. */
static size_t para_of(const ca__ptext *pt, size_t pos)
{
    size_t lo = 0, hi = pt->npara;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (pt->para[mid].start <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || pos > pt->para[lo - 1].end)
        return pt->npara;
    return lo - 1;
}

static int usable(const ca_citation *c)
{
    return c->region == CA_REGION_BODY && c->kind != CA_KIND_UNSUPPORTED && !c->invalid &&
           c->url && c->text_pos != CA_NO_POS;
}

/* A paragraph that is a link alone: no words, or an embedded post. */
static int link_alone(const ca_doc *doc, const ca__ptext *pt, size_t q)
{
    size_t i;
    int any = 0;

    for (i = 0; i < doc->ncites; i++) {
        const ca_citation *c = &doc->cites[i];

        if (!usable(c) || para_of(pt, c->text_pos) != q)
            continue;
        if (c->kind == CA_KIND_EMBED)
            return 1;
        any = 1;
    }
    return any && pt->para[q].tok0 == pt->para[q].tok1;
}

static ca_status add_url(const char ***v, size_t *n, size_t *cap, const char *url)
{
    size_t i;
    const char **slot;

    for (i = 0; i < *n; i++)
        if (!strcmp((*v)[i], url))
            return CA_OK;
    slot = ca__prov_push((void **)v, n, cap, sizeof *slot);
    if (!slot)
        return CA_NOMEM;
    *slot = url;
    return CA_OK;
}

static ca_status links_of(const ca_doc *doc, const ca__ptext *pt, size_t q, const char ***v,
                          size_t *n, size_t *cap)
{
    size_t i;

    for (i = 0; i < doc->ncites; i++)
        if (usable(&doc->cites[i]) && para_of(pt, doc->cites[i].text_pos) == q &&
            add_url(v, n, cap, doc->cites[i].url) != CA_OK)
            return CA_NOMEM;
    return CA_OK;
}

ca_status ca__prov_links_near(const ca_doc *doc, const ca__ptext *pt, size_t para,
                              const char ***ret, size_t *ret_n)
{
    size_t cap = 0, q, r;

    *ret = NULL;
    *ret_n = 0;
    if (links_of(doc, pt, para, ret, ret_n, &cap) != CA_OK)
        return CA_NOMEM;
    for (q = para + 1; q < pt->npara && q <= para + PROV_EMBED_REACH; q++) {
        if (!link_alone(doc, pt, q))
            continue;
        /* links that end the document, after its last sentence, are a list
         * of references, not the source of this paragraph */
        for (r = q + 1; r < pt->npara && pt->para[r].tok1 - pt->para[r].tok0 <= 3; r++)
            ;
        if (r < pt->npara && links_of(doc, pt, q, ret, ret_n, &cap) != CA_OK)
            return CA_NOMEM;
        break;
    }
    return CA_OK;
}

/* ---- attributions ---- */

struct finder {
    ca_prov *p;
    size_t d;
    const ca_doc *doc;
    const ca__ptext *pt;
    char *last_source; /* for pronouns */
    size_t first;      /* the document's first attribution */
};

/* A citation anywhere in the document whose source key holds the last
 * word of source (at least four letters). */
static const char *link_elsewhere(const ca_doc *doc, const char *source)
{
    const char *last;
    char word[64];
    size_t i, n;

    if (!source)
        return NULL;
    last = strrchr(source, ' ');
    last = last ? last + 1 : source;
    for (n = 0; last[n] && n + 1 < sizeof word; n++)
        word[n] = (char)tolower((unsigned char)last[n]);
    word[n] = '\0';
    if (n < 4)
        return NULL;
    for (i = 0; i < doc->ncites; i++) {
        const ca_citation *c = &doc->cites[i];

        if (c->region == CA_REGION_BODY && c->source && strstr(c->source, word))
            return c->url;
    }
    return NULL;
}

static ca_status add(struct finder *f, ca_prov_attr_kind kind, size_t w0, size_t w1,
                     char *source, char *platform)
{
    const ca__ptext *pt = f->pt;
    ca_prov_attribution *a;
    const char **links = NULL;
    size_t nlinks = 0, sa, sb;

    a = ca__prov_push((void **)&f->p->res.attributions, &f->p->res.nattributions,
                      &f->p->attr_cap, sizeof *a);
    if (!a) {
        free(source);
        free(platform);
        return CA_NOMEM;
    }
    a->doc = f->d;
    a->kind = kind;
    a->source = source;
    a->platform = platform;
    a->at = (ca_prov_span){pt->tok[w0].start, pt->tok[w1 - 1].end - pt->tok[w0].start,
                           pt->tok[w0].para + 1};
    a->phrase = ca__prov_words_text(pt, w0, w1);
    ca__ptext_sent_bytes(pt, w0, &sa, &sb);
    a->sentence = ca__prov_excerpt(pt->text, sa, sb, SENTENCE_MAX);
    if (!a->phrase || !a->sentence ||
        ca__prov_links_near(f->doc, pt, pt->tok[w0].para, &links, &nlinks) != CA_OK)
        return CA_NOMEM;
    if (nlinks)
        a->link = strdup(links[0]);
    else if (link_elsewhere(f->doc, source))
        a->link_elsewhere = strdup(link_elsewhere(f->doc, source));
    free(links);
    if ((nlinks && !a->link))
        return CA_NOMEM;
    return CA_OK;
}

/* The subject of the speech verb at v as text (pronouns resolved), or
 * NULL; *anonymous says whether it names an unnamed source. */
static char *subject_text(struct finder *f, size_t a, size_t b, int *anonymous)
{
    const ca__phrases *ps = &f->p->phrases;
    size_t i;

    *anonymous = 0;
    if (b - a == 1 && ca__phrases_is(ps, PK_PRONOUN, f->pt->tok[a].h))
        return f->last_source ? strdup(f->last_source) : NULL;
    for (i = a; i < b; i++)
        if (ca__phrases_is(ps, PK_ANON_NOUN, f->pt->tok[i].h))
            *anonymous = 1;
    if (b - a == 1 && !*anonymous && !(f->pt->tok[a].flags & PT_CAP))
        return NULL; /* "they say", "it said": nobody named */
    return ca__prov_source_text(f->pt, a, b);
}

/* Keep source as the one "he" or "she" stands for when it names a person:
 * capitalised words ("Mr. Reeves", "Vyacheslav Gladkov"), not an
 * organisation written with "The" ("The Korea Times"). */
static void remember(struct finder *f, const char *source, int anonymous)
{
    const char *p;

    if (!source || anonymous || !strncmp(source, "The ", 4) || !strncmp(source, "the ", 4))
        return;
    for (p = source; *p; p++)
        if ((p == source || p[-1] == ' ') && *p >= 'a' && *p <= 'z')
            return; /* a lowercase word: "a representative of ..." */
    free(f->last_source);
    f->last_source = strdup(source);
}

/* The source of a phrase at w0 that has no subject of its own: the
 * subject of the sentence's speech verb, before it or just after it. */
static char *sentence_subject(struct finder *f, size_t w0, size_t w1, int *anonymous)
{
    const ca__ptext *pt = f->pt;
    size_t s0 = ca__ptext_sent_start(pt, w0), s1 = ca__ptext_sent_end(pt, w0), v, a, b;

    *anonymous = 0;
    for (v = w0 + 1; v-- > s0;)
        if (!(pt->tok[v].flags & PT_QUOTE) && ca__prov_verb_at(&f->p->phrases, pt, v, s1) &&
            ca__prov_subject_before(&f->p->phrases, pt, v, &a, &b))
            return subject_text(f, a, b, anonymous);
    for (v = w1; v < s1 && v < w1 + 4; v++)
        if (ca__prov_verb_at(&f->p->phrases, pt, v, s1) &&
            ca__prov_subject_before(&f->p->phrases, pt, v, &a, &b))
            return subject_text(f, a, b, anonymous);
    return NULL;
}

/* A photo or video credit at w naming a platform: "(Photo: Mash/Telegram)". */
static ca_status credit(struct finder *f, size_t w, size_t end, int *found)
{
    const ca__ptext *pt = f->pt;
    const ca__pphrase *ph, *slot;
    size_t c0 = w + 1, c1, k, cut;
    char *source = NULL, *platform = NULL;

    *found = 0;
    if (c0 >= end || !(ca__prov_gap_has(pt->text, pt->tok[w].end, pt->tok[c0].start, ":") ||
                       pt->tok[c0].h == fw[W_BY] || pt->tok[c0].h == fw[W_COURTESY]))
        return CA_OK;
    if (pt->tok[c0].h == fw[W_BY] || pt->tok[c0].h == fw[W_COURTESY])
        c0++;
    for (c1 = c0; c1 < end && c1 < c0 + CREDIT_WORDS; c1++)
        if (c1 > c0 && ca__prov_gap_has(pt->text, pt->tok[c1 - 1].end, pt->tok[c1].start,
                                        ").;\n"))
            break;
    for (k = c0; k < c1; k++) {
        size_t len = ca__phrases_match(&f->p->phrases, PK_PLATFORM_NAME, pt->tok, k, c1, &ph,
                                       &slot);

        if (len) {
            platform = ca__prov_words_text(pt, k, k + len);
            break;
        }
    }
    if (!platform)
        return CA_OK;
    for (cut = c0; cut < k; cut++) /* the credited name: before "/" or "via" */
        if ((cut > c0 && ca__prov_gap_has(pt->text, pt->tok[cut - 1].end, pt->tok[cut].start,
                                          "/")) || pt->tok[cut].h == fw[W_VIA])
            break;
    if (cut > c0 && !(source = ca__prov_words_text(pt, c0, cut))) {
        free(platform);
        return CA_NOMEM;
    }
    *found = 1;
    return add(f, CA_PROV_ATTR_CREDIT, w, c1, source, platform);
}

/* A past participle, not a speech verb: "-ed" followed by "in", "by"... */
static int participle(const ca__ptext *pt, size_t v, size_t len)
{
    const ca__ptok *t = &pt->tok[v];

    return len == 1 && t->end - t->start > 2 && !memcmp(pt->text + t->end - 2, "ed", 2) &&
           v + 1 < pt->ntok && t[1].para == t->para &&
           in_set(participle_next_h, sizeof participle_next_h / sizeof *participle_next_h,
                  t[1].h);
}

/* A headline or teaser: at least four words, most of them capitalised, no
 * sentence mark at the end ("Ukraine Tells China that Russia Not Ready"). */
static int headline(const ca__ptext *pt, const ca__ppara *pa)
{
    size_t i, caps = 0, n = pa->tok1 - pa->tok0;
    char last = pt->text[pa->end - 1];

    if (n < 4 || last == '.' || last == '!' || last == '?' || last == '"' || last == ':')
        return 0;
    for (i = pa->tok0; i < pa->tok1; i++)
        caps += (pt->tok[i].flags & PT_CAP) != 0;
    return caps * 10 >= n * 6;
}

/* "..., says Mayer", "..., say the researchers": after a comma, the verb,
 * then a name (or "the ...") that ends the clause. */
static int inverted(struct finder *f, size_t i, size_t len, size_t *a, size_t *b)
{
    const ca__ptext *pt = f->pt;
    size_t v = i + len;

    if (!i || pt->tok[i - 1].para != pt->tok[i].para || !clause_break(pt, i - 1) ||
        v >= pt->ntok || pt->tok[v].para != pt->tok[i].para ||
        !((pt->tok[v].flags & PT_CAP) || pt->tok[v].h == fw[W_THE]) ||
        ca__phrases_is(&f->p->phrases, PK_PRONOUN, pt->tok[v].h) ||
        !ca__prov_name_after(&f->p->phrases, pt, v, NAME_MAX_WORDS, 1, a, b) ||
        !plausible(&f->p->phrases, pt, *a, *b))
        return 0;
    if (pt->tok[v].flags & PT_CAP)
        return 1; /* "said Tasos Georgelis of the city's Department ..." */
    return *b >= pt->ntok || pt->tok[*b].para != pt->tok[v].para || /* "say the researchers." */
           (pt->tok[*b].flags & PT_SENT) || clause_break(pt, *b - 1);
}

/* Try the phrases at word i; *ret_len gets the words used (0: none). */
static ca_status try_at(struct finder *f, size_t i, size_t end, size_t *ret_len)
{
    static const struct {
        int pk;
        ca_prov_attr_kind kind;
    } specific[] = {
        {PK_STATEMENT, CA_PROV_ATTR_STATEMENT},
        {PK_PLATFORM, CA_PROV_ATTR_PLATFORM},
        {PK_ANONYMOUS, CA_PROV_ATTR_ANONYMOUS},
        {PK_ACCORDING, CA_PROV_ATTR_ACCORDING},
    };
    const ca__phrases *ps = &f->p->phrases;
    const ca__pphrase *ph, *slot, *bslot = NULL, *bph = NULL;
    size_t k, len, a, b, best, bk = 0;
    char *source, *platform = NULL;
    int anon, found;

    *ret_len = 0;
    for (k = 0, best = 0; k < sizeof specific / sizeof *specific; k++) {
        len = ca__phrases_match(ps, specific[k].pk, f->pt->tok, i, end, &ph, &slot);
        if (len > best) {
            best = len;
            bk = k;
            bslot = slot;
            bph = ph;
        }
    }
    if (best) { /* the longest phrase of any kind */
        k = bk;
        len = best;
        slot = bslot;
        *ret_len = len;
        if (specific[k].kind == CA_PROV_ATTR_ACCORDING && i + len < end &&
            ca__phrases_is(ps, PK_NOBODY, f->pt->tok[i + len].h))
            return CA_OK; /* "priced according to how expensive...": no source */
        if (specific[k].kind == CA_PROV_ATTR_ACCORDING)
            source = ca__prov_name_after(ps, f->pt, i + len, ACCORDING_WORDS, 0, &a, &b)
                         ? ca__prov_words_text(f->pt, a, b) : NULL;
        else
            source = sentence_subject(f, i, i + len, &anon);
        if (specific[k].kind == CA_PROV_ATTR_PLATFORM && bph && bph->n <= 2 && !source) {
            *ret_len = 0; /* "tagging me on social media", "went viral on X":
                           * "on X" attributes only with someone speaking */
            return CA_OK;
        }
        if (slot) { /* the platform as the document writes it */
            for (a = i; a < i + len && f->pt->tok[a].h != slot->w[0]; a++)
                ;
            platform = ca__prov_words_text(f->pt, a, a + slot->n);
        }
        remember(f, source, specific[k].kind == CA_PROV_ATTR_ANONYMOUS ||
                                specific[k].kind == CA_PROV_ATTR_ACCORDING);
        return add(f, specific[k].kind, i, i + len, source, platform);
    }
    if (ca__phrases_is(ps, PK_CREDIT, f->pt->tok[i].h)) {
        if (credit(f, i, end, &found) != CA_OK)
            return CA_NOMEM;
        if (found) {
            *ret_len = 1;
            return CA_OK;
        }
    }
    len = ca__prov_verb_at(ps, f->pt, i, end);
    if (!len || (i > 0 && ca__phrases_is(ps, PK_PASSIVE, f->pt->tok[i - 1].h)) ||
        participle(f->pt, i, len))
        return CA_OK;
    if (!ca__prov_subject_before(ps, f->pt, i, &a, &b) && !inverted(f, i, len, &a, &b))
        return CA_OK; /* no subject before, and no "..., says Mayer" */
    *ret_len = len;
    source = subject_text(f, a, b, &anon);
    if (!source)
        return CA_OK; /* a pronoun with nobody named before it */
    remember(f, source, anon);
    return add(f, anon ? CA_PROV_ATTR_ANONYMOUS : CA_PROV_ATTR_SPEECH, i, i + len, source,
               NULL);
}

/* In each sentence, a specific attribution makes its speech verbs
 * redundant: drop those. */
static void drop_redundant(struct finder *f)
{
    ca_prov_result *r = &f->p->res;
    size_t i, j, n = f->first;

    for (i = f->first; i < r->nattributions; i++) {
        ca_prov_attribution *a = &r->attributions[i];
        int redundant = 0;

        if (a->kind == CA_PROV_ATTR_SPEECH) {
            for (j = f->first; j < r->nattributions && !redundant; j++) {
                const ca_prov_attribution *b = &r->attributions[j];

                redundant = j != i && b->kind != CA_PROV_ATTR_SPEECH &&
                            b->kind != CA_PROV_ATTR_CREDIT && !strcmp(a->sentence, b->sentence) &&
                            b->at.paragraph == a->at.paragraph;
            }
        }
        if (redundant) {
            free(a->phrase);
            free(a->source);
            free(a->platform);
            free(a->sentence);
            free(a->link);
            free(a->link_elsewhere);
            continue;
        }
        r->attributions[n++] = *a;
    }
    r->nattributions = n;
}

ca_status ca__prov_find_attributions(ca_prov *p, size_t d, const ca_doc *doc, ca__ptext *pt)
{
    struct finder f = {p, d, doc, pt, NULL, p->res.nattributions};
    size_t para, i, len;
    ca_status st = CA_OK;

    hash_words();
    for (para = 0; para < pt->npara && st == CA_OK; para++) {
        const ca__ppara *pa = &pt->para[para];

        if (pa->tok0 == pa->tok1 || (pt->tok[pa->tok0].flags & PT_BOILER) || headline(pt, pa) ||
            ca__ptext_codeish(pt, para))
            continue;
        for (i = pa->tok0; i < pa->tok1 && st == CA_OK; i += len ? len : 1) {
            len = 0;
            if (pt->tok[i].flags & PT_QUOTE)
                continue;
            st = try_at(&f, i, ca__ptext_sent_end(pt, i), &len);
        }
    }
    if (st == CA_OK)
        drop_redundant(&f);
    free(f.last_source);
    return st;
}
