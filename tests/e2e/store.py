#!/usr/bin/env python3
"""End-to-end tests of the audit store that one scenario case cannot express
(several runs, kills, two processes, full and read-only file systems), each
against its own loopback fixture server.

    store.py CITEAUDIT FIXTURE_SERVER WORKDIR [TEST...]

Tests: incremental, transient, transition, kill, sigint, concurrent, offline,
warc, faults. Prints one line per test (ok / FAIL / SKIP with why), then
'N passed, N failed'. Exit 1 when a test failed. The timings printed are for
bench/RESULTS.md, never asserted (a loaded CI machine is slow)."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

TOOL, SERVER, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
ONLY = sys.argv[4:]
N_LINKS = 10000


class Fail(Exception):
    pass


class Skip(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Fail(what)


class Server:
    """A fixture server with a routes text; counts requests from its log."""

    def __init__(self, d, routes):
        self.dir = d
        os.makedirs(d, exist_ok=True)
        self.log = os.path.join(d, 'server.log')
        with open(os.path.join(d, 'routes'), 'w') as f:
            f.write(routes)
        portfile = os.path.join(d, 'port')
        self.p = subprocess.Popen([SERVER, '--port-file', portfile, '--log', self.log,
                                   '--lifetime', '600', os.path.join(d, 'routes')],
                                  stdout=subprocess.DEVNULL, cwd=d)
        for _ in range(500):
            if os.path.exists(portfile):
                break
            time.sleep(0.01)
        with open(portfile) as f:
            self.base = 'http://127.0.0.1:%s' % f.read().strip()

    def lines(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, errors='replace') as f:
            return f.read().splitlines()

    def requests(self):
        return len(self.lines())

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def run(args, cwd, timeout=300, check_rc=None):
    t0 = time.monotonic()
    p = subprocess.run([TOOL] + args, cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, env=dict(os.environ, NO_COLOR='1', LC_ALL='C'))
    p.elapsed = time.monotonic() - t0
    if check_rc is not None and p.returncode not in check_rc:
        raise Fail('%s: exit %d, want %s\nstdout: %s\nstderr: %s' % (
            ' '.join(args), p.returncode, check_rc, p.stdout[-2000:], p.stderr[-2000:]))
    return p


def links_doc(path, base, n, prefix='/source/'):
    with open(path, 'w') as f:
        for i in range(n):
            f.write('%s%s%d\n' % (base, prefix, i))


def integrity(db):
    c = sqlite3.connect(db)
    try:
        return c.execute('PRAGMA integrity_check').fetchone()[0]
    finally:
        c.close()


def q(db, sql, *args):
    c = sqlite3.connect(db)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


FAST = ['--per-host', '64', '-j', '64', '--retries', '0', '--timeout', '10']

# ---- the tests ----


def t_incremental(d):
    """10,000 links; the second run within --max-age makes no request."""
    s = Server(d, '* 200\n')
    try:
        links_doc(os.path.join(d, 'doc.txt'), s.base, N_LINKS)
        p1 = run(['check', '-q', 'doc.txt'] + FAST, d, check_rc=[0])
        first = s.requests()
        need(first == N_LINKS, 'first run: %d requests, want %d' % (first, N_LINKS))
        p2 = run(['check', '-q', 'doc.txt'] + FAST, d, check_rc=[0])
        again = s.requests() - first
        need(again == 0, 'second run: %d requests, want 0' % again)
        need('10000 links checked' in p2.stdout, 'second report: ' + p2.stdout[-300:])
        db = os.path.join(d, '.citeaudit/audit.db')
        reused = q(db, 'SELECT count(*) FROM run_links WHERE run_id = 2 AND reused = 1')[0][0]
        need(reused == N_LINKS, '%d reused links recorded, want %d' % (reused, N_LINKS))
        checks = q(db, 'SELECT count(*) FROM checks')[0][0]
        need(checks == N_LINKS, '%d checks stored, want %d (reuse is no check)' % (checks, N_LINKS))
        # --refresh checks everything again; --max-age 0 too
        run(['check', '-q', '--max-age', '0', 'doc.txt'] + FAST, d, check_rc=[0])
        need(s.requests() - first == N_LINKS, '--max-age 0 did not check again')
        return 'first run %.2f s, second run %.3f s (0 requests, %d reused)' % (
            p1.elapsed, p2.elapsed, reused)
    finally:
        s.stop()


def t_transient(d):
    """Transient failures are checked again; definitive ones are not."""
    routes = ('/ok 200\n/gone 404\n/flaky 503\n/flaky 200\n'
              '/slow 200 delay 3000\n/late 200 delay 3000\n/late 200\n')
    s = Server(d, routes)
    try:
        with open(os.path.join(d, 'doc.md'), 'w') as f:
            for p in ('ok', 'gone', 'flaky', 'late'):
                f.write('See [%s](%s/%s).\n' % (p, s.base, p))
        run(['check', '-q', '--retries', '0', '--timeout', '1', 'doc.md'], d, check_rc=[1])
        n1 = s.requests()
        p = run(['check', '-q', '--retries', '0', '--timeout', '1', '--format', 'jsonl',
                 'doc.md'], d, check_rc=[1])
        log2 = s.lines()[n1:]
        paths = sorted(set(line.split()[1] for line in log2))
        need(paths == ['/flaky', '/late'], 'second run asked %s, want /flaky and /late' % paths)
        res = {json.loads(x)['url'].rsplit('/', 1)[1]: json.loads(x)['status']
               for x in p.stdout.splitlines()}
        need(res == {'ok': 'ok', 'gone': 'dead', 'flaky': 'ok', 'late': 'ok'},
             'second run results %s' % res)
        return 'server_error and timeout checked again, ok and dead reused'
    finally:
        s.stop()


def t_transition(d):
    """A link goes from 200 to 404 between two runs: history and 'dead since'."""
    # The first request for the story (a citation: GET) answers 200, every
    # later one 404: the first run sees 200, every later one 404.
    s = Server(d, '/story 200\n/story 404\n')
    try:
        with open(os.path.join(d, 'doc.md'), 'w') as f:
            f.write('The [story](%s/story).\n' % s.base)
        run(['check', 'doc.md', '--retries', '0'], d, check_rc=[0])
        time.sleep(1.1)  # distinct seconds in the history
        p = run(['check', 'doc.md', '--retries', '0', '--refresh'], d, check_rc=[1])
        need('dead since' in p.stdout and '(1 check)' in p.stdout,
             'report does not say dead since: ' + p.stdout)
        time.sleep(1.1)
        p = run(['check', 'doc.md', '--retries', '0', '--refresh'], d, check_rc=[1])
        need('(2 checks)' in p.stdout, 'third report: ' + p.stdout)
        h = run(['history', s.base + '/story'], d, check_rc=[1])
        rows = [line.split() for line in h.stdout.splitlines() if line[:2] == '20']
        need([r[1] for r in rows] == ['ok', 'dead', 'dead'], 'history rows %s' % rows)
        need([r[2] for r in rows] == ['200', '404', '404'], 'history codes %s' % rows)
        need('first seen alive:    ' + rows[0][0] in h.stdout, h.stdout)
        need('first seen failing:  ' + rows[1][0] in h.stdout, h.stdout)
        need('2 checks, failing since ' + rows[1][0] in h.stdout, h.stdout)
        hj = json.loads(run(['history', '--format', 'json', s.base + '/story'], d,
                            check_rc=[1]).stdout)
        need(hj['failure_streak'] == 2 and hj['first_seen_alive'] == rows[0][0],
             'history json %s' % hj)
        # --confirm 3: two failing checks are not enough yet
        p = run(['check', 'doc.md', '--confirm', '3', '--offline'], d, check_rc=[0])
        need('not yet confirmed (2 of 3)' in p.stdout, '--confirm 3: ' + p.stdout)
        p = run(['check', 'doc.md', '--confirm', '2', '--offline'], d, check_rc=[1])
        need('not yet confirmed' not in p.stdout, '--confirm 2: ' + p.stdout)
        p = run(['check', 'doc.md', '--confirm', '2/1', '--offline'], d, check_rc=[0])
        need('not yet confirmed (2 of 2)' in p.stdout, '--confirm 2/1: ' + p.stdout)
        return 'ok -> dead in history; dead since (N checks); --confirm N and N/DAYS'
    finally:
        s.stop()


def kill_once(d, frac, jobs):
    s = Server(d, '* 200 delay 5\n')
    try:
        links_doc(os.path.join(d, 'doc.txt'), s.base, N_LINKS)
        args = ['check', '-q', 'doc.txt', '-j', str(jobs), '--per-host', str(jobs),
                '--retries', '0']
        p = subprocess.Popen([TOOL] + args, cwd=d, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        target = int(N_LINKS * frac)
        t0 = time.monotonic()
        while s.requests() < target and p.poll() is None and time.monotonic() - t0 < 120:
            time.sleep(0.005)
        p.send_signal(signal.SIGKILL)
        p.wait()
        time.sleep(0.1)  # requests in flight at the kill reach the log
        at_kill = s.requests()
        db = os.path.join(d, '.citeaudit/audit.db')
        stored = q(db, 'SELECT count(*) FROM checks')[0][0]
        need(integrity(db) == 'ok', 'integrity_check after the kill: ' + integrity(db))
        r = run(args + ['--format', 'json'], d, check_rc=[0])
        total = s.requests()
        summary = json.loads(r.stdout)['summary']
        need(summary['by_status']['ok'] == N_LINKS, 're-run summary %s' % summary)
        need(total <= N_LINKS + jobs, 'total requests %d > %d + %d' % (total, N_LINKS, jobs))
        paths = [line.split()[1] for line in s.lines()]
        repeated = len(paths) - len(set(paths))
        need(repeated <= jobs, '%d requests repeated, more than -j %d' % (repeated, jobs))
        need(integrity(db) == 'ok', 'integrity_check after the re-run')
        return 'killed at %d requests (%d results stored), total %d, %d repeated' % (
            at_kill, stored, total, repeated)
    finally:
        s.stop()


def t_kill(d):
    """SIGKILL half-way, three times; the re-run finishes the rest."""
    out = []
    for i, frac in enumerate((0.2, 0.5, 0.8)):
        out.append(kill_once(os.path.join(d, str(i)), frac, 16))
    return '; '.join(out)


def t_sigint(d):
    """SIGINT ends the run cleanly: partial report, run marked interrupted."""
    s = Server(d, '/fast 200\n/slow 200 delay 10000\n')
    try:
        with open(os.path.join(d, 'doc.md'), 'w') as f:
            f.write('[a](%s/fast) [b](%s/slow)\n' % (s.base, s.base))
        p = subprocess.Popen([TOOL, 'check', 'doc.md'], cwd=d, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        t0 = time.monotonic()
        while s.requests() < 2 and time.monotonic() - t0 < 10:
            time.sleep(0.01)
        time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        need(p.returncode == 130, 'exit %d, want 130; %s' % (p.returncode, err))
        need('1 ok' in out and '1 unknown' in out, 'partial report: ' + out)
        db = os.path.join(d, '.citeaudit/audit.db')
        need(q(db, 'SELECT status FROM runs')[0][0] == 'interrupted', 'run status')
        need(q(db, 'SELECT count(*) FROM checks')[0][0] == 1, 'one check stored')
        need(integrity(db) == 'ok', 'integrity_check')
        return 'exit 130, partial report, 1 check stored, run interrupted'
    finally:
        s.stop()


def t_concurrent(d):
    """Two processes check into one store at once: both finish, nothing lost."""
    s = Server(d, '* 200 delay 2\n')
    try:
        links_doc(os.path.join(d, 'a.txt'), s.base, 3000, '/a/')
        links_doc(os.path.join(d, 'b.txt'), s.base, 3000, '/b/')
        procs = [subprocess.Popen([TOOL, 'check', '-q', '--store', 'shared.db', doc] + FAST,
                                  cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True) for doc in ('a.txt', 'b.txt')]
        for p in procs:
            _, err = p.communicate(timeout=300)
            need(p.returncode == 0, 'a process exited %d: %s' % (p.returncode, err))
        db = os.path.join(d, 'shared.db')
        need(integrity(db) == 'ok', 'integrity_check')
        need(q(db, 'SELECT count(*) FROM checks')[0][0] == 6000, 'checks stored')
        need(q(db, "SELECT count(*) FROM runs WHERE status = 'done'")[0][0] == 2, 'runs')
        return '2 x 3000 links into one store: 6000 checks, integrity ok'
    finally:
        s.stop()


def t_offline(d):
    """--offline and graph/audit --no-check draw from the store."""
    s = Server(d, '/ok 200\n/gone 404\n')
    try:
        with open(os.path.join(d, 'doc.md'), 'w') as f:
            f.write('[a](%s/ok) [b](%s/gone) [c](%s/never)\n' % (s.base, s.base, s.base))
        run(['check', 'doc.md', '--retries', '0', '--exclude', 'never'], d, check_rc=[1])
        n = s.requests()
        p = run(['check', '--offline', '--format', 'jsonl', '--max-age', '0', 'doc.md'], d,
                check_rc=[1])
        got = {json.loads(x)['url'].rsplit('/', 1)[1]: json.loads(x)['status']
               for x in p.stdout.splitlines()}
        need(got == {'ok': 'ok', 'gone': 'dead', 'never': 'unknown'}, 'offline %s' % got)
        run(['audit', '--no-check', '-o', 'rep', 'doc.md'], d, check_rc=[0, 1])
        with open(os.path.join(d, 'rep/links.json')) as f:
            links = json.load(f)
        st = sorted(c['status'] for doc in links['documents'] for c in doc['citations'])
        need(st == ['dead', 'ok', 'unknown'], 'audit --no-check links.json %s' % st)
        need(s.requests() == n, 'a request was made')
        return 'no request; stored classes in check --offline and audit --no-check'
    finally:
        s.stop()


def npm_warcio(d):
    """warcio from npm, installed once into the build directory."""
    prefix = os.path.join(os.path.dirname(WORK), 'npm-warcio')
    if os.path.exists(os.path.join(prefix, 'node_modules/warcio/package.json')):
        return prefix
    if not shutil.which('npm') or not shutil.which('node'):
        raise Skip('node and npm are not installed: the independent WARC reader cannot run')
    p = subprocess.run(['npm', 'install', '--no-audit', '--no-fund', '--prefix', prefix,
                        'warcio@2'], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise Skip('npm install warcio failed (is the npm registry reachable?): ' +
                   p.stderr.strip()[-300:])
    return prefix


def t_warc(d):
    """--snapshot then --replay: the same report; warcio (npm) reads the file."""
    routes = ('/ok 200 body "fine\\n"\n/gone 404\n/old 410\n/moved 301 Location: /ok\n'
              '/tmp 302 Location: @BASE@/ok\n/loop-a 302 Location: /loop-b\n'
              '/loop-b 302 Location: /loop-a\nHEAD /nohead 405\n/nohead 200 body "x"\n'
              '/to-ftp 301 Location: ftp://127.0.0.1/x\n/locked 403\n'
              '/page.html 200 body "<html><body><p>A page with a <a href=\\"/ok\\">link</a>.'
              '</p></body></html>"\n')
    s = Server(d, routes)
    try:
        with open(os.path.join(d, 'doc.md'), 'w') as f:
            for p in ('ok', 'gone', 'old', 'moved', 'tmp', 'loop-a', 'nohead', 'to-ftp',
                      'locked'):
                f.write('See [%s](%s/%s).\n' % (p, s.base, p))
        common = ['check', '--retries', '0', 'doc.md', s.base + '/page.html']
        a = run(common + ['--no-store', '--snapshot', 'ev.warc.gz'], d, check_rc=[1])
        n = s.requests()
        b = run(common[:-1] + ['--no-store', '--replay', 'ev.warc.gz'], d, check_rc=[1])
        need(s.requests() == n, '--replay made a request')
        # the page input itself needs the network; compare the doc's links only
        sa = [x for x in a.stdout.splitlines() if 'page.html' not in x and 'document' not in x]
        sb = [x for x in b.stdout.splitlines() if 'page.html' not in x and 'document' not in x]
        need(sa == sb, 'replayed report differs:\n--- snapshot\n%s\n--- replay\n%s' % (
            a.stdout, b.stdout))
        j = run(common[:-1] + ['--no-store', '--replay', 'ev.warc.gz', '--format', 'jsonl'],
                d, check_rc=[1])
        st = {json.loads(x)['url'].rsplit('/', 1)[1]: json.loads(x)['status']
              for x in j.stdout.splitlines()}
        need(st['moved'] == 'redirected' and st['loop-a'] == 'dead' and st['ok'] == 'ok' and
             st['locked'] == 'forbidden', 'replayed classes %s' % st)
        try:
            prefix = npm_warcio(d)
        except Skip as e:
            return 'replay: same report; SKIPPED the warcio read: %s' % e
        r = subprocess.run(['node', os.path.join(os.path.dirname(__file__), 'warc-read.mjs'),
                            prefix, os.path.join(d, 'ev.warc.gz')], capture_output=True,
                           text=True, timeout=120)
        need(r.returncode == 0, 'warcio: %s %s' % (r.stdout[-1500:], r.stderr[-1500:]))
        summary = json.loads(r.stdout.splitlines()[-1])
        need(summary['types'].get('warcinfo') == 1 and summary['types'].get('response', 0) >= 10,
             'warcio summary %s' % summary)
        return 'replay: same report, no request; warcio read %d records, %d digests ok' % (
            summary['records'], summary['digests_verified'])
    finally:
        s.stop()


def in_namespace(script, cwd):
    return subprocess.run(['unshare', '-rm', 'sh', '-c', script], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def t_faults(d):
    """A full file system and a read-only one: a clear message and exit 3."""
    if subprocess.run(['unshare', '-rm', 'true'], capture_output=True).returncode != 0:
        raise Skip('unshare -rm is not permitted here: no tmpfs of our own to fill')
    s = Server(d, '* 200\n')
    try:
        links_doc(os.path.join(d, 'doc.txt'), s.base, 3000)
        os.makedirs(os.path.join(d, 'full'), exist_ok=True)
        os.makedirs(os.path.join(d, 'ro'), exist_ok=True)
        tool = ' '.join([TOOL, 'check', '-q'] + FAST)
        r = in_namespace('mount -t tmpfs -o size=128k tmpfs full && '
                         '%s --store full/audit.db doc.txt >out.txt 2>err.txt; echo $?' % tool, d)
        with open(os.path.join(d, 'err.txt')) as f:
            err = f.read()
        need(r.stdout.strip() == '3', 'full: exit %s; %s %s' % (r.stdout, r.stderr, err))
        need('full/audit.db' in err and 'full' in err.split('full/audit.db', 1)[1],
             'full: message %s' % err)
        with open(os.path.join(d, 'out.txt')) as f:
            need('3000 links checked' in f.read(), 'full: the report was not printed')
        full_msg = err.strip().splitlines()[0]
        r = in_namespace('mount -t tmpfs -o ro tmpfs ro && '
                         '%s --store ro/audit.db doc.txt 2>err.txt; echo $?' % tool, d)
        with open(os.path.join(d, 'err.txt')) as f:
            err = f.read()
        need(r.stdout.strip().endswith('3'), 'read-only: exit %s; %s' % (r.stdout, err))
        need('ro/audit.db' in err and 'Read-only' in err, 'read-only: message %s' % err)
        return 'full: "%s"; read-only: "%s"' % (full_msg, err.strip().splitlines()[0])
    finally:
        s.stop()


def t_probes(d):
    """Soft-404 probes and archive fields kept across runs: a second run
    takes the directory's probe from the store (no second random request)
    and still calls the missing page soft404; a version 1 store is
    upgraded, and read as it is when opened read-only."""
    page = ('<html><head><title>The Daily Example</title></head><body><main><p>We looked '
            'everywhere and came back with nothing at all for this address this time, '
            'maybe the link was mistyped.</p></main></body></html>')
    s = Server(d, '* 200 body "%s"\n' % page.replace('"', '\\"'))
    try:
        with open(os.path.join(d, 'doc.md'), 'w') as f:
            f.write('The [story](%s/news/council-story) says so.\n' % s.base)
        p = run(['check', 'doc.md', '-f', 'json', '--retries', '0'], d, check_rc=[1])
        j = json.loads(p.stdout)
        need(j['summary']['probes'] == 1 and j['summary']['probes_from_store'] == 0,
             'first run: %s' % j['summary'])
        need(j['documents'][0]['citations'][0]['reason'] == 'probe', p.stdout)
        first = s.requests()
        need(first == 2, 'first run made %d requests, want 2' % first)
        p = run(['check', 'doc.md', '-f', 'json', '--retries', '0', '--max-age', '0'], d,
                check_rc=[1])
        j = json.loads(p.stdout)
        need(j['summary']['probes'] == 0 and j['summary']['probes_from_store'] == 1,
             'second run: %s' % j['summary'])
        need(j['documents'][0]['citations'][0]['reason'] == 'probe', p.stdout)
        need(s.requests() - first == 1, 'second run made %d requests, want 1 (no probe)'
             % (s.requests() - first))
        h = run(['history', '--format', 'json', s.base + '/news/council-story'], d,
                check_rc=[1])
        need(json.loads(h.stdout)['checks'][-1]['reason'] == 'probe', h.stdout)
        # a version 1 store (as issue 5 left it): read-only as it is, then upgraded
        db = os.path.join(d, 'v1.db')
        with sqlite3.connect(db) as c:
            c.executescript(V1_SCHEMA)
            c.execute("INSERT INTO urls VALUES (1, ?)", (s.base + '/news/council-story',))
            c.execute("INSERT INTO runs(id, started, status) VALUES (1, 1, 'done')")
            c.execute("INSERT INTO checks(url_id, run_id, checked_at, class, http_code) "
                      "VALUES (1, 1, %d, 'dead', 404)" % int(time.time()))
            c.execute('PRAGMA application_id = 1128879169')
            c.execute('PRAGMA user_version = 1')
        p = run(['check', 'doc.md', '--offline', '--store', db, '-f', 'jsonl'], d,
                check_rc=[1])
        need('"status":"dead"' in p.stdout and '"reason":null' in p.stdout, p.stdout)
        run(['check', 'doc.md', '--store', db, '--retries', '0', '--refresh'], d, check_rc=[1])
        with sqlite3.connect(db) as c:
            v = c.execute('PRAGMA user_version').fetchone()[0]
            cols = [r[1] for r in c.execute('PRAGMA table_info(checks)')]
            reason = c.execute('SELECT reason FROM checks ORDER BY id DESC LIMIT 1').fetchone()
        need(v == 2 and 'archive_url' in cols and reason[0] == 'probe',
             'upgraded store: version %s, columns %s, reason %s' % (v, cols, reason))
        return 'probe reused from the store (1 request, not 2); v1 store read and upgraded'
    finally:
        s.stop()


# The schema of version 1, as issue 5 released it (src/lib/store_schema.c).
V1_SCHEMA = """
CREATE TABLE urls (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE);
CREATE TABLE runs (id INTEGER PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER,
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'done', 'interrupted', 'no_network')),
  command TEXT, version TEXT, links INTEGER, checked INTEGER, reused INTEGER);
CREATE TABLE documents (id INTEGER PRIMARY KEY, origin TEXT NOT NULL UNIQUE,
  url TEXT, outlet TEXT, title TEXT, published TEXT, error TEXT,
  first_run INTEGER NOT NULL REFERENCES runs(id), last_run INTEGER NOT NULL REFERENCES runs(id));
CREATE TABLE citations (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  url_id INTEGER NOT NULL REFERENCES urls(id), line INTEGER NOT NULL, col INTEGER NOT NULL,
  region TEXT NOT NULL, kind TEXT NOT NULL, source TEXT,
  PRIMARY KEY (document_id, line, col, url_id)) WITHOUT ROWID;
CREATE INDEX citations_by_url ON citations(url_id);
CREATE TABLE checks (id INTEGER PRIMARY KEY, url_id INTEGER NOT NULL REFERENCES urls(id),
  run_id INTEGER NOT NULL REFERENCES runs(id), checked_at INTEGER NOT NULL,
  class TEXT NOT NULL, http_code INTEGER, curl_code INTEGER, error TEXT, final_url TEXT,
  redirects TEXT, attempts INTEGER NOT NULL DEFAULT 0, elapsed_ms INTEGER NOT NULL DEFAULT 0);
CREATE INDEX checks_by_url ON checks(url_id, checked_at, id);
CREATE INDEX checks_by_run ON checks(run_id);
CREATE TABLE run_links (run_id INTEGER NOT NULL REFERENCES runs(id),
  url_id INTEGER NOT NULL REFERENCES urls(id),
  check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
  reused INTEGER NOT NULL, PRIMARY KEY (run_id, url_id)) WITHOUT ROWID;
CREATE INDEX run_links_by_check ON run_links(check_id);
"""


TESTS = [('incremental', t_incremental), ('transient', t_transient),
         ('transition', t_transition), ('kill', t_kill), ('sigint', t_sigint),
         ('concurrent', t_concurrent), ('offline', t_offline), ('warc', t_warc),
         ('faults', t_faults), ('probes', t_probes)]


def main():
    passed = failed = skipped = 0
    shutil.rmtree(WORK, ignore_errors=True)
    for name, fn in TESTS:
        if ONLY and name not in ONLY:
            continue
        d = os.path.join(WORK, name)
        os.makedirs(d)
        t0 = time.monotonic()
        try:
            note = fn(d)
            print('ok   %-12s %5.1fs  %s' % (name, time.monotonic() - t0, note), flush=True)
            passed += 1
        except Skip as e:
            print('SKIP %-12s %s' % (name, e), flush=True)
            skipped += 1
        except (Fail, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as e:
            print('FAIL %-12s %s' % (name, e), flush=True)
            failed += 1
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
