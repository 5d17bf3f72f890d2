/*
 * robots.h - robots.txt as RFC 9309 (the Robots Exclusion Protocol) says
 * to read it: groups of user-agent lines with their allow and disallow
 * rules, the group of our product token (or else the "*" group), the
 * longest matching rule deciding, '*' and '$' wildcards, and what to do
 * when the file is missing (4xx: allow everything) or unreachable (5xx,
 * no answer: disallow everything).
 *
 * The crawler of `audit` and `provenance` fetches one robots.txt per host
 * and asks it about every page it would fetch beyond the pages the inputs
 * cite themselves.
 */
#ifndef CITEAUDIT_ROBOTS_H
#define CITEAUDIT_ROBOTS_H

#include <stddef.h>

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of a robots.txt file that are read; RFC 9309 asks for at least
 * 500 KiB, and the rest is ignored. */
#define CA_ROBOTS_MAX_BYTES ((size_t)500 * 1024)

typedef struct ca_robots ca_robots;

/*
 * Parse robots.txt data[0..len) (at most CA_ROBOTS_MAX_BYTES are read) and
 * keep the rules that apply to the product token ua (e.g. "citeaudit",
 * matched case-insensitively): the rules of every group naming it, or,
 * when none does, of every "*" group, or none (everything allowed). Lines
 * that are not rules are ignored; a file that is not robots.txt at all (an
 * HTML page, binary bytes) thus allows everything. CA_NOMEM only.
 */
ca_status ca_robots_parse(const char *data, size_t len, const char *ua, ca_robots **ret,
                          ca_error *err);

/*
 * The policy of a host whose robots.txt answered http_code (0: no answer
 * at all) with body (may be NULL): 2xx parses the body; 4xx allows
 * everything (the file is "unavailable"), except 429, which like 5xx and
 * no answer disallows everything (the file is "unreachable": the host
 * asked us to back off or is failing). CA_NOMEM only.
 */
ca_status ca_robots_from_answer(int http_code, const char *body, size_t len, const char *ua,
                                ca_robots **ret, ca_error *err);

void ca_robots_destroy(ca_robots *r);

/*
 * Nonzero when the rules allow path_query (the URL's path and query,
 * starting with '/'; NULL or "" means "/"). "/robots.txt" is always
 * allowed. Percent-escapes are compared with upper-case hex, unreserved
 * characters decoded, other bytes above 0x7E escaped, in rules and paths
 * alike.
 */
int ca_robots_allowed(const ca_robots *r, const char *path_query);

/*
 * Nonzero when the policy came from no file (everything allowed or
 * disallowed without rules); for messages. *ret_allow_all says which.
 */
int ca_robots_blanket(const ca_robots *r, int *ret_allow_all);

/*
 * The product token of a User-Agent header value: its leading letters,
 * '-' and '_' ("citeaudit" from "citeaudit/0.1.0 (+https://...)"), copied
 * into buf of size n (cut to fit). Empty when there are none.
 */
void ca_robots_product_token(const char *user_agent, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
