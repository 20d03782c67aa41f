"""The bad-input corpus's bookkeeping: what was tried, what gave a clear error, what was accepted.

Every test of a bad input calls `refused(...)`; every unusual input that must be accepted with a
note calls `accepted(...)`. `tests/conftest.py` prints the totals at the end of the run, so the
size of the corpus (hand-written cases plus hypothesis examples) is visible in every test run.
"""

from __future__ import annotations

import hashlib

TRIED: set[str] = set()
CLEAR: set[str] = set()
NOTED: set[str] = set()


def fingerprint(*parts: object) -> str:
    """A stable identity for an input, so the same input tried twice counts once."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()


def refused(identity: str, problems: list[str], where: str, *fragments: str) -> None:
    """Assert `problems` is a clear refusal and count it.

    Clear: at least one line; each line is one line of text naming `where` (the file or field
    prefix); together they contain every fragment (the field, row or value, and the rule).
    """
    TRIED.add(identity)
    assert problems, "an InputError without a problem line"
    for line in problems:
        assert line and "\n" not in line and "Traceback" not in line, line
        assert where in line, f"{where!r} not named in {line!r}"
    joined = "\n".join(problems)
    for fragment in fragments:
        assert fragment in joined, f"{fragment!r} missing from:\n{joined}"
    CLEAR.add(identity)


def accepted(identity: str, notes: list[str], *fragments: str) -> None:
    """Assert the fix applied to an unusual input is reported in `notes`, and count it."""
    joined = "\n".join(notes)
    for fragment in fragments:
        assert fragment in joined, f"note {fragment!r} missing from:\n{joined}"
    NOTED.add(identity)


def summary() -> str:
    return (f"bad-input corpus: {len(TRIED)} distinct bad inputs tried, {len(CLEAR)} gave a clear "
            f"error; {len(NOTED)} unusual inputs accepted with a note")
