/*
 * input.c - expanding command-line inputs into documents to read.
 *
 * Directory walks are sorted so every run lists documents in the same order
 * (golden files compare byte for byte), and they take only files that look
 * like documents, so a manifest, an image or a build artefact beside the
 * articles is not read as one.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "citeaudit/buf.h"
#include "citeaudit/doc.h"
#include "citeaudit/input.h"
#include "extract_int.h"
#include "strutil.h"

#define INPUT_MAX_DEPTH 64
#define LIST_MAX_BYTES ((size_t)256 * 1024 * 1024)

void ca_inputs_init(ca_inputs *in, const char *skip)
{
    memset(in, 0, sizeof *in);
    in->skip = skip;
}

void ca_inputs_release(ca_inputs *in)
{
    size_t i;

    for (i = 0; i < in->n; i++)
        free(in->items[i]);
    free(in->items);
    in->items = NULL;
    in->n = in->cap = 0;
}

int ca_input_is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

static ca_status push(ca_inputs *in, const char *s, ca_error *err)
{
    char *copy;

    if (in->n == in->cap) {
        size_t ncap = in->cap ? in->cap * 2 : 16;
        char **p = realloc(in->items, ncap * sizeof *p);

        if (!p)
            return ca_error_set(err, CA_NOMEM, "out of memory listing inputs");
        in->items = p;
        in->cap = ncap;
    }
    copy = strdup(s);
    if (!copy)
        return ca_error_set(err, CA_NOMEM, "out of memory listing inputs");
    in->items[in->n++] = copy;
    return CA_OK;
}

/* A file in a directory walk is taken when it looks like a document. */
static int walk_takes(const char *name)
{
    const char *dot = strrchr(name, '.');

    return !dot || dot == name || ca__format_from_name(name) != CA_FORMAT_UNKNOWN;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static ca_status walk(ca_inputs *in, const char *dir, int depth, ca_error *err)
{
    struct dirent **ents = NULL;
    int n, i;
    ca_status st = CA_OK;
    ca_buf path;

    if (depth > INPUT_MAX_DEPTH)
        return ca_error_set(err, CA_LIMIT, "'%s': directories nested deeper than %d levels",
                            dir, INPUT_MAX_DEPTH);
    n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0)
        return ca_error_set(err, CA_IO, "cannot read directory '%s': %s", dir, strerror(errno));
    ca_buf_init(&path, 65536);
    for (i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        struct stat sb, lsb;

        if (st != CA_OK || name[0] == '.')
            continue;
        ca_buf_reset(&path);
        if (ca_buf_printf(&path, "%s%s%s", dir, ca__ends_with_ci(dir, "/") ? "" : "/", name) !=
            CA_OK) {
            st = ca_error_set(err, CA_LIMIT, "path too long under '%s'", dir);
            continue;
        }
        if (stat(path.data, &sb) != 0 || lstat(path.data, &lsb) != 0)
            continue; /* dangling link or raced away: nothing to read */
        if (S_ISDIR(sb.st_mode)) {
            if (!S_ISLNK(lsb.st_mode))
                st = walk(in, path.data, depth + 1, err);
        } else if (S_ISREG(sb.st_mode) && walk_takes(name) && !same_file(path.data, in->skip)) {
            st = push(in, path.data, err);
        }
    }
    for (i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    ca_buf_release(&path);
    return st;
}

/* Copy line without surrounding whitespace (and its newline). */
static char *trim_line(const char *line, size_t n)
{
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                 line[n - 1] == '\t'))
        n--;
    while (n && (*line == ' ' || *line == '\t')) {
        line++;
        n--;
    }
    return ca__strndup(line, n);
}

/* Read a list file: one input per line, blank lines and '#' comments skipped. */
static ca_status add_list(ca_inputs *in, const char *list, int depth, ca_error *err);

static ca_status add(ca_inputs *in, const char *arg, int depth, ca_error *err)
{
    struct stat sb;

    if (strcmp(arg, "-") == 0 || ca_input_is_url(arg))
        return push(in, arg, err);
    if (arg[0] == '@' && arg[1])
        return add_list(in, arg + 1, depth + 1, err);
    if (stat(arg, &sb) != 0)
        return ca_error_set(err, errno == ENOENT ? CA_NOTFOUND : CA_IO, "cannot open '%s': %s",
                            arg, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return walk(in, arg, 0, err);
    return push(in, arg, err);
}

static ca_status add_list(ca_inputs *in, const char *list, int depth, ca_error *err)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    ca_status st = CA_OK;

    if (depth > 8)
        return ca_error_set(err, CA_LIMIT, "'@%s': input lists nested more than 8 deep", list);
    f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
    if (!f)
        return ca_error_set(err, errno == ENOENT ? CA_NOTFOUND : CA_IO,
                            "cannot open input list '%s': %s", list, strerror(errno));
    while (st == CA_OK && (n = getline(&line, &cap, f)) >= 0) {
        /* Only the ends are trimmed: file names may hold any spaces. */
        char *s = trim_line(line, (size_t)n);

        if (!s) {
            st = ca_error_set(err, CA_NOMEM, "out of memory reading '%s'", list);
            break;
        }
        if (*s && *s != '#')
            st = add(in, s, depth, err);
        free(s);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return st;
}

ca_status ca_inputs_add(ca_inputs *in, const char *arg, ca_error *err)
{
    return add(in, arg, 0, err);
}
