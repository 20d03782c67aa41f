"""`zcf compare`: the page in headless Chromium, its escaping, its figures, and the command end to end.

The plans are one-day plants solved in a fraction of a second; the command runs on two full-year
scenario files without PV, which solve in seconds.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.inputs import (
    CertificateInputs,
    CreditInputs,
    GreenPowerInputs,
    PvArrayInputs,
    PvInputs,
    StorageInputs,
)
from optimizer.report.page import Entry, compare_page, money_m, percent, whole
from optimizer.result import figures as summary_figures
from optimizer.result.run import solve_inputs
from tests import browser
from tests.cases import plant

HOSTILE = "<script>alert(1)</script> & \"double\" 'single' [red]rich[/red] $x$"
HOSTILE_ROOF = "roof <b>A</b> & [bold]B[/bold]"
SUN = np.array([0.0] * 8 + [0.5] * 8 + [0.0] * 8)  # kWh per kWp in each hour
PRICES = [2.0] * 8 + [10.0] * 12 + [6.0] * 4  # per kWh: a cheap night, a dear day
LOAD_KW = [100_000.0] * 24
SCOPE1_T = 300.0


def every_measure():
    """Net zero with PV on two roofs, a battery, green power, capped certificates and credits."""
    pv = PvInputs(capex_per_kw=10.0, fixed_om_per_kw_year=0.0, crf=1.0, arrays=(
        PvArrayInputs(name=HOSTILE_ROOF, limit_kw=40_000.0, fixed_cost=0.0, yield_kwh_per_kwp=SUN),
        PvArrayInputs(name="roof C", limit_kw=20_000.0, fixed_cost=0.0, yield_kwh_per_kwp=SUN * 0.9)))
    storage = StorageInputs(capex_per_kwh=0.1, capex_per_kw=0.1, fixed_om_per_kw_year=0.0, crf=1.0,
                            charge_efficiency=0.9, discharge_efficiency=0.9, soc_min=0.0, soc_max=1.0,
                            max_kwh=200_000.0, max_kw=50_000.0)
    inp = plant(LOAD_KW, PRICES, scope1_t=SCOPE1_T, max_net_t=0.0, pv=pv, storage=storage,
                green_power=GreenPowerInputs(price_per_kwh=5.5, max_mwh=500.0, min_mwh=0.0,
                                             profile_share=np.full(24, 1 / 24)),
                certificates=CertificateInputs(price_per_mwh=20.0, max_mwh=600.0),
                credits=CreditInputs(price_per_t=50.0, max_offset_share=1.0))
    return solve_inputs(replace(inp, name=HOSTILE))


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    credits_only = solve_inputs(replace(plant(LOAD_KW, PRICES, scope1_t=SCOPE1_T, max_net_t=0.0,
                                              credits=CreditInputs(price_per_t=50.0, max_offset_share=1.0)),
                                        name="credits only"))
    capped = solve_inputs(replace(plant(LOAD_KW, PRICES, scope1_t=SCOPE1_T, max_net_t=0.0,
                                        credits=CreditInputs(price_per_t=50.0, max_offset_share=0.5)),
                                  name="credits capped at half"))
    assert capped.status == "infeasible"
    return [Entry.from_plan(every_measure(), description=f"about {HOSTILE}"),
            Entry.from_plan(credits_only, description="Buys credits for everything."),
            Entry.from_plan(capped)]


@pytest.fixture(scope="module")
def page(entries, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("compare") / "report.html"
    path.write_text(compare_page(entries, generated=dt.date(2025, 6, 30)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def driver():
    if (problem := browser.missing()) is not None:
        pytest.fail(problem)
    with browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def rendered(driver, page):
    driver.get(page.resolve().as_uri())
    return driver


# --- in the browser ----------------------------------------------------------------------------

def test_tables_have_one_column_per_scenario(rendered, entries):
    names = [e.name for e in entries]
    for table_id in ("scenarios", "money", "built", "emissions", "energy"):
        heads = rendered.execute_script(
            "return Array.from(document.querySelectorAll(`#${arguments[0]} thead th`)).map(th => th.textContent)",
            table_id)
        assert heads[-len(names):] == names, table_id
        widths = rendered.execute_script(
            "return Array.from(document.querySelectorAll(`#${arguments[0]} tbody tr`))"
            ".map(tr => tr.querySelectorAll('td:not(.unit)').length)", table_id)
        assert widths and set(widths) == {len(names)}, table_id


def test_every_image_decodes(rendered):
    images = rendered.execute_script(
        "return Array.from(document.images)"
        ".map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.src.slice(0, 22)])")
    assert len(images) == 3
    for complete, width, height, src in images:
        assert complete and width > 0 and height > 0
        assert src == "data:image/png;base64,"


def test_no_console_errors_and_nothing_fetched(rendered):
    assert [entry for entry in rendered.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []
    fetched = rendered.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)")
    assert fetched == []


def test_hostile_text_shows_literally(rendered):
    assert rendered.execute_script("return document.scripts.length") == 0
    head = rendered.execute_script("return document.querySelector('#money thead th:nth-child(3)').textContent")
    assert head == HOSTILE
    roof = rendered.execute_script(
        "return document.querySelector('#built tr[data-key^=\"pv_kw:roof <b>\"] th').textContent")
    assert roof == f"PV on {HOSTILE_ROOF}"
    description = rendered.execute_script(
        "return document.querySelector('#scenarios tr[data-key=description] td').textContent")
    assert description == f"about {HOSTILE}"
    assert rendered.execute_script("return document.querySelectorAll('b').length") == 0


def cell(driver, table: str, key: str, column: int) -> str:
    return driver.execute_script(
        "return document.querySelectorAll(`#${arguments[0]} tr[data-key=\"${arguments[1]}\"] td:not(.unit)`)"
        "[arguments[2]].textContent", table, key, column)


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").strip())


@pytest.mark.parametrize("table, key, read, unit", [
    ("money", "total_annual_cost", lambda s: s["total_annual_cost"], 1e6),
    ("money", "bau_annual_cost", lambda s: s["bau"]["total_annual_cost"], 1e6),
    ("money", "savings", lambda s: s["savings"], 1e6),
    ("money", "investment", lambda s: s["investment"]["total"], 1e6),
    ("money", "abatement_cost_per_t", lambda s: s["abatement_cost_per_t"], 1.0),
    ("built", "pv_total_kw", lambda s: sum(s["pv_kw"].values()), 1.0),
    ("built", "storage_kwh", lambda s: s["storage_kwh"], 1.0),
    ("built", "green_power_mwh", lambda s: s["green_power_mwh"], 1.0),
    ("built", "certificates_mwh", lambda s: s["certificates_mwh"], 1.0),
    ("built", "credits_t", lambda s: s["credits_t"], 1.0),
    ("emissions", "bau_t", lambda s: s["bau"]["net_t"], 1.0),
    ("emissions", "scope1_t", lambda s: s["emissions"]["scope1_t"], 1.0),
    ("emissions", "scope2_location_t", lambda s: s["emissions"]["scope2_location_t"], 1.0),
    ("emissions", "scope2_market_t", lambda s: s["emissions"]["scope2_market_t"], 1.0),
    ("emissions", "net_t", lambda s: s["emissions"]["net_t"], 1.0),
    ("energy", "renewable_share_annual", lambda s: s["energy"]["renewable_share_annual"], 0.01),
    ("energy", "renewable_share_hourly", lambda s: s["energy"]["renewable_share_hourly"], 0.01),
    ("money", "target_cost", lambda s: s["target_cost"], 1e6),
    ("money", "no_target_annual_cost", lambda s: s["no_target"]["total_annual_cost"], 1e6),
])
def test_key_figures_match_the_summaries(rendered, entries, table, key, read, unit):
    for column, entry in enumerate(entries[:2]):
        shown = number(cell(rendered, table, key, column))
        # Rounded to the last digit shown: two decimals in millions, whole units, 0.1 %.
        step = {1e6: 0.01, 1.0: 1.0, 0.01: 0.1}[unit]
        assert abs(shown - read(entry.summary) / unit) <= step / 2 + 1e-9, (key, entry.name, shown)


def test_a_scenario_without_plan_keeps_its_column_in_words(rendered, entries):
    explanation = entries[2].summary["explanation"]
    outcome = cell(rendered, "scenarios", "outcome", 2)
    assert "no plan: target out of reach" in outcome
    assert explanation[0] in outcome
    why = rendered.execute_script("return document.querySelector('#no-plan').innerText")
    assert all(line in why for line in explanation)
    assert cell(rendered, "money", "total_annual_cost", 2) == "no plan"
    bau_cost = number(cell(rendered, "money", "bau_annual_cost", 2))
    assert bau_cost == pytest.approx(entries[2].summary["bau"]["total_annual_cost"] / 1e6, abs=0.005)


# --- the page as text --------------------------------------------------------------------------

def test_page_is_self_contained_and_escaped(page):
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;double&quot; &#x27;single&#x27; [red]rich[/red]" in text
    assert "<b>" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "@import" not in text and "url(" not in text
    assert "2025-06-30" in text


def test_embedded_charts_are_png(page):
    from PIL import Image

    payloads = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page.read_text(encoding="utf-8"))
    assert len(payloads) == 3
    for payload in payloads:
        image = Image.open(io.BytesIO(base64.b64decode(payload)))
        assert image.format == "PNG" and image.width > 400


def test_mixed_currencies_are_named_on_every_money_figure(entries):
    text = compare_page([entries[0], replace(entries[1], currency="EUR")])
    assert "M CNY / EUR" in text


# --- figures from the summary alone ------------------------------------------------------------

def test_emission_steps_from_the_summary_match_those_from_the_inputs():
    plan = every_measure()
    from_summary = summary_figures.emission_steps(plan.summary)
    s, inp = plan.summary, plan.inputs
    factor_t_per_mwh = inp.grid_factor_t_per_kwh * 1000  # the factor itself, not one recovered from BAU
    from_inputs = [("business as usual", inp.bau_emissions_t),
                   ("rooftop PV", -s["energy"]["pv_self_consumed_mwh"] * factor_t_per_mwh),
                   ("green power", -s["green_power_mwh"] * factor_t_per_mwh),
                   ("battery losses", s["energy"]["storage_losses_mwh"] * factor_t_per_mwh),
                   ("certificates", -s["certificates_mwh"] * factor_t_per_mwh),
                   ("carbon credits", -s["credits_t"])]
    assert [label for label, _ in from_summary] == [label for label, _ in from_inputs]
    for (label, got), (_, want) in zip(from_summary, from_inputs, strict=True):
        assert got == pytest.approx(want, abs=1e-6), label
    assert sum(v for _, v in from_summary) == pytest.approx(plan.summary["emissions"]["net_t"], abs=1e-6)
    cuts = summary_figures.measure_cuts_t(plan.summary)
    assert set(cuts) == set(summary_figures.MEASURES) - {"electrified heat", "efficiency measures"}  # no heat here
    assert all(v > 0 for v in cuts.values()), cuts  # the case uses every measure it has


def test_number_formats():
    assert money_m(136_232_821.3) == "136.23"
    assert money_m(-1_234.0) == "0.00"
    assert whole(12_079.6) == "12,080"
    assert whole(-0.4) == "0"
    assert whole(-304.2) == "-304"
    assert percent(1.0000000002) == "100.0 %"
    assert whole(None) == "–"


def test_missing_browser_says_how_to_install(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    assert "apt-get install -y chromium chromium-driver" in browser.missing()


# --- the command -------------------------------------------------------------------------------

PLANT = """
name: {name}
description: {description}
site: {{latitude: 23.0, longitude: 113.1}}
load: {{synthetic: {{annual_mwh: 2000}}}}
grid:
  emission_factor_kg_per_kwh: 0.5
  tariff:
    prices_per_kwh: {{valley: 0.3, flat: 0.7}}
    schedule: [{{hours: [0, 8], period: valley}}, {{period: flat}}]
carbon_credits: {{price_per_t: 70}}
targets: {{net_zero: true, max_offset_share: 0.5}}
"""


def zcf(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optimizer.cli", *args], capture_output=True, text=True)


def scenario_file(path: Path, name: str, extra: str = "") -> Path:
    path.write_text(textwrap.dedent(PLANT).format(name=name, description=f"'{name}, a test plant'") + extra,
                    encoding="utf-8")
    return path


def test_compare_command_writes_one_page_with_an_unreachable_target(tmp_path):
    with_certificates = scenario_file(tmp_path / "a.yaml", "with certificates", "certificates: {price_per_mwh: 5}\n")
    credits_only = scenario_file(tmp_path / "b.yaml", "credits only")
    out = tmp_path / "report" / "compare.html"
    run = zcf("compare", str(with_certificates), str(credits_only), "--out", str(out), "--title", "Board <review>")
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert "<title>Board &lt;review&gt;</title>" in text
    assert "with certificates" in text and "credits only, a test plant" in text
    assert "target missed by 500 tCO2e/yr: the figures are the lowest-emission plan" in text  # its column has figures
    assert "500 t short" in text  # 2,000 MWh × 0.5 t, half of it may be offset
    assert "certificates: optimal" in run.stdout
    assert "credits only: target missed by 500 tCO2e a year; lowest-emission plan" in run.stdout
    assert [p.name for p in out.parent.iterdir()] == ["compare.html"]  # no temporary file left


def test_compare_command_reports_every_input_error_and_writes_nothing(tmp_path):
    good = scenario_file(tmp_path / "good.yaml", "good")
    bad = scenario_file(tmp_path / "bad.yaml", "bad", "storage: {capex_per_kwh: -1}\n")
    out = tmp_path / "compare.html"
    run = zcf("compare", str(good), str(bad), str(tmp_path / "missing.yaml"), "--out", str(out))
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2, run.stderr
    assert "bad.yaml" in lines[0] and "capex_per_kwh" in lines[0]
    assert "missing.yaml" in lines[1]
    assert "Traceback" not in run.stderr
    assert not out.exists()
