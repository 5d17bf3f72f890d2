#!/usr/bin/env python3
"""provenance.py - provenance in `citeaudit audit`, end to end: what the
cases of `citeaudit provenance` cannot say because they read stdout only.

    provenance.py TOOL SRC WORK [SERVER]

1. The seeds with --no-check --articles: provenance.json holds the issue's
   "done when" (001 and 002 the same text both ways, 002's appeal left out,
   their quotes clustered, the unlinked attributions of 000 and 003, 001's
   Defense Ministry quote with its Telegram link); report.html has the
   provenance section with those rows; graph.dot has the blue "reuses" edge
   between 001 and 002, undirected (same day) and credited (same outlet).
2. With SERVER (the loopback fixture server): audit crawls the cited page
   after the checks (the check's request, then one GET), and provenance.json
   says the quote is supported; a second article copying the first without
   a link, dated later, is an uncredited reuse, dashed in graph.dot.

Exit 0 when everything holds, 1 with the first failure, 77 skip (no server
given is not a skip: part 2 is then left out with a note).
"""

import json
import os
import shutil
import subprocess
import sys
import time

TOOL, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
SERVER = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
SEEDS = os.path.join(SRC, "fixtures", "seeds")


class Fail(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Fail(what)


def run(args, cwd):
    return subprocess.run([TOOL] + args, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_COLOR="1", LC_ALL="C"))


def seeds(work):
    out = os.path.join(work, "seeds")
    p = run(["audit", SEEDS, "--manifest", os.path.join(SEEDS, "MANIFEST.tsv"), "--no-check",
             "--no-store", "--articles", "-o", out], work)
    need(p.returncode == 0, "audit exit %d\n%s" % (p.returncode, p.stderr))
    need("wrote " + os.path.join(out, "provenance.json") in p.stderr, "provenance.json not named")
    doc = json.load(open(os.path.join(out, "provenance.json")))
    names = [os.path.basename(d["origin"]) for d in doc["documents"]]
    i1, i2 = names.index("001_a23207ddeeaba5f7.txt"), names.index("002_baddc1fe5ee2b4c8.txt")
    pairs = [r for r in doc["reuse"] if {r["a"], r["b"]} == {i1, i2}]
    need(len(pairs) == 1, "001/002 not one pair: %s" % doc["reuse"])
    r = pairs[0]
    need(r["a_in_b"] >= 0.9 and r["b_in_a"] >= 0.9 and r["relation"] == "same_text", str(r))
    need(all("Dear readers" not in p["text"] for p in r["passages"]), "the appeal is reuse")
    appeal = [b for b in doc["documents"][i2]["boilerplate"] if b["kind"] == "appeal"]
    need(appeal and appeal[0]["words"] > 150, "002's appeal not left out")
    clusters = [c for c in doc["quote_clusters"] if i1 in c["documents"] and i2 in c["documents"]]
    need(len(clusters) >= 4, "001/002 quote clusters: %d" % len(clusters))
    att = doc["attributions"]
    i0, i3 = names.index("000_6956c90bd74b7ac9.txt"), names.index("003_11234080d2b886d8.txt")
    need(any(a["doc"] == i3 and a["phrase"] == "via Telegram" and not a["linked"] for a in att),
         "003 via Telegram")
    need(any(a["doc"] == i3 and a["kind"] == "credit" and a["platform"] == "Telegram" and
             not a["linked"] for a in att), "003 Mash/Telegram")
    need(any(a["doc"] == i0 and (a["source"] or "").endswith("Gladkov") and not a["linked"]
             for a in att), "000 Gladkov")
    need(any(a["doc"] == i0 and "source among the special services" in (a["source"] or "") and
             not a["linked"] for a in att), "000 special services source")
    need(any(q["doc"] == i1 and q["speaker"] == "the Defense Ministry" and
             q["links"] == ["https://t.me/mod_russia/34256"] for q in doc["quotes"]),
         "001 Defense Ministry quote and its link")
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    need('<section id="provenance"' in page and 'href="#provenance"' in page,
         "no provenance section in report.html")
    need("same text" in page and "Kyiv Post’s source among the special services" in page and
         "Mash" in page, "report.html misses the provenance rows")
    dot = open(os.path.join(out, "graph.dot"), encoding="utf-8").read()
    edge = [l for l in dot.splitlines()
            if "001_a23207ddeeaba5f7.txt\" -> \"fixtures" in l or "class=reuses" in l]
    need(any("class=reuses" in l for l in edge), "no reuses edge in graph.dot")
    need("dir=none" in dot and "shares 100%" in dot, "the reuse edge is not undirected 100%")
    return "seeds: provenance.json, report.html and the reuses edge"


ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}"></head>
<body><article>
<h1>{title}</h1>
<p>The port authority said in a statement that &ldquo;all ferries will run on the winter timetable from the first of December,&rdquo; as its <a href="{base}/notice.html">notice</a> put it on Tuesday.</p>
<p>The change affects the night crossings to the islands, which will stop at eleven instead of one, and the early boats, which will leave half an hour later than in the summer months.</p>
<p>Passengers who booked tickets for cancelled crossings will be moved to the nearest sailing or refunded, the authority added, and season tickets keep their price until the end of the year.</p>
{extra}
</article></body></html>
"""


def server(work):
    d = os.path.join(work, "served")
    os.makedirs(d)
    with open(os.path.join(d, "notice.html"), "w") as f:
        f.write("<html><head><title>Notice</title></head><body><article><h1>Notice</h1>"
                "<p>All ferries will run on the winter timetable from the first of December. "
                "Night crossings stop at eleven.</p></article></body></html>")
    with open(os.path.join(d, "routes"), "w") as f:
        f.write("/notice.html 200 body-file notice.html\n")
    port = os.path.join(d, "port")
    log = os.path.join(d, "log")
    srv = subprocess.Popen([SERVER, "--port-file", port, "--log", log, "--lifetime", "300",
                            os.path.join(d, "routes")], cwd=d, stdout=subprocess.DEVNULL)
    try:
        for _ in range(500):
            if os.path.exists(port):
                break
            time.sleep(0.01)
        base = "http://127.0.0.1:" + open(port).read().strip()
        docs = os.path.join(work, "docs")
        os.makedirs(docs)
        with open(os.path.join(docs, "a.html"), "w") as f:
            f.write(ARTICLE.format(title="Ferries go to winter hours", date="2024-11-20",
                                   base=base, extra=""))
        # the copy: the same text a day later, under another name, no link to a
        with open(os.path.join(docs, "b.html"), "w") as f:
            f.write(ARTICLE.format(title="Winter ferry timetable", date="2024-11-21",
                                   base=base, extra="<p>Reported by our desk.</p>"))
        out = os.path.join(work, "crawl")
        p = run(["audit", docs, "--no-store", "--retries", "0", "--articles", "-o", out], work)
        need(p.returncode == 0, "audit exit %d\n%s" % (p.returncode, p.stderr))
        doc = json.load(open(os.path.join(out, "provenance.json")))
        need(doc["summary"]["pages"] == 1 and doc["summary"]["crawled"], str(doc["summary"]))
        need(any(s["status"] == "supported" and s["url"] == base + "/notice.html"
                 for s in doc["quote_support"]), "quote not supported: %s" % doc["quote_support"])
        names = [os.path.basename(d["origin"]) for d in doc["documents"]]
        r = [r for r in doc["reuse"] if {names[r["a"]], names[r["b"]]} == {"a.html", "b.html"}]
        need(len(r) == 1 and not r[0]["credited"] and names[r[0]["reuser"]] == "b.html",
             "b.html should reuse a.html uncredited: %s" % doc["reuse"])
        dot = open(os.path.join(out, "graph.dot"), encoding="utf-8").read()
        need("class=\"reuses uncredited\"" in dot and "style=dashed" in dot,
             "no dashed uncredited reuses edge")
        # the check asks the page (HEAD, or GET when it reads content), the
        # crawl once more with GET: never more
        asks = [l for l in open(log).read().splitlines() if " /notice.html " in l]
        gets = [l for l in asks if l.startswith("GET ")]
        need(1 <= len(gets) <= 2 and len(asks) <= 3, "the cited page was asked %d times (%d "
             "GET)" % (len(asks), len(gets)))
    finally:
        srv.terminate()
        srv.wait(10)
    return "server: crawl after the checks, quote supported, uncredited reuse dashed"


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    tests = [seeds] + ([server] if SERVER else [])
    for t in tests:
        try:
            print("ok   " + t(WORK))
        except Fail as e:
            print("FAIL %s: %s" % (t.__name__, e))
            return 1
    if not SERVER:
        print("note: no fixture server given; the crawl part was left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
