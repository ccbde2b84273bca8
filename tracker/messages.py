"""What the system tells people, stored as a code with its values and put into words when
someone reads it, in the reader's language (the notifications page, My day, the mail).

A job (an escalation, a digest, a reminder) runs with no reader and so no language: what it
stores is what happened (``Notification.event`` and ``.params``; a complaint event's code;
a reminder follow-up's key), never a sentence. Each code is registered here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.i18n import msgid_wordings, translate, wordings

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Message:
    """How one code reads: its subject and body, made from the stored values."""

    subject: Callable[[Params], str]
    body: Callable[[Params], str] = lambda params: ""


MESSAGES: dict[str, Message] = {}


def register(code: str, subject: Callable[[Params], str],
             body: Callable[[Params], str] | None = None) -> None:
    """Declare how notifications with ``code`` read (other modules add their own)."""
    MESSAGES[code] = Message(subject, body or (lambda params: ""))


@dataclass(frozen=True)
class Shown:
    subject: str
    body: str


def shown(note: Any) -> Shown:
    """A notification in the current language: by its code where it has one; a row written
    before codes (or by a module that wrote text) as it was written."""
    event, params = getattr(note, "event", "") or "", note.params or {}
    if not event:
        event, params = _legacy(note)
    message = MESSAGES.get(event)
    if message is None:
        return Shown(note.subject, note.body or "")
    try:
        return Shown(message.subject(params), message.body(params))
    except (KeyError, TypeError, ValueError):  # values of an older shape: the stored text
        return Shown(note.subject, note.body or "")


def _legacy(note: Any) -> tuple[str, dict[str, Any]]:
    """A row written as text before codes, read back as its code where the text is one of
    ours (an escalation, a follow-up given), so it too reads in the reader's language."""
    subject, body = note.subject or "", note.body or ""
    if note.kind == "escalation":
        parts = body.split(" · ")
        which = _escalation_code(parts[-1]) if len(parts) == 3 else None
        title = _after_prefix(subject, "Overdue complaint: %(title)s", "title")
        if which and title is not None:
            return "complaint.overdue", {"title": title, "organization": parts[0],
                                         "severity": _severity_code(parts[1]),
                                         "which": which}
    if note.kind == "followup" and body.startswith("Due "):
        found = re.fullmatch(r"(.+) gave you a follow-up: (.+)", subject, re.S)
        day = body[4:].strip()
        if found and re.fullmatch(r"\d{4}-\d\d-\d\d", day):
            return "followup.given", {"name": found[1], "title": found[2], "due": day}
    return "", {}


def _after_prefix(text: str, msgid: str, name: str) -> str | None:
    """The value of ``%(name)s`` at the end of ``text`` written from ``msgid`` in any of
    our languages, else None."""
    for wording in msgid_wordings(msgid):
        prefix = wording.split(f"%({name})s")[0]
        if prefix and text.startswith(prefix):
            return text[len(prefix):]
    return None


def _severity_code(label: str) -> str:
    from tracker.models import Severity
    from tracker.models.complaint import SEVERITY_LABELS

    for severity in Severity:
        if label in wordings(SEVERITY_LABELS[severity]):
            return severity.value
    return label


def written(code: str, params: Params, language: str) -> Shown:
    """A code's text in its first reader's ``language``, kept in ``subject`` and ``body``
    beside it (what a module reading the row without this registry would show)."""
    with force_locale(language):
        message = MESSAGES[code]
        return Shown(message.subject(params), message.body(params))


def shown_date(value: str | date) -> str:
    """A stored ISO date as the reader writes dates."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return format_date(day, "medium")


# -- complaint escalations -----------------------------------------------------------------
ESCALATION_TEXT = {
    "ack": _l("The deadline to acknowledge passed."),
    "resolve": _l("The deadline to resolve passed."),
}


def escalation_text(body: str) -> str:
    """An escalation event's body in the reader's language: stored as its code ("ack",
    "resolve"); rows written before codes hold the English (or the job's) sentence."""
    code = body if body in ESCALATION_TEXT else _escalation_code(body)
    return translate(ESCALATION_TEXT[code]) if code else body


def _escalation_code(text: str) -> str | None:
    for code in ESCALATION_TEXT:
        if text in wordings(ESCALATION_TEXT[code]):
            return code
    return None


def _severity(code: str) -> str:
    from tracker.models import Severity

    return Severity(code).label if code in Severity._value2member_map_ else code


register(
    "complaint.overdue",
    lambda p: _("Overdue complaint: %(title)s", title=p["title"]),
    lambda p: " · ".join(part for part in (
        p.get("organization", ""), _severity(p.get("severity", "")),
        translate(ESCALATION_TEXT[p["which"]])) if part))


# -- follow-ups ------------------------------------------------------------------------------
# Agreement reminders are made by a job; their key (agreement:{id}:{notice|end}:{date}) says
# which, and their title is shown in the reader's language unless someone retitled it.
REMINDER_TITLES = {
    "notice": _l("An agreement's notice date is near: renew or give notice"),
    "end": _l("An agreement ends soon: renew or close it"),
}


def reminder_kind(dedupe_key: str | None) -> str | None:
    """"notice" or "end" for an agreement reminder's key, else None."""
    parts = (dedupe_key or "").split(":")
    if len(parts) == 4 and parts[0] == "agreement" and parts[2] in REMINDER_TITLES:
        return parts[2]
    return None


def reminder_title(kind: str) -> str:
    """The title a new agreement reminder is stored with: the English wording."""
    return str(REMINDER_TITLES[kind]._args[0])


def followup_title(title: str, dedupe_key: str | None = None) -> str:
    """A follow-up's title as the reader reads it: a job's reminder in their language."""
    kind = reminder_kind(dedupe_key)
    if kind is not None and title in wordings(REMINDER_TITLES[kind]):
        return translate(REMINDER_TITLES[kind])
    return title


register(
    "followup.given",
    lambda p: _("%(name)s gave you a follow-up: %(title)s", name=p["name"],
                title=followup_title(p["title"], p.get("key"))),
    lambda p: _("Due %(date)s", date=shown_date(p["due"])))


def _digest_subject(p: Params) -> str:
    items = p["items"]
    late = sum(1 for item in items if item["overdue"])
    if late:
        return _("Follow-ups: %(n)d due today, %(late)d overdue", n=len(items) - late,
                 late=late)
    return _("Follow-ups: %(n)d due today", n=len(items))


def _digest_body(p: Params) -> str:
    lines = []
    for item in p["items"]:
        mark = (_("overdue since %(date)s", date=shown_date(item["due"])) if item["overdue"]
                else _("due today"))
        lines.append(f"• {followup_title(item['title'], item.get('key'))} ({mark})")
    return "\n".join(lines)


register("followup.digest", _digest_subject, _digest_body)


# -- teams ---------------------------------------------------------------------------------
# The report's figures are counted as the lead may see them on the day it is sent: the body
# keeps them as written then, in the lead's language; the subject follows the reader.
register(
    "team.weekly_report",
    lambda p: _("Weekly report: %(team)s, week of %(date)s", team=p["team"],
                date=shown_date(p["monday"])),
    lambda p: p.get("text", ""))
