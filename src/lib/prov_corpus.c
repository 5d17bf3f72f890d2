/*
 * prov_corpus.c - the provenance corpus: documents added one at a time,
 * what is kept of each, and the analysis run over all of them.
 *
 * A corpus of 100,000 articles cannot keep 100,000 texts and their word
 * lists in memory, and need not: only the pairs the sketches propose are
 * ever aligned. So when a document is added, its text is cut into words
 * once, and the corpus keeps:
 *   - its metadata, and the boilerplate its phrases give away;
 *   - a MinHash sketch (16 minima) of each window of 64 word shingles of
 *     its content (windows, not the whole document, so that a passage
 *     copied into a much longer text still looks alike: containment, not
 *     only resemblance, is what reuse is);
 *   - the hashes of its body citations (URL and source), to tell whether
 *     a reuse is credited;
 *   - its quotes and attributions, found now while its citations are at
 *     hand;
 *   - its main text, appended to an unlinked temporary spill file and read
 *     back for alignment, outlet boilerplate and quote support.
 * About 1.5 KB a document of 5 KB stays in memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prov_int.h"
#include "strutil.h"

#define BOILER_EXCERPT 160

void ca_prov_opts_init(ca_prov_opts *o)
{
    memset(o, 0, sizeof *o);
    o->shingle_words = 5;
    o->chunk_shingles = 64;
    o->min_passage_words = 15;
    o->min_containment = 0.2;
    o->same_text = 0.9;
    o->boiler_min_docs = 4;
    o->quote_similar = 0.6;
    o->support_min = 0.7;
    o->max_doc_words = 200000;
    o->bucket_max = 64;
}

const char *ca_prov_boiler_kind_name(ca_prov_boiler_kind k)
{
    static const char *const names[] = {"appeal", "chrome", "outlet"};

    return (unsigned)k < 3 ? names[k] : "?";
}

const char *ca_prov_attr_kind_name(ca_prov_attr_kind k)
{
    static const char *const names[] = {"speech",    "statement", "platform",
                                        "according", "anonymous", "credit"};

    return (unsigned)k < 6 ? names[k] : "?";
}

const char *ca_prov_support_name(ca_prov_support_status s)
{
    static const char *const names[] = {"supported", "not_found", "source_unavailable"};

    return (unsigned)s < 3 ? names[s] : "?";
}

/* An unlinked spill file in dir. */
static FILE *spill_open(const char *dir, ca_error *err)
{
    char path[4096];
    FILE *f;
    int fd, w;

    if (!dir || !*dir)
        dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    w = snprintf(path, sizeof path, "%s/citeaudit-prov.XXXXXX", dir);
    if (w < 0 || (size_t)w >= sizeof path) {
        ca_error_set(err, CA_ENV, "the temporary folder name '%s' is too long; set TMPDIR",
                     dir);
        return NULL;
    }
    fd = mkstemp(path);
    if (fd < 0) {
        ca_error_set(err, CA_ENV, "cannot create a temporary file in '%s' for the texts: %s; "
                     "set TMPDIR to a writable folder", dir, strerror(errno));
        return NULL;
    }
    unlink(path);
    f = fdopen(fd, "w+b");
    if (!f) {
        close(fd);
        ca_error_set(err, CA_NOMEM, "out of memory");
    }
    return f;
}

ca_status ca_prov_create(const ca_prov_opts *opts, ca_prov **ret, ca_error *err)
{
    ca_prov *p = calloc(1, sizeof *p);
    size_t i;

    *ret = NULL;
    if (!p)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    if (opts)
        p->o = *opts;
    else
        ca_prov_opts_init(&p->o);
    if (p->o.shingle_words < 2)
        p->o.shingle_words = 2;
    if (p->o.chunk_shingles < 8)
        p->o.chunk_shingles = 8;
    if (!p->o.max_doc_words)
        p->o.max_doc_words = 200000;
    if (p->o.bucket_max < 2)
        p->o.bucket_max = 2;
    p->res.opts = &p->o;
    for (i = 0; i < PROV_MINHASH; i++) {
        p->mh_a[i] = ca__prov_mix64(0x51ED27A1u + i * 0x9E3779B97F4A7C15ULL) | 1;
        p->mh_b[i] = ca__prov_mix64(0xC0FFEEu + i * 0xD1B54A32D192ED03ULL);
    }
    if (ca__phrases_build(&p->phrases) != CA_OK) {
        ca_prov_destroy(p);
        return ca_error_set(err, CA_NOMEM, "out of memory");
    }
    p->spill = spill_open(p->o.tmpdir, err);
    if (!p->spill) {
        ca_prov_destroy(p);
        return err && err->code ? err->code : CA_ENV;
    }
    *ret = p;
    return CA_OK;
}

static void free_strv(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void free_docs(ca_prov *p)
{
    size_t i, k;

    for (i = 0; i < p->res.ndocs; i++) {
        ca_prov_document *d = &p->res.docs[i];

        free(d->origin);
        free(d->url);
        free(d->outlet);
        free(d->title);
        free(d->published);
        free(d->fetched_as);
        for (k = 0; k < d->nboiler; k++)
            free(d->boiler[k].text);
        free(d->boiler);
        free(p->pd[i].br);
        free(p->pd[i].cites);
    }
    free(p->res.docs);
    free(p->pd);
}

static void free_results(ca_prov *p)
{
    ca_prov_result *r = &p->res;
    size_t i, k;

    for (i = 0; i < r->npairs; i++) {
        for (k = 0; k < r->pairs[i].npassages; k++)
            free(r->pairs[i].passages[k].text);
        free(r->pairs[i].passages);
    }
    free(r->pairs);
    for (i = 0; i < r->nquotes; i++) {
        free(r->quotes[i].text);
        free(r->quotes[i].speaker);
        free(r->quotes[i].paragraph);
        free_strv(r->quotes[i].links, r->quotes[i].nlinks);
        free(p->pq ? p->pq[i].w : NULL);
    }
    free(r->quotes);
    free(p->pq);
    for (i = 0; i < r->nclusters; i++)
        free(r->clusters[i].quotes);
    free(r->clusters);
    for (i = 0; i < r->nattributions; i++) {
        ca_prov_attribution *a = &r->attributions[i];

        free(a->phrase);
        free(a->source);
        free(a->platform);
        free(a->sentence);
        free(a->link);
        free(a->link_elsewhere);
    }
    free(r->attributions);
    for (i = 0; i < r->nsupports; i++) {
        free(r->supports[i].url);
        free(r->supports[i].why);
        free(r->supports[i].excerpt);
    }
    free(r->supports);
    for (i = 0; i < r->nunavailable; i++) {
        free(r->unavailable[i].url);
        free(r->unavailable[i].why);
    }
    free(r->unavailable);
}

void ca_prov_destroy(ca_prov *p)
{
    size_t i;

    if (!p)
        return;
    free_results(p);
    free_docs(p);
    for (i = 0; i < p->nsigblk; i++)
        free(p->sigblk[i]);
    free(p->sigblk);
    free(p->chunk_doc);
    free_strv(p->outlets, p->noutlets);
    free(p->otab);
    ca__phrases_release(&p->phrases);
    if (p->spill)
        fclose(p->spill);
    free(p);
}

const ca_prov_result *ca_prov_result_of(const ca_prov *p)
{
    return &p->res;
}

/* ---- adding a document ---- */

static int dup_to(char **dst, const char *src)
{
    *dst = src ? ca__utf8_dup(src) : NULL;
    return src && !*dst ? -1 : 0;
}

/* The index of outlet among the corpus's outlets (added when new):
 * UINT32_MAX for none, UINT32_MAX - 1 when out of memory. */
static uint32_t intern_outlet(ca_prov *p, const char *outlet)
{
    size_t mask, s, i;
    char **slot;

    if (!outlet)
        return UINT32_MAX;
    if ((p->noutlets + 1) * 2 > p->otab_cap) { /* open addressing, rebuilt when half full */
        size_t ncap = p->otab_cap ? p->otab_cap * 2 : 64;
        uint32_t *t = malloc(ncap * sizeof *t);

        if (!t)
            return UINT32_MAX - 1;
        memset(t, 0xff, ncap * sizeof *t);
        for (i = 0; i < p->noutlets; i++) {
            s = ca__prov_str_hash(p->outlets[i]) & (ncap - 1);
            while (t[s] != UINT32_MAX)
                s = (s + 1) & (ncap - 1);
            t[s] = (uint32_t)i;
        }
        free(p->otab);
        p->otab = t;
        p->otab_cap = ncap;
    }
    mask = p->otab_cap - 1;
    for (s = ca__prov_str_hash(outlet) & mask; p->otab[s] != UINT32_MAX; s = (s + 1) & mask)
        if (!strcmp(p->outlets[p->otab[s]], outlet))
            return p->otab[s];
    slot = ca__prov_push((void **)&p->outlets, &p->noutlets, &p->outlets_cap, sizeof *slot);
    if (!slot)
        return UINT32_MAX - 1;
    *slot = strdup(outlet);
    if (!*slot) {
        p->noutlets--;
        return UINT32_MAX - 1;
    }
    p->otab[s] = (uint32_t)(p->noutlets - 1);
    return p->otab[s];
}

/* Content shingles of pt: those with no boilerplate word. */
static size_t content_shingles(const ca__ptext *pt, unsigned k)
{
    size_t i, j, n = 0;

    for (i = 0; i + k <= pt->ntok; i++) {
        for (j = 0; j < k && !(pt->tok[i + j].flags & PT_BOILER); j++)
            ;
        n += j == k;
    }
    return n;
}

/* The minima of the content shingles of pt into the nwin windows from
 * window first (the last window takes the rest). */
static void sketch_into(const ca_prov *p, const ca__ptext *pt, size_t first, size_t nwin)
{
    unsigned k = p->o.shingle_words, W = p->o.chunk_shingles;
    size_t i, j, c = 0;

    for (i = 0; i < nwin; i++)
        memset(ca__prov_sig(p, first + i), 0xff, PROV_MINHASH * sizeof(uint32_t));
    for (i = 0; i + k <= pt->ntok; i++) {
        uint64_t sh;
        uint32_t *w;

        for (j = 0; j < k && !(pt->tok[i + j].flags & PT_BOILER); j++)
            ;
        if (j < k)
            continue;
        sh = ca__prov_shingle(&pt->tok[i], k);
        w = ca__prov_sig(p, first + (c / W < nwin ? c / W : nwin - 1));
        c++;
        for (j = 0; j < PROV_MINHASH; j++) {
            uint32_t v = (uint32_t)((p->mh_a[j] * sh + p->mh_b[j]) >> 32);

            if (v < w[j])
                w[j] = v;
        }
    }
}

/* Room for n windows: blocks of sketches, and the windows' documents. */
static ca_status room(ca_prov *p, size_t n)
{
    while (p->nsigblk * PROV_SIG_BLOCK < n) {
        uint32_t **b = realloc(p->sigblk, (p->nsigblk + 1) * sizeof *b);

        if (!b)
            return CA_NOMEM;
        p->sigblk = b;
        b[p->nsigblk] = malloc((size_t)PROV_SIG_BLOCK * PROV_MINHASH * sizeof **b);
        if (!b[p->nsigblk])
            return CA_NOMEM;
        p->nsigblk++;
    }
    if (n > p->chunks_cap) {
        size_t ncap = p->chunks_cap ? p->chunks_cap * 2 : 1024;
        uint32_t *cd;

        while (ncap < n)
            ncap *= 2;
        cd = realloc(p->chunk_doc, ncap * sizeof *cd);
        if (!cd)
            return CA_NOMEM;
        p->chunk_doc = cd;
        p->chunks_cap = ncap;
    }
    return CA_OK;
}

/* The MinHash sketches of the windows of the content shingles of pt. */
static ca_status sketch(ca_prov *p, size_t d, const ca__ptext *pt)
{
    size_t content = content_shingles(pt, p->o.shingle_words), nwin, i;
    ca__pdoc *pd = &p->pd[d];

    pd->chunk0 = p->nchunks;
    if (!content)
        return CA_OK;
    nwin = content / p->o.chunk_shingles ? content / p->o.chunk_shingles : 1;
    if (room(p, p->nchunks + nwin) != CA_OK)
        return CA_NOMEM;
    for (i = 0; i < nwin; i++)
        p->chunk_doc[p->nchunks + i] = (uint32_t)d;
    sketch_into(p, pt, p->nchunks, nwin);
    p->nchunks += nwin;
    pd->nchunks = nwin;
    return CA_OK;
}

void ca__prov_resketch(ca_prov *p, size_t d, const ca__ptext *pt)
{
    ca__pdoc *pd = &p->pd[d];
    size_t content = content_shingles(pt, p->o.shingle_words), nwin = 0, i;

    if (content)
        nwin = content / p->o.chunk_shingles ? content / p->o.chunk_shingles : 1;
    if (nwin > pd->nchunks)
        nwin = pd->nchunks; /* less content cannot need more windows; never grow */
    if (nwin)
        sketch_into(p, pt, pd->chunk0, nwin);
    for (i = nwin; i < pd->nchunks; i++)
        p->chunk_doc[pd->chunk0 + i] = UINT32_MAX; /* a window no more */
    pd->nchunks = nwin;
}

/* The hashes of the body citations, for telling credited reuse. */
static ca_status keep_citations(ca__pdoc *pd, const ca_doc *doc)
{
    size_t i, n = 0;

    pd->cites = calloc(doc->ncites ? doc->ncites : 1, sizeof *pd->cites);
    if (!pd->cites)
        return CA_NOMEM;
    for (i = 0; i < doc->ncites; i++) {
        const ca_citation *c = &doc->cites[i];

        if (c->region != CA_REGION_BODY || c->kind == CA_KIND_UNSUPPORTED || c->invalid)
            continue;
        pd->cites[n].url = ca__prov_str_hash(c->url);
        pd->cites[n].source = ca__prov_str_hash(c->source);
        n++;
    }
    pd->ncites = n;
    return CA_OK;
}

/* The public records of the boilerplate the phrases found. */
static ca_status boiler_records(ca_prov_document *pdoc, const ca__pdoc *pd,
                                const ca__ptext *pt)
{
    size_t i;

    if (!pd->nbr)
        return CA_OK;
    pdoc->boiler = calloc(pd->nbr, sizeof *pdoc->boiler);
    if (!pdoc->boiler)
        return CA_NOMEM;
    for (i = 0; i < pd->nbr; i++) {
        const ca__ptok *a = &pt->tok[pd->br[i].tok0], *b = &pt->tok[pd->br[i].tok1 - 1];
        ca_prov_boiler *bo = &pdoc->boiler[pdoc->nboiler];

        bo->at.offset = a->start;
        bo->at.length = b->end - a->start;
        bo->at.paragraph = a->para + 1;
        bo->words = pd->br[i].tok1 - pd->br[i].tok0;
        bo->kind = pd->br[i].kind;
        bo->text = ca__prov_excerpt(pt->text, a->start, b->end, BOILER_EXCERPT);
        if (!bo->text)
            return CA_NOMEM;
        pdoc->nboiler++;
        pdoc->boiler_words += bo->words;
    }
    return CA_OK;
}

static ca_status spill_write(ca_prov *p, ca__pdoc *pd, const char *text, size_t len,
                             ca_error *err)
{
    pd->spill_off = p->spill_len;
    pd->spill_len = len;
    if (len && (fseeko(p->spill, (off_t)p->spill_len, SEEK_SET) != 0 ||
                fwrite(text, 1, len, p->spill) != len))
        return ca_error_set(err, CA_ENV, "cannot write the texts to a temporary file: %s; "
                            "set TMPDIR to a folder with room", strerror(errno ? errno : EIO));
    p->spill_len += len;
    return CA_OK;
}

ca_status ca__prov_text_of(ca_prov *p, size_t d, char **ret, size_t *ret_len, ca_error *err)
{
    const ca__pdoc *pd = &p->pd[d];
    char *s = malloc(pd->spill_len + 1);

    *ret = NULL;
    if (!s)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    if (pd->spill_len && (fflush(p->spill) != 0 ||
                          pread(fileno(p->spill), s, pd->spill_len, (off_t)pd->spill_off) !=
                              (ssize_t)pd->spill_len)) {
        free(s);
        return ca_error_set(err, CA_IO, "cannot read the texts back from the temporary "
                            "file: %s", strerror(errno ? errno : EIO));
    }
    s[pd->spill_len] = '\0';
    *ret = s;
    *ret_len = pd->spill_len;
    return CA_OK;
}

static ca_status add_record(ca_prov *p, const ca_doc *doc, const char *origin, unsigned depth,
                            const char *fetched_as)
{
    ca_prov_document *d;
    ca__pdoc *pd;

    if (p->res.ndocs == p->docs_cap) { /* the two arrays grow together */
        size_t ncap = p->docs_cap ? p->docs_cap * 2 : 16;
        ca__pdoc *q;

        d = realloc(p->res.docs, ncap * sizeof *d);
        if (!d)
            return CA_NOMEM;
        p->res.docs = d;
        q = realloc(p->pd, ncap * sizeof *q);
        if (!q)
            return CA_NOMEM;
        p->pd = q;
        p->docs_cap = ncap;
    }
    d = &p->res.docs[p->res.ndocs];
    pd = &p->pd[p->res.ndocs];
    memset(d, 0, sizeof *d);
    memset(pd, 0, sizeof *pd);
    p->res.ndocs++;
    d->depth = depth;
    pd->outlet = UINT32_MAX;
    if (dup_to(&d->origin, origin ? origin : doc->origin) < 0 || dup_to(&d->url, doc->url) < 0 ||
        dup_to(&d->outlet, doc->outlet) < 0 || dup_to(&d->title, doc->title) < 0 ||
        dup_to(&d->published, doc->published) < 0 || dup_to(&d->fetched_as, fetched_as) < 0)
        return CA_NOMEM;
    pd->url_hash = ca__prov_str_hash(doc->url);
    pd->fetched_hash = ca__prov_str_hash(fetched_as);
    pd->outlet_hash = ca__prov_str_hash(doc->outlet);
    pd->outlet = intern_outlet(p, doc->outlet);
    return pd->outlet == UINT32_MAX - 1 ? CA_NOMEM : CA_OK;
}

ca_status ca_prov_add(ca_prov *p, const ca_doc *doc, const char *origin, unsigned depth,
                      const char *fetched_as, size_t *ret_index, ca_error *err)
{
    const char *text = doc->text ? doc->text : "";
    size_t d = p->res.ndocs, attr0;
    ca__ptext pt;
    ca_status st;

    memset(&pt, 0, sizeof pt);
    if (p->analyzed)
        return ca_error_set(err, CA_INVALID, "documents added after the analysis");
    st = add_record(p, doc, origin, depth, fetched_as);
    if (st != CA_OK)
        goto fail;
    st = ca__ptext_build(&pt, text, strlen(text), p->o.max_doc_words);
    if (st == CA_OK)
        st = ca__prov_phrase_boiler(&p->phrases, &pt, &p->pd[d].br, &p->pd[d].nbr);
    if (st == CA_OK)
        st = boiler_records(&p->res.docs[d], &p->pd[d], &pt);
    if (st == CA_OK)
        st = sketch(p, d, &pt);
    if (st == CA_OK)
        st = keep_citations(&p->pd[d], doc);
    attr0 = p->res.nattributions;
    if (st == CA_OK)
        st = ca__prov_mark_quotes(&pt);
    if (st == CA_OK)
        st = ca__prov_find_attributions(p, d, doc, &pt);
    if (st == CA_OK)
        st = ca__prov_find_quotes(p, d, doc, &pt, attr0);
    if (st != CA_OK)
        goto fail;
    p->res.docs[d].words = pt.ntok;
    st = spill_write(p, &p->pd[d], pt.text, pt.len, err);
    ca__ptext_release(&pt);
    if (st == CA_OK && ret_index)
        *ret_index = d;
    return st;
fail:
    ca__ptext_release(&pt);
    return ca_error_set(err, st, "out of memory reading '%s' for provenance",
                        origin ? origin : doc->origin);
}

ca_status ca_prov_add_unavailable(ca_prov *p, const char *url, unsigned depth,
                                  const char *why, ca_error *err)
{
    ca_prov_unavailable *u = ca__prov_push((void **)&p->res.unavailable, &p->res.nunavailable,
                                           &p->unav_cap, sizeof *u);

    if (!u)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    u->depth = depth;
    if (dup_to(&u->url, url) < 0 || dup_to(&u->why, why) < 0)
        return ca_error_set(err, CA_NOMEM, "out of memory");
    return CA_OK;
}

ca_status ca_prov_analyze(ca_prov *p, ca_error *err)
{
    uint64_t *cand = NULL;
    size_t ncand = 0;
    ca_status st;

    if (p->analyzed)
        return CA_OK;
    p->analyzed = 1;
    st = ca__prov_outlet_boiler(p, err);
    if (st == CA_OK)
        st = ca__prov_candidates(p, &cand, &ncand, err);
    if (st == CA_OK)
        st = ca__prov_reuse(p, cand, ncand, err);
    free(cand);
    if (st == CA_OK)
        st = ca__prov_cluster_quotes(p, err);
    if (st == CA_OK)
        st = ca__prov_support(p, err);
    return st;
}

/* ---- dates ---- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static int digits(const char *s, int n, int *ret)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *ret = v;
    return 0;
}

/* Parse a date; *ret_day days since the epoch, *ret_sec seconds since it
 * (UTC) or -1 without a time. -1 when unreadable. */
static int parse_date(const char *s, long *ret_day, long long *ret_sec)
{
    int y, mo, d, h, mi, sec = 0, oh, om;
    long long off = 0;
    const char *t;

    if (!s || digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &mo) < 0 ||
        s[7] != '-' || digits(s + 8, 2, &d) < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    *ret_day = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ret_sec = -1;
    t = s + 10;
    if ((*t != 'T' && *t != ' ') || digits(t + 1, 2, &h) < 0 || t[3] != ':' ||
        digits(t + 4, 2, &mi) < 0)
        return 0;
    t += 6;
    if (*t == ':' && digits(t + 1, 2, &sec) == 0)
        t += 3;
    while (*t == '.' || (*t >= '0' && *t <= '9'))
        t++;
    if ((*t == '+' || *t == '-') && digits(t + 1, 2, &oh) == 0) {
        const char *m = t + 3 + (t[3] == ':');

        off = (long long)oh * 3600 + (digits(m, 2, &om) == 0 ? om * 60 : 0);
        if (*t == '-')
            off = -off;
    }
    *ret_sec = (long long)*ret_day * 86400 + h * 3600 + mi * 60 + sec - off;
    *ret_day = (long)((*ret_sec) / 86400);
    return 0;
}

int ca_prov_date_cmp(const char *a, const char *b)
{
    long da, db;
    long long sa, sb;

    if (parse_date(a, &da, &sa) < 0 || parse_date(b, &db, &sb) < 0)
        return 0;
    if (sa >= 0 && sb >= 0)
        return sa < sb ? -1 : sa > sb;
    return da < db ? -1 : da > db;
}
