/* extract_html.c - placeholder, being written. */
#include "extract_int.h"

ca_status ca__extract_html(ca_doc *doc, ca__meta *meta, const char *data, size_t len,
                         const char *base_url, ca_error *err)
{
    (void)doc, (void)meta, (void)data, (void)len, (void)base_url, (void)err;
    return CA_OK;
}
