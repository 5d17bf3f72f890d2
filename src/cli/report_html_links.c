/*
 * report_html_links.c - the two long parts of report.html: the table of
 * every link (one row per citation, sortable and filterable by the inlined
 * script, which finds its rows by the data-group, data-cls and data-region
 * attributes written here), and one section per document listing its
 * citations in the order they appear, page links folded away below.
 *
 * Cells whose text does not sort well carry a data-key: the status sorts
 * by seriousness (failing first), the position by document then line.
 * Both parts stop after REPORT_HTML_MAX_ROWS items and say so.
 */
#include <string.h>
#include <strings.h>

#include "report_html.h"

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- the table ---- */

static void sort_header(FILE *out, const char *label, const char *cls, int sorted)
{
    fprintf(out, "<th scope=\"col\"%s%s%s%s><button type=\"button\">%s</button></th>",
            cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "",
            sorted ? " aria-sort=\"ascending\"" : "", label);
}

static void option(FILE *out, const char *value, const char *label, size_t n)
{
    fprintf(out, "<option value=\"%s\">%s (%zu)</option>\n", value, label, n);
}

static void status_select(FILE *out, const struct report_summary *s)
{
    static const struct {
        enum report_group g;
        const char *label;
    } groups[] = {
        {REPORT_FAILING, "Failing"}, {REPORT_UPDATE, "To update"},
        {REPORT_WARN, "Other problems"}, {REPORT_SKIPPED, "Not checked"}, {REPORT_OK, "OK"},
    };
    char value[32];
    size_t i;
    int c;

    fputs("<label for=\"filter-status\">Status<select id=\"filter-status\">\n"
          "<option value=\"\">All statuses</option>\n<optgroup label=\"Groups\">\n", out);
    for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        snprintf(value, sizeof value, "g:%s", html_group_name(groups[i].g));
        option(out, value, groups[i].label, s->by_group[groups[i].g]);
    }
    fputs("</optgroup>\n<optgroup label=\"Classes\">\n", out);
    for (c = 0; c < CA_CLASS_COUNT; c++) {
        if (!s->by_class[c])
            continue;
        snprintf(value, sizeof value, "c:%s", ca_class_name((ca_class)c));
        option(out, value, ca_class_name((ca_class)c), s->by_class[c]);
    }
    fputs("</optgroup>\n</select></label>\n", out);
}

static void controls(FILE *out, const struct report_summary *s)
{
    fputs("<div class=\"controls\" id=\"filter-controls\" hidden>\n"
          "<label for=\"filter-text\">Filter<input type=\"search\" id=\"filter-text\" "
          "placeholder=\"URL, source, document, status\" autocomplete=\"off\" "
          "spellcheck=\"false\"></label>\n", out);
    status_select(out, s);
    if (s->chrome) {
        fputs("<label for=\"filter-region\">Links<select id=\"filter-region\">\n"
              "<option value=\"\">Citations and page links</option>\n", out);
        fprintf(out, "<option value=\"body\">Citations in the text (%zu)</option>\n"
                "<option value=\"chrome\">Page links: menus, footers (%zu)</option>\n"
                "</select></label>\n", s->body, s->chrome);
    }
    fputs("<p id=\"filter-count\" aria-live=\"polite\"></p>\n</div>\n", out);
}

/* The tags after a URL: a page link, an image, an embed. */
static void url_tags(FILE *out, const ca_run_cite *c)
{
    if (c->region != CA_REGION_BODY)
        fputs(" <span class=\"tag\">page link</span>", out);
    if (c->kind == CA_KIND_IMAGE || c->kind == CA_KIND_EMBED)
        fprintf(out, " <span class=\"tag\">%s</span>", ca_kind_name((ca_kind)c->kind));
}

/* Nonzero for an http(s) URL (only those become links). */
static int is_http(const char *u)
{
    return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8));
}

/* "reason-word: detail" for a status cell or a list item. */
static void why_text(FILE *out, const struct report_cite *rc)
{
    if (rc->res->reason != CA_REASON_NONE) {
        fputs("<b>", out);
        html_text(out, ca_reason_name(rc->res->reason));
        fputs("</b>: ", out);
    }
    if (report_drifted(rc) && rc->res->reason == CA_REASON_NONE && !rc->res->error)
        fputs("the live page drifted from its archived capture", out);
    else
        html_text(out, report_reason(rc->res));
}

/* The status with the reason under it when the reason tells more. */
static void status_cell(FILE *out, const struct report_cite *rc, const char *tag)
{
    fprintf(out, "<%s data-key=\"%d %s\">", tag, (int)rc->group, ca_class_name(rc->res->cls));
    html_badge(out, rc->res->cls, rc->group);
    if (rc->group == REPORT_FAILING || rc->group == REPORT_WARN ||
        (rc->res->error && rc->group != REPORT_OK && rc->res->cls != CA_CLASS_UNKNOWN)) {
        fputs("<span class=\"why\">", out);
        why_text(out, rc);
        report_history_note(out, rc); /* " dead since DATE (N checks)": ASCII, no markup */
        fputs("</span>", out);
    }
    fprintf(out, "</%s>", tag);
}

/* The archived copy of a failing citation (a rescue), or of a drifted one. */
static void archive_link(FILE *out, const struct report_cite *rc)
{
    char when[16];

    if (!report_rescued(rc) && !report_drifted(rc))
        return;
    report_date(rc->res->archive->time, when);
    if (is_http(rc->res->archive->url)) {
        fputs("<a href=\"", out);
        html_text(out, rc->res->archive->url);
        fputs("\">", out);
        html_text(out, when[0] ? when : "archived copy");
        fputs("</a>", out);
    } else {
        html_text(out, rc->res->archive->url);
    }
    if (report_drifted(rc))
        fprintf(out, " <span class=\"tag\">drifted: %.0f%% alike</span>",
                rc->res->archive->drift * 100);
}

/* What the Document column shows: the title, else the file's own name
 * (its path is in the File:line column), else the URL given. */
static const char *doc_label(const ca_run_doc *d)
{
    const char *slash = strrchr(d->origin, '/');

    if (d->title && *d->title)
        return d->title;
    if (strstr(d->origin, "://") || !slash || !slash[1])
        return d->origin;
    return slash + 1;
}

static void row(FILE *out, const ca_run *run, size_t docix, const struct report_cite *rc)
{
    const char *g = html_group_name(rc->group), *source = ca_run_source(run, rc->c);

    fprintf(out, "<tr class=\"g-%s\" data-group=\"%s\" data-cls=\"%s\" data-region=\"%s\">"
            "<td class=\"doc\"><a href=\"#doc-%zu\">", g, g, ca_class_name(rc->res->cls),
            rc->chrome ? "chrome" : "body", docix);
    html_text(out, doc_label(rc->doc));
    fputs("</a></td><td class=\"src\">", out);
    html_text(out, rc->doc->outlet);
    fputs("</td><td class=\"src\">", out);
    html_text(out, source);
    fputs("</td><td class=\"url\">", out);
    html_url(out, rc->url);
    url_tags(out, rc->c);
    fputs("</td>", out);
    status_cell(out, rc, "td");
    if (rc->res->http_code)
        fprintf(out, "<td class=\"num\">%d</td>", rc->res->http_code);
    else
        fputs("<td class=\"num\"></td>", out);
    fputs("<td class=\"final\">", out);
    html_url(out, rc->final_url);
    fprintf(out, "</td><td class=\"pos\" data-key=\"%08zu:%08u:%08u\">", docix,
            (unsigned)rc->c->line, (unsigned)rc->c->col);
    html_text(out, rc->doc->origin);
    fprintf(out, ":%u</td><td class=\"final\">", (unsigned)rc->c->line);
    archive_link(out, rc);
    fputs("</td></tr>\n", out);
}

static void table(FILE *out, const ca_run *run, const struct report_opts *ro, size_t shown)
{
    struct report_cite rc;
    size_t i;

    fprintf(out, "<div class=\"scroll\" role=\"region\" aria-labelledby=\"links-h\" "
            "tabindex=\"0\">\n<table class=\"links\" id=\"links\">\n<caption>%zu %s of %zu "
            "%s, in document order. Select a column heading to sort by it; select it again "
            "to reverse.</caption>\n<thead><tr>", shown, plural(shown, "link", "links"),
            run->ndocs, plural(run->ndocs, "document", "documents"));
    sort_header(out, "Document", NULL, 0);
    sort_header(out, "Outlet", NULL, 0);
    sort_header(out, "Source", NULL, 0);
    sort_header(out, "URL", NULL, 0);
    sort_header(out, "Status", NULL, 0);
    sort_header(out, "HTTP", "num", 0);
    sort_header(out, "Final URL", NULL, 0);
    sort_header(out, "File:line", NULL, 1);
    sort_header(out, "Rescued", NULL, 0);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (i = 0; i < run->ncites && i < shown; i++) {
        report_cite_get(run, ro, &run->cites[i], &rc);
        row(out, run, run->cites[i].doc, &rc);
    }
    fputs("</tbody>\n</table>\n</div>\n", out);
}

void html_links_section(FILE *out, const ca_run *run, const struct report_opts *ro,
                        const struct report_summary *s)
{
    size_t shown = run->ncites < REPORT_HTML_MAX_ROWS ? run->ncites : REPORT_HTML_MAX_ROWS;

    fputs("<section id=\"links-section\" aria-labelledby=\"links-h\">\n"
          "<h2 id=\"links-h\">All links</h2>\n", out);
    if (!run->ncites) {
        fputs("<p>No document cites anything by link.</p>\n</section>\n", out);
        return;
    }
    controls(out, s);
    table(out, run, ro, shown);
    fputs("<p id=\"filter-empty\" hidden>No link matches the filter.</p>\n", out);
    if (shown < run->ncites)
        fprintf(out, "<p class=\"banner notice\">The table lists the first %zu of %zu links; "
                "<a href=\"links.json\">links.json</a> and <a href=\"broken.txt\">broken.txt"
                "</a> have them all.</p>\n", shown, run->ncites);
    fputs("</section>\n", out);
}

/* ---- one section per document ---- */

static void meta_item(FILE *out, const char *name, const char *value, int url)
{
    if (!value)
        return;
    fprintf(out, "<dt>%s</dt><dd>", name);
    if (url)
        html_url(out, value);
    else
        html_text(out, value);
    fputs("</dd>\n", out);
}

/* What one region (citations or page links) of a document holds. */
struct region_count {
    size_t by_class[CA_CLASS_COUNT];
    size_t n, failing;
};

static void count_region(const ca_run *run, const struct report_opts *ro, const ca_run_doc *d,
                         int chrome, struct region_count *rc)
{
    size_t i;

    memset(rc, 0, sizeof *rc);
    for (i = d->first; i < d->first + d->n; i++) {
        const ca_run_cite *c = &run->cites[i];
        ca_class cls = ca_run_result(run, c)->cls;

        if ((c->region != CA_REGION_BODY) != chrome || (unsigned)cls >= CA_CLASS_COUNT)
            continue;
        rc->by_class[cls]++;
        rc->n++;
        rc->failing += report_cite_group(run, ro, c) == REPORT_FAILING;
    }
}

/* "3 citations: 2 ok, 1 dead" (ok first, unknown last). */
static void region_line(FILE *out, const struct region_count *rc, int chrome)
{
    const char *sep = ": ";
    int k;

    fprintf(out, "%zu %s", rc->n, chrome ? plural(rc->n, "page link", "page links")
                                         : plural(rc->n, "citation", "citations"));
    for (k = 1; k <= CA_CLASS_COUNT; k++) {
        ca_class cls = (ca_class)(k % CA_CLASS_COUNT);

        if (rc->by_class[cls]) {
            fprintf(out, "%s%zu %s", sep, rc->by_class[cls], ca_class_name(cls));
            sep = ", ";
        }
    }
}

static void cite_item(FILE *out, const struct report_cite *rc)
{
    fprintf(out, "<li><span class=\"pos\">%u:%u</span> ", (unsigned)rc->c->line,
            (unsigned)rc->c->col);
    html_badge(out, rc->res->cls, rc->group);
    fputs(" ", out);
    html_url(out, rc->url);
    if (rc->final_url) {
        fputs(" &rarr; ", out);
        html_url(out, rc->final_url);
    }
    if (rc->group == REPORT_FAILING || rc->group == REPORT_WARN) {
        fputs("<span class=\"why\">", out);
        why_text(out, rc);
        report_history_note(out, rc);
        if (report_rescued(rc) || report_drifted(rc)) {
            fputs(" · archived: ", out);
            archive_link(out, rc);
        }
        fputs("</span>", out);
    }
    fputs("</li>\n", out);
}

/* The document's links of one region as a list; *budget counts down the
 * items the page may still hold. */
static void cite_list(FILE *out, const ca_run *run, const struct report_opts *ro,
                      const ca_run_doc *d, int chrome, size_t *budget)
{
    struct report_cite rc;
    size_t i, left = 0;

    fputs("<ol class=\"cites\">\n", out);
    for (i = d->first; i < d->first + d->n; i++) {
        if ((run->cites[i].region != CA_REGION_BODY) != chrome)
            continue;
        if (!*budget) {
            left++;
            continue;
        }
        report_cite_get(run, ro, &run->cites[i], &rc);
        cite_item(out, &rc);
        (*budget)--;
    }
    fputs("</ol>\n", out);
    if (left)
        fprintf(out, "<p class=\"muted\">%zu more left out of this page; see "
                "<a href=\"links.json\">links.json</a>.</p>\n", left);
}

/* The citations as a list, the page links folded away below them. */
static void doc_links(FILE *out, const ca_run *run, const struct report_opts *ro,
                      const ca_run_doc *d, const struct region_count rc[2], size_t *budget)
{
    fputs("<p>", out);
    region_line(out, &rc[0], 0);
    fputs(".</p>\n", out);
    if (rc[0].n)
        cite_list(out, run, ro, d, 0, budget);
    if (!rc[1].n)
        return;
    fputs("<details><summary>", out);
    region_line(out, &rc[1], 1);
    fputs(" (menus, footers and other links of the page around the article)</summary>\n", out);
    cite_list(out, run, ro, d, 1, budget);
    fputs("</details>\n", out);
}

static void document(FILE *out, const ca_run *run, const struct report_opts *ro, size_t i,
                     size_t *budget)
{
    const ca_run_doc *d = &run->docs[i];
    struct region_count rc[2];

    count_region(run, ro, d, 0, &rc[0]);
    count_region(run, ro, d, 1, &rc[1]);
    fprintf(out, "<section class=\"doc%s\" id=\"doc-%zu\" aria-labelledby=\"doc-%zu-h\">\n"
            "<h3 id=\"doc-%zu-h\">", rc[0].failing + rc[1].failing ? " has-failing" : "", i, i,
            i);
    html_text(out, d->title ? d->title : d->origin);
    fputs("</h3>\n<dl class=\"meta\">\n", out);
    meta_item(out, "File", d->origin, 0);
    meta_item(out, "URL", d->url, 1);
    meta_item(out, "Outlet", d->outlet ? d->outlet : "unknown", 0);
    meta_item(out, "Published", d->published, 0);
    fputs("</dl>\n", out);
    doc_links(out, run, ro, d, rc, budget);
    if (d->links_dropped)
        fprintf(out, "<p class=\"why\">%zu more %s beyond --max-links were not read.</p>\n",
                d->links_dropped, plural(d->links_dropped, "link", "links"));
    fputs("</section>\n", out);
}

void html_documents_section(FILE *out, const ca_run *run, const struct report_opts *ro)
{
    size_t budget = REPORT_HTML_MAX_ROWS, i, n = 0;

    fputs("<section id=\"documents\" aria-labelledby=\"documents-h\">\n"
          "<h2 id=\"documents-h\">Documents</h2>\n", out);
    for (i = 0; i < run->ndocs; i++) {
        if (run->docs[i].error)
            continue;
        document(out, run, ro, i, &budget);
        n++;
    }
    if (!n)
        fputs("<p>No document was read.</p>\n", out);
    fputs("</section>\n", out);
}
