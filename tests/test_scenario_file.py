"""Scenario files: validation errors name field, value and rule; extends merges; paths resolve."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.errors import InputError
from models.scenario.loading import deep_merge, load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

MINIMAL = """
name: minimal
site: {latitude: 23.0, longitude: 113.1}
load: {synthetic: {annual_mwh: 1000}}
grid:
  tariff:
    prices_per_kwh: {flat: 0.7}
    schedule: [{period: flat}]
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_scenario(path)
    return info.value.problems


def test_minimal_scenario_takes_the_schema_defaults(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL))
    assert scenario.year == 2025
    assert scenario.grid.emission_factor_kg_per_kwh == 0.5703
    assert scenario.pv is None and scenario.storage is None
    assert scenario.targets.net_zero is True


def test_every_error_at_once_with_path_value_and_rule(tmp_path):
    text = MINIMAL + """
pv:
  capex_per_kw: -5
  arrays:
    - {name: paint_shop, area_m2: 100, tilt_deg: 120}
    - {name: body, max_kw: 10, tilt_degs: 10}
storage: {charge_efficiency: 1.2}
"""
    lines = problems(write(tmp_path, text))
    joined = "\n".join(lines)
    assert "pv.capex_per_kw: got -5; input should be greater than or equal to 0" in joined
    assert "pv.arrays[paint_shop].tilt_deg: got 120; input should be less than or equal to 90" in joined
    assert "pv.arrays[body].tilt_degs: unknown field; did you mean 'tilt_deg'?" in joined
    assert "storage.charge_efficiency: got 1.2" in joined
    assert all(line.startswith("s.yaml: ") for line in lines)
    assert len(lines) == 4


def test_rules_across_fields(tmp_path):
    text = MINIMAL + "storage: {soc_min: 0.9, soc_max: 0.5, fixed_cost: 10}\n"
    joined = "\n".join(problems(write(tmp_path, text)))
    assert "storage: soc_min 0.9 must be below soc_max 0.5" in joined
    assert "fixed_cost needs max_kwh and max_kw" in joined


def test_missing_required_field_and_unknown_period(tmp_path):
    text = MINIMAL.replace("name: minimal\n", "").replace("schedule: [{period: flat}]",
                                                          "schedule: [{period: flat}, {period: peek}]")
    joined = "\n".join(problems(write(tmp_path, text)))
    assert "name: required field is missing" in joined
    assert "periods ['peek'] with no price" in joined


def test_uncovered_tariff_hours_are_named(tmp_path):
    from models.inputs.assemble import build_inputs

    text = MINIMAL.replace("schedule: [{period: flat}]", "schedule: [{hours: [8, 22], period: flat}]")
    with pytest.raises(InputError) as info:
        build_inputs(load_scenario(write(tmp_path, text)))
    assert "no rule covers months 1–12, hours [0, 8), [22, 24)" in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    lines = problems(write(tmp_path, "name: x\nsite: {latitude: 1\n"))
    assert "not valid YAML at line" in lines[0]


def test_extends_deep_merges_and_null_removes_a_section(tmp_path):
    base = write(tmp_path, MINIMAL + "storage: {capex_per_kwh: 700}\ncertificates: {price_per_mwh: 5}\n",
                 "base.yaml")
    child = write(tmp_path, f"""
        extends: {base.name}
        name: child
        grid: {{tariff: {{prices_per_kwh: {{flat: 0.9}}}}}}
        storage: null
    """, "child.yaml")
    scenario = load_scenario(child)
    assert scenario.name == "child"
    assert scenario.grid.tariff.prices_per_kwh == {"flat": 0.9}
    assert scenario.grid.tariff.schedule[0].period == "flat"  # kept from the base
    assert scenario.storage is None
    assert scenario.certificates.price_per_mwh == 5


def test_extends_cycle_is_reported(tmp_path):
    write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    assert "extends forms a cycle: a.yaml -> b.yaml -> a.yaml" in problems(tmp_path / "a.yaml")[0]


def test_relative_paths_resolve_against_the_file_that_names_them(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "load.csv").write_text("kw\n" + "100\n" * 8760)
    write(data, MINIMAL.replace("load: {synthetic: {annual_mwh: 1000}}", "load: {file: load.csv, column: kw}"),
          "base.yaml")
    child = write(tmp_path, "extends: data/base.yaml\nname: child\n", "child.yaml")
    assert load_scenario(child).load.file == data / "load.csv"


def test_missing_data_file_is_named(tmp_path):
    text = MINIMAL.replace("load: {synthetic: {annual_mwh: 1000}}", "load: {file: nowhere.csv, column: kw}")
    joined = "\n".join(problems(write(tmp_path, text)))
    assert "load.file" in joined and "file not found" in joined and "nowhere.csv" in joined


def test_deep_merge_replaces_lists_whole():
    merged = deep_merge({"a": {"b": 1, "c": [1, 2]}}, {"a": {"c": [3]}})
    assert merged == {"a": {"b": 1, "c": [3]}}


@pytest.mark.parametrize("path", sorted(set(SCENARIOS.glob("*.yaml")) - set(SCENARIOS.glob("sweep_*.yaml"))),
                         ids=lambda p: p.name)
def test_shipped_scenarios_validate(path):
    load_scenario(path)


def test_cli_prints_one_line_per_problem_and_exits_2(tmp_path):
    path = write(tmp_path, MINIMAL + "pv: {capex_per_kw: 3000, arrays: [{name: r}]}\nfoo: 1\n")
    run = subprocess.run([sys.executable, "-m", "optimizer.cli", "validate", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert any("foo: unknown field" in line for line in lines)
    assert any("pv.arrays[r]: give max_kw or area_m2" in line for line in lines)


def test_weather_file_and_production_file_reach_the_inputs(tmp_path):
    from pathlib import Path as P

    import numpy as np
    import pvlib

    from models.inputs.assemble import build_inputs

    tmy3 = P(pvlib.__file__).parent / "data" / "723170TYA.CSV"
    (tmp_path / "measured.csv").write_text("kwh_per_kwp\n" + "0.1\n" * 8760)
    text = MINIMAL.replace("site: {latitude: 23.0, longitude: 113.1}",
                           "site: {latitude: 36.1, longitude: -79.9, altitude_m: 270}") + f"""
timezone: America/New_York
weather: {{source: file, file: {tmy3}}}
pv:
  capex_per_kw: 3000
  arrays:
    - {{name: south, max_kw: 100, tilt_deg: 25}}
    - {{name: measured, max_kw: 100, production_file: measured.csv}}
"""
    inputs = build_inputs(load_scenario(write(tmp_path, text)))
    south, measured = inputs.pv.arrays
    assert 1250 <= south.yield_kwh_per_kwp.sum() <= 1600  # the Greensboro band of tests/test_solar.py
    np.testing.assert_array_equal(measured.yield_kwh_per_kwp, np.full(8760, 0.1))
    assert not any("synthetic year" in note for note in inputs.notes)
    # Settings of the synthetic year, set while a file gives the weather, are said to be unused.
    noted = build_inputs(load_scenario(write(tmp_path, text.replace(
        f"weather: {{source: file, file: {tmy3}}}", f"weather: {{source: file, file: {tmy3}, seed: 3}}"))))
    assert any("weather: seed is for the synthetic year and not used" in note for note in noted.notes)
