#!/usr/bin/env python3
"""report-xml.py - the JUnit report of test-report's run, read back with a
real XML parser: well-formed, the counts of <testsuites> and of each
<testsuite> equal to what its test cases hold, every failure typed with a
status class. When $CITEAUDIT_JUNIT_XSD names a JUnit schema (such as the
Jenkins xUnit plugin's junit-10.xsd) and xmllint is installed, the output
is validated against it too; no schema is shipped, none is downloaded.

usage: report-xml.py TEST-REPORT-EXECUTABLE
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

CLASSES = {"dead", "soft404", "forbidden", "ratelimited", "server_error", "timeout",
           "dns", "unreachable", "tls", "invalid", "unknown", "excluded", "blocked",
           "unsupported", "redirected", "ok"}


def fail(msg):
    print("report-xml: " + msg, file=sys.stderr)
    sys.exit(1)


def check_suite(suite):
    cases = suite.findall("testcase")
    if len(cases) != len(list(suite)):
        fail("testsuite %s has children other than testcase" % suite.get("name"))
    counts = {"tests": len(cases),
              "failures": sum(1 for c in cases if c.find("failure") is not None),
              "errors": sum(1 for c in cases if c.find("error") is not None),
              "skipped": sum(1 for c in cases if c.find("skipped") is not None)}
    for key, n in counts.items():
        if suite.get(key) != str(n):
            fail("testsuite %s: %s=%s, its cases say %d" % (suite.get("name"), key,
                                                           suite.get(key), n))
    names = set()
    for c in cases:
        key = (c.get("classname"), c.get("name"))
        if key in names:
            fail("two test cases named %r" % (key,))
        names.add(key)
        f = c.find("failure")
        if f is not None and f.get("type") not in CLASSES:
            fail("failure type %r is not a status class" % f.get("type"))
    return counts


def main():
    if len(sys.argv) != 2:
        fail("usage: report-xml.py TEST-REPORT-EXECUTABLE")
    out = subprocess.run([sys.argv[1], "--emit", "junit"], check=True,
                         stdout=subprocess.PIPE).stdout
    root = ET.fromstring(out)
    if root.tag != "testsuites":
        fail("root element is %s" % root.tag)
    total = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        counts = check_suite(suite)
        for key in total:
            total[key] += counts[key]
    for key, n in total.items():
        if root.get(key) != str(n):
            fail("testsuites %s=%s, the suites say %d" % (key, root.get(key), n))
    xsd = os.environ.get("CITEAUDIT_JUNIT_XSD")
    if xsd and shutil.which("xmllint"):
        with tempfile.NamedTemporaryFile(suffix=".xml") as f:
            f.write(out)
            f.flush()
            r = subprocess.run(["xmllint", "--noout", "--schema", xsd, f.name])
            if r.returncode != 0:
                fail("not valid against " + xsd)
        print("report-xml: valid against " + xsd)
    print("report-xml: %d suites, %d tests, %d failures, %d errors" %
          (len(root.findall("testsuite")), total["tests"], total["failures"], total["errors"]))


main()
