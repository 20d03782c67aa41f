"""The plan as a table a plant engineer reads in the terminal, and tables that fit the terminal's width
(80 columns in a log): figures are never cut, names wrap, and a table too wide is split in blocks of columns."""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from optimizer.model import registry
from optimizer.report.style import figure, money_m, whole
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
    if not plan.has_plan or plan.missed_by_t is not None:
        for line in s.get("explanation", []):
            console.print(f"  {escape(line)}")
    if not plan.has_plan:
        return
    if plan.missed_by_t is not None:
        console.print(f"[red]The target is missed by {figure(plan.missed_by_t)} tCO2e a year.[/red] The plan below is "
                      "the best the plant can do: the least-cost plan among those with the lowest net emissions.")
    cur = escape(plan.inputs.currency)
    for line in headline(s, cur):
        console.print(line)
    print_tables(console, decision_columns(plan))
    print_tables(console, money_columns(plan))
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
        what = "Going as low as it can" if s.get("target_missed_by_t") is not None else "The target"
        lines.append(f"[bold]{what} costs {_m(s['target_cost'])} {cur} a year[/bold] more than the cheapest "
                     f"plan without a target (net {_t(free['net_t'])} t)"
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
    if s.get("target_missed_by_t") is not None:
        gap = s.get("mip_gap")
        unproven = s.get("best_plan_status") == Status.TIME_LIMIT
        return "[red]target out of reach[/red]" + (
            " (its lowest-emission plan stopped at the time limit" + (f", gap {gap:.2%})" if gap is not None else ")")
            if unproven else "")
    return s["status"] + (f" (gap {s['mip_gap']:.2%})" if s.get("mip_gap") else "")


def _m(value: float | None) -> str:
    return "" if value is None else f"{money_m(value)} M"


_t = whole  # tonnes, without a stray '-0' from solver round-off


def money_columns(plan: Plan) -> list[Column]:
    """Cost and emissions of the plan, of the cheapest plan without the target (when there is a target)
    and of business as usual."""
    s, cur = plan.summary, plan.inputs.currency
    bau, free = s.get("bau") or {}, s.get("no_target") or {}
    e, be = s["emissions"], bau.get("emissions") or {}
    rows = [(f"annual cost ({cur})", _m(s["total_annual_cost"]), _m(free.get("total_annual_cost")),
             _m(bau.get("total_annual_cost"))),
            (f"investment ({cur})", _m(s["investment"]["total"]), "", _m(0.0))]
    for key, label in (("scope1_t", "scope 1 (t)"), ("scope2_location_t", "scope 2 location (t)"),
                       ("scope2_market_t", "scope 2 market (t)"), ("net_t", "net (t)")):
        rows.append((label, _t(e[key]), _t(free.get(key)) if key in free else "", _t(be[key]) if key in be else ""))
    with_target = plan.inputs.max_net_t is not None and bool(free)
    titles = ("", "plan", "no target", "business as usual")
    return [Column(title, [r[i] for r in rows], "left" if i == 0 else "right", text=i == 0)
            for i, title in enumerate(titles) if with_target or title != "no target"]


def decision_columns(plan: Plan) -> list[Column]:
    """What the plan builds and buys (assets the plant has), then the flows it makes happen."""
    s, rows = plan.summary, []
    present = [a for a in registry.ASSETS if a.present(plan.inputs)]
    for kind in ("decision", "flow"):
        for d in (d for a in present for d in a.decisions if d.kind == kind):
            if d.per_item:
                items = (s.get(d.key) or {}).items()
                rows += [(f"{d.label} {item}", f"{whole(value)} {d.unit}") for item, value in items]
            elif d.key in s:
                rows.append((d.label, f"{whole(s[d.key])} {d.unit}"))
    return [Column("decision", [r[0] for r in rows], "left", text=True), Column("amount", [r[1] for r in rows])]


# --- tables that fit -----------------------------------------------------------------------------

HEADER_WIDTH = 12  # a header wider than its figures wraps to this many cells when the table must narrow
TEXT_WIDTH = 12  # the narrowest a wrapping column is made to leave room for figures
ROW = "#"
_BREAK = re.compile(r".+?(?:[\s._/]|$)")


@dataclass(frozen=True)
class Column:
    """A table column: its header and one cell per row. Figures never wrap; `text` (names) may."""

    header: str
    cells: Sequence[str]
    justify: JustifyMethod = "right"
    text: bool = False


def print_tables(console: Console, columns: Sequence[Column], key: int = 1, title: str | None = None) -> None:
    """`columns` as one table, or blocks of tables, within the console's width."""
    for table in fitted_tables(console, columns, key, title):
        console.print(table)


def fitted_tables(console: Console, columns: Sequence[Column], key: int = 1, title: str | None = None) -> list[Table]:
    """Tables showing `columns` within `console.width`: one when it fits as it is; else headers wrap and
    the columns after the first `key` are split in blocks, each table repeating the `key` columns (a
    row-number column '#' instead when those leave no room). Cells are literal text, never cut."""
    width = console.width
    widths = [_width(c) for c in columns]
    if _span(widths) <= width or not columns:
        return [_table(columns, widths, title)]
    columns = [replace(c, header=wrap(c.header, max(_cells_width(c), HEADER_WIDTH))) for c in columns]
    widths = [_width(c) for c in columns]
    keys, rest = list(range(key)), list(range(key, len(columns)))
    widest = max((widths[i] for i in rest), default=0)
    widths = _squeeze(columns, widths, keys, width - (widest + 3))
    if _span([widths[i] for i in keys]) + widest + 3 > width:
        rows = len(columns[0].cells)
        columns = [Column(ROW, [str(i + 1) for i in range(rows)]), *columns]
        widths = [len(str(rows)), *widths]
        keys, rest = [0], list(range(1, len(columns)))
    room = width - _span([widths[i] for i in keys])
    widths = [min(w, room - 3) if i in rest and columns[i].text else w for i, w in enumerate(widths)]
    blocks = _blocks(rest, [widths[i] + 3 for i in rest], room) or [[]]
    return [_table([columns[i] for i in keys + block], [widths[i] for i in keys + block], title if n == 0 else None)
            for n, block in enumerate(blocks)]


def wrap(text: str, width: int) -> str:
    """`text` in lines of at most `width` cells, broken after spaces, dots, underscores and slashes;
    a word longer than a line is folded."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _BREAK.findall(paragraph) or [""]:
            if line and cell_len((line + token).rstrip()) > width >= cell_len(token.rstrip()):
                lines.append(line.rstrip())
                line = ""
            line += token
            while cell_len(line.rstrip()) > width:
                head = _fold(line, width)
                lines.append(head)
                line = line[len(head):]
        lines.append(line.rstrip())
    return "\n".join(lines)


def _fold(text: str, width: int) -> str:
    """The longest start of `text` that fits `width` cells (at least one character)."""
    end = 1
    while end < len(text) and cell_len(text[:end + 1]) <= width:
        end += 1
    return text[:end]


def _cells_width(column: Column) -> int:
    return max((cell_len(line) for cell in column.cells for line in cell.split("\n")), default=0)


def _width(column: Column) -> int:
    return max(_cells_width(column), *(cell_len(line) for line in column.header.split("\n")), 1)


def _span(widths: Sequence[int]) -> int:
    """The printed width of a table with columns of `widths`: each padded by a cell each side, ruled."""
    return sum(w + 3 for w in widths) + 1


def _squeeze(columns: Sequence[Column], widths: list[int], keys: Sequence[int], budget: int) -> list[int]:
    """`widths` with the text columns among `keys` narrowed (to no less than TEXT_WIDTH) so that the key
    columns take at most `budget` cells, when they can."""
    text = [i for i in keys if columns[i].text]
    if not text or _span([widths[i] for i in keys]) <= budget:
        return widths
    share = (budget - _span([widths[i] for i in keys if i not in text]) - 3 * len(text)) // len(text)
    if share < TEXT_WIDTH:
        return widths
    return [min(w, share) if i in text else w for i, w in enumerate(widths)]


def _blocks(indices: list[int], spans: list[int], room: int) -> list[list[int]]:
    """`indices` cut in runs whose `spans` add up to at most `room` (each run at least one), as even as
    the fewest runs allow."""
    greedy: list[list[int]] = []
    used = room + 1
    for index, span in zip(indices, spans, strict=True):
        if used + span > room:
            greedy.append([])
            used = 0
        greedy[-1].append(index)
        used += span
    runs, longer = divmod(len(indices), max(len(greedy), 1))
    ends = list(itertools.accumulate(runs + (n < longer) for n in range(len(greedy))))
    even = [indices[start:end] for start, end in zip([0, *ends], ends, strict=False)]
    fits = all(sum(spans[indices.index(i)] for i in run) <= room for run in even)
    return even if fits else greedy


def _table(columns: Sequence[Column], widths: Sequence[int], title: str | None) -> Table:
    table = Table(show_header=True, header_style="bold", title=Text(title) if title else None)
    for column, width in zip(columns, widths, strict=True):
        table.add_column(Text(column.header), justify=column.justify, width=width, no_wrap=not column.text,
                         overflow="fold")
    for row in zip(*(c.cells for c in columns), strict=True):
        table.add_row(*(Text(cell) for cell in row))
    return table
