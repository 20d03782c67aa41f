"""The benchmark's smallest case runs end to end, and zcf, the floor and the peer agree on it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from bench.run import run, table, targets


def test_the_smallest_benchmark_runs_and_the_three_tools_agree():
    out = run(quick=True, peer_milp=False, say=lambda _: None, in_process=True)
    assert out["lp_objectives_agree"]
    objectives = [out[k]["objective"] for k in ("lp_zcf", "lp_floor", "lp_peer", "lp_peer_zcf_options")]
    assert objectives == pytest.approx([objectives[0]] * 4, rel=1e-6)
    # Re-solving the week's price sweep gives the rebuilt answers, point by point.
    assert out["sweep_resolve"]["objectives"] == pytest.approx(out["sweep_rebuild"]["objectives"], rel=1e-6)
    assert out["sweep_resolve"]["reused"] == 2 and out["sweep_rebuild"]["reused"] == 0
    assert out["typical_days"][0]["status"] == "optimal"
    assert len(targets(out)) == 4
    text = io.StringIO()
    console = Console(file=text, width=200)
    for part in table(out):
        console.print(part)
    assert "Where the time goes" in text.getvalue() and "Targets" in text.getvalue()
