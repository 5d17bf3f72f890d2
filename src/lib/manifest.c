/*
 * manifest.c - the --manifest TSV: per-file metadata that overrides what a
 * document says about itself. Columns are found by the header's names so a
 * manifest with extra or reordered columns still works.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeaudit/buf.h"
#include "citeaudit/manifest.h"
#include "extract_int.h"
#include "strutil.h"

#define MANIFEST_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define MANIFEST_MAX_COLS 64

enum { COL_FILE, COL_OUTLET, COL_URL, COL_PUBLISHED, NCOLS };
static const char *const col_names[NCOLS] = {"file", "outlet", "url", "published"};

/* Split line (modified in place) on tabs; returns the number of cells. */
static size_t split_tabs(char *line, char *cells[], size_t max)
{
    size_t n = 0;
    char *p = line;

    while (n < max) {
        char *tab = strchr(p, '\t');

        cells[n++] = p;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static char *cell_dup(char *cells[], size_t ncells, int idx)
{
    char *s, *t;

    if (idx < 0 || (size_t)idx >= ncells)
        return NULL;
    s = ca__collapse_ws(cells[idx], strlen(cells[idx]));
    if (s && !*s) {
        free(s);
        return NULL;
    }
    /* Strip a UTF-8 byte order mark some editors write. */
    if (s && strncmp(s, "\xEF\xBB\xBF", 3) == 0) {
        t = strdup(s + 3);
        free(s);
        s = t;
    }
    return s;
}

/* An entry's last path component, for finding it by a document's path. */
struct ca__manifest_name {
    const char *base;
    size_t entry;
};

static const char *last_component(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static int cmp_name(const void *a, const void *b)
{
    const struct ca__manifest_name *x = a, *y = b;
    int c = strcmp(x->base, y->base);

    return c ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* Sort the entries by last component (then manifest order) once loaded. */
static int index_names(ca_manifest *m)
{
    size_t i;

    if (!m->n)
        return 0;
    m->by_name = malloc(m->n * sizeof *m->by_name);
    if (!m->by_name)
        return -1;
    for (i = 0; i < m->n; i++) {
        m->by_name[i].base = last_component(m->entries[i].file);
        m->by_name[i].entry = i;
    }
    qsort(m->by_name, m->n, sizeof *m->by_name, cmp_name);
    return 0;
}

static ca_status add_entry(ca_manifest *m, char *cells[], size_t ncells, const int cols[])
{
    ca_manifest_entry *e, *p;

    p = realloc(m->entries, (m->n + 1) * sizeof *p);
    if (!p)
        return CA_NOMEM;
    m->entries = p;
    e = &m->entries[m->n];
    e->file = cell_dup(cells, ncells, cols[COL_FILE]);
    if (!e->file)
        return CA_OK; /* a row without a file name names nothing */
    e->outlet = cell_dup(cells, ncells, cols[COL_OUTLET]);
    e->url = cell_dup(cells, ncells, cols[COL_URL]);
    e->published = cell_dup(cells, ncells, cols[COL_PUBLISHED]);
    m->n++;
    return CA_OK;
}

/* Map header names to column indexes; CA_PARSE when "file" is missing. */
static ca_status read_header(char *line, int cols[], const char *path, ca_error *err)
{
    char *cells[MANIFEST_MAX_COLS];
    size_t n = split_tabs(line, cells, MANIFEST_MAX_COLS), i;
    int c;

    for (c = 0; c < NCOLS; c++)
        cols[c] = -1;
    for (i = 0; i < n; i++) {
        char *name = ca__collapse_ws(cells[i], strlen(cells[i]));
        const char *bare = name;

        if (!name)
            return ca_error_set(err, CA_NOMEM, "out of memory");
        if (strncmp(bare, "\xEF\xBB\xBF", 3) == 0)
            bare += 3;
        for (c = 0; c < NCOLS; c++) {
            if (strcasecmp(bare, col_names[c]) == 0)
                cols[c] = (int)i;
        }
        free(name);
    }
    if (cols[COL_FILE] < 0)
        return ca_error_set(err, CA_PARSE,
                            "manifest '%s': the first line must name the columns "
                            "(file, outlet, url, published, separated by tabs)",
                            path);
    return CA_OK;
}

ca_status ca_manifest_load(const char *path, ca_manifest **ret, ca_error *err)
{
    ca_manifest *m = NULL;
    ca_buf b;
    char *line, *next, *cells[MANIFEST_MAX_COLS];
    int cols[NCOLS];
    ca_status st;

    ca_buf_init(&b, MANIFEST_MAX_BYTES);
    st = ca__read_file(path, &b, "manifest", "", err);
    if (st != CA_OK)
        goto fail;
    st = CA_NOMEM;
    m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path)))
        goto fail;
    if (!b.data || !b.len) {
        st = ca_error_set(err, CA_PARSE, "manifest '%s' is empty: it needs a header line", path);
        goto fail;
    }
    for (line = b.data; line; line = next) {
        size_t n;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        if (line == b.data) {
            st = read_header(line, cols, path, err);
            if (st != CA_OK)
                goto fail;
            continue;
        }
        if (!*line || *line == '#')
            continue;
        n = split_tabs(line, cells, MANIFEST_MAX_COLS);
        if (add_entry(m, cells, n, cols) != CA_OK) {
            st = CA_NOMEM;
            goto fail;
        }
    }
    if (index_names(m) < 0)
        goto fail; /* st is CA_NOMEM */
    ca_buf_release(&b);
    *ret = m;
    return CA_OK;
fail:
    if (st == CA_NOMEM)
        ca_error_set(err, st, "out of memory reading manifest '%s'", path);
    ca_buf_release(&b);
    ca_manifest_destroy(m);
    return st;
}

void ca_manifest_destroy(ca_manifest *m)
{
    size_t i;

    if (!m)
        return;
    for (i = 0; i < m->n; i++) {
        free(m->entries[i].file);
        free(m->entries[i].outlet);
        free(m->entries[i].url);
        free(m->entries[i].published);
    }
    free(m->entries);
    free(m->by_name);
    free(m->path);
    free(m);
}

/* Nonzero when path ends with "/" + name or equals name. */
static int path_matches(const char *path, const char *name)
{
    size_t pl = strlen(path), nl = strlen(name);

    if (pl < nl || strcmp(path + pl - nl, name) != 0)
        return 0;
    return pl == nl || path[pl - nl - 1] == '/';
}

const ca_manifest_entry *ca_manifest_find(const ca_manifest *m, const char *path)
{
    const char *base;
    size_t lo = 0, hi, i;

    if (!m || !path || !m->by_name)
        return NULL;
    /* An entry that matches has the path's last component: the first of
     * them in the sorted index, then each in manifest order. */
    base = last_component(path);
    hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(m->by_name[mid].base, base) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < m->n && !strcmp(m->by_name[i].base, base); i++) {
        if (strcmp(m->entries[m->by_name[i].entry].file, path) == 0)
            return &m->entries[m->by_name[i].entry];
    }
    for (i = lo; i < m->n && !strcmp(m->by_name[i].base, base); i++) {
        if (path_matches(path, m->entries[m->by_name[i].entry].file))
            return &m->entries[m->by_name[i].entry];
    }
    return NULL;
}
