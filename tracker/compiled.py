"""A kept statement compiled once and run as its SQL, for the few statements so large
that SQLAlchemy's work per run costs more than the database's.

``session.execute(statement, values)`` looks the statement up in the engine's compiled
cache by a key it computes by walking the whole statement, then builds every parameter
of it again: for the search page's statement (eighteen kinds' parts, hundreds of
parameters) about 3 ms per run against 1-6 ms of SQL. A ``CompiledStatement`` does that
once: it keeps the SQL text and every parameter as the driver takes it, and on each run
replaces only the values given (the words of a search), through the same type
processing SQLAlchemy would apply. Rows come back as the driver gives them, with the
result columns' own type processing (a time stored as text on SQLite is read back as an
aware ``datetime``).

It is only for statements whose other parameters are fixed when they are built (a
reader's access clauses are: they are part of the key the statement is kept by).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class CompiledStatement:
    """``statement`` compiled for ``dialect`` with ``values`` (any set of its parameter
    values: they fix the shape of expanding ``IN`` lists, which must not change)."""

    def __init__(self, statement: sa.Select, dialect: Dialect, values: dict[str, Any]) -> None:
        compiled = statement.compile(dialect=dialect)
        state = compiled.construct_expanded_state(compiled.construct_params(values))
        self.sql: str = state.statement
        self._processors: dict[str, Callable[[Any], Any]] = dict(state.processors)
        self._params: dict[str, Any] = {name: self._process(name, value)
                                        for name, value in state.parameters.items()}
        self._order: Sequence[str] | None = (tuple(state.positiontup or ())
                                             if compiled.positional else None)
        self._results: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns]

    def _process(self, name: str, value: Any) -> Any:
        processor = self._processors.get(name)
        return processor(value) if processor is not None and value is not None else value

    def parameters(self, values: dict[str, Any]) -> Any:
        """Every parameter as the driver takes it, ``values`` replacing those named."""
        params = self._params
        if values:
            params = {**params, **{name: self._process(name, value)
                                   for name, value in values.items() if name in params}}
        if self._order is None:
            return params
        return tuple(params[name] for name in self._order)

    def rows(self, connection: sa.Connection, values: dict[str, Any]) -> list[tuple]:
        """Run with ``values`` on ``connection`` (engine events fire as for any
        statement); every row, each column read as its type reads it."""
        result = connection.exec_driver_sql(self.sql, self.parameters(values))
        processors = self._results
        if not any(processors):
            return [tuple(row) for row in result]
        return [tuple(value if p is None or value is None else p(value)
                      for p, value in zip(processors, row, strict=True)) for row in result]
