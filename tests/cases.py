"""Small hand-sized `Inputs` for tests whose optimum is derived by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.inputs import Inputs
from models.timeindex import model_year_index


def hours(n: int) -> pd.DatetimeIndex:
    """The first `n` hours of 2025 (a Wednesday), local standard time."""
    return model_year_index(2025)[:n]


def plant(load_kw, price_per_kwh=0.5, factor_t_per_kwh=0.0005, **options) -> Inputs:
    """A plant with the given hourly load and prices; every option off unless given."""
    load = np.asarray(load_kw, dtype=float)
    n = len(load)
    prices = np.broadcast_to(np.asarray(price_per_kwh, dtype=float), (n,)).copy()
    options.setdefault("max_net_t", None)
    return Inputs(name="test plant", index=hours(n), load_kw=load, price_per_kwh=prices,
                  period=np.full(n, "p", dtype=object), grid_factor_t_per_kwh=factor_t_per_kwh,
                  mip_gap=0.0, **options)
