"""Single-column CSV series (a header row, one value per model time step), checked hard before use."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.data.csv_table import parse_numbers, read_csv_table
from models.errors import InputError, short_repr


def read_single_column(path: Path, field: str, index_len: int, unit: str,
                       max_value: float | None = None, max_rule: str = "",
                       notes: list[str] | None = None) -> np.ndarray:
    """`index_len` non-negative numbers from a one-column CSV; every bad row named in the error.

    Fixes applied while reading (a byte-order mark, decimal commas with ';') are appended to
    `notes` when given, so they can be reported.
    """
    path = Path(path)
    where = f"{field} {str(path)!r}"
    table = read_csv_table(path, where, f"a header row and one column of {unit} values")
    if len(table.columns) != 1:
        raise InputError(f"{where}: {len(table.columns)} columns {table.columns[:4]}; need "
                         f"exactly one column of {unit} values under a header")
    text = table.column(table.columns[0])
    values, comma_read, problems = parse_numbers(text, table.separator, where, table.columns[0])
    if notes is not None:
        notes.extend(f"{field}: {note}" for note in table.notes)
        if comma_read:
            notes.append(f"{field}: read decimal commas (1,5 = 1.5)")
    if len(values) != index_len:
        first, last = sorted((len(values), index_len))
        rows = f"row {last}" if last == first + 1 else f"rows {first + 1}..{last}"
        state = "missing" if len(values) < index_len else "extra"
        problems.append(f"{where}: {len(values)} data rows, need {index_len} (one per model time step); "
                        f"{rows} {state}")
    checks = [
        (~np.isfinite(values), "is not a number", lambda r: short_repr(text[r])),
        (values < 0, "is negative; must be ≥ 0", lambda r: f"{values[r]:g}"),
        (values > (np.inf if max_value is None else max_value), max_rule, lambda r: f"{values[r]:g}"),
    ]
    for mask, rule, show in checks:
        rows = np.flatnonzero(mask)
        if len(rows):
            listed = ", ".join(f"row {r + 1} ({show(r)})" for r in rows[:3])
            more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
            problems.append(f"{where}: value {rule}: data {listed}{more}")
    if problems:
        raise InputError(problems)
    return values
