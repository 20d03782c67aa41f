"""The demo roadmap (scenarios/demo_roadmap.yaml, on 4 typical days): every year meets its target,
balances and keeps the emission identities; builds serve their life; the present value is the sum
of the weighted yearly figures roadmap.json holds; the files and the printed table are there."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from optimizer import api
from optimizer.cli import app
from optimizer.result.extract import balance_residual_kw

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "scenarios" / "demo_roadmap.yaml"
TYPICAL_DAYS = {"time": {"aggregation": "typical_days", "days": 4}}
LIFETIME = {"pv": 25, "storage": 12, "heat_pump_kw_th": 15, "electric_heater_kw_th": 20,
            "thermal_storage_kwh_th": 25}  # demo.yaml
MEASURE_LIFETIME = {"oven_exhaust_heat_recovery": 15, "booth_air_recirculation": 15, "compressed_air_leaks_and_vsd": 10,
                    "led_lighting": 10}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    out = tmp_path_factory.mktemp("roadmap")
    plan = api.roadmap(DEMO, out, overrides=TYPICAL_DAYS)
    return plan, out, json.loads((out / "roadmap.json").read_text(encoding="utf-8"))


def test_every_model_year_meets_its_target_and_the_emission_identities_hold(solved):
    plan, _, doc = solved
    assert doc["status"] == "optimal"
    assert [y["year"] for y in doc["years"]] == [2026, 2027, 2028, 2030]
    for y in doc["years"]:
        e = y["emissions"]
        if y["target_t"] is not None:
            assert e["net_t"] <= y["target_t"] + 1e-6 * max(1.0, y["target_t"])
        assert e["net_t"] == pytest.approx(e["scope1_t"] + e["scope2_market_t"] - e["credits_t"], abs=1e-6)
        assert e["scope2_market_t"] == pytest.approx(
            e["residual_factor_t_per_mwh"] * (y["grid_import_mwh"] - y["certificates_mwh"]), rel=1e-6, abs=1e-6)
        hourly = plan.hourly[y["year"]]
        assert balance_residual_kw(hourly).abs().max() < 1e-6
        assert set(hourly.index.year) == {y["year"]}
    targets = {y["year"]: y["target_t"] for y in doc["years"]}
    assert targets[2027] == pytest.approx(0.5 * doc["base_emissions_t"])
    assert targets[2030] == 0.0


def test_installed_capacity_is_what_was_built_and_still_serves(solved):
    _, _, doc = solved
    years = doc["years"]
    for y in years:
        serving = [b for b in years if b["year"] <= y["year"] < b["year"] + LIFETIME["pv"]]
        for roof, kw in y["pv_kw"].items():
            assert kw == pytest.approx(sum(b["pv_kw_added"][roof] for b in serving), abs=1e-6)
        serving = [b for b in years if b["year"] <= y["year"] < b["year"] + LIFETIME["storage"]]
        assert y["storage_kwh"] == pytest.approx(sum(b["storage_kwh_added"] for b in serving), abs=1e-6)
        for size in ("heat_pump_kw_th", "electric_heater_kw_th", "thermal_storage_kwh_th"):
            serving = [b for b in years if b["year"] <= y["year"] < b["year"] + LIFETIME[size]]
            assert y[size] == pytest.approx(sum(b[f"{size}_added"] for b in serving), abs=1e-6), size
        taken = [m for b in years if b["year"] <= y["year"] for m in b["measures_added"]
                 if y["year"] < b["year"] + MEASURE_LIFETIME[m]]
        assert sorted(y["measures_taken"]) == sorted(taken)  # each taken once, and in force in its life
    assert sum(y["heat_pump_kw_th_added"] + y["electric_heater_kw_th_added"] for y in years) > 0  # heat electrified
    for earlier, later in itertools.pairwise(years):  # nothing retires before 2038
        assert later["storage_kwh"] >= earlier["storage_kwh"] - 1e-6
        assert sum(later["pv_kw"].values()) >= sum(earlier["pv_kw"].values()) - 1e-6


def test_present_value_is_the_weighted_sum_of_the_yearly_figures(solved):
    _, _, doc = solved
    weighted = sum(y["weights"]["operating"] * y["total_annual_cost"] + y["weights"]["investment"]
                   * y["investment"]["total"] for y in doc["years"])
    parts = doc["npv_parts"]
    assert doc["npv"] == pytest.approx(weighted - parts["salvage"] + parts["past_life_lease"], rel=1e-9)
    assert doc["npv"] == pytest.approx(parts["operating"] + parts["fixed_om"] + parts["investment"]
                                       - parts["salvage"] + parts["past_life_lease"], rel=1e-9)
    assert doc["npv_savings"] == pytest.approx(doc["bau_npv"] - doc["npv"], rel=1e-9)


def test_files_hold_a_row_and_the_flows_of_every_model_year(solved):
    _, out, doc = solved
    table = pd.read_csv(out / "roadmap.csv")
    assert table["year"].tolist() == [2026, 2027, 2028, 2030]
    assert table["net_t"].tolist() == pytest.approx([y["emissions"]["net_t"] for y in doc["years"]], abs=1e-3)
    for year in table["year"]:
        flows = pd.read_csv(out / f"hourly_{year}.csv", index_col=0)
        assert len(flows) == 8760 and flows.index[0].startswith(str(year))
    for key in ("status", "npv", "base_year", "base_emissions_t", "years"):
        assert key in doc
    for key in ("year", "pv_kw", "pv_kw_added", "storage_kwh", "storage_kw", "storage_kwh_added", "storage_kw_added",
                "green_power_mwh", "certificates_mwh", "credits_t", "emissions", "target_t", "costs", "investment"):
        assert key in doc["years"][0], key


def test_the_command_prints_the_year_table_and_fails_on_targets_out_of_reach(tmp_path):
    small = {"extends": str(ROOT / "scenarios" / "small_plant.yaml"), "targets": {"net_zero": None},
             "time": {"aggregation": "typical_days", "days": 2}, "carbon_credits": None, "certificates": None,
             "roadmap": {"base_year": 2025, "years": [2026, 2030], "targets": {2026: {"reduction_pct": 10},
                                                                              2030: {"net_zero": True}}}}
    path = tmp_path / "small_roadmap.yaml"
    path.write_text(json.dumps(small), encoding="utf-8")
    result = CliRunner().invoke(app, ["roadmap", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "infeasible" in result.output and "2030: The emissions target" in result.output
    assert "2026:" not in result.output  # within reach on its own: not named
    assert (tmp_path / "out" / "roadmap.json").is_file()


def test_roadmaps_compare_beside_plans_on_one_page(solved, tmp_path):
    plan, _, doc = solved
    npv = f"{doc['npv'] / 1e6:,.2f}"
    alone = api.compare([plan], tmp_path / "roadmaps.html")
    assert alone.roadmaps == (plan,) and alone.plans == () and npv in alone.html
    single = api.solve(ROOT / "scenarios" / "small_plant.yaml",
                       overrides=TYPICAL_DAYS | {"targets": {"net_zero": False}})
    mixed = api.compare([single, plan], tmp_path / "mixed.html")
    assert len(mixed.entries) == 1 and npv in mixed.html and "small plant" in mixed.html
    assert (tmp_path / "mixed.html").read_text(encoding="utf-8") == mixed.html
