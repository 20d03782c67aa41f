"""The README's scenario and model references are the schema's and the model's own: regenerate with `make docs`."""

from pathlib import Path

from models.scenario.schema_doc import BEGIN, END, schema_markdown
from optimizer.model import doc as model_doc

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_reference_matches_the_schema():
    text = README.read_text(encoding="utf-8")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert block == schema_markdown(), "README scenario reference is stale: run `make docs`"


def test_readme_model_reference_matches_the_model():
    text = README.read_text(encoding="utf-8")
    block = text.split(model_doc.BEGIN, 1)[1].split(model_doc.END, 1)[0].strip()
    assert block == model_doc.model_markdown(), "README model reference is stale: run `make docs`"


def test_readme_quick_start_shows_the_two_commands_first():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1]
    assert quick.index("make demo") < quick.index("make test") < quick.index("##")
