"""The fixture server of the check cases, run from run-cases.py.

A FixtureServer is started with a routes text, waits (bounded) for its
port, and is always stopped: SIGTERM, then SIGKILL, whatever happened. Every
process the runner starts is registered in LIVE so that an interrupted run
can end them all (kill_all). The server also ends itself after its
lifetime, should the runner itself be killed.

Standard library only.
"""

import os
import signal
import socket
import subprocess
import tempfile
import threading
import time

START_TIMEOUT = 5.0   # seconds to wait for the port file
STOP_GRACE = 3.0      # seconds between SIGTERM and SIGKILL

LIVE = set()
LIVE_LOCK = threading.Lock()


def register(proc):
    with LIVE_LOCK:
        LIVE.add(proc)


def unregister(proc):
    with LIVE_LOCK:
        LIVE.discard(proc)


def kill(proc):
    """SIGKILL a process started with start_new_session=True and whatever it
    started (its process group, whose id is its pid)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


def kill_all():
    """Kill every process still registered (an interrupted run)."""
    with LIVE_LOCK:
        procs = list(LIVE)
    for p in procs:
        kill(p)


def dead_port():
    """A loopback port with nothing listening: bind, read the port, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(Exception):
    """The server did not start (its message and stderr given)."""


class FixtureServer:
    """One fixture-server process serving routes text from cwd."""

    def __init__(self, exe, routes, cwd, lifetime):
        self.exe, self.cwd, self.lifetime = exe, cwd, lifetime
        self.dir = tempfile.mkdtemp(prefix="citeaudit-server-")
        self.routes_path = os.path.join(self.dir, "routes")
        self.log_path = os.path.join(self.dir, "requests.log")
        self.port_path = os.path.join(self.dir, "port")
        self.err_path = os.path.join(self.dir, "stderr")
        with open(self.routes_path, "w", encoding="utf-8") as f:
            f.write(routes)
        self.proc, self.port = None, None

    def start(self):
        """Start the server and wait for its port; ServerError when it fails."""
        args = [self.exe, "--port-file", self.port_path, "--log", self.log_path,
                "--lifetime", str(self.lifetime), self.routes_path]
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(args, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err,
                                         start_new_session=True)
        register(self.proc)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if os.path.exists(self.port_path):
                with open(self.port_path, encoding="ascii") as f:
                    self.port = int(f.read().strip())
                return self.port
            if self.proc.poll() is not None:
                raise ServerError("fixture-server exited with status %d before listening:\n%s"
                                  % (self.proc.returncode, self.stderr()))
            time.sleep(0.01)
        raise ServerError("fixture-server gave no port within %g s:\n%s"
                          % (START_TIMEOUT, self.stderr()))

    def stop(self):
        """SIGTERM, then SIGKILL after a grace period; always reaps."""
        p = self.proc
        if p is None:
            return
        try:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(STOP_GRACE)
                except subprocess.TimeoutExpired:
                    kill(p)
                    p.wait()
        finally:
            unregister(p)

    def log_lines(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def stderr(self):
        try:
            with open(self.err_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""
