#!/usr/bin/env python3
"""Score `citeaudit extract` on the HTML fixtures in fixtures/html/.

usage: run-extract-cases.py CITEAUDIT SOURCE_ROOT [-v] [PAGE...]

For every fixtures/html/NAME.html (or only the PAGEs named), run

    CITEAUDIT extract --format jsonl --base-url BASE NAME.html

keep the records with "region": "body" whose URL is http(s), and compare
that set with NAME.expected (one URL a line). Prints per-page precision and
recall with the missing and extra URLs, then the totals. Exit status: 0
when every page matches, 1 when one differs or a run fails, 2 on bad usage.

Standard library only: this runs wherever meson runs.
"""

import json
import os
import subprocess
import sys

BASE_URL = "https://news.example.com/2024/01/story.html"
TIMEOUT = 60


def lint_expected(path, lines):
    """Problems with an .expected file itself (it is a sorted set of URLs)."""
    problems = []
    urls = [l for l in lines if l.strip()]
    if urls != sorted(urls):
        problems.append("not sorted")
    if len(set(urls)) != len(urls):
        problems.append("has duplicate lines")
    for u in urls:
        if u != u.strip():
            problems.append("surrounding whitespace in %r" % u)
        if not u.startswith(("http://", "https://")):
            problems.append("not an http(s) URL: %s" % u)
        if "#" in u:
            problems.append("has a fragment: %s" % u)
    return problems


def run_page(citeaudit, page):
    """Run extract on page; return (body_urls, records_by_url, error or None)."""
    cmd = [citeaudit, "extract", "--format", "jsonl", "--base-url", BASE_URL, page]
    env = dict(os.environ, NO_COLOR="1")
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return None, None, "timed out after %d s" % TIMEOUT
    except OSError as e:
        return None, None, "cannot run %s: %s" % (citeaudit, e)
    stderr = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode != 0:
        return None, None, "exit status %d%s" % (
            p.returncode, (": " + stderr) if stderr else "")
    got, recs = set(), {}
    for n, raw in enumerate(p.stdout.decode("utf-8", "replace").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except ValueError as e:
            return None, None, "stdout line %d is not JSON (%s): %.200s" % (n, e, raw)
        if not isinstance(rec, dict):
            return None, None, "stdout line %d is not a JSON object" % n
        url = rec.get("url") or ""
        if rec.get("region") != "body":
            continue
        if not url.lower().startswith(("http://", "https://")):
            continue
        got.add(url)
        recs.setdefault(url, rec)
    return got, recs, None


def describe(rec):
    """Where an extra citation came from, for the report."""
    text = (rec.get("text") or "").replace("\n", " ")
    if len(text) > 60:
        text = text[:57] + "..."
    return "line %s:%s %s%s" % (rec.get("line"), rec.get("col"), rec.get("kind"),
                                (' "%s"' % text) if text else "")


def ratio(a, b):
    return a / b if b else 1.0


def main(argv):
    args = [a for a in argv[1:] if a not in ("-v", "--verbose")]
    verbose = len(args) != len(argv) - 1
    if len(args) < 2 or args[0] in ("-h", "--help"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    citeaudit, root, only = os.path.abspath(args[0]), args[1], args[2:]
    fixdir = os.path.join(root, "fixtures", "html")
    if not os.access(citeaudit, os.X_OK):
        sys.stderr.write("error: '%s' is not an executable\n" % citeaudit)
        return 2
    if not os.path.isdir(fixdir):
        sys.stderr.write("error: no fixtures directory '%s'\n" % fixdir)
        return 2
    names = sorted(f[:-5] for f in os.listdir(fixdir) if f.endswith(".html"))
    if only:
        wanted = [o[:-5] if o.endswith(".html") else o for o in only]
        unknown = [w for w in wanted if w not in names]
        if unknown:
            sys.stderr.write("error: no such page: %s\n" % ", ".join(unknown))
            return 2
        names = wanted
    if not names:
        sys.stderr.write("error: no pages in '%s'\n" % fixdir)
        return 2

    failed, tp_all, got_all, exp_all, precs, recs_ = [], 0, 0, 0, [], []
    width = max(len(n) for n in names)
    for name in names:
        page = os.path.join(fixdir, name + ".html")
        exp_path = os.path.join(fixdir, name + ".expected")
        try:
            with open(exp_path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError as e:
            print("FAIL %-*s  cannot read %s: %s" % (width, name, exp_path, e.strerror))
            failed.append(name)
            continue
        problems = lint_expected(exp_path, lines)
        if problems:
            print("FAIL %-*s  %s.expected: %s" % (width, name, name, "; ".join(problems)))
            failed.append(name)
            continue
        expected = set(l for l in lines if l.strip())
        got, recs, err = run_page(citeaudit, page)
        if err:
            print("FAIL %-*s  %s" % (width, name, err))
            failed.append(name)
            continue
        tp = len(expected & got)
        p, r = ratio(tp, len(got)), ratio(tp, len(expected))
        tp_all, got_all, exp_all = tp_all + tp, got_all + len(got), exp_all + len(expected)
        precs.append(p)
        recs_.append(r)
        ok = got == expected
        print("%s %-*s  precision %5.3f  recall %5.3f  (%d expected, %d found, %d right)" % (
            "ok  " if ok else "FAIL", width, name, p, r, len(expected), len(got), tp))
        for u in sorted(expected - got):
            print("       missing  %s" % u)
        for u in sorted(got - expected):
            print("       extra    %s   [%s]" % (u, describe(recs[u])))
        if verbose:
            for u in sorted(expected & got):
                print("       right    %s" % u)
        if not ok:
            failed.append(name)

    mp, mr = ratio(tp_all, got_all), ratio(tp_all, exp_all)
    f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    print()
    print("pages: %d, matching: %d, differing or failed: %d" % (
        len(names), len(names) - len(failed), len(failed)))
    print("micro: precision %.3f  recall %.3f  F1 %.3f  over %d expected URLs" % (
        mp, mr, f1, exp_all))
    if precs:
        print("macro: precision %.3f  recall %.3f  over %d scored pages" % (
            sum(precs) / len(precs), sum(recs_) / len(recs_), len(precs)))
    if failed:
        print("failed: " + " ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
