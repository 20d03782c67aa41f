"""Writing a plan's files: summary.json, hourly.csv and the charts, each whole or not at all."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from optimizer.charts import write_charts
from optimizer.run import Plan


def write_plan(plan: Plan, out: Path) -> list[Path]:
    """All result files of `plan` under `out` (created if needed); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    atomic_write(summary_path, lambda p: p.write_text(json.dumps(_jsonable(plan.summary), indent=2,
                                                                 ensure_ascii=False)))
    paths = [summary_path]
    if plan.hourly is not None:
        hourly_path = out / "hourly.csv"
        atomic_write(hourly_path, lambda p: plan.hourly.to_csv(p, float_format="%.6g"))
        paths.append(hourly_path)
    return paths + write_charts(plan, out)


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename: never a half file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary open() would have made it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _jsonable(value):
    """NaN and infinities become null, numpy scalars plain numbers, keys strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
