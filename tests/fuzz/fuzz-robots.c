/*
 * fuzz-robots.c - fuzz target for the robots.txt parser (robots.c): the
 * input's first line is a path to ask about, the rest the file. The file
 * is parsed for our product token and for "*"-only crawlers, and as every
 * kind of answer; the path is asked of each. Nothing is checked but that
 * it does not crash, leak or read out of bounds, and that the answers are
 * 0 or 1 and the same when asked twice.
 */
#include <stdlib.h>
#include <string.h>

#include "citeaudit/robots.h"
#include "fuzz.h"

static void ask(const ca_robots *r, const char *path)
{
    int a = ca_robots_allowed(r, path), b = ca_robots_allowed(r, path);

    if ((a != 0 && a != 1) || a != b)
        fuzz_fail("ca_robots_allowed", "not 0 or 1, or not the same twice");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
    char *path = malloc(plen + 1);
    static const int codes[] = {0, 200, 301, 403, 404, 429, 500, 503};
    size_t i;

    if (!path)
        return 0;
    memcpy(path, data, plen);
    path[plen] = '\0';
    for (i = 0; i < sizeof codes / sizeof *codes; i++) {
        ca_robots *r = NULL;
        const char *body = nl ? nl + 1 : "";
        size_t blen = nl ? size - plen - 1 : 0;

        if (ca_robots_from_answer(codes[i], body, blen, i % 2 ? "citeaudit" : "*", &r, NULL) !=
            CA_OK)
            continue;
        ask(r, path);
        ask(r, "/");
        ask(r, "/robots.txt");
        ca_robots_destroy(r);
    }
    free(path);
    return 0;
}
