"""Selects with hundreds of options (people, clients), rendered without per-option overhead.

WTForms builds every ``<option>`` through ``html_params`` and Jinja loops cost a macro
call per option: with 300 people in a list filter and an assign form, that was a quarter
of the complaint queue's time. The markup is the same; only the way it is written differs.

The same lists come back on every page (the people of a department change a few times a
week), so ``option_tags`` keeps the written tags of the last lists it saw, keyed by the
list itself: a page still reads its options from the database, but writes them only when
they changed. Hashing 300 pairs costs a tenth of writing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select, html_params

from tracker.kept import Kept


def _option(value: Any, label: Any, selected: bool) -> str:
    mark = " selected" if selected else ""
    return f'<option value="{escape(value)}"{mark}>{escape(label)}</option>'


_WRITTEN: Kept[tuple[dict[str, int], list[str]]] = Kept(64)
_WRITTEN_MIN_LENGTH = 20  # short lists are written faster than they are looked up


def _written(options: tuple[tuple[Any, Any], ...]) -> tuple[dict[str, int], list[str]]:
    """The unselected tags of ``options`` and where each value sits, written once."""
    return _WRITTEN.get_or_build(options, lambda: (
        {str(v): i for i, (v, _t) in enumerate(options)},
        [_option(v, t, False) for v, t in options]))


def option_tags(options: Iterable[tuple[Any, Any]], current: Any) -> Markup:
    """``<option>`` tags for (value, label) pairs, ``current`` selected (compared as text)."""
    wanted = "" if current is None else str(current)
    pairs = tuple(options)
    if len(pairs) < _WRITTEN_MIN_LENGTH or any(isinstance(t, LazyString) for _v, t in pairs):
        return Markup("".join(_option(v, t, str(v) == wanted) for v, t in pairs))
    where, tags = _written(pairs)
    at = where.get(wanted)
    if at is None:
        return Markup("".join(tags))
    value, label = pairs[at]
    return Markup("".join([*tags[:at], _option(value, label, True), *tags[at + 1:]]))


class IdChoices(list):
    """Choices of record ids (or the blank ""), as ``tracker.web.forms.options`` builds them
    for a long list: ``pairs`` are the same choices as plain (value, label) pairs, so
    ``FastSelect`` needs not check and take apart each of them again."""

    pick = ""  # see PickedChoices

    def __init__(self, choices: list[SelectChoice], pairs: tuple[tuple[Any, str], ...]) -> None:
        super().__init__(choices)
        self.pairs = pairs


_CHOICES: Kept[tuple[tuple[SelectChoice, ...], bool]] = Kept(64)


def choices_of(pairs: tuple[tuple[Any, str], ...]) -> list[SelectChoice]:
    """SelectChoices for (value, text label) pairs. A long list is built once per list and
    worker (the people of a department, offered by several forms on every page), as an
    ``IdChoices`` when every value is an id or blank."""
    if len(pairs) < _WRITTEN_MIN_LENGTH:
        return [SelectChoice(value=value, label=label) for value, label in pairs]
    built, ids = _CHOICES.get_or_build(pairs, lambda: (
        tuple(SelectChoice(value=value, label=label) for value, label in pairs),
        all(type(value) is int or value == "" for value, _label in pairs)))
    return IdChoices(list(built), pairs) if ids else list(built)


class PickedChoices(list):
    """Choices a picker can search on the server as you type (``pick``: the address of its
    ``/pick/<kind>``), for names typed by their pinyin or initials. ``FastSelect`` writes
    it as the select's ``data-pick``."""

    pick: str = ""


def pickable(choices: list, pick: str) -> list:
    """``choices`` marked for the picker at ``pick`` (its options are written as before)."""
    if isinstance(choices, IdChoices):
        choices.pick = pick
        return choices
    marked = PickedChoices(choices)
    marked.pick = pick
    return marked


class FastSelect(Select):
    """WTForms' select, writing plain options directly (render_kw options fall back).

    A select of record ids (people, clients) is written with ``option_tags``: its options
    are written once per list and only the chosen one changes. That needs choices of ids
    (or the blank "") and an id or None chosen, where comparing as text is the same as
    WTForms' coerce-and-compare; anything else takes WTForms' own way.
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = field.choices
        pick = getattr(choices, "pick", "")
        if pick:
            kwargs.setdefault("data-pick", pick)
        if (self.multiple or not isinstance(choices, list) or len(choices) < _WRITTEN_MIN_LENGTH
                or not (field.data is None or type(field.data) is int)):
            return super().__call__(field, **kwargs)
        if type(choices) is IdChoices and len(choices) == len(choices.pairs):
            pairs: Any = [(value, label or value) for value, label in choices.pairs]
        else:
            pairs = []
            for choice in choices:
                if (not isinstance(choice, SelectChoice) or choice.render_kw
                        or choice.optgroup is not None
                        or not (type(choice.value) is int or choice.value == "")):
                    return super().__call__(field, **kwargs)
                pairs.append((choice.value, choice.label or choice.value))
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>"
                      f"{option_tags(pairs, field.data)}</select>")

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        return Markup(_option(value, choice.label or choice.value, choice.selected))
