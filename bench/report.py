"""Targets, verdicts, the table and the JSON record of a bench run (issue 8)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.data import ROOT
from bench.pages import Page

RESULTS = ROOT / "bench" / "results"

# Issue 8, "Targets": full data set, SQLite, this project's 2-core machines.
MAX_P99_MS = 50.0
MAX_STATEMENTS = 8
DEEP_VS_PAGE_ONE = 0.9
MAX_WORKER_RSS_MB = 150.0
PG_VS_SQLITE = 0.7
FLOOR_SPREAD = 0.10  # start and end floors further apart than this: the machine was busy


@dataclass
class Result:
    """What one page measured, and the targets it missed."""

    key: str
    label: str
    role: str | None
    url: str
    is_list: bool
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    statements: int | None = None
    size: int = 0
    ratio: float | None = None
    pg_vs_sqlite: float | None = None
    error: str = ""
    missed: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, page: Page) -> Result:
        return cls(page.key, page.label, page.role, page.url, page.is_list)


def judge(results: list[Result], pages: dict[str, Page], floors: dict[str, float],
          other: dict[str, Any] | None, dialect: str) -> None:
    """Fill each result's ratio (to ``floors[key]``) and the targets it misses."""
    by_key = {r.key: r for r in results}
    their = {p["key"]: p for p in (other or {}).get("pages", [])}
    for r in results:
        if r.error:
            r.missed.append(r.error)
            continue
        page = pages[r.key]
        floor_rps = floors.get(r.key, 0.0)
        r.ratio = r.requests_per_s / floor_rps if floor_rps else None
        if r.ratio is not None and r.ratio < page.target_ratio:
            r.missed.append(f"ratio {r.ratio:.3f} < {page.target_ratio:.2f}")
        if page.page_one and (first := by_key.get(page.page_one)) and first.requests_per_s:
            deep = r.requests_per_s / first.requests_per_s
            if deep < DEEP_VS_PAGE_ONE:
                r.missed.append(f"{deep:.2f} x page 1 < {DEEP_VS_PAGE_ONE}")
        if r.p99_ms > MAX_P99_MS:
            r.missed.append(f"p99 {r.p99_ms:.1f} ms > {MAX_P99_MS:.0f}")
        if r.statements is None or r.statements > MAX_STATEMENTS:
            r.missed.append(f"{r.statements} SQL > {MAX_STATEMENTS}")
        if (mate := their.get(r.key)) and mate.get("ratio") and r.ratio:
            pg, lite = (r.ratio, mate["ratio"]) if dialect == "postgresql" else (
                mate["ratio"], r.ratio)
            r.pg_vs_sqlite = pg / lite
            if r.pg_vs_sqlite < PG_VS_SQLITE:
                r.missed.append(f"PostgreSQL {r.pg_vs_sqlite:.2f} x SQLite < {PG_VS_SQLITE}")


def latest_other(dialect: str, scale: float) -> tuple[dict[str, Any] | None, str]:
    """The latest result of the other database at the same scale, and where it came from."""
    other = "sqlite" if dialect == "postgresql" else "postgresql"
    path = RESULTS / f"latest-{other}.json"
    if not path.exists():
        return None, ""
    data = json.loads(path.read_text())
    if data.get("scale") != scale:
        return None, f"{path.name} is at scale {data.get('scale')}, not compared"
    return data, f"compared with {path.name} ({data.get('commit')}, {data.get('finished')})"


# -- the record ----------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """Which machine measured: host, CPU model, cores, memory."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in
                      Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:"))
    except (OSError, StopIteration):
        mem_kb = 0
    return {"hostname": socket.gethostname(), "cpu": cpu, "cores": os.cpu_count(),
            "memory_mb": mem_kb // 1024}


def commit() -> str:
    """The short commit, with ``-dirty`` when tracked files have uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def write(record: dict[str, Any], dialect: str, complete: bool) -> Path:
    """``bench/results/<UTC timestamp>-<db>.json``, and ``latest-<db>.json`` if complete.

    A run of some pages (``--only``) never becomes the latest: the other database's runs
    are compared with the latest, page by page.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    path = RESULTS / f"{stamp}-{dialect}.json"
    path.write_text(text)
    if complete:
        (RESULTS / f"latest-{dialect}.json").write_text(text)
    return path


def as_dicts(results: list[Result]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]


# -- the table -----------------------------------------------------------------------------
def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (Chinese characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def table(results: list[Result]) -> str:
    """One line per page: role, page, req/s, p50, p99, SQL, ratio, verdict."""
    lines = [f"{'role':<16}{_pad('page', 36)}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
             f"{'SQL':>5}{'KiB':>6}{'ratio':>7}{'PG/SQLite':>10}  verdict"]
    for r in results:
        ratio = f"{r.ratio:7.3f}" if r.ratio is not None else f"{'-':>7}"
        pg = f"{r.pg_vs_sqlite:10.2f}" if r.pg_vs_sqlite is not None else f"{'':>10}"
        sql = f"{r.statements:5d}" if r.statements is not None else f"{'-':>5}"
        verdict = "ok" if not r.missed else "MISS: " + "; ".join(r.missed)
        lines.append(f"{r.role or 'anonymous':<16}{_pad(r.label[:34], 36)}"
                     f"{r.requests_per_s:8.1f}{r.p50_ms:8.1f}{r.p99_ms:8.1f}{sql}"
                     f"{r.size / 1024:6.0f}{ratio}{pg}  {verdict}")
    return "\n".join(lines)
