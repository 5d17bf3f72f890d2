/*
 * html_content.c - which part of a web page is the article.
 *
 * A news page holds hundreds of links and a handful of citations. The
 * article is found the way Mozilla Readability finds it, because that
 * method has been tuned on the real web for a decade: set aside elements
 * whose class, id or role say they are chrome, score the paragraphs by
 * length and commas, let the scores flow to their ancestors, discount by
 * link density, take the best ancestor and its worthy siblings. Semantic
 * containers (itemprop=articleBody, <article>, <main>) then widen the
 * result to the whole article when they hold it. Inside the article,
 * navigation, share bars, related rails, bios and boxes dense with links
 * are chrome again, except reference lists, figures and embedded posts,
 * which are what an article cites.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_int.h"

static int has_ancestor_tag(const html_ctx *ctx, int i, GumboTag tag)
{
    for (i = ctx->n[i].parent; i >= 0; i = ctx->n[i].parent) {
        if (ctx->n[i].tag == tag)
            return 1;
    }
    return 0;
}

static double link_density(const hnode *r)
{
    return r->text_len ? (double)r->link_text / r->text_len : 0;
}

/* Readability's starting score of a candidate, by tag and vocabulary. */
static void init_score(hnode *r, int use_weights)
{
    switch (r->tag) {
    case GUMBO_TAG_DIV:
        r->score = 5;
        break;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE:
        r->score = 3;
        break;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM:
        r->score = -3;
        break;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH:
        r->score = -5;
        break;
    default:
        r->score = 0;
        break;
    }
    if (use_weights)
        r->score += (float)r->weight;
    r->flags |= HN_SCORED;
}

static int is_scored_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_CENTER:
        return 1;
    default:
        return 0;
    }
}

/* Nonzero when record i or an ancestor is set aside (unlikely, hidden, skipped). */
static int set_aside(const html_ctx *ctx, int i, int strip_unlikely)
{
    unsigned mask = HN_HIDDEN | HN_SKIP | (strip_unlikely ? HN_UNLIKELY : 0);

    for (; i >= 0; i = ctx->n[i].parent) {
        if (ctx->n[i].flags & mask)
            return !(ctx->n[i].flags & HN_UNLIKELY) || !has_ancestor_tag(ctx, i, GUMBO_TAG_TABLE);
    }
    return 0;
}

/* Score paragraphs and pass the scores to up to five ancestors. */
static void score_paragraphs(html_ctx *ctx, int strip_unlikely, int use_weights)
{
    size_t i;

    for (i = 0; i < ctx->count; i++) {
        hnode *r = &ctx->n[i];

        r->flags &= ~(unsigned)HN_SCORED;
        r->score = 0;
    }
    for (i = 0; i < ctx->count; i++) {
        hnode *r = &ctx->n[i];
        float s;
        int a, level;

        unsigned len, commas;

        if (!is_scored_tag(r->tag))
            continue;
        /* Readability scores these by all their text, and the phrasing
         * content of divs as paragraphs of their own. */
        if (r->tag == GUMBO_TAG_SECTION || r->tag == GUMBO_TAG_TD || r->tag == GUMBO_TAG_PRE ||
            r->tag == GUMBO_TAG_P || (r->tag >= GUMBO_TAG_H2 && r->tag <= GUMBO_TAG_H6)) {
            len = r->text_len;
            commas = r->commas;
        } else {
            len = r->inline_text;
            commas = r->inline_commas;
        }
        if (len < 25 || set_aside(ctx, (int)i, strip_unlikely))
            continue;
        s = 1.0f + (float)(commas + 1) + (float)(len / 100 > 3 ? 3 : len / 100);
        for (a = r->parent, level = 0; a >= 0 && level < 5; a = ctx->n[a].parent, level++) {
            hnode *anc = &ctx->n[a];

            if (anc->tag == GUMBO_TAG_HTML || anc->parent < 0)
                break;
            if (!(anc->flags & HN_SCORED))
                init_score(anc, use_weights);
            anc->score += s / (float)(level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    for (i = 0; i < ctx->count; i++) {
        hnode *r = &ctx->n[i];

        if (r->flags & HN_SCORED)
            r->score *= (float)(1.0 - link_density(r));
    }
}

static int is_ancestor(const html_ctx *ctx, int anc, int i)
{
    return anc >= 0 && i >= anc && i < ctx->n[anc].end;
}

static int body_record(const html_ctx *ctx)
{
    size_t i;

    for (i = 0; i < ctx->count; i++) {
        if (ctx->n[i].tag == GUMBO_TAG_BODY)
            return (int)i;
    }
    return 0;
}

/* The best candidate, moved up where Readability moves it. */
static int top_candidate(const html_ctx *ctx)
{
    int top = -1, alts[5], nalts = 0, p, i, body = body_record(ctx);
    float last, threshold;
    size_t k;

    for (k = 0; k < ctx->count; k++) {
        if ((ctx->n[k].flags & HN_SCORED) && (top < 0 || ctx->n[k].score > ctx->n[top].score))
            top = (int)k;
    }
    if (top < 0 || ctx->n[top].tag == GUMBO_TAG_BODY)
        return body;
    /* Several near-best candidates under one ancestor: the ancestor is it. */
    for (k = 0; k < ctx->count && nalts < 5; k++) {
        if ((int)k != top && (ctx->n[k].flags & HN_SCORED) &&
            ctx->n[k].score >= ctx->n[top].score * 0.75f && !is_ancestor(ctx, (int)k, top))
            alts[nalts++] = (int)k;
    }
    if (nalts >= 3) {
        for (p = ctx->n[top].parent; p >= 0 && ctx->n[p].tag != GUMBO_TAG_BODY;
             p = ctx->n[p].parent) {
            int holds = 0;

            for (i = 0; i < nalts; i++)
                holds += is_ancestor(ctx, p, alts[i]);
            if (holds >= 3) {
                top = p;
                break;
            }
        }
    }
    /* Walk up while the parent scores better. */
    last = ctx->n[top].score;
    threshold = last / 3;
    for (p = ctx->n[top].parent; p >= 0 && ctx->n[p].tag != GUMBO_TAG_BODY;
         p = ctx->n[p].parent) {
        if (!(ctx->n[p].flags & HN_SCORED))
            continue;
        if (ctx->n[p].score < threshold)
            break;
        if (ctx->n[p].score > last) {
            top = p;
            break;
        }
        last = ctx->n[p].score;
    }
    /* An only child says nothing its parent does not. */
    for (p = ctx->n[top].parent; p >= 0 && ctx->n[p].tag != GUMBO_TAG_BODY;
         p = ctx->n[top].parent) {
        int kids = 0;

        for (i = p + 1; i < ctx->n[p].end; i = ctx->n[i].end)
            kids++;
        if (kids != 1)
            break;
        top = p;
    }
    return top;
}

static int same_class(const hnode *a, const hnode *b)
{
    const char *ca = ca__html_attr(a->node, "class"), *cb = ca__html_attr(b->node, "class");

    return ca && cb && *ca && !strcmp(ca, cb);
}

/* Sentence-like text: ends with a period before any trailing space. */
static int ends_sentence(const html_ctx *ctx, const hnode *r)
{
    unsigned e = r->text_end;

    while (e > r->text_start && (ctx->text.data[e - 1] == ' ' || ctx->text.data[e - 1] == '\n'))
        e--;
    return e > r->text_start && ctx->text.data[e - 1] == '.';
}

/* Mark the top candidate and its worthy siblings as the article. */
static void mark_article(html_ctx *ctx, int top, int strip_unlikely)
{
    int parent = ctx->n[top].parent, i;
    float threshold = ctx->n[top].score * 0.2f > 10 ? ctx->n[top].score * 0.2f : 10;

    if (parent < 0 || ctx->n[top].tag == GUMBO_TAG_BODY) {
        ctx->n[top].flags |= HN_BODY;
        return;
    }
    for (i = parent + 1; i < ctx->n[parent].end; i = ctx->n[i].end) {
        hnode *s = &ctx->n[i];
        float bonus = same_class(s, &ctx->n[top]) ? ctx->n[top].score * 0.2f : 0;
        int take = i == top;

        if (set_aside(ctx, i, strip_unlikely))
            continue;
        if (!take && (s->flags & HN_SCORED) && s->score + bonus >= threshold)
            take = 1;
        if (!take && s->tag == GUMBO_TAG_P) {
            double ld = link_density(s);

            take = (s->text_len > 80 && ld < 0.25) ||
                   (s->text_len > 0 && s->text_len <= 80 && ld == 0 && ends_sentence(ctx, s));
        }
        if (take)
            s->flags |= HN_BODY;
    }
}

/* The largest semantic article container, or -1. */
static int semantic_container(const html_ctx *ctx)
{
    int best = -1;
    size_t i;

    for (i = 0; i < ctx->count; i++) {
        const hnode *r = &ctx->n[i];
        const char *ip = ca__html_attr(r->node, "itemprop");
        int semantic = (ip && !strcasecmp(ip, "articleBody")) || r->tag == GUMBO_TAG_ARTICLE;

        if (semantic && !(r->flags & (HN_HIDDEN | HN_SKIP)) &&
            (best < 0 || r->text_len > ctx->n[best].text_len))
            best = (int)i;
    }
    return best;
}

/* Text of the records marked HN_BODY, without (when asked) their chrome. */
static unsigned body_text(const html_ctx *ctx, int minus_chrome)
{
    unsigned n = 0;
    size_t i;
    int in_body = 0;
    size_t body_end = 0;

    for (i = 0; i < ctx->count; i++) {
        const hnode *r = &ctx->n[i];

        if (in_body && i >= body_end)
            in_body = 0;
        if (!in_body && (r->flags & HN_BODY)) {
            n += r->text_len;
            in_body = 1;
            body_end = (size_t)r->end;
        } else if (in_body && minus_chrome && (r->flags & HN_CHROME)) {
            n -= r->text_len;
            i = (size_t)r->end - 1;
        }
    }
    return n;
}

/*
 * Widen to a semantic container (articleBody, <article>) that holds the
 * chosen text and is not much more: it brings the lead image, the figures
 * and the embeds that scoring by paragraphs leaves beside the text.
 */
static void widen_to_semantic(html_ctx *ctx, int top)
{
    int sem = semantic_container(ctx);
    unsigned chosen = body_text(ctx, 0);

    if (sem < 0 || !is_ancestor(ctx, sem, top) || sem == top)
        return;
    if (ctx->n[sem].text_len - ctx->n[sem].link_text > chosen + chosen / 2 + 200)
        return;
    ctx->n[sem].flags |= HN_BODY;
}

/*
 * Link density without the links of embedded posts: a tweet's permalink is
 * what the paragraph around it cites, not a sign of a link box.
 */
static double own_link_density(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];
    unsigned embedded = 0;
    int k;

    if (!r->text_len)
        return 0;
    for (k = i + 1; k < r->end; k++) {
        if (ctx->n[k].flags & HN_EMBED) {
            embedded += ctx->n[k].link_text;
            k = ctx->n[k].end - 1;
        }
    }
    return (double)(r->link_text - embedded) / r->text_len;
}

/* Readability's conditional cleaning: is this block chrome by its shape? */
static int fishy(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];
    double ld = own_link_density(ctx, i);
    unsigned paras = 0, headings_text = 0;
    int k, is_list = r->tag == GUMBO_TAG_UL || r->tag == GUMBO_TAG_OL;

    if (r->weight < 0)
        return 1;
    if (r->commas >= 10)
        return 0;
    for (k = i + 1; k < r->end; k++) {
        paras += ctx->n[k].tag == GUMBO_TAG_P;
        if (ctx->n[k].tag >= GUMBO_TAG_H1 && ctx->n[k].tag <= GUMBO_TAG_H6)
            headings_text += ctx->n[k].text_len;
    }
    if (r->imgs > 1 && paras * 2 < r->imgs && !has_ancestor_tag(ctx, i, GUMBO_TAG_FIGURE))
        return 1;
    if (r->inputs > paras / 3)
        return 1;
    if (!is_list && r->text_len < 25 && (r->imgs == 0 || r->imgs > 2) && ld > 0 &&
        headings_text * 10 < r->text_len * 9)
        return 1;
    if (!is_list && r->weight < 25 && ld > 0.2)
        return 1;
    if (r->weight >= 25 && ld > 0.5)
        return 1;
    if ((r->embeds == 1 && r->text_len < 75 && !r->imgs && r->links) || r->embeds > 1)
        return r->embeds > 1 && r->text_len > 200 ? 0 : (r->links > 0);
    return 0;
}

static int chrome_tag(GumboTag t)
{
    return t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER ||
           t == GUMBO_TAG_FORM || t == GUMBO_TAG_BUTTON || t == GUMBO_TAG_MENU ||
           t == GUMBO_TAG_FIELDSET;
}

/*
 * A table of data (sources, figures), not of layout: Readability's test,
 * simplified. Its links are as much citations as a paragraph's.
 */
static int is_data_table(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];
    const char *role = ca__html_attr(r->node, "role");
    int k;

    if (r->tag != GUMBO_TAG_TABLE || (role && !strcasecmp(role, "presentation")))
        return 0;
    for (k = i + 1; k < r->end; k++) {
        GumboTag t = ctx->n[k].tag;

        if (t == GUMBO_TAG_TABLE)
            return 0; /* nested tables are layout */
        if (t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_TH || t == GUMBO_TAG_THEAD ||
            t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_COLGROUP)
            return 1;
    }
    return ca__html_attr(r->node, "summary") || r->rows >= 10 || (r->rows > 1 && r->cells > 10);
}

static int is_keep(const html_ctx *ctx, int i)
{
    for (; i >= 0; i = ctx->n[i].parent) {
        if (ctx->n[i].flags & HN_KEEP || is_data_table(ctx, i))
            return 1;
    }
    return 0;
}

/*
 * Long prose with few links is text, whatever its class says (an id made
 * from a heading such as "sharing-with-a-developer"); comments excepted,
 * which are prose and chrome.
 */
static int is_prose(const hnode *r)
{
    const char *cls = ca__html_attr(r->node, "class"), *id = ca__html_attr(r->node, "id");

    if ((cls && (ca__html_has_word(cls, "comment") || ca__html_has_word(cls, "disqus"))) ||
        (id && (ca__html_has_word(id, "comment") || ca__html_has_word(id, "disqus"))))
        return 0;
    return r->text_len > 500 && r->paras >= 2 && link_density(r) < 0.1;
}

/*
 * A wrapper around kept content (a figure, an embed, a reference list) that
 * adds little of its own: BBC and Substack put each figure in a div of its
 * own, whose shape alone (a caption link, an image) looks like a link box.
 */
static int wraps_keep(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];
    int k;

    for (k = i + 1; k < r->end; k++) {
        if (ctx->n[k].flags & HN_KEEP)
            return ctx->n[k].text_len * 10 >= r->text_len * 8;
    }
    return 0;
}

/* A tracking pixel, an icon or a hidden image is not a picture. */
static int is_icon(const html_ctx *ctx, int k)
{
    const char *w = ca__html_attr(ctx->n[k].node, "width");
    const char *h = ca__html_attr(ctx->n[k].node, "height");

    return (ctx->n[k].flags & HN_HIDDEN) || (w && atoi(w) < 40) || (h && atoi(h) < 40);
}

/*
 * An image with its caption or credit, not marked up as a <figure>:
 * Drupal's image field, Bitrix's detail picture, an old layout table. One
 * or two images, a short text with no heading, at most a credit link or
 * two, no widget inside, and no image inside a link (that is a teaser
 * card or a banner ad).
 */
static int is_picture_block(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];
    int k, pictures = 0;

    if (r->imgs == 0 || r->text_len > 300 || r->links > 2 || r->embeds ||
        (r->flags & HN_VOCAB))
        return 0;
    for (k = i + 1; k < r->end; k++) {
        const hnode *d = &ctx->n[k];

        if ((d->flags & HN_VOCAB) || (d->tag >= GUMBO_TAG_H1 && d->tag <= GUMBO_TAG_H6))
            return 0;
        if (d->tag != GUMBO_TAG_IMG || is_icon(ctx, k))
            continue;
        if (has_ancestor_tag(ctx, k, GUMBO_TAG_A))
            return 0;
        pictures++;
    }
    return pictures >= 1 && pictures <= 2;
}

/*
 * The entries of a live blog: an <article> with <article> siblings, holding
 * a paragraph. Each is a short article of its own, so its text block is
 * body however many links it cites, as the main article's text is.
 */
static int in_entry_text(const html_ctx *ctx, int i)
{
    int a, k, siblings = 0;

    for (a = ctx->n[i].parent; a >= 0 && ctx->n[a].tag != GUMBO_TAG_ARTICLE; a = ctx->n[a].parent)
        ;
    if (a < 0 || ctx->n[a].parent < 0 || !ctx->n[a].paras ||
        ctx->n[i].text_len * 2 < ctx->n[a].text_len)
        return 0;
    for (k = ctx->n[a].parent + 1; k < ctx->n[ctx->n[a].parent].end; k = ctx->n[k].end)
        siblings += ctx->n[k].tag == GUMBO_TAG_ARTICLE;
    return siblings >= 2;
}

static int shape_is_chrome(const html_ctx *ctx, int i)
{
    GumboTag t = ctx->n[i].tag;

    if (t != GUMBO_TAG_DIV && t != GUMBO_TAG_SECTION && t != GUMBO_TAG_UL &&
        t != GUMBO_TAG_OL && t != GUMBO_TAG_TABLE)
        return 0;
    if (wraps_keep(ctx, i) || is_picture_block(ctx, i) || in_entry_text(ctx, i))
        return 0;
    return fishy(ctx, i);
}

/*
 * A link or span whose class names a widget, standing in a sentence of
 * running text, is part of the sentence (medicalnewstoday marks its glossary
 * links class="keywords"): it is chrome only when it is most of its block.
 */
static int inline_in_text(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];
    int b;

    if (ca__html_is_block(r->tag))
        return 0;
    for (b = r->parent; b >= 0 && !ca__html_is_block(ctx->n[b].tag); b = ctx->n[b].parent)
        ;
    return b >= 0 && ctx->n[b].text_len > 2 * r->text_len + 40;
}

static int vocab_is_chrome(const html_ctx *ctx, int i)
{
    const hnode *r = &ctx->n[i];

    return (r->flags & HN_VOCAB) && !is_prose(r) && !inline_in_text(ctx, i);
}

/*
 * A header inside the article holds the kicker, byline, date and share bar,
 * and is chrome as a whole, unless it holds the standfirst: then its parts
 * are judged one by one, so the standfirst's links stay body.
 */
static int header_is_chrome(const html_ctx *ctx, int i, unsigned total)
{
    const hnode *r = &ctx->n[i];
    int k;

    if (r->tag != GUMBO_TAG_HEADER || r->text_len * 10 >= total * 3)
        return 0;
    for (k = i + 1; k < r->end; k++) {
        if (ctx->n[k].flags & HN_STANDFIRST)
            return 0;
    }
    return 1;
}

/* Mark the chrome inside the article range starting at record `art`. */
static void mark_inner_chrome(html_ctx *ctx, int art)
{
    unsigned total = ctx->n[art].text_len;
    int i = art + 1;

    while (i < ctx->n[art].end) {
        hnode *r = &ctx->n[i];
        int chrome = 0, wrapper = r->text_len * 10 >= total * 6 && total > 200;

        if (!is_keep(ctx, i) && !wrapper)
            chrome = chrome_tag(r->tag) || vocab_is_chrome(ctx, i) ||
                     header_is_chrome(ctx, i, total) || shape_is_chrome(ctx, i);
        if (chrome) {
            r->flags |= HN_CHROME;
            i = r->end;
        } else if (ca__html_is_block(r->tag) && is_picture_block(ctx, i)) {
            i = r->end; /* the credit line is too short to judge by shape */
        } else {
            i++;
        }
    }
}

static void clear_marks(html_ctx *ctx)
{
    size_t i;

    for (i = 0; i < ctx->count; i++)
        ctx->n[i].flags &= ~(unsigned)(HN_BODY | HN_CHROME);
}

/* One attempt with Readability's flags; returns the article's text length. */
static unsigned attempt(html_ctx *ctx, int strip_unlikely, int use_weights)
{
    int top;
    size_t i;

    clear_marks(ctx);
    score_paragraphs(ctx, strip_unlikely, use_weights);
    top = top_candidate(ctx);
    mark_article(ctx, top, strip_unlikely);
    widen_to_semantic(ctx, top);
    for (i = 0; i < ctx->count; i = ctx->n[i].flags & HN_BODY ? (size_t)ctx->n[i].end : i + 1) {
        if (ctx->n[i].flags & HN_BODY)
            mark_inner_chrome(ctx, (int)i);
    }
    ctx->root = top;
    return body_text(ctx, 1);
}

#ifdef CA_HTML_DEBUG
#include <stdio.h>
#include <stdlib.h>
static void debug_dump(const html_ctx *ctx)
{
    size_t i;
    char s[200];

    if (!getenv("CA_HTML_DEBUG"))
        return;
    for (i = 0; i < ctx->count; i++) {
        const hnode *r = &ctx->n[i];
        int d = 0, p;

        if (getenv("CA_HTML_LINES")) {
            unsigned a = (unsigned)atoi(getenv("CA_HTML_LINES")), l = r->node->v.element.start_pos.line;
            if (l < a || l > a + 80)
                continue;
        } else if (!(r->flags & (HN_BODY | HN_CHROME | HN_SCORED)) || (r->flags & HN_SCORED && r->score < 5 && !(r->flags & (HN_BODY|HN_CHROME))))
            continue;
        for (p = r->parent; p >= 0; p = ctx->n[p].parent)
            d++;
        ca__html_class_and_id(r->node, s, 60);
        fprintf(stderr, "%5zu d%-3d %-8s %-40s score=%7.1f w=%3d text=%6u ld=%.2f line=%u %s%s%s%s\n", i, d,
                gumbo_normalized_tagname(r->tag), s, r->score, r->weight, r->text_len,
                link_density(r), r->node->v.element.start_pos.line,
                r->flags & HN_BODY ? "BODY " : "", r->flags & HN_CHROME ? "CHROME " : "",
                r->flags & HN_UNLIKELY ? "unlikely " : "", (int)i == ctx->root ? "ROOT" : "");
        if (getenv("CA_HTML_LINES"))
            fprintf(stderr, "      flags=%x inline=%u\n", r->flags, r->inline_text);
    }
}
#endif

void ca__html_classify(html_ctx *ctx)
{
    unsigned got;

    if (ctx->count == 0)
        return;
    ca__html_vocab(ctx);
    /* Readability retries without its aggressive flags when too little text
     * survives; 500 characters is its threshold too. */
    got = attempt(ctx, 1, 1);
    if (got < 500) {
        unsigned got2 = attempt(ctx, 0, 1);

        if (got2 <= got)
            attempt(ctx, 1, 1);
    }
#ifdef CA_HTML_DEBUG
    debug_dump(ctx);
#endif
}
