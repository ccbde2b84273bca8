"""What the system writes in a complaint's timeline, stored as a code with its values and put
into words when someone reads it, in the reader's language.

A note or a move written by a person keeps their words. A line Tracker adds itself (the
severity changed, a reply acknowledged the complaint, the client's rating) is read by the
whole team, whatever language the person who caused it uses: its body is a small JSON
object (``{"event": "severity", "old": "low", "new": "critical"}``), never a sentence.
Rows written before the codes hold the sentence in the writer's language; ``coded`` reads
those back as their code, so they too follow the reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.i18n import translate, wording_patterns, wordings
from tracker.models import Severity
from tracker.models.complaint import SEVERITY_LABELS

Params = Mapping[str, Any]

SEVERITY_CHANGED = _l("Severity changed from %(old)s to %(new)s: the deadlines now follow its "
                      "policy.")
ACKNOWLEDGED_BY_REPLY = _l("Acknowledged by the reply.")
RATED = _l("Client satisfaction: %(n)d / 5. %(comment)s")


def _severity(code: str) -> str:
    return Severity(code).label if code in Severity._value2member_map_ else code


def _rated(p: Params) -> str:
    return _("Client satisfaction: %(n)d / 5. %(comment)s", n=int(p["n"]),
             comment=p.get("comment", "")).strip()


# code -> its words from the stored values, in the current language
TEXTS: dict[str, Callable[[Params], str]] = {
    "severity": lambda p: _("Severity changed from %(old)s to %(new)s: the deadlines now "
                            "follow its policy.", old=_severity(p["old"]),
                            new=_severity(p["new"])),
    "ack_by_reply": lambda p: translate(ACKNOWLEDGED_BY_REPLY),
    "rated": _rated,
}


def stored(event: str, **params: Any) -> str:
    """The body a system line is stored with: its code and values, in no language."""
    return json.dumps({"event": event, **params}, ensure_ascii=False, sort_keys=True)


def coded(body: str) -> tuple[str, dict[str, Any]] | None:
    """``(code, values)`` of a body written by the system (as a code, or before the codes
    as its sentence in any language), else None: a person's words."""
    if body.startswith("{"):
        try:
            found = json.loads(body)
        except ValueError:
            return None
        if isinstance(found, dict) and found.get("event") in TEXTS:
            params = dict(found)
            return str(params.pop("event")), params
        return None
    return _legacy(body)


def event_text(body: str) -> str:
    """A timeline entry's body in the reader's language: a system line by its code, a
    person's words as they wrote them."""
    found = coded(body or "")
    if found is None:
        return body
    try:
        return TEXTS[found[0]](found[1])
    except (KeyError, TypeError, ValueError):  # values of another shape: as stored
        return body


def every_wording(body: str) -> list[str]:
    """What search files a body under: a system line in every shipped language (what the
    page showed, whichever language the reader reads), else the body itself."""
    found = coded(body or "")
    if found is None:
        return [body]
    words = set()
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            words.add(event_text(body))
    return sorted(words)


# -- rows written before the codes ---------------------------------------------------------
def _pattern(label: Any) -> list[re.Pattern[str]]:
    return wording_patterns(str(label._args[0]))


def _severity_code(label: str) -> str:
    for severity in Severity:
        if label in wordings(SEVERITY_LABELS[severity]):
            return severity.value
    return label


def _legacy(body: str) -> tuple[str, dict[str, Any]] | None:
    if body in wordings(ACKNOWLEDGED_BY_REPLY):
        return "ack_by_reply", {}
    for pattern in _pattern(SEVERITY_CHANGED):
        match = pattern.fullmatch(body)
        if match:
            return "severity", {"old": _severity_code(match["old"]),
                                "new": _severity_code(match["new"])}
    for pattern in _pattern(RATED):
        match = pattern.fullmatch(body)
        if match and match["n"].isdigit():
            return "rated", {"n": int(match["n"]), "comment": match["comment"].strip()}
    return None
