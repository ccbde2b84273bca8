"""A short multiple choice as ticked boxes rather than a Ctrl-click list (issue 14).

A multi-select asks for Ctrl-click (Cmd on a Mac, impossible on most phones) without
JavaScript; the contacts of one partner or the people of a small team fit on the page as
checkboxes, which every browser and screen reader handles. A long list (every person of a
large organization) stays a multi-select, which ``static/js/pickers.js`` turns into a
typed picker with removable chips; checkboxes are left as they are.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import SelectMultipleField
from wtforms.widgets import Select

CHECKLIST_MAX = 15  # options beyond this are a picker: a column of 40 boxes is a chore


class ShortChecklist(Select):
    """Checkboxes named like the field when its choices are few, else the multi-select.

    The form macro (``_macros/forms.html``) asks ``as_checklist`` to write a fieldset
    whose legend is the field's label instead of a ``<label for>``."""

    def __init__(self) -> None:
        super().__init__(multiple=True)

    def as_checklist(self, field: Any) -> bool:
        return len(field.choices or ()) <= CHECKLIST_MAX

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        if not self.as_checklist(field):
            return super().__call__(field, **kwargs)
        boxes = []
        for i, (value, label, selected, _render_kw) in enumerate(field.iter_choices()):
            checked = " checked" if selected else ""
            boxes.append(f'<label><input type="checkbox" name="{escape(field.name)}"'
                         f' value="{escape(value)}" id="{escape(field.id)}-{i}"{checked}>'
                         f" {escape(label)}</label>")
        return Markup(f'<div class="checklist-options">{"".join(boxes) or "—"}</div>')


class ChecklistField(SelectMultipleField):
    """A multiple choice of records (ids) shown as ``ShortChecklist`` shows it."""

    widget = ShortChecklist()
