/*
 * cmd_extract.c - `citeaudit extract`: the citations of documents, one line
 * each, with no network. Body citations only unless --all.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"

enum fmt { FMT_TSV, FMT_JSONL };

struct extract_args {
    ca_extract_opts opts;
    const char *manifest_path;
    enum fmt fmt;
    int all;
    int header;
};

static void help(void)
{
    printf("usage: citeaudit extract [OPTIONS] INPUT...\n\n"
           "Print the citations found in documents (HTML, Markdown, plain text),\n"
           "one per line. No network is used.\n\n"
           "Options:\n"
           "  -a, --all              also print page links outside the article body\n"
           "  -f, --format FMT       tsv (default) or jsonl\n"
           "  -m, --manifest FILE    TSV of per-file metadata (file outlet url published)\n"
           "  -b, --base-url URL     treat local files as served from URL\n"
           "      --max-size SIZE    largest document read (default 50M)\n"
           "      --max-links N      most links kept per document (default 100000)\n"
           "      --header           print a header line before TSV output\n"
           "  -q, --quiet            no notes on stderr\n"
           "  -h, --help             this help\n\n"
           "TSV columns: doc line col region kind url source text\n"
           "JSONL fields: doc doc_url outlet line col region kind url href source\n"
           "              text context rel\n\n"
           "Exit status: 0 all inputs read, 2 bad usage or an unreadable input.\n");
}

static int parse_args(int argc, char **argv, struct extract_args *a)
{
    enum { OPT_MAX_SIZE = 256, OPT_MAX_LINKS, OPT_HEADER };
    static const struct option longopts[] = {
        {"all", no_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {"manifest", required_argument, NULL, 'm'},
        {"base-url", required_argument, NULL, 'b'},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE},
        {"max-links", required_argument, NULL, OPT_MAX_LINKS},
        {"header", no_argument, NULL, OPT_HEADER},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "af:m:b:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'a':
            a->all = 1;
            break;
        case 'f':
            if (!strcmp(optarg, "tsv")) {
                a->fmt = FMT_TSV;
            } else if (!strcmp(optarg, "jsonl")) {
                a->fmt = FMT_JSONL;
            } else {
                cli_error("--format: '%s' is not a format of extract; use tsv or jsonl", optarg);
                return -1;
            }
            break;
        case 'm':
            a->manifest_path = optarg;
            break;
        case 'b':
            if (!ca_input_is_url(optarg)) {
                cli_error("--base-url: '%s' is not an http(s) URL", optarg);
                return -1;
            }
            a->opts.base_url = optarg;
            break;
        case OPT_MAX_SIZE:
            if (cli_parse_size("--max-size", optarg, &a->opts.max_bytes) < 0)
                return -1;
            break;
        case OPT_MAX_LINKS:
            if (cli_parse_count("--max-links", optarg, &a->opts.max_links) < 0)
                return -1;
            break;
        case OPT_HEADER:
            a->header = 1;
            break;
        case 'q':
            cli_quiet = 1;
            break;
        case 'h':
            help();
            return 1;
        default:
            fprintf(stderr, "Try 'citeaudit extract --help'.\n");
            return -1;
        }
    }
    if (optind >= argc) {
        cli_error("no input given; name files, directories, '-' or @LIST "
                  "(see 'citeaudit extract --help')");
        return -1;
    }
    return 0;
}

/* Write s as a TSV field: tabs, newlines and backslashes escaped. */
static void tsv_field(const char *s, FILE *out)
{
    for (; s && *s; s++) {
        if (*s == '\t')
            fputs("\\t", out);
        else if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '\r')
            fputs("\\r", out);
        else if (*s == '\\')
            fputs("\\\\", out);
        else
            fputc(*s, out);
    }
}

static void print_tsv(const ca_doc *doc, const ca_citation *c, FILE *out)
{
    tsv_field(doc->origin, out);
    fprintf(out, "\t%u\t%u\t%s\t%s\t", c->line, c->col, ca_region_name(c->region),
            ca_kind_name(c->kind));
    tsv_field(c->url, out);
    fputc('\t', out);
    tsv_field(c->source, out);
    fputc('\t', out);
    tsv_field(c->text, out);
    fputc('\n', out);
}

#define RAW(l, lit) jsonw_line_raw(l, lit, sizeof lit - 1)

/* One JSONL line, built in memory and written at once. prefix holds the
 * document's fields, the same on every line of the document. -1 when out
 * of memory (write errors are stdout's, checked at the end). */
static int print_jsonl(const jsonw_line *prefix, const ca_citation *c, jsonw_line *l,
                       FILE *out)
{
    int failed;

    l->failed |= prefix->failed;
    jsonw_line_raw(l, prefix->data, prefix->len);
    RAW(l, ",\"line\":");
    jsonw_line_uint(l, c->line);
    RAW(l, ",\"col\":");
    jsonw_line_uint(l, c->col);
    RAW(l, ",\"region\":");
    jsonw_line_str(l, ca_region_name(c->region));
    RAW(l, ",\"kind\":");
    jsonw_line_str(l, ca_kind_name(c->kind));
    RAW(l, ",\"url\":");
    jsonw_line_str(l, c->url);
    RAW(l, ",\"href\":");
    jsonw_line_str(l, c->href);
    RAW(l, ",\"source\":");
    jsonw_line_str(l, c->source);
    RAW(l, ",\"text\":");
    jsonw_line_str(l, c->text);
    RAW(l, ",\"context\":");
    jsonw_line_str(l, c->context);
    RAW(l, ",\"rel\":");
    jsonw_line_str(l, c->rel);
    RAW(l, "}\n");
    failed = l->failed;
    jsonw_line_flush(l, out);
    return failed ? -1 : 0;
}

/* Print the citations of doc; -1 when memory ran out. */
static int print_doc(const struct extract_args *a, const ca_doc *doc, FILE *out)
{
    jsonw_line prefix = {0}, line = {0};
    size_t i;
    int rc = 0;

    if (a->fmt == FMT_JSONL) {
        RAW(&prefix, "{\"doc\":");
        jsonw_line_str(&prefix, doc->origin);
        RAW(&prefix, ",\"doc_url\":");
        jsonw_line_str(&prefix, doc->url);
        RAW(&prefix, ",\"outlet\":");
        jsonw_line_str(&prefix, doc->outlet);
    }
    for (i = 0; i < doc->ncites; i++) {
        const ca_citation *c = &doc->cites[i];

        if (!a->all && c->region != CA_REGION_BODY)
            continue;
        if (a->fmt == FMT_JSONL)
            rc |= print_jsonl(&prefix, c, &line, out);
        else
            print_tsv(doc, c, out);
    }
    jsonw_line_release(&prefix);
    jsonw_line_release(&line);
    return rc;
}

/* Extract one input; returns the exit code it contributes. */
static int extract_one(const struct extract_args *a, const char *input)
{
    ca_error err = CA_ERROR_INIT;
    ca_doc *doc = NULL;
    ca_status st;

    if (ca_input_is_url(input)) {
        cli_error("'%s': extract reads local files only; use 'citeaudit check' to fetch "
                  "URLs, or save the page and pass --base-url",
                  input);
        return EXIT_USAGE;
    }
    st = ca_extract_file(input, &a->opts, &doc, &err);
    if (st != CA_OK) {
        cli_error("%s", ca_error_message(&err));
        return cli_exit_code(st);
    }
    cli_print_doc_warnings(doc);
    if (print_doc(a, doc, stdout) != 0) {
        cli_error("out of memory writing the citations of '%s'", doc->origin);
        ca_doc_destroy(doc);
        return EXIT_ENV;
    }
    st = doc->links_dropped ? CA_LIMIT : CA_OK;
    ca_doc_destroy(doc);
    return cli_exit_code(st);
}

static int worst(int a, int b)
{
    return a > b ? a : b;
}

int cmd_extract(int argc, char **argv)
{
    struct extract_args a = {0};
    ca_manifest *manifest = NULL;
    ca_inputs in;
    ca_error err = CA_ERROR_INIT;
    int rc = EXIT_CLEAN, i;
    size_t k;

    ca_extract_opts_init(&a.opts);
    i = parse_args(argc, argv, &a);
    if (i)
        return i > 0 ? EXIT_CLEAN : EXIT_USAGE;
    if (a.manifest_path) {
        if (ca_manifest_load(a.manifest_path, &manifest, &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            return EXIT_USAGE;
        }
        a.opts.manifest = manifest;
    }
    ca_inputs_init(&in, a.manifest_path);
    for (i = optind; i < argc; i++) {
        ca_error_clear(&err);
        if (ca_inputs_add(&in, argv[i], &err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            rc = worst(rc, cli_exit_code(err.code));
        }
    }
    if (a.header && a.fmt == FMT_TSV)
        printf("doc\tline\tcol\tregion\tkind\turl\tsource\ttext\n");
    for (k = 0; k < in.n; k++)
        rc = worst(rc, extract_one(&a, in.items[k]));
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno));
        rc = worst(rc, EXIT_ENV);
    }
    ca_inputs_release(&in);
    ca_manifest_destroy(manifest);
    return rc;
}
