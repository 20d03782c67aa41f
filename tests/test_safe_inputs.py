"""Safe by default: YAML is plain data, only `--out` decides where zcf writes, user text prints as typed."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from models.errors import InputError
from models.scenario.loading import load_scenario
from optimizer.cli import app
from tests import corpus

PLANT = """\
name: {name}
site: {{latitude: 23.0, longitude: 113.1}}
load: {{synthetic: {{annual_mwh: 500}}}}
grid:
  tariff:
    prices_per_kwh: {{flat: 0.7}}
    schedule: [{{period: flat}}]
targets: {{net_zero: false}}
"""


def zcf(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['touch pwned']",
                                 "!!python/object/new:subprocess.Popen [['touch', 'pwned']]",
                                 "!!python/name:builtins.exec"])
def test_python_tags_are_refused_and_never_run(tmp_path, monkeypatch, tag):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plant.yaml"
    path.write_text(PLANT.format(name=tag))
    with pytest.raises(InputError) as info:
        load_scenario(path)
    corpus.refused(corpus.fingerprint("tag", tag), info.value.problems, "plant.yaml: ", "YAML tag '!!python/",
                   "is not allowed; a scenario holds plain data only")
    assert not (tmp_path / "pwned").exists()


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    """Aliases nest to 10⁹ items; the error line must not try to print them all."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "plant.yaml"
    path.write_text(PLANT.format(name="x") + "\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert time.perf_counter() - start < 5
    corpus.refused(corpus.fingerprint("laughs"), info.value.problems, "plant.yaml: ", "a9: unknown field")
    assert all(len(line) < 400 for line in info.value.problems)


def test_only_out_decides_where_files_go(tmp_path, monkeypatch):
    """A scenario name full of path parts reaches the results, never a file path."""
    work, out = tmp_path / "work", tmp_path / "results" / "run1"
    work.mkdir()
    monkeypatch.chdir(work)
    name = "../../escaped/../../etc/[red]plant[/red] :fire:"
    (work / "plant.yaml").write_text(PLANT.format(name=json.dumps(name)))
    before = set(tmp_path.rglob("*"))
    result = zcf("solve", "plant.yaml", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    written = set(tmp_path.rglob("*")) - before
    assert written and all(p == out or out in p.parents or p == out.parent for p in written), sorted(written)
    assert {p.name for p in out.iterdir()} >= {"summary.json", "hourly.csv"}
    assert not (tmp_path / "escaped").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["name"] == name


def test_out_that_is_a_file_is_refused_before_solving(tmp_path):
    (tmp_path / "plant.yaml").write_text(PLANT.format(name="x"))
    (tmp_path / "taken").write_text("keep me")
    result = zcf("solve", str(tmp_path / "plant.yaml"), "--out", str(tmp_path / "taken"))
    assert result.exit_code == 2
    lines = [line.removeprefix("error: ") for line in result.stderr.splitlines()]
    corpus.refused(corpus.fingerprint("out is a file"), lines, "--out", "is a file; give a folder for the results")
    assert (tmp_path / "taken").read_text() == "keep me"


@pytest.mark.parametrize("text", ["[red]x[/red]", "[bold magenta]plant", ":fire: :smile:", "\\[red]x",
                                  "[link=https://example.com]click[/link]"])
def test_error_lines_print_user_text_as_typed(tmp_path, text):
    path = tmp_path / "plant.yaml"
    path.write_text(PLANT.format(name=json.dumps([text])))
    result = zcf("validate", str(path))
    assert result.exit_code == 2
    assert f"name: got [{text!r}]".replace("\\\\", "\\") in result.stderr.replace("\\\\", "\\")
    assert "\x1b" not in result.stderr
    corpus.refused(corpus.fingerprint("markup", text), result.stderr.splitlines(), "error: plant.yaml: ", text)


def test_file_names_with_markup_print_as_typed(tmp_path):
    path = tmp_path / "[bold]plant:fire:.yaml"
    path.write_text("name: x\n")
    result = zcf("validate", str(path))
    assert result.exit_code == 2
    assert all(line.startswith("error: [bold]plant:fire:.yaml: ") for line in result.stderr.splitlines())


def test_notes_print_user_text_as_typed(tmp_path):
    (tmp_path / "meter.csv").write_text("[red]kw;x\n" + "1,5;0\n" * 8760)
    (tmp_path / "plant.yaml").write_text(PLANT.format(name="x").replace(
        "{synthetic: {annual_mwh: 500}}", "{file: meter.csv, column: '[red]kw'}"))
    result = zcf("validate", str(tmp_path / "plant.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "note: read decimal commas in column '[red]kw' (1,5 = 1.5)" in result.stdout.splitlines()
