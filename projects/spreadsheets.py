"""Text that a spreadsheet must never compute: the one rule for every export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is a formula to
Excel (CSV injection). CSV gets a ``'`` in front; xlsx writes it as a text cell.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """The value, with a ``'`` in front of a text that a spreadsheet would compute."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def text_cell(sheet: Any, text: str) -> Any:
    """A value for a write-only sheet that stays text: never a formula, never an error code
    (#N/A); quotePrefix keeps it text when someone edits it in Excel."""
    if not (text.startswith(FORMULA_STARTS) or text in ERROR_CODES):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
