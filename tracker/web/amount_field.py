"""The amount field: reads an amount as people type it and as pages show it (¥560,000.00,
12,000, 1.2万, full-width digits), through ``tracker.text.parse_amount``, and says in the
user's language what is wrong with one it cannot read."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from tracker.text import AmountError, parse_amount

REASONS = {
    "unreadable": _l("Enter an amount, like 12000.50, ¥12,000 or 1.2万."),
    "grouping": _l("Put commas only between groups of three digits, like 12,000.50."),
    "negative": _l("Enter an amount of 0 or more."),
    "places": _l("An amount has at most two decimal places."),
    "large": _l("This amount is too large."),
}


class AmountField(DecimalField):
    """A money amount with two decimal places. ``currency`` names the form's currency
    field: an amount written with a symbol or code of another currency ("€12", the
    currency chosen CNY) is refused rather than stored in the wrong money. A text input: a
    number input would not let "¥12,000" or "1.2万" be typed at all."""

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, *,
                 currency: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("places", 2)
        super().__init__(label, validators, **kwargs)
        self.currency = currency
        self.marked: frozenset[str] | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0] or "").strip():
            self.data = None
            return
        try:
            amount = parse_amount(str(valuelist[0]))
        except AmountError as error:
            self.data = None
            raise ValueError(str(REASONS[error.reason])) from None
        self.data, self.marked = amount.value, amount.currencies

    def pre_validate(self, form: Any) -> None:
        if self.currency is None or self.marked is None or self.data is None:
            return
        chosen = form[self.currency].data if self.currency in form else None
        if chosen and chosen not in self.marked:
            raise ValidationError(_l(
                "This amount is written in %(marked)s, but the currency chosen is %(chosen)s.",
                marked=" / ".join(sorted(self.marked)), chosen=chosen))
