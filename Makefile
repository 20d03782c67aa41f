# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo compare-demo docs-pictures test browser fuzz bench lint docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "zcf needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,aggregation]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/zcf solve scenarios/demo.yaml --out results/demo
	$(BIN)/zcf roadmap scenarios/demo_roadmap.yaml --out results/demo_roadmap

DEMOS := scenarios/demo.yaml scenarios/demo_no_storage.yaml scenarios/demo_no_certificates.yaml \
	scenarios/demo_high_carbon_price.yaml scenarios/demo_gas_as_is.yaml

# The demo and its variants side by side, hourly (about 10 minutes: each with heat takes HiGHS 1.5–3 min),
# and the README's picture of the page.
compare-demo: $(STAMP)
	$(BIN)/zcf compare $(DEMOS) --out results/compare_demo.html
	$(BIN)/python -m tests.browser results/compare_demo.html docs/compare.png

# The README's study pictures, from the shipped sweeps and the frontier on the demo's typical days.
docs-pictures: $(STAMP)
	$(BIN)/zcf sweep scenarios/sweep_pv_capex_certificates.yaml --out results/sweep_grid --workers 2
	$(BIN)/zcf sweep scenarios/sweep_tornado.yaml --out results/tornado --workers 2
	$(BIN)/zcf pareto scenarios/demo_typical_days.yaml --points 11 --out results/pareto --workers 2
	cp results/sweep_grid/heatmap.png docs/sweep_heatmap.png
	cp results/tornado/tornado.png docs/tornado.png
	cp results/pareto/pareto.png results/pareto/mac_curve.png docs/

# Every test (about 6 minutes on a 2-core machine), after installing what the page tests need.
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest

# Debian's Chromium and chromedriver for the page tests, installed when missing.
browser:
	@bash tests/ensure_browser.sh

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz_scenario.py

# Where the time goes, against the solver floor and the peer (about 18 minutes; bench/README.md).
bench: $(STAMP)
	$(BIN)/python -m bench.run

lint: $(STAMP)
	$(BIN)/ruff check .

docs: $(STAMP)
	$(BIN)/python -m models.scenario.schema_doc README.md
	$(BIN)/python -m optimizer.model.doc README.md

clean:
	rm -rf $(VENV) results .pytest_cache
