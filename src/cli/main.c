/*
 * main.c - the citeaudit command: initialise, dispatch to a cmd_*() by
 * name, map the result to an exit code. Everything else lives in the
 * library or in one cmd_*.c file per subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd commands[] = {
    {"audit", cmd_audit, "the whole job: check, draw the graph, write the report folder"},
    {"check", cmd_check, "check every link of documents and report the broken ones"},
    {"extract", cmd_extract, "list the citations of documents (no network)"},
    {"graph", cmd_graph, "draw who cites whom (DOT, SVG, PNG, GraphML, GEXF, JSON)"},
    {"history", cmd_history, "every stored check of one URL, oldest first"},
    {"provenance", cmd_provenance, "text reuse, shared quotes, unlinked attributions, quote "
                                   "support"},
};

static void usage(FILE *out)
{
    size_t i;

    fprintf(out, "usage: citeaudit COMMAND [OPTIONS] INPUT...\n\n"
                 "citeaudit audits the links and sources that articles cite.\n\n"
                 "Commands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'citeaudit COMMAND --help' for the options of one command.\n"
                 "Inputs: files, directories (recursive), '-' for standard input,\n"
                 "@FILE for a list of inputs, one per line.\n");
}

int main(int argc, char **argv)
{
    ca_error err = CA_ERROR_INIT;
    size_t i;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("citeaudit %s\n", ca_version());
        return EXIT_CLEAN;
    }
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        if (ca_global_init(&err) != CA_OK) {
            cli_error("%s", ca_error_message(&err));
            return EXIT_ENV;
        }
        rc = commands[i].run(argc - 1, argv + 1);
        ca_global_cleanup();
        return rc;
    }
    cli_error("'%s' is not a citeaudit command; see 'citeaudit --help'", argv[1]);
    return EXIT_USAGE;
}
