"""One measurement per call, meant to run in a child process of `bench.run` (so peak memory is its own).

    python -m bench.stages NAME '{"scenario": "scenarios/demo.yaml", ...}'

prints one JSON object: the measurement's figures and `peak_mb`, the process's peak resident memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from models.inputs import Inputs
from models.inputs.assemble import build_inputs
from models.scenario.loading import read_raw, validate

ROOT = Path(__file__).resolve().parents[1]


def inputs_for(scenario: str, hours: int | None = None, step_minutes: int = 60, typical_days: int | None = None,
               relax: bool = False) -> tuple[Inputs, float]:
    """The scenario's inputs (cut to the first `hours`, on `step_minutes` steps or typical days) and
    the seconds it took to read and prepare them (pvlib included)."""
    start = time.perf_counter()
    raw = read_raw(ROOT / scenario)
    time_section = {"resolution_minutes": step_minutes}
    if typical_days:
        time_section.update(aggregation="typical_days", days=typical_days)
    inp = build_inputs(validate({**raw, "time": time_section}))
    if hours:
        inp = first_hours(inp, hours)
    if relax:
        inp = without_integers(inp)
    return inp, time.perf_counter() - start


def first_hours(inp: Inputs, hours: int) -> Inputs:
    """The first `hours` of a year of inputs: the same plant over a shorter horizon (yearly volumes,
    scope 1 and the fuel bill cut in proportion, so the year's target stays reachable)."""
    n = round(hours / inp.step_h)
    share = n / len(inp.load_kw)
    pv = inp.pv and replace(inp.pv, arrays=tuple(replace(a, yield_kwh_per_kwp=a.yield_kwh_per_kwp[:n])
                                                 for a in inp.pv.arrays))
    green = inp.green_power
    if green is not None:
        shape = green.profile_share[:n]
        green = replace(green, profile_share=shape / shape.sum(), max_mwh=green.max_mwh * share,
                        min_mwh=green.min_mwh * share)
    return replace(inp, index=inp.index[:n], load_kw=inp.load_kw[:n], price_per_kwh=inp.price_per_kwh[:n],
                   period=inp.period[:n], pv=pv, green_power=green, scope1_t=inp.scope1_t * share,
                   fuel_cost=inp.fuel_cost * share)


def without_integers(inp: Inputs) -> Inputs:
    """The same problem with no integer decisions (no fixed costs, blocks or minimum volumes): an LP."""
    pv = inp.pv and replace(inp.pv, arrays=tuple(replace(a, fixed_cost=0.0) for a in inp.pv.arrays))
    storage = inp.storage and replace(inp.storage, fixed_cost=0.0, unit_kwh=None, unit_kw=None)
    green = inp.green_power and replace(inp.green_power, min_mwh=0.0)
    return replace(inp, pv=pv, storage=storage, green_power=green)


def zcf(scenario: str, **options: Any) -> dict[str, Any]:
    """zcf's own path, stage by stage: inputs, Pyomo build, hand-off to HiGHS, HiGHS, results."""
    from optimizer.model.build import build_model
    from optimizer.result.extract import hourly_table, plan_figures
    from optimizer.solver.highs_model import HighsModel
    from optimizer.solver.strategy import solve_highs

    inp, inputs_s = inputs_for(scenario, **options)
    start = time.perf_counter()
    model = build_model(inp)
    build_s = time.perf_counter() - start
    hm = HighsModel(model)
    report = solve_highs(hm, 3600, 1e-4)
    if not report.has_solution:
        raise RuntimeError(f"zcf found no plan for {scenario} {options}: {report.status}")
    start = time.perf_counter()
    figures = plan_figures(model, inp, hourly_table(model, inp))
    extract_s = time.perf_counter() - start
    sizes = {k: figures[k] for k in ("pv_total_kw", "storage_kwh", "storage_kw", "green_power_mwh",
                                     "certificates_mwh", "credits_t")}
    return {"steps": len(inp.load_kw), "rows": len(hm.rows), "columns": len(hm.columns), "status": report.status,
            "method": report.method, "objective": report.objective, "inputs_s": inputs_s, "build_s": build_s,
            "handoff_s": report.handoff_seconds, "highs_s": report.highs_seconds, "extract_s": extract_s,
            "model_s": build_s + report.handoff_seconds + report.highs_seconds + extract_s, "sizes": sizes}


def floor(scenario: str, **options: Any) -> dict[str, Any]:
    """The same problem assembled with numpy and passed straight to highspy."""
    from bench.floor_highspy import solve_floor

    inp, inputs_s = inputs_for(scenario, **options)
    result = solve_floor(inp, 3600, 1e-4)
    return {"inputs_s": inputs_s, "objective": result["objective"], "status": result["status"],
            "build_s": result["build_seconds"], "handoff_s": result["handoff_seconds"],
            "highs_s": result["highs_seconds"]}


def peer(scenario: str, zcf_highs_options: bool = False, **options: Any) -> dict[str, Any]:
    """The same problem in linopy (PyPSA's modelling layer) through its direct HiGHS interface;
    HiGHS with its defaults, as a linopy user runs it, or with the options zcf sets."""
    from bench.peer_linopy import solve_linopy

    inp, inputs_s = inputs_for(scenario, **options)
    result = solve_linopy(inp, 3600, 1e-4, zcf_highs_options=zcf_highs_options)
    model_s = sum(result.get(k, 0.0) for k in ("build_seconds", "handoff_seconds", "highs_seconds",
                                                 "readback_seconds"))
    return {"inputs_s": inputs_s, "objective": result["objective"], "status": result["status"],
            "build_s": result["build_seconds"], "handoff_s": result["handoff_seconds"],
            "highs_s": result["highs_seconds"], "readback_s": result.get("readback_seconds", 0.0),
            "model_s": model_s}


def price_sweep(scenario: str, points: int = 20, rebuild: bool = False, **options: Any) -> dict[str, Any]:
    """`points` grid-price levels (0.8–1.2 × the tariff) solved one after another, each either built
    afresh or re-solved in place in the model of the point before."""
    from optimizer.solver.resolver import Resolver

    inp, _ = inputs_for(scenario, **options)
    resolver = Resolver()
    seconds, objectives, reused = [], [], []
    for factor in np.linspace(0.8, 1.2, points):
        point = replace(inp, price_per_kwh=inp.price_per_kwh * factor)
        start = time.perf_counter()
        solved = (Resolver() if rebuild else resolver).solve(point, 3600, 1e-4)
        seconds.append(time.perf_counter() - start)
        objectives.append(solved.report.objective)
        reused.append(solved.reused)
    return {"points": points, "seconds": seconds, "objectives": objectives, "reused": sum(reused),
            "per_point_s": float(np.mean(seconds)), "after_first_s": float(np.mean(seconds[1:] or seconds))}


def sweep_workers(scenario: str, points: int = 8, workers: int = 1) -> dict[str, Any]:
    """A sweep file of `points` PV-capex values run through `zcf sweep`'s machinery on `workers`."""
    import tempfile

    from models.scenario.sweep import build_sweep
    from optimizer.studies.sweep import run_sweep

    base = read_raw(ROOT / scenario)
    values = np.linspace(2400, 3600, points).round(1).tolist()
    with tempfile.TemporaryDirectory() as out:
        sweep = build_sweep(base, "capex", "grid", {"pv.capex_per_kw": values})
        start = time.perf_counter()
        run = run_sweep(sweep, Path(out), workers=workers)
        wall_s = time.perf_counter() - start
    return {"points": points, "workers": workers, "wall_s": wall_s, "per_point_s": wall_s / points,
            "failed": run.failed, "objectives": run.table["total_annual_cost"].tolist()}


ROADMAP = "scenarios/demo_roadmap.yaml"
ROADMAP_YEARS = {1: [2030], 2: [2026, 2030], 3: [2026, 2028, 2030], 5: [2026, 2027, 2028, 2029, 2030]}
REDUCTION_PCT = {2026: 30, 2027: 50, 2028: 70, 2029: 85}  # the demo's cuts, and 85 % for 2029


# The roadmap's plant with its gas as it is (`scenarios/demo_gas_as_is.yaml`): the problem the roadmap
# targets were set on; with heat, an hourly model year takes HiGHS minutes, not seconds.
GAS_AS_IS = {"heat": None, "measures": None, "fuels": read_raw(ROOT / "scenarios" / "demo_gas_as_is.yaml")["fuels"]}


def roadmap_overrides(years: int, typical_days: int | None = None) -> dict[str, Any]:
    """The demo roadmap on `years` model years (base year 2025, horizon 2050): the demo's cuts in
    the earlier years, net zero in 2030; hourly, or on `typical_days`."""
    chosen = ROADMAP_YEARS[years]
    targets: dict[int, Any] = {y: None for y in (*REDUCTION_PCT, 2030)}  # the demo's targets removed
    targets.update({y: {"reduction_pct": REDUCTION_PCT[y]} for y in chosen[:-1]})
    targets[chosen[-1]] = {"net_zero": True}
    overrides: dict[str, Any] = {"roadmap": {"base_year": 2025, "end_year": 2050, "years": chosen,
                                             "targets": targets}, **GAS_AS_IS}
    if typical_days:
        overrides["time"] = {"aggregation": "typical_days", "days": typical_days}
    return overrides


def roadmap(years: int, typical_days: int | None = None) -> dict[str, Any]:
    """The demo roadmap on `years` model years as `api.roadmap` solves it: inputs (scenario and every
    model year's series), then build, solve and read back (`solve_roadmap`), each timed."""
    import optimizer.solver.strategy as strategy
    from models.inputs.roadmap import build_roadmap_inputs
    from optimizer.api import load_scenario
    from optimizer.result.roadmap import solve_roadmap

    sizes: list[tuple[int, int]] = []

    class Counted(strategy.HighsModel):  # the size of the matrix HiGHS is handed, read on the way
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            sizes.append((len(self.rows), len(self.columns)))

    start = time.perf_counter()
    rin = build_roadmap_inputs(load_scenario(ROOT / ROADMAP, roadmap_overrides(years, typical_days)))
    inputs_s = time.perf_counter() - start
    strategy.HighsModel, plain = Counted, strategy.HighsModel
    try:
        start = time.perf_counter()
        plan = solve_roadmap(rin)
        model_s = time.perf_counter() - start
    finally:
        strategy.HighsModel = plain
    s = plan.summary
    if s["npv"] is None:
        raise RuntimeError(f"no roadmap for {years} model years, typical days {typical_days}: {s['status']}")
    rows, columns = sizes[-1] if sizes else (None, None)
    return {"years": years, "model_years": list(rin.inputs), "typical_days": typical_days,
            "steps": sum(len(inp.load_kw) for inp in rin.inputs.values()), "rows": rows, "columns": columns,
            "status": s["status"], "npv": s["npv"], "inputs_s": inputs_s, "build_s": s["build_seconds"],
            "handoff_s": s["solve_seconds"] - s["highs_seconds"], "highs_s": s["highs_seconds"],
            "readback_s": model_s - s["build_seconds"] - s["solve_seconds"], "model_s": model_s,
            "model_over_highs": model_s / s["highs_seconds"]}


MEASUREMENTS = {"zcf": zcf, "floor": floor, "peer": peer, "price_sweep": price_sweep, "sweep_workers": sweep_workers,
                "roadmap": roadmap}


def main() -> None:
    name, kwargs = sys.argv[1], json.loads(sys.argv[2])
    result = MEASUREMENTS[name](**kwargs)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, default=float))


if __name__ == "__main__":
    main()
