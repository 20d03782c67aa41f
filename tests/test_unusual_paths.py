"""Unusual paths and text in a scenario: symlink loops, FIFOs, folders, time zones that name a folder,
YAML nested thousands deep, numbers of thousands of digits, `extends` of a file that is not a
scenario. Each is exit code 2 and one `error:` line naming the file or field, the value and the
rule, never a traceback nor the content of a file that is not a scenario; and the model year of
Europe/Dublin runs on GMT, like Europe/London.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.data.timeindex import model_year_index, standard_offset
from models.errors import InputError
from models.scenario.loading import load_scenario
from optimizer.cli import app

ROOT = Path(__file__).resolve().parents[1]
BASE = f"extends: {ROOT / 'scenarios' / 'small_plant.yaml'}\n"
SECRET = "root:x:0:0:SECRET-LINE-12345 here: { ["
DATA_FIELDS = {  # a scenario naming `target` as a data file, by field
    "load.file": "load: {{synthetic: null, file: '{}', column: kw}}\n",
    "weather.file": "weather: {{source: file, file: '{}'}}\n",
    "pv.arrays[hall].production_file": "pv: {{arrays: [{{name: hall, area_m2: 20000, production_file: '{}'}}]}}\n",
}


def solve(path: Path, tmp_path: Path) -> list[str]:
    """`zcf solve path`, in process: exit code 2, nothing on stdout, the `error:` lines returned."""
    result = CliRunner().invoke(app, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, f"{result.exit_code}: {result.stdout}{result.stderr}{result.exception!r}"
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    return lines


def solve_process(path: Path, tmp_path: Path) -> list[str]:
    """`zcf solve path` as a real process: no traceback even outside typer's test runner."""
    run = subprocess.run([sys.executable, "-m", "optimizer.cli", "solve", str(path), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stderr and run.stdout == "", run.stderr
    lines = run.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), run.stderr
    return lines


def one_line(lines: list[str], *fragments: str) -> str:
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} missing from {lines[0]!r}"
    return lines[0]


def scenario(tmp_path: Path, text: str, name: str = "plant.yaml") -> Path:
    path = tmp_path / name
    path.write_text(BASE + text, encoding="utf-8")
    return path


def loop(tmp_path: Path, name: str = "loop") -> Path:
    """`name` -> `name`.b -> `name`: a symlink loop."""
    (tmp_path / f"{name}.b").symlink_to(tmp_path / name)
    (tmp_path / name).symlink_to(tmp_path / f"{name}.b")
    return tmp_path / name


@pytest.mark.parametrize("where", ["scenario", "extends", *DATA_FIELDS])
def test_symlink_loop_is_named(tmp_path, where):
    target = loop(tmp_path)
    if where == "scenario":
        path, fragments = target, ("scenario file", f"{target} is a symlink loop")
    elif where == "extends":
        path = tmp_path / "plant.yaml"
        path.write_text("extends: loop\n")
        fragments = ("plant.yaml: extends: 'loop' is a symlink loop", str(target))
    else:
        path = scenario(tmp_path, DATA_FIELDS[where].format(target))
        fragments = (f"plant.yaml: {where}: {target} is a symlink loop",)
    one_line(solve(path, tmp_path), *fragments)


def test_symlink_loop_as_a_real_process(tmp_path):
    one_line(solve_process(scenario(tmp_path, DATA_FIELDS["load.file"].format(loop(tmp_path))), tmp_path),
             "load.file:", "is a symlink loop")


@pytest.mark.parametrize("zone", ["Asia", "A" * 500, "../../etc/localtime", "/usr/share/zoneinfo/UTC",
                                  "Asia/Sh\0anghai", "Asia/Shanghai/", ""],
                         ids=["folder", "long", "dots", "absolute", "nul", "slash", "empty"])
def test_time_zone_that_is_not_a_zone(tmp_path, zone):
    quoted = zone.replace("\0", "\\0")
    line = one_line(solve(scenario(tmp_path, f'timezone: "{quoted}"\n'), tmp_path),
                    "plant.yaml: timezone: ", "is not a known IANA time zone (for example 'Asia/Shanghai'")
    assert len(line) < 300
    with pytest.raises(InputError, match=r"timezone: .* is not a known IANA time zone"):
        standard_offset(zone, 2025)


@pytest.mark.parametrize("text", [
    "description: " + "[" * 5000 + "]" * 5000 + "\n",
    "description: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(2000)),
    "a0: &a0 [[[[[[[[[[1]]]]]]]]]]\n" + "".join(f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]\n" for i in range(1, 9)),
], ids=["lists", "mappings", "block", "aliases"])
def test_yaml_nested_thousands_deep(tmp_path, text):
    one_line(solve(scenario(tmp_path, text), tmp_path), "plant.yaml: not valid YAML at line ",
             "nested more than 50 levels")


def test_value_that_holds_itself(tmp_path):
    one_line(solve(scenario(tmp_path, "description: &a [*a]\n"), tmp_path), "plant.yaml: not valid YAML at line 2",
             "a value holds itself")


def test_a_very_long_yaml_file_is_fine(tmp_path):
    lines = "".join(f"  line {i} of a long note\n" for i in range(20_000))
    loaded = load_scenario(scenario(tmp_path, f"# {'x' * 10_000}\ndescription: |\n{lines}"))
    assert loaded.description.count("\n") == 20_000


@pytest.mark.parametrize("number, digits", [("1" + "0" * 5000, 5001), ("1" + "0" * 30, 31),
                                            ("0x" + "f" * 5000, 5000), ("1." + "0" * 40, 41)],
                         ids=["5001", "31", "hex", "float"])
def test_number_with_too_many_digits(tmp_path, number, digits):
    path = scenario(tmp_path, f"load:\n  synthetic: {{annual_mwh: {number}}}\n")
    one_line(solve(path, tmp_path), "plant.yaml: not valid YAML at line 3, column 27",
             f"a number with {digits} digits", "the longest accepted has 30 digits")


def test_thirty_digits_are_read(tmp_path):
    path = scenario(tmp_path, f"load:\n  synthetic: {{annual_mwh: 8000.{'0' * 25}1}}\n")
    assert load_scenario(path).load.synthetic.annual_mwh == 8000.0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("where", ["scenario", "extends", *DATA_FIELDS])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_fifo_or_folder_is_said_for_what_it_is(tmp_path, where, kind):
    target = tmp_path / "data"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    said = "is not a regular file (a FIFO)" if kind == "fifo" else "is a folder, a file is needed"
    if where == "scenario":
        path, fragments = target, (f"scenario file {target} {said}",)
    elif where == "extends":
        path = tmp_path / "plant.yaml"
        path.write_text("extends: data\n")
        fragments = (f"plant.yaml: extends: 'data' {said}",)
    else:
        path = scenario(tmp_path, DATA_FIELDS[where].format(target))
        fragments = (f"plant.yaml: {where}: {target} {said}",)
    with never_blocked_on(target if kind == "fifo" else None):
        line = one_line(solve(path, tmp_path), *fragments)
    assert "not found" not in line


@contextmanager
def never_blocked_on(fifo: Path | None, grace_s: float = 30.0) -> Iterator[None]:
    """Run the body; should it wait on reading `fifo`, open the FIFO's other end after `grace_s`,
    so the test fails (an empty file is read) instead of hanging the suite."""
    done = threading.Event()

    def rescue() -> None:
        if done.wait(grace_s):
            return
        while not done.wait(0.2):
            with suppress(OSError):  # ENXIO: nobody reads it at the moment
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    helper = threading.Thread(target=rescue, daemon=True)
    if fifo is not None:
        helper.start()
    start = time.monotonic()
    try:
        yield
    finally:
        done.set()
    assert time.monotonic() - start < grace_s, f"reading {fifo} waited for a writer"


@pytest.mark.parametrize("name, content", [
    ("shadow", SECRET + "\nSECRET-LINE-2:x:19000:0:99999:7:::\n"),
    ("passwd", SECRET + "\nSECRET-LINE-2\n"),
    ("config.txt", "SECRET-LINE-12345: hunter2\nSECRET-LINE-2: [1]\n"),
    ("note", "SECRET-LINE-12345 *undefined_alias_SECRET\n"),
], ids=["bad-yaml", "text", "mapping", "alias"])
@pytest.mark.parametrize("through", ["file", "symlink.yaml"])
def test_extends_of_a_file_that_is_not_a_scenario_quotes_nothing(tmp_path, name, content, through):
    secret = tmp_path / "etc" / name
    secret.parent.mkdir()
    secret.write_text(content)
    target = secret
    if through == "symlink.yaml":  # a .yaml name on a link to the file must not make it quotable
        target = tmp_path / "base.yaml"
        target.symlink_to(secret)
    path = tmp_path / "plant.yaml"
    path.write_text(f"extends: {target}\n")
    line = one_line(solve(path, tmp_path), "not a scenario file (")
    assert "SECRET" not in line and "hunter2" not in line and "x:0:0" not in line, line
    assert str(secret) in line or str(target) in line


def test_a_scenario_not_named_yaml_is_still_read(tmp_path):
    assert load_scenario(scenario(tmp_path, "name: as text\n", name="plant.txt")).name == "as text"


HOURS = timedelta(hours=1)


@pytest.mark.parametrize("zone, hours", [
    ("Asia/Shanghai", 8), ("Europe/London", 0), ("Europe/Dublin", 0), ("America/New_York", -5),
    ("Australia/Sydney", 10), ("Australia/Lord_Howe", 10.5), ("America/Santiago", -4),
    ("Africa/Casablanca", 1), ("Asia/Kathmandu", 5.75), ("UTC", 0),
])
def test_standard_offset_is_the_zones_winter_time(zone, hours):
    for year in (2025, 2026, 2030):  # Ramadan (Casablanca's month on UTC+0) is in January-March of these
        assert standard_offset(zone, year).utcoffset(None) == hours * HOURS, (zone, year)


def test_dublin_model_year_runs_on_gmt_like_london():
    dublin, london = model_year_index(2025, "Europe/Dublin"), model_year_index(2025, "Europe/London")
    assert (dublin == london).all()
    assert dublin[0].utcoffset() == timedelta(0)
