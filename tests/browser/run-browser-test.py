#!/usr/bin/env python3
"""The browser test of report.html: `citeaudit audit` on a small corpus,
then Debian's headless Chromium opens the page from disk.

    run-browser-test.py CITEAUDIT SOURCE_ROOT SHOT_DIR [--server FIXTURE_SERVER] [--keep]

The corpus is the five seed articles (with their manifest) plus a Markdown
story and an HTML page (with navigation and footer links) that cite the
loopback fixture server (tests/server): links that work, are gone (404),
moved (301), forbidden, failing with 503. The seeds' links are remapped
(--remap) to the same server, so nothing leaves the machine and one of them
is dead. Without the fixture server the same corpus is audited with
--no-check.

A copy of report.html gets check-report.js injected (the product page
never carries test code); Chromium runs it with --dump-dom and the runner
reads the verdict it writes into the DOM: one table row per link of
links.json, sorting and filtering work, the inline SVG graph has nodes and
a size, no script error, nothing fetched. Screenshots of the product page
are saved as SHOT_DIR/report.png (1280 px wide) and
SHOT_DIR/report-narrow.png (420 px); meson passes build/tests/browser.

Chromium is installed with apt-get when missing and running as root;
otherwise the test prints the apt-get line and exits 77 (meson: SKIP).
Every process started is in its own session and killed at the end.
Standard library only.
"""

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cases"))
import fixture  # noqa: E402  (tests/cases/fixture.py: the fixture server)

SKIP = 77
CHROME_TIMEOUT = 90      # seconds per Chromium run
AUDIT_TIMEOUT = 120
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--hide-scrollbars", "--mute-audio"]

ROUTES = """\
/ok          200 body "fine\\n"
/gone        404
/moved       301 Location: /ok
/forbidden   403
/flaky       503
/home        200 body "<p>home</p>"
/nav-gone    404
/seed/www.themoscowtimes.com/2026/06/21/russia-accidentally-bombs-own-village 404
*            200 body "a cited page\\n"
"""

STORY_MD = """\
# Council votes on the river plan

The council [published the plan](@BASE@/ok) on Monday; an
[earlier draft](@BASE@/gone) is no longer online. The mayor's
[statement](@BASE@/moved) and the [minutes](@BASE@/forbidden) were cited
by every outlet, and the [budget table](@BASE@/flaky) failed to load.
"""

PAGE_HTML = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>River plan: what the documents say</title>
<link rel="canonical" href="https://wire.example/2024/05/river-plan">
<meta property="og:site_name" content="Wire Example">
</head><body>
<nav><a href="@BASE@/home">Home</a> <a href="@BASE@/nav-gone">Archive</a></nav>
<article>
<h1>River plan: what the documents say</h1>
<p>The plan, <a href="@BASE@/ok">published by the council</a>, sets out three phases,
and the engineers' report, which we read in full, supports the second one.</p>
<p>An <a href="@BASE@/gone">earlier draft</a> had a different budget, according to the
minutes of the April meeting, which <a href="@BASE@/minutes?year=2024&amp;m=4">are online</a>.</p>
<p>Residents' groups, quoted in <a href="https://t.me/s/riverwatch/12">a Telegram post</a>,
objected to the second phase, saying it moves the flood risk downstream.</p>
</article>
<footer><a href="@BASE@/about">About us</a></footer>
</body></html>
"""

def run(args, timeout, **kw):
    """Run a command in its own session; kill the whole group on timeout."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True, **kw)
    fixture.register(p)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        fixture.kill(p)
        out, err = p.communicate()
        raise RuntimeError("timed out after %d s: %s\n%s" % (timeout, " ".join(args),
                                                             err.decode(errors="replace")))
    finally:
        fixture.kill(p)  # Chromium's helpers, should any outlive it
        fixture.unregister(p)
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium():
    """The browser, installed from Debian when missing (as root); None: skip."""
    path = find_chromium()
    if path:
        return path
    line = "apt-get install -y chromium"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("SKIP: Chromium is not installed and this user cannot install it; run:\n"
              "  sudo %s\nthen run the test again." % line)
        return None
    print("browser-test: installing Chromium: %s" % line, flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
        rc, out, err = run(cmd, 900, env=env)
        if rc != 0 and cmd[1] == "install":
            print("SKIP: could not install Chromium (%s exited %d):\n%s" % (" ".join(cmd), rc,
                                                                            err[-2000:]))
            return None
    return find_chromium()


def chromium(browser, tmp, url, *extra):
    profile = tempfile.mkdtemp(prefix="profile-", dir=tmp)
    env = dict(os.environ, HOME=tmp)
    return run([browser] + CHROME_FLAGS + ["--user-data-dir=" + profile] + list(extra) + [url],
               CHROME_TIMEOUT, env=env)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_corpus(tmp, base):
    write(os.path.join(tmp, "wire", "story.md"), STORY_MD.replace("@BASE@", base))
    write(os.path.join(tmp, "wire", "river-plan.html"), PAGE_HTML.replace("@BASE@", base))


def audit(tool, src, tmp, base):
    outdir = os.path.join(tmp, "report")
    # --no-store: the seeds' results (remapped to the fixture server) must
    # not land in the source tree's store, where the demo would reuse them.
    args = [tool, "audit", "fixtures/seeds", "--manifest", "fixtures/seeds/MANIFEST.tsv",
            os.path.join(tmp, "wire"), "-o", outdir, "--no-store"]
    if base.startswith("http://127.0.0.1"):
        args += ["--remap", r"^https://(.*)$ %s/seed/$1" % base, "--retries", "0",
                 "--timeout", "10"]
    else:
        args += ["--no-check"]
    rc, out, err = run(args, AUDIT_TIMEOUT, cwd=src, env=dict(os.environ, NO_COLOR="1"))
    return args, rc, out, err, outdir


def expectations(outdir):
    with open(os.path.join(outdir, "links.json"), encoding="utf-8") as f:
        doc = json.load(f)
    return {"links": doc["summary"]["total"], "failing": doc["summary"]["failing"],
            "docs": doc["summary"]["documents"]}


def probe_page(outdir, expect):
    """A copy of report.html with the probe: an error catcher first in
    <head>, check-report.js at the end of <body>."""
    with open(os.path.join(outdir, "report.html"), encoding="utf-8") as f:
        page = f.read()
    with open(os.path.join(HERE, "check-report.js"), encoding="utf-8") as f:
        probe = f.read().replace("__EXPECT__", json.dumps(expect))
    catcher = ("<script>window.__reportErrors=[];window.addEventListener('error',"
               "function(e){window.__reportErrors.push(e.message)});</script>")
    if "<head>" not in page or "</body>" not in page:
        raise RuntimeError("report.html has no <head> or </body>")
    page = page.replace("<head>", "<head>" + catcher, 1)
    page = page.replace("</body>", "<script>\n" + probe + "</script>\n</body>", 1)
    path = os.path.join(outdir, "probe.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path


def verdict(dom):
    # The last one: the probe's own source (inlined above) shows the form too.
    found = re.findall(r'<pre id="browser-test-verdict">VERDICT (.*?)</pre>', dom, re.S)
    if not found:
        return None
    return json.loads(html.unescape(found[-1]))


def check_files(err, outdir, problems):
    for name in ("graph.dot", "graph.svg", "links.json", "broken.txt", "junit.xml",
                 "report.html"):
        path = os.path.join(outdir, name)
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            problems.append("%s was not written" % name)
        elif "wrote " + path not in err:
            problems.append("stderr does not say 'wrote %s'" % path)
    with open(os.path.join(outdir, "report.html"), encoding="utf-8") as f:
        page = f.read()
    if "check-report" in page or "browser-test" in page:
        problems.append("the product page carries test code")


def main():
    argv = sys.argv[1:]
    keep = "--keep" in argv
    argv = [a for a in argv if a != "--keep"]
    server_exe = None
    if "--server" in argv:
        i = argv.index("--server")
        server_exe = os.path.abspath(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    tool, src, build = (os.path.abspath(a) for a in argv)
    os.makedirs(build, exist_ok=True)

    browser = ensure_chromium()
    if not browser:
        return SKIP
    tmp = tempfile.mkdtemp(prefix="citeaudit-browser-")
    server = None
    problems = []
    finished = False
    try:
        base = "http://offline.invalid"
        if server_exe:
            server = fixture.FixtureServer(server_exe, ROUTES, tmp, AUDIT_TIMEOUT + 60)
            base = "http://127.0.0.1:%d" % server.start()
        else:
            print("note: no fixture server (libmicrohttpd missing): auditing with --no-check")
        make_corpus(tmp, base)
        args, rc, out, err, outdir = audit(tool, src, tmp, base)
        print("$ " + " ".join(args) + "\n" + err.rstrip())
        want_rc = 1 if server_exe else 0
        if rc != want_rc:
            problems.append("audit exited %d, want %d" % (rc, want_rc))
        if rc not in (0, 1, 3):
            raise RuntimeError("audit failed:\n" + err)
        check_files(err, outdir, problems)
        expect = expectations(outdir)
        print("links.json: %(links)d links, %(failing)d failing, %(docs)d documents" % expect)

        probe = probe_page(outdir, expect)
        crc, dom, cerr = chromium(browser, tmp, "file://" + probe, "--window-size=1280,2000",
                                  "--dump-dom")
        v = verdict(dom)
        if v is None:
            problems.append("no verdict in the page (chromium exit %d):\n%s" % (crc, cerr[-3000:]))
        else:
            for c in v["checks"]:
                print("  %-4s %s%s" % ("ok" if c["ok"] else "FAIL", c["name"],
                                       "" if c["ok"] or not c["detail"] else ": " + c["detail"]))
                if not c["ok"]:
                    problems.append("page check failed: %s (%s)" % (c["name"], c["detail"]))

        page = "file://" + os.path.join(outdir, "report.html")
        for name, size in (("report.png", "1280,2000"), ("report-narrow.png", "420,2400")):
            shot = os.path.join(build, name)
            if os.path.exists(shot):
                os.unlink(shot)
            chromium(browser, tmp, page, "--window-size=" + size, "--screenshot=" + shot)
            if not os.path.isfile(shot) or os.path.getsize(shot) < 10000:
                problems.append("no screenshot written to %s" % shot)
            else:
                print("screenshot: %s" % shot)
        finished = True
    finally:
        if server:
            server.stop()
        fixture.kill_all()
        if keep or problems or not finished:
            print("kept: %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        print("FAIL:\n  " + "\n  ".join(problems))
        return 1
    print("ok: report.html passes in %s" % os.path.basename(browser))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: (fixture.kill_all(), sys.exit(1)))
    sys.exit(main())
