"""Single-column CSV series (a header row, one value per hour), checked hard before use."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from models.errors import InputError, short_repr


def read_single_column(path: Path, field: str, index_len: int, unit: str,
                       max_value: float | None = None, max_rule: str = "") -> np.ndarray:
    """`index_len` non-negative numbers from a one-column CSV; every bad row named in the error."""
    path = Path(path)
    where = f"{field} {str(path)!r}"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=False)  # a blank line is an empty value
    except FileNotFoundError as exc:
        raise InputError(f"{where}: file not found") from exc
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        detail = (str(exc).splitlines() or [""])[0][:100]
        raise InputError(f"{where}: not a readable CSV ({detail}); need a header row and one "
                         f"column of {unit} values") from exc
    if table.shape[1] != 1:
        raise InputError(f"{where}: {table.shape[1]} columns {list(table.columns)[:4]}; need "
                         f"exactly one column of {unit} values under a header")
    text = table.iloc[:, 0].str.strip()
    filled = np.flatnonzero(text.to_numpy() != "")
    text = text.iloc[: filled[-1] + 1 if len(filled) else 0]  # trailing blank lines are not rows
    values = pd.to_numeric(text, errors="coerce").to_numpy(float)
    problems = []
    if len(values) != index_len:
        first, last = sorted((len(values), index_len))
        rows = f"row {last}" if last == first + 1 else f"rows {first + 1}..{last}"
        state = "missing" if len(values) < index_len else "extra"
        problems.append(f"{where}: {len(values)} data rows, need {index_len} (one per hour); "
                        f"{rows} {state}")
    checks = [
        (~np.isfinite(values), "is not a number", lambda r: short_repr(text.iloc[r])),
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
