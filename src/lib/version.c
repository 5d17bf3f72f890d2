/*
 * version.c - library version and process-wide initialisation.
 */
#include <curl/curl.h>

#include "citeaudit/citeaudit.h"
#include "extract_int.h"

const char *ca_version(void)
{
    return CA_VERSION;
}

ca_status ca_global_init(ca_error *err)
{
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

    if (rc != CURLE_OK)
        return ca_error_set(err, CA_ENV, "cannot initialise libcurl: %s", curl_easy_strerror(rc));
    return CA_OK;
}

void ca_global_cleanup(void)
{
    ca__url_cleanup();
    ca__source_cleanup();
    curl_global_cleanup();
}
