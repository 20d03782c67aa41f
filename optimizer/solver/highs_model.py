"""A Pyomo model handed to HiGHS as matrices, and kept in step with its mutable Params.

Pyomo's standard-form compiler turns the model into sparse arrays in one pass; HiGHS receives
them in one `passModel` call. After Params change, only the constraints, objective and bounds
that read those Params are compiled again, and only the entries that differ are pushed, so HiGHS
re-solves from its last basis. The first update walks the model once to learn which parts read
which Params.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import cached_property

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.visitor import identify_mutable_parameters
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

_INF = highspy.kHighsInf


# HiGHS options zcf sets. Scaling each row and column by its largest entry suits these models,
# whose entries span 1e-5 (dawn PV yields) to 1e5 (yearly MWh): on the demo's LP dual simplex
# takes 4.7 s instead of 11.9 s, and it was faster on every model tried (bench/README.md).
HIGHS_DEFAULTS = {"simplex_scale_strategy": 4}
# HiGHS warns of "excessively large costs" above 1e6 and its simplex slows: an efficiency measure's
# annuity (a 20 M CNY retrofit: 2e6 on its binary) beside per-kWh prices. Such an objective is scaled
# by a power of two to bring its largest cost to this (HiGHS unscales what it reports), with HiGHS's
# own matrix scaling (strategy 2), which suits it better than the max-value scaling (4) that is
# fastest otherwise. The demo's LP relaxation with heat, hourly, measured in one run: 89 s scaled
# with strategy 2, 170 s as written with 4, 180 s as written with 2, 206 s scaled with 4; the demo
# with its gas as it is: 4.8 s with 4, 10.4 s with 2.
LARGEST_COST = 1e5
SCALED_OBJECTIVE_SCALE_STRATEGY = 2


def objective_scale(cost: np.ndarray) -> int:
    """HiGHS's `user_objective_scale` for these costs: 0, or the power of two that brings the largest
    one down to about `LARGEST_COST` when it is ten times that or more."""
    largest = float(np.abs(cost).max(initial=0.0))
    return -math.ceil(math.log2(largest / LARGEST_COST)) if largest >= 10 * LARGEST_COST else 0


class StructureChanged(Exception):
    """An update would add rows or columns: the model must be handed over again."""


@dataclass(frozen=True)
class Run:
    """One HiGHS run: its status in HiGHS's words, the incumbent and the bound."""

    status: highspy.HighsModelStatus
    has_solution: bool
    objective: float | None
    bound: float | None
    mip_gap: float | None
    seconds: float
    col_value: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    relaxed: bool = False  # integers relaxed: the objective of an optimal run bounds the MILP from below


@dataclass
class _Dependencies:
    """Which constraint components, objective and columns read which Params (by name)."""

    constraints: dict[pyo.Constraint, set[str]]
    objective: set[str]
    columns: dict[int, set[str]]


class HighsModel:
    """`model` held in a `highspy.Highs` instance; `update` pushes Param changes into it."""

    def __init__(self, model: pyo.ConcreteModel, tee: bool = False):
        start = time.perf_counter()
        self.model = model
        repn = _compile(model)
        listed = {id(v) for v in repn.columns}
        unused = [v for v in model.component_data_objects(pyo.Var, active=True, descend_into=True)
                  if id(v) not in listed and not v.fixed]
        self.columns = list(repn.columns) + unused  # unused ones may gain entries in an update
        self.rows = list(repn.rows)
        n_col, n_row = len(self.columns), len(self.rows)
        a = sp.csc_array((repn.A.data, repn.A.indices, np.append(repn.A.indptr, [repn.A.nnz] * len(unused))),
                         shape=(n_row, n_col))
        self._a = a.tocsr()
        self.cost = np.zeros(n_col)
        self.cost[: repn.c.shape[1]] = repn.c.toarray()[0] if repn.c.shape[0] else 0.0
        self.offset = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
        row_lower, row_upper = _row_bounds(repn.rows, repn.rhs)
        self.col_lower, self.col_upper = _col_bounds(self.columns)
        self.integer = np.array([v.is_integer() for v in self.columns], dtype=bool)
        # Integers that keep a plan feasible rounded down, not up (a choice to sell: see build_model).
        down = set(getattr(model, "round_down", ()))
        self.round_down = np.array([v.parent_component().local_name in down for v in self.columns], dtype=bool)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", True)  # the log is read for warnings, shown only with tee
        self.highs.setOptionValue("log_to_console", tee)
        for name, value in HIGHS_DEFAULTS.items():
            self.highs.setOptionValue(name, value)
        self.warnings: list[str] = []
        self.highs.cbLogging.subscribe(self._on_log)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_, lp.offset_ = n_col, n_row, self.offset
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = self.cost, self.col_lower, self.col_upper
        lp.row_lower_, lp.row_upper_ = row_lower, row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        if self.integer.any():  # an LP gets no integrality at all (HiGHS warns about an empty one)
            lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                               for i in self.integer]
        self.highs.passModel(lp)
        self._deps: _Dependencies | None = None
        self._relaxed = False
        self._scalar_rows: dict[str, int] | None = None
        self.handoff_seconds = time.perf_counter() - start

    def _on_log(self, event) -> None:
        """Keep HiGHS's warnings and errors, to report them with the plan."""
        if event.data_out.log_type in (highspy.HighsLogType.kWarning, highspy.HighsLogType.kError):
            text = event.message.strip().removeprefix("WARNING:").removeprefix("ERROR:").strip()
            if text:
                self.warnings.append(text)

    def take_warnings(self) -> tuple[str, ...]:
        """HiGHS's warnings since they were last taken (hand-off included), each once."""
        taken = tuple(dict.fromkeys(self.warnings))
        self.warnings.clear()
        return taken

    # --- keeping HiGHS in step with the model ----------------------------------------------------

    @cached_property
    def _col(self) -> dict[int, int]:
        """Column of each variable (by id), for updates."""
        return {id(v): j for j, v in enumerate(self.columns)}

    @cached_property
    def _row_count(self) -> dict[int, int]:
        """Rows each constraint component has in HiGHS (by the component's id)."""
        counts: dict[int, int] = {}
        for r in self.rows:
            key = id(r.constraint.parent_component())
            counts[key] = counts.get(key, 0) + 1
        return counts

    @cached_property
    def _row(self) -> dict[tuple[int, int], int]:
        """Row of each (constraint id, bound type), for updates."""
        return {(id(r.constraint), r.bound_type): i for i, r in enumerate(self.rows)}

    def update(self, changed: set[str]) -> None:
        """Push the effect of the Params named in `changed` (already set on the model) into HiGHS."""
        start = time.perf_counter()
        deps = self._dependencies()
        constraints = [c for c, names in deps.constraints.items() if names & changed]
        objective = bool(deps.objective & changed)
        if constraints or objective:
            repn = _compile(self.model, constraints, objective)
            self._update_rows(repn, constraints)
            if objective:
                self._update_cost(repn)
        cols = np.array([j for j, names in deps.columns.items() if names & changed], dtype=np.int32)
        if len(cols):
            lower, upper = _col_bounds([self.columns[j] for j in cols])
            self.col_lower[cols], self.col_upper[cols] = lower, upper
            self.highs.changeColsBounds(len(cols), cols, lower, upper)
        self.handoff_seconds = time.perf_counter() - start

    def _dependencies(self) -> _Dependencies:
        if self._deps is None:
            constraints = {comp: params_of(comp) for comp in self.model.component_objects(
                pyo.Constraint, active=True, descend_into=True)}
            objective = set().union(*(_names(o.expr) for o in self.model.component_data_objects(
                pyo.Objective, active=True)))
            columns = {j: _names(v.lower) | _names(v.upper) for j, v in enumerate(self.columns)}
            self._deps = _Dependencies(constraints, objective, {j: n for j, n in columns.items() if n})
        return self._deps

    def _update_rows(self, repn, constraints: list) -> None:
        expected = sum(self._row_count.get(id(c), 0) for c in constraints)
        if len(repn.rows) != expected:  # a row became a constant (dropped) or appeared: hand over anew
            compiled: dict[int, int] = {}
            for r in repn.rows:
                key = id(r.constraint.parent_component())
                compiled[key] = compiled.get(key, 0) + 1
            moved = [f"'{c.local_name}' {self._row_count.get(id(c), 0)} rows held, {compiled.get(id(c), 0)} compiled"
                     for c in constraints if self._row_count.get(id(c), 0) != compiled.get(id(c), 0)]
            raise StructureChanged("constraint " + "; ".join(moved))
        if not repn.rows:
            return
        try:
            rows = np.array([self._row[(id(r.constraint), r.bound_type)] for r in repn.rows], dtype=np.int32)
            cols = np.array([self._col[id(v)] for v in repn.columns], dtype=np.int64)
        except KeyError:
            raise StructureChanged("an update adds a row or a column to "
                                   + ", ".join(sorted({c.local_name for c in constraints}))) from None
        lower, upper = _row_bounds(repn.rows, repn.rhs)
        self.highs.changeRowsBounds(len(rows), rows, lower, upper)
        new = sp.coo_array(repn.A)
        new = sp.csr_array((new.data, (new.row, cols[new.col])), shape=(len(rows), len(self.columns)))
        diff = sp.coo_array(new - self._a[rows])
        diff.eliminate_zeros()
        if not diff.nnz:
            return
        values = np.asarray(new[diff.row, diff.col]).ravel()
        for r, c, v in zip(rows[diff.row].tolist(), diff.col.tolist(), values.tolist(), strict=True):
            self.highs.changeCoeff(r, c, v)
        place = sp.csr_array((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                             shape=(len(self.rows), len(rows)))
        self._a = (self._a + place @ sp.csr_array(diff)).tocsr()
        self._a.eliminate_zeros()

    def _update_cost(self, repn) -> None:
        cost = np.zeros(len(self.columns))
        if repn.c.shape[0]:
            c = sp.coo_array(repn.c)
            cost[[self._col[id(repn.columns[k])] for k in c.col]] = c.data
        offset = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
        cols = np.flatnonzero(cost != self.cost).astype(np.int32)
        if len(cols):
            self.highs.changeColsCost(len(cols), cols, cost[cols])
            self.cost = cost
        if offset != self.offset:
            self.highs.changeObjectiveOffset(offset)
            self.offset = offset

    # --- running HiGHS ---------------------------------------------------------------------------

    def run(self, time_limit_s: float, mip_gap: float) -> Run:
        """One HiGHS run with the model as it stands (integrality and bounds included)."""
        h = self.highs
        h.setOptionValue("time_limit", float(time_limit_s))
        h.setOptionValue("mip_rel_gap", float(mip_gap))
        scale = objective_scale(self.cost)
        h.setOptionValue("user_objective_scale", scale)
        h.setOptionValue("simplex_scale_strategy", SCALED_OBJECTIVE_SCALE_STRATEGY if scale
                         else HIGHS_DEFAULTS["simplex_scale_strategy"])
        start = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - start
        status, info = h.getModelStatus(), h.getInfo()
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        mip = bool(self.integer.any()) and not self._relaxed
        objective = info.objective_function_value if has_solution else None
        bound = info.mip_dual_bound if mip else (objective if status == highspy.HighsModelStatus.kOptimal else None)
        gap = info.mip_gap if mip and has_solution else (0.0 if status == highspy.HighsModelStatus.kOptimal else None)
        solution = h.getSolution() if has_solution else None
        return Run(status, has_solution, objective, bound, gap, seconds,
                   np.array(solution.col_value) if solution else None,
                   np.array(solution.row_dual) if solution and solution.dual_valid else None,
                   relaxed=self._relaxed and bool(self.integer.any()))

    def set_integrality(self, on: bool) -> None:
        """Integer columns as integers (on) or relaxed to continuous (off)."""
        cols = np.flatnonzero(self.integer).astype(np.int32)
        if len(cols) and on == self._relaxed:
            kind = np.full(len(cols), 1 if on else 0, dtype=np.uint8)
            self.highs.changeColsIntegrality(len(cols), cols, kind)
        self._relaxed = not on

    def set_col_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Bounds of some columns in HiGHS only (the model's own bounds are kept to restore them)."""
        self.highs.changeColsBounds(len(cols), cols.astype(np.int32), lower, upper)

    def restore_col_bounds(self, cols: np.ndarray) -> None:
        self.set_col_bounds(cols, self.col_lower[cols], self.col_upper[cols])

    def load(self, col_value: np.ndarray) -> None:
        """Put a solution's values into the Pyomo variables."""
        for v, x in zip(self.columns, col_value.tolist(), strict=True):
            v.set_value(x, skip_validation=True)

    def scalar_duals(self, row_dual: np.ndarray) -> dict[str, float]:
        """Shadow price of each one-row constraint, by name: the change in cost per unit its
        right-hand side moves (for a ≤ limit, negative when loosening it saves money)."""
        if self._scalar_rows is None:
            self._scalar_rows = {r.constraint.local_name: i for i, r in enumerate(self.rows)
                                 if not r.constraint.parent_component().is_indexed()}
        return {name: float(row_dual[row]) for name, row in self._scalar_rows.items()}


def _names(expr) -> set[str]:
    return {p.parent_component().local_name for p in identify_mutable_parameters(expr)}


def params_of(constraint: pyo.Constraint, every_row: bool = False) -> set[str]:
    """The mutable Params a constraint component's rows read, by name.

    Every row of a component is built by one rule from the same Param components, index by index
    (tests/test_resolve.py checks this on every kind of model zcf builds), so the first and the
    last row name them all; reading every row of a year-long model took seconds per update.
    """
    rows = list(constraint.values())
    if not every_row and len(rows) > 2:
        rows = [rows[0], rows[-1]]
    return set().union(*(_names(c.expr) for c in rows))


def _compile(model: pyo.ConcreteModel, constraints: list | None = None, objective: bool = True):
    """The standard form of `model`, or of some of its constraint components and/or objective."""
    switched = []
    if constraints is not None:
        keep = {id(c) for c in constraints}
        switched = [c for c in model.component_objects(pyo.Constraint, active=True, descend_into=True)
                    if id(c) not in keep]
    if not objective:
        switched += list(model.component_objects(pyo.Objective, active=True, descend_into=True))
    for comp in switched:
        comp.deactivate()
    try:
        return LinearStandardFormCompiler().write(model, mixed_form=True)
    finally:
        for comp in switched:
            comp.activate()


def _row_bounds(rows: list, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mixed form rows to HiGHS's [lower, upper]: type 0 is =, 1 is ≤ rhs, -1 is ≥ rhs."""
    kind = np.array([r.bound_type for r in rows], dtype=int)
    rhs = np.asarray(rhs, dtype=float)
    lower = np.where(kind == 1, -_INF, rhs)
    upper = np.where(kind == -1, _INF, rhs)
    return lower, upper


def _col_bounds(columns: list) -> tuple[np.ndarray, np.ndarray]:
    bounds = [v.bounds for v in columns]
    lower = np.array([-_INF if lb is None else lb for lb, _ in bounds], dtype=float)
    upper = np.array([_INF if ub is None else ub for _, ub in bounds], dtype=float)
    return lower, upper
