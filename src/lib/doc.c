/*
 * doc.c - the document model: allocation, citations with their cap, and
 * warnings. The extractors fill documents through these functions so the
 * link cap and ownership rules live in one place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/doc.h"
#include "citeaudit/source.h"
#include "citeaudit/url.h"
#include "extract_int.h"
#include "strutil.h"

ca_doc *ca_doc_create(const char *origin)
{
    ca_doc *doc = calloc(1, sizeof *doc);

    if (!doc)
        return NULL;
    doc->origin = strdup(origin ? origin : "-");
    if (!doc->origin) {
        free(doc);
        return NULL;
    }
    return doc;
}

void ca__citation_release(ca_citation *c)
{
    free(c->url);
    free(c->fragment);
    free(c->href);
    free(c->source);
    free(c->text);
    free(c->context);
    free(c->rel);
}

void ca_doc_destroy(ca_doc *doc)
{
    size_t i;

    if (!doc)
        return;
    for (i = 0; i < doc->ncites; i++)
        ca__citation_release(&doc->cites[i]);
    for (i = 0; i < doc->nwarnings; i++)
        free(doc->warnings[i]);
    free(doc->cites);
    free(doc->warnings);
    free(doc->origin);
    free(doc->url);
    free(doc->outlet);
    free(doc->title);
    free(doc->published);
    free(doc->text);
    free(doc);
}

ca_status ca_doc_add_citation(ca_doc *doc, ca_citation **ret)
{
    if (doc->max_links && doc->ncites >= doc->max_links) {
        doc->links_dropped++;
        return CA_LIMIT;
    }
    if (doc->ncites == doc->cites_cap) {
        size_t ncap = doc->cites_cap ? doc->cites_cap * 2 : 16;
        ca_citation *p = realloc(doc->cites, ncap * sizeof *p);

        if (!p)
            return CA_NOMEM;
        doc->cites = p;
        doc->cites_cap = ncap;
    }
    *ret = &doc->cites[doc->ncites++];
    memset(*ret, 0, sizeof **ret);
    (*ret)->text_pos = CA_NO_POS;
    return CA_OK;
}

ca_status ca_doc_set_str(char **field, const char *value)
{
    char *copy = NULL;

    if (value) {
        copy = strdup(value);
        if (!copy)
            return CA_NOMEM;
    }
    free(*field);
    *field = copy;
    return CA_OK;
}

ca_status ca__citation_set_url(ca_citation *c, const char *href, ca_url *u, ca_error *err)
{
    ca_status st;

    free(c->href);
    free(c->url);
    free(c->fragment);
    free(c->source);
    c->href = ca__utf8_dup(href);
    c->url = u->url;
    c->fragment = u->fragment;
    c->source = NULL;
    u->url = u->fragment = NULL;
    c->invalid = u->kind == CA_URL_INVALID;
    if (u->kind == CA_URL_UNSUPPORTED)
        c->kind = CA_KIND_UNSUPPORTED;
    st = c->href ? CA_OK : CA_NOMEM;
    if (st == CA_OK && u->kind == CA_URL_HTTP)
        st = ca__source_key_parts(u->host, u->path, &c->source);
    if (st != CA_OK)
        return ca_error_set(err, st, "out of memory reading the link '%.200s'", href);
    return CA_OK;
}

ca_status ca_citation_set_href(ca_citation *c, const char *href, const char *base,
                               ca_error *err)
{
    ca_url u;
    ca_status st = ca_url_normalize(href, base, &u, err);

    if (st != CA_OK)
        return st;
    st = ca__citation_set_url(c, href, &u, err);
    ca_url_release(&u);
    return st;
}

void ca_doc_warn(ca_doc *doc, const char *fmt, ...)
{
    char buf[1024], **p;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    p = realloc(doc->warnings, (doc->nwarnings + 1) * sizeof *p);
    if (!p)
        return;
    doc->warnings = p;
    p[doc->nwarnings] = strdup(buf);
    if (p[doc->nwarnings])
        doc->nwarnings++;
}

size_t ca_doc_body_count(const ca_doc *doc)
{
    size_t i, n = 0;

    for (i = 0; i < doc->ncites; i++)
        n += doc->cites[i].region == CA_REGION_BODY;
    return n;
}

const char *ca_region_name(ca_region r)
{
    return r == CA_REGION_CHROME ? "chrome" : "body";
}

const char *ca_kind_name(ca_kind k)
{
    switch (k) {
    case CA_KIND_LINK:
        return "link";
    case CA_KIND_IMAGE:
        return "image";
    case CA_KIND_EMBED:
        return "embed";
    case CA_KIND_UNSUPPORTED:
        return "unsupported";
    }
    return "link";
}

const char *ca_format_name(ca_format f)
{
    switch (f) {
    case CA_FORMAT_HTML:
        return "html";
    case CA_FORMAT_MARKDOWN:
        return "markdown";
    case CA_FORMAT_TEXT:
        return "text";
    case CA_FORMAT_UNKNOWN:
        break;
    }
    return "unknown";
}
