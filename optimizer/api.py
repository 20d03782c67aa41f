"""The public Python API: what each `zcf` command does, as a function returning typed results.

A scenario can be given as a file path, a plain dict (as a scenario file reads), a validated
`Scenario` or, where nothing needs reading, as assembled `Inputs`. `overrides` are deep-merged into
the scenario first (a key set to None removes an optional section, e.g. {"storage": None}), so
variants need no extra files. Every mistake in a scenario or its data raises `InputError` with one line
per problem; calling a function with arguments that cannot go together raises `ValueError`.

Importing this module is cheap: Pyomo, HiGHS and matplotlib load when a function needs them, so
`zcf --help`, `zcf schema` and `zcf validate` (which call into here) start at once. Functions that
draw (writing plans, sweeps or frontiers with charts) use matplotlib's current backend; the CLI
selects Agg before calling them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from models.errors import InputError
from optimizer.stages import Stage, quiet
from optimizer.studies.compare import Comparison

if TYPE_CHECKING:
    import pandas as pd

    from models.inputs import Inputs
    from models.scenario.schema import Scenario
    from models.scenario.sweep import Sweep
    from optimizer.result.plan import Plan
    from optimizer.result.roadmap import RoadmapPlan
    from optimizer.studies.pareto import Frontier
    from optimizer.studies.sweep import SweepRun

    ScenarioSource = str | Path | Mapping[str, Any] | Scenario
    """A scenario file, a scenario as a plain dict, or a validated Scenario."""

    Progress = Callable[[Sweep, int], AbstractContextManager[Callable[[dict[str, Any]], None] | None]]
    """Given the sweep and how many points will be solved, a context giving a callback per solved row."""

__all__ = [
    "SCENARIOS", "Comparison", "InputError", "Validation", "build_sweep", "compare", "emission_steps", "load_inputs",
    "load_scenario", "load_sweep", "pareto", "pareto_charts", "roadmap", "save_frontier", "save_plan",
    "save_roadmap", "schema",
    "solve", "sweep", "sweep_charts", "validate",
]


# --- scenarios -----------------------------------------------------------------------------------

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
"""The scenario files of the project zcf is installed from (the demo, its variants, the sweeps), so a
notebook or a script finds them whatever folder it runs in."""

def load_scenario(scenario: ScenarioSource, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """The validated scenario, with `overrides` deep-merged in first (None removes a section).

    A file keeps its `extends` chain and relative paths; errors name the file that set a value.
    """
    from models.scenario import loading
    from models.scenario.schema import Scenario

    if isinstance(scenario, Scenario):
        if not overrides:
            return scenario
        raw, where = scenario.model_dump(exclude_unset=True), scenario.name
    elif isinstance(scenario, Mapping):
        raw, where = dict(scenario), str(scenario.get("name") or "scenario")
    else:
        if not overrides:
            return loading.load_scenario(scenario)
        raw, where = loading.read_raw(Path(scenario)), Path(scenario).name
    return loading.validate(loading.deep_merge(raw, dict(overrides or {})), where=where)


def load_inputs(scenario: ScenarioSource | Inputs, overrides: Mapping[str, Any] | None = None) -> Inputs:
    """The scenario assembled into the arrays the model reads (data files read and checked)."""
    from models.inputs import Inputs
    from models.inputs.assemble import build_inputs

    if isinstance(scenario, Inputs):
        if overrides:
            raise ValueError("overrides apply to a scenario, not to assembled Inputs")
        return scenario
    loaded = load_scenario(scenario, overrides)
    if loaded.roadmap is not None:
        raise InputError(f"{loaded.name}: the scenario has a roadmap section: solve it with `zcf roadmap` "
                         "(api.roadmap); to solve one year on its own, remove the roadmap and set targets")
    return build_inputs(loaded)


@dataclass(frozen=True)
class Validation:
    """A scenario that assembles: its size and the notes on how its data were read."""

    name: str
    steps: int  # time steps of the model
    step_h: float  # hours per step
    load_mwh: float  # annual electricity load
    peak_load_kw: float
    currency: str
    notes: tuple[str, ...]  # how unusual data were read (separators, time zones, resampling)


def validate(scenario: ScenarioSource | Inputs) -> Validation | Sweep:
    """Check a scenario and its data files without solving; a sweep file gives its validated Sweep.

    Loads neither Pyomo, HiGHS nor matplotlib.
    """
    from models.inputs import Inputs
    from models.scenario.loading import read_yaml

    if isinstance(scenario, str | Path) and Path(scenario).is_file() and {"base", "parameters"} <= set(
            read_yaml(Path(scenario))):
        return load_sweep(scenario)
    loaded = scenario if isinstance(scenario, Inputs) else load_scenario(scenario)
    if not isinstance(loaded, Inputs) and loaded.roadmap is not None:
        years = _roadmap_inputs(scenario, loaded).inputs
        inputs = years[max(years)]
        notes = (f"roadmap: {len(years)} model years {min(years)}–{max(years)}; figures below are of "
                      f"{max(years)}",)
        return Validation(inputs.name, len(inputs.load_kw), inputs.step_h, inputs.load_kwh / 1000,
                          float(inputs.load_kw.max()), inputs.currency, (*notes, *inputs.notes))
    inputs = load_inputs(loaded)
    return Validation(inputs.name, len(inputs.load_kw), inputs.step_h, inputs.load_kwh / 1000,
                      float(inputs.load_kw.max()), inputs.currency, tuple(inputs.notes))


def schema(markdown: bool = False) -> str:
    """Every scenario field with its type, default and description: aligned text, or a Markdown table."""
    from models.scenario.schema_doc import schema_markdown, schema_text

    return schema_markdown() if markdown else schema_text()


# --- one plan ------------------------------------------------------------------------------------

def solve(scenario: ScenarioSource | Inputs, out: str | Path | None = None, *,
          overrides: Mapping[str, Any] | None = None, time_limit_s: float | None = None,
          mip_gap: float | None = None, tee: bool = False, stage: Stage | None = None) -> Plan:
    """The least-cost plan meeting the scenario's target (or, out of reach, the lowest-emission plan),
    with business as usual beside it.

    With `out`, summary.json, hourly.csv and the charts are written there (the folder is checked
    before solving). A target out of reach is explained and the lowest-emission plan returned instead
    (`plan.meets_target` False, `plan.missed_by_t` the tonnes; `plan.has_plan` False only without any
    plan). `stage` shows each long step (`optimizer.stages.StageLines`; nothing by default).
    """
    from optimizer.result.run import solve_inputs

    inputs = load_inputs(scenario, overrides)
    if out is not None:
        out_folder(out)
    plan = solve_inputs(inputs, time_limit_s, mip_gap, tee=tee, stage=stage or quiet, best_when_missed=True)
    if out is not None:
        with _reads_kept(scenario):
            save_plan(plan, out)
    return plan


def save_plan(plan: Plan, out: str | Path, excel: bool = False) -> list[Path]:
    """summary.json, hourly.csv and the charts of `plan` in `out` (and plan.xlsx with `excel`);
    returns the paths written."""
    from optimizer.report.files import write_plan

    return write_plan(plan, Path(out), excel)


def emission_steps(plan: Plan | Mapping[str, Any]) -> list[tuple[str, float]]:
    """From business-as-usual emissions to net, each measure's change (tCO2e/yr, negative = cut)."""
    from optimizer.result.figures import emission_steps as steps

    return steps(getattr(plan, "summary", plan))


# --- a roadmap -----------------------------------------------------------------------------------

def roadmap(scenario: ScenarioSource, out: str | Path | None = None, *, overrides: Mapping[str, Any] | None = None,
            time_limit_s: float | None = None, mip_gap: float | None = None, tee: bool = False,
            stage: Stage | None = None) -> RoadmapPlan:
    """The least present-cost path over the scenario's `roadmap` model years, meeting each year's target.

    With `out`, roadmap.json, roadmap.csv, hourly_<year>.csv and the charts are written there.
    A roadmap whose targets are out of reach is returned too, with `summary["explanation"]`.
    `stage` shows each long step (`optimizer.stages.StageLines`; nothing by default).
    """
    from optimizer.result.roadmap import solve_roadmap

    inputs = _roadmap_inputs(scenario, load_scenario(scenario, overrides))
    if out is not None:
        out_folder(out)
    plan = solve_roadmap(inputs, time_limit_s, mip_gap, tee, stage=stage or quiet)
    if out is not None:
        with _reads_kept(scenario):
            save_roadmap(plan, out)
    return plan


def _reads_kept(*scenarios: object) -> AbstractContextManager[None]:
    """While inside, nothing written replaces a file the scenarios given as files read (one of them, its
    `extends` chain, a data file named like a result: a meter file `hourly.csv` in the results folder)."""
    from models.scenario.reads import scenario_files
    from optimizer.atomic import protecting

    return protecting([f for s in scenarios if isinstance(s, str | Path) for f in scenario_files(s)])


def _roadmap_inputs(source: ScenarioSource, scenario: Scenario):
    """Each model year's inputs; a mistake in the roadmap names the file it is in."""
    from models.inputs.roadmap import build_roadmap_inputs

    try:
        return build_roadmap_inputs(scenario)
    except InputError as exc:
        raise exc.prefixed(Path(source).name) if isinstance(source, str | Path) else exc from None


def save_roadmap(plan: RoadmapPlan, out: str | Path) -> list[Path]:
    """roadmap.json, roadmap.csv, each model year's hourly flows and the charts in `out`; the paths written."""
    from optimizer.report.roadmap_files import write_roadmap

    return write_roadmap(plan, Path(out))


# --- several plans side by side ------------------------------------------------------------------

def compare(scenarios: Sequence[ScenarioSource | Inputs | Plan | RoadmapPlan], out: str | Path | None = None, *,
            title: str | None = None, time_limit_s: float | None = None, mip_gap: float | None = None,
            on_plan: Callable[[Plan | RoadmapPlan], None] | None = None, stage: Stage | None = None) -> Comparison:
    """Solve each scenario (a Plan or RoadmapPlan already solved is taken as it is) and build one
    HTML page comparing them, one column each; with `out`, the page is written there.

    Scenarios with a roadmap are solved as roadmaps and compared in a section of their own
    (present value, the year of each build, the emissions path); a page of roadmaps only is that
    section alone. Every scenario is read and checked before any is solved: all problems come in
    one InputError. A scenario whose target is out of reach keeps its column, with the reasons in
    words. `on_plan` is called with each plan or roadmap as it is solved, and `stage` is told each
    long step (for progress).
    """
    from optimizer.studies.compare import compare_columns, problems_of

    loaded: list[tuple[str, Any]] = []
    problems: list[str] = []
    for item in scenarios:
        try:
            loaded.append(_column(item))
        except InputError as exc:
            problems += problems_of(item, exc)
    if problems:
        raise InputError(problems)
    with _reads_kept(*scenarios):
        return compare_columns(loaded, out, title, time_limit_s, mip_gap, on_plan, stage or quiet)


def _column(item: ScenarioSource | Inputs | Plan | RoadmapPlan) -> tuple[str, Any]:
    """A compare column's description and what to solve (or the plan already solved)."""
    from models.inputs import Inputs
    from optimizer.result.plan import Plan
    from optimizer.result.roadmap import RoadmapPlan

    if isinstance(item, Plan | Inputs | RoadmapPlan):
        return "", item
    scenario = load_scenario(item)
    if scenario.roadmap is not None:
        return scenario.description, _roadmap_inputs(item, scenario)
    return scenario.description, load_inputs(scenario)


# --- sweeps --------------------------------------------------------------------------------------

def load_sweep(path: str | Path, *, time_limit_s: float | None = None, mip_gap: float | None = None) -> Sweep:
    """A sweep file expanded into its points, each validated; the solver options override the base's."""
    from models.scenario.sweep import load_sweep as read

    return read(path, solver={"time_limit_s": time_limit_s, "mip_gap": mip_gap})


def build_sweep(base: ScenarioSource, name: str, mode: Literal["grid", "zip", "one_at_a_time", "monte_carlo"],
                parameters: Mapping[str, Any], *, samples: int | None = None, seed: int = 0,
                overrides: Mapping[str, Any] | None = None, description: str = "") -> Sweep:
    """A sweep over `base` without a sweep file: `parameters` maps dotted paths to values as a sweep
    file gives them (lists for grid and zip, {low, high} for one_at_a_time, distributions).

    File paths among the values or `overrides` are taken as Python takes them, from the working
    directory; those inside a scenario file, from that file's folder.
    """
    from models.scenario import loading
    from models.scenario.schema import Scenario
    from models.scenario.sweep import build_sweep as build

    if isinstance(base, Scenario):
        raw = base.model_dump(mode="json", exclude_unset=True)
    elif isinstance(base, Mapping):
        raw = dict(base)
    else:
        raw = loading.read_raw(Path(base))
    if overrides:
        raw = loading.deep_merge(raw, dict(overrides))
    return build(raw, name, mode, dict(parameters), samples, seed, description=description)


def sweep(spec: str | Path | Sweep, out: str | Path, *, workers: int = 1, scheduler: str | None = None,
          dask: str | None = None, retry_failed: bool = False, time_limit_s: float | None = None,
          mip_gap: float | None = None, charts: bool = True, progress: Progress | None = None) -> SweepRun:
    """Solve every point of a sweep not yet stored in `out`; the results table gathers them all.

    Each point is stored as it arrives (results.parquet, results.csv, points/), so a run cut short
    resumes where it stopped. `workers` local processes, or a Dask cluster: `scheduler` (address)
    or `dask="local"`. With `charts`, the sweep's charts are drawn into `out` too (`sweep_charts`).
    `time_limit_s` and `mip_gap` apply when the sweep is read from a file.
    """
    from models.scenario.reads import sweep_files
    from optimizer.atomic import protecting
    from optimizer.studies.sweep import count_pending, run_sweep

    reads: list[Path] = []  # a sweep file's, its base's and its points' files: never replaced
    if not isinstance(spec, str | Path) and (time_limit_s is not None or mip_gap is not None):
        raise ValueError("time_limit_s and mip_gap apply when a sweep is read: give them to load_sweep, "
                         "or as overrides={'solver': ...} to build_sweep")
    if isinstance(spec, str | Path):
        path, spec = spec, load_sweep(spec, time_limit_s=time_limit_s, mip_gap=mip_gap)
        reads = sweep_files(path, spec)
    out = out_folder(out)
    with protecting(reads):
        with _progress(progress, spec, lambda: count_pending(spec, out, retry_failed)) as on_result:
            run = run_sweep(spec, out, workers, scheduler, dask, retry_failed, on_result)
        if charts:
            sweep_charts(spec, run, out)
    return run


def sweep_charts(spec: Sweep, run: SweepRun | pd.DataFrame, out: str | Path) -> list[Path]:
    """The charts that fit the sweep's mode (tornado, heat map, lines, ...) as PNG files in `out`."""
    from optimizer.report.sweep_charts import write_sweep_charts

    table = getattr(run, "table", run)
    return write_sweep_charts(spec, table, Path(out), spec.points[0].scenario.get("currency", "CNY"))


# --- the Pareto frontier -------------------------------------------------------------------------

def pareto(scenario: str | Path, out: str | Path, *, points: int = 11, workers: int = 1,
           scheduler: str | None = None, dask: str | None = None, time_limit_s: float | None = None,
           mip_gap: float | None = None, charts: bool = True, progress: Progress | None = None) -> Frontier:
    """Least cost at `points` net-emissions caps from the cheapest plan's emissions to net zero.

    Solved as a sweep into `out` (so it resumes); frontier.csv, frontier_steps.csv and
    frontier.json are written there, and with `charts` pareto.png and mac_curve.png.
    """
    from optimizer.studies.pareto import frontier, pareto_sweep
    from optimizer.studies.sweep import count_pending, run_sweep

    out = out_folder(out)  # before the cheapest plan is solved: a bad folder is said at once
    spec = pareto_sweep(Path(scenario), points, {"time_limit_s": time_limit_s, "mip_gap": mip_gap})
    with _reads_kept(scenario):
        with _progress(progress, spec, lambda: count_pending(spec, out)) as on_result:
            # Every point is a target on the same plant: its no-target plan is the frontier's first point.
            run = run_sweep(spec, out, workers, scheduler, dask, on_result=on_result, with_no_target=False)
        front = frontier(run.table, spec.name, spec.points[0].scenario.get("currency", "CNY"))
        save_frontier(front, out)
        if charts:
            pareto_charts(front, out)
    return front


def save_frontier(front: Frontier, out: str | Path) -> list[Path]:
    """frontier.csv, frontier_steps.csv and frontier.json in `out`; returns the paths written."""
    from optimizer.report.study_files import write_frontier

    return write_frontier(front, Path(out))


def pareto_charts(front: Frontier, out: str | Path) -> list[Path]:
    """pareto.png (cost against net emissions) and mac_curve.png in `out`."""
    from optimizer.report.pareto_charts import write_pareto_charts

    return write_pareto_charts(front, Path(out))


# --- results folders and progress ----------------------------------------------------------------

def out_folder(out: str | Path) -> Path:
    """Create the results folder before solving, so a bad folder is reported at once, not after."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {str(out)!r} is a file; give a folder for the results")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {str(out)!r}: cannot create the folder ({exc.strerror or exc})") from None
    return out


def _progress(progress: Progress | None, spec: Sweep, pending: Callable[[], int]
              ) -> AbstractContextManager[Callable[[dict[str, Any]], None] | None]:
    return nullcontext(None) if progress is None else progress(spec, pending())

