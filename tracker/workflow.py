"""One way to declare a workflow, so that every workflow answers the same questions alike.

A workflow is a state enum, the moves allowed out of each state, and guards: what a move
needs beyond being allowed (a reason, a summary, a signed version …). ``check_move`` gives
the target state or raises the one ``MoveRefused``, whose message is the reason the user
is shown. Views catch that one exception, whichever workflow refused.

What a state *is* (paused, open, taking new terms …) is declared once, on the state enum,
with ``trait``; services, SQL filters and templates (through the models' properties) all ask
that declaration, never a set of states written out where it is needed::

    class ComplaintStatus(StrEnum):
        NEW = "new"
        WAITING = "waiting_on_client"
        ...
        is_paused = trait(WAITING)

    ComplaintStatus.WAITING.is_paused    # True: a state has the property or not
    ComplaintStatus.is_paused            # frozenset({WAITING}): for SQL and for tests
    complaint.status in ComplaintStatus.is_paused   # a stored value asks the same
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

S = TypeVar("S", bound=StrEnum)


class MoveRefused(ValueError):
    """A move a workflow does not allow, or one that lacks what it needs.

    ``str(refused)`` is the reason, already in the user's language, to flash or to show on a
    field; ``field`` names the form field the user fixes it in ("status" unless the workflow
    or the guard names another), so a view can put the reason right there.
    """

    def __init__(self, reason: str, field: str = "status") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


class trait:  # lower case, like ``property``: it is used the same way
    """A property some states of a workflow have, declared once on the state enum.

    On a state it is a bool (``S.WAITING.is_paused``); on the enum it is the frozenset of
    the states that have it (``S.is_paused``), which SQL filters and tests use, and which a
    stored value (a plain string) can be looked up in. The values are resolved on first use,
    so a misspelt one fails the first test that asks (tests/test_workflow.py asks them all).
    """

    def __init__(self, *values: str) -> None:
        self.values = values
        self.name = ""
        self._states: frozenset[Any] | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def states(self, owner: type[S]) -> frozenset[S]:
        """The members of ``owner`` that have this property."""
        if self._states is None:
            self._states = frozenset(owner(value) for value in self.values)
        return self._states

    def __get__(self, state: StrEnum | None, owner: type[StrEnum]) -> Any:
        states = self.states(owner)
        return states if state is None else state in states


def traits(states: type[StrEnum]) -> dict[str, frozenset[Any]]:
    """Every property declared on a state enum, by name, with the states that have it."""
    return {name: value.states(states) for name, value in vars(states).items()
            if isinstance(value, trait)}


def ordered(states: Iterable[S]) -> list[S]:
    """``states`` in the order their enum declares them (the order lists and menus show)."""
    chosen = set(states)
    if not chosen:
        return []
    return [s for s in type(next(iter(chosen))) if s in chosen]


def state_in(column: Any, states: Collection[StrEnum]) -> sa.ColumnElement[bool]:
    """SQL: ``column`` holds one of ``states`` (``=`` for one state, ``IN`` for several)."""
    values = [s.value for s in ordered(states)]
    return column == values[0] if len(values) == 1 else column.in_(values)


def state_not_in(column: Any, states: Collection[StrEnum]) -> sa.ColumnElement[bool]:
    """SQL: ``column`` holds none of ``states`` (``!=`` for one state, ``NOT IN`` else)."""
    values = [s.value for s in ordered(states)]
    return column != values[0] if len(values) == 1 else column.not_in(values)


def state_in_sql(column: str, states: Collection[StrEnum]) -> str:
    """``column IN ('a', 'b')`` as literal SQL, values sorted: a partial index's condition,
    which a query must repeat word for word for SQLite to use the index."""
    return f"{column} IN ({', '.join(repr(s.value) for s in sorted(states))})"


@dataclass(frozen=True)
class Guard:
    """What a move into one of ``to`` needs beyond being allowed.

    ``check(subject, wanted=state, **context)`` returns None when the move may go ahead,
    else the reason (translated) the user is told, on ``field``. ``sources``, when given,
    limits the guard to moves out of those states (a reopening: out of an ended state, back
    to work).
    """

    to: frozenset[Any]
    check: Callable[..., str | None]
    field: str = "status"
    sources: frozenset[Any] | None = None

    def applies(self, current: str, wanted: str) -> bool:
        """Whether a move from ``current`` to ``wanted`` (states or stored values) is one
        this guard checks."""
        return wanted in self.to and (self.sources is None or current in self.sources)


def _status(subject: Any) -> str:
    return subject.status


class Workflow(Generic[S]):
    """The states of one kind of record, the moves between them and what each move needs.

    ``moves`` names every state, final ones with no move out, so a state added to the enum
    without its moves fails at import rather than refusing everything at run time.
    ``refused(current, wanted, allowed)`` and ``already(current)`` word the refusals for
    this kind of record (labels given; ``already`` None: a move to the same state is refused
    as any move not listed; ``refused`` None: every move is allowed, and listed). ``field``
    is where those refusals belong on the form; ``state_of`` reads a record's current state
    (its ``status`` unless given).
    """

    def __init__(self, states: type[S], moves: Mapping[S, Iterable[S]], *,
                 refused: Callable[[str, str, str], str] | None,
                 already: Callable[[str], str] | None = None,
                 guards: Sequence[Guard] = (), field: str = "status",
                 state_of: Callable[[Any], str | None] = _status) -> None:
        if set(moves) != set(states):
            missing = sorted(set(states) - set(moves))
            raise ValueError(f"{states.__name__}: the moves out of {missing} are not declared")
        self.states = states
        self.moves: dict[S, frozenset[S]] = {s: frozenset(moves[s]) for s in states}
        if refused is None and any(len(to) < len(states) for to in self.moves.values()):
            raise ValueError(f"{states.__name__}: a workflow that refuses moves says why")
        self.refused = refused
        self.already = already
        self.guards = tuple(guards)
        self.field = field
        self.state_of = state_of

    def state(self, value: str | None) -> S | None:
        """The state named by a stored or submitted value; None when there is no such state."""
        if value in self.states._value2member_map_:
            return self.states(value)
        return None

    def current(self, subject: Any) -> S:
        """The state ``subject`` is in."""
        return self.states(self.state_of(subject))

    def moves_from(self, current: str) -> list[S]:
        """The states a record in ``current`` may move to, in the enum's order."""
        return ordered(self.moves[self.states(current)])

    def allows(self, current: str, target: str) -> bool:
        """Whether the workflow lists a move from ``current`` to ``target`` (guards aside)."""
        wanted = self.state(target)
        return wanted is not None and wanted in self.moves[self.states(current)]

    def is_final(self, current: str) -> bool:
        """A state nothing moves out of."""
        return not self.moves[self.states(current)]

    def check_move(self, subject: Any, target: str | None, **context: Any) -> S:
        """The state ``subject`` may move to as ``target`` asks; raises MoveRefused with the
        reason otherwise. ``context`` is what the guards read (a reason, a summary, now …)."""
        wanted = self.state(target)
        if wanted is None:
            raise MoveRefused(_("There is no status “%(status)s”.", status=target or ""),
                              self.field)
        current = self.current(subject)
        if wanted == current and self.already is not None:
            raise MoveRefused(self.already(current.label), self.field)
        if wanted not in self.moves[current]:
            assert self.refused is not None  # every move is allowed otherwise (__init__)
            labels = [s.label for s in self.moves_from(current)]
            allowed = format_list(labels, locale=get_locale()) if labels else _("nothing")
            raise MoveRefused(self.refused(current.label, wanted.label, allowed), self.field)
        for guard in self.guards:
            if guard.applies(current, wanted):
                reason = guard.check(subject, wanted=wanted, **context)
                if reason:
                    raise MoveRefused(reason, guard.field)
        return wanted
