"""The study charts read on a slide: checked on what is drawn (texts measured after layout), from
made-up tables and frontiers, with no solving.

Heat map: no title runs into another, a panel with one value everywhere shows that value alone.
Tornado: no label runs into another, a bar, the base line or out of the axes.
Distributions: no empty panel; a quantity the same in every sample is one bar.
Pareto: the frontier fills its own (zoomed) panel, business as usual is shown with its value.
MAC curve: every step, however small, has a label stating its cost per tonne and its tonnes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.scenario.loading import read_raw
from models.scenario.sweep import build_sweep
from optimizer.formats import money_m
from optimizer.report.chart_fit import overlapping, wrap_path
from optimizer.report.mac_charts import mac_figure, mac_steps, per_t_text
from optimizer.report.pareto_charts import BAU_LABEL, FRONTIER_LABEL, frontier_figure
from optimizer.report.sweep_charts import (
    distributions_figure,
    heatmap_figure,
    metric,
    tornado_figure,
)
from optimizer.result.figures import measures
from optimizer.studies.pareto import Frontier, _entry, _segments, cut_column
from optimizer.studies.store import point_row
from tests.chart_checks import all_drawn_on, drawn, frontier_panels, no_overlap, texts_of

BASE = read_raw(Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml")


def table_of(sweep, cost, **columns) -> pd.DataFrame:
    """A results table of `sweep`: cost and columns are functions of a point's values."""
    rows = []
    for p in sweep.points:
        row = point_row(sweep, p)
        row.update(status="optimal", total_annual_cost=cost(p.values),
                   **{k: f(p.values) for k, f in columns.items()})
        rows.append(row)
    return pd.DataFrame(rows)


# heat map ---------------------------------------------------------------------------------------

@pytest.fixture
def grid():
    sweep = build_sweep(BASE, "Demo plant: PV capex × certificate price", "grid",
                        {"pv.capex_per_kw": [2400, 3000, 3600], "certificates.price_per_mwh": [1, 5.15, 30, 60]})
    table = table_of(sweep, lambda v: 134.84e6 + 800 * v["pv.capex_per_kw"] + 40e3 * v["certificates.price_per_mwh"],
                     pv_total_kw=lambda v: 20425.0)
    return sweep, table


def test_heatmap_titles_do_not_overlap_and_a_uniform_panel_shows_its_one_value(grid):
    sweep, table = grid
    fig = drawn(heatmap_figure, sweep, table, metric(table, "CNY"))
    no_overlap(fig)
    renderer = fig.canvas.get_renderer()
    heads = [fig._suptitle, *(ax.title for ax in fig.axes if ax.get_title())]
    assert len(heads) == 3 and overlapping(heads, renderer, pad=2) == []
    cost_ax, pv_ax = (ax for ax in fig.axes if ax.get_images())
    cost = cost_ax.get_images()[0].get_array()
    expected = table.pivot_table(index="certificates.price_per_mwh", columns="pv.capex_per_kw",
                                 values="total_annual_cost").to_numpy() / 1e6
    np.testing.assert_allclose(np.ma.getdata(cost), expected)
    assert "the same at every point: 20,425" in pv_ax.get_title()
    pv_bar = next(ax for ax in fig.axes if not ax.get_images() and ax is not cost_ax and ax.get_position().x0 >
                  pv_ax.get_position().x0)
    assert [t.get_text() for t in pv_bar.get_yticklabels()] == ["20,425"]  # one tick, not a made-up scale


# tornado ----------------------------------------------------------------------------------------

@pytest.fixture
def oat():
    sweep = build_sweep(BASE, "each price ±20 %", "one_at_a_time", {
        "grid.emission_factor_kg_per_kwh": {"low": 0.4562, "high": 0.6844},
        "grid.tariff.prices_per_kwh.peak": {"low": 1.15, "high": 1.725},
        "certificates.price_per_mwh": {"low": 4.12, "high": 6.18},
        "carbon_credits.price_per_t": {"low": 56.61, "high": 84.91},
        "finance.discount_rate": {"low": 0.04, "high": 0.1}})
    base = 136.23e6
    change = {("grid.emission_factor_kg_per_kwh", "low"): np.nan, ("grid.emission_factor_kg_per_kwh", "high"): 2e4,
              ("grid.tariff.prices_per_kwh.peak", "low"): -5.6e6, ("grid.tariff.prices_per_kwh.peak", "high"): 4.5e6,
              ("certificates.price_per_mwh", "low"): -1e5, ("certificates.price_per_mwh", "high"): 1e5,
              ("carbon_credits.price_per_t", "low"): -2.5e5, ("carbon_credits.price_per_t", "high"): 2.5e5,
              ("finance.discount_rate", "low"): 3e5, ("finance.discount_rate", "high"): 9e5}  # both dearer
    table = table_of(sweep, lambda v: base)
    for i, row in table.iterrows():
        if row["level"] != "base":
            table.loc[i, "total_annual_cost"] = base + change[(row["varied"], row["level"])]
    return sweep, table


def test_tornado_labels_keep_clear_of_each_other_the_bars_and_the_base_line(oat):
    sweep, table = oat
    fig = drawn(tornado_figure, sweep, table, metric(table, "CNY"))
    (ax,) = fig.axes
    renderer = fig.canvas.get_renderer()
    no_overlap(fig)
    labels = [t for t in ax.texts if t.get_text()]
    assert any(t.get_text() == "low 0.4562: no plan" for t in labels)
    assert {"0.6844", "1.15", "1.725", "4.12", "6.18"} <= {t.get_text() for t in labels}
    assert "high 0.1 · low 0.04" in {t.get_text() for t in labels}  # two ends on one side: one label
    frame = ax.get_window_extent(renderer)
    base_px = ax.transData.transform((136.23, 0))[0]
    bars = [p.get_window_extent(renderer) for p in ax.patches]
    for t in labels:
        b = t.get_window_extent(renderer)
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1, f"{t.get_text()!r} sticks out of the axes"
        assert not b.x0 <= base_px <= b.x1, f"{t.get_text()!r} crosses the base line"
        assert not any(b.overlaps(bar) for bar in bars if bar.width > 1), f"{t.get_text()!r} runs over a bar"
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "grid.\nemission_factor_kg_per_kwh"  # the side without a plan ranks first
    assert "grid.tariff.\nprices_per_kwh.peak" in ticks
    widths = sorted(round(p.get_width(), 3) for p in ax.patches)
    assert widths == sorted([0.02, -5.6, 4.5, -0.1, 0.1, -0.25, 0.25, 0.3, 0.9])  # the cost changes, M CNY


def test_long_parameter_paths_wrap_at_their_dots():
    assert wrap_path("pv.capex_per_kw", 24) == "pv.capex_per_kw"
    assert wrap_path("grid.tariff.prices_per_kwh.peak", 24) == "grid.tariff.\nprices_per_kwh.peak"


# distributions ----------------------------------------------------------------------------------

def test_distributions_leave_no_empty_panel_and_draw_a_constant_as_one_bar():
    sweep = build_sweep(BASE, "uncertain prices", "monte_carlo",
                        {"pv.capex_per_kw": {"distribution": "uniform", "low": 2400, "high": 3600}},
                        samples=30, seed=4)
    table = table_of(sweep, lambda v: 6e6 + 300 * v["pv.capex_per_kw"], pv_total_kw=lambda v: 1900.0,
                     green_power_mwh=lambda v: 3000 - v["pv.capex_per_kw"] / 3, credits_t=lambda v: 400.0)
    table["storage_kwh"] = np.nan  # no battery in this plant: no panel at all
    fig = drawn(distributions_figure, sweep, table, metric(table, "CNY"))
    no_overlap(fig)
    assert len(fig.axes) == 4  # cost, PV, green power, credits: a row of 3 and one, no empty frame
    all_drawn_on(fig)
    pv = next(ax for ax in fig.axes if ax.get_title().startswith("PV"))
    (bar,) = pv.patches
    assert bar.get_height() == 30 and [t.get_text() for t in pv.get_xticklabels()] == ["1,900"]
    assert "the same in every sample: 1,900" in pv.get_title()
    cost = fig.axes[0]
    assert sum(p.get_height() for p in cost.patches) == 30  # every sample in the histogram


# pareto frontier and MAC curve ------------------------------------------------------------------

def made_up_frontier(bau_t: float = 99_919.6, bau_cost: float = 165.97e6) -> Frontier:
    """The demo's shape: a free first step saving 1,357 per tonne, eight certificate steps at 8.79,
    one at 50 shared with credits, credits at 71 down to net zero."""
    cut = {m: 0.0 for m in measures()}
    steps = [({"rooftop PV": 12_220, "green power": 18_886, "efficiency measures": 1_105}, -1357.0)]
    steps += [({"certificates": 6_770.83}, 8.79)] * 8 + [({"certificates": 1_000, "carbon credits": 1_000}, 50.0)]
    abated, cost, rows = 0.0, bau_cost, []
    for add, per_t in steps:
        tonnes = sum(add.values())
        abated, cost = abated + tonnes, cost + per_t * tonnes
        cut = {m: cut[m] + add.get(m, 0.0) for m in cut}
        rows.append({"abated_t": abated, "total_annual_cost": cost, **{cut_column(m): c for m, c in cut.items()}})
    last = bau_t - abated
    cut["carbon credits"] += last
    rows.append({"abated_t": bau_t, "total_annual_cost": cost + 71.0 * last,
                 **{cut_column(m): c for m, c in cut.items()}})
    points = pd.DataFrame(rows)
    points["net_t"] = bau_t - points["abated_t"]
    points["marginal_abatement_cost_per_t"] = [0.0] + [8.79] * 8 + [50.0, 71.0]
    return Frontier("Foshan automotive plant", "CNY", bau_t, bau_cost, points, _segments(points, bau_cost),
                    _entry(points, bau_t), [])


def test_pareto_zooms_on_the_frontier_and_shows_business_as_usual_with_its_value():
    front = made_up_frontier()
    fig = drawn(frontier_figure, front)
    no_overlap(fig)
    ax, line, bau_ax, bau = frontier_panels(fig, FRONTIER_LABEL, BAU_LABEL)
    y = front.points["total_annual_cost"] / 1e6
    lo, hi = ax.get_ylim()
    assert lo <= y.min() and y.max() <= hi
    assert (y.max() - y.min()) / (hi - lo) > 0.5  # the frontier fills its panel, not a flat line
    np.testing.assert_allclose(line.get_ydata(), y)
    assert bau_ax is not ax and bau.get_ydata()[0] == pytest.approx(165.97)
    b_lo, b_hi = bau_ax.get_ylim()
    assert b_lo < 165.97 < b_hi
    assert (b_hi - b_lo) / bau_ax.get_position().height == pytest.approx((hi - lo) / ax.get_position().height)
    texts = [t.get_text() for t in texts_of(fig)]
    assert any(money_m(front.bau_cost) in t and "99.9 kt" in t for t in texts)  # its value, by the point
    margins = [t.get_text() for t in ax.texts if t.get_text() in {"0", "8.79", "50", "71"}]  # as the MAC curve
    assert len(margins) == 11  # every point's marginal cost
    assert any("already in the cheapest plan without a target" in t for t in texts)


def test_pareto_keeps_one_axis_when_business_as_usual_is_close():
    cuts = {cut_column(m): 0.0 for m in measures()}
    points = pd.DataFrame({"abated_t": [200.0, 600.0, 1000.0], "total_annual_cost": [1.0e6, 1.1e6, 1.4e6],
                           "marginal_abatement_cost_per_t": [0.0, 400.0, 900.0], **cuts})
    points["net_t"] = 1000.0 - points["abated_t"]
    front = Frontier("small plant", "CNY", 1000.0, 1.2e6, points, _segments(points, 1.2e6), pd.DataFrame(), [])
    fig = drawn(frontier_figure, front)
    no_overlap(fig)
    (ax,) = fig.axes
    lo, hi = ax.get_ylim()
    assert lo <= 1.0 and hi >= 1.4 and "(tCO2e" in ax.get_xlabel()
    assert any("business as usual: 1.20 M CNY/yr" in t.get_text() for t in ax.texts)


def test_every_mac_step_is_labelled_with_its_true_value_and_tonnes():
    front = made_up_frontier()
    steps = mac_steps(front)
    assert [per_t_text(s.cost_per_t) for s in steps] == ["-1,357", "8.79", "50", "71"]  # the 8.79 steps as one
    assert steps[1].tonnes == pytest.approx(8 * 6_770.83)
    fig = drawn(mac_figure, front)
    no_overlap(fig)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.texts]
    assert labels == [f"{per_t_text(s.cost_per_t)} CNY/t\n{s.tonnes / 1000:,.1f} kt" for s in steps]
    assert "8.79 CNY/t\n54.2 kt" in labels
    assert "ktCO2e" in ax.get_xlabel() and ax.get_yscale() == "symlog"
    renderer = fig.canvas.get_renderer()
    heights = {round(p.get_height(), 2): p.get_window_extent(renderer).height for p in ax.patches}
    assert set(heights) == {-1357.0, 8.79, 50.0, 71.0}  # bars at their true heights
    assert heights[8.79] > 0.2 * heights[-1357.0]  # yet the small step is no sliver
    assert any("already in the cheapest plan without a target" in t.get_text() for t in fig.texts)
