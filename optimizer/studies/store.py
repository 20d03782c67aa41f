"""Sweep results that survive a kill: one Parquet file per point, written whole, gathered at the end.

Each solved point becomes `DIR/points/<key>.parquet` the moment its result arrives (temporary
file, then rename), so a sweep killed at any moment loses only the points in flight, and a
sweep started again skips every point whose key is there. `gather` writes `results.parquet`
(and `results.csv` for spreadsheets) with one row per point of the sweep, in point order.

One sweep writes into a folder at a time: `writing()` holds a lock on `DIR/.sweep.lock` (it dies
with the process), refuses a second sweep in words while the first runs, and only then removes
what a killed sweep left half-written.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from models.errors import InputError
from models.scenario.sweep import Point, Sweep
from optimizer.atomic import atomic_write
from optimizer.solver.status import FAILED

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock, and no clean-up that could hit a running sweep
    fcntl = None  # type: ignore[assignment]

_IDENTITY = ["index", "key", "label", "level", "varied"]
LOCK_NAME = ".sweep.lock"


class ResultStore:
    """The points of the sweeps run into the folder `out`; reading it changes nothing."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.points_dir = self.out / "points"
        self.points_dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The folder to this process while the block runs: a second sweep into it is refused in
        words; files a killed sweep left half-written (never a result) are removed first."""
        if fcntl is None:
            yield
            return
        fd = os.open(self.out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                raise InputError(f"{self.out}: another sweep is writing its results there (process {holder}); "
                                 "wait for it to end, or give another --out") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            for stale in self.points_dir.glob(".*.parquet.*"):  # no sweep but this one writes here
                stale.unlink(missing_ok=True)
            yield
        finally:
            os.close(fd)  # the lock goes with it

    def done(self, retry_failed: bool = False) -> set[str]:
        """Keys of the points already stored (failed ones too, unless `retry_failed`). A file that
        cannot be read (a disk that lost it) is set aside as `<key>.parquet.unreadable` and its
        point solved again."""
        keys = set()
        for path in self.points_dir.glob("*.parquet"):
            try:
                pq.read_metadata(path)
            except (OSError, pa.ArrowException):
                path.replace(path.with_name(path.name + ".unreadable"))
                continue
            keys.add(path.stem)
        if retry_failed and keys:
            statuses = self._read(sorted(keys), columns=["key", "status"])
            keys = set(statuses.loc[~statuses["status"].isin(FAILED), "key"])
        return keys

    def write(self, row: dict[str, Any]) -> None:
        """Store one point's row, whole or not at all."""
        frame = pd.DataFrame([row])
        atomic_write(self.points_dir / f"{row['key']}.parquet", lambda p: frame.to_parquet(p, index=False))

    def gather(self, sweep: Sweep) -> pd.DataFrame:
        """One row per point of `sweep` that has a result, in point order; also written to disk.

        Points with the same scenario share one stored result and each get their own row.
        """
        keys = sorted({p.key for p in sweep.points if (self.points_dir / f"{p.key}.parquet").is_file()})
        stored = self._read(keys).set_index("key") if keys else None
        rows = []
        for point in sweep.points:
            if stored is not None and point.key in stored.index:
                result = stored.loc[point.key].drop(labels=_IDENTITY + list(sweep.parameters), errors="ignore")
                rows.append({**point_row(sweep, point), **result.to_dict()})
        table = pd.DataFrame(rows)
        atomic_write(self.out / "results.parquet", lambda p: table.to_parquet(p, index=False))
        atomic_write(self.out / "results.csv", lambda p: table.to_csv(p, index=False, float_format="%.10g"))
        return table

    def _read(self, keys: list[str], columns: list[str] | None = None) -> pd.DataFrame:
        """The stored rows of `keys`: a file only answers for the point it is named after."""
        frames = [pd.read_parquet(self.points_dir / f"{k}.parquet", columns=columns) for k in keys]
        frames = [f[f["key"] == k] for k, f in zip(keys, frames, strict=True)]
        frames = [f.dropna(axis=1, how="all") for f in frames]  # an all-empty column has no type
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["key", "status"])


def point_row(sweep: Sweep, point: Point) -> dict[str, Any]:
    """The columns that say which point a row is: index, label, level and every parameter's value."""
    row: dict[str, Any] = {"index": point.index, "key": point.key, "label": point.label,
                           "level": point.level, "varied": point.varied}
    for name in sweep.parameters:
        row[name] = _cell(point.values[name], numeric=_numeric(sweep, name))
    return row


def flatten(summary: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"emissions": {"net_t": 0}}` -> `{"emissions.net_t": 0}`; lists become text, one item a line."""
    flat: dict[str, Any] = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            flat[name] = "\n".join(str(v) for v in value)
        elif isinstance(value, Enum):
            flat[name] = value.value
        elif isinstance(value, float) and not math.isfinite(value):
            flat[name] = None
        else:
            flat[name] = value
    return flat


def unflatten(row: dict[str, Any]) -> dict[str, Any]:
    """The nested summary back from a flattened row: `{"emissions.net_t": 0}` -> `{"emissions": {"net_t": 0}}`."""
    nested: dict[str, Any] = {}
    for name, value in row.items():
        parts = str(name).split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = None if isinstance(value, float) and math.isnan(value) else value
    return nested


def _numeric(sweep: Sweep, name: str) -> bool:
    values = [p.values[name] for p in sweep.points]
    return all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values)


def _cell(value: Any, numeric: bool) -> Any:
    """A parameter value as one Parquet cell: a number, or JSON text for anything else."""
    if numeric:
        return None if value is None else float(value)
    return json.dumps(value, default=str, ensure_ascii=False)
