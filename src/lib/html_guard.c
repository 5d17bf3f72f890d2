/*
 * html_guard.c - keeps hostile nesting away from gumbo.
 *
 * gumbo's tree construction walks the stack of open elements for many
 * tags, so its time and memory grow with the square of the nesting depth:
 * 20,000 unclosed <div>s take 14 s and 3 GB. Real pages nest a few dozen
 * levels. Before parsing, this pass estimates the depth with a light scan
 * (start tags minus end tags, ignoring void and auto-closing elements,
 * comments and raw-text elements) and blanks out, byte for byte, the tags
 * of container elements opened beyond the limit. Offsets stay valid, link
 * elements are kept, and the page still parses; the caller warns the user.
 * Pages that need none of it (all but hostile ones) are only read, not
 * copied.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "html_int.h"

struct name {
    const char *s;
    size_t n;
};
#define NAME(lit) {lit, sizeof lit - 1}

/* Elements that never stay open: void, or closed by their next sibling. */
static const struct name not_nesting[] = {
    NAME("area"), NAME("base"), NAME("br"), NAME("col"), NAME("embed"), NAME("hr"),
    NAME("img"), NAME("input"), NAME("link"), NAME("meta"), NAME("param"), NAME("source"),
    NAME("track"), NAME("wbr"), NAME("p"), NAME("li"), NAME("dt"), NAME("dd"), NAME("tr"),
    NAME("td"), NAME("th"), NAME("option"), NAME("optgroup"), NAME("thead"), NAME("tbody"),
    NAME("tfoot"), NAME("colgroup"), NAME("caption"), NAME("html"), NAME("head"),
    NAME("body"), NAME("rb"), NAME("rt"), NAME("rp"), NAME("image"), NAME("keygen"),
    NAME("frame"),
};

/* Elements that carry citations: never blanked. */
static const struct name link_bearing[] = {
    NAME("a"), NAME("img"), NAME("iframe"), NAME("area"), NAME("source"), NAME("video"),
    NAME("audio"), NAME("embed"), NAME("q"), NAME("blockquote"), NAME("object"),
    NAME("script"),
};

/* This runs for every tag of every page: lengths first, then letters. */
static int in_list(const char *name, size_t n, const struct name list[], size_t count)
{
    size_t i;

    for (i = 0; i < count; i++) {
        if (list[i].n == n && (name[0] | 0x20) == list[i].s[0] &&
            strncasecmp(list[i].s, name, n) == 0)
            return 1;
    }
    return 0;
}

/* Offset just past the end of the tag that starts at i ('<'), or len.
 * Quoted attribute values (most of a tag's bytes) are skipped whole. */
static size_t tag_end(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '"' || s[i] == '\'') {
            const char *close = memchr(s + i + 1, s[i], len - i - 1);

            if (!close)
                return len;
            i = (size_t)(close - s);
        } else if (s[i] == '>') {
            return i + 1;
        }
    }
    return len;
}

/* Skip the contents of a raw-text element up to its end tag. */
static size_t skip_raw(const char *s, size_t len, size_t i, const char *name, size_t n)
{
    while (i + 2 + n < len) {
        const char *lt = memchr(s + i, '<', len - i);

        if (!lt)
            return len;
        i = (size_t)(lt - s);
        if (i + 2 + n <= len && s[i + 1] == '/' && strncasecmp(s + i + 2, name, n) == 0)
            return i;
        i++;
    }
    return len;
}

/* Blank s[a..b) to spaces, keeping newlines so line numbers stay right. */
static void blank(char *s, size_t a, size_t b)
{
    for (; a < b; a++) {
        if (s[a] != '\n')
            s[a] = ' ';
    }
}

size_t ca__html_guard(const char *s, char *out, size_t len, unsigned max_depth)
{
    size_t i = 0, blanked = 0;
    long depth = 0;

    while (i < len) {
        const char *lt = memchr(s + i, '<', len - i);
        size_t start, name_at, n, end;
        int closing;

        if (!lt)
            break;
        start = (size_t)(lt - s);
        if (start + 4 <= len && !memcmp(s + start, "<!--", 4)) {
            const char *close = NULL;
            size_t k;

            for (k = start + 4; k + 3 <= len && !close; k++) {
                if (!memcmp(s + k, "-->", 3))
                    close = s + k;
            }
            i = close ? (size_t)(close - s) + 3 : len;
            continue;
        }
        closing = start + 1 < len && s[start + 1] == '/';
        name_at = start + 1 + (size_t)closing;
        if (name_at >= len || !isalpha((unsigned char)s[name_at])) {
            i = start + 1;
            continue;
        }
        for (n = 0; name_at + n < len && (isalnum((unsigned char)s[name_at + n]) ||
                                         s[name_at + n] == '-' || s[name_at + n] == ':');
             n++)
            ;
        end = tag_end(s, len, start);
        i = end;
        if (in_list(s + name_at, n, not_nesting, sizeof not_nesting / sizeof *not_nesting) ||
            (end >= 2 && s[end - 2] == '/'))
            continue;
        if (closing) {
            depth -= depth > 0;
            continue;
        }
        if (n == 6 && (!strncasecmp(s + name_at, "script", 6)))
            i = skip_raw(s, len, end, "script", 6);
        else if (n == 5 && !strncasecmp(s + name_at, "style", 5))
            i = skip_raw(s, len, end, "style", 5);
        else if (n == 8 && !strncasecmp(s + name_at, "textarea", 8))
            i = skip_raw(s, len, end, "textarea", 8);
        /* Past twice the limit even link elements go: they can nest too. */
        if (depth >= 2 * (long)max_depth ||
            (depth >= (long)max_depth &&
             !in_list(s + name_at, n, link_bearing, sizeof link_bearing / sizeof *link_bearing))) {
            if (out)
                blank(out, start, end);
            blanked++;
            continue;
        }
        depth++;
    }
    return blanked;
}
