"""Reading scenario files: YAML, `extends` chains with deep merge, relative paths, clear errors."""

from __future__ import annotations

import difflib
import itertools
import os
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from models.data.file_access import NOT_FOUND, file_problem, shown_path
from models.errors import InputError, short_repr
from models.scenario.schema import HEAT_PROFILE_WORDS, MEASURE_PROFILE_WORDS, Scenario
from models.scenario.yaml_text import read_yaml, yaml_named

# Where a scenario holds file paths, as (section, key) with "[]" for every item of a list, and the
# words that field takes instead of a path (a profile's 'flat'), left as they are.
_PATH_FIELDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("weather", "file"): (), ("load", "file"): (), ("pv", "arrays", "[]", "production_file"): (),
    ("green_power", "profile"): ("flat", "solar"), ("heat", "demands", "[]", "profile"): HEAT_PROFILE_WORDS,
    ("measures", "[]", "profile"): MEASURE_PROFILE_WORDS,
}


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (`extends`) and validate a scenario file; every problem in one InputError."""
    path = Path(path)
    origins: dict[tuple[str, ...], str] = {}
    raw = read_raw(path, origins=origins)
    return validate(raw, where=path.name, origins=origins)


def read_raw(path: Path, _seen: tuple[Path, ...] = (),
             origins: dict[tuple[str, ...], str] | None = None) -> dict[str, Any]:
    """The scenario as a plain dict, `extends` resolved and every path made absolute.

    `origins`, when given, receives the file that last set each key (as a tuple of keys), so an
    error about a value inherited through `extends` can say which file holds it.
    """
    path = absolute(Path(path))
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        raise InputError(f"{path.name}: extends forms a cycle: {chain}; a scenario cannot extend itself")
    problem = file_problem(path)
    if problem is not None:
        raise InputError(f"scenario file not found: {shown_path(path)}" if problem == NOT_FOUND
                         else f"scenario file {shown_path(path)} {problem}")
    raw = read_yaml(path)
    if not yaml_named(path) and not set(raw) <= {"extends", *Scenario.model_fields}:
        raise InputError(f"{path}: not a scenario file (a mapping of other fields than a scenario's); a "
                         "scenario is a YAML file (.yaml) of fields name:, site:, load:, grid:, ...")
    resolve_paths(raw, path.parent)
    parent = raw.pop("extends", None)
    if parent is None:
        _note_origins(raw, path.name, origins)
        return raw
    if not isinstance(parent, str) or not parent.strip():
        raise InputError(f"{path.name}: extends: got {short_repr(parent)}; give the path of one "
                         "scenario file, relative to this one")
    base_path = absolute(path.parent / parent)
    if base_path not in (*_seen, path) and (problem := file_problem(base_path)) is not None:
        raise InputError(f"{path.name}: extends: {short_repr(parent)} {problem} ({shown_path(base_path)}); "
                         "give the path of one scenario file, relative to this one")
    base = read_raw(base_path, (*_seen, path), origins)
    _note_origins(raw, path.name, origins)
    return deep_merge(base, raw)


def absolute(path: Path) -> Path:
    """`path` made absolute with symlinks resolved; as written (made absolute) when it cannot be
    resolved: a symlink loop or a NUL character is then reported by the file check."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python < 3.13)
        return Path(os.path.abspath(path))


def _note_origins(raw: dict[str, Any], name: str, origins: dict[tuple[str, ...], str] | None,
                  prefix: tuple[str, ...] = ()) -> None:
    if origins is None:
        return
    for key, value in raw.items():
        origins[(*prefix, str(key))] = name
        if isinstance(value, dict):
            _note_origins(value, name, origins, (*prefix, str(key)))


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


def validate(raw: dict[str, Any], where: str = "scenario",
             origins: dict[tuple[str, ...], str] | None = None) -> Scenario:
    """A `Scenario` from a plain dict, or an InputError with one line per problem.

    With `origins` (from `read_raw`), a line about a value set in another file of the `extends`
    chain ends with the name of that file.
    """
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"{where}: {line}" for line in error_lines(exc, raw, top=where, origins=origins)) from None


def resolve_paths(raw: dict[str, Any], folder: Path) -> None:
    """Make the file paths of one scenario file absolute, relative to that file's folder."""
    map_paths(raw, lambda text: str(absolute(folder / text)))


def file_paths(raw: dict[str, Any]) -> list[str]:
    """Every data file a scenario names (weather, load, production files, green-power, heat and measure
    profiles)."""
    found: list[str] = []
    map_paths(raw, lambda text: found.append(text) or text)
    return found


def map_paths(raw: dict[str, Any], change: Callable[[str], str]) -> None:
    """Replace, in place, each file path of the scenario `raw` by `change(path)`."""

    def visit(node: Any, keys: tuple[str, ...], words: tuple[str, ...]) -> None:
        if not keys or node is None:
            return
        key, rest = keys[0], keys[1:]
        if key == "[]":
            for item in node if isinstance(node, list) else []:
                visit(item, rest, words)
        elif isinstance(node, dict) and key in node:
            if rest:
                visit(node[key], rest, words)
            elif isinstance(node[key], str) and node[key] not in words:
                node[key] = change(node[key])

    for spec, words in _PATH_FIELDS.items():
        visit(raw, spec, words)


def error_lines(exc: ValidationError, raw: dict[str, Any], root: type[BaseModel] = Scenario, top: str = "",
                origins: dict[tuple[str, ...], str] | None = None) -> list[str]:
    """One line per validation problem of `raw` against `root`: the field (list items by name),
    the value and what is allowed; with `origins`, the file of an `extends` chain that set it."""
    origins = origins or {}
    lines = []
    for err, loc in _most_specific(exc.errors(include_url=False), raw):
        key = bool(loc) and loc[-1] == "[key]"
        loc = loc[:-1] if key else loc
        before = len(lines)
        _add_lines(lines, err, loc, key, raw, root)
        source = _origin(loc, origins)
        if source not in (None, top):
            lines[before:] = [f"{line} (set in {source})" for line in lines[before:]]
    return list(dict.fromkeys(lines))


def _origin(loc: list[Any], origins: dict[tuple[str, ...], str]) -> str | None:
    """The one file that set everything under `loc` (lists come whole from one file), if one did."""
    keys = tuple(itertools.takewhile(lambda p: isinstance(p, str), loc))
    files = {f for k, f in origins.items() if k[:len(keys)] == keys} if keys else set()
    return files.pop() if len(files) == 1 else None


def _add_lines(lines: list[str], err: dict[str, Any], loc: list[Any], key: bool, raw: dict[str, Any],
               root: type[BaseModel]) -> None:
    """The line(s) for one pydantic error at `loc`: place, value and rule."""
    where = dotted_location(loc, raw) or "(top level)"
    kind = err["type"]
    if key or kind == "invalid_key":
        lines.append(f"{where}: the name {short_repr(err.get('input'))} is a "
                     f"{type(err.get('input')).__name__}; names are text: quote it")
    elif kind == "extra_forbidden":
        lines.append(f"{where}: unknown field{_did_you_mean(loc, root)}")
    elif kind == "missing":
        lines.append(f"{where}: required field is missing")
    elif kind == "value_error":
        lines += [f"{where}: {line}" for line in err["msg"].removeprefix("Value error, ").splitlines()]
    else:
        rule = _RULES.get(kind) or err["msg"].lower()
        lines.append(f"{where}: got {short_repr(err.get('input'))}; {rule}")


_RULES = {  # pydantic's wording where it names Python classes
    "model_type": "expected a section (a mapping of fields)",
    "dict_type": "expected a mapping of names to values",
    "path_type": "expected a file path (text)",
}


def _most_specific(errors: list[dict[str, Any]], raw: dict[str, Any]) -> list[tuple[dict[str, Any], list[Any]]]:
    """Each error with its location in the user's terms; a union branch's complaint about a whole
    value is dropped when another branch names a part of it.

    `clear_sky_index: [0.5, 'a']` fails as a number and as a list; only the list's bad item helps.
    """
    locs = [_user_loc(e["loc"], raw) for e in errors]
    tagged = [len(loc) < len(e["loc"]) for e, loc in zip(errors, locs, strict=True)]
    return [(e, loc) for e, loc, tag in zip(errors, locs, tagged, strict=True)
            if not (tag and any(len(o) > len(loc) and o[:len(loc)] == loc for o in locs))]


def _user_loc(loc: tuple[Any, ...], raw: Any) -> list[Any]:
    """The keys and list positions of `loc`, without the tags pydantic adds for union branches.

    A part is a tag only if the user's data has no such key there: a field may be called
    'float' or 'tuple[' by mistake, and must still be named.
    """
    out, node = [], raw
    for part in loc:
        is_key = isinstance(node, dict) and part in node
        if not is_key and _is_validator_tag(part):
            continue
        out.append(part)
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        node = node[part] if is_key or in_list else None
    return out


def _is_validator_tag(part: object) -> bool:
    """Pydantic adds union-branch tags such as 'float' or 'list[float]' to error locations."""
    return isinstance(part, str) and part.startswith(("function-", "list[", "float", "int", "tuple["))


def dotted_location(loc: list[Any], raw: Any) -> str:
    """`pv.arrays[paint_shop].tilt_deg` from ('pv', 'arrays', 1, 'tilt_deg'), naming list items."""
    text, node = "", raw
    for part in loc:
        if isinstance(part, int) and not isinstance(node, dict):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            label = item.get("name") if isinstance(item, dict) else None
            text += f"[{label if isinstance(label, str) else part}]"
            node = item
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def _did_you_mean(loc: list[Any], root: type[BaseModel]) -> str:
    allowed = _fields_at(loc[:-1], root) if loc else []
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
