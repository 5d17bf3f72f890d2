/*
 * warc.h - evidence as WARC 1.1 (ISO 28500:2017): write the HTTP exchanges
 * of a run to a .warc.gz file, and answer checks from such a file with no
 * network (replay).
 *
 * The writer starts the file with a warcinfo record, then writes each
 * exchange as a request record and a response record linked by
 * WARC-Concurrent-To, with WARC-Target-URI, WARC-Date, WARC-Record-ID
 * (a random UUID URN), WARC-IP-Address, SHA-1 block and payload digests in
 * base32, and WARC-Truncated when the body was cut at the byte cap. Each
 * record is its own gzip member, so readers can seek to any record.
 *
 * The reader (replay) decompresses with libarchive (gzip, also bzip2, xz,
 * zstd, or none), indexes the response records by target URI and keeps the
 * status code and Location of each; a check is then answered the way the
 * checker would answer it from those responses.
 */
#ifndef CITEAUDIT_WARC_H
#define CITEAUDIT_WARC_H

#include <stddef.h>
#include <stdint.h>

#include "citeaudit/check.h"
#include "citeaudit/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ca_warc_writer ca_warc_writer;

/*
 * Create (truncate) path and write its warcinfo record. CA_ENV with a
 * message naming path when it cannot be written.
 */
ca_status ca_warc_writer_open(const char *path, ca_warc_writer **ret, ca_error *err);

/* Write one exchange: its request record and its response record. */
ca_status ca_warc_write_exchange(ca_warc_writer *w, const ca_exchange *ex, ca_error *err);

/* Records written so far (warcinfo included). */
size_t ca_warc_writer_records(const ca_warc_writer *w);

/*
 * Flush, close and free the writer; CA_ENV when anything written failed
 * (a full disk), with the path named. Accepts NULL.
 */
ca_status ca_warc_writer_close(ca_warc_writer *w, ca_error *err);

typedef struct ca_warc_replay ca_warc_replay;

/*
 * Read path (a WARC file, compressed or not) and index its response
 * records. CA_NOTFOUND for a missing file, CA_PARSE for a file that is
 * not WARC, both naming path.
 */
ca_status ca_warc_replay_open(const char *path, ca_warc_replay **ret, ca_error *err);
void ca_warc_replay_destroy(ca_warc_replay *r);

/* Response records indexed (one per target URI: the last one wins). */
size_t ca_warc_replay_count(const ca_warc_replay *r);

/*
 * The result for url from the recorded responses: the last response of
 * each hop, recorded redirects followed within the file (with the
 * checker's limits on loops, schemes and --max-redirects), the final
 * status classified by chk (ca_checker_classify, so --accept applies).
 * *ret_found is 0 when the file holds no response for url; then *ret is
 * untouched. Free *ret with ca_warc_result_release.
 */
ca_status ca_warc_replay_result(const ca_warc_replay *r, const ca_checker *chk,
                                const char *url, unsigned max_redirects, ca_result *ret,
                                int *ret_found, ca_error *err);

/* Free the strings and chain of a result made by ca_warc_replay_result. */
void ca_warc_result_release(ca_result *res);

#ifdef __cplusplus
}
#endif
#endif
