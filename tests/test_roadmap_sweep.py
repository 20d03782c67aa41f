"""Sweeps over a roadmap: a target year's reduction or a path's value in one year, each point a whole
roadmap; fields a path governs, and Pareto frontiers, are refused with a way forward."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from models.errors import InputError
from optimizer import api

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"extends": str(ROOT / "scenarios" / "small_plant.yaml"), "name": "small roadmap",
         "targets": {"net_zero": None}, "time": {"aggregation": "typical_days", "days": 2},
         "roadmap": {"base_year": 2025, "years": [2026, 2030], "end_year": 2034,
                     "targets": {2026: {"reduction_pct": 20}, 2030: {"reduction_pct": 60}},
                     "paths": {"pv.capex_per_kw": {2025: 3000, 2030: 2400}}}}


@pytest.fixture
def small(tmp_path) -> Path:
    """The small plant with a two-year roadmap, as a file (a file keeps its `extends`)."""
    path = tmp_path / "roadmap.yaml"
    path.write_text(json.dumps(SMALL), encoding="utf-8")
    return path


def test_a_sweep_over_a_target_year_and_a_path_value_solves_each_point_as_a_roadmap(tmp_path, small):
    spec = api.build_sweep(small, "ambition", "zip", {"roadmap.targets.2030.reduction_pct": [60, 90, 90],
                                                      "roadmap.paths[pv.capex_per_kw].2030": [2400, 2400, 1200]})
    assert len(spec.points) == 3
    run = api.sweep(spec, tmp_path / "out")
    table = run.table.set_index(["roadmap.targets.2030.reduction_pct", "roadmap.paths[pv.capex_per_kw].2030"])
    assert (table["status"] == "optimal").all()
    for (reduction, _), row in table.iterrows():  # each 2030 target is the base year's BAU cut by the reduction
        assert row["years.2030.target_t"] == pytest.approx((1 - reduction / 100) * table["years.2030.target_t"].max()
                                                           / (1 - 60 / 100), rel=1e-9)
        assert row["years.2030.net_t"] <= row["years.2030.target_t"] + 1e-6
    assert table.loc[(90, 2400), "npv"] > table.loc[(60, 2400), "npv"]  # more ambition costs more
    assert table.loc[(90, 1200), "npv"] < table.loc[(90, 2400), "npv"]  # cheaper PV in 2030 costs less
    assert (tmp_path / "out" / "lines.png").is_file()
    assert pd.read_csv(tmp_path / "out" / "results.csv")["npv"].notna().all()


def test_a_field_a_path_governs_is_swept_through_its_path(small):
    with pytest.raises(InputError, match=r"roadmap.paths\[pv.capex_per_kw\].2030"):
        api.build_sweep(small, "bad", "grid", {"pv.capex_per_kw": [2000, 3000]})


@pytest.mark.parametrize("path, words", [("roadmap.targets.2030.cut_pct", "not a field of a year's target"),
                                         ("roadmap.targets[2030]", "roadmap.targets.<year>.<field>"),
                                         ("roadmap.paths[pv.capex_per_kwp].2030", "did you mean 'capex_per_kw'")])
def test_a_wrong_roadmap_parameter_says_how_to_write_it(path, words, small):
    with pytest.raises(InputError, match=re.escape(words)):
        api.build_sweep(small, "bad", "grid", {path: [1, 2]})


def test_pareto_on_a_roadmap_points_to_a_sweep(tmp_path, small):
    with pytest.raises(InputError, match=re.escape("roadmap.targets.<year>.reduction_pct")):
        api.pareto(small, tmp_path / "out", points=3)
