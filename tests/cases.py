"""Small hand-sized `Inputs` for tests whose optimum is derived by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.data.timeindex import model_year_index
from models.inputs import Inputs, StorageInputs


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


def battery(**kw) -> StorageInputs:
    """A free 100 kWh / 50 kW battery, 0.9 each way, unless told otherwise."""
    spec = dict(capex_per_kwh=0.0, capex_per_kw=0.0, fixed_om_per_kw_year=0.0, crf=0.1,
                charge_efficiency=0.9, discharge_efficiency=0.9, soc_min=0.0, soc_max=1.0,
                max_kwh=100.0, max_kw=50.0)
    spec.update(kw)
    return StorageInputs(**spec)


def solve_optimal(inp: Inputs):
    """The plan of `inp`, which must be optimal."""
    from optimizer.result.run import solve_inputs

    plan = solve_inputs(inp)
    assert plan.status == "optimal", plan.summary
    return plan


def busy_week() -> Inputs:
    """A week of a two-shift plant with every option on, most of them at or near a limit."""
    from models.inputs import CertificateInputs, CreditInputs, GreenPowerInputs, PvArrayInputs, PvInputs, StorageInputs

    n = 168
    hour = np.arange(n) % 24
    load = np.where((hour >= 8) & (hour < 20), 200.0, 100.0)
    peak = ((hour >= 8) & (hour < 12)) | ((hour >= 14) & (hour < 18))
    price = np.where(hour < 8, 0.3, np.where(peak, 1.0, 0.6))
    sun = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None) * 0.7
    return plant(
        load, price, factor_t_per_kwh=0.0006, max_net_t=0.0, scope1_t=2.0, demand_charge_per_kw_month=5.0,
        export_allowed=True, export_price_per_kwh=0.2,
        pv=PvInputs(capex_per_kw=300.0, fixed_om_per_kw_year=2.0, crf=0.01, arrays=(
            PvArrayInputs(name="a", limit_kw=150.0, fixed_cost=0.0, yield_kwh_per_kwp=sun),
            PvArrayInputs(name="b", limit_kw=100.0, fixed_cost=500.0, yield_kwh_per_kwp=sun * 0.9))),
        storage=StorageInputs(capex_per_kwh=50.0, capex_per_kw=20.0, fixed_om_per_kw_year=1.0, crf=0.02,
                              charge_efficiency=0.95, discharge_efficiency=0.95, soc_min=0.1, soc_max=0.9,
                              max_kwh=400.0, max_kw=200.0, fixed_cost=100.0),
        green_power=GreenPowerInputs(price_per_kwh=0.55, max_mwh=10.0, min_mwh=2.0, profile_share=np.full(n, 1 / n)),
        certificates=CertificateInputs(price_per_mwh=10.0, max_mwh=8.0),
        credits=CreditInputs(price_per_t=40.0, max_offset_share=0.3),
    )
