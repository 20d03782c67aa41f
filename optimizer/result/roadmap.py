"""A roadmap end to end: build, solve, and read each model year back as roadmap.json holds it.

Every model year is read like a single-year plan (`plan_figures` of its block: flows, energy,
emissions), then given what only a roadmap knows: what was built that year, what it cost that
year (investment, operating cost, fixed O&M of what serves), the target and the weights that
carry the year's money to present value. The present value is the sum of those weighted figures:
    npv = Σ_y operating_weight_y · total_annual_cost_y + Σ_y investment_weight_y · investment_y − salvage
          + past_life_lease (capacity serving years after its life, `models.inputs.roadmap`)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyomo.environ as pyo

from optimizer.formats import count
from optimizer.model.periods import block_name, build_roadmap_model, sizes_of
from optimizer.model.registry import ASSETS
from optimizer.result.bau import business_as_usual
from optimizer.result.explain import explain_infeasible
from optimizer.result.extract import hourly_table, plan_figures
from optimizer.result.figures import added_t, measure_cuts_t
from optimizer.solver.status import Status
from optimizer.solver.strategy import solve_model
from optimizer.stages import Stage, quiet

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs.roadmap import RoadmapInputs
    from optimizer.result.plan import BusinessAsUsual

_KEPT = ("pv_total_kw", "green_power_mwh", "certificates_mwh", "credits_t", "grid_import_mwh", "energy",
         "emissions", "peak_withdrawal_kw", "heat", "heat_pump_kw_th", "electric_heater_kw_th",
         "thermal_storage_kwh_th", "boiler_fuel_mwh", "measures_taken", "measure_taken", "measures")

# The heat assets' sizes (`Heat.sizes`) by their names in the summary: built in a model year as `<name>_added`.
HEAT_SIZES = {"hp_kw_th": "heat_pump_kw_th", "eh_kw_th": "electric_heater_kw_th",
               "ts_kwh_th": "thermal_storage_kwh_th"}


@dataclass(frozen=True)
class RoadmapPlan:
    """A solved roadmap: roadmap.json's content and each model year's flows on its calendar."""

    inputs: RoadmapInputs
    summary: dict[str, Any]
    hourly: dict[int, pd.DataFrame]


def solve_roadmap(rin: RoadmapInputs, time_limit_s: float | None = None, mip_gap: float | None = None,
                  tee: bool = False, stage: Stage = quiet) -> RoadmapPlan:
    """The least present-cost roadmap of `rin`, or its status and why no plan meets the targets;
    `stage` is told each step (`optimizer.stages`)."""
    start = time.perf_counter()
    with stage(f"{rin.name}: building the model of {count(len(rin.inputs), 'model year')}"):
        m = build_roadmap_model(rin)
    build_s = time.perf_counter() - start
    with stage(f"{rin.name}: solving the roadmap"):
        report = solve_model(m, rin.time_limit_s if time_limit_s is None else time_limit_s,
                             rin.mip_gap if mip_gap is None else mip_gap, tee)
    summary: dict[str, Any] = {
        "name": rin.name, "status": report.status, "solver_status": report.message, "npv": None,
        "currency": next(iter(rin.inputs.values())).currency, "base_year": rin.base_year, "end_year": rin.end_year,
        "discount_rate": rin.discount_rate, "base_emissions_t": rin.base_emissions_t,
        "mip_gap": report.mip_gap, "build_seconds": build_s, "solve_seconds": report.solve_seconds,
        "highs_seconds": report.highs_seconds, "solver_warnings": list(report.warnings),
    }
    hourly: dict[int, pd.DataFrame] = {}
    years = []
    with stage(f"{rin.name}: reading each model year back"):
        for year, inp in rin.inputs.items():
            entry: dict[str, Any] = {"year": year, "stands_for": [year, rin.stands_for(year)[-1]],
                                     "target": rin.targets.get(year), "target_t": inp.max_net_t}
            bau = business_as_usual(inp)
            entry["bau"] = {"total_annual_cost": bau["total_annual_cost"], "net_t": bau["net_t"]}
            if report.has_solution:
                hourly[year] = _on_model_year(hourly_table(m.component(block_name(year)), inp), year)
                entry.update(_year_figures(m, rin, year, hourly[year], bau))
            years.append(entry)
        summary["years"] = years
    if report.has_solution:
        summary.update(_present_values(m, rin, years))
    elif report.status == Status.INFEASIBLE:
        with stage(f"{rin.name}: the targets are out of reach; finding why"):
            summary["explanation"] = explain_roadmap(rin)
    summary["notes"] = sorted({note for inp in rin.inputs.values() for note in inp.notes})
    return RoadmapPlan(rin, summary, hourly)


def _year_figures(m: pyo.ConcreteModel, rin: RoadmapInputs, year: int, hourly: pd.DataFrame,
                  bau: BusinessAsUsual) -> dict[str, Any]:
    """A solved model year as roadmap.json holds it (module docstring), against its business as usual."""
    inp, b = rin.inputs[year], m.component(block_name(year))
    plan = plan_figures(b, inp, hourly)
    sizes = sizes_of(rin, year)
    added = {key: float(pyo.value(m.added[(*key, year)])) for key in sizes}
    built = {g: float(pyo.value(m.build[g, year])) > 0.5 for g, y in m.build if y == year}
    capital = {a.capital_cost for a in ASSETS if a.present(inp) and a.capital_cost}
    costs = {c.removeprefix("cost_"): float(pyo.value(b.component(c))) for c in b.cost_terms if c not in capital}
    investment: dict[str, float] = {}
    for asset in (a for a in ASSETS if a.present(inp) and a.capital_cost):
        own = asset.sizes(inp)
        costs[f"{asset.name}_fixed_om"] = sum(s.om_per_year * _size_value(b, s.var, s.item) for s in own)
        investment[asset.name] = sum(s.capex * added[(s.var, s.item)] for s in own) + sum(
            {s.group: s.fixed_cost for s in own if built.get(s.group)}.values())
    investment["total"] = sum(investment.values())
    total = sum(costs.values())
    figures = {
        "pv_kw": plan.get("pv_kw", {}),
        "pv_kw_added": {item: kw for (var, item), kw in added.items() if var == "pv_kw"},
        "storage_kwh": float(plan.get("storage_kwh", 0.0)), "storage_kw": float(plan.get("storage_kw", 0.0)),
        "storage_kwh_added": added.get(("storage_kwh", None), 0.0),
        "storage_kw_added": added.get(("storage_kw", None), 0.0),
        **{f"{name}_added": added[(var, None)] for var, name in HEAT_SIZES.items() if (var, None) in added},
        **({"measures_added": [item for (var, item), on in added.items() if var == "measure_taken" and on > 0.5]}
           if inp.measures else {}),
        **{k: plan[k] for k in _KEPT if k in plan},
        "costs": costs, "total_annual_cost": total, "investment": investment,
        "weights": {"operating": rin.operating_weight(year), "investment": rin.investment_weight(year)},
    }
    figures.setdefault("green_power_mwh", 0.0)
    figures.setdefault("certificates_mwh", 0.0)
    figures.setdefault("credits_t", 0.0)
    figures["savings"] = bau["total_annual_cost"] - total
    with_bau = {**plan, "bau": bau, "total_annual_cost": total}
    figures["cuts_t"], figures["added_t"] = measure_cuts_t(with_bau), added_t(with_bau)
    return figures


def _size_value(b: pyo.Block, var: str, item: str | None) -> float:
    comp = b.component(var)
    return float(pyo.value(comp[item] if item is not None else comp))


def _present_values(m: pyo.ConcreteModel, rin: RoadmapInputs, years: list[dict[str, Any]]) -> dict[str, Any]:
    """The objective and its parts at the base year; the salvage is what the builds leave after end_year."""
    salvage = 0.0
    for entry in years:
        year = entry["year"]
        sizes = sizes_of(rin, year)
        for key, s in sizes.items():
            share = rin.salvage_weight(year, s.lifetime_years)
            salvage += share * s.capex * float(pyo.value(m.added[(*key, year)]))
        for group, y in m.build:
            if y == year and pyo.value(m.build[group, y]) > 0.5:
                fixed = next(s for s in sizes.values() if s.group == group)
                salvage += rin.salvage_weight(year, fixed.lifetime_years) * fixed.fixed_cost
    bau_pv = sum(e["weights"]["operating"] * e["bau"]["total_annual_cost"] for e in years)
    npv = float(pyo.value(m.npv))
    return {"npv": npv, "npv_parts": {
        "operating": float(pyo.value(m.operating_pv)), "fixed_om": float(pyo.value(m.om_pv)),
        "investment": float(pyo.value(m.investment_pv)) + salvage, "salvage": salvage,
        "past_life_lease": float(pyo.value(m.lease_pv))},
        "bau_npv": bau_pv, "npv_savings": bau_pv - npv}


_STUDIED = ("pv_total_kw", "storage_kwh", "storage_kw", "green_power_mwh", "certificates_mwh", "credits_t")


def study_row(summary: dict[str, Any]) -> dict[str, Any]:
    """What a sweep tabulates of a roadmap: its status and present values, then by model year the
    target, net emissions, what is in service and bought, and the investment (`years.<year>.<figure>`)."""
    row = {k: summary.get(k) for k in ("name", "status", "solver_status", "npv", "bau_npv", "npv_savings", "currency",
                                       "build_seconds", "solve_seconds", "highs_seconds", "explanation")}
    years = {}
    for y in summary["years"]:
        entry = {"target_t": y["target_t"], "net_t": (y.get("emissions") or {}).get("net_t")}
        entry.update({k: y.get(k) for k in _STUDIED})
        entry["investment"] = (y.get("investment") or {}).get("total")
        years[str(y["year"])] = entry
    row["years"] = years
    return row


def explain_roadmap(rin: RoadmapInputs) -> list[str]:
    """Why no roadmap meets every target: each target year out of reach on its own, named with its
    shortfall and the limits that bind; else a word that only the years together miss."""
    lines = []
    for year, inp in rin.inputs.items():
        if inp.max_net_t is not None:
            lines += [f"{year}: {line}" for line in explain_infeasible(inp)]
    return lines or ["Every target year is within reach on its own, but not all of them together: check "
                     "paths that lower a limit from one model year to the next (a roof or battery limit "
                     "below what an earlier year built)."]


def _on_model_year(hourly: pd.DataFrame, year: int) -> pd.DataFrame:
    """The flows with their timestamps moved to the model year (each model year operates the
    scenario's calendar year of weather and load)."""
    index = hourly.index
    if len(index) and index[0].year != year:
        hourly = hourly.copy()
        hourly.index = index.map(lambda t: t.replace(year=year)).rename(index.name)
    return hourly
