"""Hypothesis budgets and the bad-input corpus summary.

The property tests read their budget from a hypothesis profile: `default` keeps the suite fast
(and the examples fixed from run to run), `fuzz` (`make fuzz`, or HYPOTHESIS_PROFILE=fuzz) tries
many more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from tests import corpus

settings.register_profile("default", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2500, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_terminal_summary(terminalreporter) -> None:
    if corpus.TRIED or corpus.NOTED:
        terminalreporter.write_line(corpus.summary())
