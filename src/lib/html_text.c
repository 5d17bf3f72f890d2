/*
 * html_text.c - the main text of a web page (doc->text): the text of the
 * article's records without the chrome inside them, and the place in it
 * of each citation, so that later stages (provenance) know which
 * paragraph and sentence a link stands in.
 */
#include <stdlib.h>

#include "html_int.h"

/* A run of the page's text copied into the main text: [raw, raw + len)
 * of ctx->text went to out in the main text. */
struct piece {
    unsigned raw, len;
    size_t out;
};

struct pieces {
    struct piece *v;
    size_t n, cap;
    int failed;
};

static void copy_piece(ca_buf *out, struct pieces *ps, const char *text, unsigned raw,
                       unsigned len)
{
    if (ps->n == ps->cap && !ps->failed) {
        size_t ncap = ps->cap ? ps->cap * 2 : 32;
        struct piece *p = realloc(ps->v, ncap * sizeof *p);

        if (p) {
            ps->v = p;
            ps->cap = ncap;
        } else {
            ps->failed = 1;
        }
    }
    if (ps->n < ps->cap)
        ps->v[ps->n++] = (struct piece){raw, len, out->len};
    ca_buf_append(out, text + raw, len);
}

/* Each citation's place in the main text (CA_NO_POS for chrome ones): the
 * place its record's text was copied to. Citations are doc->cites[0..n),
 * one per ctx->links entry in order. */
static void place_citations(html_ctx *ctx, const struct pieces *ps)
{
    size_t i, k = 0;

    for (i = 0; i < ctx->doc->ncites && i < ctx->nlinks; i++) {
        unsigned raw = ctx->n[ctx->links[i].rec].text_start;

        if (ctx->doc->cites[i].region != CA_REGION_BODY)
            continue;
        if (k < ps->n && raw < ps->v[k].raw)
            k = 0; /* links come in document order, but never trust it */
        while (k < ps->n && raw > ps->v[k].raw + ps->v[k].len)
            k++;
        if (k < ps->n && raw >= ps->v[k].raw)
            ctx->doc->cites[i].text_pos = ps->v[k].out + (raw - ps->v[k].raw);
    }
}

ca_status ca__html_main_text(html_ctx *ctx)
{
    const char *text = ctx->text.data;
    struct pieces ps = {NULL, 0, 0, 0};
    ca_buf out;
    size_t i;
    unsigned cursor = 0;
    int in_body = -1;

    ca_buf_init(&out, ctx->text.len + 1);
    if (!text)
        text = ""; /* no text at all: offsets are 0, and NULL + 0 is undefined */
    for (i = 0; i < ctx->count; i++) {
        const hnode *r = &ctx->n[i];

        if (in_body >= 0 && (int)i >= ctx->n[in_body].end) {
            copy_piece(&out, &ps, text, cursor, ctx->n[in_body].text_end - cursor);
            in_body = -1;
        }
        if (in_body < 0 && (r->flags & HN_BODY) && !(r->flags & (HN_CHROME | HN_HIDDEN))) {
            in_body = (int)i;
            cursor = r->text_start;
        } else if (in_body >= 0 && (r->flags & (HN_CHROME | HN_HIDDEN))) {
            copy_piece(&out, &ps, text, cursor, r->text_start - cursor);
            cursor = r->text_end;
            i = (size_t)r->end - 1;
        }
    }
    if (in_body >= 0)
        copy_piece(&out, &ps, text, cursor, ctx->n[in_body].text_end - cursor);
    if (!ps.failed)
        place_citations(ctx, &ps);
    free(ps.v);
    free(ctx->doc->text);
    ctx->doc->text = ca_buf_steal(&out);
    return ctx->doc->text ? CA_OK : CA_NOMEM;
}
