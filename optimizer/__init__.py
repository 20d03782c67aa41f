"""zcf's optimizer: the least-cost energy structure of a factory, from a scenario to a plan.

The public API is `optimizer.api`; its names are importable from here too, e.g.
`from optimizer import solve, compare, sweep`, and load on first use: `import optimizer` (and so
the `zcf` command) loads neither Pyomo, HiGHS nor matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optimizer.api import (
        SCENARIOS,
        Comparison,
        InputError,
        Validation,
        build_sweep,
        compare,
        emission_steps,
        load_inputs,
        load_scenario,
        load_sweep,
        pareto,
        pareto_charts,
        roadmap,
        save_frontier,
        save_plan,
        save_roadmap,
        schema,
        solve,
        sweep,
        sweep_charts,
        validate,
    )

__all__ = [
    "SCENARIOS", "Comparison", "InputError", "Validation", "build_sweep", "compare", "emission_steps", "load_inputs",
    "load_scenario", "load_sweep", "pareto", "pareto_charts", "roadmap", "save_frontier", "save_plan", "save_roadmap",
    "schema", "solve", "sweep", "sweep_charts", "validate",
]


def __getattr__(name: str) -> Any:
    """The API's names, imported from `optimizer.api` when first asked for."""
    if name in __all__:
        return getattr(importlib.import_module("optimizer.api"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
