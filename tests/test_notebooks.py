"""Every notebook runs top to bottom on small settings (ZCF_QUICK=1), from any folder, so none of them
rots, and uses only the public API (`optimizer` / `optimizer.api`), so it shows how zcf is meant to be used."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_shows_its_answers(path, tmp_path, monkeypatch):
    monkeypatch.setenv("ZCF_QUICK", "1")
    monkeypatch.setenv("ZCF_RESULTS", str(tmp_path))
    book = nbformat.read(path, as_version=4)
    elsewhere = tmp_path / "elsewhere"  # run from a folder outside the project: nothing relative to notebooks/
    elsewhere.mkdir()
    client = NotebookClient(book, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(elsewhere)}})
    client.execute()
    outputs = [o for cell in book.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart shown"
    text = "".join(o.get("text", "") for o in outputs)
    assert text.strip(), "no answer printed"
    if path.stem == "executive_comparison":  # without certificates the small plant misses net zero
        assert "no unbundled certificates: no plan reaches the target (its lowest-emission plan misses it by" in text
        assert "Cheapest strategy that reaches net zero: no unbundled certificates" not in text


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"sensitivity_study", "executive_comparison"}
    for path in NOTEBOOKS:  # committed without outputs: results come from running them
        book = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in book.cells if cell.cell_type == "code"), path.name


def _imports(source: str) -> list[str]:
    """The modules a cell imports from (IPython magics and shell lines left out)."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path):
    book = nbformat.read(path, as_version=4)
    modules = [m for cell in book.cells if cell.cell_type == "code" for m in _imports(cell.source)]
    ours = [m for m in modules if m.startswith(".") or m.split(".")[0] in ("models", "optimizer")]
    assert ours, "the notebook imports nothing of zcf"
    private = sorted({m for m in ours if m not in ("optimizer", "optimizer.api")})
    assert not private, f"{path.name}: import only from optimizer or optimizer.api, not {private}"
