"""The plan as a table a plant engineer reads in the terminal."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from optimizer.model import registry
from optimizer.report.style import money_m, whole
from optimizer.result.plan import Plan
from optimizer.solver.status import Status


def print_plan(plan: Plan, console: Console | None = None) -> None:
    """What to build and buy, what it costs and what it emits, against business as usual."""
    console = console or Console(emoji=False)
    s = plan.summary
    console.print(f"[bold]{escape(plan.inputs.name)}[/bold]: {_status(s)}; model built in "
                  f"{s['build_seconds']:.1f} s, passed to HiGHS in {s['handoff_seconds']:.1f} s, "
                  f"solved by HiGHS in {s['highs_seconds']:.1f} s")
    for warning in s.get("solver_warnings", []):
        console.print(f"[yellow]HiGHS warned: {escape(warning)}[/yellow]")
    if not plan.has_plan:
        for line in s.get("explanation", []):
            console.print(f"  {escape(line)}")
        return
    cur = escape(plan.inputs.currency)
    for line in headline(s, cur):
        console.print(line)
    console.print(decision_table(plan))

    money = Table(show_header=True, header_style="bold")
    money.add_column("")
    money.add_column("plan", justify="right")
    with_target = plan.inputs.max_net_t is not None and s.get("no_target")
    if with_target:
        money.add_column("no target", justify="right")
    money.add_column("business as usual", justify="right")
    bau, free = s.get("bau") or {}, s.get("no_target") or {}
    e, be = s["emissions"], bau.get("emissions") or {}

    def row(label: str, plan_value: str, free_value: str, bau_value: str) -> None:
        money.add_row(label, plan_value, *([free_value] if with_target else []), bau_value)

    row(f"annual cost ({cur})", _m(s["total_annual_cost"]), _m(free.get("total_annual_cost")),
        _m(bau.get("total_annual_cost")))
    row(f"investment ({cur})", _m(s["investment"]["total"]), "", _m(0.0))
    for key, label in (("scope1_t", "scope 1 (t)"), ("scope2_location_t", "scope 2 location (t)"),
                       ("scope2_market_t", "scope 2 market (t)"), ("net_t", "net (t)")):
        row(label, _t(e[key]), _t(free.get(key)) if key in free else "", _t(be[key]) if key in be else "")
    console.print(money)
    en = s.get("energy") or {}
    if "renewable_share_annual" in en:
        console.print(f"Renewable electricity: {en['renewable_share_annual']:.0%} a year (certificates count); "
                      f"{en['renewable_share_hourly']:.0%} of the load met by renewable electricity in the same hour")
    for line in heat_lines(plan):
        console.print(escape(line))
    if s.get("marginal_abatement_cost_per_t") is not None:
        console.print(f"Marginal abatement cost at the target: {s['marginal_abatement_cost_per_t']:,.1f} {cur} "
                      "per tCO2e (what one more tonne below the target would cost)")
    for note in s.get("notes", []):
        console.print(f"[dim]note: {escape(note)}[/dim]")


def heat_lines(plan: Plan, width: int = 80) -> list[str]:
    """The heat in words, when the plan has heat: fuel burnt against business as usual, what is built
    (the heat asset's decisions) and the electricity it takes; then the measures taken, when any are
    offered. Wrapped to `width` columns."""
    s, text = plan.summary, []
    heat = s.get("heat")
    if heat is not None and plan.inputs.heat is not None:
        built = ", ".join(f"{d.label} {whole(heat.get(d.key, s.get(d.key)))} {d.unit}"
                          for d in registry.decisions("decision") if d.key in heat)
        text.append(f"Heat: {whole(heat['boiler_fuel_mwh'])} MWh of {plan.inputs.heat.fuel_name} burnt "
                    f"(business as usual {whole(heat['bau_boiler_fuel_mwh'])} MWh); {built}; electricity for "
                    f"heat {whole((s.get('energy') or {}).get('heat_electricity_mwh'))} MWh")
    if s.get("measure_taken"):
        taken = s.get("measures_taken") or []
        text.append(f"Measures taken: {', '.join(taken)}" if taken
                    else f"Measures taken: none of the {len(s['measure_taken'])} offered")
    return [part for line in text for part in textwrap.wrap(line, width, subsequent_indent="  ",
                                                             break_long_words=False, break_on_hyphens=False)]


def headline(s: dict, cur: str) -> list[str]:
    """What the target costs against the cheapest plan without it, then the savings against
    business as usual: the two comparisons a plant executive asks for first."""
    lines = []
    if s.get("target_cost") is not None and s.get("target_cost") != 0.0:
        per_t = s.get("target_abatement_cost_per_t")
        free = s["no_target"]
        lines.append(f"[bold]The target costs {_m(s['target_cost'])} {cur} a year[/bold] more than the cheapest "
                     f"plan without it (net {_t(free['net_t'])} t)"
                     + (f", {per_t:,.1f} {cur} per tonne it cuts below that plan." if per_t is not None else "."))
    if s.get("savings") is not None:
        per_t = s.get("abatement_cost_per_t")
        lines.append(f"Savings against business as usual: {_m(s['savings'])} {cur} per year; abated "
                     f"{_t(s['abated_t'])} t; abatement cost "
                     + (f"{per_t:,.1f} {cur} per tCO2e" if per_t is not None else "n/a (nothing abated)"))
    if (f := s.get("finance")) and f["investment"] > 0:
        payback, irr = f["simple_payback_years"], f["irr"]
        lines.append(f"Investment {_m(f['investment'])} {cur} saves {_m(f['annual_cash_savings'])} {cur} a year in "
                     "cash against business as usual: payback "
                     + (f"{payback:,.1f} years" if payback is not None else "never")
                     + f"; NPV {_m(f['npv'])} {cur} over {f['horizon_years']} years at {f['discount_rate']:.1%}; IRR "
                     + (f"{irr:.1%}" if irr is not None else "n/a"))
    return lines


def _status(s: dict) -> str:
    """The outcome in words: a plan cut short by the time limit says how far from proven it is."""
    if s["status"] == Status.TIME_LIMIT:
        if s.get("total_annual_cost") is None:
            return "[red]no plan found within the time limit[/red] (raise --time-limit or solver.time_limit_s)"
        gap = s.get("mip_gap")
        return ("[yellow]best plan found within the time limit[/yellow]"
                + (f" (gap {gap:.2%}: the best plan may cost up to that much less)" if gap is not None else ""))
    return s["status"] + (f" (gap {s['mip_gap']:.2%})" if s.get("mip_gap") else "")


def _m(value: float | None) -> str:
    return "" if value is None else f"{money_m(value)} M"


_t = whole  # tonnes, without a stray '-0' from solver round-off


def decision_table(plan: Plan) -> Table:
    """What the plan builds and buys (assets the plant has), then the flows it makes happen."""
    table = Table(show_header=True, header_style="bold")
    table.add_column("decision")
    table.add_column("amount", justify="right")
    s = plan.summary
    present = [a for a in registry.ASSETS if a.present(plan.inputs)]
    for kind in ("decision", "flow"):
        for d in (d for a in present for d in a.decisions if d.kind == kind):
            if d.per_item:
                for item, value in (s.get(d.key) or {}).items():
                    table.add_row(f"{d.label} {escape(str(item))}", f"{whole(value)} {d.unit}")
            elif d.key in s:
                table.add_row(d.label, f"{whole(s[d.key])} {d.unit}")
    return table
