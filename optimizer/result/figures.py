"""Figures a summary holds only implicitly (emission steps, cuts per measure), from the summary alone.

Working from the summary dict (what summary.json holds), not from `Inputs`, lets charts, the
comparison page and the Pareto frontier be built from saved or swept results as well as from
freshly solved plans.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from optimizer.model import registry
from optimizer.model.base import EmissionStep
from optimizer.solver.status import Status

SummaryLike = Mapping[str, Any]

BAU = "business as usual"


def measures() -> tuple[str, ...]:
    """The measures that cut or offset emissions, from the registry (battery losses are not one)."""
    return tuple(s.label for s in registry.emission_steps() if s.kind != "added")


def steps() -> tuple[str, ...]:
    """The labels of the emissions waterfall, business as usual first, from the registry."""
    return (BAU, *(s.label for s in registry.emission_steps()))


# The registry's built-in assets, for readers that want a fixed list.
MEASURES = measures()
STEPS = steps()


def has_plan(summary: SummaryLike) -> bool:
    """Whether the summary carries a plan (a solution), not only a status and an explanation."""
    return summary.get("total_annual_cost") is not None and summary.get("emissions") is not None


def missed_by_t(summary: SummaryLike) -> float | None:
    """By how many tCO2e a year a plan misses its target (the lowest-emission plan of a target out of
    reach); None when it meets it or has no plan."""
    return summary.get("target_missed_by_t") if has_plan(summary) else None


def no_plan_reason(summary: SummaryLike) -> str:
    """Why a summary has no plan, in a few words."""
    status = summary.get("status", "unknown")
    return "target out of reach" if status == Status.INFEASIBLE else f"solver status {status}"


def bau_emissions_t(summary: SummaryLike) -> float | None:
    """Business-as-usual emissions (tCO2e/yr): scope 1 plus all electricity from the grid."""
    bau = summary.get("bau") or {}
    return bau.get("net_t")


def market_factor_t_per_mwh(summary: SummaryLike) -> float | None:
    """The factor of uncovered grid electricity the plan was solved with (tCO2e/MWh, market-based),
    as stored in its summary: the residual factor, or the grid factor in a summary from before it."""
    emissions = summary.get("emissions") or {}
    return emissions.get("residual_factor_t_per_mwh", emissions.get("grid_factor_t_per_mwh"))


def emission_steps(summary: SummaryLike) -> list[tuple[str, float]]:
    """From business-as-usual emissions to net, each asset's change (tCO2e/yr, negative = cut).

    Grid import = load − PV used on site − green power used + battery losses, so the electricity
    steps are those energies times the market-based factor of grid electricity, and certificates
    cover their MWh at that factor. The steps add up to the plan's net emissions (market-based).
    Empty when there is no plan.
    """
    bau_t, factor = bau_emissions_t(summary), market_factor_t_per_mwh(summary)
    if not has_plan(summary) or bau_t is None or factor is None:
        return []
    return [(BAU, bau_t), *((s.label, _change_t(s, summary, factor)) for s in registry.emission_steps()
                            if s.shown is None or s.shown(summary))]


def _change_t(step: EmissionStep, summary: SummaryLike, factor: float) -> float:
    """A step's change; none when the summary has no figure of that asset (saved before it existed)."""
    try:
        return step.change_t(summary, factor)
    except (KeyError, TypeError):
        return 0.0


def measure_cuts_t(summary: SummaryLike) -> dict[str, float]:
    """What each measure the summary has cuts or offsets (tCO2e/yr, positive); battery losses are not a measure."""
    found = dict(emission_steps(summary))
    return {m: max(-found[m], 0.0) for m in measures() if m in found}


def added_t(summary: SummaryLike) -> dict[str, float]:
    """What each step that adds emissions adds (tCO2e/yr, positive): battery losses, electricity for heat."""
    kinds = {s.label: s.kind for s in registry.emission_steps()}
    return {label: max(change, 0.0) for label, change in emission_steps(summary) if kinds.get(label) == "added"}


def cost_items(summary: SummaryLike) -> dict[str, float]:
    """The plan's annual cost by item in words (currency/yr); revenue is negative."""
    labels = registry.cost_labels()
    return {labels.get(k, k.replace("_", " ")): v for k, v in (summary.get("costs") or {}).items()}
