"""Physics and accounting an auditor checks, on cases small enough to derive by hand.

Two days of a plant with a flat 100 kW load; PV (when present) yields 1 kWh per kWp in each of
the four hours 10:00–14:00 and nothing else. Every figure asserted is worked out in the comment
above it.
"""

from __future__ import annotations

import numpy as np
import pytest

from models.inputs import CertificateInputs, CreditInputs, GreenPowerInputs, PvArrayInputs, PvInputs, StorageInputs
from optimizer.model.export import selling_steps
from tests import cases
from tests.cases import plant

REL = 1e-6
DAYS = 2
HOUR = np.arange(24 * DAYS) % 24
SUN = ((HOUR >= 10) & (HOUR < 14)).astype(float)  # kWh per kWp
LOAD = np.full(24 * DAYS, 100.0)


def pv(capex_per_kw: float = 0.0, limit_kw: float = 300.0) -> PvInputs:
    return PvInputs(capex_per_kw=capex_per_kw, fixed_om_per_kw_year=0.0, crf=1.0,
                    arrays=(PvArrayInputs(name="roof", limit_kw=limit_kw, fixed_cost=0.0, yield_kwh_per_kwp=SUN),))


def battery(**kw) -> StorageInputs:
    """A free, lossless 100 kWh / 100 kW battery unless told otherwise."""
    return cases.battery(**{"crf": 1.0, "charge_efficiency": 1.0, "discharge_efficiency": 1.0, "max_kw": 100.0, **kw})


solve = cases.solve_optimal


def assert_sells_only_surplus(hourly) -> None:
    """No step both sells and takes electricity in (grid, green power) or discharges the battery."""
    selling = hourly["export_kw"] > 1e-6
    taking = hourly["grid_import_kw"] + hourly["green_power_kw"] + hourly["discharge_kw"]
    assert float(taking[selling].max() if selling.any() else 0.0) == pytest.approx(0.0, abs=1e-6)
    surplus = hourly["pv_out_kw"] - hourly["load_kw"] - hourly["charge_kw"]
    assert (hourly["export_kw"][selling] <= surplus[selling] + 1e-6).all()


# --- item 1: only surplus PV is sold, at the export price ------------------------------------------

def test_battery_energy_is_not_sold_as_pv():
    # Valley 0.2 (0–8 h), flat 0.6, export 0.45; 300 kWp free; a free lossless 2,000 kWh / 300 kW battery.
    # Each day the valley fills the battery with the 1,200 kWh of flat load outside the sunny hours
    # (8–10 h and 14–24 h); 10–14 h PV covers the load and sells its surplus, 4 × 200 = 800 kWh.
    # Cost a day: (800 + 1,200) × 0.2 − 800 × 0.45 = 40. Were the battery allowed to serve the load
    # while all PV is sold (1,200 kWh a day, 0.25 earned on each kWh it moves), it would cost −60 a day.
    price = np.where(HOUR < 8, 0.2, 0.6)
    inp = plant(LOAD, price, pv=pv(), storage=battery(max_kwh=2000.0, max_kw=300.0), export_allowed=True,
                export_price_per_kwh=0.45)
    assert len(selling_steps(inp)) == 4 * DAYS  # storing valley energy to sell could pay: binaries where PV is
    plan = solve(inp)
    assert plan.summary["export_mwh"] == pytest.approx(0.8 * DAYS, rel=REL)
    assert plan.summary["total_annual_cost"] == pytest.approx(40.0 * DAYS, rel=REL)
    assert plan.summary["savings"] == pytest.approx((1120.0 - 40.0) * DAYS, rel=REL)
    assert_sells_only_surplus(plan.hourly)


def test_export_earns_its_price_in_a_midday_valley():
    # Valley 0.2 at 10–14 h (when the sun shines), flat 0.6 otherwise; export 0.45; PV costs 2 per kWp
    # over the two days. A kWp beyond the load's 100 sells 4 kWh a day at 0.45: 3.6 > 2, so the roof is
    # full (300 kWp). Valued at the valley price (0.8 a day per kWp) it would stay empty.
    # Cost: PV 600 + grid 2 × 20 h × 100 kWh × 0.6 = 2400, less 2 × 4 × 200 kWh × 0.45 = 720 → 2280.
    price = np.where((HOUR >= 10) & (HOUR < 14), 0.2, 0.6)
    inp = plant(LOAD, price, pv=pv(capex_per_kw=2.0), export_allowed=True, export_price_per_kwh=0.45)
    plan = solve(inp)
    assert plan.summary["pv_total_kw"] == pytest.approx(300.0, rel=REL)
    assert plan.summary["export_mwh"] == pytest.approx(1.6, rel=REL)
    assert plan.summary["costs"]["export"] == pytest.approx(-720.0, rel=REL)
    assert plan.summary["total_annual_cost"] == pytest.approx(2280.0, rel=REL)
    assert_sells_only_surplus(plan.hourly)


def test_export_worth_less_than_the_import_price_needs_no_binary():
    # Flat 0.6, export 0.3, no battery, no green power: selling while buying always loses, so no step
    # gets a binary. PV at 2 per kWp: the first 100 kWp save 4.8 over two days, the next 200 earn 2.4
    # each by export: all 300 built. Cost 600 + 4000 kWh × 0.6 − 1600 kWh × 0.3 = 2520.
    inp = plant(LOAD, 0.6, pv=pv(capex_per_kw=2.0), export_allowed=True, export_price_per_kwh=0.3)
    assert len(selling_steps(inp)) == 0
    plan = solve(inp)
    assert plan.summary["pv_total_kw"] == pytest.approx(300.0, rel=REL)
    assert plan.summary["export_mwh"] == pytest.approx(1.6, rel=REL)
    assert plan.summary["total_annual_cost"] == pytest.approx(2520.0, rel=REL)
    assert_sells_only_surplus(plan.hourly)


# --- items 2 and 3: green power resold, never burnt ------------------------------------------------

HALF_LOAD = np.where(HOUR < 12, 100.0, 50.0)


def green(**kw) -> GreenPowerInputs:
    spec = dict(price_per_kwh=0.3, max_mwh=100.0, min_mwh=0.0, profile_share=np.full(24 * DAYS, 1 / (24 * DAYS)),
                resale_price_per_kwh=0.15)
    spec.update(kw)
    return GreenPowerInputs(**spec)


def test_green_power_the_plant_cannot_take_is_resold():
    # Load 100 kW (0–12 h) and 50 kW (12–24 h) at 0.5. A flat contract of g kW at 0.3, resale 0.15:
    # up to 50 kW each kW saves 0.2 every hour; from 50 to 100 kW it saves 0.2 for 12 hours and loses
    # 0.3 − 0.15 for the other 12: +0.05 a day; beyond 100 kW it only loses. So g = 100 kW: 2.4 MWh a day,
    # 1.8 used, 0.6 resold. Cost a day 2400 × 0.3 − 600 × 0.15 = 630. A battery whose kWh are dear but
    # whose kW are free stays empty and idle: nothing is burnt to absorb the surplus.
    inp = plant(HALF_LOAD, 0.5, green_power=green(),
                storage=battery(capex_per_kwh=1000.0, charge_efficiency=0.9, discharge_efficiency=0.9, max_kw=1000.0))
    plan = solve(inp)
    s = plan.summary
    assert s["green_power_mwh"] == pytest.approx(2.4 * DAYS, rel=REL)
    assert s["energy"]["green_power_used_mwh"] == pytest.approx(1.8 * DAYS, rel=REL)
    assert s["energy"]["green_power_resold_mwh"] == pytest.approx(0.6 * DAYS, rel=REL)
    assert s["total_annual_cost"] == pytest.approx(630.0 * DAYS, rel=REL)
    assert s["storage_kwh"] == pytest.approx(0.0, abs=1e-6)
    assert plan.hourly["charge_kw"].sum() == pytest.approx(0.0, abs=1e-6)
    assert plan.hourly["discharge_kw"].sum() == pytest.approx(0.0, abs=1e-6)


def test_a_minimum_contract_above_the_load_is_resold_not_infeasible():
    # A 125 kW flat contract at 0.25 (all or nothing: min = max) on a 50–100 kW load at 0.5, resale 0:
    # 6,000 kWh × 0.25 = 1,500 against 3,600 kWh × 0.5 = 1,800 from the grid, so it is signed; the
    # surplus is resold at no value; green power used = the whole load, market-based scope 2 is zero.
    inp = plant(HALF_LOAD, 0.5, green_power=green(price_per_kwh=0.25, min_mwh=6.0, max_mwh=6.0,
                                                  resale_price_per_kwh=0.0))
    plan = solve(inp)
    s = plan.summary
    assert s["energy"]["green_power_used_mwh"] == pytest.approx(3.6, rel=REL)
    assert s["energy"]["green_power_resold_mwh"] == pytest.approx(2.4, rel=REL)
    assert s["emissions"]["scope2_market_t"] == pytest.approx(0.0, abs=1e-9)
    assert s["total_annual_cost"] == pytest.approx(6000 * 0.25, rel=REL)


def test_a_battery_cannot_charge_and_discharge_at_full_power_at_once():
    # 100 kW of battery power: in every step charging + discharging ≤ 100 kW, and what a step charges
    # fits in the room left at its start.
    price = np.where(HOUR < 8, 0.2, 0.6)
    inp = plant(LOAD, price, pv=pv(), storage=battery(charge_efficiency=0.95, discharge_efficiency=0.95),
                export_allowed=True, export_price_per_kwh=0.45)
    h = solve(inp).hourly
    assert (h["charge_kw"] + h["discharge_kw"] <= 100.0 + 1e-6).all()
    before = np.roll(h["soc_kwh"].to_numpy(), 1)
    assert (0.95 * h["charge_kw"].to_numpy() <= 100.0 - before + 1e-6).all()


# --- items 4 and 5: scope 2 by both methods, two renewable shares ---------------------------------

def test_scope2_by_both_methods_and_both_renewable_shares():
    # 2,400 kWh a day; grid average 0.5 t/MWh, residual 0.6; green power 50 kW flat (forced: min = max),
    # certificates at 1 per MWh, net ≤ 0.36 t a day.
    # Location-based: (1.2 grid + 1.2 green) MWh × 0.5 = 1.2 t. Market-based before certificates:
    # 1.2 × 0.6 = 0.72 t; certificates (0.72 − 0.36) / 0.6 = 0.6 MWh. Business as usual: location 1.2 t,
    # market-based and net 2.4 × 0.6 = 1.44 t. Shares: annual (1.2 + 0.6) / 2.4 = 75 %; hourly 1.2 / 2.4 = 50 %.
    n = 24 * DAYS
    inp = plant(LOAD, 0.5, factor_t_per_kwh=0.0005, residual_factor_t_per_kwh=0.0006, max_net_t=0.36 * DAYS,
                green_power=green(price_per_kwh=0.5, min_mwh=1.2 * DAYS, max_mwh=1.2 * DAYS,
                                  profile_share=np.full(n, 1 / n)),
                certificates=CertificateInputs(price_per_mwh=1.0))
    s = solve(inp).summary
    e = s["emissions"]
    assert e["scope2_location_t"] == pytest.approx(1.2 * DAYS, rel=REL)
    assert e["scope2_market_t"] == pytest.approx(0.36 * DAYS, rel=REL)
    assert s["certificates_mwh"] == pytest.approx(0.6 * DAYS, rel=REL)
    assert s["bau"]["emissions"]["scope2_location_t"] == pytest.approx(1.2 * DAYS, rel=REL)
    assert s["bau"]["net_t"] == pytest.approx(1.44 * DAYS, rel=REL)
    assert s["energy"]["renewable_share_annual"] == pytest.approx(0.75, rel=REL)
    assert s["energy"]["renewable_share_hourly"] == pytest.approx(0.5, rel=REL)


def test_hourly_share_counts_battery_discharge_of_renewable_origin():
    # 200 kWp free, flat price 0.5, no export; a free 100 kWh battery with η 0.9 each way. PV covers the
    # load 10–14 h (400 kWh a day) and charges 100 / 0.9 = 111.1 kWh of its surplus into the battery,
    # which returns 90 kWh to the load: hourly share (400 + 90) / 2400; annual share: PV used
    # 511.1 kWh over the electricity taken in, 2400 + 21.1 kWh of losses.
    inp = plant(LOAD, 0.5, pv=pv(limit_kw=200.0), storage=battery(charge_efficiency=0.9, discharge_efficiency=0.9))
    s = solve(inp).summary
    charged = 100 / 0.9
    assert s["energy"]["renewable_share_hourly"] == pytest.approx((400 + 90) / 2400, rel=REL)
    assert s["energy"]["renewable_share_annual"] == pytest.approx((400 + charged) / (2400 + charged - 90), rel=REL)


# --- items 6 and 7: the cost of the target, credits against a fixed base ----------------------------

def test_the_target_costs_what_the_certificates_cost():
    # 2.4 MWh a day at 0.5 per kWh and 0.5 t/MWh; net zero with certificates at 20 per MWh.
    # Without the target: 1,200 a day, 1.2 t. With it: + 2.4 MWh × 20 = 48 a day, 40 per tonne cut.
    inp = plant(LOAD, 0.5, max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=20.0))
    s = solve(inp).summary
    assert s["no_target"]["total_annual_cost"] == pytest.approx(1200.0 * DAYS, rel=REL)
    assert s["no_target"]["net_t"] == pytest.approx(1.2 * DAYS, rel=REL)
    assert s["target_cost"] == pytest.approx(48.0 * DAYS, rel=REL)
    assert s["target_abatement_cost_per_t"] == pytest.approx(40.0, rel=REL)
    free = solve(plant(LOAD, 0.5, certificates=CertificateInputs(price_per_mwh=20.0))).summary
    assert free["target_cost"] == 0.0 and free["no_target"]["total_annual_cost"] == free["total_annual_cost"]


@pytest.mark.parametrize(("base_t", "credits_t"), [(None, 0.5 * 1.2 * DAYS), (2.0 * DAYS, 0.5 * 2.0 * DAYS)])
def test_offset_cap_refers_to_the_base_inventory(base_t, credits_t):
    # Business as usual 1.2 t a day. Credits (10 per t) may cover half of the base: 0.6 t a day of business
    # as usual, or 1.0 t a day of a 2.0 t base inventory; certificates (30 per MWh) cover the rest at 0.5 t/MWh.
    inp = plant(LOAD, 0.5, max_net_t=0.0, base_emissions_t=base_t,
                certificates=CertificateInputs(price_per_mwh=30.0),
                credits=CreditInputs(price_per_t=10.0, max_offset_share=0.5))
    s = solve(inp).summary
    assert s["credits_t"] == pytest.approx(credits_t, rel=REL)
    assert s["certificates_mwh"] == pytest.approx((1.2 * DAYS - credits_t) / 0.5, rel=REL)


def test_what_a_measure_saves_may_be_sold_like_any_pv_surplus():
    # A free measure saving 60 kW of the 100 kW load in every step: the plant is the same as one with
    # a 40 kW load, and its midday PV surplus (300 kWp of sun against 40 kW) is sold, not curtailed.
    from models.inputs import MeasureInputs

    saving = MeasureInputs(name="leaks", capex=0.0, crf=0.1, lifetime_years=10,
                           electricity_saved_kw=np.full(len(LOAD), 60.0))
    price = np.where(SUN > 0, 0.3, 0.8)
    with_measure = cases.solve_optimal(plant(LOAD, price, pv=pv(), export_allowed=True, export_price_per_kwh=0.5,
                                             measures=(saving,)))
    smaller_load = cases.solve_optimal(plant(LOAD - 60.0, price, pv=pv(), export_allowed=True,
                                             export_price_per_kwh=0.5))
    assert with_measure.summary["total_annual_cost"] == pytest.approx(smaller_load.summary["total_annual_cost"],
                                                                       rel=1e-9)
    h = with_measure.hourly
    assert h["pv_curtailed_kw"].max() == pytest.approx(0.0, abs=1e-6)
    assert h["export_kw"].sum() == pytest.approx(smaller_load.hourly["export_kw"].sum(), rel=1e-9)
    assert (h["export_kw"] > 0).any()
