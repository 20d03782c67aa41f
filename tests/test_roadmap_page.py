"""Roadmaps side by side (`optimizer.report.roadmap_page`): the figures each column shows, read
back from the HTML; the emissions chart's plotted data; the page in headless Chromium.

The summaries are made by hand in roadmap.json's shape: one roadmap with a plan, building in
several model years, and one whose targets are out of reach, with its explanation.
"""

from __future__ import annotations

import copy
import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from optimizer.report.page import Entry, compare_page, html_page
from optimizer.report.roadmap_page import emissions_paths_figure, roadmap_page, roadmap_section
from tests import browser

NAME = "stepwise <b>A</b> & co"
EXPLANATION = ["2026: Limit reached: rooftop PV on roof_a (pv.arrays.limit_kw = 1,000 kWp); raise it if it fits.",
               "2026: Carbon credits would close the gap: 8,000 tCO2e of them, if credits.max_offset_share allowed."]


def year(year: int, last: int, target: dict | None, target_t: float | None, bau_t: float, **plan) -> dict:
    """A model year as roadmap.json holds it; with `plan` (net_t, builds, purchases), one with a plan."""
    entry = {"year": year, "stands_for": [year, last], "target": target, "target_t": target_t,
             "bau": {"total_annual_cost": 50e6, "net_t": bau_t}}
    if not plan:
        return entry
    added = plan.get("pv_added", {})
    entry.update({
        "pv_kw_added": {roof: added.get(roof, 0.0) for roof in ("roof_a", "roof_b", "roof_c")},
        "pv_kw": plan["pv_kw"], "pv_total_kw": sum(plan["pv_kw"].values()),
        "storage_kwh": plan.get("kwh", 0.0), "storage_kw": plan.get("kw", 0.0),
        "storage_kwh_added": plan.get("kwh_added", 0.0), "storage_kw_added": plan.get("kw_added", 0.0),
        "green_power_mwh": plan.get("green", 0.0), "certificates_mwh": plan.get("certificates", 0.0),
        "credits_t": 0.0,
        "emissions": {"scope1_t": 1000.0, "scope2_location_t": 9000.0, "scope2_market_t": plan["net_t"] - 1000.0,
                      "credits_t": 0.0, "net_t": plan["net_t"]},
        "total_annual_cost": 40e6, "investment": {"pv": 1e6, "storage": 0.0, "total": 1e6}, "savings": 10e6,
    })
    return entry


def top(name: str, status: str, npv: float | None, years: list[dict]) -> dict:
    money = {} if npv is None else {"bau_npv": 150e6, "npv_savings": 150e6 - npv}
    return {"name": name, "status": status, "npv": npv, "currency": "CNY", "base_year": 2025, "end_year": 2040,
            "discount_rate": 0.06, "base_emissions_t": 10_000.0, "years": years, **money}


HALF, ZERO = {"reduction_pct": 50.0}, {"net_zero": True}
PLANNED = top(NAME, "optimal", 123_456_789.0, [
    year(2026, 2029, None, None, 10_100.0, net_t=9000.0, pv_added={"roof_a": 1000.0},
         pv_kw={"roof_a": 1000.0, "roof_b": 0.0, "roof_c": 0.0}),
    year(2030, 2034, HALF, 5000.0, 10_200.0, net_t=5000.0, pv_added={"roof_a": 500.0, "roof_b": 2000.0},
         pv_kw={"roof_a": 1500.0, "roof_b": 2000.0, "roof_c": 0.0}, green=1500.0),
    year(2035, 2040, ZERO, 0.0, 10_300.0, net_t=0.0, pv_kw={"roof_a": 1500.0, "roof_b": 2000.0, "roof_c": 0.0},
         kwh=4000.0, kw=1000.0, kwh_added=4000.0, kw_added=1000.0, certificates=2600.0),
])
UNREACHABLE = {**top("too fast", "infeasible", None, [
    year(2026, 2029, {"max_emissions_t": 1000.0}, 1000.0, 10_100.0),
    year(2030, 2040, ZERO, 0.0, 10_200.0),
]), "explanation": EXPLANATION}
DESCRIPTIONS = ["Half by 2030, net zero from 2035.", "A cap of 1,000 t already in 2026."]


class Tables(HTMLParser):
    """Each table's column heads and its rows by data-key: the text of each cell after the unit."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.heads: dict[str, list[str]] = {}
        self._table, self._row, self._cell, self._id = None, None, None, ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "table":
            self._id = a["id"]
            self._table = self.tables.setdefault(self._id, {})
        elif tag == "tr" and "data-key" in a:
            self._row = self._table.setdefault(a["data-key"], [])
        elif tag == "th" and a.get("scope") == "col" and a.get("class") != "unit" and not a.get("colspan"):
            self._cell = self.heads.setdefault(self._id, [])
        elif tag == "td" and self._row is not None and a.get("class") != "unit":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).replace("\xa0", " "))
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def tables() -> dict[str, dict[str, list[str]]]:
    return Tables(roadmap_section([PLANNED, UNREACHABLE], DESCRIPTIONS)).tables


def test_one_column_per_roadmap_in_every_table():
    found = Tables(roadmap_section([PLANNED, UNREACHABLE], DESCRIPTIONS))
    assert set(found.tables) == {"roadmap-outcome", "roadmap-money", "roadmap-builds", "roadmap-purchases",
                                 "roadmap-emissions"}
    for table_id, rows in found.tables.items():
        assert found.heads[table_id] == [NAME, "too fast"], table_id
        assert rows and {len(cells) for cells in rows.values()} == {2}, table_id


def test_present_value_and_years(tables):
    money = tables["roadmap-money"]
    assert money["npv"] == ["123.46", "no plan"]
    assert money["bau_npv"] == ["150.00", "no plan"]
    assert money["npv_savings"] == ["26.54", "no plan"]
    assert money["model_years"] == ["2026, 2030, 2035", "2026, 2030"]
    assert money["end_year"] == ["2040", "2040"]
    assert money["base_emissions_t"] == ["2025: 10,000", "2025: 10,000"]
    assert money["discount_rate"] == ["6.0 %", "6.0 %"]


def test_the_year_of_each_build(tables):
    built = tables["roadmap-builds"]
    assert built["built:pv_kw:roof_a"] == ["2026: 1,000 kWp · 2030: 500 kWp", "no plan"]
    assert built["built:pv_kw:roof_b"] == ["2030: 2,000 kWp", "no plan"]
    assert built["built:pv_kw:roof_c"] == ["not built", "no plan"]
    assert built["built:pv_total_kw"] == ["2026: 1,000 kWp · 2030: 2,500 kWp", "no plan"]
    assert built["built:storage_kwh"] == ["2035: 4,000 kWh", "no plan"]
    assert built["built:storage_kw"] == ["2035: 1,000 kW", "no plan"]


def test_a_roof_one_roadmap_lacks_is_named_so():
    other = copy.deepcopy(PLANNED)
    for y in other["years"]:
        del y["pv_kw_added"]["roof_c"]
    built = Tables(roadmap_section([PLANNED, other])).tables["roadmap-builds"]
    assert built["built:pv_kw:roof_c"] == ["not built", "not a roof here"]
    assert built["built:pv_kw:roof_a"][1] == "2026: 1,000 kWp · 2030: 500 kWp"


def test_purchases_by_year(tables):
    bought = tables["roadmap-purchases"]
    assert bought["bought:green_power_mwh"] == ["2030: 1,500 MWh", "no plan"]
    assert bought["bought:certificates_mwh"] == ["2035: 2,600 MWh", "no plan"]
    assert bought["bought:credits_t"] == ["none", "no plan"]


def test_net_emissions_against_the_target_per_model_year(tables):
    em = tables["roadmap-emissions"]
    assert [em[f"net:{y}"] for y in (2026, 2030, 2035)] == [
        ["9,000", "no plan"], ["5,000", "no plan"], ["0", "no plan"]]
    assert em["target:2026"] == ["none", "1,000"]
    assert em["target:2030"] == ["5,000 (−50 % of the base year)", "0 (net zero)"]
    assert em["target:2035"] == ["0 (net zero)", "not a model year"]


def test_outcome_in_words_with_the_explanation(tables):
    outcome = tables["roadmap-outcome"]
    assert outcome["description"] == DESCRIPTIONS
    assert outcome["outcome"][0].startswith("plan found")
    assert outcome["outcome"][1].startswith("no plan: target out of reach")
    assert all(line in outcome["outcome"][1] for line in EXPLANATION)


def test_text_from_a_roadmap_is_escaped():
    text = roadmap_section([PLANNED, UNREACHABLE])
    assert "stepwise &lt;b&gt;A&lt;/b&gt; &amp; co" in text and "<b>" not in text


def test_chart_plots_each_roadmaps_net_and_the_targets():
    fig = emissions_paths_figure([(NAME, PLANNED), ("too fast", UNREACHABLE)])
    try:
        lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
        net = lines[NAME]
        assert net.get_drawstyle() == "steps-post"
        assert list(net.get_xdata()) == [2026, 2030, 2035, 2041]  # the last model year held to the end of 2040
        assert list(net.get_ydata()) == [9000, 5000, 0, 0]
        dashed = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
        caps = sorted(np.nan_to_num(line.get_ydata(), nan=-1).tolist() for line in dashed)
        assert caps == [[-1, 5000, 0, 0], [1000, 0, 0]]  # each roadmap's own targets, none in 2026 a gap
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert "too fast: no plan (target out of reach); its targets only" in legend
        assert "base year 2025: 10,000" in legend
        base = lines["base year 2025: 10,000"]
        assert (list(base.get_xdata()), list(base.get_ydata())) == ([2025], [10_000])
    finally:
        plt.close(fig)


def test_shared_targets_are_one_line():
    cheaper = {**copy.deepcopy(PLANNED), "name": "cheaper"}
    fig = emissions_paths_figure([(NAME, PLANNED), ("cheaper", cheaper)])
    try:
        dashed = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == 1
        assert np.nan_to_num(dashed[0].get_ydata(), nan=-1).tolist() == [-1, 5000, 0, 0]
    finally:
        plt.close(fig)


def test_names_two_roadmaps_share_are_told_apart():
    heads = Tables(roadmap_section([UNREACHABLE, UNREACHABLE])).heads["roadmap-money"]
    assert heads == ["too fast [1]", "too fast [2]"]


def test_nothing_to_compare_or_too_many_descriptions():
    with pytest.raises(ValueError, match="at least one roadmap"):
        roadmap_section([])
    with pytest.raises(ValueError, match="3 descriptions for 2 roadmaps"):
        roadmap_section([PLANNED, UNREACHABLE], ["a", "b", "c"])


def test_page_has_the_comparison_pages_head_and_fits_in_it():
    page = roadmap_page([PLANNED, UNREACHABLE], "Roadmaps <1>", DESCRIPTIONS, generated=dt.date(2025, 6, 30))
    head = html_page("Roadmaps <1>", "").split("<main>")[0]
    assert page.startswith(head) and "Roadmaps &lt;1&gt;" in head
    assert "2 roadmaps · generated 2025-06-30" in page
    assert page.count('<section id="roadmaps">') == 1 and "<script" not in page.lower()
    no_plan = Entry("single year", {"status": "infeasible", "bau": {"total_annual_cost": 1e6, "net_t": 10.0}})
    both = compare_page([no_plan], more=roadmap_section([PLANNED]))
    assert both.count('<section id="roadmaps">') == 1 and both.index('id="charts"') < both.index('id="roadmaps"')


# --- in the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if (problem := browser.missing()) is not None:
        pytest.fail(problem)
    path: Path = tmp_path_factory.mktemp("roadmaps") / "roadmaps.html"
    path.write_text(roadmap_page([PLANNED, UNREACHABLE], descriptions=DESCRIPTIONS), encoding="utf-8")
    with browser.chromium() as driver:
        driver.get(path.resolve().as_uri())
        yield driver


def test_page_renders_with_its_chart_and_nothing_fetched(rendered):
    assert [e for e in rendered.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
    assert rendered.execute_script("return performance.getEntriesByType('resource').length") == 0
    images = rendered.execute_script("return Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert len(images) == 1 and images[0][0] and images[0][1] > 0
    widths = rendered.execute_script(
        "return Array.from(document.querySelectorAll('#roadmap-builds tbody tr'))"
        ".map(tr => tr.querySelectorAll('td:not(.unit)').length)")
    assert set(widths) == {2}
    align = rendered.execute_script(
        "return getComputedStyle(document.querySelector('#roadmap-outcome td')).textAlign")
    assert align == "left"
