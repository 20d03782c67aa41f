"""Figures a summary holds only implicitly (emission steps, cuts per measure), from the summary alone.

Working from the summary dict (what summary.json holds), not from `Inputs`, lets charts, the
comparison page and the Pareto frontier be built from saved or swept results as well as from
freshly solved plans.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Summary = Mapping[str, Any]

# Cost items of the formulation, in words; an item not listed here is shown by its own name.
COST_LABELS = {
    "energy": "grid energy", "demand": "demand charges", "fuel": "fuel", "pv": "rooftop PV",
    "storage": "battery", "green_power": "green power", "certificates": "certificates",
    "credits": "carbon credits", "export": "export revenue",
}
MEASURES = ("rooftop PV", "green power", "certificates", "carbon credits")
STEPS = ("business as usual", "rooftop PV", "green power", "battery losses", "certificates", "carbon credits")


def has_plan(summary: Summary) -> bool:
    """Whether the summary carries a plan (a solution), not only a status and an explanation."""
    return summary.get("total_annual_cost") is not None and summary.get("emissions") is not None


def no_plan_reason(summary: Summary) -> str:
    """Why a summary has no plan, in a few words."""
    status = summary.get("status", "unknown")
    return "target out of reach" if status == "infeasible" else f"solver status {status}"


def bau_emissions_t(summary: Summary) -> float | None:
    """Business-as-usual emissions (tCO2e/yr): scope 1 plus all electricity from the grid."""
    bau = summary.get("bau") or {}
    return bau.get("net_t")


def grid_factor_t_per_mwh(summary: Summary) -> float | None:
    """Grid emission factor, recovered from business as usual, which takes all its load from the grid."""
    bau_emissions = (summary.get("bau") or {}).get("emissions") or {}
    load_mwh = (summary.get("energy") or {}).get("load_mwh")
    if not load_mwh or bau_emissions.get("scope2_location_t") is None:
        return None
    return bau_emissions["scope2_location_t"] / load_mwh


def emission_steps(summary: Summary) -> list[tuple[str, float]]:
    """From business-as-usual emissions to net, each measure's change (tCO2e/yr, negative = cut).

    Grid import = load − PV used on site − green power + battery losses, so the electricity steps
    are those energies times the grid factor; certificates are scope 2 location − market-based.
    The steps add up to the plan's net emissions. Empty when there is no plan.
    """
    bau_t, factor = bau_emissions_t(summary), grid_factor_t_per_mwh(summary)
    if not has_plan(summary) or bau_t is None or factor is None:
        return []
    e, energy = summary["emissions"], summary["energy"]
    values = (bau_t, -energy["pv_self_consumed_mwh"] * factor, -summary["green_power_mwh"] * factor,
              energy["storage_losses_mwh"] * factor, -(e["scope2_location_t"] - e["scope2_market_t"]),
              -e["credits_t"])
    return list(zip(STEPS, values, strict=True))


def measure_cuts_t(summary: Summary) -> dict[str, float]:
    """What each measure cuts or offsets (tCO2e/yr, positive); battery losses are not a measure."""
    steps = dict(emission_steps(summary))
    return {m: max(-steps[m], 0.0) for m in MEASURES} if steps else {}


def cost_items(summary: Summary) -> dict[str, float]:
    """The plan's annual cost by item in words (currency/yr); revenue is negative."""
    return {COST_LABELS.get(k, k.replace("_", " ")): v for k, v in (summary.get("costs") or {}).items()}


def pv_total_kw(summary: Summary) -> float:
    """PV built on all roofs together (kWp)."""
    return float(sum((summary.get("pv_kw") or {}).values()))
