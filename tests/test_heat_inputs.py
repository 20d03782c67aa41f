"""What `heat:` and `measures:` become in `Inputs`: heat demands on the model's steps, the heat pump's COP
by demand, the boiler's fuel moved out of the fixed fuels, measures' savings, and typical days that keep
every year's total exact. The validation rules are in `tests/test_heat_scenario.py`."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from models.errors import InputError
from models.inputs.aggregate import _features, typical_days
from models.inputs.assemble import build_inputs
from models.scenario import schema_heat
from models.scenario.loading import file_paths, load_scenario, read_raw, validate
from models.scenario.schema import MAX_COP, HeatPump
from tests.bad_scenario_helpers import BASE, merged
from tests.test_heat_scenario import DIESEL, GAS, HEAT_PUMP, LIGHTS, OVENS, PLANT, RECOVERY, STORE, WASHER

GAS_FACTOR, GAS_PRICE = GAS["emission_factor_t_per_mwh"], GAS["price_per_mwh"]


def inputs(override: dict | None = None):
    return build_inputs(validate(merged(merged(BASE, PLANT), override or {}), where="plant"))


def heat_of(inp, name: str) -> np.ndarray:
    return next(d.heat_kw for d in inp.heat.demands if d.name == name)


def annual_mwh(inp, kw: np.ndarray) -> float:
    """A series' year total (MWh), typical days weighted by the days they stand for."""
    return float((inp.weight_days * kw).sum() * inp.step_h / 1000.0)


@pytest.mark.parametrize("minutes", [60, 15])
def test_a_flat_demand_of_8760_mwh_is_1000_kw_in_every_step(minutes):
    inp = inputs({"heat": {"demands": [{"name": "flat", "annual_mwh": 8760, "temperature_c": 80, "profile": "flat"}]},
                  "time": {"resolution_minutes": minutes}})
    kw = heat_of(inp, "flat")
    assert len(kw) == 8760 * 60 // minutes
    np.testing.assert_allclose(kw, 1000.0, rtol=1e-12)


def test_a_production_demand_follows_the_load_and_not_its_scale():
    inp = inputs()
    kw = heat_of(inp, "ovens")  # profile left out: 'production'
    np.testing.assert_allclose(kw / kw.sum(), inp.load_kw / inp.load_kw.sum(), rtol=1e-12)
    assert annual_mwh(inp, kw) == pytest.approx(OVENS["annual_mwh"], rel=1e-12)
    grown = inputs({"load": {"scale": 2.0}})
    np.testing.assert_allclose(grown.load_kw, 2 * inp.load_kw, rtol=1e-12)
    np.testing.assert_allclose(heat_of(grown, "ovens"), kw, rtol=1e-12)  # load.scale leaves heat alone


def test_the_cop_model_gives_the_documented_values():
    pump = HeatPump(capex_per_kw_th=1.0)
    assert pump.cop_at(60) == pytest.approx(0.5 * 333.15 / 30)
    assert pump.cop_at(120) == pytest.approx(0.5 * 393.15 / 90)
    documented = re.findall(r"(\d+\.\d+) at (\d+) °C", schema_heat.__doc__)
    assert len(documented) == 7
    for cop, temperature in documented:
        assert round(pump.cop_at(float(temperature)), 2) == float(cop), temperature
    assert [pump.cop_at(t) for t in (50.1, 40, 30, 10)] == [MAX_COP] * 4  # capped near and below the source
    assert pump.cop_at(52) < MAX_COP
    assert HeatPump(capex_per_kw_th=1.0, cop=3.0).cop_at(180) == 3.0
    warm = HeatPump(capex_per_kw_th=1.0, source_temperature_c=60, carnot_share=0.45)
    assert warm.cop_at(160) == pytest.approx(0.45 * 433.15 / 100)


def test_the_heat_pump_serves_only_demands_and_stores_it_reaches():
    inp = inputs({"heat": {"heat_pump": HEAT_PUMP, "thermal_storage": STORE}})
    pump = inp.heat.heat_pump
    assert pump.cop == {"washer": pytest.approx(0.5 * 333.15 / 30)}  # ovens at 180 °C: above its 120 °C
    assert pump.cop_storage is None  # the store holds 200 °C
    assert pump.crf > 0 and pump.lifetime_years == 20 and pump.max_kw_th is None
    tank = inputs({"heat": {"heat_pump": HEAT_PUMP, "thermal_storage": {**STORE, "max_temperature_c": 90}}})
    assert tank.heat.heat_pump.cop_storage == pytest.approx(0.5 * 363.15 / 60)
    assert tank.heat.thermal_storage.max_temperature_c == 90 and tank.heat.thermal_storage.loss_share_per_hour == 0.005
    fixed = inputs({"heat": {"heat_pump": {**HEAT_PUMP, "cop": 3.0, "max_temperature_c": 200},
                             "thermal_storage": STORE}})
    assert fixed.heat.heat_pump.cop == {"ovens": 3.0, "washer": 3.0} and fixed.heat.heat_pump.cop_storage == 3.0
    useless = inputs({"heat": {"heat_pump": {**HEAT_PUMP, "max_temperature_c": 50}}})
    assert useless.heat.heat_pump.cop == {}
    assert any("heat.heat_pump: max_temperature_c 50 °C is below every heat demand" in n for n in useless.notes)


def test_the_boiler_fuel_leaves_the_fixed_fuels():
    inp = inputs({"heat": {"electric_heater": {"capex_per_kw_th": 600}}})
    assert inp.scope1_t == pytest.approx(100 * DIESEL["emission_factor_t_per_mwh"])
    assert inp.fuel_cost == pytest.approx(100 * DIESEL["price_per_mwh"])
    h = inp.heat
    assert (h.fuel_name, h.fuel_price_per_mwh, h.fuel_factor_t_per_mwh, h.boiler_efficiency) == (
        "gas", GAS_PRICE, GAS_FACTOR, 0.92)
    assert h.electric_heater.efficiency == 0.99 and h.heat_pump is None and h.thermal_storage is None
    without_heat = build_inputs(validate(merged(BASE, {"fuels": [{**GAS, "annual_mwh": 500}, DIESEL]})))
    assert without_heat.heat is None and without_heat.measures == ()
    assert without_heat.scope1_t == pytest.approx(500 * GAS_FACTOR + 100 * DIESEL["emission_factor_t_per_mwh"])
    assert without_heat.fuel_cost == pytest.approx(500 * GAS_PRICE + 100 * DIESEL["price_per_mwh"])


def test_business_as_usual_burns_the_heat_in_the_boiler():
    inp = inputs()
    fuel_mwh = (OVENS["annual_mwh"] + WASHER["annual_mwh"]) / 0.92
    assert inp.bau_boiler_fuel_mwh == pytest.approx(fuel_mwh, rel=1e-12)
    assert inp.bau_scope1_t == pytest.approx(100 * DIESEL["emission_factor_t_per_mwh"] + fuel_mwh * GAS_FACTOR)


def test_measures_save_in_their_shapes():
    inp = inputs({"measures": [RECOVERY, {**LIGHTS, "fuel_saved_mwh": {"diesel": 40}},
                               {**LIGHTS, "name": "air", "profile": "flat"}]})
    recovery, lights, air = inp.measures
    assert recovery.electricity_saved_kw is None and set(recovery.heat_saved_kw) == {"ovens"}
    np.testing.assert_allclose(recovery.heat_saved_kw["ovens"], 400 / 3000 * heat_of(inp, "ovens"), rtol=1e-12)
    assert recovery.crf > 0 and recovery.lifetime_years == 15 and recovery.capex == RECOVERY["capex"]
    assert recovery.fuel_saved_cost == recovery.fuel_saved_t == 0.0
    np.testing.assert_allclose(lights.electricity_saved_kw, 50 / inp.load_kwh * 1000 * inp.load_kw, rtol=1e-9)
    assert lights.fuel_saved_mwh == {"diesel": 40}
    assert lights.fuel_saved_cost == pytest.approx(40 * DIESEL["price_per_mwh"])
    assert lights.fuel_saved_t == pytest.approx(40 * DIESEL["emission_factor_t_per_mwh"])
    np.testing.assert_allclose(air.electricity_saved_kw, 50_000 / 8760, rtol=1e-12)


SEASON = 1.0 + 0.5 * np.sin(np.arange(8760) * 2 * np.pi / 8760) + 0.2 * (np.arange(8760) // 24 % 7 == 3)


def _shape_file(folder: Path, name: str, values: np.ndarray) -> str:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("share\n" + "\n".join(f"{v:.6f}" for v in values) + "\n", encoding="utf-8")
    return name


@pytest.mark.parametrize("minutes", [60, 30])
def test_a_csv_profile_is_read_beside_the_scenario_and_spread_over_the_hour(tmp_path, minutes):
    _shape_file(tmp_path, "shapes/ovens.csv", SEASON)
    raw = merged(merged(BASE, PLANT), {"heat": {"demands": [{**OVENS, "profile": "shapes/ovens.csv"}, WASHER]},
                                       "measures": [{**LIGHTS, "profile": "shapes/ovens.csv"}],
                                       "time": {"resolution_minutes": minutes}})
    (tmp_path / "plant.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    scenario = load_scenario(tmp_path / "plant.yaml")
    assert scenario.heat.demands[0].profile == tmp_path / "shapes" / "ovens.csv"
    assert sorted(file_paths(read_raw(tmp_path / "plant.yaml"))) == [str(tmp_path / "shapes" / "ovens.csv")] * 2
    inp = build_inputs(scenario)
    per_hour = 60 // minutes
    hourly = heat_of(inp, "ovens").reshape(8760, per_hour)
    np.testing.assert_allclose(hourly, hourly[:, :1].repeat(per_hour, axis=1), rtol=1e-12)  # even over the hour
    np.testing.assert_allclose(hourly[:, 0] / hourly[:, 0].sum(), SEASON / SEASON.sum(), rtol=1e-5)
    assert annual_mwh(inp, heat_of(inp, "ovens")) == pytest.approx(3000, rel=1e-12)
    assert annual_mwh(inp, inp.measures[0].electricity_saved_kw) == pytest.approx(50, rel=1e-12)


def test_typical_days_keep_each_demand_and_saving_exact(tmp_path):
    shape = _shape_file(tmp_path, "seasonal.csv", SEASON)
    raw = merged(merged(BASE, PLANT), {
        "heat": {"demands": [OVENS, WASHER, {"name": "seasonal", "annual_mwh": 800, "temperature_c": 90,
                                             "profile": shape}]},
        "measures": [RECOVERY, {**RECOVERY, "name": "lagging", "heat_saved_mwh": {"seasonal": 300, "ovens": 100}},
                     LIGHTS, {**LIGHTS, "name": "air", "profile": "flat", "electricity_saved_mwh": 20}]})
    (tmp_path / "plant.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    full = build_inputs(load_scenario(tmp_path / "plant.yaml"))
    features = _features(full)
    assert "heat_seasonal" in features and "heat_ovens" not in features  # ovens follow the load: nothing new
    assert "heat_washer" not in features  # flat: every day alike
    typical = typical_days(full, 4)
    assert typical.typical_days is not None and len(typical.load_kw) < len(full.load_kw)
    for before, after in zip(full.heat.demands, typical.heat.demands, strict=True):
        assert annual_mwh(typical, after.heat_kw) == pytest.approx(annual_mwh(full, before.heat_kw), rel=1e-9)
    for before, after in zip(full.measures, typical.measures, strict=True):
        if before.electricity_saved_kw is not None:
            assert annual_mwh(typical, after.electricity_saved_kw) == pytest.approx(
                annual_mwh(full, before.electricity_saved_kw), rel=1e-9)
        for name, kw in before.heat_saved_kw.items():
            assert annual_mwh(typical, after.heat_saved_kw[name]) == pytest.approx(annual_mwh(full, kw), rel=1e-9)
            # a heat saving stays the same share of its demand, step by step
            np.testing.assert_allclose(after.heat_saved_kw[name] * annual_mwh(full, heat_of(full, name)),
                                       heat_of(typical, name) * annual_mwh(full, kw), rtol=1e-9)
    assert typical.bau_boiler_fuel_mwh == pytest.approx(full.bau_boiler_fuel_mwh, rel=1e-9)
    assert any("heat demands, measures' savings scaled" in note for note in typical.notes)


def test_a_validated_plant_with_heat_survives_its_own_dump(tmp_path):
    _shape_file(tmp_path, "ovens.csv", SEASON)
    raw = merged(merged(BASE, PLANT), {"heat": {"heat_pump": HEAT_PUMP, "thermal_storage": STORE,
                                                "demands": [{**OVENS, "profile": str(tmp_path / "ovens.csv")}]},
                                       "measures": [RECOVERY, LIGHTS]})
    scenario = validate(raw)
    for dumped in (scenario.model_dump(mode="json", exclude_none=True), scenario.model_dump(),
                   scenario.model_dump(exclude_unset=True)):
        assert validate(dumped) == scenario


def test_saving_more_electricity_than_the_load_is_refused():
    with pytest.raises(InputError, match=r"measures: lights saves more electricity than the load in \d+ steps"):
        inputs({"measures": [{**LIGHTS, "electricity_saved_mwh": 1500}]})
