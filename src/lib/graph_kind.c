/*
 * graph_kind.c - what kind of thing a node of the citation graph is, and
 * how each kind is drawn. The rules (documented in the README, "The
 * citation graph") are tables here and two data files compiled into the
 * library at build time (src/lib/data/, turned into graph_data.c by
 * gen-list.py), so the tool needs no file at run time:
 *
 *   1. government: an account or domain listed in data/gov-accounts.txt;
 *   2. social: any other account on a platform (the key has a '/', see
 *      source.h) - domain rules never look at accounts;
 *   3. government: a domain under one of gov_suffixes[] below;
 *   4. archive: a domain under one of archives[];
 *   5. social: a platform host of platforms[] (x.com, t.me, ...);
 *   6. news: an outlet of the corpus, or a domain in data/news-outlets.txt;
 *   7. other.
 *
 * Keys are already registrable domains (www.gov.uk is its own key, since
 * gov.uk is a public suffix), so a rule matches the key itself or any key
 * ending in "." plus the rule.
 */
#include <stdlib.h>
#include <string.h>

#include "citeaudit/check.h"
#include "citeaudit/source.h"
#include "graph_int.h"

/*
 * Government, military and intergovernmental domains. A rule is a suffix
 * on label boundaries: "gov" matches whitehouse.gov, "gov.ua" matches
 * mod.gov.ua and www.gov.ua.
 */
static const char *const gov_suffixes[] = {
    /* generic and US */
    "gov", "mil",
    /* Ukraine, Russia, Belarus */
    "gov.ua", "mil.gov.ua", "president.gov.ua", "rada.gov.ua",
    "gov.ru", "mil.ru", "kremlin.ru", "government.ru", "mid.ru", "duma.gov.ru",
    "gov.by", "mil.by", "president.gov.by",
    /* Europe */
    "gov.uk", "mod.uk", "parliament.uk", "gouv.fr", "elysee.fr", "bund.de",
    "bundesregierung.de", "bundeswehr.de", "gov.pl", "mon.gov.pl", "gov.it", "gob.es",
    "admin.ch", "gv.at", "government.nl", "rijksoverheid.nl", "regeringen.se",
    "valtioneuvosto.fi", "gov.lv", "gov.lt", "gov.ee", "gov.md", "gov.ro", "gov.cz",
    "gov.sk", "gov.hu", "gov.ie",
    /* elsewhere */
    "gc.ca", "canada.ca", "gov.au", "govt.nz", "gov.in", "gov.il", "gov.tr", "go.jp",
    "gov.cn", "gov.br", "gob.mx",
    /* intergovernmental */
    "europa.eu", "nato.int", "un.org", "osce.org", "coe.int", "iaea.org",
};

/* Web archives: the Wayback Machine (web.archive.org's key is archive.org),
 * archive.today and its mirrors, and the citation archives. */
static const char *const archives[] = {
    "archive.org", "archive.today", "archive.ph", "archive.is", "archive.li", "archive.md",
    "archive.vn", "archive.fo", "perma.cc", "webcitation.org", "ghostarchive.org",
    "archive-it.org", "arquivo.pt", "webarchive.org.uk", "archive.ec",
};

/* Platform hosts whose links did not name an account (x.com/i/..., a
 * YouTube video) still point at a social platform. */
static const char *const platforms[] = {
    "t.me", "telegram.org", "x.com", "facebook.com", "instagram.com", "youtube.com",
    "tiktok.com", "vk.com", "ok.ru", "linkedin.com", "threads.net", "bsky.app",
    "reddit.com", "medium.com", "rumble.com", "github.com", "mastodon.social",
    "truthsocial.com", "gab.com", "whatsapp.com", "snapchat.com", "pinterest.com",
    "tumblr.com", "discord.com", "twitch.tv", "weibo.com", "substack.com",
};

const struct ca__kind_style ca__kind_styles[CA_NODE_KIND_COUNT] = {
    [CA_NODE_NEWS] = {"news outlet", "box", "filled,rounded", "#9ecae1", "#2171b5", "square",
                      {0x9e, 0xca, 0xe1}},
    [CA_NODE_SOCIAL] = {"social account", "ellipse", "filled", "#a1d99b", "#238b45", "disc",
                        {0xa1, 0xd9, 0x9b}},
    [CA_NODE_GOV] = {"government / military", "hexagon", "filled", "#fdae6b", "#d94801",
                     "triangle", {0xfd, 0xae, 0x6b}},
    [CA_NODE_ARCHIVE] = {"web archive", "cylinder", "filled", "#cbc9e2", "#6a51a3", "diamond",
                         {0xcb, 0xc9, 0xe2}},
    [CA_NODE_OTHER] = {"other", "ellipse", "filled", "#f0f0f0", "#737373", "disc",
                       {0xf0, 0xf0, 0xf0}},
    [CA_NODE_ARTICLE] = {"article (document)", "note", "filled", "#ffffcc", "#b8a000", "square",
                         {0xff, 0xff, 0xcc}},
};

const char *ca_node_kind_name(ca_node_kind k)
{
    static const char *const names[] = {"news", "social", "gov", "archive", "other", "article"};

    return (unsigned)k < CA_NODE_KIND_COUNT ? names[k] : "?";
}

const char *ca_edge_kind_name(ca_edge_kind k)
{
    return k == CA_EDGE_CITES       ? "cites"
           : k == CA_EDGE_PUBLISHES ? "publishes"
           : k == CA_EDGE_REUSES    ? "reuses"
                                    : "?";
}

/* Nonzero when key is rule or ends with "." rule. */
static int under(const char *key, size_t klen, const char *rule)
{
    size_t rlen = strlen(rule);

    if (klen == rlen)
        return memcmp(key, rule, rlen) == 0;
    return klen > rlen && key[klen - rlen - 1] == '.' && !memcmp(key + klen - rlen, rule, rlen);
}

static int under_any(const char *key, const char *const *rules, size_t n)
{
    size_t klen = strlen(key), i;

    for (i = 0; i < n; i++)
        if (under(key, klen, rules[i]))
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int listed(const char *key, const char *const *list, size_t n)
{
    return n && bsearch(&key, list, n, sizeof *list, cmp_str) != NULL;
}

ca_node_kind ca_graph_classify(const char *key, int is_outlet)
{
    if (!key || !*key)
        return CA_NODE_OTHER;
    if (listed(key, ca__gov_accounts, ca__gov_accounts_count))
        return CA_NODE_GOV;
    /* Accounts first: a suffix rule must not read "github.com/foo.gov" as a
     * domain under .gov. Every account key comes from the platform table. */
    if (ca_source_is_account(key))
        return CA_NODE_SOCIAL;
    if (under_any(key, gov_suffixes, sizeof gov_suffixes / sizeof *gov_suffixes))
        return CA_NODE_GOV;
    if (under_any(key, archives, sizeof archives / sizeof *archives))
        return CA_NODE_ARCHIVE;
    if (under_any(key, platforms, sizeof platforms / sizeof *platforms))
        return CA_NODE_SOCIAL;
    if (is_outlet || listed(key, ca__news_outlets, ca__news_outlets_count))
        return CA_NODE_NEWS;
    return CA_NODE_OTHER;
}

void ca__graph_classes(unsigned mask, const char *sep, char *buf, size_t n)
{
    size_t used = 0, slen = strlen(sep), len;
    int c;

    if (!n)
        return;
    buf[0] = '\0';
    for (c = 0; c < CA_CLASS_COUNT && c < 32; c++) {
        const char *name = ca_class_name((ca_class)c);

        if (!(mask >> c & 1u))
            continue;
        len = strlen(name);
        if (used + (used ? slen : 0) + len + 1 > n)
            break;
        if (used) {
            memcpy(buf + used, sep, slen);
            used += slen;
        }
        memcpy(buf + used, name, len + 1);
        used += len;
    }
}
