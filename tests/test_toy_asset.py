"""An asset added from the test suite alone appears in the model, the summary, the hourly table,
the printed report and the comparison page: no other file is edited to add it."""

from __future__ import annotations

from typing import Any, ClassVar

import pyomo.environ as pyo
import pytest
from rich.console import Console

from optimizer.model import registry
from optimizer.model.base import NON_NEG, Asset, Decision, EmissionStep, Ledger, Values, declare, value_of
from optimizer.model.build import build_model, structure_key
from optimizer.report.page import Entry, compare_page
from optimizer.report.terminal import print_plan
from optimizer.result.extract import balance_residual_kw
from optimizer.result.figures import emission_steps
from optimizer.result.run import solve_inputs
from tests.cases import plant


class Biogas(Asset):
    """Biogas power bought at a flat price up to a contracted power, counted as zero-emission.

        0 ≤ biogas_t ≤ max_kw,  cost_biogas = Δt · price · Σ_t biogas_t
    """

    name = "biogas"
    cost_labels: ClassVar[dict[str, str]] = {"biogas": "biogas power"}
    decisions = (Decision("biogas_mwh", "biogas power bought", "MWh", "biogas", yearly=True),)
    step = EmissionStep("biogas", "cut", lambda s, f: -s["biogas_mwh"] * f)
    colors: ClassVar[dict[str, str]] = {"biogas power": "#8c564b"}
    supplies = ("biogas_kw",)

    def __init__(self, price_per_kwh: float, max_kw: float):
        self.price_per_kwh, self.max_kw = price_per_kwh, max_kw

    def data(self, inp) -> Values:
        return {"biogas_price_per_kwh": self.price_per_kwh, "biogas_max_kw": self.max_kw}

    def add(self, m: pyo.ConcreteModel, inp, ledger: Ledger) -> None:
        declare(m, self.data(inp))
        m.biogas_kw = pyo.Var(m.T, within=NON_NEG, bounds=(0, m.biogas_max_kw))
        m.cost_biogas = pyo.Expression(expr=m.step_h * m.biogas_price_per_kwh * sum(m.biogas_kw[t] for t in m.T))
        ledger.supply.append(m.biogas_kw)
        ledger.costs.append("cost_biogas")

    def flows(self, m, inp, series) -> dict:
        return {"biogas_kw": inp.on_calendar(series("biogas_kw"))}

    def figures(self, m, inp, hourly) -> dict[str, Any]:
        return {"biogas_mwh": float(hourly["biogas_kw"].sum() * inp.step_h / 1000.0),
                "investment": {"biogas": value_of(m, "biogas_capex")}}


# 24 h at 1,000 kW; the grid costs 0.5 per kWh, biogas 0.3 up to 600 kW: biogas runs flat out.
# Biogas 600 kW × 24 h = 14.4 MWh for 4,320; the grid 400 kW × 24 h = 9.6 MWh for 4,800.
LOAD_KW, GRID_PRICE = 1000.0, 0.5


def test_a_toy_asset_flows_through_model_summary_report_and_page():
    inp = plant([LOAD_KW] * 24, GRID_PRICE, factor_t_per_kwh=0.0005)
    before = len(registry.ASSETS)
    with registry.extended(Biogas(price_per_kwh=0.3, max_kw=600.0)):
        model = build_model(inp)
        assert model.component("biogas_kw") is not None and "cost_biogas" in model.cost_terms
        assert dict(structure_key(inp))["biogas"] is True
        plan = solve_inputs(inp)
        console = Console(record=True, width=120)
        print_plan(plan, console)
        printed = console.export_text()
        page = compare_page([Entry.from_plan(plan)])
        steps = dict(emission_steps(plan.summary))
        residual_kw = balance_residual_kw(plan.hourly).abs().max()
    assert len(registry.ASSETS) == before  # the registry is as it was after the block

    s = plan.summary
    assert s["biogas_mwh"] == pytest.approx(14.4, abs=1e-9)
    assert s["costs"]["biogas"] == pytest.approx(4320.0, abs=1e-6)
    assert s["costs"]["energy"] == pytest.approx(4800.0, abs=1e-6)
    assert s["total_annual_cost"] == pytest.approx(9120.0, abs=1e-6)
    assert s["investment"]["biogas"] == 0.0
    assert plan.hourly["biogas_kw"].to_numpy() == pytest.approx([600.0] * 24)
    assert residual_kw < 1e-9  # the balance of each step counts the new supply
    # Grid emissions fall by 14.4 MWh × 0.5 t/MWh = 7.2 t: the waterfall names the step and adds up to net.
    assert steps["biogas"] == pytest.approx(-7.2, abs=1e-9)
    assert sum(steps.values()) == pytest.approx(s["emissions"]["net_t"], abs=1e-9)
    assert "biogas power bought" in printed and "14 MWh" in printed
    assert 'data-key="biogas_mwh"' in page and "biogas power bought" in page


def test_without_the_toy_asset_nothing_of_it_remains():
    plan = solve_inputs(plant([LOAD_KW] * 24, GRID_PRICE))
    assert "biogas_mwh" not in plan.summary and "biogas" not in plan.summary["costs"]
    assert plan.summary["total_annual_cost"] == pytest.approx(12000.0, abs=1e-6)


def test_the_registry_refuses_a_second_asset_of_a_name_and_an_unknown_place():
    second_pv = type("Pv2", (Biogas,), {"name": "pv"})(0.3, 1.0)
    with pytest.raises(ValueError, match="'pv' is in the registry already"), registry.extended(second_pv):
        pass
    with pytest.raises(ValueError, match="before='wind': no such asset"), registry.extended(Biogas(0.3, 1.0), "wind"):
        pass
    assert registry.is_built_in()


def test_a_sweep_refuses_an_asset_its_workers_would_not_know(tmp_path):
    from pathlib import Path

    from models.errors import InputError
    from models.scenario.sweep import load_sweep
    from optimizer.studies.sweep import run_sweep

    spec = load_sweep(Path(__file__).resolve().parents[1] / "scenarios" / "sweep_pv_capex_certificates.yaml")
    refused = pytest.raises(InputError, match=r"assets of optimizer/model/registry\.py")
    with registry.extended(Biogas(0.3, 1.0)), refused:
        run_sweep(spec, tmp_path / "sweep")
    assert not (tmp_path / "sweep").exists()  # refused before anything is written
