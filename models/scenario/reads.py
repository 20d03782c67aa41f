"""The files a run reads (the scenario, its `extends` chain, every data file they name; a sweep's
file and its points' files), so that nothing a run writes may replace one of them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from models.errors import InputError
from models.scenario.loading import absolute, file_paths, read_yaml, resolve_paths

if TYPE_CHECKING:
    from models.scenario.sweep import Sweep


def scenario_files(scenario: str | Path) -> list[Path]:
    """What solving a scenario file reads: the file, its `extends` chain and every data file they name,
    as absolute paths, resolved where they can be. A file that cannot be read is left out: loading it says why."""
    found: list[Path] = []
    current = absolute(Path(scenario))
    while current.is_file() and current not in found:
        found.append(current)
        try:
            raw = read_yaml(current)
        except InputError:
            break
        parent = raw.pop("extends", None)
        resolve_paths(raw, current.parent)
        found += [Path(p) for p in file_paths(raw)]
        if not isinstance(parent, str) or not parent.strip():
            break
        current = absolute(current.parent / parent)
    return list(dict.fromkeys(found))


def sweep_files(sweep_file: str | Path, spec: Sweep) -> list[Path]:
    """What solving a sweep reads: the sweep file, its base scenario's files and every point's data files."""
    path = absolute(Path(sweep_file))
    base = read_yaml(path).get("base")
    found = [path, *(scenario_files(path.parent / base) if isinstance(base, str) else [])]
    for point in spec.points:
        found += [Path(p) for p in file_paths(point.scenario)]
    return list(dict.fromkeys(found))
