"""Every table zcf prints fits 80 columns (a log, CI: stdout is no terminal), cuts nothing with '…',
and shows every figure of its data: the plan's tables, a roadmap's years (in blocks when many), a
sweep's points, a frontier and the progress bar, with long Chinese names among them."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.formats import money_m, whole
from optimizer.report.progress import sweep_progress
from optimizer.report.roadmap_terminal import print_roadmap, year_columns
from optimizer.report.study_tables import print_frontier, print_points
from optimizer.report.terminal import (
    ROW,
    Column,
    decision_columns,
    fitted_tables,
    money_columns,
    print_plan,
    print_tables,
    wrap,
)

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 80
ROOF = "涂装车间东区屋顶光伏阵列" * 5  # 60 characters, 120 cells
ASCII_ROOF = "hall_with_a_very_long_name_that_has_no_space_anywhere_in_it_at_all_for_sure"
NAME = "佛山汽车涂装与总装工厂零碳方案（含屋顶光伏、储能、绿电、绿证与碳信用）"


def printed(draw: Callable[[Console], None]) -> str:
    """What `draw` prints on an 80-column console that is not a terminal."""
    console = Console(width=WIDTH, record=True, emoji=False, file=io.StringIO())
    draw(console)
    return console.export_text()


def assert_fits(text: str) -> None:
    lines = text.splitlines()
    assert lines
    assert max(cell_len(line) for line in lines) <= WIDTH, max(lines, key=cell_len)
    assert "…" not in text


def _flat(text: str) -> str:
    return "".join(text.split())


def first_column(text: str, index: int = 1) -> str:
    """The text of a column of the printed tables, its lines one after the other (a wrapped name whole)."""
    return "".join(line.split("│")[index] for line in text.splitlines() if line.startswith("│"))


def parsed(text: str) -> dict[str, list[str]]:
    """The cells of the printed tables by header (header lines joined, spaces dropped), blocks in order;
    a column repeated in every block (the key) is read once, and must read the same in each."""
    found: dict[str, list[str]] = {}
    header: list[list[str]] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("┏"):
            header, rows = [], []
        elif line.startswith("┃"):
            header.append([c.strip() for c in line.strip().strip("┃").split("┃")])
        elif line.startswith("│"):
            rows.append([c.strip() for c in line.strip().strip("│").split("│")])
        elif line.startswith("└"):
            for i, title in enumerate("".join(part[i] for part in header) for i in range(len(header[0]))):
                cells = [r[i] for r in rows]
                assert found.setdefault(_flat(title), cells) == cells, title
    return found


def expected(columns: Sequence[Column]) -> dict[str, list[str]]:
    return {_flat(c.header): list(c.cells) for c in columns}


# --- the plan ------------------------------------------------------------------------------------

OVERRIDES = {"name": NAME, "time": {"aggregation": "typical_days", "days": 2},  # two typical days: quick
             "pv": {"arrays": [{"name": ROOF, "area_m2": 20000, "tilt_deg": 5},
                               {"name": ASCII_ROOF, "area_m2": 5000, "tilt_deg": 5}]}}


@pytest.fixture(scope="module")
def plan():
    from optimizer import api

    return api.solve(ROOT / "scenarios" / "small_plant.yaml", overrides=OVERRIDES)


def test_the_plan_fits_with_long_chinese_names_wrapped(plan):
    text = printed(lambda console: print_plan(plan, console))
    assert_fits(text)
    for roof in (ROOF, ASCII_ROOF):
        assert _flat(f"PV on {roof}") in _flat(first_column(text))
    amounts = first_column(text, 2)
    for cell in decision_columns(plan)[1].cells:
        assert _flat(cell) in _flat(amounts)
    money = money_columns(plan)
    assert [c.header for c in money] == ["", "plan", "no target", "business as usual"]
    table = parsed(text)
    for column in money[1:]:
        assert table[_flat(column.header)] == list(column.cells)
    assert _flat(NAME) in _flat(text)


def test_the_command_piped_to_a_file_fits_80_columns(tmp_path):
    scenario = tmp_path / "long.yaml"
    scenario.write_text(json.dumps({"extends": str(ROOT / "scenarios" / "small_plant.yaml"), **OVERRIDES}),
                        encoding="utf-8")
    command = ["solve", str(scenario), "--out", str(tmp_path / "out")]
    done = CliRunner().invoke(app, command, env={"COLUMNS": str(WIDTH)})
    assert done.exit_code == 0, done.output
    assert_fits(done.stdout)
    assert "decision" in done.stdout and "business as usual" in done.stdout
    assert _flat(f"PV on {ROOF}") in _flat(first_column(done.stdout))


# --- a roadmap -----------------------------------------------------------------------------------

def _year(n: int, year: int, last: int) -> dict:
    scale = 1 + n / 7
    return {"year": year, "stands_for": [year, last], "target_t": None if n % 3 else 69_944.0 / scale,
            "emissions": {"net_t": 99_920.0 / scale, "scope2_market_t": 88_853.0 / scale},
            "pv_kw_added": {ROOF: 20_425.0 if n == 0 else 0.0}, "pv_kw": {ROOF: 20_425.0},
            "storage_kwh_added": 40_000.0 * (n == 0), "storage_kwh": 40_000.0, "storage_kw": 13_114.0 + n,
            "boiler_fuel_mwh": 5_402.0 - n, "heat_pump_kw_th_added": 4_908.0 * (n == 1),
            "electric_heater_kw_th_added": 274.0 + n, "thermal_storage_kwh_th_added": 1_516.0 * n,
            "measures_added": ["led_lighting"] if n == 0 else [], "green_power_mwh": 34_902.0 + 1_000 * n,
            "certificates_mwh": 122_418.0 + n, "credits_t": 822.0 * n, "investment": {"total": 144.57e6 / scale},
            "total_annual_cost": 1_250.8e6 + 1e6 * n, "savings": -58.18e6 + 3e6 * n}


def roadmap_summary(count: int) -> dict:
    years = [2026 + 2 * n for n in range(count)]
    return {"name": NAME, "status": "optimal", "currency": "CNY", "base_year": 2025, "base_emissions_t": 99_920.0,
            "end_year": 2060, "build_seconds": 1.9, "solve_seconds": 4.6, "npv": 1_643.87e6, "bau_npv": 2_148.08e6,
            "npv_savings": 504.21e6, "discount_rate": 0.06, "notes": [],
            "years": [_year(n, y, [*years, 2061][n + 1] - 1) for n, y in enumerate(years)]}


@pytest.mark.parametrize("count", [1, 4, 5, 8, 13])
def test_every_year_of_a_roadmap_shows_within_80_columns(count):
    s = roadmap_summary(count)
    text = printed(lambda console: print_roadmap(SimpleNamespace(summary=s), console))
    assert_fits(text)
    columns = year_columns(s, "CNY")
    assert len(columns) == count + 1
    assert parsed(text) == expected(columns)
    assert "1,250.80" in text and "122,418" in text and "-58.18" in text


def test_four_years_stay_one_table_and_eight_come_in_two_blocks():
    for count, blocks in ((4, 1), (8, 2)):
        text = printed(lambda console, count=count: print_tables(console, year_columns(roadmap_summary(count), "CNY")))
        assert text.count("┏") == blocks


# --- sweeps and frontiers ------------------------------------------------------------------------

def test_the_points_of_a_sweep_with_long_parameters_fit():
    parameters = ("pv.capex_per_kw", "certificates.price_per_mwh", f"pv.arrays[{ROOF}].area_m2")
    grid = [(c, p, a) for c in (2400.0, 3600.0) for p in (1.0, 5.15) for a in (10_000, 20_000)]
    table = pd.DataFrame(grid, columns=list(parameters))
    table["status"] = ["optimal"] * 7 + ["time_limit"]
    table["total_annual_cost"] = np.linspace(106.91e6, 1_170.3e6, 8)
    for k, key in enumerate(("pv_total_kw", "storage_kwh", "storage_kw", "green_power_mwh", "heat_pump_kw_th",
                             "electric_heater_kw_th", "thermal_storage_kwh_th", "certificates_mwh", "credits_t")):
        table[key] = np.arange(8) * 12_345.0 + k
    text = printed(lambda console: print_points(table, parameters, console, "CNY"))
    assert_fits(text)
    found = parsed(text)
    assert found[_flat(parameters[2])] == ["10000", "20000"] * 4  # whole numbers as given
    assert found["pv.capex_per_kw"] == ["2,400"] * 4 + ["3,600"] * 4
    assert found["certificates.price_per_mwh"] == ["1", "1", "5.15", "5.15"] * 2
    assert found["status"] == list(table["status"])
    assert found[_flat("annual cost (M CNY)")] == [money_m(v) for v in table["total_annual_cost"]]
    assert found[_flat("certificates (MWh)")] == [whole(v) for v in table["certificates_mwh"]]
    assert len(found) == 3 + 1 + 1 + 9


def test_the_frontier_fits_and_drops_only_empty_columns():
    points = pd.DataFrame({"net_t": [4_966.0, 2_100.0, 0.0], "total_annual_cost": [6.64e6, 6.65e6, 1_106.69e6],
                           "marginal_abatement_cost_per_t": [np.nan, 9.4, 1_071.0],
                           "pv_total_kw": [2_375.0] * 3, "storage_kwh": [0.0, 40_000.0, 140_000.0],
                           "storage_kw": [0.0, 13_114.0, 45_000.0], "green_power_mwh": [1_256.0, 1_430.0, 1_430.0],
                           "heat_pump_kw_th": [np.nan] * 3, "certificates_mwh": [0.0, 1_692.0, 122_418.0],
                           "credits_t": [0.0, 0.0, 404.0]})
    entry = pd.DataFrame({"measure": ["rooftop PV", "carbon credits"], "in_cheapest_plan": [True, False],
                          "cut_in_cheapest_plan_t": [1_100.0, np.nan], "enters_at_abated_t": [0.0, 4_966.0]})
    front = SimpleNamespace(name=NAME, currency="CNY", bau_t=4_966.0, bau_cost=8.29e6, points=points, entry=entry,
                            unreachable=[])
    text = printed(lambda console: print_frontier(front, console))
    assert_fits(text)
    found = parsed(text)
    assert found[_flat("net (ktCO2e)")] == ["5.0", "2.1", "0.0"]
    assert found[_flat("cost (M CNY)")] == ["6.64", "6.65", "1,106.69"]
    assert found[_flat("marginal (CNY/t)")] == ["", "9", "1,071"]
    assert found[_flat("certificates (MWh)")] == ["0", "1,692", "122,418"]
    assert found[_flat("battery power (kW)")] == ["0", "13,114", "45,000"]
    assert _flat("heat pump (kW heat)") not in found  # nothing to show
    assert _flat(NAME) in _flat(text)


def test_the_progress_bar_keeps_its_figures_and_wraps_a_long_name():
    def draw(console: Console) -> None:
        with sweep_progress(12_000, NAME * 2, console) as done:
            for _ in range(12_000):
                done({"status": "error"})

    text = printed(draw)
    assert_fits(text)
    assert _flat(NAME * 2) in _flat(text)
    assert "12000/12000" in text and "failed 12000" in text and "s/point" in text and "left" in text


# --- the layout ----------------------------------------------------------------------------------

def test_columns_that_leave_no_room_beside_them_number_the_rows_instead():
    columns = [Column(f"a parameter with a long name number {i}", [f"{i * 1_000_003:,}", "7"]) for i in range(9)]
    tables = fitted_tables(Console(width=WIDTH, file=io.StringIO()), columns, key=6)
    text = printed(lambda console: [console.print(t) for t in tables])
    assert_fits(text)
    assert parsed(text) == {ROW: ["1", "2"], **expected(columns)}


def test_headers_wrap_by_cells_and_fold_long_words():
    assert wrap("business as usual", 12) == "business as\nusual"
    assert all(cell_len(line) <= 10 for line in wrap(ROOF, 10).split("\n"))
    assert wrap(ROOF, 10).replace("\n", "") == ROOF
    assert wrap(f"pv.arrays[{ROOF}].area_m2", 12).replace("\n", "") == f"pv.arrays[{ROOF}].area_m2"
