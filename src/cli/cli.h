/*
 * cli.h - shared declarations of the citeaudit command-line tool. The tool
 * uses only the public headers of libciteaudit.
 */
#ifndef CA_CLI_H
#define CA_CLI_H

#include <stddef.h>

#include "citeaudit/citeaudit.h"

/* Exit codes of ../shared/SPEC.md. */
enum {
    EXIT_CLEAN = 0,   /* nothing failing */
    EXIT_FAILING = 1, /* failing citations found */
    EXIT_USAGE = 2,   /* bad usage or unreadable input */
    EXIT_ENV = 3,     /* the environment failed */
};

struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

int cmd_audit(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_provenance(int argc, char **argv);

/* git-style messages on stderr: "error: ...", "warning: ...". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set by -q: notes are not printed (warnings and errors still are). */
extern int cli_quiet;

/* Map a library status to the exit code of the SPEC. */
int cli_exit_code(ca_status st);

/*
 * Parse a byte count with an optional K, M or G suffix (powers of 1024)
 * into *ret. Returns 0 on success, -1 (after printing an error naming opt)
 * when it is not a positive number.
 */
int cli_parse_size(const char *opt, const char *s, size_t *ret);

/* Parse a positive count into *ret; -1 with an error naming opt. */
int cli_parse_count(const char *opt, const char *s, size_t *ret);

/* Print the warnings a document carries. */
void cli_print_doc_warnings(const ca_doc *doc);

#endif
