"""Who sees what: the vocabulary, merged grants, scopes, the one policy module and the
rules beyond the grant matrix (``rules.py``)."""

from tracker.access.audience import reader_choices, readers_of
from tracker.access.permissions import forget_permissions, permissions_of
from tracker.access.policy import (
    area_of,
    can,
    explain,
    get_visible_or_404,
    has,
    may_create_teams,
    may_edit_own_followups,
    may_enter,
    reader_clause,
    seen_through_source,
    sees_every,
    visible,
    visible_apart,
    visible_followups,
    visible_followups_of,
    visible_own_followups,
    visible_owned_organizations,
    visible_rows,
)
from tracker.access.rules import (
    may_add_subgoal,
    may_add_to_team,
    may_comment_on,
    may_comment_on_post,
    may_create_followups,
    may_decide_request,
    may_edit_request,
    may_escalate_report,
    may_fulfil_request,
    may_import,
    may_manage_accounts,
    may_own_followup_of,
    may_read_reports,
    may_record_meeting,
    may_remove_comment,
    may_reply_to_report,
    may_see_every_reminder,
    may_see_every_team_board,
    may_see_person,
    may_write_report,
)
from tracker.access.vocabulary import Action, Area, Capability, Level

__all__ = [
    "Action", "Area", "Capability", "Level", "area_of", "can", "explain", "forget_permissions",
    "get_visible_or_404", "has", "may_add_subgoal", "may_add_to_team", "may_comment_on",
    "may_comment_on_post",
    "may_create_followups", "may_create_teams", "may_decide_request", "may_edit_own_followups",
    "may_edit_request",
    "may_enter", "may_escalate_report", "may_fulfil_request", "may_import", "may_manage_accounts",
    "may_own_followup_of",
    "may_read_reports", "may_record_meeting", "may_remove_comment", "may_reply_to_report",
    "may_see_every_reminder",
    "may_see_every_team_board", "may_see_person", "may_write_report", "permissions_of",
    "reader_choices", "reader_clause", "readers_of", "seen_through_source",
    "sees_every", "visible", "visible_apart", "visible_followups",
    "visible_followups_of", "visible_own_followups", "visible_owned_organizations",
    "visible_rows",
]
