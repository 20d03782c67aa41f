"""The `zcf` command end to end on a full year: exit codes, files, words for an unreachable target."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SMALL_PLANT = """
name: grid-only plant
site: {latitude: 23.0, longitude: 113.1}
load: {synthetic: {annual_mwh: 2000}}
grid:
  emission_factor_kg_per_kwh: 0.5
  tariff:
    prices_per_kwh: {valley: 0.3, flat: 0.7}
    schedule: [{hours: [0, 8], period: valley}, {period: flat}]
carbon_credits: {price_per_t: 70}
targets: {net_zero: true, max_offset_share: 0.5}
"""


def zcf(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optimizer.cli", *args], capture_output=True, text=True)


def scenario(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text(textwrap.dedent(SMALL_PLANT) + extra, encoding="utf-8")
    return path


def test_solve_writes_summary_and_hourly(tmp_path):
    path = scenario(tmp_path, "certificates: {price_per_mwh: 5}\n")
    run = zcf("solve", str(path), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "optimal"
    # Certificates at 5 per MWh = 10 per t beat credits at 70 per t: every MWh is covered.
    assert abs(summary["certificates_mwh"] - 2000) < 1e-3
    assert summary["credits_t"] < 1e-6
    assert "grid-only plant" in run.stdout


def test_unreachable_target_exits_1_and_says_why(tmp_path):
    run = zcf("solve", str(scenario(tmp_path)), "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    text = " ".join(summary["explanation"])
    assert "500 t short" in text  # 2,000 MWh × 0.5 t, half of it may be offset
    assert "offset cap" in text
    assert abs(summary["bau"]["net_t"] - 1000.0) < 1e-6
    assert "Traceback" not in run.stderr


def test_schema_lists_every_contract_field():
    run = zcf("schema")
    assert run.returncode == 0
    for field in ("grid.tariff.schedule[].period", "pv.arrays[].production_file", "storage.unit_kwh",
                  "green_power.min_mwh", "targets.max_offset_share", "solver.mip_gap"):
        assert field in run.stdout


def test_validate_says_what_it_read_for_a_scenario_and_a_sweep(tmp_path):
    run = zcf("validate", str(scenario(tmp_path)))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{tmp_path / 'plant.yaml'}: valid (8760 steps, 2,000 MWh load)")
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("name: prices\nbase: plant.yaml\nparameters: {carbon_credits.price_per_t: [50, 90]}\n")
    run = zcf("validate", str(sweep))
    assert run.returncode == 0, run.stderr
    assert "valid sweep 'prices' (grid, 2 points" in run.stdout


def test_compare_reports_every_bad_file_before_solving(tmp_path):
    good = scenario(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {good.name}\ncarbon_credits: {{price_per_t: -1}}\n")
    run = zcf("compare", str(good), str(bad), str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "page.html"))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "bad.yaml: carbon_credits.price_per_t" in run.stderr and "missing.yaml" in run.stderr
    assert run.stdout == "" and not (tmp_path / "page.html").exists()  # nothing solved, nothing written


def test_a_file_given_as_out_folder_is_refused_before_solving(tmp_path):
    path = scenario(tmp_path)
    run = zcf("solve", str(path), "--out", str(path))
    assert run.returncode == 2 and "is a file; give a folder" in run.stderr and "Traceback" not in run.stderr


def test_the_api_solves_variants_without_files(tmp_path):
    from optimizer import api

    path = scenario(tmp_path)
    checked = api.validate(path)
    assert isinstance(checked, api.Validation) and (checked.steps, round(checked.load_mwh)) == (8760, 2000)
    variant = api.load_scenario(path, {"name": "with certificates", "certificates": {"price_per_mwh": 5}})
    assert variant.name == "with certificates" and variant.certificates.price_per_mwh == 5
    assert api.load_scenario(variant, {"carbon_credits": None}).carbon_credits is None  # None removes a section
    plan = api.solve(variant, tmp_path / "out")
    assert plan.has_plan and abs(plan.summary["certificates_mwh"] - 2000) < 1e-3
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["name"] == "with certificates"
    page = api.compare([plan, path])  # a plan already solved is not solved again
    assert [e.name for e in page.entries] == ["with certificates", "grid-only plant"]
    assert "with certificates" in page.html and page.path is None
