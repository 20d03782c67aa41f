"""Why a target cannot be met, in words: the lowest reachable emissions and the limits that bind."""

from __future__ import annotations

from dataclasses import replace

import pyomo.environ as pyo

from models.inputs import Inputs
from optimizer.formulation import build_model
from optimizer.solve import solve_model

_AT_LIMIT = 1e-6  # relative closeness to a bound that counts as "at the limit"


def explain_infeasible(inp: Inputs) -> list[str]:
    """Lines saying how far the target is out of reach and which limits stop the plan.

    The target is dropped and net emissions minimised instead; the plan that reaches the lowest
    net emissions shows which options are used to their limit.
    """
    if inp.max_net_t is None:
        return ["HiGHS found no feasible plan, and no emissions target is set: "
                "check limits that must all hold at once (storage block sizes, minimum PPA volume)."]
    m = build_model(replace(inp, max_net_t=None))
    m.total_cost.deactivate()
    m.lowest_net = pyo.Objective(expr=m.net_t, sense=pyo.minimize)
    report = solve_model(m, inp.time_limit_s, inp.mip_gap)
    if not report.has_solution:
        return [f"HiGHS found no plan even without the emissions target ({report.status})."]
    lowest_t = float(pyo.value(m.net_t))
    lines = [
        f"The emissions target (net ≤ {_n(inp.max_net_t)} tCO2e) cannot be met: the lowest net "
        f"emissions any plan reaches are {_n(lowest_t)} tCO2e, {_n(lowest_t - inp.max_net_t)} t short.",
        f"Scope 1 from fuels is {_n(inp.scope1_t)} t and no option in the model reduces it.",
    ]
    return lines + [f"Limit reached: {text}" for text in _binding_limits(m, inp)] + _missing_options(inp)


def _binding_limits(m: pyo.ConcreteModel, inp: Inputs) -> list[str]:
    found = []
    if inp.pv is not None:
        for a in inp.pv.arrays:
            if _at(m.pv_kw[a.name].value, a.limit_kw):
                found.append(f"PV array '{a.name}' is at its roof limit of {_n(a.limit_kw)} kWp "
                             "(pv.arrays max_kw or area_m2 × power_density_w_per_m2).")
    if inp.storage is not None and inp.storage.max_kwh is not None and _at(m.storage_kwh.value, inp.storage.max_kwh):
        found.append(f"the battery is at storage.max_kwh = {_n(inp.storage.max_kwh)} kWh.")
    if inp.green_power is not None and _at(m.green_mwh.value, inp.green_power.max_mwh):
        found.append(f"green power is bought up to green_power.max_mwh = {_n(inp.green_power.max_mwh)} MWh.")
    if inp.certificates is not None:
        bought = m.certificates_mwh.value
        if inp.certificates.max_mwh is not None and _at(bought, inp.certificates.max_mwh):
            found.append(f"certificates are bought up to certificates.max_mwh = {_n(inp.certificates.max_mwh)} MWh.")
        elif _at(bought, m.grid_import_mwh.value):
            found.append("certificates already cover every MWh imported from the grid.")
    if inp.credits is not None:
        cap_t = inp.credits.max_offset_share * inp.bau_emissions_t
        if _at(m.credits_t.value, cap_t):
            found.append(f"carbon credits are at the offset cap of {_n(cap_t)} t "
                         f"(targets.max_offset_share = {inp.credits.max_offset_share:g} × business-as-usual "
                         f"emissions {_n(inp.bau_emissions_t)} t).")
    return found


def _missing_options(inp: Inputs) -> list[str]:
    absent = [name for name, section in (
        ("pv", inp.pv), ("green_power", inp.green_power), ("certificates", inp.certificates),
        ("carbon_credits", inp.credits)) if section is None]
    return [f"Not available in this scenario: {', '.join(absent)} (no section in the file)."] if absent else []


def _at(value: float | None, limit: float | None) -> bool:
    if value is None or limit is None:
        return False
    return value >= limit - _AT_LIMIT * max(1.0, abs(limit))


def _n(value: float) -> str:
    """Large figures with thousands separators, small ones with three significant digits."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
