/*
 * html_meta.c - what a page says about itself: its canonical URL, site
 * name, title and publication date, from <link rel=canonical>, Open Graph
 * and article:* meta tags, schema.org JSON-LD (NewsArticle and kin) and
 * microdata, and the <base href> that relative links resolve against.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "citeaudit/url.h"
#include "html_int.h"
#include "strutil.h"

/* JSON-LD blocks larger than this are ignored (they are data dumps). */
#define JSONLD_MAX ((size_t)1 << 20)

/* Set *field to a collapsed copy of value unless it is already set. */
static ca_status set_once(char **field, const char *value)
{
    if (*field || !value)
        return CA_OK;
    *field = ca__collapse_ws(value, strnlen(value, 4096));
    if (!*field)
        return CA_NOMEM;
    if (!**field) {
        free(*field);
        *field = NULL;
    }
    return CA_OK;
}

/* Set *field to value resolved against base unless already set. */
static ca_status set_url_once(char **field, const char *value, const char *base)
{
    if (*field || !value || !*value)
        return CA_OK;
    *field = ca_url_resolve(value, base);
    return CA_OK;
}

static const char *const article_types[] = {
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting",
    "ScholarlyArticle", "TechArticle", "Report", "SocialMediaPosting",
};

static int is_article_type(const json_t *type)
{
    size_t i, k;

    if (json_is_array(type)) {
        for (k = 0; k < json_array_size(type); k++) {
            if (is_article_type(json_array_get(type, k)))
                return 1;
        }
        return 0;
    }
    if (!json_is_string(type))
        return 0;
    for (i = 0; i < sizeof article_types / sizeof *article_types; i++) {
        if (strcmp(json_string_value(type), article_types[i]) == 0)
            return 1;
    }
    return 0;
}

/* A string, or the "@id"/"url"/"name" of an object, or the first of an array. */
static const char *json_str(const json_t *v, const char *key_in_object)
{
    if (json_is_array(v))
        v = json_array_get(v, 0);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v)) {
        const json_t *s = json_object_get(v, key_in_object);

        return json_is_string(s) ? json_string_value(s) : NULL;
    }
    return NULL;
}

static ca_status read_article(html_ctx *ctx, const json_t *o, const char *base)
{
    ca__meta *m = ctx->meta;
    const char *url = json_str(json_object_get(o, "url"), "@id");
    ca_status st;

    if (!url)
        url = json_str(json_object_get(o, "mainEntityOfPage"), "@id");
    st = set_url_once(&m->url, url, base);
    if (st == CA_OK)
        st = set_once(&m->title, json_str(json_object_get(o, "headline"), "name"));
    if (st == CA_OK)
        st = set_once(&m->published, json_str(json_object_get(o, "datePublished"), "@value"));
    if (st == CA_OK)
        st = set_once(&m->site_name, json_str(json_object_get(o, "publisher"), "name"));
    return st;
}

/* Find article objects at the top, in arrays and in "@graph". */
static ca_status scan_jsonld(html_ctx *ctx, const json_t *v, const char *base, int depth)
{
    ca_status st = CA_OK;
    size_t i;

    if (depth > 4)
        return CA_OK;
    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v) && st == CA_OK; i++)
            st = scan_jsonld(ctx, json_array_get(v, i), base, depth + 1);
        return st;
    }
    if (!json_is_object(v))
        return CA_OK;
    if (is_article_type(json_object_get(v, "@type")))
        st = read_article(ctx, v, base);
    if (st == CA_OK && json_object_get(v, "@graph"))
        st = scan_jsonld(ctx, json_object_get(v, "@graph"), base, depth + 1);
    return st;
}

static ca_status read_jsonld(html_ctx *ctx, const hnode *r, const char *base)
{
    const GumboVector *kids = &r->node->v.element.children;
    const GumboNode *t;
    json_t *root;
    ca_status st;

    if (kids->length == 0)
        return CA_OK;
    t = kids->data[0];
    if (t->type != GUMBO_NODE_TEXT || strlen(t->v.text.text) > JSONLD_MAX)
        return CA_OK;
    /* Broken JSON-LD is common and harmless: the other sources remain. */
    root = json_loads(t->v.text.text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!root)
        return CA_OK;
    st = scan_jsonld(ctx, root, base, 0);
    json_decref(root);
    return st;
}

static ca_status read_meta_tag(html_ctx *ctx, const GumboNode *node, const char *base)
{
    ca__meta *m = ctx->meta;
    const char *prop = ca__html_attr(node, "property");
    const char *name = ca__html_attr(node, "name");
    const char *item = ca__html_attr(node, "itemprop");
    const char *content = ca__html_attr(node, "content");
    const char *key = prop ? prop : name;

    if (!content)
        return CA_OK;
    if (item && !strcasecmp(item, "datePublished"))
        return set_once(&m->published, content);
    if (!key)
        return CA_OK;
    if (!strcasecmp(key, "og:url"))
        return set_url_once(&m->url, content, base);
    if (!strcasecmp(key, "og:site_name"))
        return set_once(&m->site_name, content);
    if (!strcasecmp(key, "og:title") || !strcasecmp(key, "twitter:title"))
        return set_once(&m->title, content);
    if (!strcasecmp(key, "article:published_time") || !strcasecmp(key, "og:published_time") ||
        !strcasecmp(key, "pubdate") || !strcasecmp(key, "publishdate") ||
        !strcasecmp(key, "date") || !strcasecmp(key, "dc.date") ||
        !strcasecmp(key, "dc.date.issued") || !strcasecmp(key, "dcterms.created") ||
        !strcasecmp(key, "sailthru.date") || !strcasecmp(key, "parsely-pub-date"))
        return set_once(&m->published, content);
    return CA_OK;
}

static int rel_has(const char *rel, const char *token)
{
    size_t n = strlen(token);
    const char *p = rel;

    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!strncasecmp(p, token, n) && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t'))
            return 1;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
    return 0;
}

/* The <title> text, used when no meta tag gives a title. */
static const char *title_text(const hnode *r)
{
    const GumboVector *kids = &r->node->v.element.children;

    if (kids->length && ((GumboNode *)kids->data[0])->type == GUMBO_NODE_TEXT)
        return ((GumboNode *)kids->data[0])->v.text.text;
    return NULL;
}

/*
 * Resolve the base: <base href> (against the page URL), else the page URL
 * given by the caller, else the canonical URL, so that a page saved from
 * the web still resolves its relative links to where they pointed.
 */
static ca_status settle_base(html_ctx *ctx, const char *base_href, const char *base_url)
{
    if (base_href)
        ctx->base = ca_url_resolve(base_href, base_url ? base_url : ctx->meta->url);
    if (!ctx->base && base_url)
        ctx->base = strdup(base_url);
    if (!ctx->base && ctx->meta->url)
        ctx->base = strdup(ctx->meta->url);
    return CA_OK;
}

ca_status ca__html_meta(html_ctx *ctx, const char *base_url)
{
    const char *base_href = NULL, *title = NULL, *canonical = NULL;
    ca_status st = CA_OK;
    size_t i;

    for (i = 0; i < ctx->count && st == CA_OK; i++) {
        const hnode *r = &ctx->n[i];
        const GumboNode *node = r->node;
        const char *type;

        switch (r->tag) {
        case GUMBO_TAG_META:
            st = read_meta_tag(ctx, node, base_url);
            break;
        case GUMBO_TAG_LINK:
            if (!canonical && rel_has(ca__html_attr(node, "rel"), "canonical"))
                canonical = ca__html_attr(node, "href");
            break;
        case GUMBO_TAG_BASE:
            if (!base_href)
                base_href = ca__html_attr(node, "href");
            break;
        case GUMBO_TAG_TITLE:
            if (!title)
                title = title_text(r);
            break;
        case GUMBO_TAG_SCRIPT:
            type = ca__html_attr(node, "type");
            if (type && !strcasecmp(type, "application/ld+json"))
                st = read_jsonld(ctx, r, base_url);
            break;
        case GUMBO_TAG_TIME:
            if (ca__html_attr(node, "pubdate") || (ca__html_attr(node, "itemprop") &&
                !strcasecmp(ca__html_attr(node, "itemprop"), "datePublished")))
                st = set_once(&ctx->meta->published, ca__html_attr(node, "datetime"));
            break;
        default:
            break;
        }
    }
    if (st != CA_OK)
        return st;
    /* <link rel=canonical> is the page's own word and wins over og:url. */
    if (canonical && *canonical) {
        char *u = ca_url_resolve(canonical, base_url);

        if (u) {
            free(ctx->meta->url);
            ctx->meta->url = u;
        }
    }
    st = set_once(&ctx->meta->title, title);
    if (st == CA_OK)
        st = settle_base(ctx, base_href, base_url);
    return st;
}
