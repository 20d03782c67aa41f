"""Payback, NPV and IRR of a plan against business as usual (optimizer.result.finance), by hand."""

from __future__ import annotations

import numpy as np
import pytest

from models.inputs.finance import capital_recovery_factor
from optimizer import api
from optimizer.result.finance import Bought, cash_flows, lifecycle, present_value

SMALL = "scenarios/small_plant.yaml"


def annuity_factor(rate: float, years: int) -> float:
    return (1 - (1 + rate) ** -years) / rate


def test_one_item_over_its_life():
    # 1,000 up front for 10 years at 10 %; the plant saves 200 a year in cash, so the plan's annual
    # cost (its annuity 162.75 included) is 37.25 below business as usual.
    crf = capital_recovery_factor(0.1, 10)
    item = Bought(1000.0, 10, crf)
    plan_cost, bau_cost = 5000.0 + crf * 1000.0 - 200.0, 5000.0
    f = lifecycle([item], plan_cost, bau_cost, 0.1)
    assert f["investment"] == 1000.0 and f["horizon_years"] == 10
    assert f["annual_cash_savings"] == pytest.approx(200.0, abs=1e-9)
    assert f["simple_payback_years"] == pytest.approx(5.0, abs=1e-12)
    assert f["npv"] == pytest.approx(-1000 + 200 * annuity_factor(0.1, 10), abs=1e-9)  # 228.91
    assert f["npv"] == pytest.approx((bau_cost - plan_cost) * annuity_factor(0.1, 10), abs=1e-9)
    assert annuity_factor(f["irr"], 10) == pytest.approx(5.0, abs=1e-9)  # 200 × AF(irr, 10) = 1,000: 15.1 %


def test_shorter_lives_are_bought_again_and_the_last_is_worth_its_remaining_life():
    # A: 100 for 4 years, bought at 0, 4 and 8, the last worth half at 10; B: 50 for 10 years.
    items = [Bought(100.0, 4, 0.3), Bought(50.0, 10, 0.1)]
    flows = cash_flows(items, 30.0, 10)
    assert flows.tolist() == [-150.0, 30, 30, 30, -70, 30, 30, 30, -70, 30, 80]
    f = lifecycle(items, plan_cost=1000.0, bau_cost=1000.0 - (0.3 * 100 + 0.1 * 50) + 30, discount_rate=0.05)
    assert f["annual_cash_savings"] == pytest.approx(30.0, abs=1e-12) and f["horizon_years"] == 10
    assert f["npv"] == pytest.approx(present_value(np.array(flows), 0.05), abs=1e-12)
    assert present_value(flows, f["irr"]) == pytest.approx(0.0, abs=1e-6)


def test_savings_that_never_repay_have_no_payback_and_no_rate():
    # The plan's cash cost is 5 a year above business as usual: it never pays back.
    f = lifecycle([Bought(100.0, 5, 0.2)], plan_cost=100.0, bau_cost=100.0 - 0.2 * 100 - 5, discount_rate=0.05)
    assert f["annual_cash_savings"] == pytest.approx(-5.0, abs=1e-12)
    assert f["simple_payback_years"] is None and f["irr"] is None
    assert f["npv"] == pytest.approx(-100 - 5 * annuity_factor(0.05, 5), abs=1e-9)


def test_a_solved_plan_with_one_life_is_its_savings_over_that_life():
    # The small plant with PV only (25 years): NPV = the plan's annual savings × AF(6 %, 25).
    plan = api.solve(SMALL, overrides={"storage": None, "time": {"aggregation": "typical_days", "days": 4}})
    s, f = plan.summary, plan.summary["finance"]
    assert f["investment"] == pytest.approx(s["investment"]["total"], rel=1e-12) and f["investment"] > 0
    assert f["horizon_years"] == 25
    assert f["npv"] == pytest.approx(s["savings"] * annuity_factor(0.06, 25), rel=1e-9)
