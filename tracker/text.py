"""Small text helpers shared by searches, filters and forms."""

import re
from datetime import date
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
