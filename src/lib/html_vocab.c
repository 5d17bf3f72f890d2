/*
 * html_vocab.c - what the class, id and role of an element say about it.
 *
 * Page templates name their parts: "share-bar", "related-posts",
 * "entry-content", role="navigation". These words are the cheapest and
 * most reliable signal of chrome versus article that a page offers, so
 * they are read once, before any scoring, into each record's weight and
 * flags. The lists start from Mozilla Readability's and add the widget
 * names of the CMSs news sites run on (WordPress, Arc, Drupal, Bitrix,
 * Substack, Guardian DCR); html_content.c decides what the flags mean.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "html_int.h"

/* Readability's "unlikely candidates", with its "maybe a candidate" escape. */
static const char *const unlikely[] = {
    "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community",
    "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu",
    "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social",
    "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
    "yom-remote",
};
static const char *const maybe_candidate[] = {
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
};
static const char *const negative[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
    "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget",
};
static const char *const positive[] = {
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
    "pagination", "post", "text", "blog", "story",
};
/* Widgets that are chrome wherever they stand, even inside the article. */
static const char *const chrome_vocab[] = {
    "share", "sharing", "social", "newsletter", "subscribe", "subscription", "signup",
    "sign-up", "related", "recirc", "comment", "breadcrumb", "sponsor", "promo", "advert",
    "outbrain", "taboola", "popup", "modal", "cookie", "consent", "paywall", "byline",
    "author", "tags", "taglist", "tag-list", "topics", "read-more", "readmore", "more-on",
    "more-stories", "most-popular", "mostpopular", "most-read", "trending", "recommend",
    "pagination", "pager", "toolbar", "donate", "donation", "teaser", "also-read",
    "see-also-box", "rich-link", "inline-link-box", "navbox", "navbar", "mw-editsection",
    "skip-link", "print-", "banner", "login", "widget", "ad-slot", "adslot", "ad-container",
    "ad-wrapper", "advertisement", "dfp-", "gpt-ad", "contribution", "support-us",
    "membership", "mots-cles",
};
/* Short widget names, matched as whole tokens of the class list ("ad" is not
 * "shadow", "button" is "button-wrapper" but not "buttonless"). Call-to-action
 * buttons and reader-revenue "epics" sit inside the text on many CMSs. */
static const char *const chrome_tokens[] = {
    "ad", "ads", "nav", "menu", "bio", "tag", "button", "btn", "cta", "epic",
};
/* Lists of sources: never chrome, however dense with links. Not the bare
 * word "reference", which Drupal puts on every entity-reference field. */
static const char *const keep_vocab[] = {
    "references", "reflist", "ref-list", "reference-list", "footnote", "bibliograph", "citation", "endnote", "sources",
    "source-list", "further-reading",
};
/* The standfirst (dek, summary) under the headline is text, though it sits in
 * the <header> with the byline and share bar. */
static const char *const standfirst_vocab[] = {
    "standfirst", "dek", "subtitle", "subheadline", "sub-headline", "summary", "strapline",
    "excerpt", "lede", "intro",
};
static const char *const chrome_roles[] = {
    "navigation", "complementary", "banner", "contentinfo", "menu", "menubar", "search",
    "dialog", "alert", "alertdialog", "toolbar", "tablist",
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

int ca__html_has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    int c0 = tolower((unsigned char)w[0]);

    /* Test the first letter before calling strncasecmp: this runs for
     * every class attribute of every page. */
    for (; s && *s; s++) {
        if (tolower((unsigned char)*s) == c0 && !strncasecmp(s, w, n))
            return 1;
    }
    return 0;
}

/* Class and id of a node, lowercased, into buf ("" when neither). */
void ca__html_class_and_id(const GumboNode *node, char *buf, size_t max)
{
    const char *cls = ca__html_attr(node, "class");
    const char *id = ca__html_attr(node, "id");
    size_t n = 0;

    /* ASCII lowercase, as tolower() in the C locale the tool runs in. */
    buf[0] = '\0';
    for (; cls && *cls && n + 2 < max; cls++)
        buf[n++] = *cls >= 'A' && *cls <= 'Z' ? (char)(*cls + 32) : *cls;
    if (id && n + 2 < max)
        buf[n++] = ' ';
    for (; id && *id && n + 1 < max; id++)
        buf[n++] = *id >= 'A' && *id <= 'Z' ? (char)(*id + 32) : *id;
    buf[n] = '\0';
}

static int role_is_chrome(const GumboNode *node)
{
    const char *role = ca__html_attr(node, "role");
    size_t i;

    if (!role)
        return 0;
    for (i = 0; i < COUNT(chrome_roles); i++) {
        if (!strcasecmp(role, chrome_roles[i]))
            return 1;
    }
    return 0;
}

/* Private to the memo: the unlikely words are there (the tag decides). */
#define VOCAB_UNLIKELY_WORDS (1u << 30)

/*
 * All the lists above in one index, by their first two letters, so that a
 * class-and-id string is read once instead of searched some fifty times
 * (strstr per word). Each word says which list it is from; every word has
 * at least two letters.
 */
enum word_list {
    W_UNLIKELY, W_MAYBE, W_NEGATIVE, W_POSITIVE, W_CHROME, W_TOKEN, W_KEEP, W_STANDFIRST,
};

struct word {
    const char *s;
    size_t n;
    enum word_list list;
};

#define WORD_BUCKETS 256
#define WORD_MAX                                                                          \
    (COUNT(unlikely) + COUNT(maybe_candidate) + COUNT(negative) + COUNT(positive) +      \
     COUNT(chrome_vocab) + COUNT(chrome_tokens) + COUNT(keep_vocab) + COUNT(standfirst_vocab))

static struct {
    pthread_once_t once;
    struct word word[WORD_MAX];
    unsigned short start[WORD_BUCKETS + 1]; /* bucket b is word[start[b]..start[b+1]) */
} windex = {PTHREAD_ONCE_INIT, {{0}}, {0}};

static unsigned word_bucket(const char *s)
{
    return ((unsigned char)s[0] * 31u + (unsigned char)s[1]) % WORD_BUCKETS;
}

static void windex_add(struct word *all, size_t *n, const char *const words[], size_t count,
                       enum word_list list)
{
    size_t i;

    for (i = 0; i < count; i++)
        all[(*n)++] = (struct word){words[i], strlen(words[i]), list};
}

static void windex_build(void)
{
    static struct word all[WORD_MAX];
    size_t n = 0, i, k = 0;
    unsigned b;

    windex_add(all, &n, unlikely, COUNT(unlikely), W_UNLIKELY);
    windex_add(all, &n, maybe_candidate, COUNT(maybe_candidate), W_MAYBE);
    windex_add(all, &n, negative, COUNT(negative), W_NEGATIVE);
    windex_add(all, &n, positive, COUNT(positive), W_POSITIVE);
    windex_add(all, &n, chrome_vocab, COUNT(chrome_vocab), W_CHROME);
    windex_add(all, &n, chrome_tokens, COUNT(chrome_tokens), W_TOKEN);
    windex_add(all, &n, keep_vocab, COUNT(keep_vocab), W_KEEP);
    windex_add(all, &n, standfirst_vocab, COUNT(standfirst_vocab), W_STANDFIRST);
    for (b = 0; b < WORD_BUCKETS; b++) {
        windex.start[b] = (unsigned short)k;
        for (i = 0; i < n; i++) {
            if (word_bucket(all[i].s) == b)
                windex.word[k++] = all[i];
        }
    }
    windex.start[WORD_BUCKETS] = (unsigned short)k;
}

/* What the words of a lowercased class-and-id string say: the same as a
 * strstr of every word of every list (the short chrome tokens whole). */
static void read_words(const char *s, int *ret_weight, unsigned *ret_flags)
{
    unsigned found = 0, flags = 0;
    int weight = 0;
    const char *p;

    pthread_once(&windex.once, windex_build);
    for (p = s; p[0] && p[1]; p++) {
        unsigned b = word_bucket(p), k;

        for (k = windex.start[b]; k < windex.start[b + 1]; k++) {
            const struct word *w = &windex.word[k];

            if ((found >> w->list & 1) || p[0] != w->s[0] || strncmp(p, w->s, w->n) != 0)
                continue;
            /* A token stands alone: "ad" is not in "shadow". Tokens cannot
             * overlap themselves, so every occurrence is tried here. */
            if (w->list == W_TOKEN && ((p > s && isalnum((unsigned char)p[-1])) ||
                                       isalnum((unsigned char)p[w->n])))
                continue;
            found |= 1u << w->list;
        }
    }
    if (found & 1u << W_NEGATIVE)
        weight -= 25;
    if (found & 1u << W_POSITIVE) {
        weight += 25;
        flags |= HN_POSITIVE;
    }
    if ((found & 1u << W_UNLIKELY) && !(found & 1u << W_MAYBE))
        flags |= VOCAB_UNLIKELY_WORDS;
    if (found & (1u << W_CHROME | 1u << W_TOKEN))
        flags |= HN_VOCAB;
    if (found & 1u << W_KEEP)
        flags |= HN_KEEP;
    if (found & 1u << W_STANDFIRST)
        flags |= HN_STANDFIRST;
    *ret_weight = weight;
    *ret_flags = flags;
}

/*
 * The answers for recent class-and-id strings. A page names the same few
 * classes hundreds of times (every nav item, every paragraph of a CMS) and
 * the pages of a site share them, while the word lists cost some fifty
 * substring searches a string. Strings longer than a slot are not kept.
 */
#define VOCAB_MEMO 512
#define VOCAB_KEY 96

static struct {
    pthread_mutex_t lock;
    struct {
        char key[VOCAB_KEY];
        int weight;
        unsigned flags;
    } slot[VOCAB_MEMO];
} memo = {PTHREAD_MUTEX_INITIALIZER, {{{0}, 0, 0}}};

static void read_words_memo(const char *s, int *ret_weight, unsigned *ret_flags)
{
    unsigned h = 2166136261u;
    size_t n;
    const char *p;

    for (p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    n = (size_t)(p - s);
    if (n >= VOCAB_KEY) {
        read_words(s, ret_weight, ret_flags);
        return;
    }
    h %= VOCAB_MEMO;
    pthread_mutex_lock(&memo.lock);
    if (memcmp(memo.slot[h].key, s, n + 1) == 0) {
        *ret_weight = memo.slot[h].weight;
        *ret_flags = memo.slot[h].flags;
        pthread_mutex_unlock(&memo.lock);
        return;
    }
    pthread_mutex_unlock(&memo.lock);
    read_words(s, ret_weight, ret_flags);
    pthread_mutex_lock(&memo.lock);
    memcpy(memo.slot[h].key, s, n + 1);
    memo.slot[h].weight = *ret_weight;
    memo.slot[h].flags = *ret_flags;
    pthread_mutex_unlock(&memo.lock);
}

void ca__html_vocab(html_ctx *ctx)
{
    char s[512];
    size_t i;

    for (i = 0; i < ctx->count; i++) {
        hnode *r = &ctx->n[i];
        GumboTag t = r->tag;

        ca__html_class_and_id(r->node, s, sizeof s);
        if (s[0]) {
            int weight;
            unsigned flags;

            read_words_memo(s, &weight, &flags);
            r->weight += weight;
            r->flags |= flags & ~VOCAB_UNLIKELY_WORDS;
            /* <main> and <article> say what they are louder than a class. */
            if ((flags & VOCAB_UNLIKELY_WORDS) && t != GUMBO_TAG_BODY && t != GUMBO_TAG_A &&
                t != GUMBO_TAG_MAIN && t != GUMBO_TAG_ARTICLE)
                r->flags |= HN_UNLIKELY;
        }
        if (role_is_chrome(r->node))
            r->flags |= HN_UNLIKELY | HN_VOCAB;
        /* A figure is kept unless its own class says it is a widget: the
         * Guardian serves its newsletter sign-up as a <figure>. */
        if (r->flags & HN_EMBED || (t == GUMBO_TAG_FIGURE && !(r->flags & HN_VOCAB)))
            r->flags |= HN_KEEP;
    }
}
