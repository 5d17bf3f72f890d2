/*
 * citeaudit.h - umbrella header of libciteaudit, the provenance and
 * link-graph auditor library.
 */
#ifndef CITEAUDIT_H
#define CITEAUDIT_H

#include "citeaudit/buf.h"
#include "citeaudit/check.h"
#include "citeaudit/doc.h"
#include "citeaudit/error.h"
#include "citeaudit/extract.h"
#include "citeaudit/input.h"
#include "citeaudit/manifest.h"
#include "citeaudit/provenance.h"
#include "citeaudit/robots.h"
#include "citeaudit/run.h"
#include "citeaudit/source.h"
#include "citeaudit/store.h"
#include "citeaudit/url.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
const char *ca_version(void);

/*
 * Initialise process-wide state (libcurl's global init). Call once before
 * any other function, from the main thread. ca_global_cleanup() undoes it.
 */
ca_status ca_global_init(ca_error *err);
void ca_global_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
