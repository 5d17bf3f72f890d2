/*
 * source.h - the key that names who a URL belongs to: its registrable domain
 * (through the Public Suffix List, so www.themoscowtimes.com is
 * themoscowtimes.com), except on platforms where the account is the source
 * (t.me/mod_russia, x.com/NAME, youtube.com/@NAME, ...).
 */
#ifndef CITEAUDIT_SOURCE_H
#define CITEAUDIT_SOURCE_H

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Compute the source key of an absolute http(s) URL into *ret_key (caller
 * frees). For non-http URLs or URLs without a host, *ret_key is set to NULL
 * and CA_OK returned: they have no source. CA_NOMEM on allocation failure.
 */
ca_status ca_source_key(const char *url, char **ret_key, ca_error *err);

/*
 * The source key of a bare host name (no platform account), e.g. for an
 * outlet named in a manifest. Caller frees; NULL when host is empty.
 */
char *ca_source_host_key(const char *host);

/* Nonzero when key is an account on a platform (contains a '/'). */
int ca_source_is_account(const char *key);

#ifdef __cplusplus
}
#endif
#endif
