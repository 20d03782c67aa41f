"""`zcf --help`, `zcf schema` and `zcf validate` start at once: none of them loads Pyomo, HiGHS or
matplotlib (each takes a second or more to import), and neither does `import optimizer`.

Each check runs in a fresh interpreter, since the test process itself has long loaded them all.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pyomo", "highspy", "matplotlib")

RUN_COMMAND = textwrap.dedent("""
    import json, sys
    from optimizer.cli import app
    try:
        code = app(sys.argv[2:], standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
    print("\\n" + json.dumps({"code": code, "heavy": heavy}))
""")


def loaded_by(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter (argv[1]: the heavy packages, then `args`); its last line is JSON."""
    run = subprocess.run([sys.executable, "-c", code, ",".join(HEAVY), *args], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["schema"], ["validate", "scenarios/demo.yaml"]],
                         ids=["help", "version", "schema", "validate"])
def test_command_loads_no_solver_and_no_charts(args):
    found = loaded_by(RUN_COMMAND, *args)
    assert found["code"] in (0, None)
    assert found["heavy"] == [], f"zcf {' '.join(args)} imported {found['heavy']}"


def test_version_is_the_installed_packages():
    from importlib.metadata import version

    run = subprocess.run([sys.executable, "-m", "optimizer.cli", "--version"], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 0 and run.stdout.strip() == f"zcf {version('zcf')}", run.stdout + run.stderr


def test_validate_of_a_sweep_file_loads_no_solver_either():
    found = loaded_by(RUN_COMMAND, "validate", "scenarios/sweep_tornado.yaml")
    assert found["code"] in (0, None) and found["heavy"] == []


def test_the_package_and_its_api_load_lazily():
    code = textwrap.dedent("""
        import json, sys
        import optimizer, optimizer.api
        names = [n for n in optimizer.__all__ if getattr(optimizer, n) is not getattr(optimizer.api, n)]
        heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
        print(json.dumps({"heavy": heavy, "differ": names}))
    """)
    found = loaded_by(code)
    assert found == {"heavy": [], "differ": []}
