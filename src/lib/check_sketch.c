/*
 * check_sketch.c - shingle sketches: how alike two pages' texts are, for
 * the soft-404 probe (is the cited page the page a random address gets?)
 * and for drift (how much has the live page changed since its capture?).
 *
 * A text is cut into words (letters and digits, any script, lowercased),
 * every run of four words is a shingle, and each shingle is hashed to 64
 * bits. The sketch keeps the 256 smallest hashes (a bottom-k sketch), so
 * it is exact for texts of up to ~260 words and an unbiased estimate of the
 * Jaccard similarity of the shingle sets above that, within about 0.03.
 * Self-contained on purpose: provenance's near-duplicate detection has its
 * own MinHash (src/lib/prov*.c) tuned for corpora, not page pairs.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "citeaudit/extract.h"

#define SHINGLE 4

static int word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;

    while (n--)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

/* splitmix64's finaliser: spreads a combination of word hashes. */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Is word w[0..n) one of the words of ignore (normalised text)? */
static int ignored(const char *ig, size_t ign, const char *w, size_t n)
{
    size_t i = 0, j;

    while (i < ign) {
        while (i < ign && !word_byte((unsigned char)ig[i]))
            i++;
        j = i;
        while (j < ign && word_byte((unsigned char)ig[j]))
            j++;
        if (j - i == n && n && !memcmp(ig + i, w, n))
            return 1;
        i = j;
    }
    return 0;
}

int ca__sketch(const char *text, size_t len, const char *ignore, uint64_t **ret,
               uint16_t *ret_n)
{
    ca_buf norm, ig;
    uint64_t *words = NULL, *sh = NULL;
    size_t nw = 0, cap = 0, i, j, ns = 0, k;
    int rc = -1;

    *ret = NULL;
    *ret_n = 0;
    ca_buf_init(&norm, len * 2 + 64);
    ca_buf_init(&ig, 4096);
    ca__norm_append(&norm, text, len);
    if (ignore)
        ca__norm_append(&ig, ignore, strlen(ignore));
    for (i = 0; i < norm.len;) {
        while (i < norm.len && !word_byte((unsigned char)norm.data[i]))
            i++;
        j = i;
        while (j < norm.len && word_byte((unsigned char)norm.data[j]))
            j++;
        if (j > i && !ignored(ig.data, ig.len, norm.data + i, j - i)) {
            if (nw == cap) {
                uint64_t *p = realloc(words, (cap = cap ? cap * 2 : 256) * sizeof *p);

                if (!p)
                    goto out;
                words = p;
            }
            words[nw++] = fnv(norm.data + i, j - i);
        }
        i = j;
    }
    rc = 0;
    if (!nw)
        goto out;
    ns = nw < SHINGLE ? 1 : nw - SHINGLE + 1;
    sh = malloc(ns * sizeof *sh);
    if (!sh) {
        rc = -1;
        goto out;
    }
    for (i = 0; i < ns; i++) {
        uint64_t h = 0;

        for (j = i; j < i + SHINGLE && j < nw; j++)
            h = h * 0x100000001b3ull + words[j];
        sh[i] = mix(h);
    }
    qsort(sh, ns, sizeof *sh, cmp_u64);
    for (i = 0, k = 0; i < ns && k < CA__SKETCH_K; i++)
        if (!k || sh[i] != sh[k - 1])
            sh[k++] = sh[i];
    *ret = sh;
    *ret_n = (uint16_t)k;
    sh = NULL;
out:
    free(sh);
    free(words);
    ca_buf_release(&norm);
    ca_buf_release(&ig);
    return rc;
}

double ca__sketch_similarity(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, k = 0, both = 0;

    if (!na && !nb)
        return 1.0;
    if (!na || !nb)
        return 0.0;
    /* the bottom-k of the union, and how many of it are in both */
    while (k < CA__SKETCH_K && (i < na || j < nb)) {
        if (j >= nb || (i < na && a[i] < b[j])) {
            /* past the end of a full sketch, a's next hashes are unknown */
            i++;
        } else if (i >= na || b[j] < a[i]) {
            j++;
        } else {
            both++;
            i++;
            j++;
        }
        k++;
        if ((i >= na && na == CA__SKETCH_K) || (j >= nb && nb == CA__SKETCH_K))
            break;
    }
    return k ? (double)both / (double)k : 0.0;
}

int ca__main_sketch(const char *url, const char *body, size_t len, uint64_t **ret,
                    uint16_t *ret_n)
{
    ca_extract_opts o;
    ca_doc *doc = NULL;
    ca_buf text;
    int rc;

    *ret = NULL;
    *ret_n = 0;
    ca_extract_opts_init(&o);
    o.base_url = url;
    o.force_format = CA_FORMAT_HTML;
    o.max_links = 1; /* the text is what is wanted, not the links */
    if (ca_extract_mem(url, NULL, body, len, &o, &doc, NULL) != CA_OK)
        return -1;
    ca_buf_init(&text, (doc->text ? strlen(doc->text) : 0) + (doc->title ? strlen(doc->title) : 0) +
                           16);
    if (doc->title)
        ca_buf_puts(&text, doc->title);
    ca_buf_puts(&text, "\n");
    if (doc->text)
        ca_buf_puts(&text, doc->text);
    rc = ca__sketch(text.data, text.len, url, ret, ret_n);
    ca_buf_release(&text);
    ca_doc_destroy(doc);
    return rc;
}
