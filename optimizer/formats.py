"""Number formats, in one place: what the terminal, the page, the charts and the explanations print."""

from __future__ import annotations

DASH = "–"


def no_minus_zero(text: str) -> str:
    """A formatted number without a stray '-' when it rounds to zero ('-0', '-0.00' become '0', '0.00')."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def figure(value: float, large: float = 100) -> str:
    """Figures from `large` up with thousands separators, smaller ones with three significant digits."""
    return f"{value:,.0f}" if abs(value) >= large else f"{value:.3g}"


def figure_apart(value: float, other: float, large: float = 100) -> str:
    """`value` as `figure` prints it, with more significant digits when that would print it as `other`
    although they differ (a needed 0.1503 against a limit of 0.15 is not '0.15')."""
    text = figure(value, large)
    digits = 3
    while value != other and text == figure(other, large) and digits < 9:
        digits += 1
        decimals = max(digits - len(f"{abs(value):.0f}"), 0)
        text = f"{value:,.{decimals}f}" if abs(value) >= large else f"{value:.{digits}g}"
    return text


def money_m(value: float | None) -> str:
    """Millions with two decimals: 136.23."""
    return DASH if value is None else no_minus_zero(f"{value / 1e6:,.2f}")


def whole(value: float | None) -> str:
    """A whole number with thousands separators: 12,080."""
    return DASH if value is None else no_minus_zero(f"{value:,.0f}")


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal: 45.6 %."""
    return DASH if share is None else no_minus_zero(f"{share * 100:.1f}") + " %"


def tenths(value: float | None) -> str:
    """One decimal with thousands separators: 3.2 (years, a rate in per cent)."""
    return DASH if value is None else no_minus_zero(f"{value:,.1f}")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: 1 point, 2 points, 1,200 points."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
