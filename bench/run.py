"""`make bench`: where zcf's time goes, against the solver floor and the peer, in one run.

Every measurement runs in its own process (its peak memory is its own); the machine is shared,
so compare figures within one run, as ratios. The table is printed and saved as JSON under
bench/results/ (latest.json and a dated copy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
# The demo plant's electricity problem (its gas as it is): what the floor and the peer both write (the
# floor does not model heat), so the comparisons are like for like. The demo with its heat is timed beside it.
DEMO = "scenarios/demo_gas_as_is.yaml"
HEAT_DEMO = "scenarios/demo.yaml"
ROADMAP_YEARS = (1, 2, 3, 5)  # model years of the roadmap cases (`bench.stages.ROADMAP_YEARS`)


def _measure(name: str, in_process: bool = False, **kwargs: Any) -> dict[str, Any]:
    """Run one measurement of `bench.stages` in a fresh Python process (or in this one, for tests:
    then peak memory is this process's)."""
    if in_process:
        import resource

        from bench.stages import MEASUREMENTS

        result = MEASUREMENTS[name](**kwargs)
        return {**result, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    done = subprocess.run([sys.executable, "-m", "bench.stages", name, json.dumps(kwargs)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if done.returncode != 0:
        raise RuntimeError(f"bench.stages {name} {kwargs} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def agree(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1.0)


def run(quick: bool, peer_milp: bool, say, in_process: bool = False) -> dict[str, Any]:
    """Every figure of the benchmark; `quick` runs the smallest cases (a week; a roadmap of 2 model years
    on 2 typical days), for the test suite."""
    horizon = {"hours": 168} if quick else {}

    def measure(name: str, **kwargs: Any) -> dict[str, Any]:
        return _measure(name, in_process=in_process, **kwargs)

    out: dict[str, Any] = {"quick": quick}
    say("the demo as zcf solves it (MILP by relax and fix)")
    out["demo"] = measure("zcf", scenario=DEMO, **horizon)
    say("the demo with its heat as zcf solves it (on 2 typical days with --quick)")
    out["demo_heat"] = measure("zcf", scenario=HEAT_DEMO, **({"typical_days": 2} if quick else {}))
    say("the same problem without integers (an LP): zcf, the floor, the peer")
    for tool in ("zcf", "floor", "peer"):
        out[f"lp_{tool}"] = measure(tool, scenario=DEMO, relax=True, **horizon)
    out["lp_peer_zcf_options"] = measure("peer", scenario=DEMO, relax=True, zcf_highs_options=True, **horizon)
    objectives = {t: out[f"lp_{t}"]["objective"] for t in ("zcf", "floor", "peer", "peer_zcf_options")}
    out["lp_objectives_agree"] = all(agree(objectives["zcf"], v) for v in objectives.values())
    if not out["lp_objectives_agree"]:
        raise AssertionError(f"the three tools disagree on the same LP: {objectives}")
    if peer_milp:
        say("the peer on the MILP (HiGHS branch and bound)")
        out["milp_peer"] = measure("peer", scenario=DEMO, **horizon)
    say("scaling with the horizon")
    cases = [{"hours": 168}] if quick else [{"hours": 168}, {"hours": 720}, {}, {"step_minutes": 15}]
    out["scaling"] = [{"case": _case_name(c), **measure("zcf", scenario=DEMO, relax=True, **c)} for c in cases]
    points = 3 if quick else 20
    say(f"a {points}-point grid-price sweep, rebuilt at each point and re-solved in place")
    out["sweep_rebuild"] = measure("price_sweep", scenario=DEMO, points=points, rebuild=True, **horizon)
    out["sweep_resolve"] = measure("price_sweep", scenario=DEMO, points=points, **horizon)
    if not quick:  # worker processes are tested in tests/test_sweep_run.py
        say("a sweep on 1 and on 2 worker processes")
        out["workers"] = [measure("sweep_workers", scenario=DEMO, points=8, workers=w) for w in (1, 2)]
    say("typical days against the full year")
    days = [4] if quick else [4, 8, 16, 32]
    out["typical_days"] = [{"days": d, **measure("zcf", scenario=DEMO, typical_days=d)} for d in days]
    say("the demo roadmap on 1, 2, 3 and 5 model years, on 12 typical days and hourly" if not quick
        else "the demo roadmap on 2 model years of 2 typical days")
    cases = [(2, 2)] if quick else [(y, d) for d in (12, None) for y in ROADMAP_YEARS]
    out["roadmap"] = [measure("roadmap", years=y, typical_days=d) for y, d in cases]
    return out


def targets(out: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Each target of the performance work, the measured ratio, and whether it is met."""
    demo, lp, peer = out["demo"], out["lp_zcf"], out["lp_peer"]
    overhead = (demo["build_s"] + demo["handoff_s"]) / demo["highs_s"]
    rebuild, resolve = out["sweep_rebuild"]["per_point_s"], out["sweep_resolve"]["per_point_s"]
    return [
        ("build + hand-off ≤ 25 % of HiGHS's time (demo)", f"{overhead:.0%}", overhead <= 0.25),
        ("end to end faster than the peer (same LP)", f"zcf {lp['model_s']:.1f} s, peer {peer['model_s']:.1f} s "
         f"(with zcf's HiGHS options {out['lp_peer_zcf_options']['model_s']:.1f} s)", lp["model_s"] < peer["model_s"]),
        ("re-solve ≥ 5× faster per point than rebuild", f"{rebuild / resolve:.1f}×", rebuild / resolve >= 5),
        ("peak memory < 1 GB (full-year demo)", f"{demo['peak_mb']:,.0f} MB", demo["peak_mb"] < 1024),
        *roadmap_targets(out.get("roadmap", [])),
    ]


def roadmap_targets(cases: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
    """The roadmap's targets, on 5 model years (not measured by `--quick`)."""
    hourly = next((r for r in cases if r["years"] == 5 and not r["typical_days"]), None)
    days = next((r for r in cases if r["years"] == 5 and r["typical_days"] == 12), None)
    found = []
    if hourly:
        found += [("5 hourly model years end to end ≤ 1.5 × HiGHS (roadmap)",
                   f"{hourly['model_over_highs']:.2f}× ({hourly['model_s']:.0f} s, HiGHS {hourly['highs_s']:.0f} s)",
                   hourly["model_over_highs"] <= 1.5),
                  ("5 hourly model years peak memory < 2 GB (roadmap)", f"{hourly['peak_mb']:,.0f} MB",
                   hourly["peak_mb"] < 2048)]
    if days:
        total = days["inputs_s"] + days["model_s"]
        found.append(("5 model years of 12 typical days < 30 s, inputs included (roadmap)",
                      f"{total:.1f} s (inputs {days['inputs_s']:.1f} s)", total < 30))
    return found


def table(out: dict[str, Any]) -> list[Table]:
    """The figures as tables a reader can take in at a glance."""
    stages = Table(title="Where the time goes (seconds; peak memory in MB)", header_style="bold")
    for column in ("case", "inputs", "build", "hand-off", "HiGHS", "results", "model total", "peak MB", "objective"):
        stages.add_column(column, justify="left" if column == "case" else "right")
    rows = [("demo with heat (MILP, relax and fix)", out["demo_heat"]),
            ("demo, gas as it is (MILP, relax and fix)", out["demo"]), ("LP: zcf", out["lp_zcf"]),
            ("LP: floor (highspy)", out["lp_floor"]), ("LP: peer (linopy, HiGHS defaults)", out["lp_peer"]),
            ("LP: peer with zcf's HiGHS options", out["lp_peer_zcf_options"])]
    if "milp_peer" in out:
        rows.append(("MILP: peer (branch and bound)", out["milp_peer"]))
    for name, r in rows:
        model = r.get("model_s", r["build_s"] + r["handoff_s"] + r["highs_s"])
        stages.add_row(name, f"{r['inputs_s']:.2f}", f"{r['build_s']:.2f}", f"{r['handoff_s']:.2f}",
                       f"{r['highs_s']:.2f}", f"{r.get('extract_s', r.get('readback_s', 0.0)):.2f}", f"{model:.2f}",
                       f"{r['peak_mb']:,.0f}", f"{r['objective']:,.2f}")
    scaling = Table(title="Scaling with the horizon (zcf, LP)", header_style="bold")
    for column in ("horizon", "steps", "rows", "build", "hand-off", "HiGHS", "peak MB"):
        scaling.add_column(column, justify="left" if column == "horizon" else "right")
    for r in out["scaling"]:
        scaling.add_row(r["case"], f"{r['steps']:,}", f"{r['rows']:,}", f"{r['build_s']:.2f}", f"{r['handoff_s']:.2f}",
                        f"{r['highs_s']:.2f}", f"{r['peak_mb']:,.0f}")
    sweeps = Table(title="Sweeps (seconds per point)", header_style="bold")
    for column in ("case", "points", "per point", "after the first", "note"):
        sweeps.add_column(column, justify="left" if column in ("case", "note") else "right")
    rb, rs = out["sweep_rebuild"], out["sweep_resolve"]
    for name, r, note in (("grid prices, rebuilt", rb, ""), ("grid prices, re-solved", rs,
                          f"{rb['per_point_s'] / rs['per_point_s']:.1f}× faster; {rs['reused']} reused")):
        sweeps.add_row(name, str(r["points"]), f"{r['per_point_s']:.2f}", f"{r['after_first_s']:.2f}", note)
    one, two = out.get("workers") or (None, None)
    for r in (one, two) if one else ():
        note = f"{one['wall_s'] / two['wall_s']:.2f}× faster than 1 worker" if r is two else ""
        sweeps.add_row(f"PV capex sweep, {r['workers']} worker(s)", str(r["points"]), f"{r['per_point_s']:.2f}", "",
                       note)
    aggregated = Table(title="Typical days against the full year (demo, gas as it is)", header_style="bold")
    for column in ("days", "model s", "annual cost", *out["demo"]["sizes"]):
        aggregated.add_column(column, justify="right")
    full = out["demo"]
    aggregated.add_row("365 (full)", f"{full['model_s']:.2f}", f"{full['objective'] / 1e6:,.2f} M",
                       *(f"{v:,.0f}" for v in full["sizes"].values()))
    for r in out["typical_days"]:
        aggregated.add_row(str(r["days"]), f"{r['model_s']:.2f}", _error(r["objective"], full["objective"]),
                           *(_error(r["sizes"][k], v) for k, v in full["sizes"].items()))
    ratios = Table(title="Ratios (same run)", header_style="bold")
    for column in ("ratio", "value"):
        ratios.add_column(column, justify="left" if column == "ratio" else "right")
    for name, value in ratio_rows(out):
        ratios.add_row(name, f"{value:.2f}")
    verdict = Table(title="Targets", header_style="bold")
    for column in ("target", "measured", "met"):
        verdict.add_column(column)
    for name, measured, met in targets(out):
        verdict.add_row(name, measured, "yes" if met else "no")
    return [stages, ratios, scaling, sweeps, aggregated, roadmap_table(out.get("roadmap", [])), verdict]


def roadmap_table(cases: list[dict[str, Any]]) -> Table:
    """The demo roadmap on 1–5 model years, hourly and on typical days: time, its stages and memory."""
    scaling = Table(title="Roadmap scaling (demo roadmap, model years up to 2030; seconds, peak memory in MB)",
                    header_style="bold")
    for column in ("years", "time", "rows", "inputs", "build", "hand-off", "HiGHS", "results", "model total",
                   "÷ HiGHS", "peak MB", "NPV, M"):
        scaling.add_column(column, justify="left" if column == "time" else "right")
    for r in cases:
        npv = f"{r['npv'] / 1e6:,.1f}" + ("" if r["status"] == "optimal" else f" ({r['status']})")
        scaling.add_row(str(r["years"]), f"{r['typical_days']} days" if r["typical_days"] else "hourly",
                        f"{r['rows']:,}" if r.get("rows") else "", f"{r['inputs_s']:.2f}", f"{r['build_s']:.2f}",
                        f"{r['handoff_s']:.2f}", f"{r['highs_s']:.2f}", f"{r['readback_s']:.2f}", f"{r['model_s']:.2f}",
                        f"{r['model_over_highs']:.2f}", f"{r['peak_mb']:,.0f}", npv)
    return scaling


def ratio_rows(out: dict[str, Any]) -> list[tuple[str, float]]:
    """End-to-end times against the floor's HiGHS run and against the peer, and overheads."""
    demo, lp, floor = out["demo"], out["lp_zcf"], out["lp_floor"]
    return [
        ("zcf demo end to end / floor's HiGHS time (same LP)", demo["model_s"] / floor["highs_s"]),
        ("zcf LP end to end / floor's HiGHS time", lp["model_s"] / floor["highs_s"]),
        ("zcf LP end to end / peer's (HiGHS defaults)", lp["model_s"] / out["lp_peer"]["model_s"]),
        ("zcf LP end to end / peer's (zcf's HiGHS options)", lp["model_s"] / out["lp_peer_zcf_options"]["model_s"]),
        ("zcf demo build + hand-off / its HiGHS time", (demo["build_s"] + demo["handoff_s"]) / demo["highs_s"]),
    ]


def _case_name(case: dict[str, Any]) -> str:
    if "hours" in case:
        return {168: "one week", 720: "one month"}.get(case["hours"], f"{case['hours']} h")
    return "one year, 15-minute steps" if case.get("step_minutes") == 15 else "one year"


def _error(value: float, reference: float) -> str:
    if not reference:
        return f"{value:,.0f}"
    return f"{(value - reference) / abs(reference):+.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the smallest cases only (a week; a 2-year roadmap on 2 typical days), for the tests")
    parser.add_argument("--peer-milp", action="store_true", help="also the peer on the MILP (minutes)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="folder for the JSON")
    args = parser.parse_args()
    console = Console()
    out = run(args.quick, args.peer_milp, lambda text: console.print(f"[dim]… {text}[/dim]"))
    out["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                      "when": dt.datetime.now().isoformat(timespec="seconds")}
    out["targets"] = [{"target": n, "measured": m, "met": ok} for n, m, ok in targets(out)]
    out["ratios"] = dict(ratio_rows(out))
    for t in table(out):
        console.print(t)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(out, indent=2, default=float)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in ("latest.json", f"bench-{stamp}{'-quick' if args.quick else ''}.json"):
        (args.out / name).write_text(text)
    console.print(f"saved {args.out / 'latest.json'}")


if __name__ == "__main__":
    main()
