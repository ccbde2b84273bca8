"""A renamed or removed endpoint fails here, instead of vanishing from a page.

Every ``url_for('…')`` written in a template or in the code, and every page a follow-up's
source links to, must name an endpoint the app has.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, url_for

from config import TestingConfig
from tracker import create_app
from tracker.followups.source_rows import SourceRow
from tracker.followups.sources import SOURCE_KINDS

ROOT = Path(__file__).resolve().parent.parent
# url_for("x.y" …) and url_for('x.y' …), with or without a leading "." (blueprint-relative)
NAMED = re.compile(r"""url_for\(\s*(['"])([\w.]+)\1""")


def _named_endpoints() -> list[tuple[str, str]]:
    found = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("tracker/**/*.py")]:
        for match in NAMED.finditer(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), match.group(2)))
    return found


def test_the_scan_finds_the_pages_it_should():
    names = {endpoint for _, endpoint in _named_endpoints()}
    assert {"main.dashboard", "clients.complaint_detail", "admin.jobs"} <= names
    assert len(names) > 100


@pytest.fixture(scope="module")
def bench_app(app: Flask) -> Flask:
    """The app as ``make bench`` serves it: with the floor page."""
    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app.config[
        "SQLALCHEMY_DATABASE_URI"], INSTANCE_PATH=app.config["INSTANCE_PATH"], BENCH=True)


@pytest.mark.parametrize(("where", "endpoint"), _named_endpoints())
def test_every_named_page_exists(app: Flask, bench_app: Flask, where: str, endpoint: str):
    served = bench_app if endpoint.startswith("bench.") else app
    assert endpoint in served.view_functions, f"{where} links to {endpoint!r}, which is gone"


@pytest.mark.parametrize("source_type", sorted(SOURCE_KINDS))
def test_every_follow_up_source_links_to_a_page(app: Flask, source_type: str):
    for org_kind in ("partner", "client"):
        sample = SourceRow(id=1, title="t", seen=True, archived=False, org_kind=org_kind,
                           meeting_id=1)
        endpoint, values = SOURCE_KINDS[source_type].page(sample)
        assert endpoint in app.view_functions, f"{source_type} links to {endpoint!r}"
        with app.test_request_context():
            assert url_for(endpoint, **values)
