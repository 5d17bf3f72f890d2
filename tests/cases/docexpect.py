"""Expectations on whole documents: `# expect-json` (JSON pointer checks) and
`# expect-xml` (XPath counts), used by run-cases.py. Each check function
returns a list of failure messages (empty when everything holds) and raises
ValueError for a malformed expectation line.

Standard library only.
"""

import json
import re
import xml.etree.ElementTree as ET

MISSING = object()
COMPARE = {
    "==": lambda a, b: same(a, b),
    "!=": lambda a, b: not same(a, b),
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")


def same(a, b):
    """JSON equality: true is not 1, 1 is 1.0, objects and arrays deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def matches(exp, val):
    """exp matches val: objects by subset (every key of exp in val, matching),
    anything else by same()."""
    if isinstance(exp, dict):
        return isinstance(val, dict) and all(k in val and matches(v, val[k])
                                             for k, v in exp.items())
    return same(exp, val)


def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(v)]


def resolve(doc, pointer):
    """RFC 6901 JSON pointer; MISSING when it leads nowhere."""
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        raise ValueError("a JSON pointer starts with '/': %r" % pointer)
    cur = doc
    for tok in pointer[1:].split("/"):
        tok = tok.replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict):
            if tok not in cur:
                return MISSING
            cur = cur[tok]
        elif isinstance(cur, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", tok) or int(tok) >= len(cur):
                return MISSING
            cur = cur[int(tok)]
        else:
            return MISSING
    return cur


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def parse_json_value(text, line):
    try:
        return json.loads(text)
    except ValueError as e:
        raise ValueError("not a JSON value (%s) in %r" % (e, line))


def check_json_line(doc, line, expand, expand_regex):
    """One `POINTER [OP] ARG` line against doc; returns a failure or None.
    expand/expand_regex turn placeholders into text or regex-escaped text."""
    parts = line.strip().split(None, 1)
    pointer, rest = expand(parts[0]), parts[1].strip() if len(parts) > 1 else ""
    got = resolve(doc, pointer)
    show = "missing" if got is MISSING else json.dumps(got, ensure_ascii=False)[:300]
    op, _, arg = rest.partition(" ")
    arg = arg.strip()
    if rest in ("exists", "missing"):
        ok = (got is MISSING) == (rest == "missing")
        return None if ok else "%s is %s, expected %s" % (pointer, show, rest)
    if got is MISSING:
        return "%s is missing (expected %s)" % (pointer, rest)
    if op == "~":
        if not arg:
            raise ValueError("'~' needs a regular expression: %r" % line)
        if isinstance(got, str) and re.search(expand_regex(arg), got):
            return None
        return "%s is %s, does not match /%s/" % (pointer, show, expand_regex(arg))
    if op == "type":
        if arg not in TYPES:
            raise ValueError("'type' wants one of %s: %r" % (", ".join(TYPES), line))
        t = json_type(got)
        ok = t == arg or (arg == "number" and t == "integer")
        return None if ok else "%s is %s, a%s %s, not %s" % (
            pointer, show, "n" if t[0] in "aeiou" else "", t, arg)
    if op == "contains":
        want = parse_json_value(expand(arg), line)
        if isinstance(got, list):
            ok = any(matches(want, v) for v in got)
        elif isinstance(got, str) and isinstance(want, str):
            ok = want in got
        else:
            raise ValueError("'contains' applies to arrays and strings: %s is %s"
                             % (pointer, show))
        return None if ok else "%s (%s) does not contain %s" % (pointer, show, arg)
    if op == "len":
        if not isinstance(got, (list, dict, str)):
            return "%s is %s, which has no length" % (pointer, show)
        cmp, _, num = arg.partition(" ")
        if cmp not in COMPARE:
            cmp, num = "==", arg
        n = parse_json_value(num.strip(), line)
        if not is_number(n):
            raise ValueError("'len' wants a number: %r" % line)
        ok = COMPARE[cmp](len(got), n)
        return None if ok else "%s has length %d, expected %s %s" % (
            pointer, len(got), cmp, num.strip())
    if op in COMPARE:
        want = parse_json_value(expand(arg), line)
    else:
        op, want = "==", parse_json_value(expand(rest), line)
    if op in ("<", "<=", ">", ">=") and not (is_number(got) and is_number(want)):
        return "%s is %s, not a number to compare with %s %s" % (pointer, show, op, arg)
    if COMPARE[op](got, want):
        return None
    return "%s is %s, expected %s %s" % (pointer, show, op,
                                         json.dumps(want, ensure_ascii=False))


def check_json(out, lines, expand, expand_regex):
    """stdout is one JSON document and every line holds."""
    try:
        doc = json.loads(out)
    except ValueError as e:
        return ["stdout is not one JSON document (%s): %.200s" % (e, out)]
    fails = []
    for line in lines:
        f = check_json_line(doc, line, expand, expand_regex)
        if f:
            fails.append(f)
    return fails


def parse_xml(out):
    """(root, None) or (None, failure)."""
    try:
        return ET.fromstring(out.encode("utf-8")), None
    except ET.ParseError as e:
        return None, "stdout is not well-formed XML: %s" % e


def check_xml(out, lines):
    """stdout is well-formed XML and each `XPATH [OP] N` count holds. XPATH is
    ElementTree's subset, taken from a node above the root element: the root
    is `NAME`, descendants anywhere `.//NAME`, attributes `[@a='v']`."""
    root, fail = parse_xml(out)
    if fail:
        return [fail]
    top = ET.Element("document")
    top.append(root)
    fails = []
    for line in lines:
        m = re.fullmatch(r"\s*(\S+)\s+(?:(==|!=|<=|>=|<|>)\s*)?(\d+)\s*", line)
        if not m:
            raise ValueError("want 'XPATH [OP] COUNT': %r" % line)
        path, op, n = m.group(1), m.group(2) or "==", int(m.group(3))
        try:
            count = len(top.findall(path))
        except SyntaxError as e:
            raise ValueError("bad XPath %r: %s" % (path, e))
        if not COMPARE[op](count, n):
            fails.append("%d elements match %s, expected %s %d" % (count, path, op, n))
    return fails
