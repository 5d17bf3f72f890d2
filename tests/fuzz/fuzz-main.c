/*
 * fuzz-main.c - the main() of the fuzz targets when they are not built with
 * libFuzzer (systemd's src/fuzz/fuzz-main.c): it runs every file named on the
 * command line, or found in a named directory, through
 * LLVMFuzzerTestOneInput() once. This is how `meson test` replays the
 * committed corpus under fixtures/fuzz/ on every build, so an input that once
 * crashed a parser keeps guarding it.
 *
 * Each input is copied into a buffer of exactly its size, so a read past the
 * end is caught when the build has AddressSanitizer. Directories are read in
 * sorted order, not recursively, skipping hidden entries.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* The largest input replayed; the committed corpus keeps files far smaller. */
#define REPLAY_MAX_BYTES ((size_t)16 * 1024 * 1024)

static const char *progname = "fuzz";

/* Read path into a malloc'd buffer of exactly its size. 0 on success. */
static int read_file(const char *path, uint8_t **ret_data, size_t *ret_size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, cap = 0, n;
    int rc = -1;

    if (!f) {
        fprintf(stderr, "%s: cannot open '%s': %s\n", progname, path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (size == cap) {
            uint8_t *p;

            cap = cap ? cap * 2 : 4096;
            if (cap > REPLAY_MAX_BYTES + 1)
                cap = REPLAY_MAX_BYTES + 1;
            if (size == cap) {
                fprintf(stderr, "%s: '%s' is over %zu bytes\n", progname, path,
                        REPLAY_MAX_BYTES);
                goto done;
            }
            p = realloc(data, cap);
            if (!p)
                goto done;
            data = p;
        }
        n = fread(data + size, 1, cap - size, f);
        size += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: cannot read '%s': %s\n", progname, path, strerror(errno));
        goto done;
    }
    /* Shrink to the exact size (a zero-size input gets its own 1-byte
     * allocation that is never read) so overreads hit the redzone. */
    *ret_data = realloc(data, size ? size : 1);
    if (!*ret_data)
        goto done;
    data = NULL;
    *ret_size = size;
    rc = 0;
done:
    free(data);
    fclose(f);
    return rc;
}

static int run_file(const char *path, size_t *count)
{
    uint8_t *data = NULL;
    size_t size = 0;

    if (read_file(path, &data, &size) != 0)
        return -1;
    printf("%s: %s (%zu bytes)\n", progname, path, size);
    fflush(stdout);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    (*count)++;
    return 0;
}

static int skip_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int run_dir(const char *dir, size_t *count)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, skip_hidden, alphasort), i, rc = 0;

    if (n < 0) {
        fprintf(stderr, "%s: cannot read directory '%s': %s\n", progname, dir,
                strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(list[i]->d_name) + 2;
        char *path = malloc(len);
        struct stat sb;

        if (!path) {
            rc = -1;
        } else {
            snprintf(path, len, "%s/%s", dir, list[i]->d_name);
            if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && run_file(path, count) != 0)
                rc = -1;
        }
        free(path);
        free(list[i]);
    }
    free(list);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    struct stat sb;
    int i, rc = 0;

    if (argc > 0 && argv[0][0]) {
        const char *slash = strrchr(argv[0], '/');

        progname = slash ? slash + 1 : argv[0];
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", progname);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "%s: cannot open '%s': %s\n", progname, argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(sb.st_mode) ? run_dir(argv[i], &count) : run_file(argv[i], &count)) {
            rc = 1;
        }
    }
    printf("%s: ran %zu input%s\n", progname, count, count == 1 ? "" : "s");
    if (count == 0) {
        fprintf(stderr, "%s: no inputs found; the corpus is missing\n", progname);
        rc = 1;
    }
    return rc;
}
