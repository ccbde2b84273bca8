"""Figures kept for a few minutes per reader: complaint metrics and the dashboards.

The figures (exact medians over every complaint of the period) cost a few hundred
milliseconds at a department's volume, and a metrics page is read far more often than a
period's numbers move. Each worker keeps the result for ``METRICS_CACHE_SECONDS`` under a
key that holds everything deciding what the reader may see (their id, merged grants,
capabilities and teams), so a changed role never reads another role's figures; the page
says when its figures were computed.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from flask import current_app

from tracker.access import permissions_of
from tracker.models import User, utcnow

MAX_ENTRIES = 256
_entries: OrderedDict[Hashable, tuple[float, datetime, Any]] = OrderedDict()


def reader_key(user: User) -> Hashable:
    """What decides which complaints ``user`` may count (the access layer's reader key)."""
    return permissions_of(user).key(user)


def cached(key: Hashable, compute: Callable[[], Any]) -> tuple[Any, datetime]:
    """``compute()``'s result and when it was computed, reused for a few minutes."""
    seconds = current_app.config.get("METRICS_CACHE_SECONDS", 0)
    now = time.monotonic()
    hit = _entries.get(key)
    if seconds > 0 and hit is not None and hit[0] > now:
        _entries.move_to_end(key)
        return hit[2], hit[1]
    value, at = compute(), utcnow()
    if seconds > 0:
        _entries[key] = (now + seconds, at, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value, at


def clear() -> None:
    """Forget every kept result (tests)."""
    _entries.clear()
