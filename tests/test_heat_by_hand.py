"""Heat, electrification and efficiency measures in cases small enough to derive by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from models.inputs import (
    ElectricHeaterInputs,
    HeatDemandInputs,
    HeatInputs,
    HeatPumpInputs,
    MeasureInputs,
    ThermalStorageInputs,
)
from models.inputs.roadmap import RoadmapInputs
from optimizer.result.extract import balance_residual_kw
from optimizer.result.roadmap import solve_roadmap
from tests.cases import plant, solve_optimal

REL = 1e-6
GAS_PER_MWH, BOILER, GAS_T_PER_MWH = 300.0, 0.9, 0.2
HEAT_KW = 100.0
GAS_PER_KWH_HEAT = GAS_PER_MWH / 1000 / BOILER  # 0.3333 a kWh of heat from gas


def heat(*demands: HeatDemandInputs, **options) -> HeatInputs:
    return HeatInputs(demands=demands, boiler_efficiency=BOILER, fuel_name="gas", fuel_price_per_mwh=GAS_PER_MWH,
                      fuel_factor_t_per_mwh=GAS_T_PER_MWH, **options)


def demand(name: str = "wash", temperature_c: float = 60.0, kw: float = HEAT_KW, n: int = 24) -> HeatDemandInputs:
    return HeatDemandInputs(name=name, temperature_c=temperature_c, heat_kw=np.full(n, kw))


def heat_pump(annuity_per_kw_th: float, cop: dict[str, float], max_temperature_c: float = 120.0) -> HeatPumpInputs:
    return HeatPumpInputs(capex_per_kw_th=annuity_per_kw_th * 10, fixed_om_per_kw_th_year=0.0, crf=0.1,
                          max_temperature_c=max_temperature_c, cop=cop, lifetime_years=15)


@pytest.mark.parametrize("annuity, builds", [(5.0, True), (6.0, False)])
def test_a_heat_pump_replaces_gas_exactly_when_it_is_cheaper(annuity, builds):
    # A day of 100 kW of heat: gas costs 0.3333 a kWh of heat, the heat pump 0.3 / 3 = 0.1 plus its annuity:
    # it saves 24 × 0.2333 = 5.6 per kW of heat a day, so an annuity of 5 builds it and 6 does not.
    inp = plant([50.0] * 24, 0.3, heat=heat(demand(), heat_pump=heat_pump(annuity, {"wash": 3.0})))
    s = solve_optimal(inp).summary
    size = HEAT_KW if builds else 0.0
    assert s["heat_pump_kw_th"] == pytest.approx(size, abs=1e-6)
    gas_mwh = (HEAT_KW - size) * 24 / 1000 / BOILER
    assert s["boiler_fuel_mwh"] == pytest.approx(gas_mwh, abs=1e-6)
    assert s["emissions"]["scope1_t"] == pytest.approx(GAS_T_PER_MWH * gas_mwh, abs=1e-9)  # scope 1 follows the gas
    assert s["energy"]["heat_electricity_mwh"] == pytest.approx(size * 24 / 3 / 1000, abs=1e-9)
    expected = 50 * 24 * 0.3 + (annuity * size + size * 24 * 0.1 + (HEAT_KW - size) * 24 * GAS_PER_KWH_HEAT)
    assert s["total_annual_cost"] == pytest.approx(expected, rel=REL)
    assert s["bau"]["total_annual_cost"] == pytest.approx(50 * 24 * 0.3 + HEAT_KW * 24 * GAS_PER_KWH_HEAT, rel=REL)
    assert s["bau"]["emissions"]["scope1_t"] == pytest.approx(GAS_T_PER_MWH * HEAT_KW * 24 / 1000 / BOILER, rel=REL)


def test_a_hot_demand_is_never_served_by_a_cooler_heat_pump():
    # A free heat pump that reaches 120 °C serves the 60 °C wash and none of the 180 °C oven.
    inp = plant([50.0] * 24, 0.3, heat=heat(demand(), demand("oven", 180.0),
                                            heat_pump=heat_pump(0.0, {"wash": 3.0})))
    s = solve_optimal(inp).summary
    supply = s["heat"]["demands"]
    assert supply["oven"]["heat_pump_mwh"] == 0.0
    assert supply["oven"]["boiler_mwh"] == pytest.approx(2.4, rel=REL)
    assert supply["wash"]["heat_pump_mwh"] == pytest.approx(2.4, rel=REL)


def test_a_thermal_store_shifts_electric_heat_into_the_valley_when_the_spread_pays():
    # Electricity at 0.1 for 12 h then 1.0; gas dearer than both. A heater at 0.01 a kW, a store at 0.05 a kWh:
    # the heater runs only in the valley at 200 kW (100 for the demand, 100 into the store) and the store
    # holds the 1,200 kWh the expensive half needs.
    price = [0.1] * 12 + [1.0] * 12
    store = ThermalStorageInputs(capex_per_kwh_th=0.5, fixed_om_per_kwh_th_year=0.0, crf=0.1, loss_share_per_hour=0.0,
                                 max_temperature_c=200.0, lifetime_years=25)
    heater = ElectricHeaterInputs(capex_per_kw_th=0.1, fixed_om_per_kw_th_year=0.0, crf=0.1, efficiency=1.0,
                                  lifetime_years=20)
    inp = plant([50.0] * 24, price, heat=heat(demand(), electric_heater=heater, thermal_storage=store))
    plan = solve_optimal(inp)
    s, hourly = plan.summary, plan.hourly
    assert s["thermal_storage_kwh_th"] == pytest.approx(1200.0, rel=REL)
    assert s["electric_heater_kw_th"] == pytest.approx(200.0, rel=REL)
    assert hourly["heat_electricity_kw"].iloc[12:].max() == pytest.approx(0.0, abs=1e-6)
    assert s["boiler_fuel_mwh"] == pytest.approx(0.0, abs=1e-9)
    plant_kwh_cost, heat_kwh_cost, store_and_heater = 50 * 12 * (0.1 + 1.0), 2400 * 0.1, 1200 * 0.05 + 200 * 0.01
    assert s["total_annual_cost"] == pytest.approx(plant_kwh_cost + heat_kwh_cost + store_and_heater, rel=REL)
    assert balance_residual_kw(hourly).abs().max() < 1e-6


@pytest.mark.parametrize("annuity, taken", [(119.0, True), (121.0, False)])
def test_a_measure_is_taken_exactly_when_its_savings_beat_its_annuity(annuity, taken):
    # It removes 10 kW of a 50 kW load all day at 0.5: 120 a day.
    measure = MeasureInputs(name="leaks", capex=annuity * 10, crf=0.1, lifetime_years=10,
                            electricity_saved_kw=np.full(24, 10.0))
    s = solve_optimal(plant([50.0] * 24, 0.5, measures=(measure,))).summary
    assert s["measures_taken"] == (["leaks"] if taken else [])
    assert s["total_annual_cost"] == pytest.approx(600.0 - (120.0 - annuity if taken else 0.0), rel=REL)


def test_a_heat_measure_lowers_the_gas_and_counts_as_a_measure_in_the_waterfall():
    # Saving 40 of 100 kW of heat saves 40 × 24 × 0.3333 = 320 of gas a day; its annuity is 300.
    measure = MeasureInputs(name="recovery", capex=3000.0, crf=0.1, lifetime_years=15,
                            heat_saved_kw={"wash": np.full(24, 40.0)})
    s = solve_optimal(plant([50.0] * 24, 0.3, heat=heat(demand()), measures=(measure,))).summary
    assert s["measures_taken"] == ["recovery"]
    gas_t = GAS_T_PER_MWH * 60 * 24 / 1000 / BOILER
    assert s["emissions"]["scope1_t"] == pytest.approx(gas_t, rel=REL)
    from optimizer.result.figures import emission_steps

    steps = dict(emission_steps(s))
    assert steps["efficiency measures"] == pytest.approx(-GAS_T_PER_MWH * 40 * 24 / 1000 / BOILER, rel=REL)
    assert steps["electrified heat"] == pytest.approx(0.0, abs=1e-9)
    assert sum(steps.values()) == pytest.approx(s["emissions"]["net_t"], abs=1e-9)


def test_heat_builds_carry_over_in_a_roadmap():
    # The heat pump that pays in the first year serves the second without being built again.
    inputs = {y: plant([50.0] * 24, 0.3, heat=heat(demand(), heat_pump=heat_pump(5.0, {"wash": 3.0})))
              for y in (2025, 2027)}
    rin = RoadmapInputs(name="heat", base_year=2025, end_year=2028, discount_rate=0.0, inputs=inputs,
                        base_emissions_t=1.0, targets={})
    years = {y["year"]: y for y in solve_roadmap(rin).summary["years"]}
    assert years[2025]["heat"]["heat_pump_kw_th"] == pytest.approx(HEAT_KW, rel=REL)
    assert years[2027]["heat"]["heat_pump_kw_th"] == pytest.approx(HEAT_KW, rel=REL)
    assert years[2025]["investment"]["heat"] == pytest.approx(50.0 * HEAT_KW, rel=REL)
    assert years[2027]["investment"]["heat"] == pytest.approx(0.0, abs=1e-6)


def test_every_asset_together_builds_without_a_name_clash(caplog):
    # Pyomo replaces a component of the same name with a warning; two assets sharing a set name would
    # silently index one's variables by the other's set.
    from optimizer.model.build import build_model
    from tests.cases import busy_week

    week = busy_week()
    measure = MeasureInputs(name="recovery", capex=3000.0, crf=0.1, lifetime_years=15,
                            heat_saved_kw={"wash": np.full(168, 40.0)}, electricity_saved_kw=np.full(168, 5.0))
    heater = ElectricHeaterInputs(capex_per_kw_th=1.0, fixed_om_per_kw_th_year=0.0, crf=0.1, efficiency=0.99)
    store = ThermalStorageInputs(capex_per_kwh_th=1.0, fixed_om_per_kwh_th_year=0.0, crf=0.1, loss_share_per_hour=0.0,
                                 max_temperature_c=200.0)
    inp = replace(week, measures=(measure,), heat=heat(demand(n=168), heat_pump=heat_pump(1.0, {"wash": 3.0}),
                                                     electric_heater=heater, thermal_storage=store))
    with caplog.at_level("WARNING"):
        build_model(inp)
    assert not [r for r in caplog.records if "Implicitly replacing" in r.getMessage()]
