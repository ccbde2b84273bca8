"""Small text helpers shared by searches, filters and forms."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def squash(text: str | None, limit: int = 100) -> str:
    """Collapse runs of white space and cut to ``limit`` characters."""
    return " ".join(CONTROL.sub("", text or "").split())[:limit]


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for '50%' means the text '50%' (escape char '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, text: str) -> Any:
    """``column`` holds ``text`` (any case), ``%`` and ``_`` meaning themselves: what a
    list's search box asks of a name. (A bare ``ilike(f"%{q}%")`` made a search for
    "%" or "_" return every row.)"""
    return column.ilike(f"%{escape_like(text)}%", escape="\\")


def whole_number(value: object, maximum: int = 999_999_999) -> int | None:
    """A small non-negative ASCII whole number from a query string or form, else None.

    ``str.isdigit`` accepts '²' and numbers too big for a database integer; this does not.
    """
    text = str(value or "").strip()
    if not WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None


def page_number(value: object) -> int:
    """The page asked for, 1 when absent or nonsense."""
    return max(whole_number(value, maximum=100_000) or 1, 1)


def drop_control(value: object) -> object:
    """Form filter: strip NUL and other control characters PostgreSQL or a browser would choke on.

    Tabs and line breaks stay: they belong in notes.
    """
    return CONTROL.sub("", value) if isinstance(value, str) else value


def filesize(size: int) -> str:
    """1234567 -> '1.2 MB', in the user's number format."""
    from flask_babel import format_decimal

    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{format_decimal(size / scale, format='#,##0.#')} {unit}"
    return f"{size} B"


def day_of(text: object) -> date | None:
    """A day typed or linked as YYYY-MM-DD, or None."""
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


TAG_SEPARATORS = re.compile(r"[,，、;；|]")


def tag_names(text: str | None) -> list[str]:
    """'vip, 华东、vip；新签' -> ['vip', '华东', '新签']: split on commas of either width, 、,
    semicolons and bars; trimmed, de-duplicated, order kept."""
    seen: dict[str, None] = {}
    for part in TAG_SEPARATORS.split(text or ""):
        tag = " ".join(part.split())
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


# -- amounts -----------------------------------------------------------------------------

# What may stand before or after an amount, and the currencies it names: the symbols
# Babel writes on pages in either language (¥560,000.00, CN¥, US$, HK$, SGD …), the codes,
# and the Chinese names. "¥" and "$" alone name several.
MONEY_MARKS: dict[str, frozenset[str]] = {
    "¥": frozenset({"CNY", "JPY"}), "CN¥": frozenset({"CNY"}), "JP¥": frozenset({"JPY"}),
    "$": frozenset({"USD", "HKD", "SGD"}), "US$": frozenset({"USD"}),
    "HK$": frozenset({"HKD"}), "S$": frozenset({"SGD"}), "SG$": frozenset({"SGD"}),
    "€": frozenset({"EUR"}), "£": frozenset({"GBP"}), "RMB": frozenset({"CNY"}),
    "元": frozenset({"CNY"}), "人民币": frozenset({"CNY"}), "人民币元": frozenset({"CNY"}),
    "美元": frozenset({"USD"}), "欧元": frozenset({"EUR"}), "港元": frozenset({"HKD"}),
    "港币": frozenset({"HKD"}), "日元": frozenset({"JPY"}), "英镑": frozenset({"GBP"}),
    "新加坡元": frozenset({"SGD"}), "新元": frozenset({"SGD"}),
    **{code: frozenset({code}) for code in ("CNY", "USD", "EUR", "HKD", "JPY", "GBP", "SGD")},
}
# Chinese multipliers written after the number: 1.2万 is 12,000; 3亿 is 300,000,000.
AMOUNT_SCALES = {"千": 1_000, "万": 10_000, "萬": 10_000, "十万": 100_000, "百万": 1_000_000,
                 "千万": 10_000_000, "亿": 100_000_000, "億": 100_000_000}
_AMOUNT = re.compile(r"(?P<before>[^\d.,+-]*)(?P<sign>[+-]?)(?P<before2>[^\d.,+-]*)"
                     r"(?P<number>[\d.,]+)(?P<scale>十万|百万|千万|[千万萬亿億])?"
                     r"(?P<after>[^\d.,]*)")
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


class AmountError(ValueError):
    """An amount that cannot be read; ``reason`` says why: "unreadable", "grouping",
    "negative", "places" (more than two decimals), "large"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currencies: frozenset[str] | None  # the currencies its marks allow; None: unmarked


def parse_amount(text: str) -> Amount:
    """An amount as people type it and as pages show it: '12000', '12,000', '¥560,000.00',
    '￥12000', 'US$1,200.50', '1.2万', '3亿元', full-width digits; exact (a Decimal), with
    the currencies its marks name. Raises AmountError: unreadable text, commas not between
    groups of three digits, a negative amount, more than two decimal places, more than 15
    digits before the point ("large")."""
    squeezed = "".join(unicodedata.normalize("NFKC", text or "").split())
    match = _AMOUNT.fullmatch(squeezed)
    if not match:
        raise AmountError("unreadable")
    number = match["number"]
    if "," in number:
        if not _GROUPED.fullmatch(number):
            raise AmountError("grouping")
        number = number.replace(",", "")
    elif not _PLAIN.fullmatch(number):
        raise AmountError("unreadable")
    currencies: frozenset[str] | None = None
    for mark in (match["before"], match["before2"], match["after"]):
        if not mark:
            continue
        named = MONEY_MARKS.get(mark.upper() if mark.isascii() else mark)
        if named is None:
            raise AmountError("unreadable")
        currencies = named if currencies is None else currencies & named
    if currencies is not None and not currencies:
        raise AmountError("unreadable")  # "US$ … 欧元": two currencies at once
    if len(number.split(".")[0]) > 15 or len(number) > 40:
        raise AmountError("large")  # beyond any fee, and beyond Decimal's exact digits
    value = Decimal(number) * AMOUNT_SCALES.get(match["scale"] or "", 1)
    if match["sign"] == "-" and value:
        raise AmountError("negative")
    if value != value.quantize(Decimal("0.01")):
        raise AmountError("places")
    return Amount(value.quantize(Decimal("0.01")), currencies)
