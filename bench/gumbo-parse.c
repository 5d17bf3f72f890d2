/*
 * gumbo-parse.c - the baseline of bench/extract-speed: parse each named
 * file (or each regular file in a named directory, not recursive) with
 * gumbo and free the tree, nothing else. Whatever `citeaudit extract` spends
 * beyond this on the same bytes is the cost of extraction itself: walking the
 * tree, resolving and normalising URLs, building text and context, writing
 * JSON.
 *
 * Prints the number of files and bytes parsed, so the bench can check both
 * programs saw the same input. Timing is left to the caller, who measures
 * both programs the same way (wall clock around the whole process).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gumbo.h>

struct totals {
    size_t files;
    size_t bytes;
    char *buf; /* reused between files */
    size_t cap;
};

/* Read path into t->buf; returns its length, or (size_t)-1 on error. */
static size_t slurp(const char *path, struct totals *t)
{
    FILE *f = fopen(path, "rb");
    size_t len = 0, n;

    if (!f) {
        fprintf(stderr, "gumbo-parse: cannot open '%s': %s\n", path, strerror(errno));
        return (size_t)-1;
    }
    for (;;) {
        if (t->cap - len < 65536) {
            size_t ncap = t->cap ? t->cap * 2 : 1 << 20;
            char *p = realloc(t->buf, ncap);

            if (!p) {
                fclose(f);
                fprintf(stderr, "gumbo-parse: out of memory reading '%s'\n", path);
                return (size_t)-1;
            }
            t->buf = p;
            t->cap = ncap;
        }
        n = fread(t->buf + len, 1, t->cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    return len;
}

static int parse_file(const char *path, struct totals *t)
{
    size_t len = slurp(path, t);
    GumboOutput *out;

    if (len == (size_t)-1)
        return -1;
    out = gumbo_parse_with_options(&kGumboDefaultOptions, t->buf, len);
    if (!out) {
        fprintf(stderr, "gumbo-parse: gumbo failed on '%s'\n", path);
        return -1;
    }
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    t->files++;
    t->bytes += len;
    return 0;
}

static int parse_dir(const char *dir, struct totals *t)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort), i, rc = 0;

    if (n < 0) {
        fprintf(stderr, "gumbo-parse: cannot read '%s': %s\n", dir, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat sb;

        if (list[i]->d_name[0] != '.' &&
            snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name) < (int)sizeof path &&
            stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && parse_file(path, t) != 0)
            rc = -1;
        free(list[i]);
    }
    free(list);
    return rc;
}

int main(int argc, char **argv)
{
    struct totals t = {0};
    struct stat sb;
    int i, rc = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: gumbo-parse FILE|DIR...\n");
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "gumbo-parse: cannot open '%s': %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(sb.st_mode) ? parse_dir(argv[i], &t) : parse_file(argv[i], &t)) {
            rc = 1;
        }
    }
    free(t.buf);
    printf("%zu files, %zu bytes\n", t.files, t.bytes);
    return rc;
}
