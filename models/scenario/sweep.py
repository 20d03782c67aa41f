"""Sweep files: a base scenario, the parameters to vary by dotted path, and how to combine them.

Modes: `grid` (every combination), `zip` (paired lists), `one_at_a_time` (each parameter to its
low and high value, the others at base: tornado charts) and `monte_carlo` (seeded draws from
named distributions). Every point is a full scenario, validated before anything is solved, and
identified by a hash of what decides its answer, so a sweep started again skips what is done.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, ValidationError

from models.errors import InputError, short_repr
from models.scenario.distributions import Distribution
from models.scenario.dotted import Step, address, get_value, overlaps, parse_path, set_value
from models.scenario.loading import deep_merge, error_lines, file_paths, read_raw, read_yaml, resolve_paths, validate
from models.scenario.schema import Section

Mode = Literal["grid", "zip", "one_at_a_time", "monte_carlo"]
MAX_POINTS = 100_000  # the most points a sweep expands to: Monte Carlo draws, grid combinations
_MAX_ERROR_LINES = 20


class SweepFile(Section):
    """What a sweep file holds."""

    name: str = Field(min_length=1, description="Sweep name, shown in results and charts.")
    description: str = Field("", description="Free text.")
    base: str = Field(min_length=1, description="Base scenario file, relative to the sweep file.")
    mode: Mode = Field("grid", description="How parameter values combine into points.")
    parameters: dict[str, Any] = Field(
        min_length=1, description="Dotted path -> values: a list (grid, zip), {low, high} (one_at_a_time) "
        "or a distribution (monte_carlo).",
    )
    samples: int | None = Field(None, ge=1, le=MAX_POINTS, description="Number of draws (monte_carlo).")
    seed: int = Field(0, description="Seed of the Monte Carlo draws.")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="Merged into the base scenario first, e.g. {solver: {mip_gap: 0.01}}."
    )


@dataclass(frozen=True)
class Point:
    """One scenario of a sweep."""

    index: int
    label: str
    values: dict[str, Any]  # every swept parameter's value at this point
    varied: str | None  # one_at_a_time: the parameter moved off its base value
    level: str  # 'point' (grid, zip), 'base', 'low' or 'high' (one_at_a_time), 'sample' (monte_carlo)
    scenario: dict[str, Any]  # the complete scenario, as a scenario file would read
    key: str  # hash of everything that decides the answer


@dataclass(frozen=True)
class Sweep:
    name: str
    description: str
    mode: Mode
    parameters: tuple[str, ...]
    base_values: dict[str, Any]
    points: tuple[Point, ...]


def load_sweep(path: str | Path, solver: dict[str, float] | None = None) -> Sweep:
    """Read and expand a sweep file; every point is validated, every problem reported at once.

    `solver` (time_limit_s, mip_gap) overrides the scenarios' solver settings, as the CLI options do.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise InputError(f"sweep file not found: {path}")
    raw = read_yaml(path)
    try:
        spec = SweepFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{path.name}: {line}" for line in error_lines(exc, raw, SweepFile)) from None
    overrides = dict(spec.overrides)
    resolve_paths(overrides, path.parent)
    if solver:
        overrides = deep_merge(overrides, {"solver": {k: v for k, v in solver.items() if v is not None}})
    try:
        base = deep_merge(read_raw(path.parent / spec.base), overrides)
        return build_sweep(base, spec.name, spec.mode, spec.parameters, spec.samples, spec.seed,
                           folder=path.parent, description=spec.description)
    except InputError as exc:
        raise exc.prefixed(path.name) from None


def build_sweep(base: dict[str, Any], name: str, mode: Mode, parameters: dict[str, Any],
                samples: int | None = None, seed: int = 0, folder: Path | None = None,
                description: str = "") -> Sweep:
    """The points of a sweep over `base` (a scenario as a plain dict with absolute paths)."""
    problems: list[str] = []
    steps: dict[str, tuple[Step, ...]] = {}
    base_values: dict[str, Any] = {}
    with_defaults = validate(base, where="base scenario").model_dump(mode="json")
    governed = set((base.get("roadmap") or {}).get("paths") or {})
    for path in parameters:
        if path in governed:
            problems.append(f"parameters: {path!r} follows the roadmap's path for it; sweep its value in one year "
                            f"instead, e.g. roadmap.paths[{path}].{max(base['roadmap']['paths'][path])}")
            continue
        try:
            steps[path] = parse_path(path)
            base_values[path] = get_value(with_defaults, steps[path], path)
        except InputError as exc:
            problems += [f"parameters: {p}" for p in exc.problems]
    if not problems:
        problems = overlaps({p: address(with_defaults, steps[p], p) for p in steps})
    if problems:
        raise InputError(problems)
    combos = _combinations(mode, parameters, base_values, samples, seed)
    digests: dict[tuple[str, int, int], str] = {}  # each data file hashed once for the whole sweep
    moving = [p for p in parameters if len({json.dumps(c[0][p], default=str) for c in combos}) > 1]
    points, problems = [], []
    for index, (values, varied, level) in enumerate(combos):
        label = _label({p: values[p] for p in moving or parameters}, varied, level)
        try:
            scenario = base
            for p, v in values.items():
                scenario = set_value(scenario, steps[p], _resolved(steps[p], v, folder), p)
            scenario = {**scenario, "name": f"{base.get('name', 'scenario')} | {label}"}
            resolved = validate(scenario, where=f"point {index} ({label})").model_dump(mode="json")
        except InputError as exc:
            problems += exc.problems
            continue
        points.append(Point(index, label, values, varied, level, scenario, point_key(resolved, digests)))
    problems = list(dict.fromkeys(problems))
    if problems:
        more = len(problems) - _MAX_ERROR_LINES
        raise InputError(problems[:_MAX_ERROR_LINES] + ([f"... and {more} more"] if more > 0 else []))
    return Sweep(name, description, mode, tuple(parameters), base_values, tuple(points))


def point_key(resolved: dict[str, Any], digests: dict[tuple[str, int, int], str] | None = None) -> str:
    """A hash of everything that decides a point's answer: the scenario with every default filled
    in (`resolved`, a validated scenario's dump), the contents of the files it names, and the code
    and solver that answer it. `digests` keeps file hashes by path, modification time and size,
    for the next points of the same sweep."""
    paths = file_paths(json.loads(json.dumps(resolved, default=str)))
    files = {p: _file_digest(Path(p), {} if digests is None else digests) for p in paths}
    text = json.dumps({"scenario": resolved, "files": files, "code": code_fingerprint()}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the packages models/ and optimizer/
_CODE_PACKAGES = ("models", "optimizer")
_SOLVING_PACKAGES = ("zcf", "highspy", "pyomo", "pvlib", "tsam")


def code_fingerprint(root: Path | None = None) -> str:
    """zcf's own sources and the versions of what solves: a stored result from other code is not a
    result of this code.

    Every `.py` file of `models` and `optimizer`, sub-packages included, in the order of its path
    relative to `root`, that path hashed with it (a moved or renamed file changes the key too).
    `root` defaults to this installation, fingerprinted once per process; tests pass a copy."""
    return _own_code_fingerprint() if root is None else _fingerprint(Path(root))


@cache
def _own_code_fingerprint() -> str:
    return _fingerprint(_ROOT)


def _fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    sources = {path.relative_to(root).as_posix(): path for package in _CODE_PACKAGES
               for path in (root / package).rglob("*.py")}
    for relative in sorted(sources):
        content = sources[relative].read_bytes()
        digest.update(f"{relative}\0{len(content)}\0".encode() + content)
    for package in _SOLVING_PACKAGES:
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=absent".encode())
    return digest.hexdigest()


def _combinations(mode: Mode, parameters: dict[str, Any], base_values: dict[str, Any], samples: int | None,
                  seed: int) -> list[tuple[dict[str, Any], str | None, str]]:
    if mode in ("grid", "zip"):
        lists = {p: _value_list(p, spec) for p, spec in parameters.items()}
        if mode == "grid":
            _check_grid_size([len(v) for v in lists.values()])
            return [(dict(zip(lists, combo, strict=True)), None, "point")
                    for combo in itertools.product(*lists.values())]
        lengths = {p: len(v) for p, v in lists.items()}
        if len(set(lengths.values())) > 1:
            raise InputError(f"parameters: zip pairs values by position, so every list needs the same length; "
                             f"got {lengths}")
        return [(dict(zip(lists, combo, strict=True)), None, "point") for combo in zip(*lists.values(), strict=True)]
    if mode == "one_at_a_time":
        ranges = {p: _low_high(p, spec, base_values[p]) for p, spec in parameters.items()}
        base = {p: r[1] for p, r in ranges.items()}
        combos = [(base, None, "base")]
        for p, (low, _, high) in ranges.items():
            combos += [({**base, p: low}, p, "low"), ({**base, p: high}, p, "high")]
        return combos
    if samples is None:
        raise InputError("samples: monte_carlo needs the number of draws, e.g. samples: 200")
    rng = np.random.default_rng(seed)
    draws = {p: _distribution(p, spec).sample(rng, samples).tolist() for p, spec in parameters.items()}
    base = [(dict(base_values), None, "base")] if all(v is not None for v in base_values.values()) else []
    return base + [({p: d[i] for p, d in draws.items()}, None, "sample") for i in range(samples)]


def _check_grid_size(lengths: list[int]) -> None:
    """Refuse a grid past `MAX_POINTS` before a single combination is made."""
    size = math.prod(lengths)
    if size > MAX_POINTS:
        raise InputError(f"parameters: the grid has {size:,} points ({' × '.join(map(str, lengths))} values); at "
                         f"most {MAX_POINTS:,}, as for monte_carlo samples: give fewer values, or split the sweep")


def _value_list(path: str, spec: Any) -> list[Any]:
    values = spec.get("values") if isinstance(spec, dict) and set(spec) == {"values"} else spec
    if not isinstance(values, list) or not values:
        raise InputError(f"parameters.{path}: got {short_repr(spec)}; give a non-empty list of values, "
                         "e.g. [2400, 3000, 3600]")
    return values


def _low_high(path: str, spec: Any, base_value: Any) -> tuple[Any, Any, Any]:
    if not isinstance(spec, dict) or not {"low", "high"} <= set(spec) or set(spec) - {"low", "base", "high"}:
        raise InputError(f"parameters.{path}: got {short_repr(spec)}; one_at_a_time needs "
                         "{low: ..., high: ...} and optionally base: ...")
    base = spec.get("base", base_value)
    if base is None and "base" not in spec:
        raise InputError(f"parameters.{path}: the base scenario has no value here; give base: ...")
    return spec["low"], base, spec["high"]


def _distribution(path: str, spec: Any) -> Distribution:
    if not isinstance(spec, dict):
        raise InputError(f"parameters.{path}: got {short_repr(spec)}; monte_carlo needs a distribution, "
                         "e.g. {distribution: triangular, low: 2400, mode: 3000, high: 3600}")
    try:
        return Distribution.model_validate(spec)
    except ValidationError as exc:
        raise InputError(f"parameters.{path}.{line}" for line in error_lines(exc, spec, Distribution)) from None


def _resolved(steps: tuple[Step, ...], value: Any, folder: Path | None) -> Any:
    """`value` with any file path in it made absolute, relative to the sweep file's folder."""
    if folder is None or value is None:
        return value
    patch: Any = json.loads(json.dumps(value, default=str))
    for step in reversed(steps):
        patch = {step.name: [patch] if step.key is not None else patch}
    resolve_paths(patch, folder)
    for step in steps:
        patch = patch[step.name][0] if step.key is not None else patch[step.name]
    return patch


def _label(values: dict[str, Any], varied: str | None, level: str) -> str:
    if level == "base":
        return "base"
    if varied is not None:
        return f"{varied} {level} ({_short(values[varied])})"
    return ", ".join(f"{p}={_short(v)}" for p, v in values.items())


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "none" if value is None else short_repr(value, 30).strip("'")


def _file_digest(path: Path, digests: dict[tuple[str, int, int], str]) -> str:
    """`path`'s hash, from `digests` when the file has not changed since (same mtime and size)."""
    try:
        stat = path.stat()
    except OSError:
        return "unreadable"
    seen = (str(path), stat.st_mtime_ns, stat.st_size)
    if seen not in digests:
        digests[seen] = _digest(path)
    return digests[seen]


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"
