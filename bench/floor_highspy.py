"""The floor: zcf's problem (`optimizer/model/`, one module per asset) written straight into highspy.

Every block of rows is built with numpy over all time steps at once and the whole model goes to
HiGHS in one `passModel` call, so the time spent here is the least any modelling layer can
spend. Columns and rows carry the Pyomo model's units (kW flows, kWh state of charge, MWh yearly
totals, tCO2e, currency), so HiGHS sees the same numerics.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from math import floor

import highspy
import numpy as np
import scipy.sparse as sp

from bench.highs_status import has_solution, set_options, status_word
from models.inputs import Inputs
from optimizer.model.export import selling_steps

_INF = np.inf


@dataclass
class _Columns:
    """Columns added block by block: cost, bounds, integrality; `ranges` names each block."""

    cost: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    integer: list[np.ndarray] = field(default_factory=list)
    ranges: dict[str, range] = field(default_factory=dict)
    count: int = 0

    def add(self, name: str, n: int, cost: float | np.ndarray = 0.0, upper: float | np.ndarray | None = None,
            integer: bool = False) -> np.ndarray:
        """Indices of `n` new columns, bounded below by 0 and above by `upper` (None: no bound)."""
        idx = np.arange(self.count, self.count + n)
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=float), (n,)))
        self.lower.append(np.zeros(n))
        self.upper.append(np.broadcast_to(np.asarray(_INF if upper is None else upper, dtype=float), (n,)))
        if integer:
            self.integer.append(idx)
        self.ranges[name] = range(self.count, self.count + n)
        self.count += n
        return idx


@dataclass
class _Rows:
    """Rows added block by block; a block is a list of (column, coefficient) terms, one per row."""

    rows: list[np.ndarray] = field(default_factory=list)
    cols: list[np.ndarray] = field(default_factory=list)
    vals: list[np.ndarray] = field(default_factory=list)
    lower: list[np.ndarray] = field(default_factory=list)
    upper: list[np.ndarray] = field(default_factory=list)
    ranges: dict[str, range] = field(default_factory=dict)
    count: int = 0

    def add(self, name: str, n: int, terms: list[tuple[np.ndarray | int, float | np.ndarray]],
            lower: float | np.ndarray = -_INF, upper: float | np.ndarray = _INF) -> None:
        """`n` rows lower ≤ Σ coefficient · column ≤ upper; columns and coefficients broadcast to `n`."""
        row = np.arange(self.count, self.count + n)
        for cols, coefs in terms:
            self.rows.append(row)
            self.cols.append(np.broadcast_to(np.asarray(cols), (n,)))
            self.vals.append(np.broadcast_to(np.asarray(coefs, dtype=float), (n,)))
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (n,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (n,)))
        self.ranges[name] = range(self.count, self.count + n)
        self.count += n

    def add_sum(self, name: str, terms: list[tuple[np.ndarray | int, float | np.ndarray]],
                lower: float = -_INF, upper: float = _INF) -> None:
        """One row lower ≤ Σ coefficient · column ≤ upper over every column of every term."""
        for cols, coefs in terms:
            cols = np.atleast_1d(np.asarray(cols))
            self.rows.append(np.full(cols.size, self.count))
            self.cols.append(cols)
            self.vals.append(np.broadcast_to(np.asarray(coefs, dtype=float), (cols.size,)))
        self.lower.append(np.array([lower], dtype=float))
        self.upper.append(np.array([upper], dtype=float))
        self.ranges[name] = range(self.count, self.count + 1)
        self.count += 1


_Terms = list[tuple[np.ndarray | int, float | np.ndarray]]


@dataclass
class FloorModel:
    """A model passed to HiGHS, where its columns and rows lie, and what building it took."""

    highs: highspy.Highs
    columns: dict[str, range]
    rows: dict[str, range]
    build_seconds: float  # numpy/scipy assembly of the arrays
    handoff_seconds: float  # the passModel call

    def value(self, name: str) -> np.ndarray:
        """The solution's values of the column block `name`."""
        r = self.columns[name]
        return np.asarray(self.highs.getSolution().col_value)[r.start:r.stop]


def assemble_lp(inp: Inputs, relax_integers: bool = False) -> tuple[highspy.HighsLp, dict[str, range],
                                                                      dict[str, range]]:
    """The complete model of `inp` as one `HighsLp` (integrality included unless relaxed), with
    its column and row blocks under the names the Pyomo model gives them. The floor writes the
    electricity problem of a whole year of steps: no heat, no efficiency measures, no typical days."""
    if inp.heat is not None or inp.measures or inp.typical_days is not None:
        raise NotImplementedError("the floor does not model heat, efficiency measures or typical days; "
                                  "the peer (bench.peer_linopy) does")
    n = len(inp.load_kw)
    step_h = float(inp.step_h)
    cols, rows = _Columns(), _Rows()

    grid_kw = cols.add("grid_import_kw", n, cost=step_h * np.asarray(inp.price_per_kwh, dtype=float))
    grid_mwh = cols.add("grid_import_mwh", 1)
    rows.add_sum("grid_import_total", [(grid_mwh, 1.0), (grid_kw, -step_h / 1000.0)], 0.0, 0.0)
    supply: _Terms = [(grid_kw, 1.0)]
    demand: _Terms = []
    _add_pv(inp, cols, rows, n, step_h, supply)
    _add_storage(inp, cols, rows, n, step_h, supply, demand)
    green_used = _add_green_power(inp, cols, rows, n, step_h)
    if green_used is not None:
        supply.append((green_used, 1.0))
    _add_export(inp, cols, rows, n, step_h, grid_kw, green_used, demand)
    _add_demand_charge(inp, cols, rows, grid_kw, green_used)
    certificates = _add_certificates(inp, cols, rows, grid_mwh)
    credits = _add_credits(inp, cols, rows)
    _add_target(inp, rows, grid_mwh, certificates, credits)
    load_kw = np.asarray(inp.load_kw, dtype=float)
    rows.add("balance", n, supply + [(c, -np.asarray(v, dtype=float)) for c, v in demand], load_kw, load_kw)
    return _to_highs_lp(inp, cols, rows, relax_integers), dict(cols.ranges), dict(rows.ranges)


def _add_pv(inp: Inputs, cols: _Columns, rows: _Rows, n: int, step_h: float, supply: _Terms) -> None:
    """Arrays up to their roof limit, build binaries where a fixed cost is paid, curtailable output."""
    pv = inp.pv
    if pv is None:
        return
    limit_kw = np.array([a.limit_kw for a in pv.arrays], dtype=float)
    fixed_cost = np.array([a.fixed_cost for a in pv.arrays], dtype=float)
    pv_kw = cols.add("pv_kw", len(pv.arrays), cost=pv.crf * pv.capex_per_kw + pv.fixed_om_per_kw_year,
                     upper=limit_kw)
    fixed = np.flatnonzero(fixed_cost > 0)
    built = cols.add("pv_built", fixed.size, cost=pv.crf * fixed_cost[fixed], upper=1.0, integer=True)
    rows.add("pv_only_if_built", fixed.size, [(pv_kw[fixed], 1.0), (built, -limit_kw[fixed])], upper=0.0)
    pv_out_kw = cols.add("pv_out_kw", n)
    available = [(pv_kw[i], -np.asarray(a.yield_kwh_per_kwp, dtype=float) / step_h)
                 for i, a in enumerate(pv.arrays)]
    rows.add("pv_available", n, [(pv_out_kw, 1.0), *available], upper=0.0)
    supply.append((pv_out_kw, 1.0))


def _add_storage(inp: Inputs, cols: _Columns, rows: _Rows, n: int, step_h: float, supply: _Terms,
                 demand: _Terms) -> None:
    """Energy and power sized apart (in blocks if given), an optional build binary, losses both
    ways, state of charge within its shares of capacity and cyclic over the horizon."""
    s = inp.storage
    if s is None:
        return
    kwh = cols.add("storage_kwh", 1, cost=s.crf * s.capex_per_kwh, upper=s.max_kwh)
    kw = cols.add("storage_kw", 1, cost=s.crf * s.capex_per_kw + s.fixed_om_per_kw_year, upper=s.max_kw)
    if s.unit_kwh:
        units = cols.add("storage_units_kwh", 1, upper=floor(s.max_kwh / s.unit_kwh), integer=True)
        rows.add("storage_kwh_blocks", 1, [(kwh, 1.0), (units, -s.unit_kwh)], 0.0, 0.0)
    if s.unit_kw:
        units = cols.add("storage_units_kw", 1, upper=floor(s.max_kw / s.unit_kw), integer=True)
        rows.add("storage_kw_blocks", 1, [(kw, 1.0), (units, -s.unit_kw)], 0.0, 0.0)
    if s.fixed_cost > 0:
        built = cols.add("storage_built", 1, cost=s.crf * s.fixed_cost, upper=1.0, integer=True)
        rows.add("storage_kwh_if_built", 1, [(kwh, 1.0), (built, -s.max_kwh)], upper=0.0)
        rows.add("storage_kw_if_built", 1, [(kw, 1.0), (built, -s.max_kw)], upper=0.0)
    charge_kw = cols.add("charge_kw", n)
    discharge_kw = cols.add("discharge_kw", n)
    soc_kwh = cols.add("soc_above_min_kwh", n)  # stored above the floor: the floor is a bound, as in zcf
    usable = s.soc_max - s.soc_min
    rows.add("power_limit", n, [(charge_kw, 1.0), (discharge_kw, 1.0), (kw, -1.0)], upper=0.0)
    rows.add("soc_ceiling", n, [(soc_kwh, 1.0), (kwh, -usable)], upper=0.0)
    rows.add("soc_dynamics", n, [
        (soc_kwh, 1.0), (np.roll(soc_kwh, 1), -1.0),
        (charge_kw, -step_h * s.charge_efficiency), (discharge_kw, step_h / s.discharge_efficiency),
    ], 0.0, 0.0)
    # A step's charging fits in the room left at its start (the step before the first is the last).
    rows.add("charge_room", n, [(charge_kw, step_h * s.charge_efficiency), (np.roll(soc_kwh, 1), 1.0),
                                (kwh, -usable)], upper=0.0)
    supply.append((discharge_kw, 1.0))
    demand.append((charge_kw, 1.0))


def _add_green_power(inp: Inputs, cols: _Columns, rows: _Rows, n: int, step_h: float) -> np.ndarray | None:
    """A yearly MWh volume delivered along its shape, with an all-or-nothing minimum; the plant uses
    what it can of each step's delivery and the rest is resold. Returns the used-kW columns."""
    g = inp.green_power
    if g is None:
        return None
    kw_per_mwh = np.asarray(g.profile_share, dtype=float) * 1000.0 / step_h  # delivered_t = kw_per_mwh_t · mwh
    resale = g.resale_price_per_kwh * step_h
    # contract − resale · Δt · Σ_t (delivered_t − used_t): the delivery's part falls on the volume
    green_mwh = cols.add("green_mwh", 1, cost=1000.0 * g.price_per_kwh - resale * kw_per_mwh.sum(), upper=g.max_mwh)
    if g.min_mwh > 0:
        bought = cols.add("green_bought", 1, upper=1.0, integer=True)
        rows.add("green_at_least_min", 1, [(green_mwh, 1.0), (bought, -g.min_mwh)], lower=0.0)
        rows.add("green_only_if_bought", 1, [(green_mwh, 1.0), (bought, -g.max_mwh)], upper=0.0)
    green_used_kw = cols.add("green_used_kw", n, cost=resale)
    rows.add("green_used_within_delivery", n, [(green_used_kw, 1.0), (green_mwh, -kw_per_mwh)], upper=0.0)
    return green_used_kw


def _add_export(inp: Inputs, cols: _Columns, rows: _Rows, n: int, step_h: float, grid_kw: np.ndarray,
                green_used: np.ndarray | None, demand: _Terms) -> None:
    """PV output sold at the export price, only PV surplus: none in a step where the roofs at their
    limit cannot cover the load; in the selling steps S a binary keeps a selling step from taking
    anything in (grid, green power, battery), so it sells at most its PV output beyond the load."""
    pv = inp.pv
    if not inp.export_allowed or pv is None:
        return
    load_kw = np.asarray(inp.load_kw, dtype=float)
    most_pv_kw = sum(np.asarray(a.yield_kwh_per_kwp, dtype=float) * a.limit_kw for a in pv.arrays) / step_h  # X_t
    export_kw = cols.add("export_kw", n, cost=-inp.export_price_per_kwh * step_h,
                         upper=np.where(most_pv_kw > load_kw, _INF, 0.0))
    pv_out_kw = np.arange(cols.ranges["pv_out_kw"].start, cols.ranges["pv_out_kw"].stop)
    rows.add("export_only_pv", n, [(export_kw, 1.0), (pv_out_kw, -1.0)], upper=0.0)
    demand.append((export_kw, 1.0))
    steps = selling_steps(inp)
    sell = cols.add("sell", steps.size, upper=1.0, integer=True)
    load_s = load_kw[steps]
    beyond_load_kw = most_pv_kw[steps] - load_s
    rows.add("export_if_selling", steps.size, [(export_kw[steps], 1.0), (sell, -beyond_load_kw)], upper=0.0)
    rows.add("export_beyond_load", steps.size,
             [(export_kw[steps], 1.0), (pv_out_kw[steps], -1.0), (sell, load_s)], upper=0.0)
    # Not selling: each intake at most what a least-cost plan could take in the step (module docstring).
    most_import_kw = load_s + _most_charge_kw(inp, step_h)
    rows.add("import_if_not_selling", steps.size, [(grid_kw[steps], 1.0), (sell, most_import_kw)],
             upper=most_import_kw)
    if green_used is not None:
        g = inp.green_power
        most_green_kw = np.asarray(g.profile_share, dtype=float)[steps] * 1000.0 / step_h * g.max_mwh
        rows.add("green_if_not_selling", steps.size, [(green_used[steps], 1.0), (sell, most_green_kw)],
                 upper=most_green_kw)
    if "discharge_kw" in cols.ranges:
        discharge_kw = cols.ranges["discharge_kw"].start + steps
        rows.add("discharge_if_not_selling", steps.size, [(discharge_kw, 1.0), (sell, load_s)], upper=load_s)


def _most_charge_kw(inp: Inputs, step_h: float) -> float:
    """The most the battery can take in one step (kW): its power limit, what fills its largest
    store, or with neither a year's load; 0 without a battery."""
    s = inp.storage
    if s is None:
        return 0.0
    room_kw = None if s.max_kwh is None else (s.soc_max - s.soc_min) * s.max_kwh / (s.charge_efficiency * step_h)
    bounds = [b for b in (s.max_kw, room_kw) if b is not None]
    return min(bounds) if bounds else inp.load_kwh / (s.charge_efficiency * step_h)


def _add_demand_charge(inp: Inputs, cols: _Columns, rows: _Rows, grid_kw: np.ndarray,
                       green_used: np.ndarray | None) -> None:
    """Each month's peak of grid import plus green power used, charged per kW."""
    if inp.demand_charge_per_kw_month <= 0:
        return
    months, month_of_step = np.unique(inp.month, return_inverse=True)
    peak_kw = cols.add("peak_kw", months.size, cost=inp.demand_charge_per_kw_month)
    withdrawal = [(grid_kw, -1.0)] + ([] if green_used is None else [(green_used, -1.0)])
    rows.add("peak_def", len(grid_kw), [(peak_kw[month_of_step], 1.0), *withdrawal], lower=0.0)


def _add_certificates(inp: Inputs, cols: _Columns, rows: _Rows, grid_mwh: np.ndarray) -> np.ndarray | None:
    c = inp.certificates
    if c is None:
        return None
    certificates_mwh = cols.add("certificates_mwh", 1, cost=c.price_per_mwh, upper=c.max_mwh)
    rows.add("certificates_cover_import", 1, [(certificates_mwh, 1.0), (grid_mwh, -1.0)], upper=0.0)
    return certificates_mwh


def _add_credits(inp: Inputs, cols: _Columns, rows: _Rows) -> np.ndarray | None:
    c = inp.credits
    if c is None:
        return None
    credits_t = cols.add("credits_t", 1, cost=c.price_per_t)
    base_t = inp.base_emissions_t
    if base_t is None:  # business as usual: scope 1 and every kWh from the grid, market-based
        base_t = inp.scope1_t + _market_factor_t_per_mwh(inp) * inp.load_kwh / 1000.0
    rows.add("offset_cap", 1, [(credits_t, 1.0)], upper=c.max_offset_share * base_t)
    return credits_t


def _market_factor_t_per_mwh(inp: Inputs) -> float:
    """Grid electricity no certificate covers, market-based: the residual factor, else the average."""
    factor = inp.grid_factor_t_per_kwh if inp.residual_factor_t_per_kwh is None else inp.residual_factor_t_per_kwh
    return 1000.0 * factor


def _add_target(inp: Inputs, rows: _Rows, grid_mwh: np.ndarray, certificates: np.ndarray | None,
                credits: np.ndarray | None) -> None:
    """scope 1 + market factor × (import − certificates) − credits ≤ the target."""
    if inp.max_net_t is None:
        return
    factor_t_per_mwh = _market_factor_t_per_mwh(inp)
    terms: _Terms = [(grid_mwh, factor_t_per_mwh)]
    if certificates is not None:
        terms.append((certificates, -factor_t_per_mwh))
    if credits is not None:
        terms.append((credits, -1.0))
    rows.add("target", 1, terms, upper=inp.max_net_t - inp.scope1_t)


def _to_highs_lp(inp: Inputs, cols: _Columns, rows: _Rows, relax_integers: bool) -> highspy.HighsLp:
    """The blocks as one column-wise `HighsLp`; explicit zeros dropped, as Pyomo drops them."""
    matrix = sp.csc_array(
        (np.concatenate(rows.vals), (np.concatenate(rows.rows), np.concatenate(rows.cols))),
        shape=(rows.count, cols.count),
    )
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols.count, rows.count
    lp.col_cost_ = np.concatenate(cols.cost)
    lp.col_lower_ = np.concatenate(cols.lower)
    lp.col_upper_ = np.concatenate(cols.upper)
    lp.row_lower_ = np.concatenate(rows.lower)
    lp.row_upper_ = np.concatenate(rows.upper)
    lp.offset_ = float(inp.fuel_cost)
    lp.sense_ = highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = cols.count, rows.count
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data
    if cols.integer and not relax_integers:
        integrality = [highspy.HighsVarType.kContinuous] * cols.count
        for i in np.concatenate(cols.integer).tolist():
            integrality[i] = highspy.HighsVarType.kInteger
        lp.integrality_ = integrality
    return lp


def build_floor(inp: Inputs, relax_integers: bool = False) -> FloorModel:
    """`inp`'s model assembled with numpy and passed to a fresh `Highs` in one `passModel` call."""
    start = time.perf_counter()
    lp, columns, row_blocks = assemble_lp(inp, relax_integers)
    build_s = time.perf_counter() - start
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    start = time.perf_counter()
    h.passModel(lp)
    handoff_s = time.perf_counter() - start
    return FloorModel(h, columns, row_blocks, build_s, handoff_s)


def solve_floor(inp: Inputs, time_limit_s: float, mip_gap: float, relax_integers: bool = False) -> dict:
    """Build, pass and solve `inp` with HiGHS: objective, status and the three timings (s)."""
    floor_model = build_floor(inp, relax_integers)
    h = floor_model.highs
    set_options(h, time_limit_s, mip_gap)
    h.run()
    solved = has_solution(h)
    return {
        "model": "floor (highspy)",
        "status": status_word(h),
        "objective": h.getInfo().objective_function_value if solved else None,
        "build_seconds": floor_model.build_seconds,
        "handoff_seconds": floor_model.handoff_seconds,
        "highs_seconds": h.getRunTime(),
        "columns": h.getNumCol(),
        "rows": h.getNumRow(),
        "nonzeros": h.getNumNz(),
    }
