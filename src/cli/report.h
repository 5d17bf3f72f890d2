/*
 * report.h - the renderers of `citeaudit check` (and later `audit`): one
 * file each, all reading the same run. Machine formats go to out (stdout);
 * none of them prints anything else.
 *
 * What the renderers share lives in report.c: which citations fail and
 * which deserve a mention, the counts of the summary, the reason shown for
 * a result, times in ISO 8601. A renderer only decides how things look.
 */
#ifndef CA_REPORT_H
#define CA_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "citeaudit/citeaudit.h"
#include "citeaudit/run.h"

/*
 * What the store says of one link (by checker id), when there is a store:
 * how long it has been failing, and whether --confirm lets it count.
 */
struct report_link {
    int64_t failing_since;   /* first check of the current failing streak, 0: none */
    uint32_t failing_checks; /* checks in that streak */
    uint32_t confirm_needed; /* --confirm N */
    uint8_t unconfirmed;     /* failing, not yet confirmed: not counted as failing */
};

struct report_opts {
    unsigned fail_mask; /* bit (1u << cls) set for each class that fails */
    int fail_bot;       /* --fail-on bot-protection: blocked links fail too */
    int body_only;      /* page links (chrome) were not checked */
    int colour;         /* text only: ANSI colour allowed */
    int verbose;        /* text only: list every citation, not just failing */
    const char *argv0;  /* the tool as invoked, for SARIF's invocation */
    const char *const *args; /* the arguments after argv0, NULL-terminated, for
                              * SARIF's invocation (NULL: not recorded) */
    const struct report_link *links; /* by checker id, NULL without a store */
    size_t nlinks;
};

/* Nonzero when results of class cls fail the run. */
static inline int report_fails(const struct report_opts *ro, ca_class cls)
{
    return (ro->fail_mask >> cls) & 1u;
}

/* Each writes the whole report and returns 0, or -1 when out failed. */
typedef int (*report_fn)(FILE *out, const ca_run *run, const struct report_opts *ro);

int report_text(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_json(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_jsonl(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_junit(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_csv(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_markdown(FILE *out, const ca_run *run, const struct report_opts *ro);
int report_sarif(FILE *out, const ca_run *run, const struct report_opts *ro);
/* rescued.md of audit: "DEAD URL -> ARCHIVE URL" lines by document. */
int report_rescued_md(FILE *out, const ca_run *run, const struct report_opts *ro);

/* The renderer named fmt ("text", "json", ...), or NULL. */
report_fn report_lookup(const char *fmt);

/* The format names report_lookup knows, "text|json|...", for messages. */
const char *report_format_names(void);

/* ---- shared by the renderers (report.c) ---- */

/*
 * What a report does with a citation, from its class and the fail mask.
 * Failing comes first: a class the user made failing (--fail-on) is
 * failing whatever it is.
 */
enum report_group {
    REPORT_FAILING,  /* fails the run */
    REPORT_UPDATE,   /* works through a permanent redirect: update the link */
    REPORT_WARN,     /* a problem not counted as failing (forbidden, ...) */
    REPORT_SKIPPED,  /* not checked: unknown, excluded, blocked, unsupported */
    REPORT_OK,
};

/* One citation with everything a renderer prints about it. */
struct report_cite {
    const ca_run *run;
    const ca_run_doc *doc;
    const ca_run_cite *c;
    const ca_result *res;
    const char *url;       /* the citation's URL (normalised) */
    const char *final_url; /* where redirects ended, NULL when nowhere else */
    enum report_group group;
    int chrome;            /* a page link, not a citation of the article */
    const struct report_link *link; /* what the store says, or NULL */
};

/* What the store says of citation c's link, or NULL. */
const struct report_link *report_link_of(const struct report_opts *ro, const ca_run_cite *c);

/* The group of citation c: report_group_of, except that a failing link
 * --confirm has not yet confirmed is a warning. */
enum report_group report_cite_group(const ca_run *run, const struct report_opts *ro,
                                    const ca_run_cite *c);

/* Nonzero when a citation of run fails (once confirmed, with --confirm):
 * what makes check, graph and audit exit 1. */
int report_any_failing(const ca_run *run, const struct report_opts *ro);

/* Nonzero when some citation has a real result: checked now, or kept in
 * the store (--no-check reads it too). Only then are failures drawn. */
int report_have_results(const ca_run *run);

/* Nonzero when rc is failing but not yet confirmed (--confirm). */
int report_unconfirmed(const struct report_cite *rc);

/* Fill *rc for citation c of run. */
void report_cite_get(const ca_run *run, const struct report_opts *ro, const ca_run_cite *c,
                     struct report_cite *rc);

enum report_group report_group_of(const struct report_opts *ro, ca_class cls);

/* How a renderer writes text from documents and servers: escaped for its
 * format (report_put_clean for terminals). */
typedef void (*report_put_fn)(FILE *out, const char *s);

/*
 * One citation as a line of text, without the newline:
 * "docs/a.md:3:5: dead 404 https://x/a [-> https://y/b] (Not Found)". The
 * reason is left out where it adds nothing to the class (ok, redirected).
 * Strings go through put; the class name is wrapped in on/off (colour
 * escapes, or NULL).
 */
void report_cite_line(FILE *out, const struct report_cite *rc, report_put_fn put,
                      const char *on, const char *off);

/*
 * What the store says of a failing citation, after its line: " dead since
 * 2024-01-31T12:00:00Z (3 checks)", preceded by " failing, not yet
 * confirmed (1 of 3)" under --confirm. Nothing without a store.
 */
void report_history_note(FILE *out, const struct report_cite *rc);

/* Nonzero when rc's link is blocked by bot protection (reported apart). */
int report_bot_blocked(const struct report_cite *rc);

/* Nonzero when rc's live page drifted from its archived capture. */
int report_drifted(const struct report_cite *rc);

/* Nonzero when rc fails and has an archived copy to replace it with. */
int report_rescued(const struct report_cite *rc);

/*
 * After a citation's line: " [archived 2023-12-30: URL]" for a failing
 * link with a capture, " [drifted: 42% alike its capture of 2023-12-30:
 * URL]" for a live one that changed. Nothing otherwise. Strings through put.
 */
void report_archive_note(FILE *out, const struct report_cite *rc, report_put_fn put);

/* t as "2024-01-31" into buf; "" when t is 0. */
void report_date(int64_t t, char buf[static 16]);

/* Counts over the whole run (citations, not unique URLs). */
struct report_summary {
    size_t by_reason[CA_REASON_COUNT];
    size_t rescued;        /* failing citations with an archived copy */
    size_t drifted;        /* live citations whose page drifted from its capture */
    ca_check_stats stats;  /* probes and archive lookups of the checker */
    size_t by_class[CA_CLASS_COUNT];
    size_t by_group[REPORT_OK + 1];
    size_t total;          /* every link: citations and page links */
    size_t body, chrome;   /* citations, page links */
    size_t body_failing, chrome_failing;
    size_t docs;           /* documents read */
    size_t inputs_failed;  /* inputs that could not be read */
    int body_only;         /* only citations were checked (ro->body_only) */
};

void report_summarise(const ca_run *run, const struct report_opts *ro,
                      struct report_summary *s);

/*
 * Write the one-line summary without a newline, e.g. "12 links checked in
 * 3 documents: 9 ok, 1 redirected, 2 dead; 2 failing (1 citation, 1 page
 * link)" ("12 citations checked ..." when page links were not checked).
 */
void report_summary_line(FILE *out, const ca_run *run, const struct report_summary *s);

/*
 * The second summary line when there is something to say, without a
 * newline: "soft-404 probes: 3 (1 from the store); archives: 2 of 3 failing
 * citations rescued; 1 drifted; 2 behind bot protection". Returns 0 when
 * nothing was written.
 */
int report_extra_line(FILE *out, const struct report_summary *s);

/*
 * Why a result is what it is, for people: the checker's message, else the
 * HTTP reason phrase ("Not Found"), else the class description. Never NULL.
 */
const char *report_reason(const ca_result *res);

/* The standard reason phrase of an HTTP status code, NULL when unknown. */
const char *report_http_phrase(int code);

/* Number of redirects followed (the hops of the chain answered with 3xx). */
unsigned report_redirects(const ca_result *res);

/* t as "2024-01-31T12:00:00Z" into buf; "" when t is 0. */
void report_iso8601(int64_t t, char buf[static 32]);

/* The report's own time: $SOURCE_DATE_EPOCH when set (reproducible
 * output), else now. */
int64_t report_now(void);

/*
 * Write s for a person's terminal on one line: tabs and line breaks become
 * spaces; other control characters (C0, DEL, C1), which could move the
 * cursor or recolour it, and invalid UTF-8 become U+FFFD. NULL writes
 * nothing.
 */
void report_put_clean(FILE *out, const char *s);

/* Flush out and return 0, or -1 when anything written to it failed. */
int report_finish(FILE *out);

/* report_json.c: one citation's fields, shared with jsonl (which adds
 * "doc" and counts the redirects instead of listing them). */
void report_json_cite(FILE *out, const struct report_cite *rc, int jsonl);

#endif
