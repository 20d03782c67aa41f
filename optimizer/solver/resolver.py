"""Solving one `Inputs` after another, in place when only values change.

A sweep solves many scenarios that differ in a price or a limit. When a new `Inputs` has the
structure of one solved before (`structure_key`), its values are set on that model's Params and
pushed into the HiGHS instance that still holds the last basis: no model is built, nothing is
handed over again. Anything else is built and handed over afresh.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException

from models.inputs import Inputs
from optimizer.model.build import build_model, structure_changes, structure_key, update_model
from optimizer.solver.highs_model import HighsModel, StructureChanged
from optimizer.solver.strategy import SolveReport, infeasible_as_written, solve_highs


@dataclass(frozen=True)
class Solved:
    """A model holding its solution, the solver's report, and how the model came to be."""

    model: pyo.ConcreteModel
    report: SolveReport
    build_seconds: float  # building the Pyomo model, or setting its Params when reused
    reused: bool
    rebuilt_because: str = ""  # why a held model could not serve: the parts of the structure that changed


class Resolver:
    """Keeps the last `keep` models (one per structure) and re-solves them in place."""

    def __init__(self, keep: int = 2, tee: bool = False):
        self.keep, self.tee = keep, tee
        self._held: OrderedDict[tuple, tuple[pyo.ConcreteModel, HighsModel]] = OrderedDict()

    def solve(self, inp: Inputs, time_limit_s: float, mip_gap: float) -> Solved:
        """Solve `inp`, re-using a held model of the same structure if there is one."""
        key = structure_key(inp)
        held = self._held.pop(key, None)
        start = time.perf_counter()
        because = ""
        if held is None and self._held:
            last = next(reversed(self._held))
            because = "structure changed: " + ", ".join(structure_changes(last, key))
        if held is not None:
            model, hm = held
            try:
                changed = update_model(model, inp)
                build_s = time.perf_counter() - start
                hm.update(changed)
                reused = True
            except StructureChanged as exc:
                because = f"values changed the structure: {exc}"
                held = None
        if held is None:
            model = build_model(inp)
            build_s = time.perf_counter() - start
            try:
                hm = HighsModel(model, self.tee)
            except InfeasibleConstraintException as exc:
                return Solved(model, infeasible_as_written(exc), build_s, False, because)
            reused = False
        report = solve_highs(hm, time_limit_s, mip_gap)
        self._held[key] = (model, hm)
        while len(self._held) > self.keep:
            self._held.popitem(last=False)
        return Solved(model, report, build_s, reused, "" if reused else because)
