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


def test_schema_text_prints_the_type_column_its_help_promises():
    from models.scenario.schema_doc import schema_rows, schema_text

    lines = schema_text().splitlines()
    assert lines[0].split() == ["field", "type", "default", "description"]
    by_field = {line.split()[0]: line for line in lines[1:]}
    for path, type_text, default, _ in schema_rows():
        assert type_text in by_field[path] and default in by_field[path], path
