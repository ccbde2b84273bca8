"""Imports from Excel and CSV: the columns guessed from English or Chinese headers, a dry
run that changes nothing, the import as a job, natural keys (the same file twice creates
nothing new), bad rows reported with row and reason while good rows go in, undo, and the
history of every imported record."""

from __future__ import annotations

import io
import re

import openpyxl
import sqlalchemy as sa

from tests import factories
from tracker.clients.complaints import categories
from tracker.extensions import db
from tracker.imports.fields import guess_mapping
from tracker.models import (
    AuditEvent,
    Complaint,
    ComplaintStatus,
    Contact,
    ImportBatch,
    ImportRow,
    Organization,
    Team,
)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CLIENT_LEDGER = [
    ["客户名称", "行业", "负责人", "标签", "联系人", "邮箱", "电话"],
    ["青禾科技", "软件", "account_manager@test.example", "华东、新签", "王敏",
     "wangmin@qinghe.cn", "13800000001"],
    ["青禾科技", "", "", "", "李强", "liqiang@qinghe.cn", ""],
    ["Blue River", "Logistics", "Account_Manager", "", "Ann Lee", "ANN@blueriver.com", ""],
    ["坏行", "", "nobody@nowhere.example", "", "", "", ""],
    ["", "没有名字", "", "", "", "", ""],
    ["Bad Mail Ltd", "", "", "", "Bo", "not-an-email", ""],
]


def _upload(client, kind: str, name: str, data: bytes) -> ImportBatch:
    response = client.post("/imports", data={"kind": kind, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    batch_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    return db.session.get(ImportBatch, batch_id)


def _mapping_form(batch: ImportBatch) -> dict[str, str]:
    return {f"col_{i}": key for i, key in enumerate(batch.mapping)}


def _check(client, batch: ImportBatch) -> str:
    response = client.post(f"/imports/{batch.id}/check", data=_mapping_form(batch))
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(f"/imports/{batch.id}").get_data(as_text=True)


def _import(client, name: str, rows: list[list[object]], kind: str = "clients"
            ) -> ImportBatch:
    batch = _upload(client, kind, name, _xlsx(rows))
    _check(client, batch)
    response = client.post(f"/imports/{batch.id}/start")
    assert response.status_code == 302
    db.session.expire_all()
    batch = db.session.get(ImportBatch, batch.id)
    assert batch.state == "done", (batch.state, batch.error)
    return batch


def _verdicts(batch: ImportBatch, column: str = "outcome") -> dict[int, str]:
    return {row.number: getattr(row, column) for row in db.session.scalars(
        sa.select(ImportRow).where(ImportRow.import_id == batch.id))}


def _state() -> tuple:
    """Everything an import may touch, as plain values."""
    orgs = sorted((o.name, o.industry, o.owner_id, o.team_id, o.archived_at is None,
                   tuple(t.name for t in o.tags)) for o in db.session.scalars(
        sa.select(Organization)))
    contacts = sorted((c.organization_id, c.name, c.email, c.phone, c.archived_at is None)
                      for c in db.session.scalars(sa.select(Contact)))
    complaints = sorted((c.external_ref or "", c.title, c.description, c.category_id,
                         c.archived_at is None) for c in db.session.scalars(
        sa.select(Complaint)))
    return orgs, contacts, complaints


def test_columns_are_guessed_from_english_or_chinese_headers(app):
    headers = ["客户名称", "所属行业", "负责人", "联系人", "联系人邮箱", "手机", "备注", "?"]
    assert guess_mapping("clients", headers) == [
        "name", "industry", "owner", "contact_name", "contact_email", "contact_phone", "notes",
        ""]
    english = ["Name", "Stage", "E-mail", "Contact", "Tags", "Website"]
    assert guess_mapping("partners", english) == [
        "name", "stage", "contact_email", "contact_name", "tags", "website"]
    complaints = ["投诉编号", "客户", "投诉内容", "投诉类型", "严重程度", "投诉时间", "处理人"]
    assert guess_mapping("complaints", complaints) == [
        "number", "client", "description", "category", "severity", "received", "assignee"]


def test_the_dry_run_changes_nothing_and_says_what_each_row_would_do(login_as, users):
    client = login_as("account_manager")
    before = _state()
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    batch = _upload(client, "clients", "客户台账.xlsx", _xlsx(CLIENT_LEDGER))
    page = _check(client, batch)
    db.session.expire_all()
    assert _state() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == audit_before
    assert _verdicts(batch, "checked") == {2: "create", 3: "create", 4: "create", 5: "reject",
                                           6: "reject", 7: "reject"}
    assert "3 new, 0 to update, 0 unchanged, 3 rejected" in page
    assert "nobody@nowhere.example" in page  # the reason names what was not found
    assert "Name is empty." in page
    assert "Client: new · Contact: new" in page  # row 2; row 3 adds a contact only
    assert re.search(r"<td>3</td>.*?<td class=\"why\">Contact: new</td>", page, re.S)


def test_import_creates_and_reports_bad_rows_with_row_and_reason(login_as, users):
    client = login_as("account_manager")
    batch = _import(client, "客户台账.xlsx", CLIENT_LEDGER)
    assert _verdicts(batch) == {2: "create", 3: "create", 4: "create", 5: "reject",
                                6: "reject", 7: "reject"}
    qinghe = db.session.scalar(sa.select(Organization).where(Organization.name == "青禾科技"))
    assert qinghe.kind == "client" and qinghe.industry == "软件"
    assert qinghe.owner_id == users["account_manager"].id
    assert sorted(t.name for t in qinghe.tags) == ["华东", "新签"]
    assert sorted(c.email for c in qinghe.contacts) == ["liqiang@qinghe.cn", "wangmin@qinghe.cn"]
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    assert qinghe.team_id == alpha.id  # the importer's team when the file names none
    blue = db.session.scalar(sa.select(Organization).where(Organization.name == "Blue River"))
    assert [c.email for c in blue.contacts] == ["ann@blueriver.com"]
    assert db.session.scalar(sa.select(Organization).where(Organization.name == "坏行")) is None
    # The search index followed the import (written a chunk of rows at a time).
    found = client.get("/search?q=王敏").get_data(as_text=True)
    assert "王敏" in found and "青禾科技" in found
    assert "Blue River" in client.get("/search?q=blue river").get_data(as_text=True)
    page = client.get(f"/imports/{batch.id}?show=reject").get_data(as_text=True)
    assert re.search(r"<td>5</td>.*nobody@nowhere.example", page, re.S)
    assert re.search(r"<td>7</td>.*not-an-email.*is not an e-mail address", page, re.S)

    # Every imported record's history names the file and the row.
    admin = login_as("admin")
    history = admin.get(f"/clients/{qinghe.id}/history").get_data(as_text=True)
    assert "Imported from 客户台账.xlsx, row 2" in history
    admin.post("/language", data={"lang": "zh"})
    history = admin.get(f"/clients/{qinghe.id}/history").get_data(as_text=True)
    assert "导入自 客户台账.xlsx，第 2 行" in history


def test_the_same_file_twice_creates_nothing_new(login_as):
    client = login_as("account_manager")
    _import(client, "a.xlsx", CLIENT_LEDGER)
    after_first = _state()
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    again = _import(client, "a.xlsx", CLIENT_LEDGER)
    assert _state() == after_first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events
    assert set(_verdicts(again).values()) == {"unchanged", "reject"}


def test_undo_restores_the_state_before(login_as, users):
    client = login_as("account_manager")
    before = _state()
    first = _import(client, "a.xlsx", CLIENT_LEDGER)
    created = _state()
    changed = [row[:] for row in CLIENT_LEDGER[:3]]
    changed[1][1] = "硬件"
    changed[1][6] = "13900000000"
    second = _import(client, "b.xlsx", changed)
    assert _verdicts(second) == {2: "update", 3: "unchanged"}
    assert client.post(f"/imports/{second.id}/undo").status_code == 302
    db.session.expire_all()
    assert _state() == created
    assert client.post(f"/imports/{first.id}/undo").status_code == 302
    db.session.expire_all()
    assert [s for s in _state()[0] if s[4]] == [s for s in before[0] if s[4]]
    assert [s for s in _state()[1] if s[4]] == [s for s in before[1] if s[4]]
    assert db.session.get(ImportBatch, first.id).state == "undone"
    page = client.get("/clients/").get_data(as_text=True)
    assert "青禾科技" not in page and "Blue River" not in page
    assert "Blue River" not in client.get("/search?q=blue river").get_data(as_text=True)
    qinghe = db.session.scalar(sa.select(Organization).where(Organization.name == "青禾科技"))
    history = login_as("admin").get(f"/clients/{qinghe.id}/history").get_data(as_text=True)
    assert "Put back by undoing the import of a.xlsx (row 2)" in history


def test_undo_keeps_a_record_changed_since_the_import(login_as):
    client = login_as("account_manager")
    batch = _import(client, "a.xlsx", CLIENT_LEDGER[:2])
    qinghe = db.session.scalar(sa.select(Organization).where(Organization.name == "青禾科技"))
    qinghe.industry = "改过了"
    db.session.commit()
    client.post(f"/imports/{batch.id}/undo")
    db.session.expire_all()
    qinghe = db.session.get(Organization, qinghe.id)
    assert qinghe.archived_at is None and qinghe.industry == "改过了"
    page = client.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "Changed since the import: kept" in page


def test_complaints_come_in_by_number_and_client(login_as, users):
    categories.ensure_defaults()
    alpha = db.session.scalar(sa.select(Team).where(Team.name == "Alpha"))
    beta = factories.make_team("Beta")
    factories.make_org("client", "青禾科技", team=alpha, owner=users["account_manager"])
    factories.make_org("client", "Hidden Co", team=beta)
    client = login_as("account_manager")  # sees the clients of their team, not Beta's
    ledger = [
        ["投诉编号", "客户", "投诉内容", "投诉类型", "严重程度", "投诉时间", "状态", "处理结果",
         "解决时间"],
        ["KS-001", "青禾科技", "发票抬头错误，要求重开", "账单错误", "紧急", "2026-11-03 14:20",
         "", "", ""],
        ["KS-002", "青禾科技", "送货晚了三天", "Delivery delay", "低", "2026/11/4", "已解决",
         "补发并致歉", "2026年11月5日"],
        ["KS-003", "Hidden Co", "看不见的客户", "", "", "", "", "", ""],
        ["KS-004", "青禾科技", "类别不存在", "外星人入侵", "", "", "", "", ""],
        ["", "青禾科技", "没有编号", "", "", "", "", "", ""],
    ]
    batch = _import(client, "客诉表.xlsx", ledger, kind="complaints")
    assert _verdicts(batch) == {2: "create", 3: "create", 4: "reject", 5: "reject",
                                6: "reject"}
    first = db.session.scalar(sa.select(Complaint).where(Complaint.external_ref == "KS-001"))
    assert first.severity == "critical" and first.category.name == "Billing error"
    assert first.title == "发票抬头错误，要求重开"
    assert first.received_at.isoformat().startswith("2026-11-03T06:20")  # Shanghai → UTC
    assert first.ack_due_at is not None
    second = db.session.scalar(sa.select(Complaint).where(Complaint.external_ref == "KS-002"))
    assert second.status == ComplaintStatus.RESOLVED
    assert second.resolution_summary == "补发并致歉"
    page = client.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "No client you may see is called “Hidden Co”" in page  # hidden: not revealed

    # The ledger again, with a new description: updated in place, nothing new.
    ledger[1][2] = "发票抬头错误，已重开"
    again = _import(client, "客诉表.xlsx", ledger, kind="complaints")
    assert _verdicts(again)[2] == "update" and _verdicts(again)[3] == "unchanged"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 2
    db.session.expire_all()
    assert db.session.get(Complaint, first.id).description == "发票抬头错误，已重开"


def test_a_csv_saved_by_chinese_excel_is_read(login_as):
    client = login_as("team_member")
    data = "名称,阶段,官网\r\n云杉伙伴,洽谈中,https://yunshan.example\r\n".encode("gb18030")
    batch = _upload(client, "partners", "/home/王敏/伙伴.csv", data)
    assert batch.filename == "伙伴.csv"
    assert batch.mapping == ["name", "stage", "website"]
    _check(client, batch)
    client.post(f"/imports/{batch.id}/start")
    partner = db.session.scalar(sa.select(Organization).where(Organization.name == "云杉伙伴"))
    assert partner.kind == "partner" and partner.stage == "negotiating"


def test_a_bad_file_or_mapping_is_refused_on_the_form(login_as):
    client = login_as("account_manager")
    response = client.post("/imports", data={"kind": "clients",
                                             "file": (io.BytesIO(b"\x00\x01"), "x.xls")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Upload a .csv or .xlsx file" in response.get_data(as_text=True)
    batch = _upload(client, "clients", "a.xlsx", _xlsx(CLIENT_LEDGER))
    form = _mapping_form(batch)
    form["col_0"] = ""  # no column for the name
    form["col_2"] = "industry"  # the industry twice
    response = client.post(f"/imports/{batch.id}/check", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the column that holds Name." in page
    assert "Already chosen for another column." in page
    # Importing before a check (or after the columns changed) is refused.
    assert client.post(f"/imports/{batch.id}/start").status_code == 409


def test_imports_are_their_uploaders_own(login_as, users):
    batch = _upload(login_as("account_manager"), "clients", "a.xlsx", _xlsx(CLIENT_LEDGER))
    other = login_as("manager")
    assert other.get(f"/imports/{batch.id}").status_code == 404
    assert other.post(f"/imports/{batch.id}/start").status_code == 404
    assert login_as("auditor").get("/imports").status_code == 403


def test_a_rejected_row_does_not_unindex_the_rows_before_it(login_as):
    client = login_as("account_manager")
    _import(client, "a.xlsx", [["名称", "负责人"], ["云杉贸易", ""], ["坏行", "nobody"],
                               ["松柏物流", ""]])
    for name in ("云杉贸易", "松柏物流"):
        assert name in client.get(f"/search?q={name}").get_data(as_text=True), name


def test_one_tag_parser_for_the_form_and_the_import(login_as, users):
    from tracker.text import tag_names

    assert tag_names(" vip, 华东、vip；新签 |  重点  客户 ") == ["vip", "华东", "新签", "重点 客户"]
    client = login_as("account_manager")
    response = client.post("/clients/new", data={"name": "顿号客户", "status": "active",
                                                 "tags": "华东、新签",
                                                 "owner_id": users["account_manager"].id})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organization).where(Organization.name == "顿号客户"))
    assert sorted(t.name for t in org.tags) == ["华东", "新签"]
