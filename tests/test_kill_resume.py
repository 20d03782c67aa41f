"""A sweep killed with SIGKILL mid-run and started again: every point once, the same answers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from models.scenario.sweep import load_sweep
from optimizer.studies.sweep import run_sweep

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml"


def test_a_killed_sweep_resumes_and_loses_nothing(tmp_path):
    base = tmp_path / "small_typical_days.yaml"  # 8 typical days: points are quick, workers still start slowly
    base.write_text(yaml.safe_dump({"extends": str(SMALL), "time": {"aggregation": "typical_days", "days": 8}}))
    spec = {"name": "kill me", "base": str(base), "mode": "grid", "parameters": {
        "pv.capex_per_kw": [2000, 2800, 3600], "certificates.price_per_mwh": [1, 60],
        "targets.net_zero": [False]}}  # no target: one solve a point (the no-target plan is tested elsewhere)
    sweep_path = tmp_path / "sweep.yaml"
    sweep_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    reference = run_sweep(load_sweep(sweep_path), tmp_path / "uninterrupted").table

    out = tmp_path / "killed"
    command = [sys.executable, "-m", "optimizer.cli", "sweep", str(sweep_path), "--out", str(out), "--workers", "2"]
    victim = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "points").glob("*.parquet"))) < 2:
        time.sleep(0.05)
    os.killpg(victim.pid, signal.SIGKILL)  # the command and its worker processes, mid-run
    victim.wait()
    stored = len(list((out / "points").glob("*.parquet")))
    assert 2 <= stored < 6, f"{stored} points stored when killed"
    for path in (out / "points").glob("*.parquet"):
        pd.read_parquet(path)  # every stored point is whole

    resumed = subprocess.run([*command[:-1], "1"], capture_output=True, text=True)  # the rest in one process
    assert resumed.returncode == 0, resumed.stderr
    assert f"solved {6 - stored}, already stored {stored}" in " ".join(resumed.stdout.split())
    table = pd.read_parquet(out / "results.parquet")
    assert sorted(table["index"]) == list(range(6)) and table["key"].is_unique
    assert not list((out / "points").glob(".*"))  # no half-written file left behind
    merged = table.set_index("key")["total_annual_cost"].sort_index()
    expected = reference.set_index("key")["total_annual_cost"].sort_index()
    assert list(merged.index) == list(expected.index)
    assert merged.to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-6)


def test_an_unreadable_point_file_is_set_aside_and_solved_again(tmp_path):
    spec = {"name": "damaged", "base": str(SMALL), "mode": "zip", "parameters": {"pv.capex_per_kw": [2000, 3000]}}
    sweep_path = tmp_path / "sweep.yaml"
    sweep_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    sweep = load_sweep(sweep_path)
    first = run_sweep(sweep, tmp_path / "out")
    damaged = tmp_path / "out" / "points" / f"{sweep.points[1].key}.parquet"
    damaged.write_bytes(b"")  # what a lost write can leave behind
    again = run_sweep(sweep, tmp_path / "out")
    assert again.solved == 1 and again.skipped == 1
    assert damaged.with_name(damaged.name + ".unreadable").exists()
    assert again.table["total_annual_cost"].tolist() == pytest.approx(first.table["total_annual_cost"].tolist())
