#!/usr/bin/env python3
"""Run the end-to-end scenario cases tests/cases/*.case against citeaudit.

usage: run-cases.py CITEAUDIT SOURCE_ROOT [--keep] [CASE...]

Each case runs in a fresh temporary directory (@TMP@), which is removed
afterwards unless --keep is given. The case file format is described in
tests/cases/README.md. Exit status: 0 when no case failed (skipped cases
do not fail), 1 when one failed, 2 on bad usage or a malformed case file.

Standard library only: this runs wherever meson runs.
"""

import codecs
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEFAULT_TIMEOUT = 60

# Sections whose body is text (placeholders expanded) or a list of lines.
TEXT_SECTIONS = {"description", "stdin", "expect-stdout", "expect-stderr"}
LINE_SECTIONS = {
    "args", "env", "cwd", "timeout", "expect-exit",
    "expect-stdout-contains", "expect-stdout-not-contains",
    "expect-stdout-regex", "expect-stdout-not-regex",
    "expect-stderr-contains", "expect-stderr-not-contains",
    "expect-stderr-regex", "expect-stderr-not-regex",
    "expect-stdout-lines", "expect-jsonl", "expect-jsonl-contains", "expect-jsonl-all",
}
# Sections that take a parameter on the header line and may repeat.
PARAM_SECTIONS = {"file", "file-escaped", "generate"}
HEADER = re.compile(r"^# ([a-z][a-z-]*)(?:[ \t]+(.*?))?[ \t]*$")


class CaseError(Exception):
    """The case file is malformed."""


class Skip(Exception):
    """The case cannot run meaningfully here (reason given)."""


def parse_case(path):
    """Parse a case file into a list of (name, param, body_lines)."""
    sections, cur = [], None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        m = HEADER.match(line)
        name = m.group(1) if m else None
        if name in TEXT_SECTIONS or name in LINE_SECTIONS or name in PARAM_SECTIONS:
            if name in PARAM_SECTIONS and not m.group(2):
                raise CaseError("%s:%d: '# %s' needs a file name" % (path, n, name))
            if name not in PARAM_SECTIONS and m.group(2):
                raise CaseError("%s:%d: '# %s' takes no parameter" % (path, n, name))
            cur = (name, m.group(2), [])
            sections.append(cur)
        elif name and name.startswith("expect"):
            raise CaseError("%s:%d: unknown section '# %s'" % (path, n, name))
        elif cur is None:
            if line.strip():
                raise CaseError("%s:%d: text before the first section" % (path, n))
        else:
            cur[2].append(line)
    seen = set()
    for name, _, _ in sections:
        if name not in PARAM_SECTIONS and name in seen:
            raise CaseError("%s: section '# %s' given twice" % (path, name))
        seen.add(name)
    if "args" not in seen:
        raise CaseError("%s: no '# args' section" % path)
    return sections


def text_of(lines):
    """Section body as text: trailing blank lines dropped, one newline a line."""
    lines = list(lines)
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(l + "\n" for l in lines)


def nonblank(lines):
    return [l for l in lines if l.strip()]


def parse_size(s):
    m = re.fullmatch(r"(\d+)([KMG]?)", s.strip(), re.I)
    if not m:
        raise CaseError("'%s' is not a size (bytes, optionally with K, M or G)" % s)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2).upper()]


# ---- generators: big or awkward inputs written by the runner --------------

def gen_binary(path, size):
    """A PDF-like header followed by bytes with many NULs (deterministic)."""
    size = parse_size(size)
    out, x = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), 12345
    while len(out) < size:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(0 if x % 3 == 0 else (x >> 16) & 0xFF)
    with open(path, "wb") as f:
        f.write(bytes(out[:size]))


LOREM = ("The council met again on Tuesday to discuss the budget, the roads and "
         "the new library, and residents spoke for several hours about each. ")


def gen_html_filler(path, size):
    """A valid HTML article of about size bytes with one link in its body."""
    size = parse_size(size)
    head = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Filler</title>"
            "</head><body><article><h1>Filler</h1>\n<p>See <a href=\"https://example.org/"
            "report\">the report</a>.</p>\n")
    tail = "</article></body></html>\n"
    para = "<p>" + LOREM * 8 + "</p>\n"
    n = max(0, (size - len(head) - len(tail)) // len(para) + 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + para * n + tail)


def gen_html_links(path, count):
    """An HTML article whose body cites count distinct URLs, ten a paragraph."""
    count = int(count)
    parts = ["<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Sources</title>"
             "</head><body><article><h1>Every source</h1>\n"]
    for i in range(0, count, 10):
        links = ", ".join('<a href="https://example.org/source/%d">source %d</a>' % (j, j)
                          for j in range(i, min(i + 10, count)))
        parts.append("<p>We relied on %s.</p>\n" % links)
    parts.append("</article></body></html>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))


def gen_text_links(path, count):
    """A plain-text document citing count distinct URLs, one a line."""
    count = int(count)
    with open(path, "w", encoding="utf-8") as f:
        f.write("Sources for this story:\n\n")
        for i in range(count):
            f.write("Source %d: https://example.org/source/%d\n" % (i, i))


def gen_md_brackets(path, depth):
    """Markdown with a reference definition and depth nested brackets around
    a real link: md4c 0.4.8 is quadratic in that nesting (md4c issue #172)."""
    depth = int(depth)
    with open(path, "w", encoding="utf-8") as f:
        f.write("[x]: /foo\n\n" + "[" * depth +
                " see [the report](https://example.org/report) " + "]" * depth + "\n")


def gen_unreadable_dir(path):
    """A directory holding one article, with all permissions removed."""
    os.makedirs(path)
    with open(os.path.join(path, "story.md"), "w", encoding="utf-8") as f:
        f.write("# Story\n\nSee [the report](https://example.org/report).\n")
    os.chmod(path, 0)
    try:
        os.listdir(path)
    except PermissionError:
        return
    raise Skip("chmod 000 does not stop this process from reading '%s' (running as root "
               "or with CAP_DAC_OVERRIDE?); the unreadable-directory case cannot be tested "
               "here" % os.path.basename(path))


GENERATORS = {
    "binary": (gen_binary, 1),
    "html-filler": (gen_html_filler, 1),
    "html-links": (gen_html_links, 1),
    "md-brackets": (gen_md_brackets, 1),
    "text-links": (gen_text_links, 1),
    "unreadable-dir": (gen_unreadable_dir, 0),
}


# ---- running and checking --------------------------------------------------

class Case:
    def __init__(self, path, src, tmp):
        self.path = path
        self.sections = parse_case(path)
        self.src, self.tmp = src, tmp
        self.by_name = {n: (p, b) for n, p, b in self.sections}

    def expand(self, s, regex=False):
        src, tmp = (re.escape(self.src), re.escape(self.tmp)) if regex else (self.src, self.tmp)
        return s.replace("@SRC@", src).replace("@TMP@", tmp)

    def lines(self, name, regex=False):
        return [self.expand(l, regex) for l in nonblank(self.by_name[name][1])]

    def has(self, name):
        return name in self.by_name

    def tmp_path(self, rel):
        rel = self.expand(rel)
        full = os.path.normpath(os.path.join(self.tmp, rel))
        if not (full + os.sep).startswith(self.tmp + os.sep):
            raise CaseError("%s: '%s' is outside @TMP@" % (self.path, rel))
        return full

    def prepare(self):
        """Write the case's files and generated inputs into @TMP@."""
        for name, param, body in self.sections:
            if name not in PARAM_SECTIONS:
                continue
            if name == "generate":
                words = param.split()
                if len(words) < 2 or words[1] not in GENERATORS:
                    raise CaseError("%s: '# generate %s': want NAME KIND [ARG], KIND one of %s"
                                    % (self.path, param, ", ".join(sorted(GENERATORS))))
                fn, nargs = GENERATORS[words[1]]
                if len(words) != 2 + nargs:
                    raise CaseError("%s: '# generate %s': %s takes %d argument(s)"
                                    % (self.path, param, words[1], nargs))
                target = self.tmp_path(words[0])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                fn(target, *words[2:])
                continue
            target = self.tmp_path(param)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            text = self.expand(text_of(body))
            if name == "file-escaped":
                data = codecs.escape_decode(text.encode("utf-8"))[0]
            else:
                data = text.encode("utf-8")
            with open(target, "wb") as f:
                f.write(data)

    def run(self, citeaudit):
        args = [citeaudit] + [a.strip() for a in self.lines("args")]
        env = dict(os.environ, NO_COLOR="1", LC_ALL="C")
        env["HOME"] = self.tmp  # no user configuration leaks into a case
        if self.has("env"):
            for l in self.lines("env"):
                k, sep, v = l.partition("=")
                if not sep:
                    raise CaseError("%s: '# env' line '%s' is not NAME=VALUE" % (self.path, l))
                env[k.strip()] = v
        cwd = self.lines("cwd")[0] if self.has("cwd") else self.tmp
        timeout = int(self.lines("timeout")[0]) if self.has("timeout") else DEFAULT_TIMEOUT
        stdin = self.expand(text_of(self.by_name["stdin"][1])).encode("utf-8") \
            if self.has("stdin") else b""
        p = subprocess.run(args, input=stdin, capture_output=True, cwd=cwd, env=env,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace")

    def check(self, code, out, err):
        """Return the list of failed expectations."""
        fails = []
        want = int(self.lines("expect-exit")[0]) if self.has("expect-exit") else 0
        if code != want:
            fails.append("exit status %d, expected %d" % (code, want))
        for stream, text in (("stdout", out), ("stderr", err)):
            if self.has("expect-" + stream):
                exp = self.expand(text_of(self.by_name["expect-" + stream][1]))
                if text != exp:
                    fails.append("%s differs from the expected text:\n%s" % (
                        stream, indent_diff(exp, text)))
            if self.has("expect-%s-contains" % stream):
                for s in self.lines("expect-%s-contains" % stream):
                    if s not in text:
                        fails.append("%s does not contain %r" % (stream, s))
            if self.has("expect-%s-not-contains" % stream):
                for s in self.lines("expect-%s-not-contains" % stream):
                    if s in text:
                        fails.append("%s contains %r" % (stream, s))
            if self.has("expect-%s-regex" % stream):
                for s in self.lines("expect-%s-regex" % stream, regex=True):
                    if not re.search(s, text, re.M):
                        fails.append("%s does not match /%s/" % (stream, s))
            if self.has("expect-%s-not-regex" % stream):
                for s in self.lines("expect-%s-not-regex" % stream, regex=True):
                    if re.search(s, text, re.M):
                        fails.append("%s matches /%s/" % (stream, s))
        if self.has("expect-stdout-lines"):
            n, want_n = len(out.splitlines()), int(self.lines("expect-stdout-lines")[0])
            if n != want_n:
                fails.append("stdout has %d lines, expected %d" % (n, want_n))
        if any(self.has(s) for s in ("expect-jsonl", "expect-jsonl-contains",
                                     "expect-jsonl-all")):
            fails += self.check_jsonl(out)
        return fails

    def json_lines(self, name):
        objs = []
        for l in self.lines(name):
            try:
                o = json.loads(l)
            except ValueError as e:
                raise CaseError("%s: '# %s' line is not JSON (%s): %s" % (self.path, name, e, l))
            if not isinstance(o, dict):
                raise CaseError("%s: '# %s' line is not a JSON object: %s" % (self.path, name, l))
            objs.append(o)
        return objs

    def check_jsonl(self, out):
        recs = []
        for n, l in enumerate(out.splitlines(), 1):
            try:
                r = json.loads(l)
            except ValueError:
                return ["stdout line %d is not JSON: %.200s" % (n, l)]
            if not isinstance(r, dict):
                return ["stdout line %d is not a JSON object" % n]
            recs.append(r)
        fails = []
        if self.has("expect-jsonl"):
            exp = self.json_lines("expect-jsonl")
            if len(recs) != len(exp):
                fails.append("stdout has %d records, expected %d" % (len(recs), len(exp)))
            unmatched = match(exp, recs)
            for e in unmatched:
                fails.append("no record matches %s" % json.dumps(e, ensure_ascii=False))
            if fails:
                fails.append("records:\n" + "".join("    %s\n" % json.dumps(
                    short(r), ensure_ascii=False) for r in recs).rstrip("\n"))
        if self.has("expect-jsonl-contains"):
            for e in self.json_lines("expect-jsonl-contains"):
                if not any(subset(e, r) for r in recs):
                    fails.append("no record matches %s" % json.dumps(e, ensure_ascii=False))
        if self.has("expect-jsonl-all"):
            for e in self.json_lines("expect-jsonl-all"):
                for r in recs:
                    if not subset(e, r):
                        fails.append("record does not match %s: %s" % (
                            json.dumps(e, ensure_ascii=False),
                            json.dumps(short(r), ensure_ascii=False)))
                        break
        return fails


def subset(exp, rec):
    """Every key of exp is in rec with an equal value."""
    return all(k in rec and rec[k] == v for k, v in exp.items())


def match(exp, recs):
    """Match each expected object to a distinct record (bipartite matching);
    return the expected objects left unmatched."""
    owner = {}  # record index -> expected index

    def augment(i, seen):
        for j, r in enumerate(recs):
            if j in seen or not subset(exp[i], r):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(exp)):
        augment(i, set())
    matched = set(owner.values())
    return [e for i, e in enumerate(exp) if i not in matched]


def short(rec):
    keep = ("doc", "line", "region", "kind", "url", "source")
    return {k: rec[k] for k in keep if k in rec}


def indent_diff(exp, got, limit=20):
    import difflib
    d = list(difflib.unified_diff(exp.splitlines(), got.splitlines(), "expected", "got",
                                  lineterm=""))
    if len(d) > limit:
        d = d[:limit] + ["... (%d more lines)" % (len(d) - limit)]
    return "\n".join("    " + l for l in d)


def restore_perms(top):
    """Give back the permissions a generator took away, so the tree can go.
    os.walk lists a directory only after this loop has restored its mode."""
    for dirpath, dirnames, _ in os.walk(top):
        for d in dirnames:
            try:
                os.chmod(os.path.join(dirpath, d), 0o700)
            except OSError:
                pass


def describe_case(case):
    if case.has("description"):
        first = nonblank(case.by_name["description"][1])
        return first[0].strip() if first else ""
    return ""


def run_one(path, citeaudit, src, keep):
    """Return ('ok'|'FAIL'|'SKIP', title, details)."""
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="citeaudit-case-"))
    try:
        case = Case(path, src, tmp)
        title = describe_case(case)
        try:
            case.prepare()
        except Skip as e:
            return "SKIP", title, [str(e)]
        try:
            code, out, err = case.run(citeaudit)
        except subprocess.TimeoutExpired as e:
            return "FAIL", title, ["timed out after %s s" % e.timeout]
        fails = case.check(code, out, err)
        if fails:
            fails.append("command: %s" % " ".join(case.lines("args")))
            fails.append("stdout (%d bytes):\n%s" % (len(out), clip(out)))
            fails.append("stderr:\n%s" % clip(err))
            if keep:
                fails.append("kept %s" % tmp)
            return "FAIL", title, fails
        return "ok", title, []
    finally:
        restore_perms(tmp)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def clip(s, limit=1500):
    s = s if len(s) <= limit else s[:limit] + "\n... (%d more bytes)" % (len(s) - limit)
    return "\n".join("    | " + l for l in s.splitlines()) if s else "    (empty)"


def main(argv):
    args = argv[1:]
    keep = "--keep" in args
    args = [a for a in args if a != "--keep"]
    if len(args) < 2 or args[0] in ("-h", "--help"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    citeaudit, src, only = os.path.abspath(args[0]), os.path.realpath(args[1]), args[2:]
    casedir = os.path.join(src, "tests", "cases")
    if not os.access(citeaudit, os.X_OK):
        sys.stderr.write("error: '%s' is not an executable\n" % citeaudit)
        return 2
    if not os.path.isdir(casedir):
        sys.stderr.write("error: no cases directory '%s'\n" % casedir)
        return 2
    names = sorted(f[:-5] for f in os.listdir(casedir) if f.endswith(".case"))
    if only:
        wanted = [o[:-5] if o.endswith(".case") else os.path.basename(o) for o in only]
        unknown = [w for w in wanted if w not in names]
        if unknown:
            sys.stderr.write("error: no such case: %s\n" % ", ".join(unknown))
            return 2
        names = wanted
    counts = {"ok": 0, "FAIL": 0, "SKIP": 0}
    failed = []
    for name in names:
        try:
            status, title, details = run_one(os.path.join(casedir, name + ".case"),
                                             citeaudit, src, keep)
        except CaseError as e:
            sys.stderr.write("error: malformed case: %s\n" % e)
            return 2
        counts[status] += 1
        print("%-4s %s  %s" % (status, name, title))
        for d in details:
            print("\n".join("       " + l for l in d.splitlines()))
        if status == "FAIL":
            failed.append(name)
    print("\n%d cases: %d ok, %d failed, %d skipped" % (
        len(names), counts["ok"], counts["FAIL"], counts["SKIP"]))
    if failed:
        print("failed: " + " ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
