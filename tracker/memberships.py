"""Team membership, edited from two sides: a team's form (its members) and a user's
administration form (their teams). Each side changes only what its form changed.

A membership state maps the other side's ids to "leads?" (absent: not a member). A form
carries the state it was loaded with (``encode``); on save, ``merge`` applies the
differences between what was loaded and what is posted to what is stored now, so a
membership added meanwhile from the other side survives a save that never showed it.
"""

from __future__ import annotations

from collections.abc import Iterable

State = dict[int, bool]


def state_of(pairs: Iterable[tuple[int, bool]]) -> State:
    """``[(id, is_lead), …]`` as a state."""
    return dict(pairs)


def posted_state(members: Iterable[int] | None, leads: Iterable[int] | None) -> State:
    """A form's members and leads (leads are members too)."""
    lead_ids = set(leads or [])
    return {member: member in lead_ids for member in {*(members or []), *lead_ids}}


def encode(state: State) -> str:
    """A state for a hidden field: "3:lead,7:member"."""
    return ",".join(f"{key}:{'lead' if lead else 'member'}" for key, lead in sorted(
        state.items()))


def decode(text: str | None) -> State | None:
    """A hidden field's state; None when the form did not carry one (or it is damaged)."""
    if text is None:
        return None
    state: State = {}
    for part in filter(None, text.split(",")):
        key, _, kind = part.partition(":")
        if not key.isdigit() or kind not in {"lead", "member"}:
            return None
        state[int(key)] = kind == "lead"
    return state


def merge(current: State, loaded: State | None, posted: State) -> State:
    """What is stored now, with the changes the form made (posted vs loaded) applied.

    Without a loaded state (an old form), the posted one is taken as it is.
    """
    if loaded is None:
        return dict(posted)
    result = dict(current)
    for key in loaded.keys() | posted.keys():
        if loaded.get(key) == posted.get(key):
            continue  # untouched by this form: whatever is stored now stands
        if key in posted:
            result[key] = posted[key]
        else:
            result.pop(key, None)
    return result
