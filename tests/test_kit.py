"""The record-view kit is the one way record pages load, check, save and archive.

What the kit does is exercised through every route by the access matrix and the
stale-form tests; these tests keep the scaffolding from growing back beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.web.kit import RecordPages

WEB = Path(__file__).resolve().parent.parent / "tracker" / "web"
SOURCES = sorted(p for p in WEB.rglob("*.py") if p.name != "kit.py")

# Where a stale form is still caught by hand, and why the kit's Submission does not fit.
STALE_BY_HAND = {
    "admin/sla.py": 1,  # one form over several rows: its version is a stamp of all of them
    "clients/requirements.py": 2,  # a move shows what changed before validating the move
    "followups/routes.py": 2,  # "Done" twice is no conflict; _act serves every other action
    "partners/routes.py": 1,  # a stage move answers with the board or the page, not a form
}

# Archive, restore and history pages that are not a kind's own record pages.
SPECIAL_PAGES = {
    "admin.role_archive": "built-in roles refuse to be archived",
    "admin.role_history": "roles have no page of their own to go back to",
    "main.attachment_archive": "a file is removed by whoever may edit its record",
    "partners.history": "an organization's trail interleaves its contacts'",
    "clients.history": "an organization's trail interleaves its contacts'",
}


def _rel(path: Path) -> str:
    return path.relative_to(WEB).as_posix()


@pytest.mark.parametrize("path", SOURCES, ids=_rel)
def test_views_use_the_kit(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"^Reply\s*=", source, re.M), "Reply lives in tracker.web.kit"
    assert "def _require(" not in source, "use kit.require / kit.require_can"
    assert "get_visible_or_404" not in source, "use kit.load (404 for what is not visible)"
    assert "conflict_changes" not in source, "the conflict partial reads conflict.shown"
    assert "archive_record(" not in source and "restore_record(" not in source
    caught = source.count("except StaleRecord")
    assert caught == STALE_BY_HAND.get(_rel(path), 0), (
        "a stale form is handled by kit.Submission; list a reason here if it can't be")


def test_record_pages_are_declared_with_the_kit(app) -> None:
    pages = re.compile(r"(^|_)(archive|restore|history)$")
    by_hand = []
    for endpoint, view in app.view_functions.items():
        name = endpoint.rsplit(".", 1)[-1]
        if not pages.search(name) or endpoint in SPECIAL_PAGES:
            continue
        if not isinstance(getattr(view, "__self__", None), RecordPages):
            by_hand.append(endpoint)
    assert not by_hand, f"declare these with kit.record_pages: {by_hand}"


def test_special_pages_exist(app) -> None:
    """The exceptions above name real endpoints (a rename must not hide one)."""
    assert set(SPECIAL_PAGES) <= set(app.view_functions)


def test_archive_needs_a_message_and_a_destination() -> None:
    from flask import Blueprint

    with pytest.raises(TypeError):
        RecordPages("thing", "/things/<int:thing_id>", lambda _id: None,
                    detail="x.thing").register(Blueprint("x", __name__))
