"""Every endpoint × every role, with the expected answer declared in one table.

A new endpoint without a row here fails ``test_every_endpoint_has_a_row``.
Columns: anonymous, admin, manager, partner_manager, account_manager, support_agent,
team_member, auditor. 302 for an anonymous user is the redirect to the sign-in page;
for a signed-in one it is a successful POST. 422 is an allowed POST of an empty form.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tracker.extensions import db
from tracker.followups import add_followup
from tracker.models import (
    Comment,
    ComplaintCategory,
    Goal,
    ImportBatch,
    Job,
    Meeting,
    Notification,
    Post,
    Problem,
    ProgressReport,
    Requirement,
    ResourceRequest,
    Retrospective,
    Role,
    SavedView,
    utcnow,
)
from tracker.records import archive

COLUMNS = ("anonymous", "admin", "manager", "partner_manager", "account_manager",
           "support_agent", "team_member", "auditor")

#         endpoint                    method  url args          anon adm  mgr  pm   am   sup  tm   aud
MATRIX = """
main.dashboard                        GET     -                 302  200  200  200  200  200  200  200
main.search                           GET     q=a               302  200  200  200  200  200  200  200
main.suggest                          GET     q=a               302  200  200  200  200  200  200  200
main.pick                             GET     pick_client       302  200  200  404  200  200  200  200
main.search_counts                    GET     q=a               302  200  200  200  200  200  200  200
main.set_language                     POST    -                 302  302  302  302  302  302  302  302
main.healthz                          GET     -                 200  200  200  200  200  200  200  200
main.login_shortcut                   GET     -                 301  301  301  301  301  301  301  301
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
clients.dashboard                     GET     -                 302  200  200  403  200  200  200  200
clients.requirement_list              GET     -                 302  200  200  403  200  200  200  200
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
teams.dashboard                       GET     -                 302  200  200  200  200  200  200  200
teams.weekly                          GET     -                 302  200  200  200  200  200  200  200
teams.create                          GET     -                 302  200  200  403  403  403  403  403
teams.detail                          GET     team              302  200  200  404  404  404  404  200
teams.edit                            GET     team              302  200  200  404  404  404  404  403
teams.archive                         POST    team              302  302  302  404  404  404  404  403
teams.restore                         POST    archived_team     302  302  302  404  404  404  404  403
teams.history                         GET     team              302  200  200  404  404  404  404  200
partners.board                        GET     -                 302  200  200  200  403  403  200  200
partners.dashboard                    GET     -                 302  200  200  200  403  403  200  200
partners.rounds                       GET     -                 302  200  200  200  403  403  200  200
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
main.comments                         GET     agreement_comments 302 200  200  200  404  404  404  200
main.comments                         POST    agreement_comments 302 422  422  422  404  404  404  403
main.comments                         GET     note_comments     302  200  200  404  404  200  404  200
main.comment_people                  GET     agreement_comments 302 200  200  200  404  404  404  200
main.comment_remove                  POST    comment           302  302  302  403  404  404  404  403
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
clients.complaints_export             GET     -                 302  200  200  403  200  403  403  200
clients.complaint_intake              GET     -                 302  200  200  403  200  200  403  403
clients.complaint_create              GET     client            302  200  200  403  404  200  404  403
clients.complaint_detail              GET     complaint         302  200  200  403  404  200  404  200
clients.complaint_edit                GET     complaint         302  200  200  403  404  200  404  403
clients.complaint_move                POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_take                POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_assign              POST    complaint         302  302  302  403  404  302  404  403
clients.complaints_bulk_assign        POST    -                 302  302  302  403  302  302  403  403
clients.complaint_message             POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_followup            POST    complaint         302  422  422  403  404  422  404  403
clients.complaint_rate                POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_archive             POST    complaint         302  302  302  403  404  302  404  403
clients.complaint_restore             POST    archived_complaint 302 302  302  403  404  302  404  403
clients.complaint_history             GET     complaint         302  200  200  403  404  403  404  200
clients.complaint_metrics             GET     -                 302  200  200  403  200  200  403  200
clients.complaint_dashboard           GET     -                 302  200  200  403  200  200  403  200
main.notifications                    GET     -                 302  200  200  200  200  200  200  200
main.view_save                        POST    -                 302  404  404  404  404  404  404  404
main.view_default                     POST    saved_view        302  404  404  404  404  404  404  404
main.view_default_clear               POST    -                 302  404  404  404  404  404  404  404
main.view_delete                      POST    saved_view        302  404  404  404  404  404  404  404
main.notification_open                POST    notification      302  404  404  404  404  404  404  404
main.notifications_read               POST    -                 302  302  302  302  302  302  302  302
main.imports                          GET     -                 302  200  200  200  200  200  200  403
main.imports                          POST    -                 302  422  422  422  422  422  422  403
main.import_template                  GET     import_kind       302  200  200  403  200  200  200  403
main.import_detail                    GET     import            302  404  404  404  404  404  404  404
main.import_check                     POST    import            302  404  404  404  404  404  404  404
main.import_start                     POST    import            302  404  404  404  404  404  404  404
main.import_undo                      POST    import            302  404  404  404  404  404  404  404
admin.sla                             GET     -                 302  200  403  403  403  403  403  200
admin.sla_holidays                    POST    -                 302  422  403  403  403  403  403  403
teams.meetings                        GET     team              302  200  200  404  404  404  404  200
teams.meeting_create                  GET     team              302  200  200  404  404  404  404  403
teams.meeting_create                  POST    team              302  422  422  404  404  404  404  403
teams.meeting_detail                  GET     meeting           302  200  200  404  404  404  404  200
teams.meeting_minutes                 GET     meeting           302  200  200  404  404  404  404  200
teams.meeting_edit                    GET     meeting           302  200  200  404  404  404  404  403
teams.meeting_edit                    POST    meeting           302  422  422  404  404  404  404  403
teams.meeting_archive                 POST    meeting           302  302  302  404  404  404  404  403
teams.meeting_restore                 POST    archived_meeting  302  302  302  404  404  404  404  403
teams.meeting_history                 GET     meeting           302  200  200  404  404  404  404  200
teams.retros                          GET     team              302  200  200  404  404  404  404  200
teams.retro_create                    GET     team              302  200  200  404  404  404  404  403
teams.retro_create                    POST    team              302  422  422  404  404  404  404  403
teams.retro_detail                    GET     retro             302  200  200  404  404  404  404  200
teams.retro_edit                      GET     retro             302  200  200  404  404  404  404  403
teams.retro_edit                      POST    retro             302  422  422  404  404  404  404  403
teams.retro_archive                   POST    retro             302  302  302  404  404  404  404  403
teams.retro_restore                   POST    archived_retro    302  302  302  404  404  404  404  403
teams.retro_history                   GET     retro             302  200  200  404  404  404  404  200
teams.reports                         GET     team              302  200  200  404  404  403  404  200
teams.report_create                   GET     team              302  403  403  404  404  403  404  403
teams.report_create                   POST    team              302  403  403  404  404  403  404  403
teams.report_detail                   GET     report            302  200  200  404  404  403  404  200
teams.report_edit                     GET     report            302  200  200  404  404  403  404  403
teams.report_edit                     POST    report            302  422  422  404  404  403  404  403
teams.report_comment                  POST    report            302  422  422  404  404  403  404  403
teams.report_blocker                  POST    report            302  422  422  404  404  403  404  403
teams.report_history                  GET     report            302  200  200  404  404  403  404  200
teams.problems                        GET     team              302  200  200  404  404  404  404  200
teams.problem_create                  GET     team              302  200  200  404  404  404  404  403
teams.problem_create                  POST    team              302  422  422  404  404  404  404  403
teams.problem_detail                  GET     problem           302  200  200  404  404  404  404  200
teams.problem_edit                    GET     problem           302  200  200  404  404  404  404  403
teams.problem_edit                    POST    problem           302  422  422  404  404  404  404  403
teams.problem_move                    POST    problem           302  422  422  404  404  404  404  403
teams.problem_archive                 POST    problem           302  302  302  404  404  404  404  403
teams.problem_restore                 POST    archived_problem  302  302  302  404  404  404  404  403
teams.problem_history                 GET     problem           302  200  200  404  404  404  404  200
teams.requests                        GET     team              302  200  200  404  404  404  404  200
teams.request_create                  GET     team              302  200  200  404  404  404  404  403
teams.request_create                  POST    team              302  422  422  404  404  404  404  403
teams.request_detail                  GET     resource_request  302  200  200  404  404  404  404  200
teams.request_edit                    GET     resource_request  302  200  200  404  404  404  404  403
teams.request_edit                    POST    resource_request  302  422  422  404  404  404  404  403
teams.request_decide                  POST    resource_request  302  422  422  404  404  404  404  403
teams.request_fulfil                  POST    resource_request  302  302  302  404  404  404  404  403
teams.request_archive                 POST    resource_request  302  302  302  404  404  404  404  403
teams.request_restore                 POST    archived_request  302  302  302  404  404  404  404  403
teams.request_history                 GET     resource_request  302  200  200  404  404  404  404  200
teams.goals                           GET     team              302  200  200  404  404  404  404  200
teams.goal_create                     GET     team              302  200  200  404  404  404  404  403
teams.goal_create                     POST    team              302  422  422  404  404  404  404  403
teams.goal_detail                     GET     goal              302  200  200  404  404  404  404  200
teams.goal_edit                       GET     goal              302  200  200  404  404  404  404  403
teams.goal_edit                       POST    goal              302  422  422  404  404  404  404  403
teams.goal_checkin                    POST    goal              302  422  422  404  404  404  404  403
teams.goal_archive                    POST    goal              302  302  302  404  404  404  404  403
teams.goal_restore                    POST    archived_goal     302  302  302  404  404  404  404  403
teams.goal_history                    GET     goal              302  200  200  404  404  404  404  200
teams.feed                            GET     team              302  200  200  404  404  404  404  200
teams.recognize                       GET     team              302  200  200  404  404  404  404  403
teams.recognize                       POST    team              302  422  422  404  404  404  404  403
teams.person                          GET     user              302  200  200  404  404  404  404  200
teams.post_create                     GET     team              302  200  200  404  404  404  404  403
teams.post_create                     POST    team              302  422  422  404  404  404  404  403
teams.post_detail                     GET     post              302  200  200  404  404  404  404  200
teams.post_comment                    POST    post              302  422  422  404  404  404  404  403
teams.post_edit                       GET     post              302  200  200  404  404  404  404  403
teams.post_edit                       POST    post              302  422  422  404  404  404  404  403
teams.post_archive                    POST    post              302  302  302  404  404  404  404  403
teams.post_restore                    POST    archived_post     302  302  302  404  404  404  404  403
teams.post_history                    GET     post              302  200  200  404  404  404  404  200
followups.my_day                      GET     -                 302  200  200  200  200  200  200  200
followups.create                      GET     -                 302  200  200  200  200  200  200  403
followups.create                      POST    -                 302  422  422  422  422  422  422  403
followups.detail                      GET     followup          302  200  200  200  404  404  404  200
followups.complete                    POST    followup          302  422  422  403  404  404  404  403
followups.reopen                      POST    followup          302  422  422  403  404  404  404  403
followups.undo_complete               POST    followup          302  302  302  403  404  404  404  403
followups.snooze                      POST    followup          302  422  422  403  404  404  404  403
followups.reassign                    POST    followup          302  422  422  403  404  404  404  403
followups.comment                     POST    followup          302  422  422  403  404  404  404  403
followups.team                        GET     -                 302  200  200  200  200  200  200  200
followups.overdue                     GET     -                 302  200  200  200  200  200  200  200
followups.reminder_log                GET     -                 302  200  200  200  200  200  200  200
followups.calendar_settings           GET     -                 302  200  200  200  200  200  200  200
followups.calendar_settings           POST    -                 302  422  422  422  422  422  422  422
calendar.feed                         GET     calendar          200  200  200  200  200  200  200  200
admin.users                           GET     -                 302  200  403  403  403  403  403  200
admin.user_create                     GET     -                 302  200  403  403  403  403  403  403
admin.user_detail                     GET     user              302  200  403  403  403  403  403  200
admin.user_edit                       GET     user              302  200  403  403  403  403  403  403
admin.user_deactivate                 POST    user              302  302  403  403  403  403  403  403
admin.user_reactivate                 POST    user              302  302  403  403  403  403  403  403
admin.user_reset_password             POST    user              302  302  403  403  403  403  403  403
admin.user_history                    GET     user              302  200  403  403  403  403  403  200
admin.roles                           GET     -                 302  200  403  403  403  403  403  200
admin.jobs                            GET     -                 302  200  403  403  403  403  403  200
admin.job_retry                       POST    failed_job        302  302  403  403  403  403  403  403
admin.role_create                     GET     -                 302  200  403  403  403  403  403  403
admin.role_edit                       GET     role              302  200  403  403  403  403  403  403
admin.role_archive                    POST    role              302  302  403  403  403  403  403  403
admin.role_history                    GET     role              302  200  403  403  403  403  403  200
admin.categories                      GET     -                 302  200  403  403  403  403  403  200
admin.category_create                 GET     -                 302  200  403  403  403  403  403  403
admin.category_create                 POST    -                 302  422  403  403  403  403  403  403
admin.category_edit                   GET     category          302  200  403  403  403  403  403  403
admin.category_archive                POST    category          302  302  403  403  403  403  403  403
admin.category_merge                  POST    category          302  302  403  403  403  403  403  403
admin.category_restore                POST    archived_category 302  302  403  403  403  403  403  403
admin.category_history                GET     category          302  200  403  403  403  403  403  200
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
    comment = Comment(record_type="agreements", record_id=agreement.id,
                      author_id=outsider.id, body="The outsider's comment")
    db.session.add(comment)
    complaint = factories.make_complaint(client, assignee=outsider)
    gone_complaint = factories.make_complaint(client, assignee=outsider)
    client_note = factories.make_round(client)
    gone_client_note = factories.make_round(client)
    requirement = Requirement(organization=client, title="Requirement")
    gone_requirement = Requirement(organization=client, title="Gone requirement")
    db.session.add_all([requirement, gone_requirement])
    meeting = Meeting(team=beta, title="Beta weekly", series="Weekly", starts_at=utcnow(),
                      organizer_id=outsider.id)
    gone_meeting = Meeting(team=beta, title="Beta gone", starts_at=utcnow(),
                           organizer_id=outsider.id)
    retro = Retrospective(team=beta, title="Beta retro", held_on=date(2026, 11, 1),
                          facilitator_id=outsider.id)
    gone_retro = Retrospective(team=beta, title="Gone retro", held_on=date(2026, 11, 1),
                               facilitator_id=outsider.id)
    report = ProgressReport(team_id=beta.id, author_id=outsider.id,
                            period_start=date(2026, 3, 2), done="Done",
                            blockers="Waiting for the test server")
    problem = Problem(team_id=beta.id, reporter_id=outsider.id, title="Slow build")
    gone_problem = Problem(team_id=beta.id, reporter_id=outsider.id, title="Old")
    resource_request = ResourceRequest(
        team_id=beta.id, requester_id=outsider.id, approver_id=outsider.id, kind="budget",
        title="Laptops", amount=12000, unit="CNY", reason="New hires")
    gone_request = ResourceRequest(team_id=beta.id, requester_id=outsider.id,
                                   approver_id=outsider.id, title="Old", amount=1, unit="CNY")
    goal = Goal(team_id=beta.id, owner_id=outsider.id, title="Beta goal", metric="m",
                baseline=0, target=10, due_on=date(2030, 1, 1))
    gone_goal = Goal(team_id=beta.id, owner_id=outsider.id, title="Old goal", metric="m",
                     baseline=0, target=10, due_on=date(2030, 1, 1))
    post = Post(team_id=beta.id, author_id=outsider.id, title="Beta post")
    gone_post = Post(team_id=beta.id, author_id=outsider.id, title="Old post")
    db.session.add_all([meeting, gone_meeting, retro, gone_retro, report, problem,
                        gone_problem, resource_request, gone_request, goal, gone_goal, post,
                        gone_post])
    note = Notification(user_id=outsider.id, kind="test", subject="For the outsider only")
    failed_job = Job(kind="sweep.escalations", payload={}, state="failed", attempts=6,
                     last_error="RuntimeError: for the matrix")
    db.session.add(failed_job)
    category = ComplaintCategory(name="Matrix category", name_zh="矩阵类别")
    gone_category = ComplaintCategory(name="Old category", name_zh="旧类别",
                                      archived_at=utcnow())
    db.session.add_all([category, gone_category])
    saved_view = SavedView(user_id=outsider.id, endpoint="partners.index", name="Outsider's",
                           query="stage=active")
    db.session.add(saved_view)
    outsiders_import = ImportBatch(user_id=outsider.id, kind="clients", filename="a.xlsx",
                                   headers=["Name"], mapping=["name"], total=0)
    db.session.add(outsiders_import)
    followup = add_followup(talk, "Call the outsider back", outsider.id, date(2026, 1, 5),
                            organization=partner)
    outsider.calendar_token = "world-calendar-token"
    db.session.add(note)
    for record in (gone_partner, gone_client, gone_team, gone_pcontact, gone_ccontact,
                   gone_talk, gone_agreement, gone_complaint, gone_client_note,
                   gone_requirement, gone_meeting, gone_retro, gone_problem, gone_request,
                   gone_goal, gone_post):
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
        "category": {"category_id": category.id},
        "saved_view": {"view_id": saved_view.id},
        "import": {"import_id": outsiders_import.id}, "import_kind": {"kind": "clients"},
        "archived_category": {"category_id": gone_category.id},
        "failed_job": {"job_id": failed_job.id},
        "filename": {"filename": "css/app.css"}, "q=a": {"q": "a"}, "-": {},
        "pick_client": {"kind": "client", "q": "a"},
        "round": {"round_id": talk.id}, "archived_round": {"round_id": gone_talk.id},
        "agreement": {"agreement_id": agreement.id},
        "archived_agreement": {"agreement_id": gone_agreement.id},
        "agreement_files": {"record_type": "agreements", "record_id": agreement.id},
        "attachment": {"attachment_id": attachment.id},
        "agreement_comments": {"record_type": "agreements", "record_id": agreement.id},
        "note_comments": {"record_type": "conversations", "record_id": client_note.id},
        "comment": {"comment_id": comment.id},
        "complaint": {"complaint_id": complaint.id},
        "archived_complaint": {"complaint_id": gone_complaint.id},
        "notification": {"note_id": note.id},
        "client_note": {"note_id": client_note.id},
        "archived_client_note": {"note_id": gone_client_note.id},
        "requirement": {"req_id": requirement.id},
        "archived_requirement": {"req_id": gone_requirement.id},
        "meeting": {"meeting_id": meeting.id},
        "archived_meeting": {"meeting_id": gone_meeting.id},
        "retro": {"retro_id": retro.id}, "archived_retro": {"retro_id": gone_retro.id},
        "report": {"report_id": report.id}, "problem": {"problem_id": problem.id},
        "archived_problem": {"problem_id": gone_problem.id},
        "resource_request": {"request_id": resource_request.id},
        "archived_request": {"request_id": gone_request.id},
        "goal": {"goal_id": goal.id}, "archived_goal": {"goal_id": gone_goal.id},
        "post": {"post_id": post.id}, "archived_post": {"post_id": gone_post.id},
        "followup": {"followup_id": followup.id},
        "calendar": {"token": "world-calendar-token"},
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
