"""Degenerate plants solve, with figures that make sense, or fail with words: nothing to buy,
nothing to use, nothing to pay, nothing lost in a battery, nothing emitted."""

from __future__ import annotations

import numpy as np
import pytest

from models.inputs import CertificateInputs, CreditInputs, PvArrayInputs, PvInputs, StorageInputs
from optimizer.result.run import solve_inputs
from tests.cases import plant

SUN = np.array([0.0] * 8 + [0.5] * 8 + [0.0] * 8)


def lossless_battery() -> StorageInputs:
    return StorageInputs(capex_per_kwh=10.0, capex_per_kw=0.0, fixed_om_per_kw_year=0.0, crf=0.1,
                         charge_efficiency=1.0, discharge_efficiency=1.0, soc_min=0.0, soc_max=1.0,
                         max_kwh=100.0, max_kw=50.0)


@pytest.mark.parametrize("case", ["no options", "no load", "zero prices", "no roof", "lossless battery",
                                  "clean grid"])
def test_degenerate_plants_solve_and_balance(case):
    options = dict(max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=5.0),
                   credits=CreditInputs(price_per_t=50.0, max_offset_share=1.0))
    load, price, factor = [100.0] * 24, [0.5] * 24, 0.0005
    if case == "no options":
        options = dict(max_net_t=None)
    elif case == "no load":
        load = [0.0] * 24
    elif case == "zero prices":
        price = [0.0] * 24
    elif case == "no roof":
        roof = PvArrayInputs(name="roof", limit_kw=0.0, fixed_cost=0.0, yield_kwh_per_kwp=SUN)
        options["pv"] = PvInputs(capex_per_kw=1.0, fixed_om_per_kw_year=0.0, crf=1.0, arrays=(roof,))
    elif case == "lossless battery":
        options["storage"] = lossless_battery()
        price = [0.2] * 12 + [1.0] * 12
    elif case == "clean grid":  # nothing to cut or offset: the target holds as written
        factor, options = 0.0, dict(max_net_t=0.0)
    plan = solve_inputs(plant(load, price, factor_t_per_kwh=factor, **options))
    s, h = plan.summary, plan.hourly
    assert plan.status == "optimal", s
    supply = h["grid_import_kw"] + h["pv_out_kw"] + h["discharge_kw"] + h["green_power_kw"]
    np.testing.assert_allclose(supply, h["load_kw"] + h["charge_kw"] + h["export_kw"], atol=1e-6)
    assert s["emissions"]["net_t"] <= 1e-9 or options.get("max_net_t") is None
    assert all(np.isfinite(v) for v in s["costs"].values())
    if s["abated_t"] is not None and s["abated_t"] <= 1e-6:
        assert s["abatement_cost_per_t"] is None  # nothing abated: no cost per tonne, not a division by zero


def test_a_lossless_battery_earns_the_whole_spread():
    # 100 kWh stored at 0.2 and returned at 1.0: 80 saved; the capacity costs 0.1 × 10 × 100 = 100 a year,
    # so it is not built; at a capacity cost of 0.5 per kWh-year it pays: 80 - 50 = 30.
    assert solve_inputs(plant([100.0] * 24, [0.2] * 12 + [1.0] * 12, storage=lossless_battery())
                        ).summary["storage_kwh"] == pytest.approx(0.0, abs=1e-6)
    cheap = StorageInputs(capex_per_kwh=5.0, capex_per_kw=0.0, fixed_om_per_kw_year=0.0, crf=0.1,
                          charge_efficiency=1.0, discharge_efficiency=1.0, soc_min=0.0, soc_max=1.0,
                          max_kwh=100.0, max_kw=50.0)
    plan = solve_inputs(plant([100.0] * 24, [0.2] * 12 + [1.0] * 12, storage=cheap))
    assert plan.summary["savings"] == pytest.approx(100 * 0.8 - 0.1 * 5.0 * 100, rel=1e-6)
    assert plan.summary["energy"]["storage_losses_mwh"] == pytest.approx(0.0, abs=1e-9)
