"""Exports hold exactly the rows the filtered list shows, as the page shows them (labels in
the reader's language, times in their zone to the minute), and no field the role may not
see: in CSV and in Excel (read back with openpyxl)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl
import sqlalchemy as sa

from tests import factories
from tracker.extensions import db
from tracker.models import Team


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list[object]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def _shown_titles(page: str) -> set[str]:
    return set(re.findall(r'href="/clients/complaints/\d+">([^<]+)</a>', page))


def test_the_complaint_export_holds_the_rows_shown(login_as, users):
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    a_client = factories.make_org("client", "Alpha 上海", team=alpha)
    b_client = factories.make_org("client", "Beta Foods", team=beta)
    received = datetime(2026, 3, 2, 2, 7, 31, 123456, tzinfo=UTC)  # 10:07 in Shanghai
    factories.make_complaint(a_client, "=HYPERLINK(\"x\")", severity="high", category="billing",
                             received_at=received)
    factories.make_complaint(a_client, "账单错误 two", severity="low", category="billing",
                             received_at=received)
    factories.make_complaint(b_client, "Beta one", severity="high", category="delivery",
                             received_at=received)
    factories.make_complaint(a_client, "Secret", severity="high", is_confidential=True,
                             created_by_id=users["manager"].id, received_at=received)
    for role, expected in (("manager", {"=HYPERLINK(\"x\")", "Beta one", "Secret"}),
                           ("account_manager", {"=HYPERLINK(\"x\")"})):
        client = login_as(role)
        page = client.get("/clients/complaints/?view=all&severity=high").get_data(as_text=True)
        import html

        assert _shown_titles(html.unescape(page)) == expected, role
        rows = _csv(client.get("/clients/complaints/export?view=all&severity=high"))
        assert rows[0][:3] == ["Severity", "Subject", "Category"]
        body = rows[1:]
        titles = {r[1].removeprefix("'") for r in body}
        assert titles == expected, role
        assert all(r[0] == "High" for r in body)
        assert "'=HYPERLINK(\"x\")" in {r[1] for r in body}  # never a formula in CSV
        first = next(r for r in body if "HYPERLINK" in r[1])
        assert first[6] == "2026-03-02 10:07"  # the reader's zone, to the minute
        sheet = _xlsx(client.get("/clients/complaints/export?view=all&severity=high"
                                 "&format=xlsx"))
        assert [r[1] for r in sheet[1:]] == [r[1].removeprefix("'") for r in body]
        cell = next(r for r in sheet[1:] if "HYPERLINK" in r[1])
        assert cell[6] == datetime(2026, 3, 2, 10, 7)  # a real time, in the reader's zone
    # Chinese labels for a Chinese reader
    users["manager"].locale = "zh"
    db.session.commit()
    rows = _csv(login_as("manager").get("/clients/complaints/export?view=all"))
    assert rows[0][0] == "严重程度"
    assert {r[0] for r in rows[1:]} <= {"高", "低", "中", "紧急"}
    # roles without the export capability get none
    assert login_as("support_agent").get("/clients/complaints/export").status_code == 403


def test_the_partner_export_shows_the_stage_and_money_only_to_those_who_see_it(
        login_as, users):
    partner = factories.make_org("partner", "青禾物流", stage="negotiating",
                                 owner=users["partner_manager"])
    factories.make_agreement(partner, "Warehouse deal", fee="12000.50")
    client = login_as("manager")
    rows = _csv(client.get("/partners/export"))
    assert rows[0][1] == "Stage" and rows[1][1] == "Negotiating"
    sheet = _xlsx(client.get("/partners/export?format=xlsx"))
    assert sheet[0][1] == "Stage" and sheet[1][:2] == ["青禾物流", "Negotiating"]
    with_money = _xlsx(client.get("/partners/agreements/export?format=xlsx"))
    assert "Fees" in with_money[0]
    assert with_money[1][with_money[0].index("Fees")] == 12000.5
    assert login_as("team_member").get("/partners/agreements/export").status_code == 403
    # a role that exports agreements but does not see money: no fee column, no amount
    from tests.test_agreements import custom_user

    clerk = custom_user("export_clerk", {"partners": (3, 0), "agreements": (3, 0)},
                        capabilities=("export",))
    for fmt in ("csv", "xlsx"):
        response = login_as(clerk).get(f"/partners/agreements/export?format={fmt}")
        rows = _csv(response) if fmt == "csv" else _xlsx(response)
        assert rows[1][0] == "Warehouse deal"
        assert not {"Fees", "Currency", "Payment terms"} & set(rows[0])
        assert "12000" not in repr(rows) and "Net 30" not in repr(rows)
