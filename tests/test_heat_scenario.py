"""Heat and efficiency measures in the scenario file: every rule of `heat:`, `measures:` and the boiler's
fuel through `zcf validate` (exit code 2, one `error:` line per problem naming the file, the field, the
value and what is allowed), and the good plant with heat accepted.

The in-process checks of what the sections become (`Inputs.heat`, `Inputs.measures`) are in
`tests/test_heat_inputs.py`.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from optimizer.cli import app
from tests import corpus
from tests.bad_scenario_helpers import (
    DELETE,
    Case,
    assert_exits_2_with_one_clear_line_per_problem,
    merged,
    validate,
)

GAS = {"name": "gas", "emission_factor_t_per_mwh": 0.202, "price_per_mwh": 381}
DIESEL = {"name": "diesel", "annual_mwh": 100, "emission_factor_t_per_mwh": 0.267, "price_per_mwh": 700}
OVENS = {"name": "ovens", "annual_mwh": 3000, "temperature_c": 180}
WASHER = {"name": "washer", "annual_mwh": 1500, "temperature_c": 60, "profile": "flat"}
HEAT = {"demands": [OVENS, WASHER], "boiler": {"fuel": "gas", "efficiency": 0.92}}
HEAT_PUMP = {"capex_per_kw_th": 3500, "max_temperature_c": 120}
STORE = {"capex_per_kwh_th": 150, "max_temperature_c": 200}
RECOVERY = {"name": "recovery", "capex": 5e5, "lifetime_years": 15, "heat_saved_mwh": {"ovens": 400}}
LIGHTS = {"name": "lights", "capex": 8e4, "lifetime_years": 10, "electricity_saved_mwh": 50}
PLANT = {"fuels": [GAS, DIESEL], "heat": HEAT}  # the base plant with heat: the boiler burns gas


def heat(case_id: str, expect: tuple[str, ...], override: dict | None = None, **kw) -> Case:
    """A case on the plant with heat (`PLANT`), `override` merged on it."""
    return Case(case_id, expect, merged(PLANT, override or {}), **kw)


def demands(*changed: dict) -> dict:
    return {"heat": {"demands": list(changed)}}


def measures(*items: dict) -> dict:
    return {"measures": list(items)}


BOILER_FUEL = [
    heat("boiler_fuel_unknown", ("heat.boiler.fuel: 'gaz' is not an entry of fuels (fuels are gas, diesel; name one "
                                 "of them, or add it", "without annual_mwh); did you mean 'gas'?"),
         {"heat": {"boiler": {"fuel": "gaz"}}}),
    heat("boiler_fuel_without_fuels", ("heat.boiler.fuel: 'gas' is not an entry of fuels (fuels is empty; add it to "
                                       "fuels with its emission_factor_t_per_mwh",), {"fuels": []}),
    heat("boiler_fuel_with_annual_energy", ("fuels[gas].annual_mwh: 5000 would be ignored: heat.boiler.fuel names "
                                            "'gas'", "remove fuels[gas].annual_mwh"),
         {"fuels": [{**GAS, "annual_mwh": 5000}, DIESEL]}),
    heat("other_fuel_without_annual_energy", ("fuels[diesel].annual_mwh: required field is missing",
                                              "unless heat.boiler.fuel names this fuel"),
         {"fuels": [GAS, merged(DIESEL, {"annual_mwh": DELETE})]}),
    Case("fuel_without_annual_energy_nor_heat", ("fuels[gas].annual_mwh: required field is missing",
                                                 "unless heat.boiler.fuel names this fuel"), {"fuels": [GAS]}),
    heat("fuel_names_repeat", ("fuels: names must be unique; repeated: ['gas']",), {"fuels": [GAS, GAS]}),
    heat("boiler_without_fuel", ("heat.boiler.fuel: required field is missing",),
         {"heat": {"boiler": {"fuel": DELETE}}}),
    heat("boiler_efficiency_above_1_1", ("heat.boiler.efficiency: got 1.2", "less than or equal to 1.1"),
         {"heat": {"boiler": {"efficiency": 1.2}}}),
    heat("boiler_efficiency_0", ("heat.boiler.efficiency: got 0", "greater than 0"),
         {"heat": {"boiler": {"efficiency": 0}}}),
    heat("no_boiler", ("heat.boiler: required field is missing",), {"heat": {"boiler": DELETE}}),
]

DEMANDS = [
    heat("no_demands", ("heat.demands: required field is missing",), {"heat": {"demands": DELETE}}),
    heat("demands_empty", ("heat.demands: got []", "at least 1 item"), demands()),
    heat("demand_names_repeat", ("heat: demands: names must be unique; repeated: ['ovens']",), demands(OVENS, OVENS)),
    heat("demand_without_temperature", ("heat.demands[ovens].temperature_c: required field is missing",),
         demands(merged(OVENS, {"temperature_c": DELETE}))),
    heat("demand_temperature_text", ("heat.demands[ovens].temperature_c: got '180 °C'", "valid number"),
         demands({**OVENS, "temperature_c": "180 °C"})),
    heat("demand_temperature_0", ("heat.demands[ovens].temperature_c: got 0", "greater than 0"),
         demands({**OVENS, "temperature_c": 0})),
    heat("demand_negative_energy", ("heat.demands[ovens].annual_mwh: got -1", "greater than or equal to 0"),
         demands({**OVENS, "annual_mwh": -1})),
    heat("demand_energy_typo", ("heat.demands[ovens].anual_mwh: unknown field; did you mean 'annual_mwh'?",),
         demands({**OVENS, "anual_mwh": 1})),
    heat("demand_profile_typo", ("heat.demands[ovens].profile:", "prodution' is neither 'production', 'flat' nor an "
                                 "existing CSV file; did you mean 'production'?"),
         demands({**OVENS, "profile": "prodution"})),
    heat("demand_profile_missing_file", ("heat.demands[ovens].profile:", "ovens.csv' is neither"),
         demands({**OVENS, "profile": "ovens.csv"})),
    heat("demand_profile_is_folder", ("heat.demands[ovens].profile:", "data' is neither"),
         demands({**OVENS, "profile": "data"}), files={"data/x": ""}),
    heat("demand_profile_number", ("heat.demands[ovens].profile: got 5; give 'production', 'flat' or the path of a "
                                   "CSV file",), demands({**OVENS, "profile": 5})),
    heat("demand_profile_solar", ("heat.demands[ovens].profile:", "solar' is neither 'production', 'flat'"),
         demands({**OVENS, "profile": "solar"})),
    heat("heat_mapping", ("heat: got [1]", "expected a section"), {"heat": [1]}),
    heat("heat_typo", ("heat.boilers: unknown field; did you mean 'boiler'?",), {"heat": {"boilers": {}}}),
]

ASSETS = [
    heat("cop_with_carnot_share", ("heat.heat_pump: carnot_share 0.4 would be ignored: cop 3 is used for every "
                                   "temperature", "remove cop to use the temperature model, or remove carnot_share"),
         {"heat": {"heat_pump": {**HEAT_PUMP, "cop": 3, "carnot_share": 0.4}}}),
    heat("cop_with_source_and_share", ("heat.heat_pump: source_temperature_c 50 and carnot_share 0.4 would be ignored",
                                       "or remove source_temperature_c and carnot_share"),
         {"heat": {"heat_pump": {**HEAT_PUMP, "cop": 3, "carnot_share": 0.4, "source_temperature_c": 50}}}),
    heat("heat_pump_below_its_source", ("heat.heat_pump: max_temperature_c 25 is not above source_temperature_c 30",),
         {"heat": {"heat_pump": {**HEAT_PUMP, "max_temperature_c": 25}}}),
    heat("cop_below_1", ("heat.heat_pump.cop: got 0.5", "greater than or equal to 1"),
         {"heat": {"heat_pump": {**HEAT_PUMP, "cop": 0.5}}}),
    heat("cop_text", ("heat.heat_pump.cop: got '3.0'", "valid number"),
         {"heat": {"heat_pump": {**HEAT_PUMP, "cop": "3.0"}}}),
    heat("carnot_share_above_1", ("heat.heat_pump.carnot_share: got 1.5", "less than or equal to 1"),
         {"heat": {"heat_pump": {**HEAT_PUMP, "carnot_share": 1.5}}}),
    heat("heat_pump_without_capex", ("heat.heat_pump.capex_per_kw_th: required field is missing",),
         {"heat": {"heat_pump": {"max_temperature_c": 120}}}),
    heat("heat_pump_typo", ("heat.heat_pump.max_temp_c: unknown field; did you mean 'max_temperature_c'?",),
         {"heat": {"heat_pump": {**HEAT_PUMP, "max_temp_c": 120}}}),
    heat("heat_pump_negative_limit", ("heat.heat_pump.max_kw_th: got -1",),
         {"heat": {"heat_pump": {**HEAT_PUMP, "max_kw_th": -1}}}),
    heat("heater_efficiency_0", ("heat.electric_heater.efficiency: got 0", "greater than 0"),
         {"heat": {"electric_heater": {"capex_per_kw_th": 600, "efficiency": 0}}}),
    heat("heater_without_capex", ("heat.electric_heater.capex_per_kw_th: required field is missing",),
         {"heat": {"electric_heater": {"efficiency": 0.99}}}),
    heat("store_without_temperature", ("heat.thermal_storage.max_temperature_c: required field is missing",),
         {"heat": {"thermal_storage": {"capex_per_kwh_th": 150}}}),
    heat("store_losing_everything", ("heat.thermal_storage.loss_share_per_hour: got 1", "less than 1"),
         {"heat": {"thermal_storage": {**STORE, "loss_share_per_hour": 1}}}),
    heat("store_lifetime_0", ("heat.thermal_storage.lifetime_years: got 0", "greater than or equal to 1"),
         {"heat": {"thermal_storage": {**STORE, "lifetime_years": 0}}}),
]

MEASURES = [
    Case("measures_mapping", ("measures: got {", "valid list"), {"measures": LIGHTS}),
    Case("measure_names_repeat", ("measures: names must be unique; repeated: ['lights']",), measures(LIGHTS, LIGHTS)),
    Case("measure_saves_nothing", ("measures[lights]: saves nothing: give electricity_saved_mwh, heat_saved_mwh or "
                                   "fuel_saved_mwh",), measures(merged(LIGHTS, {"electricity_saved_mwh": DELETE}))),
    heat("measure_saves_nothing_on_the_plant", ("measures[lights]: saves nothing: give electricity_saved_mwh, "
                                                "heat_saved_mwh (by heat demand: ovens, washer) or fuel_saved_mwh "
                                                "(by fuel: diesel)",),
         measures(merged(LIGHTS, {"electricity_saved_mwh": DELETE, "heat_saved_mwh": {}}))),
    Case("measure_without_capex", ("measures[lights].capex: required field is missing",),
         measures(merged(LIGHTS, {"capex": DELETE}))),
    Case("measure_without_lifetime", ("measures[lights].lifetime_years: required field is missing",),
         measures(merged(LIGHTS, {"lifetime_years": DELETE}))),
    Case("measure_negative_saving", ("measures[lights].electricity_saved_mwh: got -5", "greater than or equal to 0"),
         measures({**LIGHTS, "electricity_saved_mwh": -5})),
    Case("measure_profile_typo", ("measures[lights].profile:", "lod' is neither 'load', 'flat' nor an existing CSV "
                                  "file; did you mean 'load'?"), measures({**LIGHTS, "profile": "lod"})),
    Case("measure_profile_production", ("measures[lights].profile:", "production' is neither 'load', 'flat'"),
         measures({**LIGHTS, "profile": "production"})),
    heat("measure_profile_unused", ("measures[recovery].profile: 'flat' would be ignored: it shapes "
                                    "electricity_saved_mwh, which is not given",),
         measures({**RECOVERY, "profile": "flat"})),
    Case("heat_saved_without_heat", ("measures[recovery].heat_saved_mwh: needs a heat section",), measures(RECOVERY)),
    heat("heat_saved_unknown_demand", ("measures[recovery].heat_saved_mwh.ovns: 'ovns' is not a heat demand; "
                                       "heat.demands are ovens, washer; did you mean 'ovens'?",),
         measures({**RECOVERY, "heat_saved_mwh": {"ovns": 400}})),
    heat("heat_saved_above_demand", ("measures[recovery].heat_saved_mwh.ovens: 4000 exceeds "
                                     "heat.demands[ovens].annual_mwh 3000",),
         measures({**RECOVERY, "heat_saved_mwh": {"ovens": 4000}})),
    heat("heat_saved_together_above_demand", ("measures: together save 3500 MWh of heat.demands[ovens] (recovery "
                                              "2000, insulation 1500), more than its annual_mwh 3000",),
         measures({**RECOVERY, "heat_saved_mwh": {"ovens": 2000}},
                  {**RECOVERY, "name": "insulation", "heat_saved_mwh": {"ovens": 1500}})),
    heat("heat_saved_key_number", ("measures[recovery].heat_saved_mwh.1: the name 1 is a int", "quote it"),
         measures({**RECOVERY, "heat_saved_mwh": {1: 400}})),
    heat("heat_saved_negative", ("measures[recovery].heat_saved_mwh.ovens: got -400", "greater than or equal to 0"),
         measures({**RECOVERY, "heat_saved_mwh": {"ovens": -400}})),
    heat("fuel_saved_of_the_boiler", ("measures[lights].fuel_saved_mwh.gas: 'gas' is the boiler's fuel "
                                      "(heat.boiler.fuel)", "heat_saved_mwh instead"),
         measures({**LIGHTS, "fuel_saved_mwh": {"gas": 10}})),
    heat("fuel_saved_unknown", ("measures[lights].fuel_saved_mwh.disel: 'disel' is not a fuel with a fixed "
                                "annual_mwh (fuels with annual_mwh are diesel); did you mean 'diesel'?",),
         measures({**LIGHTS, "fuel_saved_mwh": {"disel": 10}})),
    heat("fuel_saved_above_fuel", ("measures[lights].fuel_saved_mwh.diesel: 150 exceeds fuels[diesel].annual_mwh 100",),
         measures({**LIGHTS, "fuel_saved_mwh": {"diesel": 150}})),
    heat("fuel_saved_together_above_fuel", ("measures: together save 120 MWh of fuels[diesel] (lights 60, forklifts "
                                            "60), more than its annual_mwh 100",),
         measures({**LIGHTS, "fuel_saved_mwh": {"diesel": 60}},
                  {**LIGHTS, "name": "forklifts", "fuel_saved_mwh": {"diesel": 60}})),
    heat("measure_typo", ("measures[lights].electricity_saved_mw: unknown field; did you mean "
                          "'electricity_saved_mwh'?",), measures({**LIGHTS, "electricity_saved_mw": 5})),
    heat("two_problems_in_measures", ("measures[lights].fuel_saved_mwh.gas: 'gas' is the boiler's fuel",
                                      "measures[recovery].heat_saved_mwh.ovens: 4000 exceeds"),
         measures({**LIGHTS, "fuel_saved_mwh": {"gas": 10}}, {**RECOVERY, "heat_saved_mwh": {"ovens": 4000}})),
]

CASES = BOILER_FUEL + DEMANDS + ASSETS + MEASURES

SHAPE = "share\n" + "1\n" * 8760


def test_the_cases_have_distinct_names():
    assert len({c.id for c in CASES}) == len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_heat_scenario_exits_2_with_one_clear_line_per_problem(tmp_path, case):
    assert_exits_2_with_one_clear_line_per_problem(tmp_path, case)


@pytest.mark.parametrize("override", [
    {},
    {"heat": {"heat_pump": HEAT_PUMP, "electric_heater": {"capex_per_kw_th": 600}, "thermal_storage": STORE}},
    {"heat": {"heat_pump": {**HEAT_PUMP, "cop": 3.0}}},
    {"heat": {"heat_pump": {**HEAT_PUMP, "carnot_share": 0.45, "source_temperature_c": 25}}},
    measures(RECOVERY, LIGHTS, {**LIGHTS, "name": "forklifts", "fuel_saved_mwh": {"diesel": 100}}),
    {"heat": {"demands": [{**OVENS, "profile": "ovens.csv"}, WASHER]},
     **measures({**LIGHTS, "profile": "data/lights.csv"})},
], ids=["plain", "every_asset", "fixed_cop", "cop_model", "measures", "csv_profiles"])
def test_a_plant_with_heat_is_valid(tmp_path, override):
    case = heat("good", (), override, files={"ovens.csv": SHAPE, "data/lights.csv": SHAPE})
    code, stdout, stderr = validate(case.write(tmp_path))
    assert code == 0, stdout + stderr
    assert "valid" in stdout


BAD_FILES = [
    ("ovens_shape_all_zero", {"heat": {"demands": [{**OVENS, "profile": "ovens.csv"}]}},
     {"ovens.csv": "share\n" + "0\n" * 8760}, ("heat.demands[ovens].profile", "sums to 0")),
    ("ovens_shape_short", {"heat": {"demands": [{**OVENS, "profile": "ovens.csv"}]}},
     {"ovens.csv": "share\n" + "1\n" * 8000}, ("heat.demands[ovens].profile", "8000 data rows, need 8760")),
    ("ovens_shape_negative", {"heat": {"demands": [{**OVENS, "profile": "ovens.csv"}]}},
     {"ovens.csv": "share\n" + "1\n" * 99 + "-1\n" + "1\n" * 8660}, ("heat.demands[ovens].profile", "row 100 (-1)")),
    ("lights_shape_two_columns", measures({**LIGHTS, "profile": "lights.csv"}),
     {"lights.csv": "a,b\n" + "1,1\n" * 8760}, ("measures[lights].profile", "2 columns")),
    ("saving_beyond_the_load", measures({**LIGHTS, "electricity_saved_mwh": 5000}), {},
     ("measures: lights saves more electricity than the load in 8760 steps, most at", "kW used); lower "
      "electricity_saved_mwh")),
    ("flat_saving_beyond_night_load", measures({**LIGHTS, "electricity_saved_mwh": 900, "profile": "flat"}), {},
     ("measures: lights saves more electricity than the load in", "or shape it like the load (profile 'load')")),
    ("savings_together_beyond_the_load", measures({**LIGHTS, "electricity_saved_mwh": 600},
                                                  {**LIGHTS, "name": "air", "electricity_saved_mwh": 600}), {},
     ("measures: lights, air together save more electricity than the load in 8760 steps",)),
]


@pytest.mark.parametrize("name, override, files, expect", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_profile_data_through_zcf_validate(tmp_path, name, override, files, expect):
    path = heat(name, expect, override, files=files).write(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    corpus.refused(corpus.fingerprint("heat data", name, sorted(files.items())),
                   [line.removeprefix("error: ") for line in lines], "", *expect)
