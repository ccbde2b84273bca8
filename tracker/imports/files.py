"""An uploaded spreadsheet read into its header and rows of text."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l

# A spreadsheet is checked row by row inside one request (the dry run): this keeps that
# request short. Larger ledgers go in as several files.
MAX_ROWS = 5000
MAX_COLUMNS = 60
EXTENSIONS = ("csv", "txt", "xlsx", "xlsm")


class ImportFileError(Exception):
    """The file cannot be read as a table; ``message`` says why, in the user's language."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _text(value: object) -> str:
    """A cell as the text a person would type: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value)
    return str(value).replace("\u3000", " ").strip()


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves "CSV" in GB18030 (GBK); everything else is UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_l("The file is neither UTF-8 nor GB18030 text."))


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or disguised file: openpyxl raises many kinds
        raise ImportFileError(_l("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_text(cell) for cell in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS + 50:
                break
        return rows
    finally:
        book.close()


def read_table(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (the first row with anything in it) and the data rows after it, each
    with its number as the spreadsheet shows it; blank rows are left out."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in EXTENSIONS:
        raise ImportFileError(_l("Upload a .csv or .xlsx file (an old .xls can be saved as "
                                 ".xlsx from Excel)."))
    rows = _read_xlsx(data) if extension.startswith("xls") else _read_csv(data)
    numbered = [(number, row) for number, row in enumerate(rows, start=1)
                if any(cell.strip() for cell in row)]
    if not numbered:
        raise ImportFileError(_l("The file is empty."))
    (_, header), body = numbered[0], numbered[1:]
    while header and not header[-1].strip():
        header = header[:-1]
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(_l("The file has more than %(n)d columns.", n=MAX_COLUMNS))
    if not body:
        raise ImportFileError(_l("The file has a header but no rows."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(_l("The file has %(rows)d rows; import at most %(n)d at a time.",
                                 rows=len(body), n=MAX_ROWS))
    width = len(header)
    return header, [(number, (row + [""] * width)[:width]) for number, row in body]
