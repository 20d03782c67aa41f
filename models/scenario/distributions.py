"""Named distributions for Monte Carlo sweeps, each with the parameters an analyst writes down."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from models.scenario.ranges import LARGEST
from models.scenario.schema import Section

# A parameter stands for values of the field swept, each checked as that field at every point: here only
# a finite size no scenario field exceeds.
Value = Annotated[float, Field(ge=-LARGEST, le=LARGEST)]
Spread = Annotated[float, Field(gt=0, le=LARGEST)]

_NEEDS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "std"),
    "lognormal": ("median", "sigma"),
}


class Distribution(Section):
    """One uncertain input: `distribution` and the parameters that kind needs."""

    distribution: Literal["uniform", "triangular", "normal", "lognormal"] = Field(
        description="uniform(low, high); triangular(low, mode, high); normal(mean, std), clipped to "
        "[low, high] if given; lognormal(median, sigma): median × exp(sigma × N(0, 1)), clipped likewise."
    )
    low: Value | None = Field(None, description="Lower end (uniform, triangular) or clip (normal, lognormal).")
    high: Value | None = Field(None, description="Upper end (uniform, triangular) or clip (normal, lognormal).")
    mode: Value | None = Field(None, description="Most likely value (triangular).")
    mean: Value | None = Field(None, description="Mean (normal).")
    std: Spread | None = Field(None, description="Standard deviation (normal).")
    median: Spread | None = Field(None, description="Median (lognormal).")
    sigma: float | None = Field(None, gt=0, le=10, description="Standard deviation of the logarithm (lognormal); "
                                "at most 10, a factor of e¹⁰ ≈ 22,000 per standard deviation.")

    @model_validator(mode="after")
    def _complete(self) -> Distribution:
        missing = [n for n in _NEEDS[self.distribution] if getattr(self, n) is None]
        if missing:
            raise ValueError(f"{self.distribution} needs {', '.join(_NEEDS[self.distribution])}; "
                             f"missing {', '.join(missing)}")
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(f"low {self.low:g} must be below high {self.high:g}")
        if self.distribution == "triangular" and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode {self.mode:g} must lie between low {self.low:g} and high {self.high:g}")
        return self

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` draws from `rng`, clipped to [low, high] for the unbounded kinds."""
        kind = self.distribution
        if kind == "uniform":
            return rng.uniform(self.low, self.high, n)
        if kind == "triangular":
            return rng.triangular(self.low, self.mode, self.high, n)
        draws = rng.normal(self.mean, self.std, n) if kind == "normal" else \
            self.median * np.exp(self.sigma * rng.standard_normal(n))
        low = -np.inf if self.low is None else self.low
        high = np.inf if self.high is None else self.high
        return np.clip(draws, low, high)
