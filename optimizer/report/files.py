"""Writing a plan's files: summary.json, hourly.csv and the charts, each whole or not at all."""

from __future__ import annotations

import json
import math
from pathlib import Path

from optimizer.atomic import atomic_write, check_replaceable, remove
from optimizer.report.plan_charts import CHART_FILES, OPTIONAL_CHART_FILES, write_charts
from optimizer.result.plan import Plan

PLAN_WORKBOOK = "plan.xlsx"
PLAN_FILES = ("summary.json", "hourly.csv", PLAN_WORKBOOK, *CHART_FILES, *OPTIONAL_CHART_FILES)
"""Every file `write_plan` may write or remove in its folder."""


def write_plan(plan: Plan, out: Path, excel: bool = False) -> list[Path]:
    """All result files of `plan` under `out` (created if needed), and plan.xlsx with `excel`;
    returns the paths written.

    summary.json is written last and removed first, so it marks a complete set: a run cut short
    leaves no summary beside files of another run.
    """
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    old = [out / name for name in PLAN_FILES]
    for path in old:  # all checked before any is removed: never a folder, device or a file the run reads
        check_replaceable(path)
    for path in old:
        remove(path)
    paths = []
    if plan.hourly is not None:
        hourly_path = out / "hourly.csv"
        # + 0.0 turns solver round-off's -0.0 into 0.0; tiny negatives print as -1e-09, never "-0".
        hourly = plan.hourly.apply(lambda c: c + 0.0 if c.dtype.kind == "f" else c)
        atomic_write(hourly_path, lambda p: hourly.to_csv(p, float_format="%.6g"))
        paths.append(hourly_path)
    paths += write_charts(plan, out)
    if excel:
        from optimizer.report.excel import plan_sheets, write_workbook

        paths.append(write_workbook(out / PLAN_WORKBOOK, plan_sheets(plan)))
    atomic_write(summary_path, lambda p: p.write_text(json.dumps(jsonable(plan.summary), indent=2,
                                                                 ensure_ascii=False, allow_nan=False)))
    return [summary_path, *paths]


def jsonable(value):
    """NaN and infinities become null, -0.0 (solver round-off) 0.0, numpy scalars plain numbers, keys strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, float):
        return value + 0.0  # -0.0 + 0.0 is 0.0
    return value
