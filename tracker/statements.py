"""Statements built once and run many times, their values passed as parameters.

Building a SELECT in SQLAlchemy (the Python objects, then the key its compiled form is
cached under) costs several times what running it costs on an indexed read: the top bar's
counts take about 250 µs to build and 70 µs to run. A list page builds four or five such
statements per request, with nothing different from the last request but a few values.

``kept(key, build)`` builds a statement the first time its key is asked for and returns
the same object afterwards; SQLAlchemy then finds its compiled form without walking it.
The builder writes every value that changes between requests as a named ``bindparam``
(see ``param``) carrying this request's value, so the statement stays complete (a query
plan test can render it), and the caller passes every such value again when it runs it
(``session.execute(stmt, params)``): a kept statement never runs with another request's
values. The key names everything else the statement depends on, the reader's access
(``Permissions.key``) included, so two readers share a statement only when the access
layer would have built them the same one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

from tracker.extensions import db
from tracker.kept import Kept

S = TypeVar("S")

# A kept statement with its access clauses weighs about 100 KB (measured with tracemalloc
# on the bench's pages): 300 of them, ~30 MB a worker, hold a few dozen busy readers' pages.
# Past that the least recently used are dropped and simply built again when asked for.
_KEPT: Kept[Any] = Kept(300)


def kept(key: tuple, build: Callable[[], S]) -> S:
    """The statement kept under ``key``, built by ``build()`` the first time.

    The key is taken per database dialect too: some builders write dialect-specific SQL
    (``string_agg`` or ``group_concat``), and the test suite may run apps on both.
    """
    return _KEPT.get_or_build((db.engine.dialect.name, *key), build)


def param(name: str, value: Any, column: Any, *, expanding: bool = False) -> sa.BindParameter:
    """A named parameter typed like ``column`` (times, dates and enums convert as the
    column's own values do), holding this request's ``value``."""
    return sa.bindparam(name, value, type_=column.type, expanding=expanding)
