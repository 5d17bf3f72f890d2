/*
 * html_int.h - shared state of the HTML extractor's modules:
 *   extract_html.c  parsing, the flattened tree, links and their context
 *   html_vocab.c    what class, id and role say (weights and flags)
 *   html_content.c  which part of the page is the article (body vs chrome)
 *   html_meta.c     what the page head says about the document
 *   html_guard.c    keeping hostile nesting away from gumbo
 *
 * The gumbo tree is flattened once, in document order, into an array of
 * element records. A subtree is then a contiguous range [i, end), so every
 * aggregate (text length, link density) is one backward pass, and "is this
 * link inside the article" is a range test.
 */
#ifndef CA_HTML_INT_H
#define CA_HTML_INT_H

#include <stddef.h>

#include <gumbo.h>

#include "citeaudit/buf.h"
#include "extract_int.h"

/* Element record flags. */
enum {
    HN_SKIP = 1 << 0,    /* script, style, template, ...: no text, no links */
    HN_CHROME = 1 << 1,  /* this subtree is page chrome */
    HN_BODY = 1 << 2,    /* this subtree is in the article body */
    HN_EMBED = 1 << 3,   /* an embedded post (tweet, Telegram, Instagram) */
    HN_KEEP = 1 << 4,    /* never chrome: reference lists, embeds, figures */
    HN_HIDDEN = 1 << 5,  /* hidden attribute or aria-hidden / display:none */
    HN_ARTICLE = 1 << 6, /* a semantic article container (article, articleBody) */
    /* Set by html_vocab.c and html_content.c. */
    HN_SCORED = 1 << 8,   /* has a content score */
    HN_UNLIKELY = 1 << 9, /* class/id/role say chrome (before scoring) */
    HN_VOCAB = 1 << 10,   /* class/id name a chrome widget (share, related, ...) */
    HN_POSITIVE = 1 << 11,
    HN_STANDFIRST = 1 << 12, /* class says standfirst, dek, summary */
};

typedef struct hnode {
    GumboNode *node;
    int parent;            /* index of the parent record, -1 for the root */
    int end;               /* one past the last record of the subtree */
    GumboTag tag;
    unsigned text_start;   /* the subtree's text in html_ctx.text */
    unsigned text_end;
    unsigned text_len;     /* bytes of visible text in the subtree */
    unsigned link_text;    /* of which inside links */
    unsigned links;        /* a[href] in the subtree */
    unsigned paras;        /* p elements in the subtree */
    unsigned commas;
    unsigned inline_text;  /* text whose nearest block ancestor is this element */
    unsigned inline_commas;
    unsigned imgs;         /* img in the subtree */
    unsigned lis;          /* li in the subtree */
    unsigned inputs;       /* input, select, textarea, button in the subtree */
    unsigned embeds;       /* iframe, video, object, embed in the subtree */
    unsigned rows;         /* tr in the subtree */
    unsigned cells;        /* td and th in the subtree */
    float score;
    int weight;            /* class/id vocabulary weight, + article, - chrome */
    unsigned flags;
} hnode;

/* The block allocator gumbo parses into (html_arena.c). */
struct html_arena {
    struct arena_block *head;
    size_t next_size;
};

/* Set up a and opts (gumbo's defaults with the arena's allocator). */
void ca__html_arena_init(struct html_arena *a, GumboOptions *opts);

/* Free everything gumbo allocated; the tree must not be used after. */
void ca__html_arena_release(struct html_arena *a);

/* A link-bearing attribute found while walking, turned into a citation later. */
struct html_link {
    int rec;           /* record of the element */
    const char *value; /* attribute value (owned by gumbo) or built URL (owned here) */
    char *owned;       /* non-NULL when value was built (Telegram posts, srcset) */
    ca_kind kind;
};

typedef struct html_ctx {
    ca_doc *doc;
    ca__meta *meta;
    const char *src;  /* the (possibly guarded) source bytes */
    size_t srclen;
    GumboOutput *out;
    GumboOptions gumbo_opts;
    struct html_arena arena;
    hnode *n;
    size_t count;
    size_t cap;
    ca_buf text;      /* visible text, blocks separated by blank lines */
    char *base;       /* what relative links resolve against (owned) */
    const char *served; /* the URL the page was served from (--base-url), or NULL */
    char *site_host[3]; /* hosts of base, canonical and served URL (owned) */
    struct html_link *links; /* link-bearing attributes, in document order */
    size_t nlinks;
    size_t links_cap;
    int root;         /* record index of the article root, -1 when none */
    ca_error *err;
} html_ctx;

/* Attribute value of a gumbo element node, or NULL. */
const char *ca__html_attr(const GumboNode *node, const char *name);

/* Nonzero when the tag breaks text into blocks (p, div, li, h1, ...). */
int ca__html_is_block(GumboTag tag);

/*
 * Count the tags of s[0..len) nested deeper than max_depth (see
 * html_guard.c) and, when out is not NULL (a copy of s), blank them there.
 */
size_t ca__html_guard(const char *s, char *out, size_t len, unsigned max_depth);

/* Read the head: canonical, og:*, article:*, JSON-LD, title, <base href>. */
ca_status ca__html_meta(html_ctx *ctx, const char *base_url);

/* Read class, id and role of every record into its weight and flags. */
void ca__html_vocab(html_ctx *ctx);

/* Class and id of a node, lowercased and space-separated, into buf. */
void ca__html_class_and_id(const GumboNode *node, char *buf, size_t max);

/* Nonzero when s contains w, ignoring case. */
int ca__html_has_word(const char *s, const char *w);

/* Mark the records: HN_BODY on the article, HN_CHROME on page chrome. */
void ca__html_classify(html_ctx *ctx);

/*
 * Set doc->text to the article's text (the body records' text without
 * their chrome parts) and each body citation's text_pos in it. Run after
 * the links were emitted, one citation per ctx->links entry. CA_NOMEM only.
 */
ca_status ca__html_main_text(html_ctx *ctx);

#endif
