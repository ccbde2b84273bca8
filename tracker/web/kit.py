"""The record-view kit: what every blueprint's record pages do the same way.

- ``load`` the record the current user may see, else 404 (never 403: a hidden record's
  existence is not confirmed); ``require``/``require_can`` answer 403 for a visible record
  the user may not change.
- ``Submission`` runs one posted form through a service: valid, then current (a form
  filled in against an older version is refused with what changed since, answered 409),
  and ``done`` commits, says so and redirects.
- ``record_pages`` declares a kind's archive, restore and history pages in one call, with
  the same endpoints, checks and answers for every kind.

Views stay plain functions under ``@bp.route``; the kit is called from them, so a page
with a special case keeps it in sight instead of behind a flag.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

from tracker.access import Action, Capability, can, get_visible_or_404, has
from tracker.extensions import db
from tracker.followups import OwnerMayNotSee
from tracker.models import AuditEvent
from tracker.models.base import Tracked
from tracker.records import StaleRecord, archive, history, restore, shown_changes

Reply = Response | str | tuple[str, int]
M = TypeVar("M")
T = TypeVar("T")
Said = str | Callable[[Any], str]  # a message, or one made from the record


def load(model: type[M], record_id: int, *, org_kind: str | None = None, **where: Any) -> M:
    """The record if the current user may see it, else 404. ``where`` narrows it by its
    own columns; ``org_kind`` by its organization's kind (a partner's round is not found
    at a client's address)."""
    record = get_visible_or_404(current_user, model, record_id, **where)
    if org_kind is not None and record.organization.kind != org_kind:
        abort(404)
    return record


def require(allowed: bool) -> None:
    """Answer 403 unless ``allowed``."""
    if not allowed:
        abort(403)


def require_can(action: Action, record: object) -> None:
    """Answer 403 unless the current user may do ``action`` to ``record`` (or an area)."""
    require(can(current_user, action, record))


def require_kept(action: Action, record: object) -> None:
    """After creating ``record``: unless the current user may ``action`` it, undo the
    creation and answer 403 (no one makes a record out of their own reach)."""
    db.session.flush()
    if not can(current_user, action, record):
        db.session.rollback()
        abort(403)


def require_audit() -> None:
    """Answer 403 unless the current user may read the audit trail."""
    require(has(current_user, Capability.READ_AUDIT))


def status_of(form: FlaskForm, conflict: StaleRecord | None = None) -> int:
    """409 for a stale form, 422 for a refused one, 200 for a fresh page."""
    return 409 if conflict else (422 if form.is_submitted() else 200)


def done(message: str, to: str, category: str = "success") -> Response:
    """Commit the request's work, say ``message`` and go to ``to``."""
    db.session.commit()
    flash(message, category)
    return redirect(to)


def flash_errors(form: FlaskForm) -> None:
    """Say each of a small inline form's errors (its page is elsewhere), field by field."""
    for name, errors in form.errors.items():
        flash(f"{form[name].label.text}: {' '.join(map(str, errors))}", "error")


def _owner_fields(form: FlaskForm) -> Iterator[Field]:
    """Every ``owner_id`` field of ``form``, its rows' (next steps, action items) included,
    in the order the page shows them."""
    for item in form:
        if isinstance(item, FieldList):
            for entry in item.entries:
                yield from _owner_fields(entry.form if isinstance(entry, FormField)
                                         else [entry])
        elif isinstance(item, FormField):
            yield from _owner_fields(item.form)
        elif item.short_name == "owner_id":
            yield item


def refuse_owner(form: FlaskForm, refused: OwnerMayNotSee) -> None:
    """Put a refused follow-up owner's message on the owner field that named them (the
    first owner field when none did)."""
    fields = list(_owner_fields(form))
    named = [f for f in fields if f.data == refused.owner_id] or fields[:1]
    for field_ in named[:1]:
        field_.errors = [*field_.errors, str(refused)]


@dataclass
class Submission(Generic[T]):
    """One posted form saved through a service that checks ``version=`` itself.

    ``saved(call)`` is true when the form was posted, valid, current and ``call`` ran;
    ``value`` is what the service returned. A stale form leaves ``conflict`` set (shown by
    ``_partials/conflict.html`` from ``conflict.shown``) and the form's version moved to
    the record's, so saving again, knowingly, applies the entries on top.
    """

    form: FlaskForm
    conflict: StaleRecord | None = None
    value: T | None = None

    def saved(self, call: Callable[[], T]) -> bool:
        if not self.form.validate_on_submit():
            return False
        try:
            self.value = call()
            db.session.flush()  # a new record has its id for the page it is shown on
        except StaleRecord as stale:
            self.conflict = stale
            self.form.version.data = stale.record.version
            return False
        except OwnerMayNotSee as refused:  # the form offered only readers; a crafted post
            db.session.rollback()
            refuse_owner(self.form, refused)
            return False
        return True

    def keeps(self, action: Action, record: object, field: Field, message: str) -> bool:
        """After a save: may the user still do ``action`` to ``record``? If not, undo the
        save and put ``message`` on ``field`` (someone moving a record out of their own
        reach is told so, not sent to a 404)."""
        db.session.flush()
        if can(current_user, action, record):
            return True
        db.session.rollback()
        field.errors = [*field.errors, message]
        return False

    @property
    def status(self) -> int:
        return status_of(self.form, self.conflict)


def _say(said: Said, record: object) -> str:
    return said(record) if callable(said) else str(said)


def history_page(record: Tracked, *, back: str, hidden: Collection[str] = frozenset(),
                 events: Callable[[], list[AuditEvent]] | None = None,
                 template: str = "admin/history.html", **context: Any) -> str:
    """The audit trail of ``record`` (403 without READ_AUDIT), with a link ``back``;
    ``hidden`` names fields whose values are not shown; ``events`` replaces the record's
    own trail (an organization's interleaves its contacts')."""
    require_audit()
    events = events() if events else history(record.__tablename__, record.id)
    return render_template(template, subject=record, events=events,
                           changes=shown_changes(events, hidden=set(hidden)), back=back,
                           **context)


@dataclass(frozen=True)
class RecordPages:
    """The archive, restore and history pages of one kind of record.

    ``name`` prefixes the endpoints (``problem`` → ``problem_archive`` …; empty for the
    blueprint's own kind: ``archive``); ``rule`` is the record's URL with its one id
    (``/problems/<int:problem_id>``); ``detail`` the endpoint of its page, which restore
    and history link back to.
    """

    name: str
    rule: str
    load: Callable[[int], Tracked]
    detail: str
    archived: Said = ""
    restored: Said = ""
    after_archive: Callable[[Any], str] | None = None
    after_restore: Callable[[Any], str] | None = None  # default: the record's page
    hidden: Callable[[], Collection[str]] = field(default=frozenset)
    pages: tuple[str, ...] = ("archive", "restore", "history")

    def endpoint(self, page: str) -> str:
        return f"{self.name}_{page}" if self.name else page

    def register(self, bp: Blueprint) -> RecordPages:
        if "archive" in self.pages and not (self.archived and self.after_archive):
            raise TypeError(f"{self.name}: archiving needs a message and a next page")
        if "restore" in self.pages and not self.restored:
            raise TypeError(f"{self.name}: restoring needs a message")
        views = {"archive": (self.archive, ["POST"]), "restore": (self.restore, ["POST"]),
                 "history": (self.history, ["GET"])}
        for page in self.pages:
            view, methods = views[page]
            bp.add_url_rule(f"{self.rule}/{page}", self.endpoint(page), view, methods=methods)
        return self

    def _record(self, ids: dict[str, int]) -> tuple[Tracked, dict[str, int]]:
        (record_id,) = ids.values()
        return self.load(record_id), ids

    def archive(self, **ids: int) -> Response:
        record, _ids = self._record(ids)
        require_can(Action.ARCHIVE, record)
        archive(record)
        assert self.after_archive is not None  # checked by register()
        return done(_say(self.archived, record), self.after_archive(record), "info")

    def restore(self, **ids: int) -> Response:
        record, ids = self._record(ids)
        require_can(Action.RESTORE, record)
        restore(record)
        to = self.after_restore(record) if self.after_restore else url_for(self.detail, **ids)
        return done(_say(self.restored, record), to)

    def history(self, **ids: int) -> str:
        record, ids = self._record(ids)
        return history_page(record, back=url_for(self.detail, **ids), hidden=self.hidden())


def record_pages(bp: Blueprint, name: str, rule: str, load: Callable[[int], Tracked], *,
                 detail: str, **options: Any) -> RecordPages:
    """Declare and register the archive, restore and history pages of one kind (or the
    ``pages`` named), with the options of ``RecordPages``."""
    return RecordPages(name, rule, load, detail, **options).register(bp)
