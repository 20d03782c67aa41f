"""The roadmap charts draw what the summary says: read back from the plotted bars and markers of
small hand-made roadmaps (no solving)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest

from optimizer.report import roadmap_charts
from optimizer.report.roadmap_charts import (
    ROADMAP_CHART_FILES,
    capacity_figure,
    cash_flow_figure,
    emissions_figure,
    write_roadmap_charts,
)

NET, BAU, TARGET = "net emissions (what remains)", "business as usual (value above)", "target (cap on net emissions)"


def year(y: int, net: float, cuts: dict[str, float], bau_t: float, target_t: float | None = None,
         pv: dict[str, float] | None = None, pv_added: dict[str, float] | None = None, kwh: float = 0.0,
         kwh_added: float = 0.0, investment: dict[str, float] | None = None, savings: float = 0.0) -> dict[str, Any]:
    """One model year as roadmap.json holds it, with only what the charts read."""
    investment = investment or {"pv": 0.0, "storage": 0.0}
    return {"year": y, "stands_for": [y, y + 1], "target": None, "target_t": target_t,
            "bau": {"total_annual_cost": 10e6, "net_t": bau_t},
            "pv_kw": pv or {}, "pv_kw_added": pv_added or {k: 0.0 for k in pv or {}},
            "storage_kwh": kwh, "storage_kw": kwh / 2, "storage_kwh_added": kwh_added,
            "storage_kw_added": kwh_added / 2,
            "emissions": {"net_t": net}, "cuts_t": cuts, "total_annual_cost": 10e6 - savings,
            "investment": {**investment, "total": sum(investment.values())}, "savings": savings}


def roadmap(*years: dict[str, Any], status: str = "optimal") -> dict[str, Any]:
    return {"name": "toy roadmap", "status": status, "npv": 50e6, "currency": "CNY", "base_year": 2025,
            "end_year": 2030, "base_emissions_t": 1000.0, "years": list(years)}


CUTS_1 = {"rooftop PV": 100.0, "green power": 200.0, "certificates": 0.0, "carbon credits": 0.0}
CUTS_2 = {"rooftop PV": 150.0, "green power": 250.0, "certificates": 300.0, "carbon credits": 50.0}
TOY = roadmap(
    year(2026, 700.0, CUTS_1, 1000.0, pv={"roof_a": 500.0}, pv_added={"roof_a": 500.0}, kwh=200.0, kwh_added=200.0,
         investment={"pv": 3e6, "storage": 1e6}, savings=1.5e6),
    year(2028, 300.0, CUTS_2, 1050.0, target_t=500.0, pv={"roof_a": 500.0, "roof_b": 300.0},
         pv_added={"roof_a": 0.0, "roof_b": 300.0}, kwh=200.0, investment={"pv": 0.6e6, "storage": 0.0}, savings=2e6),
    year(2030, 0.0, {**CUTS_2, "carbon credits": 100.0}, 800.0, target_t=0.0,
         pv={"roof_a": 500.0, "roof_b": 300.0}, kwh=200.0, savings=-0.5e6),
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def bars(ax: plt.Axes, label: str) -> tuple[list[float], list[float]]:
    """Heights and bottoms of the bars drawn under `label`."""
    container = next(c for c in ax.containers if c.get_label() == label)
    return [round(p.get_height(), 6) for p in container], [round(p.get_y(), 6) for p in container]


def line_y(ax: plt.Axes, label: str) -> list[float]:
    """The y values of the line (or markers) drawn under `label`."""
    return [float(v) for v in next(line for line in ax.get_lines() if line.get_label() == label).get_ydata()]


def ticks_y(ax: plt.Axes, label: str) -> list[float]:
    """The level of each short tick drawn under `label` (a tick's two ends, then a NaN gap)."""
    ys = line_y(ax, label)
    assert np.array_equal(ys[::3], ys[1::3], equal_nan=True) and np.isnan(ys[2::3]).all()
    return ys[::3]


def test_emission_stacks_rise_from_net_through_each_measure_to_business_as_usual():
    ax = emissions_figure(TOY).axes[0]
    assert bars(ax, NET) == ([700.0, 300.0, 0.0], [0.0, 0.0, 0.0])
    # from the net up: offsets first, then certificates, then the reductions, rooftop PV on top
    assert bars(ax, "carbon credits") == ([0.0, 50.0, 100.0], [700.0, 300.0, 0.0])
    assert bars(ax, "certificates") == ([0.0, 300.0, 300.0], [700.0, 350.0, 100.0])
    assert bars(ax, "green power") == ([200.0, 250.0, 250.0], [700.0, 650.0, 400.0])
    assert bars(ax, "rooftop PV") == ([100.0, 150.0, 150.0], [900.0, 900.0, 650.0])
    tops = [h + b for h, b in zip(*bars(ax, "rooftop PV"), strict=True)]
    assert tops == ticks_y(ax, BAU) == [1000.0, 1050.0, 800.0]


def test_emissions_mark_targets_only_where_set_and_the_base_year():
    ax = emissions_figure(TOY).axes[0]
    targets = ticks_y(ax, TARGET)
    assert targets[1:] == [500.0, 0.0] and targets[0] != targets[0]  # NaN: 2026 has no target
    assert line_y(ax, "base year 2025: 1,000") == [1000.0, 1000.0]
    assert ax.get_ylabel() == "tCO2e per year"
    assert "emissions path" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026\n(2026–2027)", "2028\n(2028–2029)",
                                                            "2030\n(2030–2031)"]


def test_a_measure_that_cuts_nothing_has_no_bars_and_battery_losses_are_noted():
    no_credits = roadmap(year(2026, 700.0, CUTS_1, 1000.0), year(2028, 500.0, CUTS_1, 760.0))
    fig = emissions_figure(no_credits)
    labels = [c.get_label() for c in fig.axes[0].containers]
    assert labels == [NET, "green power", "rooftop PV"]
    notes = " ".join(t.get_text() for t in fig.axes[0].texts).replace("\n", " ")
    assert "(battery losses)" in notes and "40 tCO2e" in notes  # 500 + 300 cut is 840 t, 40 above 800
    assert "battery losses" not in " ".join(t.get_text() for t in emissions_figure(TOY).axes[0].texts)
    # The steps that add emissions are named from each year's added_t, those above a sliver of the axis.
    years = [{**y, "added_t": {"battery losses": 0.001, "electricity for heat": 40.0}} for y in no_credits["years"]]
    notes = " ".join(t.get_text() for t in emissions_figure({**no_credits, "years": years}).axes[0].texts)
    assert "(electricity for heat)" in notes.replace("\n", " ")


def test_capacity_shows_what_is_installed_each_year_and_labels_what_was_added():
    fig = capacity_figure(TOY)
    pv_ax, battery_ax = fig.axes[:2]
    assert bars(pv_ax, "roof_a") == ([500.0, 500.0, 500.0], [0.0, 0.0, 0.0])
    assert bars(pv_ax, "roof_b") == ([0.0, 300.0, 300.0], [500.0, 500.0, 500.0])
    labels = [t.get_text() for t in pv_ax.texts if "kWp" in t.get_text()]
    assert labels == ["500 kWp\n(+500 new)", "800 kWp\n(+300 new)", "800 kWp"]  # nothing built in 2030
    assert bars(battery_ax, "battery") == ([200.0, 200.0, 200.0], [0.0, 0.0, 0.0])
    assert battery_ax.get_ylabel() == "battery installed (kWh)" and "kWp" in pv_ax.get_ylabel()


def test_capacity_without_a_battery_has_one_panel():
    fig = capacity_figure(roadmap(year(2026, 700.0, CUTS_1, 1000.0, pv={"roof": 400.0})))
    assert len(fig.axes) == 1 and "no battery" in fig.axes[0].get_title()
    assert bars(fig.axes[0], "roof")[0] == [400.0]


def test_capacity_has_a_heat_panel_when_heat_is_electrified():
    heat = {"heat_pump_kw_th": [300.0, 300.0, 350.0], "electric_heater_kw_th": [0.0, 120.0, 120.0],
            "thermal_storage_kwh_th": [0.0, 900.0, 900.0]}
    added = {"heat_pump_kw_th": [300.0, 0.0, 50.0], "electric_heater_kw_th": [0.0, 120.0, 0.0],
             "thermal_storage_kwh_th": [0.0, 900.0, 0.0]}
    years = [{**y, **{k: v[i] for k, v in heat.items()}, **{f"{k}_added": v[i] for k, v in added.items()}}
             for i, y in enumerate(TOY["years"])]
    fig = capacity_figure({**TOY, "years": years})
    assert len(fig.axes) == 3
    heat_ax = fig.axes[2]
    assert bars(heat_ax, "heat pump")[0] == [300.0, 300.0, 350.0]
    assert bars(heat_ax, "electric heater")[0] == [0.0, 120.0, 120.0]
    texts = [t.get_text() for t in heat_ax.texts]
    assert "300\n+300" in texts and "350\n+50" in texts and "120\n+120" in texts
    assert [t for t in texts if t.startswith("store")] == ["store 900 kWh", "store 900 kWh"]
    assert "kW of heat" in heat_ax.get_ylabel()
    assert len(capacity_figure(TOY).axes) == 2  # no heat: no heat panel


def test_cash_flow_pays_investment_down_savings_up_and_marks_the_net():
    ax = cash_flow_figure(TOY).axes[0]
    assert bars(ax, "investment: rooftop PV") == ([-3.0, -0.6, 0.0], [0.0, 0.0, 0.0])
    assert bars(ax, "investment: battery") == ([-1.0, 0.0, 0.0], [-3.0, -0.6, 0.0])
    assert bars(ax, "operating savings vs business as usual")[0] == [1.5, 2.0, -0.5]
    assert line_y(ax, "net (savings − investment)") == pytest.approx([-2.5, 1.4, -0.5])
    assert ax.get_ylabel() == "million CNY"
    values = {t.get_text() for t in ax.texts}
    assert {"-4.00", "1.50", "-2.50", "1.40", "-0.50"} <= values


def test_no_plan_gives_no_charts(tmp_path):
    infeasible = roadmap(status="infeasible")
    infeasible["years"] = [{k: v for k, v in y.items() if k in ("year", "stands_for", "target", "target_t", "bau")}
                           for y in TOY["years"]]
    assert write_roadmap_charts(infeasible, tmp_path) == []
    assert write_roadmap_charts(roadmap(), tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_each_chart_is_written_and_capacity_only_when_something_is_installed(tmp_path, monkeypatch):
    paths = write_roadmap_charts(TOY, tmp_path)
    assert [p.name for p in paths] == list(ROADMAP_CHART_FILES) and all(p.is_file() for p in paths)
    drawn = []
    monkeypatch.setattr(roadmap_charts, "save_figure", lambda make, subject, path: drawn.append(make(subject)) or path)
    nothing_built = roadmap(year(2026, 700.0, CUTS_1, 1000.0), status="time_limit")
    names = [p.name for p in write_roadmap_charts(nothing_built, tmp_path)]
    assert names == ["roadmap_emissions.png", "roadmap_cash_flow.png"] and len(drawn) == 2
    assert "time_limit" in " ".join(t.get_text() for t in drawn[0].axes[0].texts)
