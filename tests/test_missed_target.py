"""A target out of reach still shows the best the plant can do: the least-cost plan among those with
the lowest net emissions, written like a plan and marked as missing the target by so many tonnes.

The hand case: 24 h of 100 kW at a factor of 0.5 kg/kWh is 1.2 t; credits may offset half of that
(0.6 t) and nothing else cuts, so net zero is 0.6 t out of reach. Electricity costs 0.3 in the first
twelve hours and 0.6 after; a free battery (0.9 each way) would shift load into the cheap hours, and
the cheapest plan without a target does so, but its losses add emissions, so the lowest-emission
plan leaves it idle: it pays 12 × 100 × 0.3 + 12 × 100 × 0.6 = 1,080 for electricity and 0.6 t × 50
for credits, 1,110 in all.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from models.inputs import CreditInputs
from optimizer.cli import app
from optimizer.report.page import Entry, compare_page
from optimizer.report.terminal import print_plan
from optimizer.result.run import solve_inputs
from tests.cases import battery, plant

PRICE = np.r_[np.full(12, 0.3), np.full(12, 0.6)]


def _missed(**options):
    inp = plant([100.0] * 24, PRICE, max_net_t=0.0, storage=battery(),
                credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5), **options)
    return solve_inputs(inp, best_when_missed=True)


@pytest.fixture(scope="module")
def missed():
    return _missed()


def test_the_lowest_emission_plan_is_solved_at_least_cost(missed):
    s = missed.summary
    assert s["status"] == "infeasible"  # the scenario as written has no plan
    assert missed.has_plan and missed.hourly is not None
    assert s["emissions"]["net_t"] == pytest.approx(0.6, abs=1e-5)
    assert s["credits_t"] == pytest.approx(0.6, abs=1e-5)
    assert missed.missed_by_t == pytest.approx(0.6, abs=1e-5)
    assert s["target_net_t"] == 0.0 and s["best_plan_status"] == "optimal"
    # losses would add emissions: idle, but for the gram of room the cap leaves above the lowest
    # (1e-6 t at 0.5 kg/kWh is 2 Wh of losses, 0.0105 kWh discharged at most)
    assert missed.hourly["discharge_kw"].sum() <= 0.011
    assert s["total_annual_cost"] == pytest.approx(1110.0, abs=5e-3)  # the 2 Wh shift saves under 0.005
    assert s["marginal_abatement_cost_per_t"] is None
    assert "cannot be met" in missed.explanation[0] and "0.6 t short" in missed.explanation[0]


def test_it_is_compared_with_the_cheapest_plan_without_a_target(missed):
    s = missed.summary
    free = s["no_target"]
    assert free["net_t"] > 1.2  # the battery shifts load to the cheap hours and its losses add emissions
    assert free["total_annual_cost"] < 1080.0
    assert s["target_cost"] == pytest.approx(s["total_annual_cost"] - free["total_annual_cost"], abs=1e-9)


def test_without_the_option_a_missed_target_has_no_plan_as_before():
    inp = plant([100.0] * 24, PRICE, max_net_t=0.0, credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5))
    plan = solve_inputs(inp)
    assert plan.status == "infeasible" and not plan.has_plan and plan.missed_by_t is None


def test_the_terminal_says_it_misses_the_target_then_prints_the_plan(missed):
    from rich.console import Console

    console = Console(width=80, record=True, emoji=False)
    print_plan(missed, console)
    text = console.export_text()
    assert "target out of reach" in text
    assert "The target is missed by 0.6 tCO2e a year." in text
    assert text.index("cannot be met") < text.index("missed by 0.6") < text.index("decision")
    assert "carbon credits retired" in text


def test_the_page_shows_its_column_with_the_figures(missed):
    html = compare_page([Entry.from_plan(missed)])
    assert "target missed by 0.6 tCO2e/yr" in html
    assert 'data-key="target_missed_by_t"' in html
    assert "why the target is out of reach" in html and "cannot be met" in html
    row = html[html.index('data-key="total_annual_cost"'):]
    assert "0.00" in row[:row.index("</tr>")]  # 1,110 CNY is 0.00 M: a figure, not 'no plan'
    assert 'class="noplan"' not in html


def test_the_cli_writes_the_plan_and_exits_as_missing_its_target(tmp_path):
    scenario = tmp_path / "miss.yaml"
    scenario.write_text("extends: " + str(_scenarios() / "small_plant.yaml") + "\n"
                        "name: short year\ntime: {aggregation: typical_days, days: 2}\ncertificates: null\n")
    result = CliRunner().invoke(app, ["solve", str(scenario), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "The target is missed by" in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] == "infeasible"
    assert summary["target_missed_by_t"] > 0
    assert summary["emissions"]["net_t"] == pytest.approx(summary["target_missed_by_t"], rel=1e-9)
    assert (tmp_path / "out" / "emissions_waterfall.png").is_file()
    assert (tmp_path / "out" / "hourly.csv").is_file()


def _scenarios():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "scenarios"


def _best(status: str, net_t: float):
    """A lowest-emission solve as `_as_lowest_emission_plan` reads it, and a summary of the first solve."""
    from optimizer.solver.resolver import Solved
    from optimizer.solver.strategy import SolveReport

    report = SolveReport(status=status, objective=1.0, bound=0.9, mip_gap=0.1, solve_seconds=2.0, has_solution=True,
                         highs_seconds=1.5, warnings=("w2",))
    summary = {"status": "infeasible", "emissions": {"net_t": net_t}, "build_seconds": 1.0, "solve_seconds": 1.0,
               "handoff_seconds": 0.0, "highs_seconds": 0.5, "solver_warnings": ["w1"], "mip_gap": None}
    return summary, Solved(model=None, report=report, build_seconds=0.25, reused=False)


def test_the_summary_carries_the_lowest_emission_plans_solver_figures():
    from optimizer.result.run import _as_lowest_emission_plan

    summary, best = _best("time_limit", net_t=5.0)
    assert _as_lowest_emission_plan(summary, best, target_t=2.0) == []
    assert summary["status"] == "infeasible" and summary["best_plan_status"] == "time_limit"
    assert summary["target_missed_by_t"] == 3.0 and summary["target_net_t"] == 2.0
    assert summary["mip_gap"] == 0.1 and summary["objective_bound"] == 0.9  # the plan's own gap, not the first solve's
    assert summary["solve_seconds"] == 3.0 and summary["highs_seconds"] == 2.0 and summary["build_seconds"] == 1.25
    assert summary["solver_warnings"] == ["w1", "w2"]


def test_a_plan_within_the_tolerances_of_its_target_meets_it():
    from optimizer.result.run import _as_lowest_emission_plan

    summary, best = _best("optimal", net_t=100.00005)  # 5e-5 t over a 100 t target: within 1e-6 of it
    notes = _as_lowest_emission_plan(summary, best, target_t=100.0)
    assert summary["status"] == "optimal" and "target_missed_by_t" not in summary
    assert len(notes) == 1 and "met within the solver's tolerances" in notes[0]
