"""Dotted paths into a scenario: `pv.capex_per_kw`, `pv.arrays[paint_shop].max_kw`, `storage`, and
into a roadmap: `roadmap.targets.2030.reduction_pct`, `roadmap.paths[pv.capex_per_kw].2030`.

A path is checked against the schema (unknown fields get a "did you mean") and against the
base scenario (a list item named or numbered must exist), then read or set in the plain dict
a scenario file becomes. Setting null removes an optional section, as in `extends` files.
"""

from __future__ import annotations

import copy
import difflib
import re
import typing
from dataclasses import dataclass
from typing import Any

from models.errors import InputError
from models.scenario.loading import section_class
from models.scenario.schema import Scenario

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(\[(?P<key>[^\[\]]+)\])?$")


@dataclass(frozen=True)
class Step:
    name: str
    key: str | None = None  # a list item: its `name` or its position
    has_defaults: bool = False  # a section made of defaults when absent (finance), not an option (storage)
    year: bool = False  # a key of a mapping by year (a roadmap's targets and paths)


_ROADMAP_TARGET = re.compile(r"^roadmap\.targets\.(?P<year>\d{4})\.(?P<field>\w+)$")
_ROADMAP_PATH = re.compile(r"^roadmap\.paths\[(?P<field>.+)\]\.(?P<year>\d{4})$")


def parse_path(path: str) -> tuple[Step, ...]:
    """The steps of a dotted path, checked against the scenario schema."""
    if path.startswith(("roadmap.targets", "roadmap.paths")):
        return _roadmap_steps(path)
    steps = []
    for text in path.split("."):
        match = _SEGMENT.match(text.strip())
        if not match:
            raise InputError(f"{path!r}: {text!r} is not a field name; write paths like pv.capex_per_kw "
                             "or pv.arrays[paint_shop].max_kw")
        steps.append(Step(match["name"], match["key"]))
    return _check_schema(path, steps)


def _check_schema(path: str, steps: list[Step]) -> tuple[Step, ...]:
    """`steps` checked field by field, each marked with whether an absent section has defaults."""
    checked = []
    cls: Any = Scenario
    for i, step in enumerate(steps):
        if cls is dict:  # a free mapping such as prices_per_kwh: any key, one level deep
            if step.key is not None or i != len(steps) - 1:
                raise InputError(f"{path!r}: {step.name!r} is a key of a mapping; it has no fields")
            return (*checked, step)
        fields = cls.model_fields if _is_model(cls) else {}
        if step.name not in fields:
            close = difflib.get_close_matches(step.name, list(fields), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ";"
            where = ".".join(s.name for s in steps[:i]) or "the scenario"
            raise InputError(f"{path!r}: {step.name!r} is not a field of {where}{hint} "
                             f"allowed: {', '.join(sorted(fields))}")
        field = fields[step.name]
        annotation = field.annotation
        checked.append(Step(step.name, step.key, field.default_factory is not None))
        if step.key is not None and not _is_list(annotation):
            raise InputError(f"{path!r}: {step.name!r} is not a list; [{step.key}] cannot select an item")
        if step.key is None and _is_list(annotation) and i != len(steps) - 1:
            raise InputError(f"{path!r}: {step.name!r} is a list; name an item, e.g. {step.name}[0] or "
                             f"{step.name}[its name]")
        cls = dict if _is_mapping(annotation) else section_class(annotation)
        if cls is None and i != len(steps) - 1:
            raise InputError(f"{path!r}: {step.name!r} is a value, not a section; it has no fields")
    return tuple(checked)


def _roadmap_steps(path: str) -> tuple[Step, ...]:
    """A year's target field or a path's value in a year: a mapping keyed by year, inside the roadmap."""
    from models.scenario.schema import YearTarget

    if match := _ROADMAP_TARGET.match(path):
        if match["field"] not in YearTarget.model_fields:
            raise InputError(f"{path!r}: {match['field']!r} is not a field of a year's target; allowed: "
                             f"{', '.join(YearTarget.model_fields)}")
        return (Step("roadmap"), Step("targets"), Step(match["year"], year=True), Step(match["field"]))
    if match := _ROADMAP_PATH.match(path):
        parse_path(match["field"])
        return (Step("roadmap"), Step("paths"), Step(match["field"]), Step(match["year"], year=True))
    raise InputError(f"{path!r}: write a roadmap value as roadmap.targets.<year>.<field> (e.g. "
                     "roadmap.targets.2030.reduction_pct) or roadmap.paths[<field>].<year> (e.g. "
                     "roadmap.paths[pv.capex_per_kw].2030)")


def _key(node: dict[str, Any], step: Step) -> Any:
    """The key of `step` in `node`: a year is a number in a file and text in a JSON dump."""
    if step.year and step.name not in node:
        return int(step.name)
    return step.name


def get_value(raw: dict[str, Any], steps: tuple[Step, ...], path: str) -> Any:
    """The value at `steps` in `raw` (None where an optional section or field is absent)."""
    node: Any = raw
    for step in steps:
        if not isinstance(node, dict):
            return None
        node = node.get(_key(node, step))
        if step.key is not None:
            node = node[_item(node, step, path)] if isinstance(node, list) else None
    return node


def address(raw: dict[str, Any], steps: tuple[Step, ...], path: str) -> tuple[tuple[str, int | None], ...]:
    """Where `steps` point in `raw`, each list item by its position: two paths that name one item
    differently (by name, by position, with stray spaces) have one address."""
    found: list[tuple[str, int | None]] = []
    node: Any = raw
    for step in steps:
        child = node.get(_key(node, step)) if isinstance(node, dict) else None
        index = _item(child, step, path) if step.key is not None and isinstance(child, list) else None
        found.append((str(step.name), index if step.key is None or index is not None else step.key))
        node = child[index] if index is not None else child
    return tuple(found)


def overlaps(addresses: dict[str, tuple[tuple[str, int | None], ...]]) -> list[str]:
    """A line for each two paths that set one field, or a field and a section holding it."""
    paths = list(addresses)
    found = []
    for i, first in enumerate(paths):
        for second in paths[i + 1:]:
            a, b = addresses[first], addresses[second]
            if a[: len(b)] == b or b[: len(a)] == a:
                inner = first if len(a) >= len(b) else second
                outer = second if inner == first else first
                what = "the same field" if len(a) == len(b) else f"{inner!r} inside {outer!r}"
                found.append(f"parameters: {first!r} and {second!r} both set {what}; a point would keep only one "
                             "of them: keep one parameter")
    return found


def set_value(raw: dict[str, Any], steps: tuple[Step, ...], value: Any, path: str) -> dict[str, Any]:
    """A copy of `raw` with `value` at `steps`; None removes the field or section."""
    out = copy.deepcopy(raw)
    node: Any = out
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if step.key is None and last:
            if value is None:
                node.pop(_key(node, step), None)
            else:
                node[_key(node, step)] = copy.deepcopy(value)
            return out
        if node.get(step.name) is None and step.has_defaults and step.key is None:
            node[step.name] = {}
        if node.get(_key(node, step)) is None:
            missing = ".".join(s.name for s in steps[: i + 1])
            raise InputError(f"{path!r}: the base scenario has no {missing}; set the whole section "
                             f"instead, e.g. {missing}: {{...}}")
        child = node[_key(node, step)]
        if step.key is not None:
            index = _item(child, step, path)
            if last:
                if value is None:
                    child.pop(index)
                else:
                    child[index] = copy.deepcopy(value)
                return out
            child = child[index]
        node = child
    return out


def _item(items: Any, step: Step, path: str) -> int:
    if not isinstance(items, list):
        raise InputError(f"{path!r}: {step.name} is not a list in the base scenario")
    names = [it.get("name") for it in items if isinstance(it, dict)]
    if step.key in names:
        return names.index(step.key)
    if step.key.isdigit() and int(step.key) < len(items):
        return int(step.key)
    close = difflib.get_close_matches(step.key, [n for n in names if isinstance(n, str)], n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ";"
    raise InputError(f"{path!r}: no item {step.key!r} in {step.name}{hint} items: {names}")


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and hasattr(cls, "model_fields")


def _is_list(annotation: Any) -> bool:
    return _has_origin(annotation, list)


def _is_mapping(annotation: Any) -> bool:
    return _has_origin(annotation, dict)


def _has_origin(annotation: Any, origin: type) -> bool:
    """`annotation` is `origin[...]`, or an Optional of one."""
    return typing.get_origin(annotation) is origin or any(typing.get_origin(a) is origin
                                                          for a in typing.get_args(annotation))
