"""Sweep files: modes expand to the right points, paths reach the right fields, bad input is refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from models.errors import InputError
from models.scenario.sweep import code_fingerprint, load_sweep

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml"


def write(tmp_path: Path, **spec) -> Path:
    spec.setdefault("name", "test sweep")
    spec.setdefault("base", str(SMALL))
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False))
    return path


def problems(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_sweep(path)
    return "\n".join(info.value.problems)


def test_grid_is_every_combination_and_zip_pairs_by_position(tmp_path):
    grid = load_sweep(write(tmp_path, mode="grid", parameters={
        "pv.capex_per_kw": [2000, 3000, 4000], "certificates.price_per_mwh": [1, 50]}))
    assert [tuple(p.values.values()) for p in grid.points] == [
        (2000, 1), (2000, 50), (3000, 1), (3000, 50), (4000, 1), (4000, 50)]
    assert grid.points[3].scenario["pv"]["capex_per_kw"] == 3000
    assert grid.points[3].scenario["certificates"]["price_per_mwh"] == 50
    zipped = load_sweep(write(tmp_path, mode="zip", parameters={
        "pv.capex_per_kw": [2000, 3000], "certificates.price_per_mwh": {"values": [1, 50]}}))
    assert [tuple(p.values.values()) for p in zipped.points] == [(2000, 1), (3000, 50)]


def test_zip_needs_lists_of_one_length(tmp_path):
    text = problems(write(tmp_path, mode="zip", parameters={"pv.capex_per_kw": [1, 2], "finance.discount_rate": [0.1]}))
    assert "same length" in text and "'pv.capex_per_kw': 2" in text


def test_one_at_a_time_moves_each_parameter_alone_from_the_base_values(tmp_path):
    sweep = load_sweep(write(tmp_path, mode="one_at_a_time", parameters={
        "pv.capex_per_kw": {"low": 2400, "high": 3600},
        "grid.tariff.prices_per_kwh.peak": {"low": 1.2, "high": 1.7}}))
    assert len(sweep.points) == 5
    base = sweep.points[0]
    assert base.level == "base" and base.values == {"pv.capex_per_kw": 3000, "grid.tariff.prices_per_kwh.peak": 1.44}
    low_peak = next(p for p in sweep.points if p.varied == "grid.tariff.prices_per_kwh.peak" and p.level == "low")
    assert low_peak.values == {"pv.capex_per_kw": 3000, "grid.tariff.prices_per_kwh.peak": 1.2}
    assert low_peak.scenario["grid"]["tariff"]["prices_per_kwh"] == {"valley": 0.28, "flat": 0.76, "peak": 1.2}


def test_monte_carlo_is_seeded_bounded_and_starts_from_the_base(tmp_path):
    spec = dict(mode="monte_carlo", samples=200, seed=7, parameters={
        "pv.capex_per_kw": {"distribution": "triangular", "low": 2400, "mode": 3000, "high": 3600},
        "certificates.price_per_mwh": {"distribution": "lognormal", "median": 5, "sigma": 0.5, "high": 20},
        "finance.discount_rate": {"distribution": "normal", "mean": 0.06, "std": 0.05, "low": 0.0},
        "carbon_credits.price_per_t": {"distribution": "uniform", "low": 60, "high": 80}})
    first, again = load_sweep(write(tmp_path, **spec)), load_sweep(write(tmp_path, **spec))
    assert [p.values for p in first.points] == [p.values for p in again.points]
    assert first.points[0].level == "base" and len(first.points) == 201
    draws = {k: np.array([p.values[k] for p in first.points[1:]]) for k in spec["parameters"]}
    capex, certificate = draws["pv.capex_per_kw"], draws["certificates.price_per_mwh"]
    assert capex.min() >= 2400 and capex.max() <= 3600 and abs(np.median(capex) - 3000) < 100
    assert certificate.max() <= 20 and abs(np.median(certificate) - 5) < 1
    assert draws["finance.discount_rate"].min() == 0.0  # clipped, not negative
    other = load_sweep(write(tmp_path, **{**spec, "seed": 8}))
    assert [p.values for p in other.points[1:]] != [p.values for p in first.points[1:]]


def test_paths_reach_list_items_by_name_or_position_and_remove_blocks(tmp_path):
    sweep = load_sweep(write(tmp_path, mode="grid", parameters={
        "pv.arrays[hall].tilt_deg": [15], "pv.arrays[0].area_m2": [5000], "green_power": [None]}))
    scenario = sweep.points[0].scenario
    assert scenario["pv"]["arrays"][0]["tilt_deg"] == 15 and scenario["pv"]["arrays"][0]["area_m2"] == 5000
    assert "green_power" not in scenario


@pytest.mark.parametrize(("path", "says"), [
    ("pv.capex_per_kwh", "did you mean 'capex_per_kw'"),
    ("pv.arrays[hal].tilt_deg", "did you mean 'hall'"),
    ("pv.capex_per_kw.x", "is a value, not a section"),
    ("storage.capex_per_kwh", "the base scenario has no storage"),
    ("grid..tariff", "is not a field name"),
    ("site[0].latitude", "is not a list"),
    ("pv.arrays.max_kw", "'arrays' is a list; name an item"),
])
def test_bad_paths_are_named_with_what_is_allowed(tmp_path, path, says):
    assert says in problems(write(tmp_path, mode="grid", parameters={path: [1]}))


def test_every_bad_value_is_reported_before_anything_is_solved(tmp_path):
    text = problems(write(tmp_path, mode="grid", parameters={
        "pv.capex_per_kw": [-1, 3000, "cheap"], "targets.max_offset_share": [0.1, 1.5]}))
    assert "point 0 (pv.capex_per_kw=-1, targets.max_offset_share=0.1)" in text
    assert "pv.capex_per_kw: got -1" in text and "targets.max_offset_share: got 1.5" in text
    assert "'cheap'" in text
    # One line per problem: capex -1 and 'cheap' at both shares (4), share 1.5 at three capex values (3).
    assert len(text.splitlines()) == 7


@pytest.mark.parametrize(("spec", "says"), [
    (dict(mode="grid", parameters={"pv.capex_per_kw": 3000}), "give a non-empty list"),
    (dict(mode="one_at_a_time", parameters={"pv.capex_per_kw": [1, 2]}), "needs {low: ..., high: ...}"),
    (dict(mode="monte_carlo", parameters={"pv.capex_per_kw": {"distribution": "uniform", "low": 1, "high": 2}}),
     "samples: monte_carlo needs the number of draws"),
    (dict(mode="monte_carlo", samples=5, parameters={"pv.capex_per_kw": {"distribution": "normal", "mean": 1}}),
     "normal needs mean, std; missing std"),
    (dict(mode="monte_carlo", samples=5, parameters={"pv.capex_per_kw": {"distribution": "beta"}}),
     "distribution: got 'beta'"),
    (dict(mode="sideways", parameters={"pv.capex_per_kw": [1]}), "mode: got 'sideways'"),
    (dict(mode="grid", parameters={}), "parameters"),
    (dict(mode="grid", parameter={"pv.capex_per_kw": [1]}), "did you mean 'parameters'"),
])
def test_bad_sweep_files_say_what_is_allowed(tmp_path, spec, says):
    assert says in problems(write(tmp_path, **spec))


def test_keys_follow_what_decides_the_answer(tmp_path):
    csv = tmp_path / "load.csv"
    csv.write_text("kw\n" + "\n".join(["100"] * 8760))
    spec = dict(mode="grid", parameters={"load": [{"file": "load.csv", "column": "kw"}], "pv.capex_per_kw": [1, 1, 2]})
    first = load_sweep(write(tmp_path, **spec))
    assert first.points[0].scenario["load"]["file"] == str(csv.resolve())  # relative to the sweep file
    assert first.points[0].key == first.points[1].key != first.points[2].key
    csv.write_text("kw\n" + "\n".join(["101"] * 8760))
    assert load_sweep(write(tmp_path, **spec)).points[0].key != first.points[0].key


def test_the_code_fingerprint_covers_every_source_file_of_both_packages(tmp_path):
    # A small tree of its own, so the real sources are never touched.
    deep = tmp_path / "optimizer" / "model" / "parts" / "storage.py"
    for path in (tmp_path / "models" / "__init__.py", tmp_path / "models" / "scenario" / "schema.py", deep):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {path.name}\n")
    first = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == first  # stable
    deep.write_text("# storage.py, changed\n")  # a file two sub-packages down
    changed = code_fingerprint(tmp_path)
    assert changed != first
    deep.rename(deep.with_name("battery.py"))  # same bytes, another path
    moved = code_fingerprint(tmp_path)
    assert moved != changed
    (tmp_path / "models" / "notes.txt").write_text("not a source")
    assert code_fingerprint(tmp_path) == moved  # only .py files count
    # This installation's own fingerprint covers its sources, not only the solver versions.
    assert code_fingerprint() != code_fingerprint(tmp_path / "no sources here")


def test_every_shipped_scenario_and_sweep_file_is_valid():
    from models.scenario.loading import load_scenario

    folder = Path(__file__).resolve().parents[1] / "scenarios"
    sweeps = sorted(folder.glob("sweep_*.yaml"))
    assert len(sweeps) >= 3
    for path in sorted(set(folder.glob("*.yaml")) - set(sweeps)):
        load_scenario(path)
    modes = {load_sweep(path).mode for path in sweeps}
    assert modes == {"grid", "one_at_a_time", "monte_carlo"}


def test_zcf_validate_checks_a_sweep_file(tmp_path):
    import subprocess
    import sys

    def validate(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "optimizer.cli", "validate", str(path)], capture_output=True,
                              text=True)

    done = validate(write(tmp_path, mode="grid", parameters={"pv.capex_per_kw": [2000, 3000]}))
    assert done.returncode == 0 and "valid sweep 'test sweep' (grid, 2 points" in done.stdout
    done = validate(write(tmp_path, mode="grid", parameters={"pv.capex": [1]}))
    assert done.returncode == 2 and "'capex' is not a field of pv; allowed: arrays, capex_per_kw" in done.stderr


@pytest.mark.parametrize(("parameters", "says"), [
    ({"pv.capex_per_kw": [1, 2], "pv.capex_per_kw ": [3, 4]},
     "'pv.capex_per_kw' and 'pv.capex_per_kw ' both set the same field"),
    ({"pv.arrays[hall].max_kw": [1, 2], "pv.arrays[0].max_kw": [3, 4]},
     "'pv.arrays[hall].max_kw' and 'pv.arrays[0].max_kw' both set the same field"),
    ({"pv.arrays[hall]": [{"name": "hall", "max_kw": 10}], "pv.arrays[hall].max_kw": [1]},
     "both set 'pv.arrays[hall].max_kw' inside 'pv.arrays[hall]'"),
])
def test_two_parameters_that_set_one_field_are_refused_naming_both(tmp_path, parameters, says):
    text = problems(write(tmp_path, mode="grid", parameters=parameters))
    assert says in text and "keep one parameter" in text


def test_parameters_on_different_fields_are_kept(tmp_path):
    sweep = load_sweep(write(tmp_path, mode="zip", parameters={"pv.arrays[hall].max_kw": [1, 2],
                                                               "pv.capex_per_kw": [3, 4]}))
    assert len(sweep.points) == 2
