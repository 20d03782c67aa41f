"""Absurd magnitudes are refused before anything is solved: every number a user gives, in a scenario,
a sweep point or a data file, has a finite range, and a value outside it is named with its field (or
file and row), the value, the bound and what the bound means.

Validation only: nothing here builds a model or runs HiGHS.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from models.data.load_profile import read_load_csv
from models.data.series_file import read_single_column
from models.data.timeindex import model_year_index
from models.errors import InputError
from models.scenario.distributions import Distribution
from models.scenario.loading import section_class, validate
from models.scenario.ranges import ANY_VALUE, LARGEST, RANGES, field_range
from models.scenario.schema import Scenario
from models.scenario.sweep import SweepFile, build_sweep
from tests import corpus
from tests.bad_scenario_helpers import BASE, PV, STORAGE, merged

HUGE, LARGE = 1.0e+250, 1.0e+30
WEEK = model_year_index(2025, "Asia/Shanghai")[:168]
FUEL = {"name": "gas", "annual_mwh": 100.0, "emission_factor_t_per_mwh": 0.2, "price_per_mwh": 300.0}


def nest(path: str, value: Any) -> dict[str, Any]:
    """{'a': {'b': value}} for 'a.b'."""
    for key in reversed(path.split(".")):
        value = {key: value}
    return value


def refused(raw: dict[str, Any], *fragments: str) -> None:
    with pytest.raises(InputError) as caught:
        validate(raw, where="plant.yaml")
    corpus.refused(corpus.fingerprint("magnitude", raw), caught.value.problems, "plant.yaml: ", *fragments)


# (dotted field, the base it needs, its bound, the words of the refusal)
FLOATS = [
    ("load.synthetic.annual_mwh", {}, 1e8, "at most 1e+08 MWh (100 TWh a year"),
    ("green_power.price_per_kwh", {"green_power": {"price_per_kwh": 0.5}}, 1e4, "at most 10000 currency/kWh"),
    ("carbon_credits.price_per_t", {"carbon_credits": {"price_per_t": 70.0}}, 1e7, "at most 1e+07 currency/t"),
    ("pv.capex_per_kw", {"pv": PV}, 1e8, "at most 1e+08 currency/kW"),
    ("storage.max_kwh", {"storage": STORAGE}, 1e8, "at most 1e+08 kWh"),
    ("grid.tariff.demand_charge_per_kw_month", {}, 1e6, "at most 1e+06 currency/kW·month"),
    ("certificates.max_mwh", {"certificates": {"price_per_mwh": 5.0}}, 1e8, "at most 1e+08 MWh"),
    ("targets.base_emissions_t", {}, 1e9, "at most 1e+09 t (a gigatonne"),
    ("solver.time_limit_s", {}, 1e6, "at most 1e+06 s"),
]


@pytest.mark.parametrize(("path", "base", "bound", "words"), FLOATS, ids=[f[0] for f in FLOATS])
def test_a_scenario_float_in_range_is_taken_and_beyond_it_refused(path, base, bound, words):
    validate(merged(merged(BASE, base), nest(path, bound)))
    for value in (HUGE, LARGE):
        refused(merged(merged(BASE, base), nest(path, value)), f"{path}: got {value:g}; {words}")


def test_a_fuel_in_a_list_is_named():
    validate(merged(BASE, {"fuels": [{**FUEL, "price_per_mwh": 1e7, "emission_factor_t_per_mwh": 5.0}]}))
    refused(merged(BASE, {"fuels": [{**FUEL, "price_per_mwh": HUGE}]}),
            "fuels[gas].price_per_mwh: got 1e+250; at most 1e+07 currency/MWh")
    refused(merged(BASE, {"fuels": [{**FUEL, "emission_factor_t_per_mwh": LARGE}]}),
            "fuels[gas].emission_factor_t_per_mwh: got 1e+30; at most 5 t/MWh")


def test_a_negative_cap_is_bounded_too():
    targets = {"net_zero": False, "max_emissions_t": -1e9}
    validate(merged(BASE, {"targets": targets}))
    refused(merged(BASE, {"targets": {**targets, "max_emissions_t": -LARGE}}),
            "targets.max_emissions_t: got -1e+30; at least -1e+09 t")


def test_a_scenario_int_in_range_is_taken_and_beyond_it_refused():
    validate(merged(BASE, {"weather": {"seed": 2**32 - 1}}))
    refused(merged(BASE, {"weather": {"seed": 10**30}}), "weather.seed: got 1e+30; at most 4294967295")
    refused(merged(BASE, {"load": {"synthetic": {"seed": 10**250}}}), "load.synthetic.seed: got 1e+250")


def test_list_and_mapping_items_are_named_at_their_place():
    prices = {"valley": 0.3, "flat": 1e4}
    validate(merged(BASE, {"grid": {"tariff": {"prices_per_kwh": prices}}}))
    refused(merged(BASE, {"grid": {"tariff": {"prices_per_kwh": {**prices, "flat": HUGE}}}}),
            "grid.tariff.prices_per_kwh.flat: got 1e+250; at most 10000 currency/kWh")
    validate(merged(BASE, {"weather": {"clear_sky_index": [1.0] * 12}}))
    refused(merged(BASE, {"weather": {"clear_sky_index": [0.5] * 11 + [LARGE]}}),
            "weather: clear_sky_index values must lie in (0, 1]")
    roadmap = {"base_year": 2025, "years": [2025, 2150], "targets": {}}
    validate(merged(BASE, {"roadmap": roadmap}))
    refused(merged(BASE, {"roadmap": {**roadmap, "years": [2025, 10**30]}}),
            "roadmap.years[1]: got 10000000", "less than or equal to 2150")
    measure = {"name": "m", "capex": 1e12, "lifetime_years": 10, "fuel_saved_mwh": {"gas": 50.0}}
    validate(merged(BASE, {"fuels": [FUEL], "measures": [measure]}))
    refused(merged(BASE, {"fuels": [FUEL], "measures": [{**measure, "fuel_saved_mwh": {"gas": HUGE}}]}),
            "measures[m].fuel_saved_mwh.gas: got 1e+250; at most 1e+08 MWh")


def test_a_roadmap_path_value_is_bounded_where_it_is_written():
    roadmap = {"base_year": 2025, "years": [2025, 2030], "targets": {}}
    validate(merged(BASE, {"pv": PV, "roadmap": {**roadmap, "paths": {"pv.capex_per_kw": {2030: 1e12}}}}))
    refused(merged(BASE, {"pv": PV, "roadmap": {**roadmap, "paths": {"pv.capex_per_kw": {2030: HUGE}}}}),
            f"roadmap.paths.pv.capex_per_kw.2030: got 1e+250; at most {LARGEST:g}")


def test_battery_blocks_are_a_countable_number():
    storage = {**STORAGE, "unit_kwh": 1e-3}  # 1000 kWh in blocks of 1 Wh: 1e6 blocks
    validate(merged(BASE, {"storage": storage}))
    refused(merged(BASE, {"storage": {**storage, "unit_kwh": 1e-250}}),
            "unit_kwh 1e-250 divides max_kwh 1000 into 1e+253 blocks; at most 1e+06")


def test_a_sweep_point_value_goes_through_the_same_ranges():
    parameters = {"load.synthetic.annual_mwh": [1e8]}
    assert len(build_sweep(BASE, "big", "grid", parameters).points) == 1
    for value in (HUGE, LARGE):
        with pytest.raises(InputError) as caught:
            build_sweep(BASE, "big", "grid", {"load.synthetic.annual_mwh": [1000.0, value]})
        corpus.refused(corpus.fingerprint("sweep", value), caught.value.problems, "point 1",
                       f"load.synthetic.annual_mwh: got {value:g}; at most 1e+08 MWh")


def test_a_distribution_cannot_draw_beyond_any_field():
    Distribution.model_validate({"distribution": "normal", "mean": LARGEST, "std": 1.0})
    with pytest.raises(ValueError, match="less than or equal to 1000000000000"):
        Distribution.model_validate({"distribution": "normal", "mean": HUGE, "std": 1.0})


def load_file(tmp_path: Path, value: str) -> Path:
    path = tmp_path / "meter.csv"
    path.write_text("kw\n" + "1.5\n" * 4 + f"{value}\n" + "1.5\n" * 163, encoding="utf-8")
    return path


def test_a_load_csv_cell_in_range_is_read_and_beyond_it_refused(tmp_path):
    kw, _ = read_load_csv(load_file(tmp_path, "1e7"), "kw", WEEK)
    assert kw.max() == 1e7
    for value in ("1.0e+250", "1e30"):
        with pytest.raises(InputError) as caught:
            read_load_csv(load_file(tmp_path, value), "kw", WEEK)
        corpus.refused(corpus.fingerprint("load magnitude", value), caught.value.problems, "load.file 'meter.csv'",
                       "row 5", f"got {float(value):g}; at most 1e+07 kW (10 GW")


def test_a_series_file_cell_beyond_any_quantity_is_refused(tmp_path):
    """One-column series (green-power and heat profiles): no price file exists; their cells get the
    range of any number zcf reads."""
    path = tmp_path / "profile.csv"
    path.write_text("share\n" + "1\n" * 9 + "1e12\n", encoding="utf-8")
    assert read_single_column(path, "green_power.profile", 10, "relative").max() == 1e12
    for value in ("1.0e+250", "1e30"):
        path.write_text("share\n" + "1\n" * 9 + f"{value}\n", encoding="utf-8")
        with pytest.raises(InputError) as caught:
            read_single_column(path, "green_power.profile", 10, "relative")
        corpus.refused(corpus.fingerprint("series magnitude", value), caught.value.problems, "green_power.profile",
                       "row 10", f"got {float(value):g}; at most {LARGEST:g}")


def numeric_fields(cls: type[BaseModel], prefix: str = "", seen: frozenset = frozenset()) -> list[tuple[str, Any]]:
    """(dotted name, FieldRange) of every field holding numbers, sections walked recursively."""
    found = []
    for name, field in cls.model_fields.items():
        bounds = field_range(field, name)
        if bounds is not None:
            found.append((f"{prefix}{name}", bounds))
        section = section_class(field.annotation)
        if section is not None and section not in seen:
            found += numeric_fields(section, f"{prefix}{name}.", seen | {section})
    return found


FIELDS = [*numeric_fields(Scenario), *numeric_fields(SweepFile, "sweep: "), *numeric_fields(Distribution, "sweep: ")]


def test_every_number_of_the_schema_has_a_finite_meaningful_upper_bound():
    assert len(FIELDS) > 90
    unbounded = [name for name, bounds in FIELDS if bounds.range is ANY_VALUE or not math.isfinite(bounds.high)]
    assert not unbounded, f"give these a Field(le=...) or an entry in models.scenario.ranges.RANGES: {unbounded}"
    assert all(bounds.high <= LARGEST for _, bounds in FIELDS)


def test_money_times_quantity_stays_far_from_highs_infinity():
    mwh, kw, kwh, t = (RANGES[k].high for k in ("mwh", "kw", "kwh", "t"))
    products = [RANGES["per_kwh"].high * mwh * 1000, RANGES["per_mwh"].high * mwh, RANGES["per_kw"].high * kw,
                RANGES["capex_per_kwh"].high * kwh, RANGES["per_t"].high * t]
    assert max(products) <= 1e16 < 1e20
