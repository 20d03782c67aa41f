"""The benchmark's smallest case runs end to end, and zcf, the floor and the peer agree on it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from bench.run import roadmap_table, roadmap_targets, run, table, targets


def test_the_smallest_benchmark_runs_and_the_three_tools_agree():
    out = run(quick=True, peer_milp=False, say=lambda _: None, in_process=True)
    assert out["lp_objectives_agree"]
    objectives = [out[k]["objective"] for k in ("lp_zcf", "lp_floor", "lp_peer", "lp_peer_zcf_options")]
    assert objectives == pytest.approx([objectives[0]] * 4, rel=1e-6)
    # Re-solving the week's price sweep gives the rebuilt answers, point by point.
    assert out["sweep_resolve"]["objectives"] == pytest.approx(out["sweep_rebuild"]["objectives"], rel=1e-6)
    assert out["sweep_resolve"]["reused"] == 2 and out["sweep_rebuild"]["reused"] == 0
    assert out["typical_days"][0]["status"] == "optimal"
    assert [(r["years"], r["typical_days"], r["status"]) for r in out["roadmap"]] == [(2, 2, "optimal")]
    assert out["roadmap"][0]["model_s"] >= out["roadmap"][0]["build_s"] + out["roadmap"][0]["highs_s"]
    assert len(targets(out)) == 4  # the roadmap's targets need its 5-year cases, which --quick leaves out
    text = io.StringIO()
    console = Console(file=text, width=200)
    for part in table(out):
        console.print(part)
    assert "Where the time goes" in text.getvalue() and "Targets" in text.getvalue()
    assert "Roadmap scaling" in text.getvalue()


def _roadmap_case(years: int, typical_days: int | None, model_s: float, highs_s: float, peak_mb: float) -> dict:
    return {"years": years, "model_years": [2026, 2027, 2028, 2029, 2030][-years:], "typical_days": typical_days,
            "rows": 1000, "status": "optimal", "npv": 1.8e9, "inputs_s": 4.0, "build_s": 1.0, "handoff_s": 1.0,
            "highs_s": highs_s, "readback_s": model_s - 2.0 - highs_s, "model_s": model_s,
            "model_over_highs": model_s / highs_s, "peak_mb": peak_mb}


def test_the_roadmap_targets_are_judged_on_five_model_years():
    cases = [_roadmap_case(1, 12, 3.0, 0.5, 300), _roadmap_case(5, 12, 27.0, 20.0, 400),
             _roadmap_case(5, None, 160.0, 100.0, 2100)]
    judged = {name: met for name, _, met in roadmap_targets(cases)}
    assert list(judged.values()) == [False, False, False]  # 1.6 × HiGHS; 2,100 MB; 4 + 27 = 31 s
    cases[1:] = [_roadmap_case(5, 12, 25.0, 20.0, 400), _roadmap_case(5, None, 140.0, 100.0, 1600)]
    assert [met for _, _, met in roadmap_targets(cases)] == [True, True, True]
    assert roadmap_targets(cases[:1]) == []
    text = io.StringIO()
    Console(file=text, width=200).print(roadmap_table(cases))
    assert "12 days" in text.getvalue() and "hourly" in text.getvalue()
