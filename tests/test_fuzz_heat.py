"""Property tests on a plant with heat and measures, as `tests/test_fuzz_scenario.py` does on the demo:
random damage must end in a valid scenario or an InputError whose lines name the place; never
another exception.

Checks across sections (a measure's saving against its demand's annual_mwh, the boiler's fuel
against the fuels) report at one of the two fields and name the other in the text, so here a line
also counts when it names the changed place anywhere, not only at its start.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from models.errors import InputError
from models.scenario.loading import validate
from tests import corpus
from tests.bad_scenario_helpers import BASE, merged
from tests.test_fuzz_scenario import WRONG, at, dotted, kind, named, nodes
from tests.test_heat_scenario import HEAT_PUMP, LIGHTS, PLANT, RECOVERY, STORE

RAW = merged(merged(BASE, PLANT), {
    "heat": {"heat_pump": HEAT_PUMP, "electric_heater": {"capex_per_kw_th": 600}, "thermal_storage": STORE},
    "measures": [RECOVERY, {**LIGHTS, "fuel_saved_mwh": {"diesel": 40}}],
})
NODES = nodes(RAW)
KEYS = [p for p, _ in NODES if isinstance(p[-1], str)]
NUMBERS = [p for p, v in NODES if isinstance(v, int | float) and not isinstance(v, bool)]
FREE = {"heat_saved_mwh", "fuel_saved_mwh", "prices_per_kwh"}  # mappings keyed by the user's own names
SECTIONS = [(), *(p for p, v in NODES if isinstance(v, dict) and p[-1] not in FREE)]


def mentioned(lines: list[str], path: tuple, raw: Any) -> bool:
    """Some line is located at `path` (or a section holding it), or names the place in its text."""
    if named(lines, path, raw):
        return True
    for depth in range(len(path), 0, -1):
        place = re.escape(dotted(path[:depth], raw))
        if any(re.search(rf"(?<![\w.\[]){place}(?![\w])", line) for line in lines):
            return True
    return False


def check(raw: dict[str, Any], path: tuple, label: str) -> list[str] | None:
    try:
        validate(raw, where="plant.yaml")
        return None
    except InputError as exc:
        lines = exc.problems
    assert all(line.startswith("plant.yaml: ") and "\n" not in line for line in lines), lines
    assert mentioned(lines, path, raw), f"{label} at {path} not named in {lines}"
    corpus.refused(corpus.fingerprint("heat mutation", repr(sorted(raw.items(), key=str))), lines, "plant.yaml: ",
                   generated=True)
    return lines


def test_the_plant_is_valid():
    assert check(copy.deepcopy(RAW), (), "unchanged") is None


@given(st.sampled_from(KEYS))
def test_deleting_a_field(path):
    raw = copy.deepcopy(RAW)
    del at(raw, path[:-1])[path[-1]]
    check(raw, path, "deleted")


@given(st.sampled_from([p for p, _ in NODES]), WRONG)
def test_a_value_of_the_wrong_type(path, value):
    raw = copy.deepcopy(RAW)
    if kind(value) == kind(at(raw, path)):
        value = [value]
    at(raw, path[:-1])[path[-1]] = value
    check(raw, path, f"replaced by {value!r}")


@given(st.sampled_from(NUMBERS), st.one_of(
    st.sampled_from([-1, -1e-9, 0, 1.0000001, 25, 100, 361, 1e9, -1e9, float("nan"), float("inf")]),
    st.floats(allow_nan=True, allow_infinity=True)))
def test_a_number_pushed_out_of_range(path, value):
    raw = copy.deepcopy(RAW)
    at(raw, path[:-1])[path[-1]] = value
    check(raw, path, f"set to {value!r}")


@given(st.sampled_from(SECTIONS), st.from_regex(r"[a-z_][a-z0-9_]{0,15}", fullmatch=True), WRONG)
def test_an_unknown_key(path, key, value):
    raw = copy.deepcopy(RAW)
    section = at(raw, path)
    if key in section:
        key += "_x"
    section[key] = value
    lines = check(raw, (*path, key), "unknown key")
    assert lines is not None and any(f"{dotted((*path, key), raw)}: unknown field" in line for line in lines)


@given(st.sampled_from([("heat", "demands", 0, "name"), ("fuels", 0, "name"), ("fuels", 1, "name"),
                        ("heat", "boiler", "fuel")]), st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True))
def test_a_renamed_demand_or_fuel(path, name):
    """A demand or fuel renamed under the measures and the boiler that refer to it."""
    raw = copy.deepcopy(RAW)
    at(raw, path[:-1])[path[-1]] = name
    check(raw, path[:-1], f"renamed to {name!r}")
