#!/usr/bin/env python3
"""Run the end-to-end scenario cases tests/cases/*.case against citeaudit.

usage: run-cases.py CITEAUDIT SOURCE_ROOT [--keep] [--server FIXTURE_SERVER]
                    [--glob PATTERN]... [-j N] [CASE...]

Each case runs in a fresh temporary directory (@TMP@), which is removed
afterwards unless --keep is given. A case with a '# server' section gets
its own fixture server (tests/server), started before and stopped after the
command; without --server such cases are skipped. --glob picks the cases
whose names match (e.g. 'check-*'); -j runs N cases at a time (output stays
in order). The case file format is described in tests/cases/README.md. Exit
status: 0 when no case failed (skipped cases do not fail), 1 when one
failed, 2 on bad usage or a malformed case file.

Standard library only: this runs wherever meson runs.
"""

import argparse
import codecs
import concurrent.futures
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docexpect  # noqa: E402
import fixture  # noqa: E402

DEFAULT_TIMEOUT = 60
DEFAULT_SERVER_TIMEOUT = 30  # cases with a fixture server
SERVER_LIFETIME_MARGIN = 30  # the server outlives the command by this much at most

# Sections whose body is text (placeholders expanded) or a list of lines.
TEXT_SECTIONS = {"description", "stdin", "expect-stdout", "expect-stderr", "server"}
LINE_SECTIONS = {
    "args", "env", "cwd", "timeout", "expect-exit",
    "expect-stdout-contains", "expect-stdout-not-contains",
    "expect-stdout-regex", "expect-stdout-not-regex",
    "expect-stderr-contains", "expect-stderr-not-contains",
    "expect-stderr-regex", "expect-stderr-not-regex",
    "expect-stdout-lines", "expect-jsonl", "expect-jsonl-contains", "expect-jsonl-all",
    "expect-json", "expect-xml", "expect-xml-wellformed",
    "expect-server-requests", "expect-server-log-contains",
    "expect-server-log-not-contains", "expect-server-log-regex",
    "expect-server-log-not-regex",
}
# Placeholders only a running fixture server gives a value.
SERVER_PLACEHOLDERS = ("@PORT@", "@BASE@")
# Sections that take a parameter on the header line and may repeat.
PARAM_SECTIONS = {"file", "file-escaped", "generate", "expect-file-contains"}
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
        # @PORT@ and @BASE@ join once the fixture server listens.
        self.values = {"@SRC@": src, "@TMP@": tmp, "@DEADPORT@": str(fixture.dead_port())}
        self.server = None
        if not self.has("server"):
            for name, param, body in self.sections:
                for text in [param or ""] + body:
                    for ph in SERVER_PLACEHOLDERS:
                        if ph in text:
                            raise CaseError("%s: '# %s' uses %s but the case has no "
                                            "'# server' section" % (path, name, ph))
        self.timeout = DEFAULT_SERVER_TIMEOUT if self.has("server") else DEFAULT_TIMEOUT
        if self.has("timeout"):
            t = self.lines("timeout")
            if len(t) != 1 or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", t[0].strip()):
                raise CaseError("%s: '# timeout' wants one number of seconds" % path)
            self.timeout = float(t[0])

    def expand(self, s, regex=False):
        for k, v in self.values.items():
            s = s.replace(k, re.escape(v) if regex else v)
        return s

    def lines(self, name, regex=False):
        return [self.expand(l, regex) for l in nonblank(self.by_name[name][1])]

    def raw_lines(self, name):
        """Lines of a section with placeholders left in (expanded later)."""
        return nonblank(self.by_name[name][1])

    def start_server(self, server_exe):
        """Start the case's fixture server; Skip without one."""
        if not server_exe:
            raise Skip("the case needs the fixture server, which was not built (libmicrohttpd "
                       "or zlib missing) or not given with --server")
        routes = self.expand(text_of(self.by_name["server"][1]))  # @PORT@, @BASE@ left in
        self.server = fixture.FixtureServer(server_exe, routes, self.tmp,
                                            int(self.timeout) + SERVER_LIFETIME_MARGIN)
        port = self.server.start()
        self.values["@PORT@"] = str(port)
        self.values["@BASE@"] = "http://127.0.0.1:%d" % port

    def stop_server(self):
        if self.server:
            self.server.stop()

    def server_details(self, keep):
        """What the server saw, for a failure report."""
        if not self.server:
            return []
        log = self.server.log_lines()
        d = ["server requests (%d):\n%s" % (len(log), clip("\n".join(log)))]
        err = self.server.stderr().strip()
        if err:
            d.append("server stderr:\n%s" % clip(err))
        if keep:
            d.append("kept server files in %s" % self.server.dir)
        return d

    def cleanup(self, keep):
        if self.server:
            self.server.stop()
            if not keep:
                shutil.rmtree(self.server.dir, ignore_errors=True)

    def has(self, name):
        return name in self.by_name

    def tmp_path(self, rel):
        rel = self.expand(rel)
        full = os.path.normpath(os.path.join(self.tmp, rel))
        if not (full + os.sep).startswith(self.tmp + os.sep):
            raise CaseError("%s: '%s' is outside @TMP@" % (self.path, rel))
        return full

    def check_files(self):
        """The expect-file-contains sections: a file the command wrote, in @TMP@."""
        fails = []
        for name, param, body in self.sections:
            if name != "expect-file-contains":
                continue
            try:
                with open(self.tmp_path(param), encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError as e:
                fails.append("cannot read %s: %s" % (param, e.strerror))
                continue
            for s in nonblank(body):
                if self.expand(s) not in text:
                    fails.append("%s does not contain %r" % (param, self.expand(s)))
        return fails

    def prepare(self, server_exe):
        """Start the fixture server if the case has one, then write the case's
        files and generated inputs into @TMP@ (so they can name its port)."""
        if self.has("server"):
            self.start_server(server_exe)
        for name, param, body in self.sections:
            if name not in PARAM_SECTIONS or name.startswith("expect-"):
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
        stdin = self.expand(text_of(self.by_name["stdin"][1])).encode("utf-8") \
            if self.has("stdin") else b""
        p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=cwd, env=env, start_new_session=True)
        fixture.register(p)
        try:
            out, err = p.communicate(stdin, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            fixture.kill(p)  # and its children, which may hold the pipes open
            p.communicate()
            raise
        finally:
            fixture.unregister(p)
        return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def check(self, code, out, err):
        """Return the list of failed expectations."""
        fails = []
        want = self.exit_codes()
        if code not in want:
            fails.append("exit status %d, expected %s" % (code, " or ".join(map(str, want))))
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
        try:
            if self.has("expect-json"):
                fails += docexpect.check_json(out, self.raw_lines("expect-json"), self.expand,
                                              lambda t: self.expand(t, regex=True))
            if self.has("expect-xml") or self.has("expect-xml-wellformed"):
                fails += docexpect.check_xml(out, self.lines("expect-xml")
                                             if self.has("expect-xml") else [])
        except ValueError as e:
            raise CaseError("%s: %s" % (self.path, e))
        return fails + self.check_server() + self.check_files()

    def exit_codes(self):
        if not self.has("expect-exit"):
            return [0]
        words = " ".join(self.lines("expect-exit")).split()
        if not words or not all(w.isdigit() for w in words):
            raise CaseError("%s: '# expect-exit' wants exit statuses (several: any of them)"
                            % self.path)
        return [int(w) for w in words]

    def check_server(self):
        """The expect-server-* sections, on the request log of a stopped server."""
        names = [n for n, _, _ in self.sections if n.startswith("expect-server-")]
        if not names:
            return []
        if not self.server:
            raise CaseError("%s: '# %s' without a '# server' section" % (self.path, names[0]))
        log = self.server.log_lines()
        text = "\n".join(log) + "\n"
        fails = []
        if self.has("expect-server-requests"):
            want = self.lines("expect-server-requests")
            if len(want) != 1 or not want[0].strip().isdigit():
                raise CaseError("%s: '# expect-server-requests' wants one count" % self.path)
            if len(log) != int(want[0]):
                fails.append("the server got %d requests, expected %s" % (len(log), want[0].strip()))
        for s in self.lines("expect-server-log-contains") \
                if self.has("expect-server-log-contains") else []:
            if s not in text:
                fails.append("server log does not contain %r" % s)
        for s in self.lines("expect-server-log-not-contains") \
                if self.has("expect-server-log-not-contains") else []:
            if s in text:
                fails.append("server log contains %r" % s)
        for s in self.lines("expect-server-log-regex", regex=True) \
                if self.has("expect-server-log-regex") else []:
            if not re.search(s, text, re.M):
                fails.append("server log does not match /%s/" % s)
        for s in self.lines("expect-server-log-not-regex", regex=True) \
                if self.has("expect-server-log-not-regex") else []:
            if re.search(s, text, re.M):
                fails.append("server log matches /%s/" % s)
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


def run_one(path, citeaudit, src, keep, server_exe):
    """Return ('ok'|'FAIL'|'SKIP', title, details)."""
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="citeaudit-case-"))
    case = None
    try:
        case = Case(path, src, tmp)
        title = describe_case(case)
        try:
            case.prepare(server_exe)
        except Skip as e:
            return "SKIP", title, [str(e)]
        except fixture.ServerError as e:
            return "FAIL", title, [str(e)]
        try:
            code, out, err = case.run(citeaudit)
        except subprocess.TimeoutExpired as e:
            case.stop_server()
            return "FAIL", title, ["timed out after %s s" % e.timeout,
                                   "command: %s" % " ".join(case.lines("args"))] + \
                case.server_details(keep)
        case.stop_server()  # its log is complete once it has stopped
        fails = case.check(code, out, err)
        if fails:
            fails.append("command: %s" % " ".join(case.lines("args")))
            fails.append("stdout (%d bytes):\n%s" % (len(out), clip(out)))
            fails.append("stderr:\n%s" % clip(err))
            fails += case.server_details(keep)
            if keep:
                fails.append("kept %s" % tmp)
            return "FAIL", title, fails
        return "ok", title, []
    finally:
        if case:
            case.cleanup(keep)
        restore_perms(tmp)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def clip(s, limit=1500):
    s = s if len(s) <= limit else s[:limit] + "\n... (%d more bytes)" % (len(s) - limit)
    return "\n".join("    | " + l for l in s.splitlines()) if s else "    (empty)"


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="run-cases.py", add_help=True,
                                 usage=__doc__.split("\n\n")[1].split("usage: ")[1])
    ap.add_argument("citeaudit")
    ap.add_argument("src")
    ap.add_argument("cases", nargs="*")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--server")
    ap.add_argument("--glob", action="append", default=[])
    ap.add_argument("-j", "--jobs", type=int, default=1)
    return ap.parse_intermixed_args(argv[1:])


def pick_cases(casedir, only, globs):
    """Case names to run, sorted; None (after a message) for unknown ones."""
    names = sorted(f[:-5] for f in os.listdir(casedir) if f.endswith(".case"))
    if globs:
        names = [n for n in names if any(fnmatch.fnmatchcase(n, g) for g in globs)]
    if only:
        wanted = [o[:-5] if o.endswith(".case") else os.path.basename(o) for o in only]
        unknown = [w for w in wanted if w not in names]
        if unknown:
            sys.stderr.write("error: no such case: %s\n" % ", ".join(unknown))
            return None
        names = wanted
    return names


def on_sigterm(signum, frame):
    raise KeyboardInterrupt()


def main(argv):
    opts = parse_args(argv)
    citeaudit, src = os.path.abspath(opts.citeaudit), os.path.realpath(opts.src)
    server = os.path.abspath(opts.server) if opts.server else None
    casedir = os.path.join(src, "tests", "cases")
    for exe in [citeaudit] + ([server] if server else []):
        if not os.access(exe, os.X_OK):
            sys.stderr.write("error: '%s' is not an executable\n" % exe)
            return 2
    if not os.path.isdir(casedir):
        sys.stderr.write("error: no cases directory '%s'\n" % casedir)
        return 2
    if opts.jobs < 1:
        sys.stderr.write("error: -j wants a positive number of cases at a time\n")
        return 2
    names = pick_cases(casedir, opts.cases, opts.glob)
    if names is None:
        return 2
    signal.signal(signal.SIGTERM, on_sigterm)
    counts = {"ok": 0, "FAIL": 0, "SKIP": 0}
    failed = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs)
    try:
        futures = [pool.submit(run_one, os.path.join(casedir, name + ".case"), citeaudit, src,
                               opts.keep, server) for name in names]
        for name, fut in zip(names, futures):
            try:
                status, title, details = fut.result()
            except CaseError as e:
                sys.stderr.write("error: malformed case: %s\n" % e)
                return 2
            counts[status] += 1
            print("%-4s %s  %s" % (status, name, title), flush=True)
            for d in details:
                print("\n".join("       " + l for l in d.splitlines()))
            if status == "FAIL":
                failed.append(name)
    except KeyboardInterrupt:
        fixture.kill_all()
        sys.stderr.write("interrupted\n")
        return 130
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        fixture.kill_all()
    print("\n%d cases: %d ok, %d failed, %d skipped" % (
        len(names), counts["ok"], counts["FAIL"], counts["SKIP"]))
    if failed:
        print("failed: " + " ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
