"""One self-contained HTML page comparing scenarios side by side, one column per scenario.

The page builder takes `Entry` objects (a name, a description, a currency and a summary dict), so
it can be fed from freshly solved plans, from saved summary.json files or from sweep results.
Every text that comes from a scenario is escaped; charts are embedded as base64 PNG, so the page
needs nothing but itself.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from optimizer.formats import tenths
from optimizer.model import registry
from optimizer.model.base import Decision
from optimizer.report import page_charts as charts
from optimizer.report.style import DASH, figure, money_m, percent, whole
from optimizer.result.figures import bau_emissions_t, has_plan, missed_by_t, no_plan_reason
from optimizer.result.plan import Plan
from optimizer.solver.status import Status

DEFAULT_TITLE = "Decarbonization strategies compared"


@dataclass(frozen=True)
class Entry:
    """One scenario's column: its words, its currency and its summary (as summary.json holds it)."""

    name: str
    summary: Mapping[str, Any]
    description: str = ""
    currency: str = "CNY"

    @classmethod
    def from_plan(cls, plan: Plan, description: str = "") -> Entry:
        """The column of a solved (or unsolvable) plan."""
        return cls(plan.inputs.name, plan.summary, description, plan.inputs.currency)

    @property
    def has_plan(self) -> bool:
        return has_plan(self.summary)


# --- the tables --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A table row: `value` reads a figure from an entry; `plan_only` rows need a plan."""

    key: str
    label: str
    unit: str
    value: Callable[[Entry], str]
    plan_only: bool = True
    strong: bool = False


def _get(*path: str) -> Callable[[Mapping[str, Any]], Any]:
    def read(summary: Mapping[str, Any]) -> Any:
        node: Any = summary
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        return node
    return read


def _rows_built(entries: Sequence[Entry]) -> list[Row]:
    """What each asset of the registry builds and buys; a per-item figure (PV per roof) one row per item.
    A figure no plan of the page has (a heat pump where no scenario has heat) is left out."""
    rows = []
    for d in registry.decisions("decision"):
        unit = f"{d.unit}/yr" if d.yearly else d.unit
        if d.per_item:
            items = list(dict.fromkeys(i for e in entries for i in (e.summary.get(d.key) or {})))
            rows += [Row(f"{d.key}:{i}", f"{d.label} {i}", unit, lambda e, d=d, i=i: _item(e, d, i)) for i in items]
        elif _shown(entries, d.key):
            rows.append(Row(d.key, d.label, unit, lambda e, d=d: whole(e.summary.get(d.key)),
                            strong=d.strong))
    if any(e.summary.get("measure_taken") for e in entries):
        rows.append(Row("measures_taken", "efficiency measures taken", "names", _measures_taken))
    return rows


def _shown(entries: Sequence[Entry], key: str) -> bool:
    """Whether a figure has a row: some plan has it (every row when no scenario has a plan)."""
    plans = [e for e in entries if e.has_plan]
    return not plans or any(key in e.summary for e in plans)


def _measures_taken(entry: Entry) -> str:
    offered = entry.summary.get("measure_taken")
    if not offered:
        return DASH
    return ", ".join(entry.summary.get("measures_taken") or []) or "none"


def _item(entry: Entry, decision: Decision, item: str) -> str:
    values = entry.summary.get(decision.key) or {}
    return whole(values[item]) if item in values else decision.absent


def _rows_money(unit_m: str, unit_per_t: str) -> list[Row]:
    return [
        Row("target_cost", "cost of the target (plan − cheapest plan without it)", f"{unit_m}/yr",
            lambda e: money_m(e.summary.get("target_cost")), strong=True),
        Row("savings", "savings against business as usual (+ = plan is cheaper)", f"{unit_m}/yr",
            lambda e: money_m(e.summary.get("savings")), strong=True),
        Row("target_abatement_cost_per_t", "cost of the target per tonne cut below the plan without it",
            unit_per_t, lambda e: whole(e.summary.get("target_abatement_cost_per_t"))),
        Row("investment", "up-front investment (what is built)", unit_m,
            lambda e: money_m(_get("investment", "total")(e.summary))),
        Row("total_annual_cost", "annual cost, plan", f"{unit_m}/yr",
            lambda e: money_m(e.summary.get("total_annual_cost")), strong=True),
        Row("no_target_annual_cost", "annual cost, cheapest plan without the target", f"{unit_m}/yr",
            lambda e: money_m(_get("no_target", "total_annual_cost")(e.summary))),
        Row("bau_annual_cost", "annual cost, business as usual", f"{unit_m}/yr",
            lambda e: money_m(_get("bau", "total_annual_cost")(e.summary)), plan_only=False),
        Row("abatement_cost_per_t", "abatement cost against business as usual (negative = saves money)",
            unit_per_t, lambda e: whole(e.summary.get("abatement_cost_per_t"))),
        Row("annual_cash_savings", "cash saved a year against business as usual (before paying for what is built)",
            f"{unit_m}/yr", lambda e: money_m(_get("finance", "annual_cash_savings")(e.summary))),
        Row("simple_payback_years", "simple payback", "years",
            lambda e: tenths(_get("finance", "simple_payback_years")(e.summary))),
        Row("npv", "net present value against business as usual, over the longest asset life", unit_m,
            lambda e: money_m(_get("finance", "npv")(e.summary))),
        Row("irr", "internal rate of return of the investment", "%",
            lambda e: tenths(None if (irr := _get("finance", "irr")(e.summary)) is None else 100 * irr)),
    ]


def _rows_emissions(entries: Sequence[Entry]) -> list[Row]:
    """Emissions by scope; with a target out of reach, how far the lowest-emission plan misses it."""
    em = "emissions"
    missed = [Row("target_missed_by_t", "target missed by (the lowest-emission plan's net − the target)",
                  "tCO2e/yr", lambda e: whole(missed_by_t(e.summary)), strong=True)]
    return (missed if any(missed_by_t(e.summary) is not None for e in entries) else []) + [
        Row("bau_t", "business as usual (scope 1 + 2)", "tCO2e/yr", lambda e: whole(bau_emissions_t(e.summary)),
            plan_only=False),
        Row("scope1_t", "scope 1, fuels burnt on site", "tCO2e/yr", lambda e: whole(_get(em, "scope1_t")(e.summary))),
        Row("scope2_location_t", "scope 2, location-based (all electricity through the grid)", "tCO2e/yr",
            lambda e: whole(_get(em, "scope2_location_t")(e.summary))),
        Row("scope2_market_t", "scope 2, market-based (after green power and certificates)", "tCO2e/yr",
            lambda e: whole(_get(em, "scope2_market_t")(e.summary))),
        Row("credits_offset_t", "less carbon credits", "tCO2e/yr",
            lambda e: whole(-(_get(em, "credits_t")(e.summary) or 0.0))),
        Row("net_t", "net emissions (scope 1 + scope 2 market − credits)", "tCO2e/yr",
            lambda e: whole(_get(em, "net_t")(e.summary)), strong=True),
        Row("no_target_net_t", "net emissions, cheapest plan without the target", "tCO2e/yr",
            lambda e: whole(_get("no_target", "net_t")(e.summary))),
        Row("abated_t", "abated against business as usual", "tCO2e/yr", lambda e: whole(e.summary.get("abated_t"))),
    ]


def _rows_energy() -> list[Row]:
    en = "energy"
    return [
        Row("renewable_share_annual", "renewable share, annual (certificates count)", "%",
            lambda e: percent(_annual_share(e.summary)), strong=True),
        Row("renewable_share_hourly", "renewable share, matched hour by hour (24/7)", "%",
            lambda e: percent(_get(en, "renewable_share_hourly")(e.summary)), strong=True),
        Row("load_mwh", "electricity used", "MWh/yr", lambda e: whole(_get(en, "load_mwh")(e.summary))),
        Row("pv_generation_mwh", "PV generation", "MWh/yr", lambda e: whole(_get(en, "pv_generation_mwh")(e.summary))),
        Row("grid_import_mwh", "bought from the grid", "MWh/yr", lambda e: whole(e.summary.get("grid_import_mwh"))),
    ]


def _rows_heat(entries: Sequence[Entry]) -> list[Row]:
    """The heat: fuel the boiler burns (the heat asset's flows), against business as usual, the
    electricity for heat and what the measures save; then the heat from each source."""
    heat, en, saved = "heat", "energy", "measures"
    rows = [Row(d.key, d.label, f"{d.unit}/yr" if d.yearly else d.unit,
                lambda e, d=d: whole(_get(heat, d.key)(e.summary)), strong=True)
            for d in registry.decisions("flow") if any(d.key in (e.summary.get(heat) or {}) for e in entries)]
    rows += [
        Row("bau_boiler_fuel_mwh", "fuel burnt by the boiler, business as usual", "MWh/yr",
            lambda e: whole(_get(heat, "bau_boiler_fuel_mwh")(e.summary))),
        Row("heat_electricity_mwh", "electricity for heat, on top of the electricity used", "MWh/yr",
            lambda e: whole(_get(en, "heat_electricity_mwh")(e.summary))),
    ]
    if any(e.summary.get(saved) for e in entries):
        rows.append(Row("heat_saved_mwh", "heat saved by efficiency measures", "MWh/yr",
                        lambda e: whole(_get(saved, "heat_saved_mwh")(e.summary))))
    sources = list(dict.fromkeys(k for e in entries for d in (_get(heat, "demands")(e.summary) or {}).values()
                                 for k in d))
    rows += [Row(f"heat_from:{k}", f"heat from the {k.removesuffix('_mwh').replace('_', ' ')}", "MWh/yr",
                 lambda e, k=k: _heat_from(e, k)) for k in sources]
    return rows


def _heat_from(entry: Entry, key: str) -> str:
    demands = _get("heat", "demands")(entry.summary)
    return DASH if demands is None else whole(sum(d.get(key, 0.0) for d in demands.values()))


def _annual_share(summary: Mapping[str, Any]) -> float | None:
    """The annual renewable share, also of a summary saved before the hourly one existed."""
    energy = summary.get("energy") or {}
    return energy.get("renewable_share_annual", energy.get("renewable_share"))


def compare_table(table_id: str, caption: str, rows: Sequence[Row], entries: Sequence[Entry]) -> str:
    head = "".join(f'<th scope="col">{escape(e.name)}</th>' for e in entries)
    body = []
    for row in rows:
        cells = []
        for e in entries:
            if row.plan_only and not e.has_plan:
                cells.append('<td class="noplan">no plan</td>')
            else:
                cells.append(f"<td>{escape(row.value(e))}</td>")
        css = ' class="strong"' if row.strong else ""
        body.append(f'<tr data-key="{escape(row.key)}"{css}><th scope="row">{escape(row.label)}</th>'
                    f'<td class="unit">{escape(row.unit)}</td>{"".join(cells)}</tr>')
    return (f'<table id="{table_id}" class="compare"><caption>{escape(caption)}</caption>'
            f'<thead><tr><th scope="col"></th><th scope="col" class="unit">unit</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _scenarios_table(entries: Sequence[Entry]) -> str:
    return words_table("scenarios", "Scenarios", [(e.name, e.description, _outcome(e)) for e in entries])


def words_table(table_id: str, caption: str, columns: Sequence[tuple[str, str, str]]) -> str:
    """What each column assumes and finds, in words: (name, description, outcome as HTML) per column."""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name, _, _ in columns)
    descriptions = "".join(f"<td>{escape(text.strip()) or DASH}</td>" for _, text, _ in columns)
    outcomes = "".join(f"<td>{outcome}</td>" for _, _, outcome in columns)
    return (f'<table id="{table_id}" class="compare words"><caption>{escape(caption)}</caption>'
            f'<thead><tr><th scope="col" colspan="2"></th>{head}</tr></thead><tbody>'
            f'<tr data-key="description"><th scope="row" colspan="2">what it assumes</th>{descriptions}</tr>'
            f'<tr data-key="outcome"><th scope="row" colspan="2">outcome</th>{outcomes}</tr></tbody></table>')


def _outcome(entry: Entry) -> str:
    """Status in words; without a plan, the explanation's first line (the rest follows the table)."""
    s = entry.summary
    status = s.get("status", "unknown")
    notes = "".join(f'<li class="note">{escape(str(n))}</li>' for n in s.get("notes") or [])
    lines = [str(line) for line in s.get("explanation") or []]
    first = f'<p class="why">{escape(lines[0])}</p>' if lines else ""
    more = '<p class="note">Why: see below the table.</p>' if len(lines) > 1 else ""
    if (missed_t := missed_by_t(s)) is not None:
        words = (f"target missed by {figure(missed_t)} tCO2e/yr: the figures are the lowest-emission plan, "
                 "the best the plant can do")
        return f'<p class="bad missed">{escape(words)}</p>{first}{more}' + (f"<ul>{notes}</ul>" if notes else "")
    if entry.has_plan:
        words = "plan found: the target is met at least cost"
        if status == Status.TIME_LIMIT:
            gap = s.get("mip_gap")
            words = "plan found, stopped at the time limit" + (f" (within {gap:.1%} of the best)" if gap else "")
        return f'<p class="ok">{escape(words)}</p>' + (f"<ul>{notes}</ul>" if notes else "")
    words = f"no plan: {no_plan_reason(s)}"
    return f'<p class="bad">{escape(words)}</p>{first}{more}' + (f"<ul>{notes}</ul>" if notes else "")


def _why_no_plan(entries: Sequence[Entry]) -> str:
    """For each scenario without a plan, every line of its explanation, full width."""
    blocks = []
    for e in entries:
        lines = e.summary.get("explanation") or []
        missed = missed_by_t(e.summary) is not None
        if (missed or not e.has_plan) and len(lines) > 1:
            items = "".join(f"<li>{escape(str(line))}</li>" for line in lines)
            why = "why the target is out of reach" if missed else "why there is no plan"
            blocks.append(f'<div class="why-block"><h3>{escape(e.name)}: {why}</h3>'
                          f"<ul>{items}</ul></div>")
    return f'<section id="no-plan">{"".join(blocks)}</section>' if blocks else ""


# --- the page ----------------------------------------------------------------------------------

def currency_units(entries: Sequence[Entry]) -> tuple[str, str, str]:
    """(currency, unit of millions, unit per tonne); mixed currencies are named as such."""
    currencies = list(dict.fromkeys(e.currency for e in entries))
    currency = currencies[0] if len(currencies) == 1 else " / ".join(currencies)
    return currency, f"M {currency}", f"{currency}/tCO2e"


def image(png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _charts(entries: Sequence[Entry], currency: str) -> str:
    columns = [(e.name + (" (target missed)" if missed_by_t(e.summary) is not None else ""), e.summary)
               for e in entries]
    return "".join([
        image(charts.drawn(charts.annual_costs, columns, currency), "annual cost per scenario",
               f"Annual cost per scenario in M {currency} per year, stacked by item; the dashed line is "
               "what the plant pays in business as usual. Negative (hatched) items are revenue."),
        image(charts.drawn(charts.emission_paths, columns), "emissions from business as usual to net",
               "From business-as-usual emissions to net, in ktCO2e per year: each bar is one measure's cut "
               "(green) or addition (red); the blue bar is what remains."),
        image(charts.drawn(charts.measure_mix, columns), "mix of measures",
               "Share of each measure in the tonnes of CO2e a scenario cuts or offsets; the total, at the right, "
               "exceeds business-as-usual emissions by what the battery's losses add."),
    ])


def compare_page(entries: Sequence[Entry], title: str = DEFAULT_TITLE, generated: dt.date | None = None,
                 more: str = "") -> str:
    """The whole comparison as one HTML document: tables per topic, then the charts, then `more`
    (an HTML section, such as `roadmap_page.roadmap_section`'s)."""
    if not entries:
        raise ValueError("a comparison needs at least one scenario")
    generated = generated or dt.date.today()
    currency, unit_m, unit_per_t = currency_units(entries)
    tables = [
        _scenarios_table(entries),
        _why_no_plan(entries),
        compare_table("money", f"What it costs ({currency})", _rows_money(unit_m, unit_per_t), entries),
        compare_table("built", "What gets built and bought", _rows_built(entries), entries),
        compare_table("emissions", "Emissions by scope (tCO2e per year)", _rows_emissions(entries),
                      entries),
        compare_table("energy", "Electricity", _rows_energy(), entries),
    ]
    with_heat = any(e.summary.get("heat") for e in entries)
    if with_heat:
        tables.append(compare_table("heat", "Heat (MWh per year)", _rows_heat(entries), entries))
    bau = "buying all its electricity from the grid" + (" and meeting its heat with its boiler" if with_heat else "")
    return html_page(title, f"""<header><h1>{escape(title)}</h1>
<p class="meta">{len(entries)} scenario{"s" if len(entries) > 1 else ""} · generated {generated.isoformat()} by zcf</p>
<p class="howto"><strong>How to read this:</strong> each column is one strategy for the same goal, found at
least cost by zcf's optimizer over an hourly year. Costs are per year, investments annualised over their
lifetime; "business as usual" is the same plant {bau}. Money is in millions ({escape(unit_m)}), emissions
in tonnes of CO2 equivalent per year (tCO2e/yr).</p></header>
{"".join(tables)}
<section id="charts"><h2>Charts</h2>{_charts(entries, currency)}</section>{more}""")


def html_page(title: str, body: str) -> str:
    """A self-contained HTML document titled `title`, `body` in its <main>, in the page's style."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_CSS}</style></head>
<body><main>
{body}
</main></body></html>
"""


_CSS = """
:root{color-scheme:light;--ink:#1d2430;--muted:#667085;--line:#d8dde6;--band:#f4f6f9;--good:#0b7a50;--bad:#b42318}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 8px}
.meta{color:var(--muted);margin:0 0 10px}
.howto{background:var(--band);border-left:4px solid #3969ac;padding:8px 12px;margin:0 0 18px}
table.compare{border-collapse:collapse;width:100%;margin:0 0 22px;table-layout:fixed}
table.compare caption{text-align:left;font-weight:700;font-size:17px;padding:6px 0}
table.compare th,table.compare td{border-bottom:1px solid var(--line);padding:5px 8px;vertical-align:baseline}
table.compare thead th{background:var(--band);text-align:right;font-size:14px;overflow-wrap:anywhere}
table.compare thead th:first-child{width:25%}
#scenarios thead th:first-child{width:34%}
table.compare thead th.unit{width:9%;text-align:left}
table.compare tbody th{text-align:left;font-weight:400}
table.compare td{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
table.compare td.unit{text-align:left;color:var(--muted);font-size:13px}
table.compare tr.strong th,table.compare tr.strong td{font-weight:700}
table.compare td.noplan{color:var(--muted);font-style:italic}
table.words thead th{text-align:left}
table.words td{text-align:left;font-size:13.5px;vertical-align:top}
table.words tbody th{vertical-align:top}
table.words ul{margin:4px 0 0;padding-left:18px}
table.words .note{color:var(--muted)}
table.words p.why{margin:4px 0 0}
.why-block{border-left:4px solid var(--bad);background:#fdf3f2;padding:6px 12px;margin:-8px 0 22px;font-size:14px}
.why-block h3{font-size:15px;margin:2px 0 4px}
.why-block ul{margin:0;padding-left:20px}
.ok{color:var(--good);font-weight:700;margin:0}
.bad{color:var(--bad);font-weight:700;margin:0}
figure{margin:0 0 26px}
figure img{max-width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:13.5px;margin-top:4px}
"""
