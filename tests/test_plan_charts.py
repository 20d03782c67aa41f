"""The plan's charts read back from what they plot: every month's supply meets the load, the
electricity for heat, the charging and the export; a week's charging and export are drawn below
zero; bar labels print the summary's figures; a net of zero is drawn at zero; a plant without a
battery shows no battery.

Two plans on 12 typical days (a second or two each): the demo (battery, heat, measures, green power,
no export) and the small plant allowed to sell its PV surplus (no battery, no heat).
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from models.inputs.assemble import build_inputs
from models.scenario.loading import deep_merge, read_raw, validate
from optimizer.formats import money_m, whole
from optimizer.report import plan_charts
from optimizer.report.heat_charts import heat_figure, monthly_heat
from optimizer.report.plan_bars import (
    capital_items,
    cost_figure,
    cost_label,
    kt,
    kt_decimals,
    millions,
    waterfall_figure,
)
from optimizer.result.figures import emission_steps
from optimizer.result.run import solve_inputs
from tests.chart_checks import bars, line

matplotlib.use("Agg")
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
TYPICAL_DAYS = {"time": {"aggregation": "typical_days", "days": 12}}


def _solve(file: str, overrides: dict):
    raw = deep_merge(read_raw(SCENARIOS / file), {**TYPICAL_DAYS, **overrides})
    plan = solve_inputs(build_inputs(validate(raw, where=file)), with_no_target=False)
    assert plan.status == "optimal", plan.summary
    return plan


@pytest.fixture(scope="module")
def demo():
    return _solve("demo.yaml", {})


@pytest.fixture(scope="module")
def small():
    """No battery, no heat; sells PV it cannot use."""
    return _solve("small_plant.yaml", {"grid": {"export": {"allowed": True, "price_per_kwh": 0.3}}})


@pytest.fixture(params=["demo", "small"])
def plan(request):
    return request.getfixturevalue(request.param)


def legend(ax: plt.Axes) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def areas(ax: plt.Axes) -> dict[str, np.ndarray]:
    """Each filled area by its label: its height at each x (`fill_between(x, y1, y2)`: y2 − y1, negative
    below the level it is stacked on)."""
    found = {}
    for poly in (c for c in ax.collections if isinstance(c, PolyCollection) and not c.get_label().startswith("_")):
        verts = poly.get_paths()[0].vertices
        n = (len(verts) - 3) // 2
        y1, y2 = verts[1:n + 1, 1], verts[n + 2:2 * n + 2, 1][::-1]
        found[poly.get_label()] = y2 - y1
    return found


def labels_at(ax: plt.Axes) -> dict[tuple[float, float], str]:
    """The value labels of the axes by the point they annotate."""
    return {(round(float(a.xy[0]), 6), round(float(a.xy[1]), 6)): a.get_text() for a in ax.texts if hasattr(a, "xy")}


def monthly_mwh(plan, column: str) -> np.ndarray:
    h = plan.hourly
    return (h[column] * plan.inputs.step_h / 1000).groupby(h.index.month).sum().to_numpy()


def test_each_month_the_supply_meets_the_load_the_heat_the_charging_and_the_export(plan):
    fig = plan_charts._energy_mix(plan)
    ax = fig.axes[0]
    drawn = bars(ax)
    supply = sum(v for v in drawn.values() if (v >= 0).all())
    below = -sum(v for v in drawn.values() if (v <= 0).all() and (v < 0).any())
    load = line(ax, "load")
    used = line(ax, "load + electricity for heat") if "heat_electricity_kw" in plan.hourly else load
    np.testing.assert_allclose(supply, used + below, rtol=1e-9)
    np.testing.assert_allclose(load, monthly_mwh(plan, "load_kw"), rtol=1e-12)
    np.testing.assert_allclose(below, monthly_mwh(plan, "charge_kw") + monthly_mwh(plan, "export_kw"), atol=1e-9)
    np.testing.assert_allclose(drawn["grid"], monthly_mwh(plan, "grid_import_kw"), rtol=1e-12)
    np.testing.assert_allclose(drawn["rooftop PV"], monthly_mwh(plan, "pv_out_kw"), rtol=1e-12)  # used or sold
    assert [t.get_text() for t in ax.get_xticklabels()] == list(calendar.month_abbr[1:])
    plt.close(fig)


def test_the_demo_draws_every_flow_it_has_and_the_small_plant_no_battery_nor_heat(demo, small):
    fig = plan_charts._energy_mix(demo)
    assert legend(fig.axes[0]) == ["grid", "rooftop PV", "battery discharging", "green power",
                                   "saved by efficiency measures", "battery charging", "load",
                                   "load + electricity for heat"]  # nothing sold: no export
    july = bars(fig.axes[0])
    assert july["battery charging"][6] == pytest.approx(-monthly_mwh(demo, "charge_kw")[6])
    plt.close(fig)
    for make in (plan_charts._energy_mix, plan_charts._week("summer"), plan_charts._week("winter")):
        fig = make(small)
        labels = legend(fig.axes[0])
        assert not [x for x in labels if "battery" in x or "heat" in x or "saved" in x], labels
        assert "export (sold to the grid)" in labels or make is not plan_charts._energy_mix
        plt.close(fig)


@pytest.mark.parametrize("season", ["summer", "winter"])
def test_a_week_draws_charging_and_export_as_areas_below_zero(plan, season):
    fig = plan_charts._week(season)(plan)
    ax = fig.axes[0]
    week = plan_charts.week_rows(plan.hourly, 7 if season == "summer" else 1)
    drawn = areas(ax)
    below = -sum((v for v in drawn.values() if (v <= 1e-12).all()), start=np.zeros(len(week)))
    np.testing.assert_allclose(below, (week["charge_kw"] + week["export_kw"]).to_numpy() / 1000, atol=1e-9)
    supply = sum((v for v in drawn.values() if (v >= -1e-12).all() and (v > 0).any()), start=np.zeros(len(week)))
    used = week["load_kw"] + week.get("heat_electricity_kw", 0.0)
    np.testing.assert_allclose(supply, (used + week["charge_kw"] + week["export_kw"]).to_numpy() / 1000, atol=1e-6)
    assert all(v.any() for v in drawn.values())  # a flow that is zero all week is not drawn
    fig.canvas.draw()
    days = [t.get_text() for t in ax.get_xticklabels()]
    assert days == [f"{d:%a %d %b}" for d in pd.date_range(week.index[0], periods=7, freq="D")]
    assert days[0].startswith("Mon ")
    minor = ax.xaxis.get_minorticklocs()
    assert len(minor) == 21 and np.allclose(np.diff(minor) % 1, [0.25, 0.25, 0.5] * 6 + [0.25, 0.25])
    plt.close(fig)


def test_cost_bars_carry_the_summary_figures_and_capital_items_say_annualised(plan):
    fig = cost_figure(plan)
    ax = fig.axes[0]
    costs, bau = plan.summary["costs"], plan.summary["bau"]["costs"]
    by_tick = {cost_label(n): n for n in {*costs, *bau}}
    names = [by_tick[t.get_text()] for t in ax.get_yticklabels()]
    assert set(names) == {n for n in by_tick.values() if abs(costs.get(n, 0.0)) >= 0.5 or abs(bau.get(n, 0.0)) >= 0.5}
    assert ("fuel" in names) == (plan.inputs.fuel_cost > 0)  # the demo's fuel is the boiler's: no empty row
    texts = labels_at(ax)
    for container in ax.containers:
        side = costs if container.get_label() == "plan" else bau
        for bar, name in zip(container.patches, names, strict=True):
            value = side.get(name, 0.0)
            assert bar.get_width() == pytest.approx(value / 1e6)
            key = (round(bar.get_x() + bar.get_width(), 6), round(bar.get_y() + bar.get_height() / 2, 6))
            if abs(value) >= 0.5:
                assert texts[key] == millions(value), name
                assert texts[key] == money_m(value) or abs(value) < 5e3  # two decimals unless it would print 0.00
            else:
                assert key not in texts  # no label on a bar that is not there
    for tick, name in zip(ax.get_yticklabels(), names, strict=True):
        assert tick.get_text().endswith("\n(annualised capex + O&M)") == (name in capital_items()), name
    assert {"pv", "storage", "measures", "heat"} <= capital_items()
    plt.close(fig)


def test_export_revenue_is_a_labelled_bar_left_of_zero(small):
    fig = cost_figure(small)
    ax = fig.axes[0]
    revenue = small.summary["costs"]["export"]
    assert revenue < 0
    (bar,) = [p for c in ax.containers if c.get_label() == "plan" for p in c.patches
              if p.get_width() == pytest.approx(revenue / 1e6)]
    assert labels_at(ax)[(round(revenue / 1e6, 6), round(bar.get_y() + bar.get_height() / 2, 6))] == money_m(revenue)
    assert ax.get_xlim()[0] < revenue / 1e6  # with room for its label
    plt.close(fig)


def test_the_waterfall_labels_each_step_and_draws_a_net_of_zero_at_zero(plan):
    steps = emission_steps(plan.summary)
    assert abs(plan.summary["emissions"]["net_t"]) < 0.5  # net zero
    fig = waterfall_figure(plan)
    ax = fig.axes[0]
    shown = steps[:1] + [s for s in steps[1:] if abs(s[1]) >= 0.5]
    decimals = kt_decimals(max(abs(v) for _, v in shown))
    texts = [a.get_text() for a in ax.texts if hasattr(a, "xy")]
    assert texts[:-1] == [kt(shown[0][1], decimals)] + [kt(v, decimals, signed=True) for _, v in shown[1:]]
    assert all(t.startswith(("−", "+")) for t in texts[1:-1])
    assert texts[-1] == "0." + "0" * decimals  # the net, with no sign
    net = line(ax, "net level")
    np.testing.assert_allclose(net, [0.0, 0.0], atol=5e-4)
    assert ax.get_ylim()[0] < 0 < ax.get_ylim()[1]  # the line at zero is inside the axes
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert ticks == [s[0] for s in shown] + ["net"]
    if plan.inputs.storage is None:
        assert "battery losses" not in ticks  # a step that changes nothing is left out
    level = 0.0
    for (label, value), container in zip(shown, ax.containers, strict=False):
        (patch,) = container.patches
        assert patch.get_height() == pytest.approx(value / 1000), label
        level = value if label == shown[0][0] else level + value
    assert level == pytest.approx(plan.summary["emissions"]["net_t"], abs=1e-6)
    plt.close(fig)


def test_the_heat_chart_prints_each_months_demand_and_electricity(demo):
    fig = heat_figure(demo)
    top, bottom = fig.axes
    monthly = monthly_heat(demo)
    assert [a.get_text() for a in top.texts if hasattr(a, "xy")] == [whole(v) for v in monthly["demand"]]
    assert [a.get_text() for a in bottom.texts if hasattr(a, "xy")] == [
        whole(v) for v in monthly["electricity for heat"]]
    assert [t.get_text() for t in bottom.get_xticklabels()] == list(calendar.month_abbr[1:])
    plt.close(fig)


def test_no_chart_prints_minus_zero(plan):
    makers = [plan_charts._energy_mix, plan_charts._week("summer"), cost_figure, waterfall_figure]
    for make in makers:
        fig = make(plan)
        fig.canvas.draw()
        texts = [t.get_text() for ax in fig.axes for t in [*ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels()]]
        assert not [t for t in texts if re.fullmatch(r"[-−]0(\.0*)?", t)], (make, texts)
        plt.close(fig)


def test_bar_figures_have_a_sign_where_they_change_and_none_at_zero():
    assert kt(-12_345.0, 1, signed=True) == "−12.3" and kt(1_160.0, 1, signed=True) == "+1.2"
    assert kt(20.0, 1, signed=True) == "+0.02"  # a small step still says what it is
    assert kt(-1e-11, 1) == kt(0.3, 1, signed=True) == "0.0" and kt(0.0, 2) == "0.00"
    assert kt(99_900.0, 1) == "99.9" and kt(-2_000.0, 2) == "−2.00"
    assert millions(72_554_388.5) == "72.55" and millions(-64_558.0) == "-0.06" and millions(-4_000.0) == "-0.004"
