"""Writing a roadmap's files: roadmap.json, roadmap.csv, each model year's flows and the charts.

roadmap.json is written last and removed first, so it marks a complete set (as summary.json does
for one plan).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer.atomic import atomic_write, check_replaceable, remove
from optimizer.report.files import jsonable
from optimizer.report.roadmap_charts import ROADMAP_CHART_FILES, write_roadmap_charts
from optimizer.result.roadmap import HEAT_SIZES, RoadmapPlan

ROADMAP_FILES = ("roadmap.json", "roadmap.csv", "hourly_*.csv", *ROADMAP_CHART_FILES)
"""Every file `write_roadmap` may write or remove in its folder, as glob patterns."""


def write_roadmap(plan: RoadmapPlan, out: Path) -> list[Path]:
    """Every result file of `plan` under `out` (created if needed); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    old = [out / "roadmap.json", out / "roadmap.csv", *out.glob("hourly_*.csv"),
           *(out / n for n in ROADMAP_CHART_FILES)]
    for path in old:  # all checked before any is removed: never a folder, device or a file the run reads
        check_replaceable(path)
    for path in old:  # roadmap.json first
        remove(path)
    paths = []
    table = roadmap_table(plan.summary)
    if len(table):
        path = out / "roadmap.csv"
        atomic_write(path, lambda p: table.to_csv(p, index=False, float_format="%.10g"))
        paths.append(path)
    for year, hourly in plan.hourly.items():
        path = out / f"hourly_{year}.csv"
        frame = hourly.apply(lambda c: c + 0.0 if c.dtype.kind == "f" else c)  # no "-0" from round-off
        atomic_write(path, lambda p, f=frame: f.to_csv(p, float_format="%.6g"))
        paths.append(path)
    paths += write_roadmap_charts(plan.summary, out)
    summary_path = out / "roadmap.json"
    atomic_write(summary_path, lambda p: p.write_text(json.dumps(jsonable(plan.summary), indent=2,
                                                                 ensure_ascii=False, allow_nan=False)))
    return [summary_path, *paths]


def roadmap_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per model year with a plan: builds, purchases, emissions, target and money (units in names)."""
    rows = []
    for y in summary.get("years", []):
        if "emissions" not in y:
            continue
        row: dict[str, Any] = {"year": y["year"], "stands_for_from": y["stands_for"][0],
                               "stands_for_to": y["stands_for"][1], "target_t": y["target_t"]}
        row.update({k: y["emissions"][k] for k in ("scope1_t", "scope2_location_t", "scope2_market_t", "net_t")})
        row["bau_net_t"] = y["bau"]["net_t"]
        row["pv_total_kw"] = sum(y["pv_kw"].values())
        row["pv_added_kw"] = sum(y["pv_kw_added"].values())
        row.update({f"pv_{name}_kw": kw for name, kw in y["pv_kw"].items()})
        row.update({k: y[k] for k in ("storage_kwh", "storage_kw", "storage_kwh_added", "storage_kw_added",
                                      "green_power_mwh", "certificates_mwh", "credits_t")})
        row.update({k: y[k] for size in HEAT_SIZES.values() for k in (size, f"{size}_added") if k in y})
        if "boiler_fuel_mwh" in y:
            row["boiler_fuel_mwh"] = y["boiler_fuel_mwh"]
        if "measures_taken" in y:
            row["measures_taken"] = "; ".join(y["measures_taken"])
        row["investment"] = y["investment"]["total"]
        row["total_annual_cost"] = y["total_annual_cost"]
        row.update({f"cost_{item}": value for item, value in y["costs"].items()})
        row["bau_annual_cost"] = y["bau"]["total_annual_cost"]
        row["savings"] = y["savings"]
        row["operating_weight"] = y["weights"]["operating"]
        row["investment_weight"] = y["weights"]["investment"]
        rows.append(row)
    return pd.DataFrame(rows)
