"""A roadmap as a year-by-year table in the terminal: one column per model year, in blocks of years
when they do not all fit the terminal's width (80 columns in a log)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape

from optimizer.formats import count, money_m, whole
from optimizer.report.terminal import Column, print_tables
from optimizer.result.roadmap import RoadmapPlan
from optimizer.solver.status import Status


def print_roadmap(plan: RoadmapPlan, console: Console | None = None) -> None:
    """Status and present value, then what is built, bought and emitted each model year."""
    console = console or Console(emoji=False)
    s = plan.summary
    cur = escape(s["currency"])
    console.print(f"[bold]{escape(s['name'])}[/bold]: {s['status']}; {count(len(s['years']), 'model year')} "
                  f"{s['years'][0]['year']}–{s['years'][-1]['year']}, counted to {s['end_year']}; model built in "
                  f"{s['build_seconds']:.1f} s, solved in {s['solve_seconds']:.1f} s")
    for warning in s.get("solver_warnings", []):
        console.print(f"[yellow]HiGHS warned: {escape(warning)}[/yellow]")
    console.print(f"Base year {s['base_year']}: business-as-usual net emissions {whole(s['base_emissions_t'])} t")
    if s["status"] != Status.OPTIMAL or s.get("npv") is None:
        for line in s.get("explanation", []):
            console.print(f"  {escape(line)}")
        return
    console.print(f"[bold]Present value of the roadmap: {money_m(s['npv'])} M {cur}[/bold] at "
                  f"{s['discount_rate']:.1%} (business as usual {money_m(s['bau_npv'])} M; saves "
                  f"{money_m(s['npv_savings'])} M)")
    print_tables(console, year_columns(s, s["currency"]))
    taken = [f"{name} ({y['year']})" for y in s["years"] for name in y.get("measures_added", [])]
    if taken:
        console.print(f"Measures taken: {escape(', '.join(taken))}")
    for note in s.get("notes", []):
        console.print(f"[dim]note: {escape(note)}[/dim]")


def year_columns(s: dict[str, Any], cur: str) -> list[Column]:
    """The figures' labels, then one column per model year."""
    years = s["years"]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, value: Callable[[dict[str, Any]], str]) -> None:
        rows.append((label, [value(y) for y in years]))

    row("target net (t)", lambda y: "" if y["target_t"] is None else whole(y["target_t"]))
    row("net (t)", lambda y: whole(y["emissions"]["net_t"]))
    row("scope 2 market (t)", lambda y: whole(y["emissions"]["scope2_market_t"]))
    row("PV built (kWp)", lambda y: whole(sum(y["pv_kw_added"].values())))
    row("PV in service (kWp)", lambda y: whole(sum(y["pv_kw"].values())))
    row("battery built (kWh)", lambda y: whole(y["storage_kwh_added"]))
    row("battery (kWh)", lambda y: whole(y["storage_kwh"]))
    row("battery (kW)", lambda y: whole(y["storage_kw"]))
    if "boiler_fuel_mwh" in years[0]:
        row("boiler fuel (MWh)", lambda y: whole(y["boiler_fuel_mwh"]))
        for size, label in (("heat_pump_kw_th", "heat pump"), ("electric_heater_kw_th", "electric heater"),
                            ("thermal_storage_kwh_th", "thermal store")):
            if f"{size}_added" in years[0]:
                unit = "kWh" if size.endswith("kwh_th") else "kW"
                row(f"{label} built ({unit} heat)", lambda y, size=size: whole(y[f"{size}_added"]))
    if "measures_added" in years[0]:
        row("measures taken", lambda y: whole(len(y["measures_added"])))
    row("green power (MWh)", lambda y: whole(y["green_power_mwh"]))
    row("certificates (MWh)", lambda y: whole(y["certificates_mwh"]))
    row("credits (t)", lambda y: whole(y["credits_t"]))
    row(f"investment (M {cur})", lambda y: money_m(y["investment"]["total"]))
    row(f"running cost (M {cur}/yr)", lambda y: money_m(y["total_annual_cost"]))
    row(f"savings vs BAU (M {cur}/yr)", lambda y: money_m(y["savings"]))
    headers = [f"{y['year']}" + (f"\n–{y['stands_for'][1]}" if y["stands_for"][1] != y["stands_for"][0] else "")
               for y in years]
    return [Column("", [label for label, _ in rows], "left", text=True),
            *(Column(header, [values[i] for _, values in rows]) for i, header in enumerate(headers))]
