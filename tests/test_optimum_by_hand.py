"""Small cases whose optimum is derived by hand; each assertion would fail if a rule were wrong."""

from __future__ import annotations

import numpy as np
import pytest

from models.inputs import CertificateInputs, CreditInputs, GreenPowerInputs, PvArrayInputs, PvInputs
from optimizer.result.run import solve_inputs
from tests.cases import battery, plant, solve_optimal

REL = 1e-6


solve = solve_optimal


# --- battery -----------------------------------------------------------------------------------

LOW, HIGH = 0.2, 1.0
TWO_PRICE_DAY = [LOW] * 12 + [HIGH] * 12


def test_battery_arbitrage_saves_the_spread_net_of_losses():
    # A free 100 kWh battery cycles once: it stores E, buys E/ηc cheap and sells E·ηd dear.
    inp = plant([100.0] * 24, TWO_PRICE_DAY, storage=battery())
    plan = solve(inp)
    stored_kwh, eta = 100.0, 0.9
    expected_saving = stored_kwh * eta * HIGH - stored_kwh / eta * LOW
    assert plan.summary["savings"] == pytest.approx(expected_saving, rel=REL)
    assert plan.summary["storage_kwh"] == pytest.approx(100.0, rel=REL)
    assert plan.summary["energy"]["storage_full_cycles"] == pytest.approx(eta, rel=REL)  # 90 of 100 kWh out
    assert plan.hourly["discharge_kw"].iloc[:12].max() == pytest.approx(0.0, abs=1e-6)


def test_battery_idle_when_the_spread_does_not_cover_losses():
    # 0.9 × 0.9 × 1.0 = 0.81 < 0.85: every stored kWh loses money.
    inp = plant([100.0] * 24, [0.85] * 12 + [1.0] * 12, storage=battery())
    plan = solve(inp)
    assert plan.summary["savings"] == pytest.approx(0.0, abs=1e-6)
    assert plan.hourly["discharge_kw"].sum() == pytest.approx(0.0, abs=1e-6)


def test_demand_charge_shaves_the_peak_to_the_mean_load():
    # One 200 kW hour in a 100 kW day; a lossless battery can flatten withdrawal to the day's mean.
    load = [100.0] * 24
    load[18] = 200.0
    inp = plant(load, 0.5, demand_charge_per_kw_month=10.0,
                storage=battery(charge_efficiency=1.0, discharge_efficiency=1.0, max_kw=200.0))
    plan = solve(inp)
    mean_kw = sum(load) / 24
    assert plan.summary["peak_withdrawal_kw"][1] == pytest.approx(mean_kw, rel=REL)
    assert plan.summary["savings"] == pytest.approx(10.0 * (200.0 - mean_kw), rel=REL)


def test_storage_blocks_and_fixed_cost():
    # Blocks of 30 kWh: 90 kWh of a 100 kWh limit; the fixed cost is paid because arbitrage
    # earns more than it (per kWh stored: 0.9 × 1.0 - 0.2 / 0.9 = 0.6778).
    common = dict(unit_kwh=30.0, unit_kw=50.0, max_kwh=100.0, max_kw=50.0)
    plan = solve(plant([100.0] * 24, TWO_PRICE_DAY, storage=battery(fixed_cost=100.0, **common)))
    assert plan.summary["storage_kwh"] == pytest.approx(90.0, rel=REL)
    saving = 90.0 * (0.9 * HIGH - LOW / 0.9) - 0.1 * 100.0
    assert plan.summary["savings"] == pytest.approx(saving, rel=REL)
    # A fixed cost above the whole arbitrage margin: nothing is built.
    plan = solve(plant([100.0] * 24, TWO_PRICE_DAY, storage=battery(fixed_cost=1000.0, **common)))
    assert plan.summary["storage_kwh"] == pytest.approx(0.0, abs=1e-6)


# --- PV ----------------------------------------------------------------------------------------

SUN = np.array([0.0] * 8 + [0.5] * 8 + [0.0] * 8)  # kWh per kWp in each hour


def pv(limit_kw=50.0, capex_per_kw=1.0, fixed_cost=0.0) -> PvInputs:
    roof = PvArrayInputs(name="roof", limit_kw=limit_kw, fixed_cost=fixed_cost, yield_kwh_per_kwp=SUN)
    return PvInputs(capex_per_kw=capex_per_kw, fixed_om_per_kw_year=0.0, crf=1.0, arrays=(roof,))


def test_cheap_pv_fills_the_roof_and_stops_at_its_limit():
    plan = solve(plant([100.0] * 24, 0.5, pv=pv(limit_kw=50.0)))
    assert plan.summary["pv_kw"]["roof"] == pytest.approx(50.0, rel=REL)
    # 50 kWp × 0.5 kWh/kWp × 8 h displaces 200 kWh at 0.5, for a capex annuity of 50.
    assert plan.summary["savings"] == pytest.approx(200 * 0.5 - 50.0, rel=REL)


def test_pv_dearer_than_the_energy_it_displaces_is_not_built():
    # 1 kWp yields 4 kWh a day worth 2.0; an annuity of 2.5 per kWp does not pay.
    plan = solve(plant([100.0] * 24, 0.5, pv=pv(capex_per_kw=2.5)))
    assert plan.summary["pv_kw"]["roof"] == pytest.approx(0.0, abs=1e-6)


def test_pv_sized_to_daytime_load_without_export():
    # Beyond 200 kWp the noon output exceeds the 100 kW load and is curtailed: no gain.
    plan = solve(plant([100.0] * 24, 0.5, pv=pv(limit_kw=500.0, capex_per_kw=0.5)))
    assert plan.summary["pv_kw"]["roof"] == pytest.approx(200.0, rel=REL)


def test_export_only_sells_pv_surplus():
    plan = solve(plant([100.0] * 24, 0.5, pv=pv(limit_kw=500.0, capex_per_kw=0.5),
                       export_allowed=True, export_price_per_kwh=0.3))
    hourly = plan.hourly
    assert (hourly["export_kw"] <= hourly["pv_out_kw"] + 1e-6).all()
    # Export at 0.3 earns 4 kWh × 0.3 = 1.2 per kWp a day against a 0.5 annuity: fill the roof.
    assert plan.summary["pv_kw"]["roof"] == pytest.approx(500.0, rel=REL)
    assert plan.summary["export_mwh"] == pytest.approx((500 * 0.5 - 100) * 8 / 1000, rel=REL)


def test_fixed_cost_array_is_built_only_when_it_pays():
    # Full roof saves 200 × 0.5 - 50 = 50 per day; a fixed cost of 40 still pays, 60 does not.
    assert solve(plant([100.0] * 24, 0.5, pv=pv(fixed_cost=40.0))).summary["pv_kw"]["roof"] == pytest.approx(50.0)
    assert solve(plant([100.0] * 24, 0.5, pv=pv(fixed_cost=60.0))).summary["pv_kw"]["roof"] == pytest.approx(0.0)


def test_mip_found_when_rounding_the_relaxation_is_not_good_enough():
    # The LP relaxation builds 200 of 500 kWp and pays 40 % of the fixed cost; rounding the build
    # decision up pays all of it, outside the gap, so branch and bound decides: build, and save
    # 200 kWp x (4 kWh x 0.5 - 0.5) - 30 = 270.
    plan = solve(plant([100.0] * 24, 0.5, pv=pv(limit_kw=500.0, capex_per_kw=0.5, fixed_cost=30.0)))
    assert plan.summary["solve_method"] == "highs"
    assert plan.summary["pv_kw"]["roof"] == pytest.approx(200.0, rel=REL)
    assert plan.summary["savings"] == pytest.approx(270.0, rel=REL)


def test_relax_and_fix_proves_optimality_when_the_relaxation_is_integral():
    plan = solve(plant([100.0] * 24, 0.5, pv=pv(fixed_cost=40.0)))
    assert plan.summary["solve_method"] == "relax-and-fix"
    assert plan.summary["mip_gap"] == pytest.approx(0.0, abs=1e-9)


# --- certificates, credits, targets ------------------------------------------------------------

FACTOR = 0.0005  # t per kWh = 0.5 t per MWh


def test_certificates_bought_when_cheaper_than_credits():
    # One MWh of certificate avoids 0.5 t: at 20 per MWh that is 40 per t, cheaper than 50 per t.
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=20.0),
                credits=CreditInputs(price_per_t=50.0, max_offset_share=1.0))
    plan = solve(inp)
    assert plan.summary["certificates_mwh"] == pytest.approx(2.4, rel=REL)
    assert plan.summary["credits_t"] == pytest.approx(0.0, abs=1e-6)
    assert plan.summary["emissions"]["net_t"] == pytest.approx(0.0, abs=1e-6)
    assert plan.summary["energy"]["renewable_share_annual"] == pytest.approx(1.0, rel=REL)


def test_credits_bought_when_cheaper_than_certificates():
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=30.0),
                credits=CreditInputs(price_per_t=50.0, max_offset_share=1.0))  # certificates: 60 per t
    plan = solve(inp)
    assert plan.summary["certificates_mwh"] == pytest.approx(0.0, abs=1e-6)
    assert plan.summary["credits_t"] == pytest.approx(1.2, rel=REL)


def test_offset_cap_forces_certificates_for_the_rest():
    # Credits may cover 25 % of 1.2 t; the remaining 0.9 t need 1.8 MWh of dearer certificates.
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=30.0),
                credits=CreditInputs(price_per_t=50.0, max_offset_share=0.25))
    plan = solve(inp)
    assert plan.summary["energy"]["renewable_share_annual"] == pytest.approx(1.8 / 2.4, rel=REL)
    assert plan.summary["credits_t"] == pytest.approx(0.3, rel=REL)
    assert plan.summary["certificates_mwh"] == pytest.approx(1.8, rel=REL)


def test_certificates_never_exceed_grid_import():
    # Even with a scope 1 to cover, a certificate only zeroes a MWh actually imported.
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, scope1_t=1.0, certificates=CertificateInputs(price_per_mwh=1.0),
                credits=CreditInputs(price_per_t=50.0, max_offset_share=1.0))
    plan = solve(inp)
    assert plan.summary["certificates_mwh"] == pytest.approx(2.4, rel=REL)
    assert plan.summary["credits_t"] == pytest.approx(1.0, rel=REL)


def test_emissions_cap_binds_exactly():
    inp = plant([100.0] * 24, 0.5, max_net_t=0.5, certificates=CertificateInputs(price_per_mwh=20.0))
    plan = solve(inp)
    assert plan.summary["emissions"]["net_t"] == pytest.approx(0.5, rel=REL)
    assert plan.summary["certificates_mwh"] == pytest.approx((1.2 - 0.5) / 0.5, rel=REL)


def test_green_power_minimum_contract_is_all_or_nothing():
    # Flat green power at 0.4 beats grid at 0.5: buy the most allowed; with a minimum above the
    # maximum useful volume it is still bought, at the minimum, only if it pays.
    flat = np.full(24, 1 / 24)
    plan = solve(plant([100.0] * 24, 0.5,
                       green_power=GreenPowerInputs(price_per_kwh=0.4, max_mwh=2.0, min_mwh=0.0, profile_share=flat)))
    assert plan.summary["green_power_mwh"] == pytest.approx(2.0, rel=REL)
    plan = solve(plant([100.0] * 24, 0.6,
                       green_power=GreenPowerInputs(price_per_kwh=0.65, max_mwh=2.0, min_mwh=1.0, profile_share=flat)))
    assert plan.summary["green_power_mwh"] == pytest.approx(0.0, abs=1e-6)


def test_unreachable_target_is_reported_in_words():
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5))
    plan = solve_inputs(inp)
    assert plan.status == "infeasible"
    assert not plan.has_plan
    text = " ".join(plan.explanation)
    assert "cannot be met" in text
    assert "0.6 t short" in text  # 1.2 t of grid emissions, half of it may be offset
    assert "offset cap" in text
    assert "certificates" in text  # named as an option this scenario lacks


def test_the_questions_about_single_limits_keep_to_their_time_budget():
    from optimizer.result.explain import explain_infeasible

    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5))
    answered, unanswered = explain_infeasible(inp), explain_infeasible(inp, budget_s=0.0)
    assert answered[0] == unanswered[0] and "0.6 t short" in unanswered[0]  # the lowest reachable, always
    limits = [line for line in answered if line.startswith("Limit reached")]
    assert limits and all("raising it alone" in line or "raised alone" in line for line in limits)
    skipped = [line for line in unanswered if line.startswith("Limit reached")]
    assert len(skipped) == len(limits)
    assert all("was not found within the explanation's 0 s" in line for line in skipped)


def test_net_zero_limit_of_exactly_zero_holds():
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=1.0))
    plan = solve(inp)
    assert plan.summary["emissions"]["net_t"] <= 1e-9
    assert plan.summary["emissions"]["scope2_location_t"] == pytest.approx(1.2, rel=REL)


def test_marginal_abatement_cost_is_the_price_of_the_cheapest_tonne_left():
    # Below the cap, each tonne needs 2 MWh of certificates at 20: 40 per t. Without a binding
    # target the last tonne costs nothing.
    plan = solve(plant([100.0] * 24, 0.5, max_net_t=0.5, certificates=CertificateInputs(price_per_mwh=20.0)))
    assert plan.summary["marginal_abatement_cost_per_t"] == pytest.approx(40.0, rel=REL)
    plan = solve(plant([100.0] * 24, 0.5, max_net_t=5.0, certificates=CertificateInputs(price_per_mwh=20.0)))
    assert plan.summary["marginal_abatement_cost_per_t"] == pytest.approx(0.0, abs=1e-9)
    # With credits capped, the margin is set by certificates (30 per MWh = 60 per t), not credits.
    plan = solve(plant([100.0] * 24, 0.5, max_net_t=0.0, certificates=CertificateInputs(price_per_mwh=30.0),
                       credits=CreditInputs(price_per_t=50.0, max_offset_share=0.25)))
    assert plan.summary["marginal_abatement_cost_per_t"] == pytest.approx(60.0, rel=REL)


def test_no_plan_buys_cheap_to_sell_its_own_pv_dearer():
    # PV shines in 8 valley hours priced 0.2 while export pays 0.3. Selling PV while buying the load
    # would earn 0.1 per kWh; only the surplus may be sold, at the export price. 100 kWp of free PV at
    # 0.5 kWh/kWp an hour, 100 kW of load: 50 kW saved in each valley hour; in one of them the load
    # drops to 20 kW, so 30 kW are a real surplus, sold at 0.3.
    prices = [0.2] * 8 + [0.5] * 16
    load = [100.0] * 24
    load[3] = 20.0
    sun = np.array([0.5] * 8 + [0.0] * 16)
    free = PvInputs(capex_per_kw=0.0, fixed_om_per_kw_year=0.0, crf=1.0,
                    arrays=(PvArrayInputs(name="roof", limit_kw=100.0, fixed_cost=0.0, yield_kwh_per_kwp=sun),))
    plan = solve(plant(load, prices, pv=free, export_allowed=True, export_price_per_kwh=0.3))
    saved = 7 * 50 * 0.2 + 20 * 0.2  # PV used on site
    earned = 30 * 0.3  # the surplus, at the export price
    assert plan.summary["savings"] == pytest.approx(saved + earned, rel=REL)
    assert plan.summary["export_mwh"] == pytest.approx(0.030, rel=REL)
    assert plan.hourly["grid_import_kw"].iloc[3] == pytest.approx(0.0, abs=1e-6)


def test_an_unreachable_target_says_how_far_each_limit_would_have_to_move():
    # 2.4 MWh at 0.5 t/MWh = 1.2 t. Flat green power (at most 1 MWh) leaves 1.4 MWh imported, 0.7 t;
    # credits may cover half of 1.2 t: 0.1 t short. Alone, green power would need 1.2 MWh (import
    # 1.2 MWh, 0.6 t, all offset); alone, the offset share would need 0.7 / 1.2 = 0.583.
    inp = plant([100.0] * 24, 0.5, max_net_t=0.0, credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5),
                green_power=GreenPowerInputs(price_per_kwh=0.4, max_mwh=1.0, min_mwh=0.0,
                                             profile_share=np.full(24, 1 / 24)))
    plan = solve_inputs(inp)
    text = "\n".join(plan.explanation)
    assert plan.status == "infeasible"
    assert "0.1 t short" in text
    assert "green_power.max_mwh = 1 MWh); raised alone, it would have to reach 1.2 MWh" in text
    assert "targets.max_offset_share = 0.5); raised alone, it would have to reach 0.583" in text
    assert "Certificates would close the gap: about 0.2 MWh" in text


def test_a_plan_cut_short_by_a_limit_is_kept_and_marked_with_its_gap(monkeypatch):
    # Forty roofs, each with a fixed cost and far more room than the load can use: the relaxation
    # builds a little on many, rounding up pays every fixed cost, so branch and bound must run.
    # Stopped before its first node it keeps the rounded plan it started from, marked, with the
    # relaxation's bound for its gap.
    import optimizer.solver.highs_model as highs_model

    rng = np.random.default_rng(1)
    arrays = tuple(PvArrayInputs(name=f"r{i}", limit_kw=300.0 + 10 * i, fixed_cost=20.0 + rng.uniform(0, 20),
                                 yield_kwh_per_kwp=SUN * rng.uniform(0.6, 1.0))
                   for i in range(40))
    inp = plant(list(100 + 50 * rng.random(24)), 0.5,
                pv=PvInputs(capex_per_kw=0.5, fixed_om_per_kw_year=0.0, crf=1.0, arrays=arrays))
    best = solve(inp).summary["total_annual_cost"]
    monkeypatch.setitem(highs_model.HIGHS_DEFAULTS, "mip_max_nodes", 0)
    plan = solve_inputs(inp)
    s = plan.summary
    assert plan.status == "time_limit" and plan.has_plan
    assert s["total_annual_cost"] >= best - 1e-6 and s["objective_bound"] <= best and s["mip_gap"] > 0
    assert s["mip_gap"] == pytest.approx((s["total_annual_cost"] - s["objective_bound"]) / s["total_annual_cost"])


def test_highs_warnings_come_with_the_plan():
    # A yield of 1e-12 kWh/kWp is below HiGHS's smallest matrix entry: HiGHS drops it and says so.
    sun = np.array([1e-12] * 6 + [0.5] * 12 + [0.0] * 6)
    roof = PvArrayInputs(name="roof", limit_kw=50.0, fixed_cost=0.0, yield_kwh_per_kwp=sun)
    plan = solve(plant([100.0] * 24, 0.5,
                       pv=PvInputs(capex_per_kw=1.0, fixed_om_per_kw_year=0.0, crf=1.0, arrays=(roof,))))
    assert any("1e-12" in w for w in plan.summary["solver_warnings"])
    assert solve(plant([100.0] * 24, 0.5)).summary["solver_warnings"] == []
