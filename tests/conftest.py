"""Hypothesis budgets and the bad-input corpus summary.

The property tests read their budget from a hypothesis profile: `quick` (the default) keeps the
suite fast and its examples fixed from run to run; `fuzz` (`make fuzz`, or HYPOTHESIS_PROFILE=fuzz)
tries many more, new ones on every run.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests import corpus

pytest.register_assert_rewrite("tests.bad_scenario_helpers")  # its checks report like a test's own asserts

settings.register_profile("quick", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2500, deadline=None, derandomize=False, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def pytest_terminal_summary(terminalreporter) -> None:
    if corpus.TRIED or corpus.NOTED:
        terminalreporter.write_line(corpus.summary())
