"""Number and word formats shared by the terminal, the files and the page (optimizer.formats)."""

from __future__ import annotations

import pytest

from optimizer.formats import count, tenths


@pytest.mark.parametrize(("n", "noun", "text"), [(1, "point", "1 point"), (0, "point", "0 points"),
                                                 (2, "model year", "2 model years"), (1200, "file", "1,200 files"),
                                                 (1, "scenario", "1 scenario")])
def test_a_count_takes_its_noun_in_the_right_number(n, noun, text):
    assert count(n, noun) == text


def test_tenths_never_print_minus_zero():
    assert tenths(-0.01) == "0.0" and tenths(3.16) == "3.2" and tenths(None) == "–" and tenths(1234.5) == "1,234.5"
