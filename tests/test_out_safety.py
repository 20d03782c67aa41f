"""`--out` never destroys or misleads: devices, FIFOs and the run's own inputs are never replaced,
an empty path is refused, a write that fails says why in one `error:` line (exit 2) and leaves no
temporary file, and temporary files of a killed run are removed by a later run, never a live run's."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer import atomic
from optimizer.atomic import atomic_write
from optimizer.cli import app
from optimizer.cli.common import EXIT_INPUT
from tests.test_cli import SMALL_PLANT

PLANT = SMALL_PLANT.split("carbon_credits:")[0]  # the grid-only plant, without a target: solved in a second
METER = "kw\n" + "\n".join(str(200 + i % 24) for i in range(8760)) + "\n"
SWEEP = "name: prices\nbase: plant.yaml\nparameters: {grid.emission_factor_kg_per_kwh: [0.4, 0.5]}\n"


def zcf(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`zcf ARGS` run in this process from `cwd` (a crash would be exit 1 with no `error:` line, not 2)."""
    here = os.getcwd()
    os.chdir(cwd or here)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def plant(folder: Path, extra: str = "", name: str = "plant.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(PLANT) + extra, encoding="utf-8")
    return path


def one_error(stderr: str, code: int, *words: str, alone: bool = True) -> str:
    """The one `error:` line of a refused run (exit 2, no traceback), holding every one of `words`;
    `alone`: nothing else on standard error (refused before solving: no progress lines either)."""
    assert code == EXIT_INPUT, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert not alone or stderr.splitlines() == errors, stderr
    assert all(w in errors[0] for w in words), errors[0]
    return errors[0]


def temp_files(folder: Path) -> list[Path]:
    """Temporary files of atomic writes (and probes) anywhere under `folder`."""
    return [p for p in folder.rglob(".*") if p.name.endswith(".tmp") or ".zcf-probe" in p.name]


def test_a_device_node_is_never_replaced(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    run = zcf("compare", str(plant(tmp_path)), "--out", str(device))
    line = one_error(run.stderr, run.returncode, str(device), "character device")
    assert line.endswith("only a new path or a regular file is replaced")
    st = os.stat(device)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert run.stdout == "" and not temp_files(tmp_path)  # refused before anything was solved


def test_a_fifo_among_the_results_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "summary.json")
    run = zcf("solve", str(plant(tmp_path)), "--out", str(out))
    one_error(run.stderr, run.returncode, str(out / "summary.json"), "FIFO")
    assert stat.S_ISFIFO(os.lstat(out / "summary.json").st_mode)
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"] and not temp_files(tmp_path)


@pytest.mark.parametrize("case", ["data file", "scenario", "extends chain"])
def test_a_file_the_scenario_reads_is_never_replaced(tmp_path, case):
    meter = tmp_path / "hourly.csv"
    meter.write_text(METER)
    base = plant(tmp_path, name="base.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nload: {synthetic: null, file: hourly.csv, column: kw}\n")
    if case == "data file":  # a meter file named as a result, the results folder its folder
        args, named = ("solve", "child.yaml", "--out", "."), "hourly.csv"
    elif case == "scenario":
        args, named = ("compare", "base.yaml", "child.yaml", "--out", "child.yaml"), "child.yaml"
    else:
        args, named = ("compare", "child.yaml", "--out", "base.yaml"), "base.yaml"
    before = {p: p.read_bytes() for p in (meter, base, child)}
    run = zcf(*args, cwd=tmp_path)
    one_error(run.stderr, run.returncode, named, "this run reads")
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.yaml", "child.yaml", "hourly.csv"]


@pytest.mark.parametrize("command", ["solve", "roadmap", "compare", "sweep", "pareto"])
def test_an_empty_out_is_refused(tmp_path, command):
    plant(tmp_path)
    (tmp_path / "sweep.yaml").write_text(SWEEP)
    given = "sweep.yaml" if command == "sweep" else "plant.yaml"
    run = zcf(command, given, "--out", "", cwd=tmp_path)
    one_error(run.stderr, run.returncode, "--out ''", "empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plant.yaml", "sweep.yaml"]


def test_a_read_only_folder_is_said_before_solving(tmp_path, monkeypatch):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: the file system says no instead
        mkstemp = atomic.tempfile.mkstemp

        def refuse(*args: object, dir: str | None = None, **kwargs: object) -> tuple[int, str]:
            if Path(dir) == out:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(dir, ".x.tmp"))
            return mkstemp(*args, dir=dir, **kwargs)

        monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    try:
        result = CliRunner().invoke(app, ["solve", str(plant(tmp_path)), "--out", str(out)])
    finally:
        out.chmod(0o755)
    line = one_error(result.stderr, result.exit_code, "not writable")
    assert line.startswith(f"error: {out}: ")  # the folder, not a temporary file in it
    assert result.stdout == "" and not list(out.iterdir())


def test_a_full_disk_keeps_the_old_page_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_text("the page of an earlier run")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(app, ["compare", str(plant(tmp_path)), "--out", str(page)])
    one_error(result.stderr, result.exit_code, f"error: {page}: disk full", alone=False)  # progress lines too
    assert page.read_text() == "the page of an earlier run" and not temp_files(tmp_path)


@pytest.mark.parametrize("command", ["solve", "compare"])
def test_a_name_too_long_is_said_in_words(tmp_path, command):
    long = tmp_path / ("x" * 300 + (".html" if command == "compare" else ""))
    run = zcf(command, str(plant(tmp_path)), "--out", str(long))
    one_error(run.stderr, run.returncode, "x" * 300, "name too long")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plant.yaml"]


@pytest.mark.parametrize("given", ["somedir", "somedir/"])
def test_a_folder_where_compare_writes_its_page_is_refused(tmp_path, given):
    (tmp_path / "somedir").mkdir()
    plant(tmp_path)
    run = zcf("compare", "plant.yaml", "--out", given, cwd=tmp_path)
    one_error(run.stderr, run.returncode, f"error: {given}: ", "a file is needed")
    assert (tmp_path / "somedir").is_dir() and not list((tmp_path / "somedir").iterdir())
    assert not temp_files(tmp_path)


def test_temporary_files_of_a_killed_run_are_removed_and_a_live_runs_kept(tmp_path):
    target = tmp_path / "summary.json"
    # A run killed with SIGKILL mid-write: its temporary file stays behind.
    victim = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from optimizer.atomic import atomic_write
        def write(p):
            p.write_text("half")
            print("writing", flush=True)
            time.sleep(600)
        atomic_write(Path({str(target)!r}), write)
        """)], stdout=subprocess.PIPE, text=True)
    assert victim.stdout.readline() == "writing\n"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    (left,) = temp_files(tmp_path)
    assert left.name.startswith(f".summary.json.{victim.pid}@")
    assert atomic.remove_stale_temps(tmp_path) == [] and left.exists()  # just written: its pid alone is not proof
    aged = time.time() - atomic.STALE_AFTER_S - 1
    os.utime(left, (aged, aged))
    atomic._swept.clear()  # a later run starts with no folder swept
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        others = [tmp_path / f".summary.json.{live.pid}@{atomic._HOST}.abcdefgh.tmp",  # a run still writing
                  tmp_path / f".summary.json.{victim.pid}@000000.abcdefgh.tmp",  # another machine's
                  tmp_path / ".summary.json.abcdefgh",  # not of this naming
                  tmp_path / ".notes.1.txt"]
        for path in others:
            path.write_text("keep")
            os.utime(path, (aged, aged))
        atomic_write(target, lambda p: p.write_text("whole"))
    finally:
        live.kill()
        live.wait()
    assert target.read_text() == "whole" and not left.exists()
    assert all(p.read_text() == "keep" for p in others)


def test_the_api_never_replaces_a_file_the_scenario_reads(tmp_path):
    from optimizer import api
    from optimizer.atomic import TargetError

    meter = tmp_path / "hourly.csv"
    meter.write_text(METER)
    plant(tmp_path, name="base.yaml")
    scenario = tmp_path / "plant.yaml"
    scenario.write_text("extends: base.yaml\nload: {synthetic: null, file: hourly.csv, column: kw}\n"
                        "time: {aggregation: typical_days, days: 2}\n")
    with pytest.raises(TargetError, match=r"hourly\.csv"):
        api.solve(scenario, tmp_path)
    assert meter.read_text() == METER


def test_the_api_sweep_never_replaces_a_file_its_points_read(tmp_path):
    from optimizer import api
    from optimizer.atomic import TargetError

    plant(tmp_path, name="base.yaml")
    (tmp_path / "results.csv").write_text(METER)  # a meter file named like the sweep's results table
    (tmp_path / "plant.yaml").write_text("extends: base.yaml\nload: {synthetic: null, file: results.csv, column: kw}\n"
                                         "time: {aggregation: typical_days, days: 2}\n")
    (tmp_path / "sweep.yaml").write_text(SWEEP)
    with pytest.raises(TargetError, match=r"results\.csv"):
        api.sweep(tmp_path / "sweep.yaml", tmp_path, charts=False)
    assert (tmp_path / "results.csv").read_text() == METER
