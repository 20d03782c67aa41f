"""The Pareto frontier of the small plant: monotone, ends at net zero, margins consistent with slopes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from optimizer.studies.pareto import frontier, pareto_sweep
from optimizer.studies.sweep import run_sweep

SMALL = Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml"


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    sweep = pareto_sweep(SMALL, points=5)
    run = run_sweep(sweep, tmp_path_factory.mktemp("pareto"))
    return frontier(run.table, sweep.name, "CNY")


def test_frontier_runs_from_the_cheapest_plan_to_net_zero_at_rising_cost(front):
    pts = front.points
    assert len(pts) == 5 and (pts["status"] == "optimal").all()
    assert pts["net_t"].iloc[-1] == pytest.approx(0.0, abs=1e-6)
    assert pts["marginal_abatement_cost_per_t"].iloc[0] == pytest.approx(0.0, abs=1e-6)  # the free optimum
    assert np.all(np.diff(pts["net_t"]) < 0)
    assert np.all(np.diff(pts["total_annual_cost"]) >= -1e-6)
    assert pts["total_annual_cost"].iloc[0] < front.bau_cost  # the cheapest plan beats business as usual


def test_each_margin_lies_between_the_slopes_on_either_side(front):
    # The cost of a cap is convex in the cap for an LP: its shadow price lies between the average
    # cost per tonne of the step before and the step after.
    pts = front.points
    slopes = np.diff(pts["total_annual_cost"]) / np.diff(pts["abated_t"])
    for i in range(1, len(pts) - 1):
        mac = pts["marginal_abatement_cost_per_t"].iloc[i]
        assert slopes[i - 1] - 1e-6 <= mac <= slopes[i] + 1e-6


def test_measures_enter_cheapest_first(front):
    order = list(front.entry["measure"])
    # Certificates (5.15 per MWh, 9 per t) enter before credits (70.76 per t), which close the gap.
    assert order.index("certificates") < order.index("carbon credits")
    assert front.segments["cost_per_t"].iloc[0] < 0  # the first step saves money
    total = front.segments["abated_t"].sum()
    assert total == pytest.approx(front.bau_t - front.points["net_t"].iloc[-1], rel=1e-9)


def test_the_charts_label_every_step_and_business_as_usual(front):
    from optimizer.formats import money_m
    from optimizer.report.mac_charts import mac_figure, mac_steps, per_t_text, tonnes_text
    from optimizer.report.pareto_charts import BAU_LABEL, FRONTIER_LABEL, frontier_figure
    from tests.chart_checks import drawn, frontier_panels, no_overlap, texts_of

    fig = drawn(frontier_figure, front)
    no_overlap(fig)
    ax, _, bau_ax, bau = frontier_panels(fig, FRONTIER_LABEL, BAU_LABEL)
    cost = front.points["total_annual_cost"] / 1e6
    lo, hi = ax.get_ylim()
    assert lo <= cost.min() and cost.max() <= hi and (cost.max() - cost.min()) / (hi - lo) > 0.5
    assert bau.get_ydata()[0] == pytest.approx(front.bau_cost / 1e6)
    assert bau_ax.get_ylim()[0] < front.bau_cost / 1e6 < bau_ax.get_ylim()[1]
    assert any(money_m(front.bau_cost) in t.get_text() for t in texts_of(fig))

    fig = drawn(mac_figure, front)
    no_overlap(fig)
    steps = mac_steps(front)
    assert sum(s.tonnes for s in steps) == pytest.approx(front.segments["abated_t"].sum())
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == [f"{per_t_text(s.cost_per_t)} CNY/t\n{tonnes_text(s.tonnes, 't')} t" for s in steps]
    assert any(label.startswith("9.03 CNY/t") for label in labels)  # the certificates' few CNY a tonne


def test_the_cli_writes_the_frontier_and_its_charts(tmp_path):
    out = tmp_path / "pareto"
    quick = tmp_path / "small_typical_days.yaml"  # the command's files, not the solve, are what is tested here
    quick.write_text(json.dumps({"extends": str(SMALL), "time": {"aggregation": "typical_days", "days": 4}}))
    done = subprocess.run([sys.executable, "-m", "optimizer.cli", "pareto", str(quick), "--points", "2",
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {"frontier.csv", "frontier_steps.csv", "frontier.json", "pareto.png", "mac_curve.png"} <= {
        p.name for p in out.iterdir()}
    head = json.loads((out / "frontier.json").read_text())
    assert len(head["points"]) == 2 and head["bau_t"] > head["points"][0]["net_t"]
    refused = subprocess.run([sys.executable, "-m", "optimizer.cli", "pareto", str(SMALL), "--points", "1",
                              "--out", str(out)], capture_output=True, text=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr


def test_frontier_json_is_json_even_with_a_point_without_a_figure(tmp_path):
    import json

    import pandas as pd

    from optimizer.report.study_files import write_frontier
    from optimizer.studies.pareto import Frontier

    points = pd.DataFrame({"cap_t": [10.0, 0.0], "net_t": [10.0, -0.0], "marginal_abatement_cost_per_t": [None, 5.0]})
    front = Frontier("f", "CNY", 20.0, 100.0, points, pd.DataFrame(), pd.DataFrame(), [])
    write_frontier(front, tmp_path)
    text = (tmp_path / "frontier.json").read_text()
    assert "NaN" not in text and "-0.0" not in text
    assert json.loads(text)["points"][0]["marginal_abatement_cost_per_t"] is None
