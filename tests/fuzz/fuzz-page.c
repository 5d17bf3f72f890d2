/*
 * fuzz-page.c - fuzz target for what the checker parses out of servers'
 * answers (check_page.c, check_content.c, check_archive.c, check_sketch.c):
 * the light HTML scan with fragments to find and every visible text kept,
 * the soft-404 and parking template rules, a text fragment directive
 * matched against the page's text, a Memento Link header, and a shingle
 * sketch. The input is all of these at once: the page, and its first line
 * as the directive and the Link header.
 *
 * Besides memory errors it checks what check_int.h promises: the scan
 * fails only when memory runs out, a template verdict is one of three, a
 * directive matches or not or is malformed (-1, 0, 1), a sketch is sorted
 * without duplicates and at most CA__SKETCH_K long and alike itself.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "fuzz.h"

static char *line_of(const uint8_t *data, size_t n)
{
    const uint8_t *end = memchr(data, '\n', n), *nul = memchr(data, '\0', n);
    size_t len = end ? (size_t)(end - data) : n;
    char *s;

    if (nul && (size_t)(nul - data) < len)
        len = (size_t)(nul - data);
    s = malloc(len + 1);
    if (!s)
        abort();
    memcpy(s, data, len);
    s[len] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char f0[] = "intro", f1[] = "caf%C3%A9", f2[] = "";
    struct frag frags[3] = {{f0, 0}, {f1, 0}, {f2, 0}};
    const char *where, *phrase;
    struct page p;
    char *first = line_of(data, size), *url = NULL;
    uint64_t *sk = NULL;
    uint16_t n = 0, i;
    int64_t t;
    int rc;
    ca_reason r;

    if (ca__page_scan((const char *)data, size, frags, 3, 1, &p) < 0)
        abort();
    r = ca__template_rule(&p, &where, &phrase);
    if (r != CA_REASON_NONE && r != CA_REASON_PARKED && r != CA_REASON_ERROR_TEMPLATE)
        abort();
    if (r != CA_REASON_NONE && (!phrase || !where))
        abort();
    fuzz_touch("page text", ca__page_text(&p));
    rc = ca__text_directive_match(first, p.all.data ? p.all.data : "", p.all.len);
    if (rc < -1 || rc > 1)
        abort();
    ca__page_release(&p);
    if (ca__memento_pick(first, 1704326399, &url, &t) < 0)
        abort();
    free(url);
    if (ca__sketch((const char *)data, size, first, &sk, &n) < 0)
        abort();
    if (n > CA__SKETCH_K)
        abort();
    for (i = 1; i < n; i++)
        if (sk[i - 1] >= sk[i])
            abort();
    if (n && ca__sketch_similarity(sk, n, sk, n) != 1.0)
        abort();
    free(sk);
    free(first);
    return 0;
}
