"""A scenario file's text as plain data: PyYAML's safe loader with the mistakes YAML lets pass refused.

Refused, each at its line: a key given twice, YAML 1.1 numbers a person would read otherwise (0700,
0b101, 50:00), numbers too long to mean anything (a thousand digits), and nesting deeper than any
scenario needs (a few thousand brackets would exhaust Python's stack in the parser). A file whose
name does not end in .yaml, .yml or .json is not quoted in errors: `extends: /etc/shadow` must not
print the file's lines.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from models.data.file_access import NOT_FOUND, NotAFileError, file_problem, read_bytes, shown_path
from models.errors import InputError, short_repr

MAX_DEPTH = 50  # a scenario nests about 7 levels (grid.tariff.schedule[0].hours[0]); sweeps a few more
MAX_DIGITS = 30  # float precision ends at 17 digits; 30 leaves room for any value written by hand
YAML_SUFFIXES = (".yaml", ".yml", ".json")
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
_BINARY = re.compile(r"[-+]?0b[01_]+")


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader (plain data only, no Python tags) that also refuses a key given twice,
    nesting deeper than MAX_DEPTH and a value that holds itself through an alias.

    Plain `yaml.safe_load` keeps the last of two equal keys and drops the first without a word,
    so a hand-edited file with two `storage:` blocks would lose one silently.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """PyYAML's composer recurses once per level: stop at MAX_DEPTH, before Python's stack does."""
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, _too_deep(), self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> yaml.Node | None:
        """The document's node, refused if aliases nest it deeper than MAX_DEPTH or make it hold itself."""
        node = super().get_single_node()
        if node is not None:
            _check_alias_depth(node)
        return node


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels; a scenario needs fewer than 10"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _check_alias_depth(root: yaml.Node) -> None:
    """Refuse a node graph deeper than MAX_DEPTH or with a cycle, walked without recursion.

    Each alias reuses its anchor's node, so a few lines of `&a [*b, *b]` can nest far deeper than
    the text does; every node is measured once.
    """
    depth: dict[int, int] = {}
    path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            path.discard(id(node))
            depth[id(node)] = 1 + max((depth[id(c)] for c in _children(node)), default=0)
            if depth[id(node)] > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, _too_deep() + " (through aliases)",
                                                  node.start_mark)
        elif id(node) in path:
            raise yaml.composer.ComposerError(None, None, "a value holds itself (an alias inside its "
                                              "own anchor); a scenario holds plain data", node.start_mark)
        elif id(node) not in depth:
            path.add(id(node))
            stack.append((node, True))
            stack += [(child, False) for child in _children(node) if id(child) not in depth]


def _mapping_without_repeats(loader: _SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` keys may be overridden: that is what merging is for
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.setdefault(key, key_node.start_mark)
        except TypeError:
            continue  # unhashable key: construct_mapping reports it
        if first is not key_node.start_mark:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one mapping (first at line {first.line + 1}); "
                "keep one", key_node.start_mark)
    return loader.construct_mapping(node, deep=True)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def _digits(text: str, kind: str) -> int:
    """How many digits a YAML number is written with (sign, prefix, '_', '.', ':' and exponent not counted)."""
    body = text.lstrip("+-").replace("_", "")
    body = re.split(r"[eE][-+]", body)[0] if kind == "float" else re.sub(r"^0[xXbBoO]", "", body)
    return sum(ch.isalnum() for ch in body)


# Numbers only YAML 1.1 reads (PyYAML follows it): a leading zero as octal (0700 is 448), 0b as
# binary, colons as base 60 (50:00 is 3000). Other readers (YAML 1.2) take them otherwise, and a
# person means 700 or the text "50:00": such a value is refused, saying how to write it.
def _number_as_written(kind: str) -> Any:
    plain = getattr(yaml.SafeLoader, f"construct_yaml_{kind}")

    def construct(loader: _SafeLoader, node: yaml.ScalarNode) -> Any:
        text = node.value
        if (digits := _digits(text, kind)) > MAX_DIGITS:  # int() refuses 4300 digits; a traceback otherwise
            raise yaml.constructor.ConstructorError(
                None, None, f"a number with {digits} digits ({text[:20]}...); the longest accepted has "
                f"{MAX_DIGITS} digits", node.start_mark)
        value = plain(loader, node)
        if ":" in text:
            why = f"{text} would be read as {value} (base 60, YAML 1.1)"
        elif kind == "int" and _OCTAL.fullmatch(text):
            why = f"{text} would be read as the octal number {value} (YAML 1.1)"
        elif kind == "int" and _BINARY.fullmatch(text):
            why = f"{text} would be read as the binary number {value} (YAML 1.1)"
        else:
            return value
        raise yaml.constructor.ConstructorError(
            None, None, f"{why}; write the number without a leading zero or colons, or quote the text "
            f"('{text}')", node.start_mark)

    return construct


for _kind in ("int", "float"):
    _SafeLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _number_as_written(_kind))


def yaml_named(path: Path) -> bool:
    """Whether `path` (and the file a symlink leads to) is named as a YAML file: .yaml, .yml or .json.

    Only such files are quoted in errors; any other is not the user's scenario as far as can be told.
    """
    return all(p.suffix.lower() in YAML_SUFFIXES for p in (Path(path), Path(os.path.realpath(path))))


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping a YAML file holds; every problem an InputError naming the file and line.

    A file not named .yaml, .yml or .json is reported as 'not a scenario file' with the line and
    column only, never its text.
    """
    path = Path(path)
    problem = file_problem(path)
    if problem is not None:
        shown = shown_path(path)
        raise InputError(f"file not found: {shown}" if problem == NOT_FOUND else f"{shown} {problem}")
    quoted = yaml_named(path)
    try:
        text = read_bytes(path).decode("utf-8-sig")
        data = yaml.load(text, Loader=_SafeLoader)  # a SafeLoader: plain data only
    except yaml.YAMLError as exc:
        if not quoted:
            raise InputError(_not_scenario(path, f"not valid YAML{_at(exc)}")) from None
        raise InputError(f"{path.name}: {_yaml_problem(exc)}") from None
    except UnicodeDecodeError as exc:
        if not quoted:
            raise InputError(_not_scenario(path, "not UTF-8 text")) from None
        raise InputError(f"{path.name}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
                         f"{exc.start}); save the scenario as UTF-8") from None
    except NotAFileError as exc:
        raise InputError(f"{shown_path(path)} {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if data is None:
        raise InputError(f"{path.name}: the file is empty; a scenario is a mapping of fields "
                         "(name:, site:, load:, grid:, ...)")
    if not isinstance(data, dict):
        if not quoted:
            raise InputError(_not_scenario(path, f"it holds {_kind_of(data)}, not a mapping of fields"))
        raise InputError(f"{path.name}: a scenario is a mapping of fields (name:, site:, ...); got "
                         f"{type(data).__name__} {short_repr(data)}")
    return data


def _not_scenario(path: Path, why: str) -> str:
    return (f"{shown_path(path)}: not a scenario file ({why}); a scenario is a YAML file (.yaml) of fields name:, "
            "site:, load:, grid:, ...")


def _kind_of(data: object) -> str:
    return {str: "text", list: "a list"}.get(type(data), f"a single {type(data).__name__}")


def _at(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """'not valid YAML at line 3, column 7: ...', naming a refused tag in the user's spelling."""
    at = _at(exc)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    tag = re.search(r"constructor for the tag '([^']*)'", problem)
    if tag:
        shown = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return (f"YAML tag {shown!r}{at} is not allowed; a scenario holds plain data only (numbers, "
                "text, true/false, lists and mappings)")
    return f"not valid YAML{at}: {f'{context}, ' if context else ''}{problem}"
