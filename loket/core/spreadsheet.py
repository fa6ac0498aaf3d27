"""Every CSV and XLSX export writes its cells through here: text is never read as a formula.

A spreadsheet program runs a cell that starts with = + - @ (or a tab or carriage return before
one) as a formula: an applicant named `=HYPERLINK(...)` would become a live link in the buku
harian (CSV/formula injection). Such text is written with a leading apostrophe, which shows it
as the text it is. Numbers, dates and empty cells are left as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet may show it: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of a row through safe_cell."""
    return [safe_cell(value) for value in row]


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text, every cell escaped."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()


def append_row(sheet: Worksheet, row: Iterable[Any]) -> None:
    """Append a row to a worksheet, every cell escaped."""
    sheet.append(safe_row(row))


# openpyxl (with numpy, ~40 MiB) loads with the first XLSX export, not with the app: a process serving
# the boards never holds it (docs/performance.md, Boards; tests/test_app_imports.py). The exports make
# their workbooks and fonts here.


def workbook() -> Workbook:
    """A new, empty openpyxl workbook (one sheet)."""
    from openpyxl import Workbook  # noqa: PLC0415

    return Workbook()


def bold(size: float | None = None) -> Font:
    """A bold font for titles and headers, at `size` points (the default size when None)."""
    from openpyxl.styles import Font  # noqa: PLC0415

    return Font(bold=True, size=size)


__all__ = ["FORMULA_STARTS", "append_row", "bold", "csv_text", "safe_cell", "safe_row", "workbook"]
