"""Drive one URL with wrk and read its summary: requests/s, p50, p99, errors."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

# wrk prints times with the unit it finds readable: 812.00us, 4.20ms, 1.02s, 1.50m.
_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int = 0
    socket_errors: int = 0

    @property
    def errors(self) -> str:
        """A short description of what went wrong, empty when nothing did."""
        parts = []
        if self.non_2xx_3xx:
            parts.append(f"{self.non_2xx_3xx} non-2xx/3xx responses")
        if self.socket_errors:
            parts.append(f"{self.socket_errors} socket errors")
        if not self.requests:
            parts.append("no requests completed")
        return ", ".join(parts)


def to_ms(value: str, unit: str) -> float:
    """A wrk time (``value`` in ``unit``) in milliseconds."""
    return float(value) * _TIME_UNITS_MS[unit]


def parse(output: str) -> WrkResult:
    """Read the summary ``wrk --latency`` printed; ValueError when it is not there."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(rf"^\s+50%\s+{_TIME}", output, re.MULTILINE)
    p99 = re.search(rf"^\s+99%\s+{_TIME}", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in ", output, re.MULTILINE)
    if not (rate and p50 and p99 and total):
        raise ValueError("no wrk --latency summary in:\n" + output)
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    return WrkResult(
        requests_per_s=float(rate.group(1)),
        p50_ms=to_ms(*p50.groups()),
        p99_ms=to_ms(*p99.groups()),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def run(url: str, *, duration: float, connections: int, threads: int,
        headers: dict[str, str]) -> WrkResult:
    """Load ``url`` for ``duration`` seconds and parse the result."""
    command = ["wrk", "--latency", f"--threads={threads}", f"--connections={connections}",
               f"--duration={max(1, round(duration))}s", "--timeout=10s"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)
