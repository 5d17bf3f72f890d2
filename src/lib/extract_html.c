/*
 * extract_html.c - citations of HTML documents, parsed with gumbo.
 *
 * One iterative walk over the gumbo tree flattens it into element records
 * (see html_int.h), collects the visible text with block boundaries, and
 * notes every link-bearing attribute. The head is then read for metadata,
 * html_content.c decides which records are the article and which are page
 * chrome, and only then are the citations emitted, in document order, each
 * with its anchor text and the sentence around it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "citeaudit/url.h"
#include "html_int.h"
#include "strutil.h"

/* Tags nested deeper than this are blanked before parsing (html_guard.c). */
#define HTML_MAX_DEPTH 400
/* The text buffer holds at most this much (the document cap bounds it). */
#define HTML_TEXT_MAX ((size_t)1 << 31)

/* gumbo_get_attribute(), with the first letter compared before the whole
 * name: this runs several times for every element of every page. */
const char *ca__html_attr(const GumboNode *node, const char *name)
{
    const GumboVector *attrs;
    unsigned i;
    int c0 = tolower((unsigned char)name[0]);

    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        return NULL;
    attrs = &node->v.element.attributes;
    for (i = 0; i < attrs->length; i++) {
        const GumboAttribute *a = attrs->data[i];

        if (tolower((unsigned char)a->name[0]) == c0 && strcasecmp(a->name, name) == 0)
            return a->value;
    }
    return NULL;
}

int ca__html_is_block(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HR: case GUMBO_TAG_HTML: case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
    case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose content is never visible text or a citation. */
static int is_skipped(GumboTag tag)
{
    switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
        return 1;
    default:
        return 0;
    }
}


static int is_hidden(const GumboNode *node)
{
    const char *style = ca__html_attr(node, "style");

    if (ca__html_attr(node, "hidden"))
        return 1;
    if (style && (ca__html_has_word(style, "display:none") || ca__html_has_word(style, "display: none") ||
                  ca__html_has_word(style, "visibility:hidden") ||
                  ca__html_has_word(style, "visibility: hidden")))
        return 1;
    return 0;
}

/* Whole-token test: "tweet" is in "tweet embed" but not in "tweetbutton". */
static int has_class_token(const char *cls, const char *tok)
{
    size_t n = strlen(tok);
    const char *p = cls;

    for (; (p = strstr(p, tok)) != NULL; p += n) {
        int left = p == cls || isspace((unsigned char)p[-1]);

        if (left && (p[n] == '\0' || isspace((unsigned char)p[n])))
            return 1;
    }
    return 0;
}

/*
 * Containers of embedded posts: their links are citations of kind embed.
 * The vendors' own blockquote classes, plus the cards that CMSs render
 * themselves (Substack's class="tweet" and "embedded-post-wrap").
 */
static int is_embed_container(const GumboNode *node)
{
#define EMBED(lit) {lit, sizeof lit - 1}
    static const struct {
        const char *s;
        size_t n;
    } classes[] = {
        EMBED("twitter-tweet"), EMBED("twitter-video"), EMBED("instagram-media"),
        EMBED("tiktok-embed"), EMBED("telegram-post"), EMBED("fb-post"), EMBED("fb-video"),
        EMBED("reddit-embed"), EMBED("bluesky-embed"), EMBED("mastodon-embed"),
        EMBED("threads-embed"), EMBED("embedded-post"), EMBED("tweet-embed"),
        EMBED("twitter-embed"), EMBED("embedded-tweet"),
    };
#undef EMBED
    const char *cls = ca__html_attr(node, "class"), *p;
    size_t i;

    if (!cls)
        return 0;
    /* One pass over the class, ignoring case, trying only the names that
     * start with the letter at hand: this runs for every element. */
    for (p = cls; *p; p++) {
        int c = *p | 0x20;

        if (c != 't' && c != 'i' && c != 'f' && c != 'r' && c != 'b' && c != 'm' && c != 'e')
            continue;
        for (i = 0; i < sizeof classes / sizeof *classes; i++) {
            if (classes[i].s[0] == c && strncasecmp(p, classes[i].s, classes[i].n) == 0)
                return 1;
        }
    }
    return has_class_token(cls, "tweet");
}

static ca_status add_record(html_ctx *ctx, GumboNode *node, int parent, int *ret)
{
    hnode *r;

    if (ctx->count == ctx->cap) {
        size_t ncap = ctx->cap ? ctx->cap * 2 : 1024;
        hnode *p = realloc(ctx->n, ncap * sizeof *p);

        if (!p)
            return CA_NOMEM;
        ctx->n = p;
        ctx->cap = ncap;
    }
    r = &ctx->n[ctx->count];
    memset(r, 0, sizeof *r);
    r->node = node;
    r->parent = parent;
    r->tag = node->v.element.tag;
    r->text_start = r->text_end = (unsigned)ctx->text.len;
    *ret = (int)ctx->count++;
    return CA_OK;
}

static ca_status add_link(html_ctx *ctx, int rec, const char *value, char *owned, ca_kind kind)
{
    struct html_link *l;

    if (!value || !*value) {
        free(owned);
        return CA_OK;
    }
    if (ctx->nlinks == ctx->links_cap) {
        size_t ncap = ctx->links_cap ? ctx->links_cap * 2 : 256;
        struct html_link *p = realloc(ctx->links, ncap * sizeof *p);

        if (!p) {
            free(owned);
            return CA_NOMEM;
        }
        ctx->links = p;
        ctx->links_cap = ncap;
    }
    l = &ctx->links[ctx->nlinks++];
    l->rec = rec;
    l->value = owned ? owned : value;
    l->owned = owned;
    l->kind = kind;
    return CA_OK;
}

/*
 * Note every candidate URL of a srcset ("a.jpg 480w, b.jpg 1080w"): each is
 * a resource the page cites and can break on its own. URLs in srcset may
 * contain commas, so a candidate ends at whitespace, as the HTML spec says,
 * and a comma only separates when it ends a URL or follows a descriptor.
 */
static ca_status note_srcset(html_ctx *ctx, int rec, const char *s, const char *src)
{
    const char *p = s;
    ca_status st = CA_OK;

    while (*p && st == CA_OK) {
        const char *u, *ue;
        char *url;

        while (*p && (isspace((unsigned char)*p) || *p == ','))
            p++;
        if (!*p)
            break;
        u = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        ue = p;
        if (ue > u && ue[-1] == ',') {
            ue--; /* "a.jpg," with no descriptor */
        } else {
            while (*p && *p != ',')
                p++;
        }
        if (src && strlen(src) == (size_t)(ue - u) && !strncmp(src, u, (size_t)(ue - u)))
            continue;
        url = ca__strndup(u, (size_t)(ue - u));
        if (!url)
            return CA_NOMEM;
        st = add_link(ctx, rec, url, url, CA_KIND_IMAGE);
    }
    return st;
}

/* Original tag name of an unknown element (amp-img), lowercased, or "". */
static void unknown_tag_name(const GumboNode *node, char *out, size_t max)
{
    GumboStringPiece piece = node->v.element.original_tag;
    size_t i;

    out[0] = '\0';
    if (!piece.data || piece.length < 2)
        return;
    gumbo_tag_from_original_text(&piece);
    for (i = 0; i < piece.length && i + 1 < max; i++)
        out[i] = (char)tolower((unsigned char)piece.data[i]);
    out[i] = '\0';
}

/* Lazy-loaded images keep the real URL in a data attribute. */
static const char *image_src(const GumboNode *node)
{
    static const char *const lazy[] = {"data-src", "data-lazy-src", "data-original",
                                       "data-url", "data-hi-res-src"};
    const char *src = ca__html_attr(node, "src");
    size_t i;

    if (src && *src && strncasecmp(src, "data:", 5) != 0)
        return src;
    for (i = 0; i < sizeof lazy / sizeof *lazy; i++) {
        const char *v = ca__html_attr(node, lazy[i]);

        if (v && *v)
            return v;
    }
    return src;
}

static ca_status note_image(html_ctx *ctx, int rec, const GumboNode *node)
{
    const char *src = image_src(node);
    const char *srcset = ca__html_attr(node, "srcset");
    ca_status st = add_link(ctx, rec, src, NULL, CA_KIND_IMAGE);

    if (!srcset)
        srcset = ca__html_attr(node, "data-srcset");
    if (st == CA_OK && srcset && *srcset)
        st = note_srcset(ctx, rec, srcset, src);
    return st;
}

/* Telegram's widget names the post in data-telegram-post="channel/123". */
static ca_status note_telegram(html_ctx *ctx, int rec, const char *post)
{
    size_t n = strlen(post);
    char *url;

    if (n == 0 || n > 512 || strchr(post, ':'))
        return CA_OK;
    url = malloc(n + 14);
    if (!url)
        return CA_NOMEM;
    memcpy(url, "https://t.me/", 13);
    memcpy(url + 13, post, n + 1);
    return add_link(ctx, rec, url, url, CA_KIND_EMBED);
}

static ca_status note_unknown(html_ctx *ctx, int rec, const GumboNode *node)
{
    char name[32];

    unknown_tag_name(node, name, sizeof name);
    if (!strcmp(name, "amp-img") || !strcmp(name, "amp-anim"))
        return note_image(ctx, rec, node);
    if (!strcmp(name, "amp-iframe") || !strcmp(name, "amp-video") || !strcmp(name, "amp-audio"))
        return add_link(ctx, rec, ca__html_attr(node, "src"), NULL, CA_KIND_EMBED);
    return CA_OK;
}

/* Note the link-bearing attributes of one element. */
static ca_status note_links(html_ctx *ctx, int rec, const GumboNode *node, int in_embed)
{
    const char *tg = ca__html_attr(node, "data-telegram-post");
    ca_kind link_kind = in_embed ? CA_KIND_EMBED : CA_KIND_LINK;
    ca_status st = CA_OK;

    if (tg)
        st = note_telegram(ctx, rec, tg);
    if (st != CA_OK)
        return st;
    switch (node->v.element.tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_AREA:
        return add_link(ctx, rec, ca__html_attr(node, "href"), NULL, link_kind);
    case GUMBO_TAG_IMG:
        return note_image(ctx, rec, node);
    case GUMBO_TAG_SOURCE:
        if (ca__html_attr(node, "src"))
            return add_link(ctx, rec, ca__html_attr(node, "src"), NULL, CA_KIND_EMBED);
        return note_image(ctx, rec, node);
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_EMBED:
        return add_link(ctx, rec, image_src(node), NULL, CA_KIND_EMBED);
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
        return add_link(ctx, rec, ca__html_attr(node, "src"), NULL, CA_KIND_EMBED);
    case GUMBO_TAG_OBJECT:
        return add_link(ctx, rec, ca__html_attr(node, "data"), NULL, CA_KIND_EMBED);
    case GUMBO_TAG_BLOCKQUOTE:
        st = add_link(ctx, rec, ca__html_attr(node, "cite"), NULL, link_kind);
        if (st == CA_OK)
            st = add_link(ctx, rec, ca__html_attr(node, "data-instgrm-permalink"), NULL,
                          CA_KIND_EMBED);
        return st;
    case GUMBO_TAG_Q:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_INS:
        return add_link(ctx, rec, ca__html_attr(node, "cite"), NULL, link_kind);
    case GUMBO_TAG_UNKNOWN:
        return note_unknown(ctx, rec, node);
    default:
        return CA_OK;
    }
}

/* Make sure the text ends with a block boundary ("\n\n"). */
static ca_status text_break(html_ctx *ctx)
{
    ca_buf *t = &ctx->text;

    if (t->len == 0 || (t->len >= 2 && t->data[t->len - 1] == '\n' && t->data[t->len - 2] == '\n'))
        return CA_OK;
    if (t->data[t->len - 1] == ' ')
        t->len--;
    if (t->data[t->len - 1] == '\n')
        return ca_buf_putc(t, '\n');
    return ca_buf_append(t, "\n\n", 2);
}

/*
 * Append a text node with whitespace collapsed; count its visible bytes and
 * commas into the record that owns it and its nearest block ancestor.
 */
static int is_html_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

static ca_status add_text(html_ctx *ctx, const char *s, int rec, int block, int in_link)
{
    ca_buf *t = &ctx->text;
    size_t before = t->len, n = strlen(s), i, j;
    unsigned commas = 0;
    ca_status st;
    char *fixed = NULL, *d;

    /* gumbo 0.10 can decode a character reference into invalid UTF-8. */
    if (ca__utf8_valid_prefix(s, n) != n) {
        fixed = ca__utf8_dup(s);
        if (!fixed)
            return CA_NOMEM;
        s = fixed;
        n = strlen(s);
    }
    /* Appended whole, then collapsed in place (the text only shrinks): a
     * run of spaces becomes one, none after a space or newline. */
    st = ca_buf_append(t, s, n);
    free(fixed);
    if (st != CA_OK)
        return st;
    d = t->data;
    for (i = j = before; i < before + n;) {
        if (is_html_space((unsigned char)d[i])) {
            while (i < before + n && is_html_space((unsigned char)d[i]))
                i++;
            if (j && d[j - 1] != ' ' && d[j - 1] != '\n')
                d[j++] = ' ';
            continue;
        }
        commas += d[i] == ',';
        d[j++] = d[i++];
    }
    ca_buf_truncate(t, j);
    if (rec >= 0) {
        unsigned added = (unsigned)(j - before);

        ctx->n[rec].text_len += added;
        ctx->n[rec].commas += commas;
        if (in_link)
            ctx->n[rec].link_text += added;
        if (block >= 0) {
            ctx->n[block].inline_text += added;
            ctx->n[block].inline_commas += commas;
        }
    }
    return CA_OK;
}

struct frame {
    GumboNode *node;
    unsigned child;
    int rec;
    int block;    /* nearest block record at or above this frame */
    int in_link;  /* inside an a[href] */
    int in_embed; /* inside an embedded post */
};

/* Count the element kinds that the content rules look at. */
static void count_element(hnode *r, const GumboNode *node)
{
    switch (r->tag) {
    case GUMBO_TAG_A:
        r->links += ca__html_attr(node, "href") != NULL;
        break;
    case GUMBO_TAG_IMG:
        r->imgs++;
        break;
    case GUMBO_TAG_LI:
        r->lis++;
        break;
    case GUMBO_TAG_P:
        r->paras++;
        break;
    case GUMBO_TAG_TR:
        r->rows++;
        break;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
        r->cells++;
        break;
    case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_BUTTON:
        r->inputs++;
        break;
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_VIDEO: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
        r->embeds++;
        break;
    default:
        break;
    }
}

/* Enter an element: make its record, note its links, push its frame. */
static ca_status enter_element(html_ctx *ctx, struct frame *top, GumboNode *node,
                               struct frame *next)
{
    int rec, skip;
    hnode *r;
    ca_status st = add_record(ctx, node, top->rec, &rec);

    if (st != CA_OK)
        return st;
    r = &ctx->n[rec];
    skip = is_skipped(r->tag) || (top->rec >= 0 && (ctx->n[top->rec].flags & HN_SKIP));
    r->flags |= skip ? HN_SKIP : 0;
    if (is_hidden(node))
        r->flags |= HN_HIDDEN;
    if (is_embed_container(node))
        r->flags |= HN_EMBED;
    count_element(r, node);
    *next = (struct frame){node, 0, rec, top->block, top->in_link, top->in_embed};
    next->in_embed |= (r->flags & HN_EMBED) != 0;
    next->in_link |= r->tag == GUMBO_TAG_A && ca__html_attr(node, "href");
    if (ca__html_is_block(r->tag)) {
        next->block = rec;
        st = text_break(ctx);
    } else if (r->tag == GUMBO_TAG_BR && !skip) {
        st = ca_buf_putc(&ctx->text, '\n');
    }
    if (st == CA_OK && !(skip && r->tag != GUMBO_TAG_SCRIPT))
        st = note_links(ctx, rec, node, next->in_embed);
    return st;
}

/* Walk the tree without recursion: gumbo trees can be deep. */
static ca_status walk(html_ctx *ctx)
{
    struct frame *stack = NULL;
    size_t depth = 0, cap = 64;
    ca_status st = CA_OK;

    stack = malloc(cap * sizeof *stack);
    if (!stack)
        return CA_NOMEM;
    stack[depth++] = (struct frame){ctx->out->root, 0, -1, -1, 0, 0};
    st = add_record(ctx, ctx->out->root, -1, &stack[0].rec);
    stack[0].block = stack[0].rec;
    while (st == CA_OK && depth) {
        struct frame *top = &stack[depth - 1];
        GumboVector *kids = &top->node->v.element.children;
        GumboNode *child;

        if (top->child >= kids->length) {
            ctx->n[top->rec].end = (int)ctx->count;
            ctx->n[top->rec].text_end = (unsigned)ctx->text.len;
            if (ca__html_is_block(ctx->n[top->rec].tag))
                st = text_break(ctx);
            depth--;
            continue;
        }
        child = kids->data[top->child++];
        if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
            child->type == GUMBO_NODE_WHITESPACE) {
            if (!(ctx->n[top->rec].flags & HN_SKIP))
                st = add_text(ctx, child->v.text.text, top->rec, top->block, top->in_link);
            continue;
        }
        if (child->type != GUMBO_NODE_ELEMENT && child->type != GUMBO_NODE_TEMPLATE)
            continue;
        if (depth == cap) {
            struct frame *p = realloc(stack, cap * 2 * sizeof *p);

            if (!p) {
                st = CA_NOMEM;
                break;
            }
            stack = p;
            cap *= 2;
            top = &stack[depth - 1];
        }
        st = enter_element(ctx, top, child, &stack[depth]);
        depth++;
    }
    free(stack);
    return st;
}

/* Add each record's counts to its parent: subtrees are contiguous ranges. */
static void aggregate(html_ctx *ctx)
{
    size_t i;

    for (i = ctx->count; i-- > 1;) {
        hnode *r = &ctx->n[i], *p;

        if (r->parent < 0)
            continue;
        p = &ctx->n[r->parent];
        p->text_len += r->text_len;
        p->link_text += r->link_text;
        p->links += r->links;
        p->commas += r->commas;
        p->imgs += r->imgs;
        p->lis += r->lis;
        p->inputs += r->inputs;
        p->embeds += r->embeds;
        p->paras += r->paras;
        p->rows += r->rows;
        p->cells += r->cells;
    }
}

/* The region of the record: chrome when it or an ancestor is chrome or not body. */
static ca_region region_of(const html_ctx *ctx, int rec)
{
    int body = 0;

    for (; rec >= 0; rec = ctx->n[rec].parent) {
        if (ctx->n[rec].flags & (HN_CHROME | HN_HIDDEN))
            return CA_REGION_CHROME;
        if (ctx->n[rec].flags & HN_BODY)
            body = 1;
    }
    return body ? CA_REGION_BODY : CA_REGION_CHROME;
}

/*
 * The site's own service pages (contact, tips, subscribe, donate, privacy)
 * are never what an article cites, even when the text links them: "contact
 * us through our SecureDrop", "sign up to our newsletter".
 */
static int is_service_path(const char *path)
{
    static const char *const pages[] = {
        "contact", "contact-us", "tips", "securedrop", "subscribe", "subscription",
        "subscriptions", "newsletter", "newsletters", "donate", "donation", "donations",
        "membership", "account", "login", "signin", "sign-in", "signup", "sign-up",
        "register", "privacy", "privacy-policy", "terms", "cookies", "cookie-policy",
    };
    size_t i, n;

    while (*path == '/')
        path++;
    n = strcspn(path, "/?;");
    for (i = 0; i < sizeof pages / sizeof *pages; i++) {
        if (strlen(pages[i]) == n && !strncasecmp(path, pages[i], n))
            return 1;
    }
    return 0;
}

static int same_site(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    if (!strncmp(a, "www.", 4))
        a += 4;
    if (!strncmp(b, "www.", 4))
        b += 4;
    return !strcasecmp(a, b);
}

/* A body link to one of the site's own service pages (see above). */
static int is_service_link(const html_ctx *ctx, const ca_citation *c, const ca_url *u)
{
    size_t i;

    if (c->region != CA_REGION_BODY || c->kind != CA_KIND_LINK || u->kind != CA_URL_HTTP ||
        !u->path || !is_service_path(u->path))
        return 0;
    for (i = 0; i < 3; i++) {
        if (same_site(u->host, ctx->site_host[i]))
            return 1;
    }
    return 0;
}

static ca_status emit_link(html_ctx *ctx, const struct html_link *l, ca__linemap *lm)
{
    const hnode *r = &ctx->n[l->rec];
    const GumboNode *node = r->node;
    ca_citation *c;
    ca_url u;
    const char *rel;
    ca_status st = ca_doc_add_citation(ctx->doc, &c);

    if (st != CA_OK)
        return st;
    c->kind = l->kind;
    c->region = region_of(ctx, l->rec);
    ca__linemap_pos(lm, node->v.element.start_pos.offset, &c->line, &c->col);
    st = ca_url_normalize(l->value, ctx->base, &u, ctx->err);
    if (st == CA_OK)
        st = ca__citation_set_url(c, l->value, &u, ctx->err);
    if (st == CA_OK && is_service_link(ctx, c, &u))
        c->region = CA_REGION_CHROME;
    ca_url_release(&u);
    if (st != CA_OK)
        return st;
    /* Cut a little past the cap, then back to a character boundary. */
    if (r->tag == GUMBO_TAG_IMG && ca__html_attr(node, "alt"))
        c->text = ca__collapse_ws(ca__html_attr(node, "alt"),
                                  strnlen(ca__html_attr(node, "alt"), CA__TEXT_MAX + 4));
    else if (r->text_end > r->text_start)
        c->text = ca__collapse_ws(ctx->text.data + r->text_start,
                                  r->text_end - r->text_start > CA__TEXT_MAX + 4
                                      ? CA__TEXT_MAX + 4
                                      : r->text_end - r->text_start);
    if (c->text)
        ca__utf8_truncate(c->text, CA__TEXT_MAX);
    if (ctx->text.len)
        c->context = ca__sentence_around(ctx->text.data, ctx->text.len, r->text_start,
                                         r->text_end, CA__CONTEXT_MAX);
    rel = ca__html_attr(node, "rel");
    if (rel && (r->tag == GUMBO_TAG_A || r->tag == GUMBO_TAG_AREA))
        c->rel = ca__collapse_ws(rel, strnlen(rel, 200));
    return CA_OK;
}

/* The hosts the page is on: its base, its canonical URL, where it was served. */
static ca_status site_hosts(html_ctx *ctx)
{
    const char *urls[3] = {ctx->base, ctx->meta->url, ctx->served};
    ca_status st = CA_OK;
    size_t i;

    for (i = 0; i < 3 && st == CA_OK; i++) {
        ca_url u;

        if (!urls[i])
            continue;
        st = ca_url_normalize(urls[i], NULL, &u, ctx->err);
        if (st == CA_OK && u.kind == CA_URL_HTTP) {
            ctx->site_host[i] = u.host;
            u.host = NULL;
        }
        ca_url_release(&u);
    }
    return st;
}

static ca_status emit_links(html_ctx *ctx)
{
    ca__linemap lm;
    size_t i;
    ca_status st = site_hosts(ctx);

    ca__linemap_init(&lm, ctx->src, ctx->srclen);
    for (i = 0; i < ctx->nlinks && st == CA_OK; i++)
        st = emit_link(ctx, &ctx->links[i], &lm);
    if (st == CA_LIMIT) {
        /* The refused link was counted; count the ones never offered. */
        ctx->doc->links_dropped += ctx->nlinks - i;
        st = CA_OK;
    }
    return st;
}

static void ctx_release(html_ctx *ctx)
{
    size_t i;

    for (i = 0; i < ctx->nlinks; i++)
        free(ctx->links[i].owned);
    free(ctx->links);
    free(ctx->n);
    free(ctx->base);
    for (i = 0; i < 3; i++)
        free(ctx->site_host[i]);
    ca_buf_release(&ctx->text);
    /* The arena holds the whole tree: no gumbo_destroy_output() walk. */
    ca__html_arena_release(&ctx->arena);
}

ca_status ca__extract_html(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                           const char *base_url, ca_error *err)
{
    html_ctx ctx;
    char *guarded = NULL;
    size_t blanked;
    ca_status st = CA_NOMEM;

    memset(&ctx, 0, sizeof ctx);
    ctx.doc = doc;
    ctx.meta = meta;
    ctx.err = err;
    ctx.root = -1;
    ca_buf_init(&ctx.text, HTML_TEXT_MAX);
    ca__html_arena_init(&ctx.arena, &ctx.gumbo_opts);
    blanked = ca__html_guard(data, NULL, len, HTML_MAX_DEPTH);
    if (blanked) {
        guarded = ca__strndup(data, len);
        if (!guarded)
            goto fail;
        ca__html_guard(data, guarded, len, HTML_MAX_DEPTH);
        ca_doc_warn(doc, "%s: elements nested deeper than %d levels; %zu tags flattened",
                    doc->origin, HTML_MAX_DEPTH, blanked);
    }
    ctx.src = guarded ? guarded : data;
    ctx.srclen = len;
    ctx.out = gumbo_parse_with_options(&ctx.gumbo_opts, ctx.src, len);
    if (!ctx.out)
        goto fail;
    st = walk(&ctx);
    if (st != CA_OK)
        goto fail;
    aggregate(&ctx);
    ctx.served = base_url;
    st = ca__html_meta(&ctx, base_url);
    if (st != CA_OK)
        goto fail;
    ca__html_classify(&ctx);
    st = emit_links(&ctx);
    if (st == CA_OK)
        st = ca__html_main_text(&ctx);
fail:
    if (st == CA_NOMEM)
        ca_error_set(err, st, "out of memory extracting '%s'", doc->origin);
    ctx_release(&ctx);
    free(guarded);
    return st;
}
