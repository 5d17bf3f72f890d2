/*
 * error.h - status codes and error detail for every libciteaudit call.
 *
 * A ca_status says whether a call worked. It is never a link's verdict: the
 * status class of a checked link is data kept with its result. The detail of a
 * failure (which input, what to do) goes into a caller-owned struct ca_error;
 * the first error recorded wins, so the message names the root cause.
 */
#ifndef CITEAUDIT_ERROR_H
#define CITEAUDIT_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The one list of status codes: name, number, description. Numbers are
 * append-only; never reuse or renumber an entry.
 */
#define CA_STATUS_MAP(X)                                                       \
    X(OK, 0, "success")                                                        \
    X(NOMEM, 1, "out of memory")                                               \
    X(INVALID, 2, "invalid argument")                                          \
    X(IO, 3, "input/output error")                                             \
    X(NOTFOUND, 4, "no such file or directory")                                \
    X(TOOBIG, 5, "input exceeds the size limit")                               \
    X(BINARY, 6, "input is a binary file")                                     \
    X(URL, 7, "malformed URL")                                                 \
    X(PARSE, 8, "input could not be parsed")                                   \
    X(LIMIT, 9, "a limit was reached")                                         \
    X(UNSUPPORTED, 10, "unsupported input")                                    \
    X(USAGE, 11, "bad usage")                                                  \
    X(ENV, 12, "the environment failed")

typedef enum ca_status {
#define CA__STATUS_ENUM(name, num, text) CA_##name = num,
    CA_STATUS_MAP(CA__STATUS_ENUM)
#undef CA__STATUS_ENUM
} ca_status;

/* Longest message kept in a struct ca_error, terminator included. */
#define CA_ERROR_MSG_MAX 512

/*
 * Error detail filled by a failing call. Initialise with CA_ERROR_INIT or
 * ca_error_clear(). Once code is not CA_OK, later failures do not overwrite
 * it: the first error is the one the user needs to see.
 */
typedef struct ca_error {
    ca_status code;
    char msg[CA_ERROR_MSG_MAX];
} ca_error;

#define CA_ERROR_INIT {CA_OK, {0}}

/* Return the English description of a status ("out of memory"). Never NULL. */
const char *ca_strerror(ca_status st);

/* Return the symbolic name of a status without prefix ("NOMEM"). Never NULL. */
const char *ca_status_name(ca_status st);

/* Reset an error to CA_OK with an empty message. Accepts NULL. */
void ca_error_clear(ca_error *err);

/*
 * Record an error unless one is already recorded, and return st so callers
 * can write "return ca_error_set(err, CA_IO, ...)". err may be NULL. The
 * message should name the input and say what the user can do about it.
 */
ca_status ca_error_set(ca_error *err, ca_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The recorded message, or the status description when none was given. */
const char *ca_error_message(const ca_error *err);

#ifdef __cplusplus
}
#endif
#endif
