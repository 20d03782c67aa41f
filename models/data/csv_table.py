"""A user's CSV as a table of text cells: encoding, separator and shape checked, every fix noted.

Meter exports come as UTF-8 with or without a byte-order mark, as GB18030 from Chinese Windows,
with `,`, `;` or tab between columns and, with `;` or tab, often with decimal commas. Anything
that cannot be read one way only (ragged rows, two columns of the same name, decimal commas
mixed with decimal points) is refused with the rows named, never guessed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.data.file_access import NOT_FOUND, NotAFileError, file_problem, read_bytes, shown_path
from models.errors import InputError, short_repr
from models.scenario.ranges import data_range

_SEPARATORS = {";": "';'", "\t": "tab", ",": "','"}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+", re.ASCII)
_EMPTY_WORDS = {"", "nan", "na", "n/a", "#n/a", "null", "none"}
_EXCEL_SEP_LINE = re.compile(r"sep=(.)")


def rows_text(positions: np.ndarray | list[int]) -> str:
    """'rows 3, 7 (data rows, after the header)' for 0-based data-row positions, five at most."""
    nums = [str(int(p) + 1) for p in positions]
    more = f" and {len(nums) - 5} more" if len(nums) > 5 else ""
    s = "s" if len(nums) > 1 else ""
    return f"row{s} {', '.join(nums[:5])}{more} (data rows, after the header)"


@dataclass(frozen=True)
class CsvTable:
    """Header names and data rows (each as long as the header) of one CSV file."""

    where: str
    columns: list[str]
    rows: list[list[str]]
    separator: str
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        """The stripped cells of column `name`; a name given twice in the header is refused."""
        hits = [i for i, c in enumerate(self.columns) if c == name]
        if len(hits) > 1:
            raise InputError(f"{self.where}: column {name!r} appears {len(hits)} times in the header "
                             f"{self.columns}; each column needs its own name")
        return [row[hits[0]].strip() for row in self.rows]

    def numbers(self, name: str, unit: str) -> tuple[np.ndarray, list[str]]:
        """Column `name` as floats (NaN where a cell is bad) and one problem line per kind of bad cell.

        Decimal commas are read as in `parse_numbers`; reading them adds a note to `notes`.
        """
        cells = self.column(name)
        values, comma_read, problems = parse_numbers(cells, self.separator, self.where, name, unit)
        if comma_read:
            self.notes.append(f"read decimal commas in column {name!r} (1,5 = 1.5)")
        empty = np.array([c.lower() in _EMPTY_WORDS for c in cells], dtype=bool)
        not_number = np.isnan(values) & ~empty & ~_mixed_commas(cells, self.separator)
        for mask, what in (
            (not_number, f"non-numeric {unit} {{}} in column {name!r}; give a plain number in {unit} "
                         "(digits and one decimal mark, no units or thousands separators)"),
            (empty, f"empty or NaN {unit} in column {name!r}; every row needs a value"),
        ):
            if mask.any():
                shown = short_repr(cells[int(np.flatnonzero(mask)[0])])
                problems.append(f"{self.where} {rows_text(np.flatnonzero(mask))}: {what.replace('{}', shown)}")
        return values, problems


def parse_numbers(cells: list[str], separator: str, where: str, name: str,
                  unit: str | None = None) -> tuple[np.ndarray, bool, list[str]]:
    """Finite floats from text cells (NaN where a cell is not one), whether decimal commas were read,
    and a problem line if the column mixes decimal commas and points, or holds numbers out of range.

    The range is that of `unit` in `models.scenario.ranges` (at most 1e7 for kW); for other units,
    any size a scenario number may have. Signs are left to the caller (a load must be ≥ 0).

    Decimal commas are read only in files whose columns are separated by ';' or tab, and only
    when no cell of the column uses a decimal point: `1,5` is then 1.5. In a ','-separated file
    a quoted "1,5" could be 1.5 or fifteen: refused.
    """
    comma = np.array([_DECIMAL_COMMA.fullmatch(c) is not None for c in cells], dtype=bool)
    point = np.array([_NUMBER.fullmatch(c) is not None and "." in c for c in cells], dtype=bool)
    problems = []
    if _mixed_commas(cells, separator).any():
        at_comma, at_point = np.flatnonzero(comma), np.flatnonzero(point)
        problems.append(
            f"{where} {rows_text(at_comma)}: decimal comma {cells[at_comma[0]]!r} in column "
            f"{name!r}, which also has decimal points ({rows_text(at_point)}: "
            f"{cells[at_point[0]]!r}); use one decimal mark throughout")
    use_comma = bool(comma.any() and not point.any() and separator != ",")
    values = np.full(len(cells), np.nan)
    for i, cell in enumerate(cells):
        text = cell.replace(",", ".") if use_comma and comma[i] else cell
        if _NUMBER.fullmatch(text) and np.isfinite(number := float(text)):
            values[i] = number
    return values, use_comma, problems + _range_problems(values, where, name, unit)


def _range_problems(values: np.ndarray, where: str, name: str, unit: str | None) -> list[str]:
    """One line naming the rows whose numbers lie outside the range of `unit`, if any do."""
    rng = data_range(unit)
    with np.errstate(invalid="ignore"):
        far = np.flatnonzero((values > rng.high) | ((values < rng.low) if rng.low < 0 else False))
    if not len(far):
        return []
    return [f"{where} {rows_text(far)}: {unit or 'value'} in column {name!r}: {rng.problem(values[far[0]])}"]


def _mixed_commas(cells: list[str], separator: str) -> np.ndarray:
    """Cells with a decimal comma in a column that also has decimal points (';' or tab files)."""
    comma = np.array([_DECIMAL_COMMA.fullmatch(c) is not None for c in cells], dtype=bool)
    if separator == "," or not any(_NUMBER.fullmatch(c) and "." in c for c in cells):
        return np.zeros(len(cells), dtype=bool)
    return comma


def read_csv_table(path: Path, where: str, need: str) -> CsvTable:
    """Read `path` as a CSV with a header row; `need` says what the file should hold, for errors."""
    text, notes = _decode(Path(path), where, need)
    lines = text.splitlines(keepends=True)
    if lines and (sep_line := _EXCEL_SEP_LINE.fullmatch(lines[0].strip())):
        separator = sep_line.group(1)
        notes.append(f"used the separator {separator!r} named on the first line ({lines[0].strip()!r})")
        lines = lines[1:]
    else:
        separator = _separator(lines[0] if lines else "")
    if not "".join(lines).strip():
        raise InputError(f"{where}: has no header row; need {need}")
    if not lines[0].strip():
        raise InputError(f"{where}: the first line is blank; need {need}, the header on the first line")
    reader = csv.reader(io.StringIO("".join(lines), newline=""), delimiter=separator, strict=True)
    parsed, row_start = [], 1
    try:
        for row in reader:
            parsed.append(row)
            row_start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{where}: line {row_start} is not valid CSV ({exc}); need {need}, "
                         "with every quote closed on the line it opens") from None
    columns = [c.strip() for c in parsed[0]]
    rows = parsed[1:]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()  # blank lines at the end of the file are not data
    rows = [r if r else [""] * len(columns) for r in rows]  # a blank line inside is a row of blanks
    ragged = [i for i, r in enumerate(rows) if len(r) != len(columns)]
    if ragged:
        first = rows[ragged[0]]
        hint = ""
        if separator == "," and len(first) > len(columns):
            hint = "; a decimal comma? then separate the columns with ';'"
        raise InputError(f"{where} {rows_text(ragged)}: {len(first)} field{'s' * (len(first) != 1)} "
                         f"{short_repr(separator.join(first))}, the header has {len(columns)} "
                         f"{columns[:6]}; every row needs one field per column{hint}")
    if separator != ",":
        notes.append(f"columns separated by {_SEPARATORS.get(separator, repr(separator))}")
    return CsvTable(where, columns, rows, separator, notes)


def _separator(header: str) -> str:
    for sep in (";", "\t", ","):
        if sep in header:
            return sep
    return ","


def _decode(path: Path, where: str, need: str) -> tuple[str, list[str]]:
    problem = file_problem(path, need="a CSV file")
    if problem == NOT_FOUND:
        raise InputError(f"{where}: file not found ({shown_path(path)})")
    if problem is not None:
        raise InputError(f"{where}: {problem}")
    try:
        data = read_bytes(path)  # never blocks, also on a FIFO put in place after the check
    except NotAFileError as exc:
        raise InputError(f"{where}: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(f"{where}: the file is empty; need {need}")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InputError(f"{where}: an Excel workbook or a zip archive, not a CSV; save it as "
                         "'CSV UTF-8 (comma delimited)'")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{where}: UTF-16 text ('Unicode text' from Excel); save it as "
                         "'CSV UTF-8 (comma delimited)'")
    if b"\x00" in data:
        raise InputError(f"{where}: holds NUL bytes: a binary file, not a text CSV; need {need}")
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("skipped the UTF-8 byte-order mark (BOM) at the start of the file")
    if _is_utf8(data):
        return data.decode("utf-8"), notes
    return _gb18030(data, where), [*notes, "read as GB18030 (Chinese Windows) text, not UTF-8"]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _gb18030(data: bytes, where: str) -> str:
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: neither UTF-8 nor GB18030 text (byte {data[exc.start]:#04x} at "
                         f"offset {exc.start}); save it as 'CSV UTF-8'") from None
