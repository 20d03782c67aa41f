"""What an asset is, and the pieces every asset shares.

An asset is one home for one part of the plant's energy system: the Params it declares from
`Inputs` (`data`), what decides the model's shape (`structure`), its variables, constraints and
cost terms (`add`), the figures it gives the plan (`figures`), its cost with no decision taken
(`bau_costs`), the limits it can name when a target is out of reach (`limits`) and the words a
person reads (`cost_labels`, `decisions`). The registry (`optimizer.model.registry`) lists the
assets in order; everything else is derived from it.

Every number taken from `Inputs` enters through a mutable Param, so a model can be re-solved in
place when only values change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from math import inf
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyomo.environ as pyo

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs

NON_NEG = pyo.NonNegativeReals

# A data function's values: a number (scalar Param), an array over time steps (indexed by T),
# a mapping array name -> number (indexed by A) or array name -> array (indexed by A × T).
Values = dict[str, float | np.ndarray | dict]


@dataclass
class Ledger:
    """The flows each asset adds to the energy balance (kW), the cost terms it adds to the objective and
    the scope 1 its decisions change.

    `round_down` names integer variables that relax-and-fix rounds down rather than up: rounding a
    build decision up keeps a plan feasible; rounding a choice to sell down does.
    """

    supply: list = field(default_factory=list)
    demand: list = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    round_down: list[str] = field(default_factory=list)
    scope1: list = field(default_factory=list)  # scope 1 an asset's decisions change (tCO2e/yr): fuel burnt or saved


@dataclass(frozen=True)
class Decision:
    """A figure of the plan a person reads, in the report, on the page and in study tables.

    `key` is its summary key (for `per_item`, a mapping item name -> value, one row each:
    "PV on <roof>"); `short` names it in table headers and chart axes; a "flow" is what the plan
    makes happen (grid import, export), not something it builds or buys; only decisions that are
    not `per_item` are study columns.
    """

    key: str
    label: str
    unit: str
    short: str
    kind: str = "decision"  # or "flow"
    yearly: bool = False  # a volume per year: "MWh/yr" on the page
    per_item: bool = False
    strong: bool = False  # a headline figure, in bold on the page
    absent: str = "–"  # what the page shows for an item a scenario does not have ("not a roof here")


@dataclass(frozen=True)
class EmissionStep:
    """An asset's step on the way from business-as-usual emissions to net, read from a summary.

    `kind` places it: "cut" (electricity no longer taken from the grid), "added" (electricity the
    asset adds to what is taken from the grid), "instrument" (certificates and credits covering
    what is still emitted). Steps are shown by kind in that order, then in registry order.
    """

    label: str
    kind: str
    change_t: Callable[[Mapping[str, Any], float], float]  # (summary, grid factor t/MWh) -> tCO2e, negative = cut
    shown: Callable[[Mapping[str, Any]], bool] | None = None  # whether a summary has it (None: every summary)


STEP_KINDS = ("cut", "added", "instrument")


@dataclass(frozen=True)
class Limit:
    """A limit a plan can run into: what it caps, where the user sets it, and how to lift it."""

    what: str  # "PV array 'roof' is at its roof limit"
    field: str  # where the scenario sets it
    unit: str
    value: float  # its value, in the field's unit
    lifted: float  # a value far beyond anything the plan could use
    set_to: Callable[[Inputs, float], Inputs]  # the inputs with this limit at another value
    quantity: Callable[[pyo.ConcreteModel], Any]  # what it caps, in the field's unit (share: see scale)
    scale: float = 1.0  # field value = quantity / scale


@dataclass(frozen=True)
class Size:
    """A capacity the plant builds once and pays for over its life; a roadmap builds it year by year.

    In one year the model prices it with an annuity (the asset's `capital_cost` item); a roadmap
    pays `capex` in the year it is built and `om_per_year` in every year it serves.
    """

    var: str  # its variable on the model ("pv_kw", "storage_kwh")
    item: str | None  # the variable's index (a PV array's name); None for a scalar variable
    capex: float  # per unit (kWp, kWh, kW)
    om_per_year: float  # fixed O&M per unit and year
    lifetime_years: int
    group: str  # sizes built together share one fixed cost: "storage", "pv:<array>"
    fixed_cost: float = 0.0  # paid once per build of the group, whatever its size
    built: str | None = None  # the binary of the group's fixed cost in one year's model, if any
    crf: float | None = None  # the annuity factor one year's model prices it with (None: from the life)


class Asset:
    """One part of the plant's energy system. Every hook may be left as it is: an asset adds
    nothing it does not define."""

    name: ClassVar[str] = ""
    section: ClassVar[str | None] = None  # the scenario section offering a way to cut or offset emissions
    inputs_field: ClassVar[str | None] = None  # its optional section of `Inputs` (None: always present)
    cost_labels: ClassVar[dict[str, str]] = {}  # cost item (a `cost_<item>` expression) -> words
    decisions: ClassVar[tuple[Decision, ...]] = ()  # what the plan decides, in the order people read it
    step: ClassVar[EmissionStep | None] = None  # its step in the emissions waterfall, if it has one
    more_steps: ClassVar[tuple[EmissionStep, ...]] = ()  # further steps (heat: fuel cut, electricity added)
    colors: ClassVar[dict[str, str]] = {}  # colour of each of its labels (cost items, measure, flows) in charts
    supplies: ClassVar[tuple[str, ...]] = ()  # its columns of the hourly table that supply the balance
    demands: ClassVar[tuple[str, ...]] = ()  # its columns that the balance supplies
    intake: ClassVar[tuple[str, ...]] = ()  # its columns of electricity the plant takes in (not stored and returned)
    renewable: ClassVar[tuple[str, ...]] = ()  # those of its intake columns that are renewable electricity
    # Its columns that change what the plant itself uses beyond the load (+1 adds, −1 saves): the
    # electricity for heat, what measures save. Storage and export are not the plant's use.
    own_use: ClassVar[dict[str, float]] = {}
    capital_cost: ClassVar[str | None] = None  # its cost item of annualised investment and fixed O&M (`sizes`)

    def present(self, inp: Inputs) -> bool:
        """Whether the scenario has this asset at all: its section of `Inputs` is given (`inputs_field`)."""
        return self.inputs_field is None or getattr(inp, self.inputs_field) is not None

    def data(self, inp: Inputs) -> Values:
        """The Params this asset declares, by name, with their values from `inp` (only asked of a present asset)."""
        return {}

    def structure(self, inp: Inputs) -> Hashable:
        """What of `inp` decides this asset's part of the model's shape (not its values)."""
        return self.present(inp)

    def add(self, m: pyo.ConcreteModel, inp: Inputs, ledger: Ledger) -> None:
        """Declare its Params, variables, constraints and cost terms on `m`; its flows go to `ledger`
        (only asked of a present asset)."""

    def flows(self, m: pyo.ConcreteModel, inp: Inputs, series: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
        """Its columns of the hourly table, on every step of the year (`inp.on_calendar`);
        `series(name)` reads a solved component over the model's steps (zeros if it has none)."""
        return {}

    def figures(self, m: pyo.ConcreteModel, inp: Inputs, hourly: pd.DataFrame) -> dict[str, Any]:
        """The figures it gives the plan's summary, from the solved model."""
        return {}

    def bau_costs(self, inp: Inputs) -> dict[str, float]:
        """Its cost items when the plant takes no measure (every kWh from the grid; only asked of a present asset)."""
        return {}

    def sizes(self, inp: Inputs) -> list[Size]:
        """What it builds, priced in `capital_cost` (only asked of a present asset)."""
        return []

    def limits(self, inp: Inputs) -> list[Limit]:
        """The limits in `inp` that a target can run into, for the explanation of an infeasible target."""
        return []


def declare(m: pyo.ConcreteModel, values: Values, items: pyo.Set | None = None) -> None:
    """One mutable Param per entry, indexed as its value's shape says (see `Values`); a mapping's
    keys index `items` (PV arrays, `m.A`, unless told otherwise: heat demands, measures)."""
    items = m.A if items is None else items
    for name, value in values.items():
        sets, entries = entries_of(value)
        indexes = {"T": (m.T,), "A": (items,), "AT": (items, m.T), "": ()}[sets]
        init = entries[None] if sets == "" else entries
        m.add_component(name, pyo.Param(*indexes, mutable=True, initialize=init))


def set_param(param: pyo.Param, value: float | np.ndarray | dict) -> bool:
    """Give `param` the values of `value` (shaped as in `declare`); True if any changed."""
    _, new = entries_of(value)
    old = param.extract_values()
    diff = {k: v for k, v in new.items() if old[k] != v}
    if diff:
        param.store_values(diff)
    return bool(diff)


def entries_of(value: float | np.ndarray | dict) -> tuple[str, dict]:
    """The sets a value is indexed by ('T', 'A', 'AT' or '' for a scalar) and its entries by index."""
    if isinstance(value, np.ndarray):
        return "T", dict(enumerate(value.tolist()))
    if isinstance(value, dict) and any(isinstance(v, np.ndarray) for v in value.values()):
        return "AT", {(a, t): x for a, arr in value.items() for t, x in enumerate(np.asarray(arr).tolist())}
    if isinstance(value, dict):
        return "A", {a: float(x) for a, x in value.items()}
    return "", {None: float(value)}


def cap(value: float | None) -> float:
    """An optional upper limit as a number: no limit is +inf (Pyomo reads it as no bound)."""
    return inf if value is None else float(value)


def lifetime_of(years: int | None) -> int:
    """An asset's lifetime, which assembled inputs always carry (inputs built by hand may leave it out)."""
    if years is None:
        raise ValueError("a roadmap needs each asset's lifetime_years; inputs built by hand must set it")
    return years


def weighted(m: pyo.ConcreteModel, t: int, term):
    """A step's term counted for every day of the year it stands for (typical days), else once."""
    weight = m.component("weight_days")
    return term if weight is None else weight[t] * term


def value_of(m: pyo.ConcreteModel, name: str, default: float = 0.0) -> float:
    """A solved scalar component's value, or `default` when the model has no such component."""
    comp = m.component(name)
    return float(pyo.value(comp)) if comp is not None else default
