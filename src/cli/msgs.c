/*
 * msgs.c - how the tool talks on stderr: git-style prefixes, colour only on
 * a terminal and only when NO_COLOR is unset (https://no-color.org).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_quiet;

static int use_colour(void)
{
    static int cached = -1;
    const char *nc = getenv("NO_COLOR");

    if (cached < 0)
        cached = isatty(2) && !(nc && *nc) && !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
    return cached;
}

static void vmsg(const char *prefix, const char *colour, const char *fmt, va_list ap)
{
    if (use_colour())
        fprintf(stderr, "\033[%sm%s:\033[0m ", colour, prefix);
    else
        fprintf(stderr, "%s: ", prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("error", "1;31", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("warning", "1;33", fmt, ap);
    va_end(ap);
}

void cli_note(const char *fmt, ...)
{
    va_list ap;

    if (cli_quiet)
        return;
    va_start(ap, fmt);
    vmsg("note", "1;36", fmt, ap);
    va_end(ap);
}

int cli_exit_code(ca_status st)
{
    switch (st) {
    case CA_OK:
        return EXIT_CLEAN;
    case CA_NOMEM:
    case CA_ENV:
        return EXIT_ENV;
    default:
        return EXIT_USAGE;
    }
}

int cli_parse_size(const char *opt, const char *s, size_t *ret)
{
    char *end;
    unsigned long long v;
    unsigned shift = 0;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (end != s) {
        if ((*end == 'K' || *end == 'k') && !end[1])
            shift = 10;
        else if ((*end == 'M' || *end == 'm') && !end[1])
            shift = 20;
        else if ((*end == 'G' || *end == 'g') && !end[1])
            shift = 30;
        else if (*end)
            end = (char *)s;
    }
    if (end == s || errno || v == 0 || s[0] == '-' || v > (SIZE_MAX >> shift)) {
        cli_error("%s: '%s' is not a size; give bytes, optionally with K, M or G (e.g. 50M)",
                  opt, s);
        return -1;
    }
    *ret = (size_t)(v << shift);
    return 0;
}

int cli_parse_count(const char *opt, const char *s, size_t *ret)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (end == s || *end || errno || v == 0 || s[0] == '-') {
        cli_error("%s: '%s' is not a positive number", opt, s);
        return -1;
    }
    *ret = (size_t)v;
    return 0;
}

void cli_print_doc_warnings(const ca_doc *doc)
{
    size_t i;

    for (i = 0; i < doc->nwarnings; i++)
        cli_warn("%s", doc->warnings[i]);
}
