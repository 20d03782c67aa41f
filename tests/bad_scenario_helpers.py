"""The bad-scenario corpus's shared parts: a small valid plant, a way to spoil it, and a check.

Each case in `tests/test_bad_scenarios.py` (mistakes in fields) and
`tests/test_bad_scenarios_files.py` (broken YAML, `extends` chains, paths, encodings) is this small
plant scenario with one mistake, run through `zcf validate` in-process with typer's CliRunner.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from optimizer.cli import app
from tests import corpus

BASE: dict[str, Any] = {
    "name": "press shop",
    "site": {"latitude": 23.0, "longitude": 113.1},
    "load": {"synthetic": {"annual_mwh": 1000}},
    "grid": {"tariff": {"prices_per_kwh": {"valley": 0.3, "flat": 0.7},
                        "schedule": [{"hours": [0, 8], "period": "valley"}, {"period": "flat"}]}},
}
DELETE = object()
RULES = ["grid", "tariff", "schedule"]  # path of the TOU rules, for readability below


def merged(base: Any, override: Any) -> Any:
    """`override` on `base`: mappings merge, DELETE removes a key, anything else replaces."""
    if not isinstance(override, dict) or not isinstance(base, dict):
        return copy.deepcopy(override)
    out = copy.deepcopy(base)
    for key, value in override.items():
        if value is DELETE:
            out.pop(key, None)
        else:
            out[key] = merged(out.get(key), value)
    return out


@dataclass
class Case:
    id: str
    expect: tuple[str, ...]
    override: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # raw YAML instead of BASE + override
    files: dict[str, str] = field(default_factory=dict)  # other files beside the scenario

    def write(self, folder: Path) -> Path:
        for name, content in self.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(content, encoding="utf-8")
        path = folder / "plant.yaml"
        text = self.text if self.text is not None else yaml.safe_dump(merged(BASE, self.override),
                                                                      allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path


def tou(*rules: dict[str, Any], prices: dict[str, float] | None = None) -> dict[str, Any]:
    tariff: dict[str, Any] = {"schedule": list(rules)}
    if prices is not None:
        tariff["prices_per_kwh"] = prices
    return {"grid": {"tariff": tariff}}


PV = {"capex_per_kw": 3000, "arrays": [{"name": "roof_a", "max_kw": 500}]}
STORAGE = {"capex_per_kwh": 700, "max_kwh": 1000, "max_kw": 500}
BASE_YAML = yaml.safe_dump(BASE, sort_keys=False)


def validate(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"{type(result.exception).__name__}: {result.exception}"
    return result.exit_code, result.stdout, result.stderr


def error_lines(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines), stderr
    return [line.removeprefix("error: ") for line in lines]


def assert_exits_2_with_one_clear_line_per_problem(tmp_path: Path, case: Case) -> None:
    """The check every case gets: exit code 2, nothing on stdout, one `error:` line per problem
    naming the file it comes from, and every expected fragment in them."""
    path = case.write(tmp_path)
    code, stdout, stderr = validate(path)
    assert code == 2, stdout + stderr
    assert stdout == ""
    lines = error_lines(stderr)
    files = ("plant.yaml", *case.files)
    named = [line for line in lines if line.startswith(tuple(f"{Path(f).name}: " for f in files))
             or line.startswith("scenario file")]
    assert named == lines, "every line names the scenario file it comes from"
    corpus.refused(corpus.fingerprint("scenario", path.read_bytes(), sorted(case.files.items())), lines, ": ",
                   *case.expect)
