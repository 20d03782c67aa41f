"""Heat everywhere the plan goes: the heat chart and the energy mix read back from their plotted bars,
the printed plan, the comparison page and its waterfalls.

The plan is a small plant over the first 45 days of the year (January and half of February), with
two heat demands, a heat pump, an electric heater, a store and two efficiency measures; it solves
in a second or two. The charts that need a whole year (the dispatch weeks) are not drawn here:
`save_figure` is replaced where the test is about which files are written.
"""

from __future__ import annotations

import re
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from rich.console import Console

from models.inputs import ElectricHeaterInputs, HeatDemandInputs, MeasureInputs, ThermalStorageInputs
from optimizer.model.heat import SOURCES
from optimizer.report import files, page_charts, plan_charts
from optimizer.report.heat_charts import ELECTRICITY, HEAT_CHART, SAVED, heat_figure, monthly_heat, source_label
from optimizer.report.page import Entry, compare_page
from optimizer.report.style import whole
from optimizer.report.terminal import heat_lines, print_plan
from optimizer.result.figures import steps
from tests.cases import plant, solve_optimal
from tests.chart_checks import bars, line
from tests.test_heat_by_hand import heat, heat_pump

N = 24 * 45  # 1 January to 14 February
HOUR = np.arange(N) % 24
SHIFT = (HOUR >= 8) & (HOUR < 20)
MWH = 1000.0


def heat_plant(name: str = "heat plant"):
    """Cheap night electricity, a dear day: the heater (at most 60 kW) fills the store (at most 600 kWh)
    at night for the 180 °C oven and the boiler does the rest; the heat pump serves the 60 °C wash by
    day; a heat recovery and an electricity measure both pay."""
    price = np.where(HOUR < 8, 0.1, 0.8)
    wash = HeatDemandInputs(name="wash", temperature_c=60.0, heat_kw=np.where(SHIFT, 100.0, 0.0))
    oven = HeatDemandInputs(name="oven", temperature_c=180.0, heat_kw=np.where(SHIFT, 80.0, 20.0)
                            * (1 + 0.5 * (np.arange(N) < 31 * 24)))  # January colder than February
    store = ThermalStorageInputs(capex_per_kwh_th=1.0, fixed_om_per_kwh_th_year=0.0, crf=0.1, loss_share_per_hour=0.01,
                                 max_temperature_c=200.0, lifetime_years=25, max_kwh_th=600.0)
    heater = ElectricHeaterInputs(capex_per_kw_th=1.0, fixed_om_per_kw_th_year=0.0, crf=0.1, efficiency=0.95,
                                  lifetime_years=20, max_kw_th=60.0)
    measures = (MeasureInputs(name="heat recovery", capex=100.0, crf=0.1, lifetime_years=15,
                              heat_saved_kw={"wash": np.where(SHIFT, 30.0, 0.0)}),
                MeasureInputs(name="LED lighting", capex=100.0, crf=0.1, lifetime_years=10,
                              electricity_saved_kw=np.where(SHIFT, 10.0, 2.0)))
    h = heat(wash, oven, heat_pump=heat_pump(1.0, {"wash": 3.0}), electric_heater=heater, thermal_storage=store)
    inp = plant(np.where(SHIFT, 200.0, 80.0), price, heat=h, measures=measures)
    return replace(inp, name=name)


@pytest.fixture(scope="module")
def plan():
    return solve_optimal(heat_plant())


@pytest.fixture(scope="module")
def plain():
    """The same plant without heat or measures."""
    return solve_optimal(replace(heat_plant("no heat"), heat=None, measures=()))


def by_month(series) -> np.ndarray:
    return series.groupby(series.index.month).sum().to_numpy() / MWH  # kW over hours -> MWh


def test_the_plan_uses_every_source_so_the_chart_has_something_to_show(plan):
    s = plan.summary
    assert s["measures_taken"] == ["heat recovery", "LED lighting"]
    supplied = {src: sum(d[f"{src}_mwh"] for d in s["heat"]["demands"].values()) for src in SOURCES}
    assert all(supplied[src] > 1.0 for src in SOURCES), supplied
    assert s["energy"]["heat_electricity_mwh"] > 1.0


def test_heat_bars_per_month_are_the_hourly_sums(plan):
    hourly = plan.hourly
    fig = heat_figure(plan)
    top, bottom = fig.axes
    drawn = bars(top)
    for src in SOURCES:
        np.testing.assert_allclose(drawn[source_label(src)], by_month(hourly[f"heat_{src}_kw_th"]), atol=1e-9)
    assert len(drawn[source_label("boiler")]) == 2  # January and February
    np.testing.assert_allclose(bars(bottom)[ELECTRICITY], by_month(hourly["heat_electricity_kw"]), atol=1e-9)
    # The saving sits on top of the sources; together they reach the demand before measures.
    january = 31 * 24
    saved = np.where(SHIFT, 30.0, 0.0)
    demand = sum(d.heat_kw for d in plan.inputs.heat.demands)
    np.testing.assert_allclose(drawn["saved by efficiency measures"],
                               [saved[:january].sum() / MWH, saved[january:].sum() / MWH])
    np.testing.assert_allclose(line(top, "heat demand before measures"),
                               [demand[:january].sum() / MWH, demand[january:].sum() / MWH], rtol=1e-12)
    stacked = sum(drawn[source_label(src)] for src in SOURCES) + drawn["saved by efficiency measures"]
    np.testing.assert_allclose(stacked, line(top, "heat demand before measures"), rtol=1e-6)
    assert [t.get_text() for t in bottom.get_xticklabels()] == ["Jan", "Feb"]
    plt.close(fig)


def test_the_months_add_up_to_the_summary(plan):
    monthly, demands = monthly_heat(plan), plan.summary["heat"]["demands"]
    for src in SOURCES:
        assert monthly[source_label(src)].sum() == pytest.approx(sum(d[f"{src}_mwh"] for d in demands.values()),
                                                                  rel=1e-9, abs=1e-9)
    assert monthly[SAVED].sum() == pytest.approx(plan.summary["measures"]["heat_saved_mwh"], rel=1e-9)
    assert monthly[ELECTRICITY].sum() == pytest.approx(plan.summary["energy"]["heat_electricity_mwh"], rel=1e-9)


def test_the_energy_mix_shows_electricity_for_heat_and_the_measures_saving(plan, plain):
    hourly = plan.hourly
    fig = plan_charts._energy_mix(plan)
    ax = fig.axes[0]
    drawn = bars(ax)
    np.testing.assert_allclose(drawn["saved by efficiency measures"], by_month(hourly["measures_saved_kw"]))
    np.testing.assert_allclose(drawn["grid"], by_month(hourly["grid_import_kw"]))
    load = by_month(hourly["load_kw"])
    np.testing.assert_allclose(line(ax, "load"), load)
    np.testing.assert_allclose(line(ax, f"load + {ELECTRICITY}"), load + by_month(hourly["heat_electricity_kw"]))
    plt.close(fig)
    fig = plan_charts._energy_mix(plain)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["grid", "load"]  # no heat, no measures, nothing but the grid: only what the plant has
    plt.close(fig)


def test_the_heat_chart_is_written_only_for_a_plan_with_heat(plan, plain, tmp_path, monkeypatch):
    made = []
    monkeypatch.setattr(plan_charts, "save_figure", lambda make, subject, path: made.append(make) or path)
    assert [p.name for p in plan_charts.write_charts(plan, tmp_path)] == [*plan_charts.CHART_FILES, HEAT_CHART]
    assert made[-1] is heat_figure
    assert HEAT_CHART not in [p.name for p in plan_charts.write_charts(plain, tmp_path)]
    (tmp_path / HEAT_CHART).write_bytes(b"from a run with heat")
    files.write_plan(plain, tmp_path)
    assert not (tmp_path / HEAT_CHART).exists()  # a stale heat chart is not left beside a plan without heat


def test_the_heat_chart_saves_as_a_png(plan, tmp_path):
    path = plan_charts.save_figure(heat_figure, plan, tmp_path / HEAT_CHART)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_the_printed_plan_says_what_heat_burns_builds_and_takes(plan, plain):
    s = plan.summary
    console = Console(record=True, width=100)
    print_plan(plan, console)
    printed = " ".join(console.export_text().split())
    assert (f"Heat: {whole(s['boiler_fuel_mwh'])} MWh of gas burnt (business as usual "
            f"{whole(s['heat']['bau_boiler_fuel_mwh'])} MWh); heat pump {whole(s['heat_pump_kw_th'])} kW heat, "
            f"electric heater {whole(s['electric_heater_kw_th'])} kW heat, thermal store "
            f"{whole(s['thermal_storage_kwh_th'])} kWh heat") in printed
    assert f"electricity for heat {whole(s['energy']['heat_electricity_mwh'])} MWh" in printed
    assert "Measures taken: heat recovery, LED lighting" in printed
    assert all(len(line) <= 80 for line in heat_lines(plan))
    assert heat_lines(plain) == []
    bare = replace(plan, summary={**s, "measures_taken": []})
    assert heat_lines(bare)[-1] == "Measures taken: none of the 2 offered"


def row(page: str, table: str, key: str) -> list[str]:
    """The unit and the cells of one row of one table of the page, as text."""
    section = re.search(rf'<table id="{table}".*?</table>', page, flags=re.S).group(0)
    found = re.search(rf'<tr data-key="{re.escape(key)}"[^>]*>(.*?)</tr>', section, flags=re.S)
    assert found, (table, key)
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1))]


def test_the_page_shows_heat_decisions_measures_and_scope_1(plan, plain):
    s = plan.summary
    page = compare_page([Entry.from_plan(plan), Entry.from_plan(plain)])
    assert row(page, "built", "heat_pump_kw_th") == ["kW heat", whole(s["heat_pump_kw_th"]), "–"]
    assert row(page, "built", "thermal_storage_kwh_th")[0] == "kWh heat"
    assert row(page, "built", "measures_taken") == ["names", "heat recovery, LED lighting", "–"]
    assert row(page, "heat", "boiler_fuel_mwh") == ["MWh/yr", whole(s["boiler_fuel_mwh"]), "–"]
    assert row(page, "heat", "heat_electricity_mwh")[1] == whole(s["energy"]["heat_electricity_mwh"])
    assert row(page, "emissions", "scope1_t")[1] == whole(s["emissions"]["scope1_t"])
    assert "meeting its heat with its boiler" in page
    without = compare_page([Entry.from_plan(plain)])
    assert 'data-key="heat_pump_kw_th"' not in without and 'id="heat"' not in without
    assert 'data-key="measures_taken"' not in without and "its boiler" not in without


def test_each_waterfall_on_the_page_puts_its_steps_over_their_ticks(plan, plain):
    fig = page_charts.emission_paths([(plan.inputs.name, plan.summary), (plain.inputs.name, plain.summary)])
    for ax in fig.axes[:2]:
        ticks = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
        assert ticks[-1] == "net" and "electricity for heat" in ticks and ticks[0] == "business as usual"
        net_x = [p.get_x() + p.get_width() / 2 for c in ax.containers for p in c.patches][-1]
        assert net_x == pytest.approx(len(ticks) - 1)  # the net bar over "net", even without heat steps
    plt.close(fig)
    fig = page_charts.emission_paths([(plain.inputs.name, plain.summary)])
    ticks = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_xticklabels()]
    assert "electrified heat" not in ticks and len(ticks) == len(steps()) + 1 - 3  # no heat: no heat steps
    plt.close(fig)


def test_the_plan_waterfall_leaves_room_above_a_net_above_business_as_usual(plan):
    fig = plan_charts._waterfall(plan)
    ax = fig.axes[0]
    top = max(p.get_y() + p.get_height() for c in ax.containers for p in c.patches)
    assert ax.get_ylim()[1] > top * 1.01
    plt.close(fig)
