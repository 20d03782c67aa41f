"""The roadmap section of a scenario: paths read at each model year, targets per year, and clear
errors for every way to get it wrong."""

from __future__ import annotations

import pytest

from models.errors import InputError
from models.inputs.roadmap import build_roadmap_inputs, path_value
from optimizer import api
from tests.bad_scenario_helpers import BASE, PV, Case, assert_exits_2_with_one_clear_line_per_problem, merged

ROADMAP = {"base_year": 2025, "years": [2026, 2030], "targets": {2030: {"net_zero": True}}}
PLANT = {**BASE, "pv": PV, "carbon_credits": {"price_per_t": 70}, "time": {"aggregation": "typical_days", "days": 2}}


def with_roadmap(**roadmap) -> dict:
    return {"roadmap": {**ROADMAP, **roadmap}}


BAD_ROADMAPS = [
    Case("net_zero_with_roadmap", ("targets.net_zero does not apply with a roadmap", "roadmap.targets"),
         {"targets": {"net_zero": True}, **with_roadmap()}),
    Case("cap_with_roadmap", ("targets.net_zero and targets.max_emissions_t do not apply with a roadmap",),
         {"targets": {"net_zero": False, "max_emissions_t": 10}, **with_roadmap()}),
    Case("years_descending", ("years [2030, 2026] must be ascending",), with_roadmap(years=[2030, 2026])),
    Case("year_before_base", ("years: 2024 is before base_year 2025",), with_roadmap(years=[2024, 2030])),
    Case("end_before_last", ("end_year 2028 is before the last model year 2030",), with_roadmap(end_year=2028)),
    Case("target_not_a_model_year", ("targets for 2029: not a model year", "2026, 2030"),
         with_roadmap(targets={2029: {"reduction_pct": 50}})),
    Case("two_ways_to_say_a_target", ("give exactly one of reduction_pct, net_zero, max_emissions_t",
                                      "reduction_pct, max_emissions_t"),
         with_roadmap(targets={2030: {"reduction_pct": 50, "max_emissions_t": 10}})),
    Case("reduction_over_100", ("reduction_pct", "less than or equal to 100"),
         with_roadmap(targets={2030: {"reduction_pct": 150}})),
    Case("unknown_path", ("roadmap.paths.pv.capex_per_kwp", "did you mean 'capex_per_kw'"),
         with_roadmap(paths={"pv.capex_per_kwp": {2025: 3000}})),
    Case("path_to_a_section", ("roadmap.paths.pv", "not a number"), with_roadmap(paths={"pv": {2025: 3000}})),
    Case("path_gives_a_negative_capex", ("roadmap year 2026", "pv.capex_per_kw"),
         with_roadmap(paths={"pv.capex_per_kw": {2025: -1}})),
    Case("path_into_a_missing_section", ("roadmap.paths.storage.capex_per_kwh", "no storage"),
         with_roadmap(paths={"storage.capex_per_kwh": {2025: 700}})),
]


@pytest.mark.parametrize("case", BAD_ROADMAPS, ids=lambda c: c.id)
def test_bad_roadmap_is_one_clear_line(tmp_path, case):
    case.override = merged({"pv": PV}, case.override)
    assert_exits_2_with_one_clear_line_per_problem(tmp_path, case)


def test_path_values_are_linear_between_years_and_flat_outside():
    points = {2025: 3000.0, 2030: 2400.0, 2040: 2400.0}
    assert path_value(points, 2020) == 3000.0
    assert path_value(points, 2027) == pytest.approx(3000.0 - 2 / 5 * 600.0)
    assert path_value(points, 2035) == 2400.0
    assert path_value(points, 2050) == 2400.0


def test_each_model_year_reads_its_paths_and_targets_refer_to_the_base_year():
    scenario = api.load_scenario(merged(PLANT, with_roadmap(
        years=[2026, 2028, 2030], targets={2028: {"reduction_pct": 40}, 2030: {"max_emissions_t": 5}},
        paths={"pv.capex_per_kw": {2025: 3000, 2030: 2000}, "load.scale": {2025: 1.0, 2030: 1.5},
               "grid.emission_factor_kg_per_kwh": {2025: 0.6, 2030: 0.4}})))
    rin = build_roadmap_inputs(scenario)
    base = api.load_inputs(merged(PLANT, {"grid": {"emission_factor_kg_per_kwh": 0.6}}))
    assert rin.base_emissions_t == pytest.approx(base.bau_emissions_t, rel=1e-9)
    by_year = rin.inputs
    assert by_year[2026].pv.capex_per_kw == pytest.approx(2800.0)
    assert by_year[2028].load_kw.sum() == pytest.approx(1.3 * base.load_kw.sum(), rel=1e-9)
    assert by_year[2030].grid_factor_t_per_kwh == pytest.approx(0.0004)
    assert by_year[2026].max_net_t is None
    assert by_year[2028].max_net_t == pytest.approx(0.6 * rin.base_emissions_t)
    assert by_year[2030].max_net_t == 5.0
    assert rin.end_year == 2030 and list(rin.stands_for(2030)) == [2030]


def test_load_scale_multiplies_the_load():
    one = api.load_inputs(PLANT)
    scaled = api.load_inputs(merged(PLANT, {"load": {"scale": 1.25}}))
    assert scaled.load_kw == pytest.approx(1.25 * one.load_kw)


def test_a_roadmap_scenario_is_not_solved_as_one_year():
    with pytest.raises(InputError, match="zcf roadmap"):
        api.load_inputs(merged(PLANT, with_roadmap()))
