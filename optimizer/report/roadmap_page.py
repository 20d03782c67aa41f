"""Roadmaps side by side, one column per roadmap: the present value, the model year of each build,
what is bought each model year and the emissions path against the targets.

Works from roadmap summaries (roadmap.json's content) alone. The tables are the comparison page's
(`optimizer.report.page`), in its style; the emissions chart is one PNG with a line per roadmap on
shared axes. `roadmap_section` is a fragment for the comparison page (`compare_page(..., more=)`),
`roadmap_page` a page of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from optimizer.model import registry
from optimizer.report import style
from optimizer.report.page import Entry, Row, compare_table, currency_units, html_page, image, words_table
from optimizer.report.page_charts import drawn, plain
from optimizer.report.roadmap_charts import plan_years
from optimizer.report.style import DASH, money_m, percent, whole
from optimizer.result.figures import no_plan_reason
from optimizer.solver.status import Status

Summary = Mapping[str, Any]
Year = Mapping[str, Any]

DEFAULT_TITLE = "Roadmaps compared"
BUILT = 0.5  # less than this added in a model year (kWp, kWh, kW) is round-off, not a build
_MARKERS = ("o", "s", "^", "D", "v", "P")  # with the colours, so that roadmaps past the palette differ


@dataclass(frozen=True)
class Roadmap(Entry):
    """A roadmap's column: it has a plan when its model years carry one."""

    @property
    def has_plan(self) -> bool:
        return bool(plan_years(dict(self.summary)))


def roadmap_section(summaries: Sequence[Summary], descriptions: Sequence[str] | None = None) -> str:
    """The roadmaps side by side as an HTML section (tables and the emissions chart), in the
    comparison page's style; one column per roadmap, in the order given."""
    if not summaries:
        raise ValueError("a comparison needs at least one roadmap")
    roadmaps = _roadmaps(summaries, descriptions)
    currency, unit_m, _ = currency_units(roadmaps)
    columns = [(r.name, r.summary) for r in roadmaps]
    chart = image(drawn(emissions_paths_figure, columns), "net emissions of each roadmap by model year",
                  "Net emissions (solid) against the targets (dashed), in tCO2e per year; a model year's figures "
                  "hold for the calendar years it stands for. The star is the base year's emissions.")
    return f"""<section id="roadmaps"><h2>Roadmaps</h2>
<p class="howto"><strong>How to read this:</strong> each column is one roadmap: the plan of least present cost
over several model years that meets each model year's target. A model year stands for the calendar years up
to the next one (the last to the end year). Present values are in millions ({escape(unit_m)}), discounted to the
base year; builds are what is added in a model year; purchases and emissions are per calendar year.</p>
{_words_table(roadmaps)}
{compare_table("roadmap-money", f"Present value ({currency})", _rows_money(unit_m), roadmaps)}
{compare_table("roadmap-builds", "When each thing is built (model year: amount added)", _rows_builds(roadmaps),
               roadmaps)}
{compare_table("roadmap-purchases", "Bought per year (model year: amount; years without any left out)",
               _rows_purchases(), roadmaps)}
{compare_table("roadmap-emissions", "Net emissions against the target, per model year (tCO2e per year)",
               _rows_emissions(roadmaps), roadmaps)}
{chart}</section>"""


def roadmap_page(summaries: Sequence[Summary], title: str = DEFAULT_TITLE,
                 descriptions: Sequence[str] | None = None, generated: dt.date | None = None) -> str:
    """The roadmaps side by side as one self-contained HTML document (the comparison page's head and style)."""
    section = roadmap_section(summaries, descriptions)
    generated = generated or dt.date.today()
    n = len(summaries)
    return html_page(title, f"""<header><h1>{escape(title)}</h1>
<p class="meta">{n} roadmap{"s" if n > 1 else ""} · generated {generated.isoformat()} by zcf</p></header>
{section}""")


def _roadmaps(summaries: Sequence[Summary], descriptions: Sequence[str] | None) -> list[Roadmap]:
    """The columns; a name two roadmaps share is told apart by its column number."""
    descriptions = list(descriptions or [])
    if len(descriptions) > len(summaries):
        raise ValueError(f"{len(descriptions)} descriptions for {len(summaries)} roadmaps")
    descriptions += [""] * (len(summaries) - len(descriptions))
    names = [str(s.get("name") or "roadmap") for s in summaries]
    shared = {n for n in names if names.count(n) > 1}
    names = [f"{n} [{k + 1}]" if n in shared else n for k, n in enumerate(names)]
    return [Roadmap(name, s, d, str(s.get("currency") or "")) for name, s, d in
            zip(names, summaries, descriptions, strict=True)]


# --- the tables --------------------------------------------------------------------------------

def _words_table(roadmaps: Sequence[Roadmap]) -> str:
    return words_table("roadmap-outcome", "What each roadmap assumes and finds",
                       [(r.name, r.description, _outcome(r)) for r in roadmaps])


def _outcome(roadmap: Roadmap) -> str:
    """Status in words; without a plan, every line of the explanation."""
    s = roadmap.summary
    notes = "".join(f'<li class="note">{escape(str(n))}</li>' for n in s.get("notes") or [])
    if roadmap.has_plan:
        words = "plan found: every model year's target is met at least present cost"
        if s.get("status") == Status.TIME_LIMIT:
            gap = s.get("mip_gap")
            words = "plan found, stopped at the time limit" + (f" (within {gap:.1%} of the best)" if gap else "")
        return f'<p class="ok">{escape(words)}</p>' + (f"<ul>{notes}</ul>" if notes else "")
    why = "".join(f"<li>{escape(str(line))}</li>" for line in s.get("explanation") or [])
    return (f'<p class="bad">{escape(f"no plan: {no_plan_reason(s)}")}</p>'
            + (f'<p class="why">Why:</p><ul>{why}</ul>' if why else "") + (f"<ul>{notes}</ul>" if notes else ""))


def _rows_money(unit_m: str) -> list[Row]:
    def years(e: Entry) -> str:
        return ", ".join(str(y["year"]) for y in e.summary.get("years") or []) or DASH

    def rate(e: Entry) -> str:
        return percent(e.summary.get("discount_rate"))

    def base(e: Entry) -> str:
        return f"{e.summary.get('base_year', DASH)}: {whole(e.summary.get('base_emissions_t'))}"

    return [
        Row("npv", "present value of the roadmap's costs", unit_m, lambda e: money_m(e.summary.get("npv")),
            strong=True),
        Row("bau_npv", "present value, business as usual", unit_m, lambda e: money_m(e.summary.get("bau_npv"))),
        Row("npv_savings", "savings against business as usual (+ = roadmap is cheaper)", unit_m,
            lambda e: money_m(e.summary.get("npv_savings")), strong=True),
        Row("discount_rate", "discount rate", "%/yr", rate, plan_only=False),
        Row("model_years", "model years", "year", years, plan_only=False),
        Row("end_year", "counted to (end year)", "year", lambda e: str(e.summary.get("end_year", DASH)),
            plan_only=False),
        Row("base_emissions_t", "base year: its emissions", "tCO2e/yr", base, plan_only=False),
    ]


def _rows_builds(roadmaps: Sequence[Roadmap]) -> list[Row]:
    """What is built, per item (PV per roof) and in all, from the registry's decisions: in which
    model years and how much."""
    built = [d for d in registry.decisions("decision") if not d.yearly]
    rows = []
    for d in built:
        if d.per_item:
            items = list(dict.fromkeys(i for r in roadmaps for y in plan_years(dict(r.summary))
                                       for i in y.get(f"{d.key}_added") or {}))
            rows += [Row(f"built:{d.key}:{i}", f"{d.label} {i}", d.unit,
                         lambda e, d=d, i=i: _item_builds(e, d.key, i, d.unit, d.absent)) for i in items]
            continue
        parts = [p.key for p in built if p.per_item and p.short == d.short]  # a total of per-item builds
        rows.append(Row(f"built:{d.key}", d.label, d.unit,
                        lambda e, d=d, parts=parts: _builds(e, lambda year: _added(year, d.key, parts), d.unit),
                        strong=d.strong))
    return rows


def _added(year: Year, key: str, parts: Sequence[str]) -> float:
    """What a model year adds of `key`, or of the per-item figures it totals."""
    if f"{key}_added" in year:
        return year[f"{key}_added"] or 0.0
    return sum(sum((year.get(f"{p}_added") or {}).values()) for p in parts)


def _item_builds(entry: Entry, key: str, item: str, unit: str, absent: str) -> str:
    if not any(item in (y.get(f"{key}_added") or {}) for y in plan_years(dict(entry.summary))):
        return absent
    return _builds(entry, lambda y: (y.get(f"{key}_added") or {}).get(item, 0.0), unit)


def _builds(entry: Entry, added: Callable[[Year], float], unit: str) -> str:
    """'2026: 20,425 kWp · 2030: 4,000 kWp', or 'not built'."""
    found = [(y["year"], added(y)) for y in plan_years(dict(entry.summary))]
    return _by_year([(year, value) for year, value in found if value >= BUILT], unit) or "not built"


def _rows_purchases() -> list[Row]:
    """What is bought each year (green power, certificates, credits), from the registry's decisions."""
    return [Row(f"bought:{d.key}", d.label, f"{d.unit}/yr",
                lambda e, d=d: _by_year([(y["year"], y.get(d.key) or 0.0) for y in plan_years(dict(e.summary))
                                         if (y.get(d.key) or 0.0) >= BUILT], d.unit) or "none")
            for d in registry.decisions("decision") if d.yearly]


def _by_year(values: Sequence[tuple[int, float]], unit: str) -> str:
    """Model year and amount, joined; a line breaks only between years."""
    return " · ".join(f"{year}:\u00a0{whole(value)}\u00a0{unit}" for year, value in values)


def _rows_emissions(roadmaps: Sequence[Roadmap]) -> list[Row]:
    """Per model year (of any roadmap): the net emissions, then the target."""
    years: dict[int, Year] = {}
    for r in roadmaps:
        for y in r.summary.get("years") or []:
            years.setdefault(y["year"], y)
    rows = []
    for year in sorted(years):
        first, last = years[year].get("stands_for") or (year, year)
        when = str(year) if first == last else f"{first}–{last}"
        rows += [Row(f"net:{year}", f"{when}: net emissions", "tCO2e/yr",
                     lambda e, year=year: _of_year(e, year, lambda y: whole(y["emissions"]["net_t"])), strong=True),
                 Row(f"target:{year}", f"{when}: target (cap on net)", "tCO2e/yr",
                     lambda e, year=year: _of_year(e, year, _target), plan_only=False)]
    return rows


def _of_year(entry: Entry, year: int, show: Callable[[Year], str]) -> str:
    found = [y for y in entry.summary.get("years") or [] if y["year"] == year]
    return show(found[0]) if found else "not a model year"


def _target(year: Year) -> str:
    """The cap and the target as written: '49,960 (−50 % of the base year)', '0 (net zero)', 'none'."""
    cap, target = year.get("target_t"), year.get("target") or {}
    if cap is None:
        return "none"
    if target.get("net_zero"):
        return f"{whole(cap)} (net zero)"
    if target.get("reduction_pct") is not None:
        return f"{whole(cap)} (−{target['reduction_pct']:g} % of the base year)"
    return whole(cap)


# --- the chart ---------------------------------------------------------------------------------

def emissions_paths_figure(columns: Sequence[tuple[str, Summary]]) -> plt.Figure:
    """Net emissions per model year, one stepped line per roadmap held over the calendar years each
    model year stands for (the first widest, so that coinciding paths all show); the targets dashed
    on top (one line when all roadmaps share them, else one each, its points marked hollow in the
    roadmap's colour); the base year as a star; tCO2e per year."""
    fig, ax = plt.subplots(figsize=(10.5, 4.6))
    colors = list(style.colors(f"roadmap {k + 1}" for k in range(len(columns))).values())
    targets = [_path(s.get("years") or [], lambda y: y.get("target_t")) for _, s in columns]
    shared = all(_same(t, targets[0]) for t in targets)
    bases = {(s.get("base_year"), s.get("base_emissions_t")) for _, s in columns}
    handles: list[Line2D] = []
    for k, (name, summary) in enumerate(columns):
        color, marker = colors[k], _MARKERS[k % len(_MARKERS)]
        years = plan_years(dict(summary))
        if years:
            under = len(columns) - 1 - k  # earlier roadmaps wider, so that where paths coincide each shows
            handles += ax.plot(*_path(years, lambda y: y["emissions"]["net_t"]), drawstyle="steps-post", color=color,
                               lw=2.2 + 2.2 * under, marker=marker, ms=7 + 3 * under, markevery=slice(0, -1),
                               label=plain(name, 70), zorder=3)
        else:
            handles.append(Line2D([], [], color=color, ls="none", marker=marker, mfc="white", ms=7,
                                  label=plain(f"{name}: no plan ({no_plan_reason(summary)}); its targets only", 70)))
        if not shared:
            x, cap = targets[k]
            ax.plot(x, cap, drawstyle="steps-post", color="k", lw=1.3, ls=(0, (4, 2)), zorder=4)
            ax.plot(x[:-1], cap[:-1], ls="none", marker=marker, ms=9, mfc="none", mew=1.4, color=color, zorder=5)
        if len(bases) > 1 and summary.get("base_emissions_t") is not None:
            ax.plot([summary.get("base_year")], [summary["base_emissions_t"]], marker="*", ms=11, color=color,
                    ls="none")
    if shared:
        ax.plot(*targets[0], drawstyle="steps-post", color="k", lw=1.3, ls=(0, (4, 2)), zorder=4)
    handles.append(Line2D([], [], color="k", lw=1.3, ls=(0, (4, 2)), label="target (cap on net emissions)"
                          if shared else "target (cap on net emissions), its points in the roadmap's marker"))
    if len(bases) == 1:
        ((base_year, base_t),) = bases
        if base_t is not None:
            handles += ax.plot([base_year], [base_t], marker="*", ms=11, color=style.BAU, ls="none",
                               label=f"base year {base_year}: {whole(base_t)}")
    else:
        handles.append(Line2D([], [], marker="*", ms=11, color=style.BAU, ls="none",
                              label="base year (in the roadmap's colour)"))
    _axes(ax, columns)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.24), ncol=2, frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def _path(years: Sequence[Year], value: Callable[[Year], float | None]) -> tuple[np.ndarray, np.ndarray]:
    """Step points: each model year from its first calendar year, the last held to the end of its
    last one; a missing value (no target that year) is NaN, a gap in the line."""
    if not years:
        return np.array([]), np.array([])
    x = [y["stands_for"][0] for y in years] + [years[-1]["stands_for"][1] + 1]
    v = [value(y) for y in years]
    y = [np.nan if t is None else t for t in [*v, v[-1]]]
    return np.array(x, dtype=float), np.array(y, dtype=float)


def _same(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> bool:
    return all(np.array_equal(p, q, equal_nan=True) for p, q in zip(a, b, strict=True))


def _axes(ax: plt.Axes, columns: Sequence[tuple[str, Summary]]) -> None:
    """Calendar years from the base year to the end of the last, ticks at the base year, the model
    years and the last year; tonnes with separators."""
    years = [y for _, s in columns for y in s.get("years") or []]
    bases = [s["base_year"] for _, s in columns if s.get("base_year") is not None]
    ends = [y["stands_for"][1] for y in years]
    ticks = sorted({*bases, *(y["year"] for y in years), *([max(ends)] if ends else [])})
    ax.set_xlim(min(ticks or [0]) - 0.6, max(ends or [0]) + 1.4)
    span = max(ends or [0]) - min(ticks or [0]) + 2
    crowded = any(b - a < span / 25 for a, b in itertools.pairwise(ticks))  # labels would touch
    ax.set_xticks(ticks, [str(t) for t in ticks], fontsize=9, rotation=90 if crowded else 0)
    bottom, top = ax.get_ylim()
    ax.set_ylim(min(bottom, 0.0), top + 0.05 * (top - min(bottom, 0.0)))
    ax.axhline(0, color="k", lw=0.6)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: whole(v)))
    ax.set_ylabel("tCO2e per year")
    ax.set_xlabel("calendar year (a model year's figures hold until the next model year; the last to the end year)",
                  fontsize=9)
    ax.set_title("Net emissions of each roadmap by model year, against the targets (tCO2e per year)", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
