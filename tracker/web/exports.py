"""Exports of a list as it is shown: CSV that spreadsheets open safely (UTF-8 with BOM, no
formula injection) and Excel workbooks (.xlsx, written by openpyxl).

A list's export is its columns (``Column``: the header as the page shows it, and how a row
gives the value) and the rows of its filtered, scoped select. Values are what the page
shows: labels rather than codes, names rather than ids, times in the reader's zone to the
minute. A workbook keeps numbers, dates and times as such (so they sort and sum), text as
text (a value that starts with "=" stays words, never a formula).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, request
from flask_babel import LazyString, get_timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]
    width: int = 0  # characters; 0: from the header
    key: str | None = None  # the list's optional column it is (None: always exported)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(value: datetime | None) -> datetime | None:
    """A stored (UTC) time in the reader's zone, to the minute, without a zone (as a
    spreadsheet wants it)."""
    if value is None:
        return None
    zone = ZoneInfo(str(get_timezone()))
    aware = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(zone).replace(second=0, microsecond=0, tzinfo=None)


def _shown(value: object) -> object:
    """A value as the page shows it, whatever the column gave: a stored (aware, UTC) time
    in the reader's zone to the minute, a label (lazy text) as text in the reader's
    language. A column cannot leak UTC with microseconds by forgetting ``local_time``."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return local_time(value)
    if isinstance(value, LazyString):
        return str(value)
    return value


def _text(value: object) -> object:
    """A CSV value: times to the minute (in the reader's zone), dates as ISO, the rest as
    text."""
    value = _shown(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return _cell(value)


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> Response:
    """A CSV download: Excel reads the BOM as UTF-8, so Chinese names survive.

    Written whole before it is sent: the rows come from the request's transaction (read in
    batches from a server-side cursor on PostgreSQL), which ends with the request."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _display_width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def xlsx_response(filename: str, title: str, columns: list[Column],
                  rows: Iterable[Iterable[object]]) -> Response:
    """A one-sheet workbook: a bold header row that stays in view, then the rows; written
    in openpyxl's write-only mode (rows are not kept in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    # Excel refuses these in a sheet's name (a team may be called "A/B").
    safe_title = "".join("-" if c in '/\\?*[]:' else c for c in title)[:31].strip("'")
    sheet = book.create_sheet(title=safe_title or "Sheet")
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(
            column.width, _display_width(column.header) + 2, 8)
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in map(_shown, row):
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # words, even when they start with "="
            elif isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value.replace(second=0, microsecond=0))
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, bool | int | float | Decimal) or value is None:
                cell = WriteOnlyCell(sheet, value=value)
            else:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        book.save(spool)
        spool.seek(0)
        data = spool.read()
    return Response(data, mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def chosen_format() -> str:
    """``?format=xlsx`` for a workbook; CSV otherwise."""
    wanted = request.args.get("format", "csv")
    return wanted if wanted in FORMATS else "csv"


def export_response(name: str, title: str, columns: list[Column], items: Iterable[Any]
                    ) -> Response:
    """The list's rows in the chosen format, named ``name.csv`` or ``name.xlsx``."""
    rows = ([column.value(item) for column in columns] for item in items)
    if chosen_format() == "xlsx":
        return xlsx_response(f"{name}.xlsx", title, columns, rows)
    return csv_response(f"{name}.csv", [c.header for c in columns], rows)
