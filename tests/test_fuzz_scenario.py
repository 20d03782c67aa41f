"""Property tests: random damage to the demo scenario, to scenario text and to a meter CSV must end
in a valid result or an InputError whose lines name the place; never another exception.

The budget comes from the hypothesis profile (`tests/conftest.py`): small by default, large under
`make fuzz`.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from models.data.load_profile import read_load_csv
from models.data.timeindex import model_year_index
from models.errors import InputError
from models.scenario.loading import dotted_location, load_scenario, read_raw, validate
from models.scenario.schema import Scenario
from tests import corpus

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEMO = read_raw(SCENARIOS / "demo.yaml")
DEMO_TEXT = (SCENARIOS / "demo.yaml").read_text(encoding="utf-8")
FREE_MAPPINGS = {("grid", "tariff", "prices_per_kwh")}  # keys are the user's own names, not fields
FREE_LAST = {"heat_saved_mwh"}  # keyed by heat demand (tests/test_heat_scenario.py checks an unknown one)


def nodes(node: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """(path, value) of every mapping entry and list item under `node`."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    out = []
    for key, value in items:
        out.append(((*path, key), value))
        out += nodes(value, (*path, key))
    return out


NODES = nodes(DEMO)
KEYS = [p for p, _ in NODES if isinstance(p[-1], str)]
NUMBERS = [p for p, v in NODES if isinstance(v, int | float) and not isinstance(v, bool)]
SECTIONS = [(), *(p for p, v in NODES if isinstance(v, dict) and p not in FREE_MAPPINGS and p[-1] not in FREE_LAST)]


def at(raw: Any, path: tuple) -> Any:
    for part in path:
        raw = raw[part]
    return raw


def dotted(path: tuple, raw: Any) -> str:
    """The place as error lines write it: `pv.arrays[body_shop].tilt_deg`."""
    return dotted_location(list(path), raw)


def named(lines: list[str], path: tuple, raw: Any) -> bool:
    """Some line is located at `path`, or at a section holding it and speaks of the changed part."""
    for depth in range(len(path), 0, -1):
        place = dotted(path[:depth], raw)
        rest = path[depth:]
        clues = [p for p in rest if isinstance(p, str)][-1:] + [f"[{p}]" for p in rest if isinstance(p, int)]
        for line in lines:
            body = line.removeprefix("demo.yaml: ")
            if re.match(re.escape(place) + r"[:.\[]", body) and (not rest or any(c in body for c in clues)):
                return True
    return False


def check(raw: dict[str, Any], path: tuple, label: str) -> Scenario | list[str]:
    """Validate; an InputError must name `path`, anything else than InputError fails the test."""
    try:
        return validate(raw, where="demo.yaml")
    except InputError as exc:
        lines = exc.problems
    assert all(line.startswith("demo.yaml: ") and "\n" not in line for line in lines), lines
    assert named(lines, path, raw), f"{label} at {path} not named in {lines}"
    corpus.refused(corpus.fingerprint("mutation", repr(sorted(raw.items(), key=str))), lines, "demo.yaml: ",
                   generated=True)
    return lines


WRONG = st.one_of(st.text(max_size=12), st.booleans(), st.none(), st.integers(-10**6, 10**6),
                  st.floats(allow_nan=True, allow_infinity=True), st.lists(st.integers(), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def kind(value: Any) -> str:
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else type(value).__name__


@given(st.sampled_from(KEYS))
def test_deleting_a_field(path):
    raw = copy.deepcopy(DEMO)
    del at(raw, path[:-1])[path[-1]]
    check(raw, path, "deleted")


@given(st.sampled_from([p for p, _ in NODES]), WRONG)
def test_a_value_of_the_wrong_type(path, value):
    raw = copy.deepcopy(DEMO)
    if kind(value) == kind(at(raw, path)):
        value = [value]
    at(raw, path[:-1])[path[-1]] = value
    check(raw, path, f"replaced by {value!r}")


@given(st.sampled_from(NUMBERS), st.one_of(
    st.sampled_from([-1, -1e-9, 0, 1.0000001, 25, 100, 361, 1e9, -1e9, float("nan"), float("inf"), -float("inf")]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12)))
def test_a_number_pushed_out_of_range(path, value):
    raw = copy.deepcopy(DEMO)
    at(raw, path[:-1])[path[-1]] = value
    result = check(raw, path, f"set to {value!r}")
    if not np.isfinite(value):
        assert isinstance(result, list), f"{value!r} at {path} accepted"


@given(st.sampled_from(SECTIONS), st.from_regex(r"[a-z_][a-z0-9_]{0,15}", fullmatch=True), WRONG)
def test_an_unknown_key(path, key, value):
    raw = copy.deepcopy(DEMO)
    section = at(raw, path)
    if key in section:
        key += "_x"
    section[key] = value
    lines = check(raw, (*path, key), "unknown key")
    assert isinstance(lines, list) and any(f"{dotted((*path, key), raw)}: unknown field" in line for line in lines)


@given(st.integers(0, len(DEMO_TEXT)), st.integers(0, 40), st.text(max_size=8))
@example(position=0, cut=0, insert="tuple[")  # a key that looks like a pydantic union tag
def test_damaged_scenario_text(position, cut, insert):
    """Characters removed and inserted anywhere: YAML errors, schema errors or a valid scenario."""
    text = DEMO_TEXT[:position] + insert + DEMO_TEXT[position + cut:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plant.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_scenario(path)
        except InputError as exc:
            corpus.refused(corpus.fingerprint("text", text), exc.problems, "plant.yaml: ", generated=True)


WEEK = model_year_index(2025, "Asia/Shanghai")[:168]
GOOD_ROWS = [f"{t:%Y-%m-%d %H:%M},{v:g}" for t, v in zip(pd.date_range("2025-01-01", periods=168, freq="h"),
                                                           np.arange(168) % 24 * 10.0 + 5, strict=True)]
NUMBER = re.compile(r"\s*\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)


@given(st.data())
def test_damaged_meter_csv(data):
    """Cells, rows and bytes damaged: the reader refuses with the file named, or reads 168 sane values."""
    rows = list(GOOD_ROWS)
    damage = data.draw(st.sampled_from(["cell", "stamp", "drop", "repeat", "swap", "cut", "bytes"]))
    timezone = data.draw(st.sampled_from([None, "Asia/Shanghai", "Europe/Berlin"]))
    row = data.draw(st.integers(0, len(rows) - 1))
    sure_bad = False
    if damage == "cell":
        cell = data.draw(st.one_of(st.text(max_size=10), st.sampled_from(
            ["", "NaN", "N/A", "-1", "1,5", "inf", "1e400", "12 kW", "0x1F", "١", "-0.0001"])))
        rows[row] = rows[row].split(",")[0] + "," + cell
        sure_bad = not NUMBER.fullmatch(cell) or "\n" in cell or "\r" in cell
    elif damage == "stamp":
        stamp = data.draw(st.one_of(st.datetimes().map(lambda t: f"{t:%Y-%m-%d %H:%M}"), st.text(max_size=16)))
        rows[row] = stamp + "," + rows[row].split(",")[1]
        same = pd.to_datetime(stamp.strip(), errors="coerce", format="ISO8601") == pd.Timestamp(GOOD_ROWS[row][:16])
        sure_bad = not same  # the row's hour is now missing
    elif damage == "drop":
        del rows[row]
        sure_bad = True
    elif damage == "repeat":
        rows.insert(row, rows[row])
        sure_bad = True
    elif damage == "swap":
        other = data.draw(st.integers(0, len(rows) - 1))
        rows[row], rows[other] = rows[other], rows[row]
    content = ("time,kw\n" + "\n".join(rows) + "\n").encode()
    if damage == "cut":
        content = content[: data.draw(st.integers(0, len(content)))]
    elif damage == "bytes":
        at_byte = data.draw(st.integers(0, len(content)))
        content = content[:at_byte] + data.draw(st.binary(min_size=1, max_size=6)) + content[at_byte:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(content)
        try:
            kw, notes = read_load_csv(path, "kw", WEEK, None, timezone)
        except InputError as exc:
            corpus.refused(corpus.fingerprint("csv", content), exc.problems, "load.file 'fuzz.csv'", generated=True)
            return
    assert not sure_bad, f"{damage} at row {row + 1} accepted: {notes}"
    assert len(kw) == len(WEEK) and np.isfinite(kw).all() and (kw >= 0).all()
