"""Every kind of sweep gets its chart, drawn from a results table (made up here, no solving)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models.scenario.loading import read_raw
from models.scenario.sweep import build_sweep
from optimizer.report import sweep_charts
from optimizer.report.sweep_charts import write_sweep_charts
from optimizer.studies.store import point_row
from tests.chart_checks import all_drawn_on, no_overlap

BASE = read_raw(Path(__file__).resolve().parents[1] / "scenarios" / "small_plant.yaml")


def results(sweep) -> pd.DataFrame:
    """A plausible table: cost rising with each numeric parameter, one point without a plan."""
    rows = []
    for p in sweep.points:
        row = point_row(sweep, p)
        level = sum(float(v) for v in p.values.values() if isinstance(v, int | float))
        row.update(status="optimal", total_annual_cost=6e6 + 100 * level, pv_total_kw=1900.0 - level / 10,
                   storage_kwh=0.0, green_power_mwh=1400.0, certificates_mwh=4000.0 + level, credits_t=400.0)
        rows.append(row)
    rows[-1].update(status="infeasible", total_annual_cost=np.nan)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("mode", "parameters", "extra", "chart"), [
    ("grid", {"pv.capex_per_kw": [2000, 3000, 4000], "certificates.price_per_mwh": [1, 5.15, 60]}, {}, "heatmap.png"),
    ("zip", {"pv.capex_per_kw": [2000, 3000, 4000]}, {}, "lines.png"),
    ("one_at_a_time", {"pv.capex_per_kw": {"low": 2000, "high": 4000},
                       "certificates.price_per_mwh": {"low": 1, "high": 60}}, {}, "tornado.png"),
    ("monte_carlo", {"pv.capex_per_kw": {"distribution": "uniform", "low": 2000, "high": 4000}},
     {"samples": 30, "seed": 3}, "distributions.png"),
    ("grid", {"storage": [None, {"capex_per_kwh": 500, "max_kwh": 100, "max_kw": 50}],
              "pv.capex_per_kw": [2000, 3000], "finance.discount_rate": [0.05, 0.08]}, {}, "points.png"),
])
def test_each_sweep_kind_has_its_chart(tmp_path, monkeypatch, mode, parameters, extra, chart):
    titles = []

    def keep(make, subject, path):  # checks the figure as drawn, before it is saved and closed
        def draw(s):
            fig = make(s)
            fig.draw_without_rendering()
            all_drawn_on(fig)
            no_overlap(fig)
            titles.extend(t.get_text() for t in [*fig.texts, *(a.title for a in fig.axes)])
            return fig
        return save_figure(draw, subject, path)

    save_figure = sweep_charts.save_figure
    monkeypatch.setattr(sweep_charts, "save_figure", keep)
    sweep = build_sweep(BASE, "a $5 [red] sweep", mode, parameters, **extra)  # '$' and markup print as typed
    paths = write_sweep_charts(sweep, results(sweep), tmp_path)
    assert [p.name for p in paths] == [chart]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any(t.startswith("a $5 [red] sweep") for t in titles)
