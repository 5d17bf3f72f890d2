#!/usr/bin/env python3
"""End-to-end tests of `citeaudit audit` on the seed corpus, with no network
needed: the report folder and its files, the default folder, an output that
cannot be written, -q, replacing an old report, and the seeds with no
network at all (a fresh network namespace, where user namespaces are
allowed; that part is skipped otherwise, with a message).

    audit.py CITEAUDIT SOURCE_ROOT

Each scenario prints ok or FAIL with what went wrong. Exit 0 when none
failed. Standard library only.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FILES = ["graph.dot", "graph.svg", "links.json", "broken.txt", "junit.xml", "provenance.json", "rescued.md",
         "report.html"]
# --no-store: a test must neither read nor write the store of the tree it
# runs in (.citeaudit/audit.db), where results would be reused by the next run.
SEEDS = ["fixtures/seeds", "--manifest", "fixtures/seeds/MANIFEST.tsv", "--no-store"]


class Fail(Exception):
    pass


def run(tool, src, args, cwd=None, prefix=()):
    p = subprocess.run(list(prefix) + [tool, "audit"] + args, cwd=cwd or src,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                       env=dict(os.environ, NO_COLOR="1", LC_ALL="C"))
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def want(cond, what, err=""):
    if not cond:
        raise Fail(what + ("\n--- stderr\n" + err if err else ""))


def check_folder(out, err, quiet=False):
    """Every file written, whole and parseable, named on stderr."""
    for name in FILES:
        path = os.path.join(out, name)
        want(os.path.isfile(path) and os.path.getsize(path) > 0, "%s not written" % name, err)
        want(quiet or ("wrote " + path) in err, "stderr does not name %s" % path, err)
    left = [n for n in os.listdir(out) if n not in FILES]
    want(not left, "files left in the folder: %s" % left)
    with open(os.path.join(out, "links.json"), encoding="utf-8") as f:
        doc = json.load(f)
    ET.parse(os.path.join(out, "junit.xml"))
    ET.parse(os.path.join(out, "graph.svg"))
    with open(os.path.join(out, "graph.dot"), encoding="utf-8") as f:
        want("digraph" in f.read(), "graph.dot is not a digraph")
    with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
        page = f.read()
    want(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"),
         "report.html is not a whole page")
    want("<svg" in page and "<?xml" not in page, "report.html does not inline the SVG alone")
    return doc, page


def no_check(tool, src, tmp):
    out = os.path.join(tmp, "r1")
    rc, _, err = run(tool, src, SEEDS + ["-o", out, "--no-check"])
    want(rc == 0, "exit %d, want 0" % rc, err)
    doc, page = check_folder(out, err)
    want(doc["summary"]["total"] == 4 and doc["summary"]["documents"] == 5,
         "links.json: %s" % doc["summary"])
    want(page.count('<tr class="g-') == 4, "report.html: not 4 rows")
    want("Links were not checked in this run (--no-check)" in page and
         "Every link below is <b>unknown</b>" in page, "no --no-check banner")
    want("4 links not checked in 5 documents" in err, "no summary on stderr", err)
    want("report: " + os.path.join(out, "report.html") in err, "stderr does not say where", err)


def default_folder(tool, src, tmp):
    """No -o: citeaudit-report/ in the working directory; a second run
    replaces the files; -q names none of them."""
    work = os.path.join(tmp, "work")
    os.makedirs(work)
    args = [os.path.join(src, a) if a.startswith("fixtures") else a for a in SEEDS]
    rc, _, err = run(tool, src, args + ["--no-check"], cwd=work)
    want(rc == 0, "exit %d" % rc, err)
    out = os.path.join(work, "citeaudit-report")
    check_folder(out, err.replace("wrote citeaudit-report/", "wrote " + out + "/"))
    old = os.stat(os.path.join(out, "report.html")).st_ino
    rc, _, err = run(tool, src, args + ["--no-check", "-q"], cwd=work)
    want(rc == 0, "second run: exit %d" % rc, err)
    want("wrote" not in err, "-q still lists the files", err)
    check_folder(out, err, quiet=True)
    want(os.stat(os.path.join(out, "report.html")).st_ino != old,
         "report.html was not replaced by a new file")


def unwritable(tool, src, tmp):
    """A folder that cannot be made: exit 3 before any work, named."""
    blocker = os.path.join(tmp, "a-file")
    with open(blocker, "w") as f:
        f.write("x")
    for out in (blocker, os.path.join(blocker, "sub"), "/proc/citeaudit-no"):
        rc, _, err = run(tool, src, SEEDS + ["-o", out, "--no-check"])
        want(rc == 3, "-o %s: exit %d, want 3" % (out, rc), err)
        want("the report folder" in err and "-o DIR" in err,
             "-o %s: the error does not name the folder" % out, err)
    rc, _, err = run(tool, src, SEEDS + ["--output", ""])
    want(rc == 2, "--output '': exit %d, want 2" % rc, err)


def no_network(tool, src, tmp):
    if subprocess.run(["unshare", "-rn", "true"], stderr=subprocess.DEVNULL).returncode != 0:
        print("  (skipped: unshare -rn is not permitted here)")
        return
    out = os.path.join(tmp, "offline")
    rc, _, err = run(tool, src, SEEDS + ["-o", out], prefix=["unshare", "-rn"])
    want(rc == 3, "exit %d, want 3" % rc, err)
    doc, page = check_folder(out, err)
    want(doc["network_down"] is True, "links.json: network_down is not true")
    want(doc["summary"]["by_status"]["unknown"] == 4, "not 4 unknown")
    want("no network" in err.lower(), "stderr does not say 'no network'", err)
    want("No network: no link could be checked." in page, "report.html has no banner")
    with open(os.path.join(out, "broken.txt"), encoding="utf-8") as f:
        text = f.read()
    want("no network" in text and "dead" not in text, "broken.txt: %s" % text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: audit.py CITEAUDIT SOURCE_ROOT")
    tool, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="citeaudit-audit-")
    failed = 0
    try:
        for t in (no_check, default_folder, unwritable, no_network):
            try:
                t(tool, src, tmp)
                print("ok   %s" % t.__name__)
            except Fail as e:
                failed += 1
                print("FAIL %s: %s" % (t.__name__, e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
