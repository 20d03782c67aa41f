"""plan.xlsx: the summary with units, costs and emissions beside business as usual, and the hourly
flows with real local date-times, read back; written whole or not at all."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import openpyxl
import pandas as pd
import pytest

from optimizer.report import excel, files
from optimizer.result.run import solve_inputs
from tests.cases import busy_week


@pytest.fixture(scope="module")
def plan():
    return solve_inputs(busy_week())


@pytest.fixture(scope="module")
def book(plan, tmp_path_factory):
    out = tmp_path_factory.mktemp("excel")
    with mock.patch.object(files, "write_charts", lambda plan, out: []):  # a week: no year-long charts
        paths = files.write_plan(plan, out, excel=True)
    assert out / "plan.xlsx" in paths
    return out


def test_the_hourly_sheet_holds_local_date_times_and_the_flows(plan, book):
    sheet = openpyxl.load_workbook(book / "plan.xlsx", read_only=True)["hourly"]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    assert header[0].startswith("time (") and list(header[1:]) == list(plan.hourly.columns)
    first = next(rows)
    assert isinstance(first[0], dt.datetime) and first[0].tzinfo is None
    assert first[0] == plan.hourly.index[0].tz_localize(None).to_pydatetime()  # the plant's clock, not UTC
    flows = pd.read_excel(book / "plan.xlsx", sheet_name="hourly", index_col=0)
    assert len(flows) == len(plan.hourly)
    for column in ("grid_import_kw", "load_kw", "pv_out_kw"):
        assert flows[column].to_numpy() == pytest.approx(plan.hourly[column].to_numpy(), rel=1e-12, abs=1e-9)


def test_the_summary_sheet_gives_each_figure_its_unit(plan, book):
    figures = pd.read_excel(book / "plan.xlsx", sheet_name="summary").set_index("figure")
    s = plan.summary
    assert figures.loc["total_annual_cost", "value"] == pytest.approx(s["total_annual_cost"], rel=1e-12)
    assert figures.loc["total_annual_cost", "unit"] == "CNY/yr"
    assert figures.loc["emissions.net_t", "unit"] == "tCO2e"
    assert figures.loc["storage_kwh", "unit"] == "kWh" and figures.loc["storage_kw", "unit"] == "kW"
    assert figures.loc["status", "value"] == "optimal"


def test_costs_and_emissions_sit_beside_business_as_usual(plan, book):
    costs = pd.read_excel(book / "plan.xlsx", sheet_name="costs").set_index("item")
    s = plan.summary
    assert costs["plan (CNY/yr)"].sum() == pytest.approx(s["total_annual_cost"], rel=1e-9)
    assert costs["business as usual (CNY/yr)"].sum() == pytest.approx(s["bau"]["total_annual_cost"], rel=1e-9)
    emissions = pd.read_excel(book / "plan.xlsx", sheet_name="emissions").set_index("figure")
    assert emissions.loc["net_t", "plan (tCO2e/yr)"] == pytest.approx(s["emissions"]["net_t"], abs=1e-6)
    assert emissions.loc["net_t", "business as usual (tCO2e/yr)"] == pytest.approx(s["bau"]["net_t"], rel=1e-9)


def test_a_failed_write_leaves_no_workbook_and_no_temporary_file(plan, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        excel.write_workbook(tmp_path / "plan.xlsx", excel.plan_sheets(plan))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "unit"), [
    ("pv_kw.roof", "kW"), ("heat.thermal_storage_kwh_th", "kWh heat"), ("energy.green_power_used_mwh", "MWh"),
    ("abatement_cost_per_t", "CNY/tCO2e"), ("finance.npv", "CNY"), ("costs.energy", "CNY/yr"),
    ("finance.irr", "share"), ("heat.demands.paint_ovens.boiler_mwh", "MWh"), ("status", "")])
def test_units_follow_the_names(name, unit):
    assert excel.unit_of(name, "CNY") == unit
