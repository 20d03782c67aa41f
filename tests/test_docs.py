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


def test_every_number_of_the_demo_is_listed_with_its_source():
    import re

    import yaml

    root = Path(__file__).resolve().parents[1]
    raw = yaml.safe_load((root / "scenarios" / "demo.yaml").read_text())
    text = (root / "docs" / "sources.md").read_text()
    listed = {float(m.replace(",", "")) for m in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)}

    def leaves(value, path=""):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from leaves(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from leaves(item, f"{path}[{i}]")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield path, float(value)

    # A share may be listed as a percentage (0.35 as 35 %).
    unlisted = [path for path, v in leaves(raw) if v not in listed and round(v * 100, 6) not in listed]
    assert not unlisted, f"demo.yaml figures missing from docs/sources.md: {unlisted}"
