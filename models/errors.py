"""One error type for everything a user can get wrong, carrying every problem found at once."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 60, 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


class InputError(Exception):
    """A user mistake in a scenario, a data file or a command-line option.

    Each problem is one line naming where (file, field or row), the bad value and what is
    allowed; the CLI prints them all and exits with code 2, never a traceback.
    """

    def __init__(self, problems: str | Iterable[str]):
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))

    def prefixed(self, where: str) -> InputError:
        """The same problems, each prefixed with a location such as a file name."""
        return InputError(f"{where}: {p}" for p in self.problems)


def short_repr(value: object, limit: int = 60) -> str:
    """A value as a user would recognise it in an error line, cut to `limit` characters.

    Nested values are shortened while they are written, so a huge or deeply aliased YAML value
    costs no more than a small one.
    """
    text = _REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
