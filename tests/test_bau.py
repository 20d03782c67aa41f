"""Business as usual is evaluated from `Inputs` through the assets' own cost and emission terms;
a model of the same plant with no decision, solved by HiGHS, gives the same figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.inputs.assemble import build_inputs
from models.scenario.loading import load_scenario, validate
from optimizer.result.bau import business_as_usual
from optimizer.result.run import solve_inputs
from tests.cases import busy_week, plant

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
REL = 1e-9


def _small(time: dict):
    small = load_scenario(SCENARIOS / "small_plant.yaml")
    return build_inputs(validate({**small.model_dump(mode="json", exclude_none=True), "time": time}))


CASES = {
    **{name: (lambda name=name: build_inputs(load_scenario(SCENARIOS / f"{name}.yaml")))
       for name in ("demo", "demo_no_storage", "demo_no_certificates", "demo_high_carbon_price",
                    "demo_gas_as_is")},
    "15-minute steps": lambda: _small({"resolution_minutes": 15}),
    "typical days": lambda: _small({"aggregation": "typical_days", "days": 6}),
    "busy week": busy_week,
}


@pytest.mark.parametrize("case", list(CASES))
def test_evaluated_business_as_usual_is_the_solved_one(case):
    inp = CASES[case]()
    solved = solve_inputs(inp.business_as_usual(), with_bau=False)
    evaluated = business_as_usual(inp)
    assert solved.status == "optimal"
    s = solved.summary
    assert evaluated["total_annual_cost"] == pytest.approx(s["total_annual_cost"], rel=REL)
    assert evaluated["costs"].keys() == s["costs"].keys()
    for item, value in s["costs"].items():
        assert evaluated["costs"][item] == pytest.approx(value, rel=REL, abs=1e-6), item
    for key, value in s["emissions"].items():
        assert evaluated["emissions"][key] == pytest.approx(value, rel=REL, abs=1e-6), key
    assert evaluated["net_t"] == pytest.approx(s["emissions"]["net_t"], rel=REL)


def test_business_as_usual_by_hand():
    # 12 h at 100 kW and 12 h at 50 kW, 0.5 per kWh (900), factor 0.5 t/MWh on 1.8 MWh (0.9 t) plus 3 t of
    # scope 1, 10 per kW-month on the 100 kW peak of the one month (1,000), fuels costing 40.
    inp = plant([100.0] * 12 + [50.0] * 12, 0.5, factor_t_per_kwh=0.0005, scope1_t=3.0, fuel_cost=40.0,
                demand_charge_per_kw_month=10.0)
    bau = business_as_usual(inp)
    assert bau["costs"] == {"energy": 900.0, "fuel": 40.0, "demand": 1000.0}
    assert bau["total_annual_cost"] == 1940.0
    assert bau["emissions"]["scope2_location_t"] == pytest.approx(0.9, abs=1e-12)
    assert bau["net_t"] == pytest.approx(3.9, abs=1e-12)
