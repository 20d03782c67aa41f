"""A roadmap's data: each model year's `Inputs` (paths read at that year, its target set) and the
weights that turn yearly money into present value at the base year.

Conventions (one home for every weight of a roadmap; r is `finance.discount_rate`, real):
    a model year y stands for the years y … next model year − 1 (the last one up to end_year)
    an investment made in year b is paid at its start:        D_b = (1 + r)^−(b − base)
    a year k's operating costs and fixed O&M at its end:      (1 + r)^−(k − base + 1)
    a model year's weight:                                    F_y = Σ_{k it stands for} (1 + r)^−(k − base + 1)
    an asset built in b is in service in model year y when    b ≤ y < b + lifetime
    value left after end_year (straight line):                capex · (b + L − 1 − end) / L · (1 + r)^−(end − base + 1)
    serving past its life (b + L ≤ k, k a year model year y stands for): leased at its annuity,
                                                              capex_y · crf(r, L) · Σ_k (1 + r)^−(k − base + 1)
The last rule keeps a long last span honest: a battery built in 2026 with a 12-year life that
serves model year 2030 standing for 2030–2050 is paid for in 2038–2050 as if renewed, at the
yearly cost a single-year plan gives it, instead of serving those years for free.
With one model year at the base year and end_year = base + L − 1 for an asset life L, the present
value is the single-year annual cost times (1 − (1 + r)^−L) / r, the inverse of the capital
recovery factor (README, "Roadmap").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from numbers import Real
from typing import Any

from models.errors import InputError
from models.inputs.assemble import build_inputs
from models.inputs.finance import capital_recovery_factor
from models.inputs.types import Inputs
from models.scenario.dotted import get_value, parse_path, set_value
from models.scenario.loading import validate
from models.scenario.schema import Roadmap, Scenario, YearTarget


@dataclass(frozen=True)
class RoadmapInputs:
    """Everything a roadmap model reads: the model years' `Inputs` and the base year's reference."""

    name: str
    base_year: int
    end_year: int
    discount_rate: float
    inputs: dict[int, Inputs]  # by model year, ascending; each with its year's target as max_net_t
    base_emissions_t: float  # business-as-usual net emissions of the base year (market-based)
    targets: dict[int, dict[str, Any]]  # each target year's target as written, e.g. {"reduction_pct": 50}

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.inputs)

    def stands_for(self, year: int) -> range:
        """The calendar years model year `year` stands for."""
        later = [y for y in self.years if y > year]
        return range(year, later[0] if later else self.end_year + 1)

    def _end_of(self, k: int) -> float:
        return (1.0 + self.discount_rate) ** -(k - self.base_year + 1)

    def investment_weight(self, year: int) -> float:
        """D_b: present value of one unit of money invested at the start of `year`."""
        return (1.0 + self.discount_rate) ** -(year - self.base_year)

    def operating_weight(self, year: int) -> float:
        """F_y: present value of one unit of money spent each year model year `year` stands for."""
        return sum(self._end_of(k) for k in self.stands_for(year))

    def in_service(self, built: int, year: int, lifetime_years: int) -> bool:
        """Whether an asset built in model year `built` serves in model year `year`."""
        return built <= year < built + lifetime_years

    def past_life_weight(self, built: int, year: int, lifetime_years: int) -> float:
        """Present value, per unit of capex at `year`'s price, of leasing an asset built in `built` for the
        years model year `year` stands for after its life has ended (0 when its life covers them)."""
        past = [k for k in self.stands_for(year) if k >= built + lifetime_years]
        if not past or not self.in_service(built, year, lifetime_years):
            return 0.0
        return capital_recovery_factor(self.discount_rate, lifetime_years) * sum(self._end_of(k) for k in past)

    def salvage_weight(self, built: int, lifetime_years: int) -> float:
        """Present value, per unit of capex, of what an asset built in `built` is still worth after end_year."""
        left = built + lifetime_years - 1 - self.end_year
        return max(left, 0) / lifetime_years * self._end_of(self.end_year)

    @property
    def time_limit_s(self) -> float:
        return min(inp.time_limit_s for inp in self.inputs.values())

    @property
    def mip_gap(self) -> float:
        return min(inp.mip_gap for inp in self.inputs.values())


def path_value(points: dict[int, float], year: int) -> float:
    """A path's value in `year`: linear between the years given, flat before the first and after the last."""
    known = sorted(points)
    if year <= known[0]:
        return float(points[known[0]])
    if year >= known[-1]:
        return float(points[known[-1]])
    after = next(k for k in known if k >= year)
    before = known[known.index(after) - 1]
    share = (year - before) / (after - before)
    return float(points[before] + share * (points[after] - points[before]))


def target_t(target: YearTarget, base_emissions_t: float) -> float:
    """A year's cap on net emissions (tCO2e)."""
    if target.net_zero:
        return 0.0
    if target.max_emissions_t is not None:
        return float(target.max_emissions_t)
    return (1.0 - target.reduction_pct / 100.0) * base_emissions_t


def year_scenario(scenario: Scenario, year: int) -> Scenario:
    """The scenario as it stands in `year`: every roadmap path read at that year, the roadmap itself removed."""
    roadmap = _roadmap_of(scenario)
    raw = scenario.model_dump(exclude_unset=True)
    raw.pop("roadmap", None)
    for path, points in roadmap.paths.items():
        where = f"roadmap.paths.{path}"
        try:
            steps = parse_path(path)
            now = get_value(raw, steps, path)
            if now is not None and (isinstance(now, bool) or not isinstance(now, Real)):
                raise InputError(f"{path!r} holds {type(now).__name__} {now!r}, not a number; a path "
                                 "changes a numeric field")
            raw = set_value(raw, steps, path_value(points, year), path)
        except InputError as exc:
            raise exc.prefixed(where) from None
    return validate(raw, where=f"roadmap year {year}")


def build_roadmap_inputs(scenario: Scenario) -> RoadmapInputs:
    """Each model year's `Inputs` (and the base year's reference emissions) of a scenario with a roadmap."""
    roadmap = _roadmap_of(scenario)
    inputs = {year: build_inputs(year_scenario(scenario, year)) for year in roadmap.years}
    base = inputs.get(roadmap.base_year) or build_inputs(year_scenario(scenario, roadmap.base_year))
    base_t = base.bau_emissions_t
    for year, inp in inputs.items():
        target = roadmap.targets.get(year)
        inputs[year] = replace(inp, name=f"{scenario.name} {year}",
                               max_net_t=None if target is None else target_t(target, base_t))
    return RoadmapInputs(
        name=scenario.name, base_year=roadmap.base_year, end_year=roadmap.last_year,
        discount_rate=scenario.finance.discount_rate, inputs=inputs, base_emissions_t=base_t,
        targets={y: t.model_dump(exclude_none=True) for y, t in roadmap.targets.items()},
    )


def _roadmap_of(scenario: Scenario) -> Roadmap:
    if scenario.roadmap is None:
        raise InputError(f"{scenario.name}: the scenario has no roadmap section; add roadmap: {{base_year, years, "
                         "targets, paths}} or solve it as one year (zcf solve)")
    return scenario.roadmap
