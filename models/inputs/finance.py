"""Annuities: turning an investment into an equivalent yearly cost."""

from __future__ import annotations


def capital_recovery_factor(discount_rate: float, lifetime_years: int) -> float:
    """CRF(r, n) = r(1+r)^n / ((1+r)^n - 1), and 1/n when r = 0: the yearly share of a capex."""
    if lifetime_years <= 0:
        raise ValueError(f"lifetime_years must be positive, got {lifetime_years}")
    if discount_rate == 0:
        return 1.0 / lifetime_years
    growth = (1.0 + discount_rate) ** lifetime_years
    return discount_rate * growth / (growth - 1.0)
