"""Reading scenario files: YAML, `extends` chains with deep merge, relative paths, clear errors."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from models.errors import InputError, short_repr
from models.schema import Scenario

# Where a scenario holds file paths, as (section, key) with "[]" for every item of a list.
_PATH_FIELDS = (("weather", "file"), ("load", "file"), ("pv", "arrays", "[]", "production_file"),
                ("green_power", "profile"))
_PROFILE_WORDS = {"flat", "solar"}


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (`extends`) and validate a scenario file; every problem in one InputError."""
    path = Path(path)
    raw = read_raw(path)
    return validate(raw, where=path.name)


def read_raw(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The scenario as a plain dict, `extends` resolved and every path made absolute."""
    path = path.resolve()
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        raise InputError(f"{path.name}: extends forms a cycle: {chain}")
    if not path.is_file():
        raise InputError(f"scenario file not found: {path}")
    raw = read_yaml(path)
    resolve_paths(raw, path.parent)
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str):
        raise InputError(f"{path.name}: extends: got {short_repr(parent)}; give a file path")
    base = read_raw(path.parent / parent, (*_seen, path))
    return deep_merge(base, raw)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`: mappings merge key by key; anything else (lists too) replaces.

    A key set to null removes an optional section, e.g. `storage: null` for "no battery".
    """
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return {k: v for k, v in merged.items() if v is not None}


def validate(raw: dict[str, Any], where: str = "scenario") -> Scenario:
    """A `Scenario` from a plain dict, or an InputError with one line per problem."""
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{where}: {line}" for line in error_lines(exc, raw)) from None


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path.name}: not valid YAML{at}: {problem}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not a UTF-8 text file") from None
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: a scenario is a mapping of fields; got {short_repr(data)}")
    return data


def resolve_paths(raw: dict[str, Any], folder: Path) -> None:
    """Make the file paths of one scenario file absolute, relative to that file's folder."""
    map_paths(raw, lambda text: str((folder / text).resolve()))


def file_paths(raw: dict[str, Any]) -> list[str]:
    """Every data file a scenario names (weather, load, production files, green-power profile)."""
    found: list[str] = []
    map_paths(raw, lambda text: found.append(text) or text)
    return found


def map_paths(raw: dict[str, Any], change: Callable[[str], str]) -> None:
    """Replace, in place, each file path of the scenario `raw` by `change(path)`."""

    def visit(node: Any, keys: tuple[str, ...]) -> None:
        if not keys or node is None:
            return
        key, rest = keys[0], keys[1:]
        if key == "[]":
            for item in node if isinstance(node, list) else []:
                visit(item, rest)
        elif isinstance(node, dict) and key in node:
            if rest:
                visit(node[key], rest)
            elif isinstance(node[key], str) and node[key] not in _PROFILE_WORDS:
                node[key] = change(node[key])

    for spec in _PATH_FIELDS:
        visit(raw, spec)


def error_lines(exc: ValidationError, raw: dict[str, Any], root: type[BaseModel] = Scenario) -> list[str]:
    """One line per validation problem: the field path (list items by name), the value, what is allowed."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not _is_validator_tag(p)]
        where = _dotted(loc, raw) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            lines.append(f"{where}: unknown field{_did_you_mean(loc, root)}")
        elif kind == "missing":
            lines.append(f"{where}: required field is missing")
        elif kind == "value_error":
            lines.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
        else:
            lines.append(f"{where}: got {short_repr(err.get('input'))}; {err['msg'].lower()}")
    return list(dict.fromkeys(lines))


def _is_validator_tag(part: object) -> bool:
    """Pydantic adds union-branch tags such as 'float' or 'list[float]' to error locations."""
    return isinstance(part, str) and part.startswith(("function-", "list[", "float", "int", "tuple["))


def _dotted(loc: list[Any], raw: Any) -> str:
    """`pv.arrays[paint_shop].tilt_deg` from ('pv', 'arrays', 1, 'tilt_deg'), naming list items."""
    text, node = "", raw
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            label = item.get("name") if isinstance(item, dict) else None
            text += f"[{label if isinstance(label, str) else part}]"
            node = item
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def _did_you_mean(loc: list[Any], root: type[BaseModel]) -> str:
    allowed = _fields_at(loc[:-1], root)
    if not allowed:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{hint or ';'} allowed: {', '.join(sorted(allowed))}"


def _fields_at(loc: list[Any], root: type[BaseModel]) -> list[str]:
    """Field names of the schema section at `loc`, walking the pydantic classes from `root`."""
    cls: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = cls.model_fields.get(part) if _is_model(cls) else None
        if field is None:
            return []
        cls = section_class(field.annotation)
    return list(cls.model_fields) if _is_model(cls) else []


def section_class(annotation: Any) -> Any:
    """The pydantic class inside Optional[...] or list[...], if any."""
    if _is_model(annotation):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (typing.Union, list):
        for arg in typing.get_args(annotation):
            found = section_class(arg)
            if found is not None:
                return found
    return None


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, BaseModel)
