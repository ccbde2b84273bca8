"""Every endpoint × every role, with the expected answer declared in one table.

A new endpoint without a row here fails ``test_every_endpoint_has_a_row``.
Columns: anonymous, admin, manager, partner_manager, account_manager, support_agent,
team_member, auditor. 302 for an anonymous user is the redirect to the sign-in page;
for a signed-in one it is a successful POST. 422 is an allowed POST of an empty form.
"""

from __future__ import annotations

import pytest

from tests import factories
from tracker.extensions import db
from tracker.models import Notification, Requirement, Role
from tracker.records import archive

COLUMNS = ("anonymous", "admin", "manager", "partner_manager", "account_manager",
           "support_agent", "team_member", "auditor")

#         endpoint                    method  url args          anon adm  mgr  pm   am   sup  tm   aud
MATRIX = """
main.dashboard                        GET     -                 302  200  200  200  200  200  200  200
main.search                           GET     q=a               302  200  200  200  200  200  200  200
main.set_language                     POST    -                 302  302  302  302  302  302  302  302
main.healthz                          GET     -                 200  200  200  200  200  200  200  200
static                                GET     filename          200  200  200  200  200  200  200  200
auth.login                            GET     -                 200  302  302  302  302  302  302  302
auth.logout                           POST    -                 302  302  302  302  302  302  302  302
auth.change_password                  GET     -                 302  200  200  200  200  200  200  200
auth.settings                         GET     -                 302  200  200  200  200  200  200  200
partners.index                        GET     -                 302  200  200  200  403  403  200  200
partners.export                       GET     -                 302  200  200  200  403  403  403  200
partners.create                       GET     -                 302  200  200  200  403  403  200  403
partners.create                       POST    -                 302  422  422  422  403  403  422  403
partners.detail                       GET     partner           302  200  200  200  403  403  404  200
partners.edit                         GET     partner           302  200  200  403  403  403  404  403
partners.edit                         POST    partner           302  422  422  403  403  403  404  403
partners.archive                      POST    partner           302  302  302  403  403  403  404  403
partners.restore                      POST    archived_partner  302  302  302  403  403  403  404  403
partners.history                      GET     partner           302  200  200  403  403  403  404  200
partners.access                       GET     partner           302  200  403  403  403  403  404  403
partners.contact_create               GET     partner           302  200  200  403  403  403  404  403
partners.contact_edit                 GET     partner_contact   302  200  200  403  403  403  404  403
partners.contact_archive              POST    partner_contact   302  302  302  403  403  403  404  403
partners.contact_restore              POST    archived_pcontact 302  302  302  403  403  403  404  403
clients.index                         GET     -                 302  200  200  403  200  200  200  200
clients.export                        GET     -                 302  200  200  403  200  403  403  200
clients.create                        GET     -                 302  200  200  403  200  200  200  403
clients.create                        POST    -                 302  422  422  403  422  422  422  403
clients.detail                        GET     client            302  200  200  403  404  200  404  200
clients.edit                          GET     client            302  200  200  403  404  403  404  403
clients.edit                          POST    client            302  422  422  403  404  403  404  403
clients.archive                       POST    client            302  302  302  403  404  403  404  403
clients.restore                       POST    archived_client   302  302  302  403  404  403  404  403
clients.history                       GET     client            302  200  200  403  404  403  404  200
clients.access                        GET     client            302  200  403  403  404  403  404  403
clients.contact_create                GET     client            302  200  200  403  404  403  404  403
clients.contact_edit                  GET     client_contact    302  200  200  403  404  403  404  403
clients.contact_archive               POST    client_contact    302  302  302  403  404  403  404  403
clients.contact_restore               POST    archived_ccontact 302  302  302  403  404  403  404  403
teams.index                           GET     -                 302  200  200  200  200  200  200  200
teams.create                          GET     -                 302  200  200  403  403  403  403  403
teams.detail                          GET     team              302  200  200  404  404  404  404  200
teams.edit                            GET     team              302  200  200  404  404  404  404  403
teams.archive                         POST    team              302  302  302  404  404  404  404  403
teams.restore                         POST    archived_team     302  302  302  404  404  404  404  403
teams.history                         GET     team              302  200  200  404  404  404  404  200
partners.board                        GET     -                 302  200  200  200  403  403  200  200
partners.move                         POST    partner           302  302  302  403  403  403  404  403
partners.round_create                 GET     partner           302  200  200  403  403  403  404  403
partners.round_detail                 GET     round             302  200  200  200  403  403  404  200
partners.round_edit                   GET     round             302  200  200  403  403  403  404  403
partners.round_archive                POST    round             302  302  302  403  403  403  404  403
partners.round_restore                POST    archived_round    302  302  302  403  403  403  404  403
partners.round_history                GET     round             302  200  200  403  403  403  404  200
partners.agreements                   GET     -                 302  200  200  200  403  403  403  200
partners.agreements_export            GET     -                 302  200  200  200  403  403  403  200
partners.agreement_create             GET     partner           302  200  200  200  403  403  404  403
partners.agreement_detail             GET     agreement         302  200  200  200  403  403  404  200
partners.agreement_edit               GET     agreement         302  200  200  403  403  403  404  403
partners.version_create               GET     agreement         302  200  200  403  403  403  404  403
partners.version_compare              GET     agreement         302  200  200  200  403  403  404  200
partners.agreement_move               POST    agreement         302  302  302  403  403  403  404  403
partners.agreement_sign               POST    agreement         302  302  302  403  403  403  404  403
partners.agreement_archive            POST    agreement         302  302  302  403  403  403  404  403
partners.agreement_restore            POST    archived_agreement 302 302  302  403  403  403  404  403
partners.agreement_history            GET     agreement         302  200  200  403  403  403  404  200
main.attachment_upload                POST    agreement_files   302  302  302  403  404  404  404  403
main.attachment_download              GET     attachment        302  200  200  200  404  404  404  200
main.attachment_archive               POST    attachment        302  302  302  403  404  404  404  403
clients.note_create                   GET     client            302  200  200  403  404  403  404  403
clients.note_detail                   GET     client_note       302  200  200  403  404  200  404  200
clients.note_edit                     GET     client_note       302  200  200  403  404  403  404  403
clients.note_archive                  POST    client_note       302  302  302  403  404  403  404  403
clients.note_restore                  POST    archived_client_note 302 302 302 403  404  403  404  403
clients.note_history                  GET     client_note       302  200  200  403  404  403  404  200
clients.requirement_create            GET     client            302  200  200  403  404  403  404  403
clients.requirement_detail            GET     requirement       302  200  200  403  404  200  404  200
clients.requirement_edit              GET     requirement       302  200  200  403  404  403  404  403
clients.requirement_move              POST    requirement       302  422  422  403  404  403  404  403
clients.requirement_archive           POST    requirement       302  302  302  403  404  403  404  403
clients.requirement_restore           POST    archived_requirement 302 302 302 403  404  403  404  403
clients.requirement_history           GET     requirement       302  200  200  403  404  403  404  200
clients.complaints                    GET     -                 302  200  200  403  200  200  403  200
clients.complaint_intake              GET     -                 302  200  200  403  200  200  403  403
clients.complaint_create              GET     client            302  200  200  403  404  200  404  403
clients.complaint_detail              GET     complaint         302  200  200  403  404  200  404  200
clients.complaint_move                POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_take                POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_assign              POST    complaint         302  302  302  403  404  302  404  403
clients.complaints_bulk_assign        POST    -                 302  302  302  403  302  302  403  403
clients.complaint_message             POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_rate                POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_archive             POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_restore             POST    archived_complaint 302 302  302  403  404  302  404  403
clients.complaint_history             GET     complaint         302  200  200  403  404  403  404  200
clients.complaint_metrics             GET     -                 302  200  200  403  200  200  403  200
main.notifications                    GET     -                 302  200  200  200  200  200  200  200
main.notification_open                POST    notification      302  404  404  404  404  404  404  404
main.notifications_read               POST    -                 302  302  302  302  302  302  302  302
admin.sla                             GET     -                 302  200  403  403  403  403  403  200
admin.users                           GET     -                 302  200  403  403  403  403  403  200
admin.user_create                     GET     -                 302  200  403  403  403  403  403  403
admin.user_detail                     GET     user              302  200  403  403  403  403  403  200
admin.user_edit                       GET     user              302  200  403  403  403  403  403  403
admin.user_deactivate                 POST    user              302  302  403  403  403  403  403  403
admin.user_reactivate                 POST    user              302  302  403  403  403  403  403  403
admin.user_reset_password             POST    user              302  302  403  403  403  403  403  403
admin.user_history                    GET     user              302  200  403  403  403  403  403  200
admin.roles                           GET     -                 302  200  403  403  403  403  403  200
admin.role_create                     GET     -                 302  200  403  403  403  403  403  403
admin.role_edit                       GET     role              302  200  403  403  403  403  403  403
admin.role_archive                    POST    role              302  302  403  403  403  403  403  403
admin.role_history                    GET     role              302  200  403  403  403  403  403  200
"""


def _rows() -> list[tuple[str, str, str, dict[str, int]]]:
    rows = []
    for line in MATRIX.strip().splitlines():
        endpoint, method, args, *codes = line.split()
        assert len(codes) == len(COLUMNS), line
        rows.append((endpoint, method, args, dict(zip(COLUMNS, map(int, codes), strict=True))))
    return rows


ROWS = _rows()


def build_world() -> tuple[dict, dict]:
    """The role users, and records outside their team ("Beta"), plus archived ones."""
    users = factories.role_users()
    beta = factories.make_team("Beta")
    outsider = factories.make_user("team_member", teams=(beta,))
    partner = factories.make_org("partner", owner=outsider, team=beta)
    client = factories.make_org("client", owner=outsider, team=beta)
    gone_partner = factories.make_org("partner", owner=outsider, team=beta)
    gone_client = factories.make_org("client", owner=outsider, team=beta)
    gone_team = factories.make_team("Gamma")
    pcontact = factories.make_contact(partner)
    ccontact = factories.make_contact(client)
    gone_pcontact = factories.make_contact(partner)
    gone_ccontact = factories.make_contact(client)
    role = Role(name="custom_role", label="Custom")
    db.session.add(role)
    talk = factories.make_round(partner)
    gone_talk = factories.make_round(partner)
    agreement = factories.make_agreement(partner, owner=outsider, team=beta, versions=2)
    gone_agreement = factories.make_agreement(partner, owner=outsider, team=beta)
    attachment = factories.make_attachment(agreement)
    complaint = factories.make_complaint(client, assignee=outsider)
    gone_complaint = factories.make_complaint(client, assignee=outsider)
    client_note = factories.make_round(client)
    gone_client_note = factories.make_round(client)
    requirement = Requirement(organization=client, title="Requirement")
    gone_requirement = Requirement(organization=client, title="Gone requirement")
    db.session.add_all([requirement, gone_requirement])
    note = Notification(user_id=outsider.id, kind="test", subject="For the outsider only")
    db.session.add(note)
    for record in (gone_partner, gone_client, gone_team, gone_pcontact, gone_ccontact,
                   gone_talk, gone_agreement, gone_complaint, gone_client_note,
                   gone_requirement):
        archive(record)
    db.session.commit()
    return users, {
        "partner": {"org_id": partner.id}, "client": {"org_id": client.id},
        "archived_partner": {"org_id": gone_partner.id},
        "archived_client": {"org_id": gone_client.id},
        "partner_contact": {"contact_id": pcontact.id},
        "client_contact": {"contact_id": ccontact.id},
        "archived_pcontact": {"contact_id": gone_pcontact.id},
        "archived_ccontact": {"contact_id": gone_ccontact.id},
        "team": {"team_id": beta.id}, "archived_team": {"team_id": gone_team.id},
        "user": {"user_id": outsider.id}, "role": {"role_id": role.id},
        "filename": {"filename": "css/app.css"}, "q=a": {"q": "a"}, "-": {},
        "round": {"round_id": talk.id}, "archived_round": {"round_id": gone_talk.id},
        "agreement": {"agreement_id": agreement.id},
        "archived_agreement": {"agreement_id": gone_agreement.id},
        "agreement_files": {"record_type": "agreements", "record_id": agreement.id},
        "attachment": {"attachment_id": attachment.id},
        "complaint": {"complaint_id": complaint.id},
        "archived_complaint": {"complaint_id": gone_complaint.id},
        "notification": {"note_id": note.id},
        "client_note": {"note_id": client_note.id},
        "archived_client_note": {"note_id": gone_client_note.id},
        "requirement": {"req_id": requirement.id},
        "archived_requirement": {"req_id": gone_requirement.id},
    }


def test_every_endpoint_has_a_row(app):
    covered = {(endpoint, method) for endpoint, method, _args, _codes in ROWS}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered and not (
                    method == "POST" and (rule.endpoint, "GET") in covered):
                missing.append(f"{rule.endpoint} {method}")
    assert not missing, "endpoints without a row in the access matrix: " + ", ".join(missing)


def _may_change(method: str, role: str, code: int) -> bool:
    """Only a signed-in user's successful POST can change what the next request sees."""
    return method == "POST" and role != "anonymous" and code == 302


@pytest.mark.parametrize(("endpoint", "method", "args", "codes"), ROWS,
                         ids=[f"{r[0]}-{r[1]}" for r in ROWS])
def test_access(app, endpoint, method, args, codes):
    """Every role against one endpoint. Requests that change nothing share one world;
    each request that may change data gets a fresh one, so no role sees another's effect."""
    from flask import url_for

    users, ids = build_world()
    quiet = [r for r in COLUMNS if not _may_change(method, r, codes[r])]
    changing = [r for r in COLUMNS if _may_change(method, r, codes[r])]
    wrong = []
    for position, role in enumerate(quiet + changing):
        if role in changing and position > len(quiet):
            factories.reset_database()
            users, ids = build_world()
        client = app.test_client()
        if role != "anonymous":
            factories.sign_in(client, users[role])
        with app.test_request_context():
            url = url_for(endpoint, **ids[args])
        status = client.open(url, method=method, data={}).status_code
        if status != codes[role]:
            wrong.append(f"{role} {method} {url}: got {status}, expected {codes[role]}")
    assert not wrong, "\n".join(wrong)
