"""Sweeps that are stopped, crash, collide or are too big: no worker outlives the sweep, a crash
costs its point alone, each answer stays with its point, one sweep per folder, grids capped, and
data files hashed once per sweep."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pandas as pd
import psutil
import pytest
import yaml

import models.scenario.sweep as sweep_module
from models.errors import InputError
from models.inputs.assemble import build_inputs
from models.scenario.loading import validate
from models.scenario.sweep import MAX_POINTS, load_sweep
from optimizer.result.run import solve_inputs
from optimizer.studies.executors import run_tasks
from optimizer.studies.store import ResultStore
from optimizer.studies.sweep import count_pending, run_sweep
from optimizer.studies.worker import solve_point

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "scenarios" / "small_plant.yaml"


def sweep_file(tmp_path: Path, base: Path = SMALL, **spec: Any) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump({"name": "safety", "base": str(base), **spec}, sort_keys=False))
    return path


def quick_base(tmp_path: Path) -> Path:
    """The small plant on 8 typical days and without a target: one quick solve a point."""
    base = tmp_path / "quick.yaml"
    base.write_text(yaml.safe_dump({"extends": str(SMALL), "time": {"aggregation": "typical_days", "days": 8},
                                    "targets": {"net_zero": False}}))
    return base


def crash_on_point_1(task: dict[str, Any]) -> dict[str, Any]:
    """A solve that dies as HiGHS would on a segfault, for point 1 only (runs in a worker)."""
    if task["row"]["index"] == 1:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
        os.kill(os.getpid(), signal.SIGSEGV)
    return solve_point(task)


def test_sigterm_stops_the_sweep_its_workers_and_keeps_what_is_stored(tmp_path):
    sweep = sweep_file(tmp_path, quick_base(tmp_path), mode="grid", parameters={
        "pv.capex_per_kw": [2000, 2400, 2800, 3200, 3600], "certificates.price_per_mwh": [1, 30, 60]})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "optimizer.cli", "sweep", str(sweep), "--out", str(out), "--workers", "2"]
    victim = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and not list((out / "points").glob("*.parquet")):
            assert victim.poll() is None, victim.communicate()
            time.sleep(0.05)
        stored = {p.name for p in (out / "points").glob("*.parquet")}
        workers = psutil.Process(victim.pid).children(recursive=True)
        assert stored and len(workers) >= 2
        victim.send_signal(signal.SIGTERM)
        _, stderr = victim.communicate(timeout=10)  # ends only once no worker holds its pipes
    finally:
        if victim.poll() is None:
            victim.kill()
    _, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive, f"still running: {alive}"
    assert victim.returncode == 128 + signal.SIGTERM  # as a shell reports a process ended by SIGTERM
    assert "the sweep was stopped (SIGTERM)" in stderr and "Traceback" not in stderr, stderr
    assert stored <= {p.name for p in (out / "points").glob("*.parquet")}
    for name in stored:
        assert pd.read_parquet(out / "points" / name)["status"].item() == "optimal"


def test_a_crashed_point_is_recorded_as_such_and_the_others_keep_their_own_answers(tmp_path, monkeypatch, caplog):
    base = quick_base(tmp_path)
    sweep = load_sweep(sweep_file(tmp_path, base, mode="zip",
                                  parameters={"pv.capex_per_kw": [1500, 2500, 3500]}))
    monkeypatch.setattr("optimizer.studies.executors.solve_point", crash_on_point_1)
    run = run_sweep(sweep, tmp_path / "out", workers=2)
    table = run.table.set_index("index")
    assert run.failed == 1 and list(table.index) == [0, 1, 2]
    assert table.loc[1, "status"] == "error"
    assert table.loc[1, "error"] == "the solver process crashed (signal SIGSEGV)"
    assert "point 1: the solver process crashed (signal SIGSEGV)" in caplog.text
    assert "memory" not in table.loc[1, "error"]
    for point in sweep.points:
        if point.index != 1:
            alone = solve_inputs(build_inputs(validate(point.scenario))).summary["total_annual_cost"]
            assert table.loc[point.index, "status"] == "optimal"
            assert table.loc[point.index, "key"] == point.key
            assert table.loc[point.index, "total_annual_cost"] == pytest.approx(alone, rel=1e-6), point.label
    costs = table["total_annual_cost"].dropna()
    assert costs.is_unique  # the points differ: a cost given to the wrong point would show


def test_a_row_for_a_point_not_asked_is_never_stored(monkeypatch):
    tasks = [{"row": {"index": 0, "key": "a" * 20, "label": "a"}, "scenario": {}}]
    monkeypatch.setattr("optimizer.studies.executors.solve_point", lambda task: {**task["row"], "key": "b" * 20})
    with pytest.raises(RuntimeError, match="did not ask"):
        list(run_tasks(tasks))


def test_a_second_sweep_leaves_a_live_sweeps_folder_alone(tmp_path):
    sweep = load_sweep(sweep_file(tmp_path, mode="zip", parameters={"pv.capex_per_kw": [2500]}))
    out = tmp_path / "out"
    partial = out / "points" / f".{sweep.points[0].key}.parquet.x1y2z3"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom pathlib import Path\nfrom optimizer.studies.store import ResultStore\n"
        f"with ResultStore(Path({str(out)!r})).writing():\n"
        f"    Path({str(partial)!r}).write_bytes(b'PAR1 half')\n"
        "    print('writing', flush=True)\n    time.sleep(60)\n")], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "writing"
        assert count_pending(sweep, out) == 1  # looking is harmless
        with pytest.raises(InputError, match=rf"another sweep is writing its results there \(process {holder.pid}\)"):
            run_sweep(sweep, out)
        assert partial.exists()
    finally:
        holder.kill()
        holder.wait()
    with ResultStore(out).writing():  # the lock died with its process: what it left half-written goes
        assert not partial.exists()


def test_a_grid_too_big_is_refused_before_it_is_expanded(tmp_path):
    parameters = {path: list(range(1, 11)) for path in (
        "pv.capex_per_kw", "pv.fixed_om_per_kw_year", "certificates.price_per_mwh", "carbon_credits.price_per_t",
        "green_power.max_mwh", "grid.tariff.demand_charge_per_kw_month", "fuels[natural_gas].price_per_mwh",
        "fuels[natural_gas].annual_mwh")}
    path = sweep_file(tmp_path, mode="grid", parameters=parameters)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(InputError, match=rf"the grid has 100,000,000 points .*; at most {MAX_POINTS:,}"):
            load_sweep(path)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 1.0 and peak < 50e6, (seconds, peak)


def test_each_data_file_is_hashed_once_per_sweep(tmp_path, monkeypatch):
    load = tmp_path / "load.csv"
    load.write_text("hour,kw\n" + "".join(f"{h},{900 + h % 24 * 10}\n" for h in range(8760)))
    raw = yaml.safe_load(SMALL.read_text())
    raw["load"] = {"file": str(load), "column": "kw"}
    base = tmp_path / "with_load.yaml"
    base.write_text(yaml.safe_dump(raw))
    path = sweep_file(tmp_path, base, mode="grid", parameters={"pv.capex_per_kw": [2400, 3000, 3600],
                                                                "certificates.price_per_mwh": [1, 5, 30]})
    hashed: list[Path] = []
    digest = sweep_module._digest
    monkeypatch.setattr(sweep_module, "_digest", lambda p: hashed.append(p) or digest(p))
    first = load_sweep(path)
    assert len(first.points) == 9 and hashed == [load]
    load.write_text(load.read_text().replace("\n0,900\n", "\n0,901\n"))  # new contents: new keys
    os.utime(load, ns=(time.time_ns(), time.time_ns() + 10**9))
    second = load_sweep(path)
    assert hashed == [load, load]
    assert not {p.key for p in first.points} & {p.key for p in second.points}
