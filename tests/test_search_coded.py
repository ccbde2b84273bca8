"""Search finds what was stored as a code by what the page shows for it, in every shipped
language: an agreement reminder's title (stored in English, shown in the reader's
language), a complaint's escalation ("ack" / "resolve") and its root cause."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests import factories as f
from tracker.clients.complaints.root_causes import ROOT_CAUSES
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.messages import ESCALATION_TEXT, REMINDER_TITLES, reminder_title
from tracker.models import ComplaintEvent, User
from tracker.search import index
from tracker.search.query import search
from tracker.search.sources import load


def _zh(label: object) -> str:
    with force_locale("zh"):
        return _(str(label._args[0]))  # type: ignore[attr-defined]


def _found(user: User, query: str, kind: str) -> set[int]:
    results = search(db.session, user, query, per_kind=100)
    return {hit.record_id for hit in results.hits if hit.kind == kind}


@pytest.fixture
def reminders(users: dict[str, User]) -> dict[str, object]:
    partner = f.make_org("partner", "Reminder Partner", owner=users["partner_manager"])
    agreement = f.make_agreement(partner, "Supply deal", owner=users["partner_manager"])
    owner = users["partner_manager"].id
    ends = add_followup(agreement, reminder_title("end"), owner, date(2026, 12, 20),
                        organization=partner,
                        dedupe_key=f"agreement:{agreement.id}:end:2026-12-31")
    notice = add_followup(agreement, reminder_title("notice"), owner, date(2026, 12, 21),
                          organization=partner,
                          dedupe_key=f"agreement:{agreement.id}:notice:2026-12-31")
    # the same words typed by a person: a title like any other, in the words it was given
    typed = add_followup(agreement, reminder_title("end"), owner, date(2026, 12, 22),
                         organization=partner)
    db.session.commit()
    return {"ends": ends, "notice": notice, "typed": typed}


def test_a_reminder_is_found_by_its_title_in_every_language(reminders, users):
    reader = users["partner_manager"]
    ends, notice, typed = reminders["ends"], reminders["notice"], reminders["typed"]
    chinese = _zh(REMINDER_TITLES["end"])
    assert chinese != reminder_title("end")
    assert _found(reader, chinese, "followup") == {ends.id}
    assert _found(reader, "renew or close", "followup") == {ends.id, typed.id}
    assert _found(reader, _zh(REMINDER_TITLES["notice"]), "followup") == {notice.id}
    # a Chinese title is a title: it ranks as one
    assert search(db.session, reader, chinese).hits[0].record_id == ends.id


def test_a_retitled_reminder_is_found_by_its_new_title_only(reminders, users):
    ends = reminders["ends"]
    ends.title = "Call the partner about the renewal"
    db.session.commit()
    reader = users["partner_manager"]
    assert _found(reader, _zh(REMINDER_TITLES["end"]), "followup") == set()
    assert _found(reader, "call the partner", "followup") == {ends.id}


def test_the_results_page_shows_a_reminders_title_in_the_readers_language(
        reminders, users, login_as):
    reader = users["partner_manager"]
    chinese = _zh(REMINDER_TITLES["end"])
    reader.locale = "zh"
    db.session.commit()
    page = login_as(reader).get(f"/search?q={chinese}&kind=followup").get_data(as_text=True)
    assert f"<mark>{chinese}</mark>" in page
    assert reminder_title("end") not in page
    reader.locale = "en"
    db.session.commit()
    english = login_as(reader).get("/search?q=renew+or+close&kind=followup").get_data(
        as_text=True)
    assert "An agreement ends soon: <mark>renew</mark>" in english


@pytest.fixture
def escalated(users: dict[str, User]) -> dict[str, object]:
    client = f.make_org("client", "Escalation Client", owner=users["account_manager"])
    ack = f.make_complaint(client, "Parcel never came", assignee=users["support_agent"])
    resolve = f.make_complaint(client, "Wrong size", assignee=users["support_agent"])
    # written before the codes: the sentence in the language the job ran in
    legacy = f.make_complaint(client, "Broken lid", assignee=users["support_agent"])
    db.session.add_all([
        ComplaintEvent(complaint=ack, kind="escalation", body="ack"),
        ComplaintEvent(complaint=resolve, kind="escalation", body="resolve"),
        ComplaintEvent(complaint=legacy, kind="escalation",
                       body=_zh(ESCALATION_TEXT["ack"]))])
    db.session.commit()
    return {"ack": ack, "resolve": resolve, "legacy": legacy}


def test_an_escalation_is_filed_as_what_it_means_never_as_its_code(escalated, users):
    conn = db.session.connection()
    ids = [c.id for c in escalated.values()]
    for doc in load(conn, "complaints", ids):
        assert "ack" not in doc.parts and "resolve" not in doc.parts
    reader = users["support_agent"]
    ack, resolve, legacy = escalated["ack"], escalated["resolve"], escalated["legacy"]
    acknowledge = {ack.id, legacy.id}
    assert _found(reader, _zh(ESCALATION_TEXT["ack"]), "complaint") == acknowledge
    assert _found(reader, "deadline to acknowledge", "complaint") == acknowledge
    assert _found(reader, _zh(ESCALATION_TEXT["resolve"]), "complaint") == {resolve.id}
    assert _found(reader, "deadline to resolve", "complaint") == {resolve.id}
    # the codes name no complaint by themselves: "resolve" is found only where it is a word
    # of the sentence shown, never in the one that escalated to acknowledge
    assert ack.id not in _found(reader, "resolve", "complaint")


def test_a_root_cause_is_filed_by_its_label_in_every_language(users):
    client = f.make_org("client", "Root Cause Client", owner=users["account_manager"])
    coded = f.make_complaint(client, "Charged twice", root_cause="billing")
    typed = f.make_complaint(client, "Old ledger row", root_cause="vendor outage")
    reader = users["admin"]
    assert _found(reader, _zh(ROOT_CAUSES["billing"]), "complaint") == {coded.id}
    assert coded.id in _found(reader, "billing", "complaint")
    assert _found(reader, "vendor outage", "complaint") == {typed.id}


def test_a_reindex_files_the_same_wordings(reminders, escalated, users, app):
    index.clear(db.session.connection())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _found(users["partner_manager"], _zh(REMINDER_TITLES["end"]),
                  "followup") == {reminders["ends"].id}
    assert _found(users["support_agent"], _zh(ESCALATION_TEXT["resolve"]),
                  "complaint") == {escalated["resolve"].id}
