"""Chinese names print in the charts: the chart rc draws Latin text in DejaVu Sans and every glyph it
lacks in Noto Sans SC, with no "Glyph ... missing from font(s)" warning, for a figure of its own and for
the charts of a solved plan whose scenario and roof are named in Chinese."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager

from optimizer.report.fonts import CHART_RC, CJK_FAMILY, LATIN_FAMILY, chart_rc, cjk_font_path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "涂装车间 屋顶"


@contextmanager
def glyph_warnings() -> Iterator[list[str]]:
    """The missing-glyph warnings matplotlib gives inside the block."""
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield found
    found.extend(str(w.message) for w in caught if "missing from font" in str(w.message))


def _resolved(fonts: list, char: str) -> str:
    """The file matplotlib draws `char` from: the first font of the fallback list that has it."""
    for path in fonts:
        if font_manager.get_font(path).get_char_index(ord(char)):
            return Path(str(getattr(path, "path", path))).name
    return ""


def test_the_chart_rc_takes_names_literally_and_falls_back_to_the_cjk_font():
    assert cjk_font_path() is not None and cjk_font_path().is_file()
    assert chart_rc() == CHART_RC
    assert CHART_RC["text.parse_math"] is False
    assert CHART_RC["font.family"] == [LATIN_FAMILY, CJK_FAMILY]
    assert CJK_FAMILY in font_manager.get_font_names()


def test_a_chinese_title_renders_from_the_cjk_font_without_missing_glyphs(tmp_path, caplog):
    with glyph_warnings() as missing, caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        with plt.rc_context(CHART_RC):
            fig, ax = plt.subplots()
            title = ax.set_title(TITLE + " $5 A")
            ax.bar(["涂装车间", "总装"], [1.0, 2.0])
        fig.savefig(tmp_path / "title.png", format="png")  # drawn outside the rc, as save_figure does
        fonts = font_manager.fontManager._find_fonts_by_props(title.get_fontproperties())
        plt.close(fig)
    assert missing == []
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    assert title.get_text() == TITLE + " $5 A"  # the dollar is text, not mathematics
    assert _resolved(fonts, "涂") == Path(str(cjk_font_path())).name
    assert _resolved(fonts, "A") == "DejaVuSans.ttf"


def test_without_the_rc_the_same_title_misses_glyphs():
    """The check above can fail: DejaVu Sans alone has no Chinese glyphs."""
    with glyph_warnings() as missing, plt.rc_context({"font.family": [LATIN_FAMILY]}):
        fig, ax = plt.subplots()
        ax.set_title(TITLE)
        fig.canvas.draw()
        plt.close(fig)
    assert missing


def test_a_plan_named_in_chinese_writes_its_charts_without_missing_glyphs(tmp_path):
    from optimizer import api

    overrides = {"name": "涂装厂 零碳", "pv": {"arrays": [{"name": "涂装车间", "area_m2": 20000, "tilt_deg": 5}]},
                 "time": {"aggregation": "typical_days", "days": 2}}  # two typical days: quick
    with glyph_warnings() as missing:
        plan = api.solve(ROOT / "scenarios" / "small_plant.yaml", tmp_path, overrides=overrides)
    assert plan.has_plan
    assert plan.inputs.name == "涂装厂 零碳"
    assert [a.name for a in plan.inputs.pv.arrays] == ["涂装车间"]
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(
        ["energy_mix_monthly.png", "dispatch_summer_week.png", "dispatch_winter_week.png", "cost_breakdown.png",
         "emissions_waterfall.png"])
    assert missing == []


def test_the_comparison_page_draws_chinese_names_without_missing_glyphs():
    from optimizer import api
    from optimizer.report.page import Entry, compare_page

    overrides = {"name": "涂装厂 零碳", "time": {"aggregation": "typical_days", "days": 2}}
    plan = api.solve(ROOT / "scenarios" / "small_plant.yaml", overrides=overrides)
    with glyph_warnings() as missing:
        html = compare_page([Entry.from_plan(plan)])
    assert "涂装厂 零碳" in html and html.count("data:image/png") == 3
    assert missing == []
    from optimizer.report import page_charts

    with plt.rc_context(chart_rc()):  # as `page_charts.drawn` draws: a '$' prints as typed, no backslash
        fig = page_charts.emission_paths([("涂装厂 $5", plan.summary)])
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["涂装厂 $5"]
    plt.close(fig)
