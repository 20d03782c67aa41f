"""What every number a user gives may be: one table of ranges by unit, for scenario fields and data files.

A field's unit is the end of its name (`annual_mwh`, `capex_per_kw`, `price_per_t`), so one rule covers
every field with that unit; the longest matching ending wins (`capex_per_kwh` before `per_kwh`, that
before `kwh`). A field with its own bound in the schema (`Field(le=...)`) keeps it: the table serves the
fields that have none. Data files name their unit when read (`kW` for a load file).

The bounds are generous but finite: far beyond any factory, yet small enough that the model's
coefficients stay where HiGHS computes reliably. Products that reach the objective stay near or below
1e15 (10,000 per kWh × 1e8 MWh; 1e8 per kW × 1e7 kW; 1e7 per t × 1e9 t), far from the 1e20 HiGHS
takes for infinity. Money bounds allow for currencies of small units (about 25,000 dong to the dollar):
they are thousands of times real prices in yuan, euros or dollars.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import annotated_types
from pydantic.fields import FieldInfo

from models.errors import short_repr

Problem = tuple[tuple[str | int, ...], str]  # where inside a field (keys, list positions), what is wrong


@dataclass(frozen=True)
class Range:
    """The values a quantity may take: `low` to `high` in `unit`; `why` says what `high` means."""

    high: float
    unit: str
    why: str
    low: float = 0.0
    by_section: bool = False  # the section's own check enforces it, in its own words

    def problem(self, value: float) -> str | None:
        """Why `value` is refused, or None if it lies in range."""
        unit = f" {self.unit}" if self.unit else ""
        if value > self.high:
            return f"got {shown(value)}; at most {shown(self.high)}{unit} ({self.why})"
        if value < self.low:
            return f"got {shown(value)}; at least {shown(self.low)}{unit}"
        return None


_MONEY = "in any currency, yuan to dong"
RANGES: dict[str, Range] = {  # by the end of a field's name, after an underscore (or the whole name)
    "kw": Range(1e7, "kW", "10 GW, more than the largest plants draw"),
    "kw_th": Range(1e7, "kW_th", "10 GW of heat, more than the largest plants use"),
    "kwh": Range(1e8, "kWh", "100 GWh, more than the largest storage plants hold"),
    "kwh_th": Range(1e8, "kWh_th", "100 GWh of heat, more than the largest heat stores hold"),
    "mwh": Range(1e8, "MWh", "100 TWh a year, more than any single plant uses"),
    "m2": Range(1e8, "m²", "100 km², larger than any factory site"),
    "t": Range(1e9, "t", "a gigatonne a year, more than any single plant emits", low=-1e9),
    "t_per_mwh": Range(5.0, "t/MWh", "over ten times the factor of coal, 0.34 t/MWh"),
    "per_kwh": Range(1e4, "currency/kWh", f"above any energy price {_MONEY}"),
    "per_mwh": Range(1e7, "currency/MWh", f"above any fuel or certificate price {_MONEY}"),
    "per_t": Range(1e7, "currency/t", f"above any carbon price {_MONEY}"),
    "per_kw": Range(1e8, "currency/kW", f"above any installed cost {_MONEY}"),
    "per_kw_th": Range(1e8, "currency/kW_th", f"above any installed cost {_MONEY}"),
    "capex_per_kwh": Range(1e7, "currency/kWh", f"above any storage cost {_MONEY}"),
    "per_kwh_th": Range(1e7, "currency/kWh_th", f"above any storage cost {_MONEY}"),
    "per_kw_year": Range(1e7, "currency/kW·year", f"above any upkeep {_MONEY}"),
    "per_kw_th_year": Range(1e7, "currency/kW_th·year", f"above any upkeep {_MONEY}"),
    "per_kwh_th_year": Range(1e6, "currency/kWh_th·year", f"above any upkeep {_MONEY}"),
    "per_kw_month": Range(1e6, "currency/kW·month", f"above any demand charge {_MONEY}"),
    "capex": Range(1e14, "currency", f"a hundred trillion, more than any plant's investment {_MONEY}"),
    "fixed_cost": Range(1e14, "currency", f"a hundred trillion, more than any plant's investment {_MONEY}"),
    "s": Range(1e6, "s", "11.6 days, longer than any solve needs"),
    "seed": Range(2**32 - 1, "", "seeds are 32-bit numbers"),
    "clear_sky_index": Range(1.0, "", "the sky at its clearest", by_section=True),
}
LARGEST = max(r.high for r in RANGES.values())  # no number in a scenario is larger
ANY_VALUE = Range(LARGEST, "", "larger than any quantity zcf reads", low=-LARGEST)
RANGES["paths"] = Range(LARGEST, "", "each value is also checked as the field it sets, in every model year",
                        low=-LARGEST)
DATA_UNITS = {"kW": "kw"}  # the unit a data file's column is read in -> its entry of RANGES


def rule_for(name: str) -> tuple[str, Range] | None:
    """The entry of RANGES for a field called `name`: its whole name, or the longest ending after an `_`."""
    hits = [key for key in RANGES if name == key or name.endswith(f"_{key}")]
    return (key := max(hits, key=len), RANGES[key]) if hits else None


def data_range(unit: str | None) -> Range:
    """The range of a data file's values read in `unit` (any number zcf reads, for units not listed)."""
    key = DATA_UNITS.get(unit or "")
    return RANGES[key] if key else ANY_VALUE


def shown(value: float) -> str:
    """A number as an error line shows it: 1e+250, 0.5, 12."""
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)
    try:
        return f"{float(value):g}"
    except OverflowError:
        return short_repr(value, 30)


# --- which fields have a bound of their own -----------------------------------------------------

@dataclass(frozen=True)
class FieldRange:
    """How a numeric field is bounded: by its own Field(ge/le), by the table, or by neither."""

    own_low: float | None  # the schema's own lower bound (ge/gt), if every number of the field has one
    own_high: float | None  # likewise the upper bound (le/lt)
    rule: str | None  # the entry of RANGES that applies, if any
    range: Range | None  # what the validator checks: the rule's range, or ANY_VALUE (None: own bounds do)

    @property
    def high(self) -> float:
        """The largest value allowed, from whichever bound applies."""
        if self.own_high is not None:
            return self.own_high
        return self.range.high if self.range is not None else math.inf


def field_range(field: FieldInfo, name: str) -> FieldRange | None:
    """How the field `name` is bounded; None if it holds no numbers."""
    leaves = list(_numeric_leaves(field.annotation, tuple(field.metadata)))
    if not leaves:
        return None
    lows = [_bound(c, (annotated_types.Ge, "ge"), (annotated_types.Gt, "gt")) for c in leaves]
    highs = [_bound(c, (annotated_types.Le, "le"), (annotated_types.Lt, "lt")) for c in leaves]
    own_low = min(lows) if None not in lows else None
    own_high = max(highs) if None not in highs else None
    hit = rule_for(name)
    if own_high is not None and (hit is None or not hit[1].by_section):
        return FieldRange(own_low, own_high, None, None)
    if hit is None:
        return FieldRange(own_low, None, None, ANY_VALUE)
    return FieldRange(own_low, own_high, hit[0], hit[1])


def value_problems(bounds: FieldRange, value: Any, at: tuple[str | int, ...] = ()) -> Iterator[Problem]:
    """Each number in `value` (a number, or lists and mappings of them) outside `bounds`' table range."""
    rng = bounds.range
    if rng is None or rng.by_section or isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if value > rng.high or (bounds.own_low is None and value < rng.low):
            yield at, str(rng.problem(value))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from value_problems(bounds, item, (*at, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from value_problems(bounds, item, (*at, key))


def _numeric_leaves(annotation: Any, found: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The constraints on each number a value of `annotation` may hold (ints and floats, not bools).

    Constraints on a list or mapping bound its length, not its items: they stop at the container.
    """
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        extra = [m for meta in args[1:] for m in (meta.metadata if isinstance(meta, FieldInfo) else [meta])]
        yield from _numeric_leaves(args[0], (*found, *extra))
    elif origin is typing.Union or isinstance(annotation, types.UnionType):
        for arg in args:
            yield from _numeric_leaves(arg, found)
    elif origin in (list, tuple, dict, set, frozenset):
        for arg in args:
            if arg is not Ellipsis:
                yield from _numeric_leaves(arg, ())
    elif annotation in (int, float):
        yield found


def _bound(constraints: tuple[Any, ...], *kinds: tuple[type, str]) -> float | None:
    values = [getattr(c, attr) for c in constraints for kind, attr in kinds if isinstance(c, kind)]
    return values[0] if values else None
