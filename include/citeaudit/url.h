/*
 * url.h - resolving, normalising and classifying the URLs found in
 * documents. All parsing goes through libcurl's URL API (curl_url()); nothing
 * here splits a URL by hand except the query, which curl hands over whole and
 * which must be filtered parameter by parameter to drop trackers.
 */
#ifndef CITEAUDIT_URL_H
#define CITEAUDIT_URL_H

#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ca_url_kind {
    CA_URL_HTTP = 0,       /* http or https: can be checked */
    CA_URL_UNSUPPORTED = 1, /* mailto:, tel:, javascript:, data:, ftp:, ... */
    CA_URL_INVALID = 2,     /* could not be parsed or resolved */
} ca_url_kind;

/*
 * A normalised URL. All strings are owned by the struct and freed by
 * ca_url_release().
 *
 * url:      the identity used for checking and de-duplication: scheme and host
 *           lowercased, IDN host in punycode, default port dropped, dot
 *           segments removed, tracking parameters dropped, no fragment. For
 *           unsupported and invalid URLs, the reference as written, trimmed.
 * fragment: the fragment without '#', or NULL.
 * host:     the lowercased (punycode) host, or NULL when there is none.
 * scheme:   the lowercased scheme, or NULL for invalid references.
 */
typedef struct ca_url {
    char *url;
    char *fragment;
    char *host;
    char *scheme;
    char *path;  /* the path, for source keys; NULL unless kind is HTTP */
    ca_url_kind kind;
} ca_url;

/*
 * Resolve href against base (may be NULL) and normalise it into *ret, which
 * the caller releases with ca_url_release(). Unsupported schemes and invalid
 * references are not errors: they come back with their kind set, so callers
 * can keep them as citations that are never checked. Fails only on
 * allocation failure (CA_NOMEM) or a NULL href (CA_INVALID).
 */
ca_status ca_url_normalize(const char *href, const char *base, ca_url *ret, ca_error *err);

/* Free the strings of u and zero it. Accepts NULL and zeroed structs. */
void ca_url_release(ca_url *u);

/*
 * Resolve href against base without the tracking-parameter filter or fragment
 * split: the absolute URL a browser would follow, or NULL when it cannot be
 * resolved. Caller frees. Used for <base href> and document URLs.
 */
char *ca_url_resolve(const char *href, const char *base);

/* Nonzero when name (a query parameter name) is a known tracking parameter. */
int ca_url_is_tracking_param(const char *name, size_t len);

#ifdef __cplusplus
}
#endif
#endif
