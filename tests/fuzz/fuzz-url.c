/*
 * fuzz-url.c - fuzz target for URL resolution, normalisation and source
 * keys (url.c, source.c). The input is "HREF\nBASE": the bytes before the
 * first newline are the reference as written in a document, the rest is the
 * base it resolves against (no newline: no base). Embedded NUL bytes end a
 * string, as they would in the extractors.
 *
 * Besides memory errors it checks what url.h and source.h promise: the call
 * fails only when memory runs out, an http(s) result has a lowercase scheme
 * and a host and no fragment, normalising a normalised URL changes nothing
 * (the identity is what de-duplicates citations), and every http(s) URL has
 * a source key.
 */
#include <stdlib.h>
#include <string.h>

#include "citeaudit/source.h"
#include "citeaudit/url.h"
#include "fuzz.h"

/* A NUL-terminated copy of data[0..n), stopping at an embedded NUL. */
static char *copy_str(const uint8_t *data, size_t n)
{
    const uint8_t *nul = memchr(data, '\0', n);
    char *s;

    if (nul)
        n = (size_t)(nul - data);
    s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

static void check_http(const ca_url *u)
{
    ca_url again;
    char *key = NULL;

    if (!u->host || !*u->host || !u->scheme)
        fuzz_fail("http url", "no host or scheme");
    if (strcmp(u->scheme, "http") != 0 && strcmp(u->scheme, "https") != 0)
        fuzz_fail("http url scheme", "not http or https");
    if (strchr(u->url, '#'))
        fuzz_fail("http url", "identity keeps a fragment");
    if (ca_url_normalize(u->url, NULL, &again, NULL) == CA_OK) {
        if (again.kind != CA_URL_HTTP || strcmp(again.url, u->url) != 0)
            fuzz_fail("http url", "normalising the normalised URL changes it");
        ca_url_release(&again);
    }
    if (ca_source_key(u->url, &key, NULL) == CA_OK) {
        if (!key)
            fuzz_fail("source key", "none for an http(s) URL with a host");
        fuzz_read(key);
        free(key);
    }
    key = ca_source_host_key(u->host);
    fuzz_read(key);
    free(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t hlen = nl ? (size_t)(nl - data) : size;
    char *href = copy_str(data, hlen);
    char *base = nl ? copy_str(nl + 1, size - hlen - 1) : NULL;
    char *resolved, *key = NULL;
    ca_error err = CA_ERROR_INIT;
    ca_url u;
    ca_status st;

    st = ca_url_normalize(href, base, &u, &err);
    if (st != CA_OK && st != CA_NOMEM)
        fuzz_fail("ca_url_normalize", "failed on a non-NULL href");
    if (st == CA_OK) {
        if (!u.url)
            fuzz_fail("ca_url_normalize", "CA_OK without a url");
        if ((unsigned)u.kind > (unsigned)CA_URL_INVALID)
            fuzz_fail("ca_url_normalize", "kind is not a ca_url_kind value");
        fuzz_read(u.url);
        fuzz_read(u.fragment);
        fuzz_read(u.host);
        fuzz_read(u.scheme);
        if (u.kind == CA_URL_HTTP)
            check_http(&u);
        ca_url_release(&u);
    }
    /* The raw forms reach these too: the CLI passes document URLs as given. */
    resolved = ca_url_resolve(href, base);
    fuzz_read(resolved);
    free(resolved);
    if (ca_source_key(href, &key, NULL) == CA_OK) {
        fuzz_read(key);
        free(key);
    }
    free(href);
    free(base);
    return 0;
}
