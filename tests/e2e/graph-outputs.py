#!/usr/bin/env python3
"""graph-outputs.py - the graph's outputs checked by other tools.

    graph-outputs.py goldens TOOL SRC WORKDIR
    graph-outputs.py dot TOOL TEST_GRAPH SRC WORKDIR
    graph-outputs.py xml TOOL TEST_GRAPH SRC WORKDIR

goldens: graphs/regenerate rebuilds the golden graphs of the bundled
corpus into WORKDIR; each must equal the committed file in graphs/ byte
for byte (a difference prints the first lines of a diff and how to update
the goldens when the change is intended).

dot: Graphviz's own `dot` reads every DOT we write (the goldens, and
test-graph's hand-built run with failing edges, self-citations and a
document name full of quotes, markup and a trailing backslash) and
renders it without a word on stderr. Skipped (exit 77, with the reason)
when `dot` is not installed.

xml: xmllint validates GraphML and GEXF (the seeds in both views, and the
hand-built run) against the schemas under tests/schemas/. Skipped (exit
77) when xmllint is not installed.

Standard library only. Exit 0 ok, 1 a check failed, 77 skipped.
"""
import difflib
import os
import shutil
import subprocess
import sys

SKIP = 77
GOLDENS = ["seeds.dot", "seeds.svg", "seeds.gexf", "seeds-articles.dot", "seeds-articles.svg"]
SEEDS = ["fixtures/seeds", "--manifest", "fixtures/seeds/MANIFEST.tsv", "--no-check", "--no-store",
         "-q"]


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                          **kw)


def produce(tool, test_graph, src, work, fmt):
    """Write the seeds (both views) and the hand-built run as fmt; their paths."""
    paths = []
    for name, extra in (("seeds", []), ("seeds-articles", ["--articles"])):
        path = os.path.join(work, "%s.%s" % (name, fmt))
        r = run([tool, "graph"] + SEEDS + extra + ["-f", fmt, "-o", path], cwd=src)
        if r.returncode != 0:
            raise SystemExit("graph-outputs: citeaudit graph -f %s failed (%d): %s"
                             % (fmt, r.returncode, r.stderr.decode(errors="replace")))
        paths.append(path)
    for name, extra in (("hand", []), ("hand-articles", ["articles"])):
        path = os.path.join(work, "%s.%s" % (name, fmt))
        r = run([test_graph, "--emit", fmt] + extra)
        if r.returncode != 0:
            raise SystemExit("graph-outputs: test-graph --emit %s failed (%d): %s"
                             % (fmt, r.returncode, r.stderr.decode(errors="replace")))
        with open(path, "wb") as f:
            f.write(r.stdout)
        paths.append(path)
    return paths


def goldens(tool, src, work):
    r = run([os.path.join(src, "graphs", "regenerate"), tool, work])
    if r.returncode != 0:
        print("graphs/regenerate failed (%d):\n%s" % (r.returncode,
                                                     r.stderr.decode(errors="replace")))
        return 1
    bad = 0
    for name in GOLDENS:
        want_path = os.path.join(src, "graphs", name)
        with open(want_path, "rb") as f:
            want = f.read()
        with open(os.path.join(work, name), "rb") as f:
            got = f.read()
        if got == want:
            print("ok   graphs/%s (%d bytes)" % (name, len(got)))
            continue
        bad += 1
        print("FAIL graphs/%s differs from a fresh run:" % name)
        diff = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                    got.decode(errors="replace").splitlines(),
                                    "graphs/" + name, "fresh/" + name, lineterm="", n=1)
        for i, line in enumerate(diff):
            if i == 40:
                print("     ...")
                break
            print("     " + line)
    if bad:
        print("%d golden graph(s) differ; if the change is intended, run "
              "'graphs/regenerate build/src/cli/citeaudit' and commit graphs/" % bad)
    return 1 if bad else 0


def dot_reads(tool, test_graph, src, work):
    dot = shutil.which("dot")
    if not dot:
        print("SKIP: Graphviz's dot is not installed (Debian: apt-get install graphviz), "
              "so nothing checks that it reads our DOT")
        return SKIP
    paths = [os.path.join(src, "graphs", n) for n in GOLDENS if n.endswith(".dot")]
    paths += produce(tool, test_graph, src, work, "dot")
    bad = 0
    for path in paths:
        r = run([dot, "-Tsvg", path, "-o", os.devnull])
        if r.returncode != 0 or r.stderr:
            bad += 1
            print("FAIL dot -Tsvg %s: exit %d\n%s" % (path, r.returncode,
                                                     r.stderr.decode(errors="replace")))
        else:
            print("ok   dot reads %s" % os.path.relpath(path, work if path.startswith(work)
                                                         else src))
    return 1 if bad else 0


def xml_valid(tool, test_graph, src, work):
    xmllint = shutil.which("xmllint")
    if not xmllint:
        print("SKIP: xmllint is not installed (Debian: apt-get install libxml2-utils), "
              "so GraphML and GEXF are not validated")
        return SKIP
    schemas = {"graphml": os.path.join(src, "tests", "schemas", "graphml", "graphml.xsd"),
               "gexf": os.path.join(src, "tests", "schemas", "gexf-1.2", "gexf.xsd")}
    bad = 0
    for fmt, xsd in schemas.items():
        for path in produce(tool, test_graph, src, work, fmt):
            r = run([xmllint, "--noout", "--nonet", "--schema", xsd, path])
            if r.returncode != 0:
                bad += 1
                print("FAIL %s against %s:\n%s" % (os.path.basename(path),
                                                  os.path.relpath(xsd, src),
                                                  r.stderr.decode(errors="replace")))
            else:
                print("ok   %s valid against %s" % (os.path.basename(path),
                                                    os.path.relpath(xsd, src)))
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2 or argv[1] not in ("goldens", "dot", "xml"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, args = argv[1], [os.path.abspath(a) for a in argv[2:]]
    work = args[-1]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    if mode == "goldens":
        return goldens(args[0], args[1], work)
    if mode == "dot":
        return dot_reads(args[0], args[1], args[2], work)
    return xml_valid(args[0], args[1], args[2], work)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
