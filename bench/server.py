"""Serve the app with gunicorn as production would, sign in over HTTP, read the workers.

gunicorn runs ``wsgi:app`` with ``TRACKER_ENV=bench`` (``config.BenchConfig``) and the
bench's database in ``DATABASE_URL``: 2 sync workers (the deployment default, one request
at a time each) on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.data import DATA_DIR, ROOT
from tracker.benchmarks import HEADER

# The same User-Agent for the sign-in and for wrk: Flask-Login's session protection
# hashes it with the address, and a mismatch would rewrite the session on every request.
USER_AGENT = "tracker-bench"


@dataclass(frozen=True)
class Server:
    """A running gunicorn: where it listens and its master's process id."""

    host: str
    port: int
    pid: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass(frozen=True)
class Probe:
    """One untimed request: its status, statement count and size."""

    status: int
    statements: int | None
    size: int
    location: str = ""
    body: str = ""


def free_port() -> int:
    """A port nobody listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(database_url: str, workers: int = 2) -> Iterator[Server]:
    """gunicorn on ``database_url`` until the block ends (on errors and Ctrl-C too)."""
    port = free_port()
    log = DATA_DIR / "gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TRACKER_ENV": "bench", "DATABASE_URL": database_url,
           "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = Server("127.0.0.1", port, proc.pid, log)
    try:
        _wait_healthy(server, proc)
        yield server
    finally:
        _stop(proc)


def _wait_healthy(server: Server, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}):\n{_tail(server.log)}")
        try:
            if get(server, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn not healthy after {timeout:.0f} s:\n{_tail(server.log)}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the master (a graceful stop), SIGKILL to its group if it lingers."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# -- HTTP ----------------------------------------------------------------------------------
def _request(server: Server, method: str, path: str, cookie: str = "",
             form: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=120)
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def get(server: Server, path: str, cookie: str = "") -> Probe:
    """GET ``path`` once; the statement count comes from the ``X-SQL-Statements`` header."""
    response, body = _request(server, "GET", path, cookie)
    statements = response.getheader(HEADER)
    return Probe(response.status, int(statements) if statements is not None else None,
                 len(body), response.getheader("Location") or "",
                 body.decode("utf-8", errors="replace"))


def anonymous_cookie(server: Server, path: str) -> str:
    """The session cookie an anonymous visitor gets (its CSRF token), to send back.

    Without it every anonymous request would mint a new token and sign a new cookie, work
    that a signed-in page (whose session already holds its token) does not do.
    """
    response, _body = _request(server, "GET", path)
    return "; ".join(f"{k}={v}" for k, v in _cookies(response).items())


def sign_in(server: Server, email: str, password: str) -> str:
    """Sign in through the real form; the ``Cookie`` header value of the new session."""
    response, body = _request(server, "GET", "/auth/login")
    jar = _cookies(response)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    if response.status != 200 or not token:
        raise RuntimeError(f"sign-in form: HTTP {response.status}, no CSRF token")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    response, _body = _request(server, "POST", "/auth/login", cookie, form={
        "csrf_token": token.group(1).decode(), "email": email, "password": password})
    if response.status != 302:
        raise RuntimeError(f"signing in as {email}: HTTP {response.status} (wrong password?)")
    jar.update(_cookies(response))
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# -- workers -------------------------------------------------------------------------------
def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for {pid}")
