"""Sweeps solved for real on a small plant: results, resume, failures, processes, Dask, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from models.errors import InputError
from models.inputs.assemble import build_inputs
from models.scenario.loading import load_scenario
from models.scenario.sweep import load_sweep
from optimizer.report.sweep_charts import write_sweep_charts
from optimizer.result.run import solve_inputs
from optimizer.studies.sweep import run_sweep

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml"
ZCF = [sys.executable, "-m", "optimizer.cli"]


def sweep_file(tmp_path: Path, **spec) -> Path:
    spec = {"name": "small sweep", "base": str(SMALL), **spec}
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


TORNADO = dict(mode="one_at_a_time", parameters={
    "pv.capex_per_kw": {"low": 2400, "high": 3600},
    "certificates.price_per_mwh": {"low": 1, "high": 60},
})


@pytest.fixture(scope="module")
def tornado(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tornado")
    sweep = load_sweep(sweep_file(tmp, **TORNADO))
    return sweep, tmp / "out", run_sweep(sweep, tmp / "out")


def test_each_point_is_one_row_with_its_parameters_and_its_plan(tornado):
    _, _, run = tornado
    table = run.table
    assert run.solved == 5 and run.skipped == 0 and run.failed == 0
    assert list(table["index"]) == [0, 1, 2, 3, 4]
    assert list(table["level"]) == ["base", "low", "high", "low", "high"]
    assert (table["status"] == "optimal").all()
    assert list(table["pv.capex_per_kw"]) == [3000, 2400, 3600, 3000, 3000]
    for column in ("total_annual_cost", "emissions.net_t", "bau.total_annual_cost", "pv_kw.hall",
                   "certificates_mwh", "solve_seconds", "build_seconds", "point_seconds"):
        assert table[column].notna().all(), column
    # Cheaper certificates cannot cost more, dearer PV cannot cost less.
    cost = table.set_index("label")["total_annual_cost"]
    assert cost["certificates.price_per_mwh low (1)"] <= cost["base"] <= cost["certificates.price_per_mwh high (60)"]
    assert cost["pv.capex_per_kw low (2400)"] <= cost["base"] <= cost["pv.capex_per_kw high (3600)"]


def test_a_point_costs_what_the_same_scenario_solved_alone_costs(tornado):
    _, _, run = tornado
    alone = solve_inputs(build_inputs(load_scenario(SMALL)))
    base = run.table.set_index("level").loc["base"]
    assert base["total_annual_cost"] == pytest.approx(alone.summary["total_annual_cost"], rel=1e-6)
    assert base["bau.total_annual_cost"] == pytest.approx(alone.summary["bau"]["total_annual_cost"], rel=1e-6)
    assert bool(run.table["reused_model"].iloc[1:].all())  # later points re-solved in place


def test_started_again_a_sweep_solves_only_what_is_missing(tornado):
    sweep, out, first = tornado
    again = run_sweep(sweep, out)
    assert again.solved == 0 and again.skipped == 5
    pd.testing.assert_frame_equal(again.table, first.table)
    (out / "points" / f"{sweep.points[2].key}.parquet").unlink()
    third = run_sweep(sweep, out)
    assert third.solved == 1 and third.skipped == 4
    assert third.table["total_annual_cost"].tolist() == pytest.approx(first.table["total_annual_cost"].tolist())
    stored = pd.read_parquet(out / "results.parquet")
    assert len(stored) == 5 and len(pd.read_csv(out / "results.csv")) == 5


def test_a_tornado_chart_is_drawn(tornado, tmp_path):
    sweep, _, run = tornado
    paths = write_sweep_charts(sweep, run.table, tmp_path)
    assert [p.name for p in paths] == ["tornado.png"] and paths[0].stat().st_size > 10_000


def test_points_without_a_plan_are_recorded_and_the_sweep_goes_on(tmp_path):
    # Offsets capped at 1 % of business-as-usual emissions cannot cover scope 1: no plan.
    # A meter file with a word among its numbers fails when the point's inputs are built.
    rows = ["120.5"] * 8760
    rows[99] = "n/a kW"
    (tmp_path / "meter.csv").write_text("kw\n" + "\n".join(rows) + "\n")
    synthetic = {"synthetic": {"annual_mwh": 8000, "seed": 3}}
    sweep = load_sweep(sweep_file(tmp_path, mode="zip", parameters={
        "targets.max_offset_share": [0.15, 0.01, 0.15],
        "load": [synthetic, synthetic, {"file": "meter.csv", "column": "kw"}],
    }))
    run = run_sweep(sweep, tmp_path / "out")
    status = run.table.set_index("index")["status"]
    assert status.tolist() == ["optimal", "infeasible", "input_error"]
    assert run.failed == 1
    error = run.table.set_index("index").loc[2, "error"]
    assert "meter.csv" in error and "row 100" in error
    explanation = run.table.set_index("index").loc[1, "explanation"]
    assert "cannot be met" in explanation and "offset cap" in explanation
    again = run_sweep(sweep, tmp_path / "out", retry_failed=True)
    assert again.solved == 1  # only the failed point is tried again


def test_worker_processes_and_dask_clusters_give_the_same_answers(tmp_path):
    sweep = load_sweep(sweep_file(tmp_path, mode="zip", parameters={
        "pv.capex_per_kw": [2000, 4000], "certificates.price_per_mwh": [1, 60], "targets.net_zero": [False, False]}))
    local = run_sweep(sweep, tmp_path / "one", workers=1).table
    processes = run_sweep(sweep, tmp_path / "two", workers=2).table
    dask = run_sweep(sweep, tmp_path / "dask", workers=2, dask="local").table
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_sweep(sweep, tmp_path / "remote", scheduler=cluster.scheduler_address).table
    for other in (processes, dask, remote):
        assert other["total_annual_cost"].tolist() == pytest.approx(local["total_annual_cost"].tolist(), rel=1e-6)
        assert other["key"].tolist() == local["key"].tolist()
    assert all(t["worker"].notna().all() for t in (processes, dask, remote))


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("optimizer.studies.executors.CONNECT_TIMEOUT_S", 2)
    sweep = load_sweep(sweep_file(tmp_path, mode="zip", parameters={"pv.capex_per_kw": [2500]}))
    with pytest.raises(InputError, match=r"cannot reach a Dask scheduler at 'tcp://127\.0\.0\.1:9'"):
        run_sweep(sweep, tmp_path / "out", scheduler="tcp://127.0.0.1:9")


def test_the_cli_runs_a_sweep_and_refuses_a_bad_one(tmp_path):
    good = sweep_file(tmp_path, mode="zip", parameters={"pv.capex_per_kw": [2500, 3500]})
    done = subprocess.run([*ZCF, "sweep", str(good), "--out", str(tmp_path / "out"), "--excel"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "solved 2, already stored 0, failed 0" in done.stdout
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"results.parquet", "results.csv", "results.xlsx", "lines.png"} <= written
    book = pd.read_excel(tmp_path / "out" / "results.xlsx", sheet_name="results")
    csv = pd.read_csv(tmp_path / "out" / "results.csv")
    assert list(book.columns) == list(csv.columns)
    assert book["total_annual_cost"].tolist() == pytest.approx(csv["total_annual_cost"].tolist(), rel=1e-9)
    bad = sweep_file(tmp_path, mode="zip", parameters={"pv.capex_per_kwp": [1], "finance.discount_rat": [1]})
    refused = subprocess.run([*ZCF, "sweep", str(bad), "--out", str(tmp_path / "bad")], capture_output=True, text=True)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 2 and "did you mean 'capex_per_kw'" in lines[0] and "did you mean 'discount_rate'" in lines[1]
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad" / "points").iterdir())
    json.loads(json.dumps(lines))  # plain text lines
