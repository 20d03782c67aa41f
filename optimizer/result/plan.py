"""The plan: a solved scenario as typed data, with one status, written to summary.json as it is.

`Summary` is what summary.json holds (the keys the README lists); each asset adds its figures
(`Asset.figures`), so an asset added to the registry appears here without another edit. The
TypedDicts name every key the assets of the registry give; a JSON reader sees plain objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from optimizer.solver.status import Status

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs


class Emissions(TypedDict):
    """tCO2e per year; the grid factor in tCO2e/MWh, as given (never worked out from other figures)."""

    scope1_t: float
    scope2_location_t: float
    scope2_market_t: float
    credits_t: float
    net_t: float
    grid_factor_t_per_mwh: float  # grid average: location-based scope 2
    residual_factor_t_per_mwh: float  # uncovered grid electricity: market-based scope 2


class Energy(TypedDict, total=False):
    load_mwh: float
    pv_generation_mwh: float
    pv_self_consumed_mwh: float
    pv_curtailed_mwh: float
    storage_discharged_mwh: float
    storage_full_cycles: float
    storage_losses_mwh: float
    green_power_used_mwh: float
    green_power_resold_mwh: float
    renewable_share_annual: float  # PV used, green power used and certificates over the electricity taken in
    renewable_share_hourly: float  # the load met in the same step by renewable electricity (24/7 score)


class Investment(TypedDict, total=False):
    pv: float
    storage: float
    total: float


class Finance(TypedDict):
    """The plan against business as usual over the longest life of what it builds (optimizer.result.finance)."""

    investment: float  # capex of everything built or taken, year 0
    annual_cash_savings: float  # business as usual's annual cost − the plan's without its annuities
    horizon_years: int
    simple_payback_years: float | None
    npv: float | None  # at discount_rate, replacements and straight-line salvage included
    irr: float | None
    discount_rate: float


class BusinessAsUsual(TypedDict):
    """The same plant taking no measure: every kWh from the grid."""

    total_annual_cost: float
    costs: dict[str, float]
    net_t: float
    emissions: Emissions


class NoTarget(TypedDict):
    """The least-cost plan of the same scenario without its emissions target."""

    total_annual_cost: float | None
    net_t: float | None


class Summary(TypedDict, total=False):
    """What summary.json holds. Without a plan only the solver fields, `bau` and `explanation`; with a
    target out of reach, `explanation` and the lowest-emission plan (`target_missed_by_t`)."""

    name: str
    status: Status
    solver_status: str
    solve_method: str
    mip_gap: float | None
    objective_bound: float | None
    build_seconds: float
    solve_seconds: float
    handoff_seconds: float
    highs_seconds: float
    solver_warnings: list[str]
    reused_model: bool
    rebuilt_because: str  # why a held model could not be re-solved in place ("" if it was, or none was held)
    total_annual_cost: float
    pv_kw: dict[str, float]
    pv_total_kw: float
    pv_yield_kwh_per_kwp: dict[str, float]
    storage_kwh: float
    storage_kw: float
    grid_import_mwh: float
    export_mwh: float
    green_power_mwh: float
    certificates_mwh: float
    credits_t: float
    emissions: Emissions
    energy: Energy
    peak_withdrawal_kw: dict[int, float]
    costs: dict[str, float]
    investment: Investment
    marginal_abatement_cost_per_t: float | None
    explanation: list[str]
    bau: BusinessAsUsual
    savings: float | None
    abated_t: float | None
    abatement_cost_per_t: float | None
    no_target: NoTarget | None
    target_cost: float | None  # plan − no-target plan (currency/yr)
    target_abatement_cost_per_t: float | None  # target cost per tonne cut below the no-target plan
    finance: Finance  # lifecycle figures against business as usual (optimizer.result.finance)
    target_net_t: float  # with a target out of reach: the target the plan misses (tCO2e/yr)
    best_plan_status: Status  # with a target out of reach: the lowest-emission plan's status (time_limit: unproven)
    target_missed_by_t: float  # with a target out of reach: the lowest-emission plan's net less the target
    notes: list[str]


@dataclass
class Plan:
    """A solved scenario: `summary` is what summary.json holds, `hourly` what hourly.csv holds."""

    inputs: Inputs
    summary: Summary
    hourly: pd.DataFrame | None = None
    explanation: list[str] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return Status(self.summary["status"])

    @property
    def has_plan(self) -> bool:
        return self.hourly is not None

    @property
    def missed_by_t(self) -> float | None:
        """By how many tCO2e a year the plan misses its target; None when it meets it (or has no plan)."""
        from optimizer.result.figures import missed_by_t

        return missed_by_t(self.summary)

    @property
    def meets_target(self) -> bool:
        """A plan that meets the scenario's target (a lowest-emission plan of a target out of reach does not)."""
        return self.has_plan and self.missed_by_t is None
