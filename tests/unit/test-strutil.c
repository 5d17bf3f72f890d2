/*
 * test-strutil.c - whitespace folding, UTF-8 repair and truncation, and
 * the context sentence around a link (bounded, never cut inside a
 * character).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strutil.h"

static int valid_utf8(const char *s)
{
    return ca__utf8_valid_prefix(s, strlen(s)) == strlen(s);
}

static void test_sentence(void)
{
    const char *t = "First one. The link is here in this one. Last one.";
    const char *p = strstr(t, "link");
    char *s = ca__sentence_around(t, strlen(t), (size_t)(p - t), (size_t)(p - t) + 4, 400);

    CHECK_STR(s, "The link is here in this one.");
    free(s);
}

static void test_sentence_bounded_and_utf8(void)
{
    /* One endless "sentence" of two-byte characters: the context must stay
     * within max bytes and end on a character boundary. */
    size_t n = 20000, i;
    char *t = malloc(n * 2 + 1), *s;

    for (i = 0; i < n; i++)
        memcpy(t + 2 * i, "\xC3\xA9", 2);
    t[n * 2] = '\0';
    s = ca__sentence_around(t, n * 2, n + 1, n + 7, 401);
    CHECK(s != NULL);
    CHECK(strlen(s) <= 401);
    CHECK(strlen(s) > 300);
    CHECK(valid_utf8(s));
    free(s);
    free(t);
}

static void test_truncate(void)
{
    char s[] = "ab\xC3\xA9\xC3\xA9";

    ca__utf8_truncate(s, 3);
    CHECK_STR(s, "ab");
}

static void test_repair(void)
{
    char *out = NULL;
    size_t len = 0, bad = 0;

    CHECK_INT(ca__utf8_repair("a\xFF" "b\xC3", 4, &out, &len, &bad), 0);
    CHECK_STR(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    CHECK_INT(bad, 2);
    free(out);
    CHECK_INT(ca__utf8_valid_prefix("abc\0def", 7), 3);
    CHECK_INT(ca__utf8_valid_prefix("\xE2\x82\xAC ok", 6), 6);
    CHECK_INT(ca__utf8_valid_prefix("\xC0\x80", 2), 0); /* overlong NUL */
}

static void test_collapse(void)
{
    char *s = ca__collapse_ws("  a \n\t b\xC2\xA0" "c  ", 12);

    CHECK_STR(s, "a b c");
    free(s);
    /* text that is collapsed already (after its ends are trimmed) is
     * copied whole; anything else takes the byte-by-byte way */
    s = ca__collapse_ws(" one two, three four five. ", 27);
    CHECK_STR(s, "one two, three four five.");
    free(s);
    s = ca__collapse_ws("one two  three four five six", 28);
    CHECK_STR(s, "one two three four five six");
    free(s);
    s = ca__collapse_ws("one two three\nfour", 18);
    CHECK_STR(s, "one two three four");
    free(s);
    s = ca__collapse_ws("caf\xC3\xA9 \xC2\xAB" "quoted\xC2\xBB and\xC2\xA0more", 26);
    CHECK_STR(s, "caf\xC3\xA9 \xC2\xAB" "quoted\xC2\xBB and more");
    free(s);
}

int main(void)
{
    test_sentence();
    test_sentence_bounded_and_utf8();
    test_truncate();
    test_repair();
    test_collapse();
    return check_done("test-strutil");
}
