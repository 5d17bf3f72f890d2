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

static int match_any(const char *s, const char *const words[], size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strstr(s, words[i]))
            return 1;
    }
    return 0;
}

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

    buf[0] = '\0';
    for (; cls && *cls && n + 2 < max; cls++)
        buf[n++] = (char)tolower((unsigned char)*cls);
    if (id && n + 2 < max)
        buf[n++] = ' ';
    for (; id && *id && n + 1 < max; id++)
        buf[n++] = (char)tolower((unsigned char)*id);
    buf[n] = '\0';
}

/* Whole-word test for short tokens such as "ad" or "ads" in a class list. */
static int has_token(const char *s, const char *tok)
{
    size_t n = strlen(tok);
    const char *p = s;

    while ((p = strstr(p, tok)) != NULL) {
        int left = p == s || !isalnum((unsigned char)p[-1]);
        int right = !isalnum((unsigned char)p[n]);

        if (left && right)
            return 1;
        p += n;
    }
    return 0;
}

static int any_token(const char *s)
{
    size_t i;

    for (i = 0; i < COUNT(chrome_tokens); i++) {
        if (has_token(s, chrome_tokens[i]))
            return 1;
    }
    return 0;
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

void ca__html_vocab(html_ctx *ctx)
{
    char s[512];
    size_t i;

    for (i = 0; i < ctx->count; i++) {
        hnode *r = &ctx->n[i];
        GumboTag t = r->tag;

        ca__html_class_and_id(r->node, s, sizeof s);
        if (s[0]) {
            if (match_any(s, negative, COUNT(negative)))
                r->weight -= 25;
            if (match_any(s, positive, COUNT(positive))) {
                r->weight += 25;
                r->flags |= HN_POSITIVE;
            }
            /* <main> and <article> say what they are louder than a class. */
            if (t != GUMBO_TAG_BODY && t != GUMBO_TAG_A && t != GUMBO_TAG_MAIN &&
                t != GUMBO_TAG_ARTICLE &&
                match_any(s, unlikely, COUNT(unlikely)) &&
                !match_any(s, maybe_candidate, COUNT(maybe_candidate)))
                r->flags |= HN_UNLIKELY;
            if (match_any(s, chrome_vocab, COUNT(chrome_vocab)) || any_token(s))
                r->flags |= HN_VOCAB;
            if (match_any(s, keep_vocab, COUNT(keep_vocab)))
                r->flags |= HN_KEEP;
            if (match_any(s, standfirst_vocab, COUNT(standfirst_vocab)))
                r->flags |= HN_STANDFIRST;
        }
        if (role_is_chrome(r->node))
            r->flags |= HN_UNLIKELY | HN_VOCAB;
        /* A figure is kept unless its own class says it is a widget: the
         * Guardian serves its newsletter sign-up as a <figure>. */
        if (r->flags & HN_EMBED || (t == GUMBO_TAG_FIGURE && !(r->flags & HN_VOCAB)))
            r->flags |= HN_KEEP;
    }
}

