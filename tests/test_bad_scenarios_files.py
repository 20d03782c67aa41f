"""Bad scenario files through `zcf validate`, the file itself at fault: broken YAML, a broken
`extends` chain, a missing path, a folder, bytes that are not UTF-8. Exit code 2, one `error:` line
per problem naming the file; never a traceback, also when run as a real process.

Mistakes in fields are in `tests/test_bad_scenarios.py`; the plant and the check are in
`tests/bad_scenario_helpers.py`.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests import corpus
from tests.bad_scenario_helpers import (
    BASE_YAML,
    Case,
    assert_exits_2_with_one_clear_line_per_problem,
    error_lines,
    validate,
)

YAML_TEXT = [
    Case("unclosed_flow_mapping", ("plant.yaml: not valid YAML at line",), text="name: x\nsite: {latitude: 1\n"),
    Case("tab_indentation", ("plant.yaml: not valid YAML at line 3",), text="name: x\nsite:\n\tlatitude: 1\n"),
    Case("key_twice", ("key 'name' appears twice in one mapping (first at line 1)",), text=BASE_YAML + "name: again\n"),
    Case("key_twice_nested", ("line 3", "key 'latitude' appears twice"),
         text="name: x\nsite:\n  latitude: 1\n  latitude: 2\n"),
    Case("python_object_apply", ("YAML tag '!!python/object/apply:os.system'", "not allowed"),
         text='!!python/object/apply:os.system ["echo hi"]\n'),
    Case("python_name_in_field", ("YAML tag '!!python/name:os.system' at line 1", "not allowed"),
         text="name: !!python/name:os.system\n"),
    Case("unknown_local_tag", ("YAML tag '!plant' at line 1", "not allowed"), text="name: !plant x\n"),
    Case("two_documents", ("not valid YAML at line", "expected a single document in the stream, but found another"),
         text=BASE_YAML + "---\nname: second\n"),
    Case("octal_leading_zero", ("not valid YAML at line", "0700 would be read as the octal number 448 (YAML 1.1)",
                                "quote the text ('0700')"), text=BASE_YAML + "year: 0700\n"),
    Case("base_sixty", ("50:00 would be read as 3000 (base 60, YAML 1.1)",), text=BASE_YAML + "year: 50:00\n"),
    Case("base_sixty_float", ("1:30.5 would be read as 90.5 (base 60, YAML 1.1)",),
         text=BASE_YAML + "timezone: 1:30.5\n"),
    Case("binary", ("0b101 would be read as the binary number 5 (YAML 1.1)",), text=BASE_YAML + "year: 0b101\n"),
    Case("empty_file", ("plant.yaml: the file is empty",), text=""),
    Case("only_a_comment", ("plant.yaml: the file is empty",), text="# a plant, to be filled in\n"),
    Case("top_level_list", ("a scenario is a mapping of fields", "got list"), text="- name: x\n"),
    Case("top_level_text", ("a scenario is a mapping of fields", "got str 'name x'"), text="name x\n"),
    Case("unhashable_key", ("not valid YAML", "unhashable key"), text="? [a, b]\n: 1\n"),
    Case("bad_indentation", ("not valid YAML at line",), text="name: x\n  site: 1\n"),
    Case("anchor_missing", ("not valid YAML at line 1", "undefined alias"), text="name: *nothing\n"),
]

EXTENDS = [
    Case("extends_missing", ("plant.yaml: extends: 'base.yaml' not found",), {"extends": "base.yaml"}),
    Case("extends_itself", ("extends forms a cycle: plant.yaml -> plant.yaml",), {"extends": "plant.yaml"}),
    Case("extends_cycle_of_two", ("extends forms a cycle: plant.yaml -> a.yaml -> plant.yaml",),
         {"extends": "a.yaml"}, files={"a.yaml": "extends: plant.yaml\n"}),
    Case("extends_cycle_of_three", ("extends forms a cycle: plant.yaml -> a.yaml -> b.yaml -> plant.yaml",),
         {"extends": "a.yaml"}, files={"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: plant.yaml\n"}),
    Case("extends_list_file", ("base.yaml: a scenario is a mapping of fields", "got list"),
         {"extends": "base.yaml"}, files={"base.yaml": "- 1\n- 2\n"}),
    Case("extends_bad_yaml", ("base.yaml: not valid YAML at line 3", "expected the node content"),
         {"extends": "base.yaml"}, files={"base.yaml": "name: x\nsite: [1,\n"}),
    Case("extends_number", ("plant.yaml: extends: got 5", "give the path of one scenario file"), {"extends": 5}),
    Case("extends_empty_text", ("plant.yaml: extends: got ''",), {"extends": ""}),
    Case("extends_list", ("plant.yaml: extends: got ['a.yaml', 'b.yaml']",), {"extends": ["a.yaml", "b.yaml"]}),
    Case("extends_folder", ("plant.yaml: extends: 'bases' is a folder",), {"extends": "bases"}, files={"bases/x": ""}),
    Case("extends_python_tag", ("base.yaml: YAML tag '!!python/object/apply:os.system'",),
         {"extends": "base.yaml"}, files={"base.yaml": "name: !!python/object/apply:os.system [ls]\n"}),
    Case("extends_empty_file", ("base.yaml: the file is empty",), {"extends": "base.yaml"}, files={"base.yaml": ""}),
    Case("extends_chain_missing_grandparent", ("a.yaml: extends: 'gone.yaml' not found",),
         {"extends": "a.yaml"}, files={"a.yaml": "extends: gone.yaml\n"}),
    Case("extends_base_key_twice", ("base.yaml: not valid YAML at line 2", "key 'year' appears twice"),
         {"extends": "base.yaml"}, files={"base.yaml": "year: 2024\nyear: 2025\n"}),
    Case("extends_merge_breaks_type", ("plant.yaml: site: got 5",), {"extends": "base.yaml", "site": 5},
         files={"base.yaml": BASE_YAML}),
]

EXTENDS += [
    Case("extends_inherited_bad_value", ("plant.yaml: pv.capex_per_kw: got -5; input should be greater than or equal "
                                         "to 0 (set in base.yaml)",),
         text="extends: base.yaml\nname: child\n",
         files={"base.yaml": BASE_YAML + "pv: {capex_per_kw: -5, arrays: [{name: a, max_kw: 1}]}\n"}),
    Case("extends_child_breaks_a_base_rule", ("plant.yaml: storage: soc_min 0.9 must be below soc_max 0.5",),
         text="extends: base.yaml\nstorage: {soc_max: 0.5}\n",
         files={"base.yaml": BASE_YAML + "storage: {soc_min: 0.9}\n"}),
]

FILE_CASES = YAML_TEXT + EXTENDS


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_bad_scenario_exits_2_with_one_clear_line_per_problem(tmp_path, case):
    assert_exits_2_with_one_clear_line_per_problem(tmp_path, case)


def test_missing_and_folder_scenario_paths(tmp_path):
    for path, words in ((tmp_path / "nowhere.yaml", "scenario file not found"), (tmp_path, "is a folder")):
        code, _, stderr = validate(path)
        assert code == 2
        corpus.refused(corpus.fingerprint("path", words), error_lines(stderr), "scenario file", words, str(path))


@pytest.mark.parametrize("content, words", [
    (b"name: caf\xe9\n", "not UTF-8 text (byte 0xe9 at offset 9)"),
    (bytes(range(256)), "not UTF-8 text"),
], ids=["latin1", "binary"])
def test_scenario_that_is_not_utf8(tmp_path, content, words):
    path = tmp_path / "plant.yaml"
    path.write_bytes(content)
    code, _, stderr = validate(path)
    assert code == 2
    corpus.refused(corpus.fingerprint("bytes", content), error_lines(stderr), "plant.yaml: ", words)


def test_a_real_process_exits_2_without_traceback(tmp_path):
    case = next(c for c in FILE_CASES if c.id == "extends_cycle_of_two")
    run = subprocess.run([sys.executable, "-m", "optimizer.cli", "validate", str(case.write(tmp_path))],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert all(line.startswith("error: ") for line in run.stderr.splitlines())
    assert case.expect[0] in run.stderr
