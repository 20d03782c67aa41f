"""Bad scenario files through `zcf validate`: exit code 2, one `error:` line per problem naming the
file and field, the value and what is allowed; never a traceback.

Each case is a small plant scenario with one mistake (or a broken `extends` chain, or broken
YAML). The cases run in-process through typer's CliRunner; two run as a real process.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from optimizer.cli import app
from tests import corpus

BASE: dict[str, Any] = {
    "name": "press shop",
    "site": {"latitude": 23.0, "longitude": 113.1},
    "load": {"synthetic": {"annual_mwh": 1000}},
    "grid": {"tariff": {"prices_per_kwh": {"valley": 0.3, "flat": 0.7},
                        "schedule": [{"hours": [0, 8], "period": "valley"}, {"period": "flat"}]}},
}
DELETE = object()
RULES = ["grid", "tariff", "schedule"]  # path of the TOU rules, for readability below


def merged(base: Any, override: Any) -> Any:
    """`override` on `base`: mappings merge, DELETE removes a key, anything else replaces."""
    if not isinstance(override, dict) or not isinstance(base, dict):
        return copy.deepcopy(override)
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is DELETE:
            out.pop(key, None)
        else:
            out[key] = merged(out.get(key), value)
    return out


@dataclass
class Case:
    id: str
    expect: tuple[str, ...]
    override: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # raw YAML instead of BASE + override
    files: dict[str, str] = field(default_factory=dict)  # other files beside the scenario

    def write(self, folder: Path) -> Path:
        for name, content in self.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content, encoding="utf-8")
        path = folder / "plant.yaml"
        text = self.text if self.text is not None else yaml.safe_dump(merged(BASE, self.override),
                                                                      allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path


def tou(*rules: dict[str, Any], prices: dict[str, float] | None = None) -> dict[str, Any]:
    tariff: dict[str, Any] = {"schedule": list(rules)}
    if prices is not None:
        tariff["prices_per_kwh"] = prices
    return {"grid": {"tariff": tariff}}


PV = {"capex_per_kw": 3000, "arrays": [{"name": "roof_a", "max_kw": 500}]}
STORAGE = {"capex_per_kwh": 700, "max_kwh": 1000, "max_kw": 500}
BASE_YAML = yaml.safe_dump(BASE, sort_keys=False)

WRONG_TYPES = [
    Case("name_number", ("name: got 5", "valid string"), {"name": 5}),
    Case("name_list", ("name: got ['a']",), {"name": ["a"]}),
    Case("year_text", ("year: got '2025'", "valid integer"), {"year": "2025"}),
    Case("year_fraction", ("year: got 2025.5", "valid integer"), {"year": 2025.5}),
    Case("year_bool", ("year: got True",), {"year": True}),
    Case("latitude_text", ("site.latitude: got '23.0'", "valid number"), {"site": {"latitude": "23.0"}}),
    Case("latitude_yes", ("site.latitude: got True", "valid number"), {"site": {"latitude": True}}),
    Case("site_number", ("site: got 5", "expected a section"), {"site": 5}),
    Case("load_list", ("load: got []", "expected a section"), {"load": []}),
    Case("prices_list", ("grid.tariff.prices_per_kwh: got [0.7]",), tou({"period": "flat"}, prices=[0.7])),
    Case("schedule_mapping", ("grid.tariff.schedule: got {'period': 'flat'}", "valid list"),
         {"grid": {"tariff": {"schedule": {"period": "flat"}}}}),
    Case("export_allowed_text", ("grid.export.allowed: got 'yes'", "valid boolean"),
         {"grid": {"export": {"allowed": "yes"}}}),
    Case("export_allowed_number", ("grid.export.allowed: got 1", "valid boolean"),
         {"grid": {"export": {"allowed": 1}}}),
    Case("net_zero_text", ("targets.net_zero: got 'no'",), {"targets": {"net_zero": "no"}}),
    Case("tilt_text", ("pv.arrays[roof_a].tilt_deg: got 'ten'",),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 500, "tilt_deg": "ten"}]})}),
    Case("capex_with_unit", ("storage.capex_per_kwh: got '700 CNY'", "valid number"),
         {"storage": merged(STORAGE, {"capex_per_kwh": "700 CNY"})}),
    Case("fuels_mapping", ("fuels: got {'name': 'gas'", "valid list"), {"fuels": {"name": "gas"}}),
    Case("fuel_null_energy", ("fuels[gas].annual_mwh: got None", "valid number"),
         {"fuels": [{"name": "gas", "annual_mwh": None, "emission_factor_t_per_mwh": 0.2}]}),
    Case("timezone_number", ("timezone: got 8", "valid string"), {"timezone": 8}),
    Case("clear_sky_index_text", ("weather.clear_sky_index: got '0.7'",), {"weather": {"clear_sky_index": "0.7"}}),
    Case("clear_sky_index_item_text", ("weather.clear_sky_index[1]: got 'a'", "valid number"),
         {"weather": {"clear_sky_index": [0.5, "a", *[0.5] * 10]}}),
    Case("festival_date_number", ("load.synthetic.spring_festival_date: got 20250129", "YYYY-MM-DD"),
         {"load": {"synthetic": {"spring_festival_date": 20250129}}}),
    Case("festival_date_day_first", ("load.synthetic.spring_festival_date: got '29/01/2025'",),
         {"load": {"synthetic": {"spring_festival_date": "29/01/2025"}}}),
    Case("hours_text", ("grid.tariff.schedule[0].hours: got '8-12'",), tou({"hours": "8-12", "period": "flat"})),
    Case("hours_one_number", ("grid.tariff.schedule[0].hours: got [8]; give two hours [start, end)",),
         tou({"hours": [8], "period": "flat"})),
    Case("hours_fraction", ("grid.tariff.schedule[0].hours[0]: got 8.5", "valid integer"),
         tou({"hours": [8.5, 12], "period": "flat"}, {"period": "flat"})),
    Case("months_not_list", ("grid.tariff.schedule[0].months: got 7", "valid list"),
         tou({"months": 7, "period": "flat"}, {"period": "flat"})),
    Case("days_typo", ("grid.tariff.schedule[0].days: got 'weekdays'", "'weekday'"),
         tou({"days": "weekdays", "period": "flat"}, {"period": "flat"})),
    Case("weather_source_typo", ("weather.source: got 'files'", "'synthetic' or 'file'"),
         {"weather": {"source": "files"}}),
    Case("temperature_model_unknown", ("pv.arrays[roof_a].temperature_model: got 'roof'", "close_mount_glass_glass"),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "temperature_model": "roof"}]})}),
    Case("period_name_number", ("grid.tariff.prices_per_kwh.1: the name 1 is a int", "quote it"),
         text=BASE_YAML.replace("valley: 0.3", "1: 0.3")),
    Case("field_name_number", ("2025: the name 2025 is a int", "quote it"), text=BASE_YAML + "2025: x\n"),
    Case("production_file_number", ("pv.arrays[roof_a].production_file: got 5", "file path"),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "production_file": 5}]})}),
]

MISSING = [
    Case("no_name", ("name: required field is missing",), {"name": DELETE}),
    Case("no_site", ("site: required field is missing",), {"site": DELETE}),
    Case("no_load", ("load: required field is missing",), {"load": DELETE}),
    Case("no_grid", ("grid: required field is missing",), {"grid": DELETE}),
    Case("no_latitude", ("site.latitude: required field is missing",), {"site": {"latitude": DELETE}}),
    Case("no_tariff", ("grid.tariff: required field is missing",), {"grid": {"tariff": DELETE}}),
    Case("no_schedule", ("grid.tariff.schedule: required field is missing",),
         {"grid": {"tariff": {"schedule": DELETE}}}),
    Case("rule_without_period", ("grid.tariff.schedule[1].period: required field is missing",),
         tou({"period": "flat"}, {"hours": [0, 8]})),
    Case("pv_without_capex", ("pv.capex_per_kw: required field is missing",), {"pv": {"arrays": PV["arrays"]}}),
    Case("pv_without_arrays", ("pv.arrays: required field is missing",), {"pv": {"capex_per_kw": 3000}}),
    Case("array_without_name", ("pv.arrays[0].name: required field is missing",),
         {"pv": {"capex_per_kw": 3000, "arrays": [{"max_kw": 10}]}}),
    Case("fuel_without_factor", ("fuels[gas].emission_factor_t_per_mwh: required field is missing",),
         {"fuels": [{"name": "gas", "annual_mwh": 100}]}),
    Case("green_power_without_price", ("green_power.price_per_kwh: required field is missing",),
         {"green_power": {"max_mwh": 100}}),
    Case("certificates_empty", ("certificates.price_per_mwh: required field is missing",), {"certificates": {}}),
    Case("credits_empty", ("carbon_credits.price_per_t: required field is missing",), {"carbon_credits": {}}),
    Case("load_empty", ("load: give either load.file", "or load.synthetic"), {"load": {"synthetic": DELETE}}),
    Case("synthetic_without_energy", ("load.synthetic.annual_mwh: required field is missing",),
         {"load": {"synthetic": {"annual_mwh": DELETE, "seed": 3}}}),
]

UNKNOWN = [
    Case("top_level_typo", ("nmae: unknown field; did you mean 'name'?",), text=BASE_YAML + "nmae: x\n"),
    Case("section_typo", ("storag: unknown field; did you mean 'storage'?",), {"storag": STORAGE}),
    Case("pv_arrays_typo", ("pv.arays: unknown field; did you mean 'arrays'?",), {"pv": {**PV, "arays": []}}),
    Case("array_field_typo", ("pv.arrays[roof_a].tilt_degs: unknown field; did you mean 'tilt_deg'?",),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "tilt_degs": 10}]})}),
    Case("grid_typo", ("grid.tarif: unknown field; did you mean 'tariff'?",), {"grid": {"tarif": {}}}),
    Case("latitude_typo", ("site.latitdue: unknown field; did you mean 'latitude'?",), {"site": {"latitdue": 23.0}}),
    Case("net_zero_typo", ("targets.netzero: unknown field; did you mean 'net_zero'?",),
         {"targets": {"netzero": True}}),
    Case("soc_typo", ("storage.soc_mn: unknown field; did you mean 'soc_min'?",),
         {"storage": {**STORAGE, "soc_mn": 0.1}}),
    Case("synthetic_typo", ("load.synthetic.anual_mwh: unknown field; did you mean 'annual_mwh'?",),
         {"load": {"synthetic": {"anual_mwh": 5}}}),
    Case("seed_typo", ("weather.seeds: unknown field; did you mean 'seed'?",), {"weather": {"seeds": 1}}),
    Case("unrelated_field", ("foo: unknown field;", "allowed: carbon_credits"), {"foo": 1}),
    Case("extends_inside_section", ("pv.extends: unknown field",), {"pv": {**PV, "extends": "base.yaml"}}),
    Case("key_named_like_a_type", ("tuple[x: unknown field; allowed: carbon_credits",),
         text=BASE_YAML + "'tuple[x': 1\n"),
    Case("site_key_named_float", ("site.float: unknown field; allowed: altitude_m, latitude, longitude",),
         {"site": {"float": 1.5}}),
    Case("rule_typo", ("grid.tariff.schedule[0].hour: unknown field; did you mean 'hours'?",),
         tou({"hour": [0, 8], "period": "valley"}, {"period": "flat"})),
]

OUT_OF_RANGE = [
    Case("charge_efficiency_above_1", ("storage.charge_efficiency: got 1.2", "less than or equal to 1"),
         {"storage": {**STORAGE, "charge_efficiency": 1.2}}),
    Case("discharge_efficiency_0", ("storage.discharge_efficiency: got 0", "greater than 0"),
         {"storage": {**STORAGE, "discharge_efficiency": 0}}),
    Case("inverter_efficiency_above_1", ("pv.arrays[roof_a].inverter_efficiency: got 1.5",),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "inverter_efficiency": 1.5}]})}),
    Case("soc_min_above_max", ("storage: soc_min 0.9 must be below soc_max 0.5",),
         {"storage": {**STORAGE, "soc_min": 0.9, "soc_max": 0.5}}),
    Case("soc_min_equals_max", ("storage: soc_min 0.5 must be below soc_max 0.5",),
         {"storage": {**STORAGE, "soc_min": 0.5, "soc_max": 0.5}}),
    Case("soc_max_above_1", ("storage.soc_max: got 1.5",), {"storage": {**STORAGE, "soc_max": 1.5}}),
    Case("negative_energy_price", ("grid.tariff.prices_per_kwh.flat: got -0.1", "greater than or equal to 0"),
         tou({"period": "flat"}, prices={"flat": -0.1})),
    Case("negative_export_price", ("grid.export.price_per_kwh: got -0.2",),
         {"grid": {"export": {"price_per_kwh": -0.2}}}),
    Case("negative_pv_capex", ("pv.capex_per_kw: got -5",), {"pv": {**PV, "capex_per_kw": -5}}),
    Case("negative_green_price", ("green_power.price_per_kwh: got -1",), {"green_power": {"price_per_kwh": -1}}),
    Case("negative_certificate_price", ("certificates.price_per_mwh: got -1",),
         {"certificates": {"price_per_mwh": -1}}),
    Case("negative_credit_price", ("carbon_credits.price_per_t: got -70",), {"carbon_credits": {"price_per_t": -70}}),
    Case("negative_fuel_price", ("fuels[gas].price_per_mwh: got -1",),
         {"fuels": [{"name": "gas", "annual_mwh": 1, "emission_factor_t_per_mwh": 0.2, "price_per_mwh": -1}]}),
    Case("latitude_91", ("site.latitude: got 91", "less than or equal to 90"), {"site": {"latitude": 91}}),
    Case("longitude_minus_181", ("site.longitude: got -181",), {"site": {"longitude": -181}}),
    Case("year_1989", ("year: got 1989", "greater than or equal to 1990"), {"year": 1989}),
    Case("tilt_120", ("pv.arrays[roof_a].tilt_deg: got 120", "less than or equal to 90"),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "tilt_deg": 120}]})}),
    Case("azimuth_360", ("pv.arrays[roof_a].azimuth_deg: got 360", "less than 360"),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "azimuth_deg": 360}]})}),
    Case("offset_share_above_1", ("targets.max_offset_share: got 1.5",), {"targets": {"max_offset_share": 1.5}}),
    Case("negative_discount_rate", ("finance.discount_rate: got -0.01",), {"finance": {"discount_rate": -0.01}}),
    Case("mip_gap_2", ("solver.mip_gap: got 2",), {"solver": {"mip_gap": 2}}),
    Case("time_limit_0", ("solver.time_limit_s: got 0", "greater than 0"), {"solver": {"time_limit_s": 0}}),
    Case("clear_sky_index_above_1", ("weather: clear_sky_index values must lie in (0, 1]; got 1.4",),
         {"weather": {"clear_sky_index": 1.4}}),
    Case("clear_sky_index_11_months", ("weather: clear_sky_index list has 11 values; give one or 12",),
         {"weather": {"clear_sky_index": [0.6] * 11}}),
    Case("latitude_nan", ("site.latitude: got nan", "finite number"), text=BASE_YAML.replace("23.0", ".nan")),
    Case("time_limit_inf", ("solver.time_limit_s: got inf", "finite number"),
         text=BASE_YAML + "solver: {time_limit_s: .inf}\n"),
    Case("cap_nan", ("targets.max_emissions_t: got nan", "finite number"),
         text=BASE_YAML + "targets: {net_zero: false, max_emissions_t: .nan}\n"),
    Case("negative_seed", ("weather.seed: got -1", "greater than or equal to 0"), {"weather": {"seed": -1}}),
    Case("zero_annual_energy", ("load.synthetic.annual_mwh: got 0", "greater than 0"),
         {"load": {"synthetic": {"annual_mwh": 0}}}),
    Case("night_share_above_1", ("load.synthetic.night_share: got 1.2",),
         {"load": {"synthetic": {"night_share": 1.2}}}),
    Case("green_min_above_max", ("green_power: min_mwh 500.0 exceeds max_mwh 100.0",),
         {"green_power": {"price_per_kwh": 0.6, "min_mwh": 500, "max_mwh": 100}}),
    Case("fixed_cost_without_bounds", ("storage: fixed_cost needs max_kwh and max_kw",),
         {"storage": {"capex_per_kwh": 700, "fixed_cost": 10}}),
    Case("unit_kwh_without_bounds", ("storage: unit_kwh needs max_kwh and max_kw",),
         {"storage": {"capex_per_kwh": 700, "unit_kwh": 100}}),
    Case("array_without_limit", ("pv.arrays[roof_a]: give max_kw or area_m2",),
         {"pv": {"capex_per_kw": 1, "arrays": [{"name": "roof_a"}]}}),
    Case("array_names_repeat", ("pv: array names must be unique; repeated: ['roof_a']",),
         {"pv": {"capex_per_kw": 1, "arrays": [{"name": "roof_a", "max_kw": 1}, {"name": "roof_a", "max_kw": 2}]}}),
    Case("shift_hour_25", ("load.synthetic.shift_end_hour: got 25",), {"load": {"synthetic": {"shift_end_hour": 25}}}),
    Case("two_problems_in_storage", ("storage: soc_min 0.9 must be below soc_max 0.5",
                                     "storage: unit_kw needs max_kwh and max_kw"),
         {"storage": {"soc_min": 0.9, "soc_max": 0.5, "unit_kw": 10}}),
]

TARIFFS = [
    Case("schedule_empty", ("grid.tariff.schedule: got []", "at least 1 item"), tou()),
    Case("prices_empty", ("schedule uses periods ['flat', 'valley'] with no price; priced: []",),
         {"grid": {"tariff": {"prices_per_kwh": {"valley": DELETE, "flat": DELETE}}}}),
    Case("period_unpriced", ("schedule uses periods ['peek'] with no price",),
         tou({"hours": [8, 12], "period": "peek"}, {"period": "flat"})),
    Case("hours_empty", ("grid.tariff.schedule[0]: hours [8, 8] is empty",),
         tou({"hours": [8, 8], "period": "valley"}, {"period": "flat"})),
    Case("hours_start_24", ("grid.tariff.schedule[0]: hours [24, 2] starts at 24",),
         tou({"hours": [24, 2], "period": "valley"}, {"period": "flat"})),
    Case("hours_end_25", ("grid.tariff.schedule[0].hours[1]: got 25", "less than or equal to 24"),
         tou({"hours": [0, 25], "period": "valley"}, {"period": "flat"})),
    Case("months_empty", ("grid.tariff.schedule[0].months: got []", "at least 1 item"),
         tou({"months": [], "period": "valley"}, {"period": "flat"})),
    Case("month_13", ("grid.tariff.schedule[0].months[0]: got 13",),
         tou({"months": [13], "period": "valley"}, {"period": "flat"})),
    Case("month_0", ("grid.tariff.schedule[0].months[0]: got 0",),
         tou({"months": [0], "period": "valley"}, {"period": "flat"})),
    Case("catch_all_first", ("grid.tariff: schedule[1] (period 'valley') never applies: schedule[0] above it",),
         tou({"period": "flat"}, {"hours": [0, 8], "period": "valley"})),
    Case("rule_twice", ("schedule[1] (period 'valley') never applies: schedule[0] above it",),
         tou({"hours": [0, 8], "period": "valley"}, {"hours": [0, 8], "period": "valley"}, {"period": "flat"})),
    Case("shadowed_by_two_rules", ("schedule[2] (period 'valley') never applies: schedule[0], schedule[1] above it",),
         tou({"hours": [0, 12], "period": "flat"}, {"hours": [12, 24], "period": "flat"},
             {"hours": [10, 14], "period": "valley"})),
    Case("catch_all_after_full_cover", ("schedule[2] (period 'flat') never applies",),
         tou({"days": "weekday", "period": "flat"}, {"days": "weekend", "period": "valley"}, {"period": "flat"})),
    Case("weekends_uncovered", ("grid.tariff: schedule: no rule covers months 1–12 on weekends, hours [0, 24)",),
         tou({"days": "weekday", "period": "flat"})),
    Case("second_half_uncovered", ("no rule covers months 7–12, hours [0, 24)",),
         tou({"months": [1, 2, 3, 4, 5, 6], "period": "flat"})),
    Case("night_uncovered", ("no rule covers months 1–12, hours [0, 8), [22, 24)",),
         tou({"hours": [8, 22], "period": "flat"})),
    Case("wrapping_rule_leaves_day", ("no rule covers months 1–12, hours [6, 22)",),
         tou({"hours": [22, 6], "period": "valley"})),
]

CROSS_FIELD = [
    Case("cap_with_net_zero", ("targets: max_emissions_t 40000 would be ignored: net_zero is true",),
         {"targets": {"max_emissions_t": 40000}}),
    Case("column_with_synthetic", ("load: column 'kw' applies to load.file only",), {"load": {"column": "kw"}}),
    Case("file_and_synthetic", ("load: give either load.file", "not both"),
         {"load": {"file": "load.csv", "column": "kw"}}, files={"load.csv": "kw\n1\n"}),
    Case("file_without_column", ("load: load.file needs load.column",),
         {"load": {"synthetic": DELETE, "file": "load.csv"}}, files={"load.csv": "kw\n1\n"}),
    Case("weather_file_source_without_file", ("weather: source 'file' needs weather.file",),
         {"weather": {"source": "file"}}),
    Case("weather_file_with_synthetic", ("weather: file", "is given but source is 'synthetic'"),
         {"weather": {"file": "tmy.csv"}}, files={"tmy.csv": "x\n"}),
    Case("timezone_typo", ("timezone: 'Asia/Shang_hai' is not a known IANA time zone",),
         {"timezone": "Asia/Shang_hai"}),
    Case("timezone_offset", ("timezone: 'UTC+8' is not a known IANA time zone",), {"timezone": "UTC+8"}),
    Case("green_profile_typo", ("green_power.profile:", "sollar' is neither 'flat', 'solar' nor an existing CSV file; "
                                "did you mean 'solar'?"), {"green_power": {"price_per_kwh": 0.6, "profile": "sollar"}}),
    Case("green_profile_missing_file", ("green_power.profile:", "shape.csv' is neither"),
         {"green_power": {"price_per_kwh": 0.6, "profile": "shape.csv"}}),
    Case("load_file_missing", ("load.file: file not found", "nowhere.csv"),
         {"load": {"synthetic": DELETE, "file": "nowhere.csv", "column": "kw"}}),
    Case("load_file_is_folder", ("load.file: file not found", "data"),
         {"load": {"synthetic": DELETE, "file": "data", "column": "kw"}}, files={"data/x": ""}),
    Case("production_file_missing", ("pv.arrays[roof_a].production_file: file not found",),
         {"pv": merged(PV, {"arrays": [{"name": "roof_a", "max_kw": 1, "production_file": "pv.csv"}]})}),
    Case("weather_file_missing", ("weather.file: file not found",), {"weather": {"source": "file", "file": "tmy.epw"}}),
]

YAML_TEXT = [
    Case("unclosed_flow_mapping", ("plant.yaml: not valid YAML at line",), text="name: x\nsite: {latitude: 1\n"),
    Case("tab_indentation", ("plant.yaml: not valid YAML at line 3",), text="name: x\nsite:\n\tlatitude: 1\n"),
    Case("key_twice", ("key 'name' appears twice in one mapping (first at line 1)",), text=BASE_YAML + "name: again\n"),
    Case("key_twice_nested", ("line 3", "key 'latitude' appears twice"),
         text="name: x\nsite:\n  latitude: 1\n  latitude: 2\n"),
    Case("python_object_apply", ("YAML tag '!!python/object/apply:os.system'", "not allowed"),
         text='!!python/object/apply:os.system ["echo hi"]\n'),
    Case("python_name_in_field", ("YAML tag '!!python/name:os.system' at line 1", "not allowed"),
         text="name: !!python/name:os.system\n"),
    Case("unknown_local_tag", ("YAML tag '!plant' at line 1", "not allowed"), text="name: !plant x\n"),
    Case("two_documents", ("not valid YAML at line", "expected a single document in the stream, but found another"),
         text=BASE_YAML + "---\nname: second\n"),
    Case("empty_file", ("plant.yaml: the file is empty",), text=""),
    Case("only_a_comment", ("plant.yaml: the file is empty",), text="# a plant, to be filled in\n"),
    Case("top_level_list", ("a scenario is a mapping of fields", "got list"), text="- name: x\n"),
    Case("top_level_text", ("a scenario is a mapping of fields", "got str 'name x'"), text="name x\n"),
    Case("unhashable_key", ("not valid YAML", "unhashable key"), text="? [a, b]\n: 1\n"),
    Case("bad_indentation", ("not valid YAML at line",), text="name: x\n  site: 1\n"),
    Case("anchor_missing", ("not valid YAML at line 1", "undefined alias"), text="name: *nothing\n"),
]

EXTENDS = [
    Case("extends_missing", ("plant.yaml: extends: 'base.yaml' not found",), {"extends": "base.yaml"}),
    Case("extends_itself", ("extends forms a cycle: plant.yaml -> plant.yaml",), {"extends": "plant.yaml"}),
    Case("extends_cycle_of_two", ("extends forms a cycle: plant.yaml -> a.yaml -> plant.yaml",),
         {"extends": "a.yaml"}, files={"a.yaml": "extends: plant.yaml\n"}),
    Case("extends_cycle_of_three", ("extends forms a cycle: plant.yaml -> a.yaml -> b.yaml -> plant.yaml",),
         {"extends": "a.yaml"}, files={"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: plant.yaml\n"}),
    Case("extends_list_file", ("base.yaml: a scenario is a mapping of fields", "got list"),
         {"extends": "base.yaml"}, files={"base.yaml": "- 1\n- 2\n"}),
    Case("extends_bad_yaml", ("base.yaml: not valid YAML at line 3", "expected the node content"),
         {"extends": "base.yaml"}, files={"base.yaml": "name: x\nsite: [1,\n"}),
    Case("extends_number", ("plant.yaml: extends: got 5", "give the path of one scenario file"), {"extends": 5}),
    Case("extends_empty_text", ("plant.yaml: extends: got ''",), {"extends": ""}),
    Case("extends_list", ("plant.yaml: extends: got ['a.yaml', 'b.yaml']",), {"extends": ["a.yaml", "b.yaml"]}),
    Case("extends_folder", ("plant.yaml: extends: 'bases' is a folder",), {"extends": "bases"}, files={"bases/x": ""}),
    Case("extends_python_tag", ("base.yaml: YAML tag '!!python/object/apply:os.system'",),
         {"extends": "base.yaml"}, files={"base.yaml": "name: !!python/object/apply:os.system [ls]\n"}),
    Case("extends_empty_file", ("base.yaml: the file is empty",), {"extends": "base.yaml"}, files={"base.yaml": ""}),
    Case("extends_chain_missing_grandparent", ("a.yaml: extends: 'gone.yaml' not found",),
         {"extends": "a.yaml"}, files={"a.yaml": "extends: gone.yaml\n"}),
    Case("extends_base_key_twice", ("base.yaml: not valid YAML at line 2", "key 'year' appears twice"),
         {"extends": "base.yaml"}, files={"base.yaml": "year: 2024\nyear: 2025\n"}),
    Case("extends_merge_breaks_type", ("plant.yaml: site: got 5",), {"extends": "base.yaml", "site": 5},
         files={"base.yaml": BASE_YAML}),
]

EXTENDS += [
    Case("extends_inherited_bad_value", ("plant.yaml: pv.capex_per_kw: got -5; input should be greater than or equal "
                                         "to 0 (set in base.yaml)",),
         text="extends: base.yaml\nname: child\n",
         files={"base.yaml": BASE_YAML + "pv: {capex_per_kw: -5, arrays: [{name: a, max_kw: 1}]}\n"}),
    Case("extends_child_breaks_a_base_rule", ("plant.yaml: storage: soc_min 0.9 must be below soc_max 0.5",),
         text="extends: base.yaml\nstorage: {soc_max: 0.5}\n",
         files={"base.yaml": BASE_YAML + "storage: {soc_min: 0.9}\n"}),
]

ALL = WRONG_TYPES + MISSING + UNKNOWN + OUT_OF_RANGE + TARIFFS + CROSS_FIELD + YAML_TEXT + EXTENDS


def validate(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"{type(result.exception).__name__}: {result.exception}"
    return result.exit_code, result.stdout, result.stderr


def error_lines(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines), stderr
    return [line.removeprefix("error: ") for line in lines]


def test_the_corpus_is_large_and_its_names_distinct():
    assert len(ALL) >= 150
    assert len({c.id for c in ALL}) == len(ALL)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_bad_scenario_exits_2_with_one_clear_line_per_problem(tmp_path, case):
    path = case.write(tmp_path)
    code, stdout, stderr = validate(path)
    assert code == 2, stdout + stderr
    assert stdout == ""
    lines = error_lines(stderr)
    files = ("plant.yaml", *case.files)
    named = [line for line in lines if line.startswith(tuple(f"{Path(f).name}: " for f in files))
             or line.startswith("scenario file")]
    assert named == lines, "every line names the scenario file it comes from"
    corpus.refused(corpus.fingerprint("scenario", path.read_bytes(), sorted(case.files.items())), lines, ": ",
                   *case.expect)


def test_missing_and_folder_scenario_paths(tmp_path):
    for path, words in ((tmp_path / "nowhere.yaml", "scenario file not found"), (tmp_path, "is a folder")):
        code, _, stderr = validate(path)
        assert code == 2
        corpus.refused(corpus.fingerprint("path", words), error_lines(stderr), "scenario file", words, str(path))


@pytest.mark.parametrize("content, words", [
    (b"name: caf\xe9\n", "not UTF-8 text (byte 0xe9 at offset 9)"),
    (bytes(range(256)), "not UTF-8 text"),
], ids=["latin1", "binary"])
def test_scenario_that_is_not_utf8(tmp_path, content, words):
    path = tmp_path / "plant.yaml"
    path.write_bytes(content)
    code, _, stderr = validate(path)
    assert code == 2
    corpus.refused(corpus.fingerprint("bytes", content), error_lines(stderr), "plant.yaml: ", words)


def test_a_real_process_exits_2_without_traceback(tmp_path):
    case = next(c for c in ALL if c.id == "extends_cycle_of_two")
    run = subprocess.run([sys.executable, "-m", "optimizer.cli", "validate", str(case.write(tmp_path))],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert all(line.startswith("error: ") for line in run.stderr.splitlines())
    assert case.expect[0] in run.stderr
