"""``python -m bench.run``: load-test the key pages of issue 8 with gunicorn and wrk.

1. Builds or reuses the data (``bench.data``): ``instance/bench/bench-<scale>.db``, or the
   PostgreSQL database ``--database-url`` names, filled by ``bench.generate``.
2. Serves the app with gunicorn, 2 workers, on 127.0.0.1 (``bench.server``), with
   ``config.BenchConfig``: the floor page and the ``X-SQL-Statements`` header.
3. Signs in through the sign-in form as each role, finds the records to open
   (``bench.pages``), and drives every page with wrk for ``--duration`` seconds; the floor
   runs first and last, and every page's requests/s is shown as a ratio of their mean.
4. Prints the table, writes ``bench/results/<timestamp>-<db>.json`` and
   ``latest-<db>.json``; exits 1 when any page misses a target (``bench.report``).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from typing import Any

from bench import report, search_sql, server, wrk
from bench.data import Dataset, bench_app, prepare, scale_name
from bench.pages import FLOOR, Page, catalogue
from bench.report import FLOOR_SPREAD, MAX_WORKER_RSS_MB, Result

DEFAULT_DURATION = 8.0
# gunicorn's 2 sync workers serve one request each at a time, so 2 connections keep both
# busy; more would only queue in the listen backlog and measure the wait, not the page.
DEFAULT_CONNECTIONS = 2
THREADS = 1  # one epoll thread drives 2 connections easily and leaves the cores to gunicorn


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="data volume, 1.0 = issue 8's full department (default 1.0)")
    parser.add_argument("--database-url", default="",
                        help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/tracker_bench "
                             "(default: SQLite in instance/bench/bench-<scale>.db)")
    parser.add_argument("--regenerate", action="store_true",
                        help="rebuild the data even if it is already there")
    parser.add_argument("--duration", type=float, default=DEFAULT_DURATION,
                        help=f"seconds of wrk load per page (default {DEFAULT_DURATION:g})")
    parser.add_argument("--warmup", type=float, default=1.0,
                        help="seconds of untimed load per page first (default 1): both "
                             "workers compile the templates and fill their caches")
    parser.add_argument("--connections", type=int, default=DEFAULT_CONNECTIONS,
                        help=f"wrk connections (default {DEFAULT_CONNECTIONS})")
    parser.add_argument("--floor-every", type=int, default=0, metavar="N",
                        help="also run the floor after every N pages; each page's ratio then "
                             "uses the floors just before and after it (for a busy machine)")
    parser.add_argument("--only", default="",
                        help="regex on page key, label, role or URL; the floor always runs")
    return parser.parse_args(argv)


def plan_of(pages: list[Page], floor_every: int) -> list[tuple[str, Page]]:
    """The floor first and last, and after every ``floor_every`` pages if that is set."""
    plan: list[tuple[str, Page]] = [("floor-start", FLOOR)]
    for n, page in enumerate(pages, 1):
        plan.append((page.key, page))
        if floor_every and n % floor_every == 0 and n < len(pages):
            plan.append((f"floor-{n}", FLOOR))
    return [*plan, ("floor-end", FLOOR)]


def floor_beside(results: list[Result]) -> dict[str, float]:
    """Each page's floor: the mean of the floor runs just before and just after it.

    With the floor at the start and the end only, that is their mean for every page; with
    ``--floor-every``, each page is compared with the floor of its own minutes.
    """
    floors = [(i, r.requests_per_s) for i, r in enumerate(results) if r.key.startswith("floor-")]
    beside = {}
    for i, r in enumerate(results):
        if not r.key.startswith("floor-"):
            before = [rps for j, rps in floors if j < i][-1]
            after = next(rps for j, rps in floors if j > i)
            beside[r.key] = (before + after) / 2
    return beside


def measure(srv: server.Server, page: Page, cookie: str, args: argparse.Namespace) -> Result:
    """An untimed request (status), warm-up, an untimed request (statements), then wrk."""
    result = Result.of(page)
    probe = server.get(srv, page.url, cookie)
    result.statements, result.size = probe.statements, probe.size
    if probe.status != 200:
        result.error = f"HTTP {probe.status}" + (f" -> {probe.location}" if probe.location
                                                 else "")
        return result
    headers = {"User-Agent": server.USER_AGENT}
    if cookie:
        headers["Cookie"] = cookie
    if args.warmup > 0:
        wrk.run(srv.base + page.url, duration=args.warmup, connections=args.connections,
                threads=THREADS, headers=headers)
        # Statements in the steady state: a worker's first request may fill a cache.
        result.statements = server.get(srv, page.url, cookie).statements
    measured = wrk.run(srv.base + page.url, duration=args.duration,
                       connections=args.connections, threads=THREADS, headers=headers)
    result.requests_per_s, result.requests = measured.requests_per_s, measured.requests
    result.p50_ms, result.p99_ms = measured.p50_ms, measured.p99_ms
    if measured.errors:
        result.error = "wrk: " + measured.errors
    return result


def _show(n: int, total: int, r: Result) -> None:
    detail = r.error or (f"{r.requests_per_s:8.1f} req/s  p50 {r.p50_ms:6.1f} ms  "
                         f"p99 {r.p99_ms:6.1f} ms  {r.statements} SQL")
    print(f"[{n:2d}/{total}] {r.role or 'anonymous':<16} {r.label:<36} {detail}", flush=True)


def _sign_in_all(srv: server.Server, data: Dataset, wanted: set[str]) -> dict[str, str]:
    cookies = {}
    for role in sorted(wanted):
        email = data.accounts.get(role)
        if not email:
            print(f"bench: WARNING no {role} account in this data set: its pages are skipped")
            continue
        try:
            cookies[role] = server.sign_in(srv, email, data.password)
            print(f"bench: signed in as {role} ({email})", flush=True)
        except RuntimeError as exc:
            print(f"bench: WARNING {exc}: {role}'s pages are skipped")
    return cookies


def _keyset_lists(srv: server.Server, cookies: dict[str, str]) -> dict[str, bool]:
    """Whether each long list pages by cursor (``?after=``) or by number (``?page=``)."""
    lists = {"partners": ("admin", "/partners/"), "clients": ("admin", "/clients/"),
             "queue": ("support_agent", "/clients/complaints/?view=closed")}
    return {name: "after=" in server.get(srv, url, cookies[role]).body
            for name, (role, url) in lists.items() if role in cookies}


def run(args: argparse.Namespace) -> int:
    """The whole bench; the exit code."""
    started = datetime.now(UTC)
    data = prepare(args.database_url or None, args.scale, args.regenerate)
    app = bench_app(data.url)
    only = re.compile(args.only) if args.only else None
    with server.serve(data.url) as srv:
        print(f"bench: gunicorn (2 workers) on {srv.base}, {data.dialect} "
              f"{data.shown_url}, scale {scale_name(data.scale)}", flush=True)
        cookies = _sign_in_all(srv, data, set(data.accounts))
        pages, warnings = catalogue(app, {r: data.accounts[r] for r in cookies},
                                    _keyset_lists(srv, cookies))
        for warning in warnings:
            print(f"bench: WARNING {warning}")
        if only:
            pages = [p for p in pages if only.search(" ".join(
                (p.key, p.label, p.role or "", p.url)))]
        floor_cookie = server.anonymous_cookie(srv, FLOOR.url)
        plan = plan_of(pages, args.floor_every)
        results: list[Result] = []
        for n, (key, page) in enumerate(plan, 1):
            cookie = floor_cookie if page.role is None else cookies[page.role]
            result = measure(srv, page, cookie, args)
            result.key = key
            _show(n, len(plan), result)
            results.append(result)
        workers = {pid: round(server.rss_mb(pid), 1) for pid in server.worker_pids(srv.pid)}
    searches = ([] if only and not only.search("search") else
                search_sql.measure(app, data.accounts))
    return finish(args, data, started, results, pages, workers, warnings, searches)


def finish(args: argparse.Namespace, data: Dataset, started: datetime, results: list[Result],
           pages: list[Page], workers: dict[int, float], warnings: list[str],
           searches: list[search_sql.SearchTime] | None = None) -> int:
    """Judge, print the table and the verdict line, write the JSON; the exit code."""
    floors = [r for r in results if r.key.startswith("floor-")]
    rest = [r for r in results if not r.key.startswith("floor-")]
    rates = [f.requests_per_s for f in floors]
    floor_rps = sum(rates) / len(rates)
    spread = (max(rates) - min(rates)) / floor_rps if floor_rps else 0.0
    for f in floors:
        f.ratio = f.requests_per_s / floor_rps if floor_rps else None
    other, compared = report.latest_other(data.dialect, data.scale)
    report.judge(rest, {p.key: p for p in pages}, floor_beside(results), other, data.dialect)
    print()
    print(report.table(results))
    print()
    print(f"floor: {floor_rps:.1f} req/s (" + ", ".join(f"{r:.1f}" for r in rates)
          + (f"; they differ by {spread:.0%}: the machine was not quiet, ratios are rough"
             + ("" if args.floor_every else ", --floor-every 3 compares each page with the "
                "floor of its own minutes") + ")" if spread > FLOOR_SPREAD else ")"))
    if compared:
        print(f"PostgreSQL vs SQLite: {compared}")
    heavy = {pid: mb for pid, mb in workers.items() if mb >= MAX_WORKER_RSS_MB}
    print("gunicorn workers RSS: " + ", ".join(f"{mb:.0f} MB" for mb in workers.values())
          + (f" (target < {MAX_WORKER_RSS_MB:.0f} MB: MISSED)" if heavy else ""))
    searches = searches or []
    if searches:
        print()
        print(search_sql.table(searches))
    if data.index:
        print(f"search index: {data.index.get('documents', 0):,.0f} documents, "
              f"{data.index.get('megabytes', 0):,.0f} MB, rebuilt in "
              f"{data.index.get('seconds', 0):,.0f} s")
    missed = [f"{r.role} {r.label}" for r in rest if r.missed]
    missed += [f"search SQL {t.words} as {t.role} {t.median_ms:.1f} ms > "
               f"{search_sql.MAX_SQL_MS:.0f}" for t in searches if t.missed]
    if heavy:
        missed.append("worker RSS")
    if not rest:
        missed.append("no page was measured")
    record: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": report.machine(), "commit": report.commit(),
        "database": {"dialect": data.dialect, "url": data.shown_url, "counts": data.counts,
                     "search_index": data.index},
        "scale": data.scale,
        "settings": {"duration_s": args.duration, "connections": args.connections,
                     "threads": THREADS, "gunicorn_workers": 2, "only": args.only,
                     "warmup_s": args.warmup, "floor_every": args.floor_every},
        "floor": {"requests_per_s": floor_rps, "runs": rates, "spread": round(spread, 3)},
        "pages": report.as_dicts(rest), "floors": report.as_dicts(floors),
        "workers_rss_mb": list(workers.values()), "warnings": warnings, "missed": missed,
        "search_sql": [t.as_dict() for t in searches],
    }
    path = report.write(record, data.dialect, complete=not args.only)
    print(f"results: {path.relative_to(report.ROOT)}")
    within = sum(1 for r in rest if not r.missed)
    print(f"bench: {(datetime.now(UTC) - started).total_seconds():.0f} s in all")
    print(f"bench: {within}/{len(rest)} pages within every target"
          + (f"; missed: {'; '.join(missed)}" if missed else ""))
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("\nbench: interrupted (gunicorn stopped)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
