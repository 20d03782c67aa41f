"""The roadmap section: model years from a base year to an end year, yearly targets and value paths.

A scenario with a roadmap is solved as one plan over several model years (`zcf roadmap`): each
model year is the scenario with every path read at that year, and stands for the years up to the
next model year (the last up to `end_year`). Re-exported by `models.scenario.schema`.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated

from pydantic import Field, Strict, model_validator

from models.scenario.schema_base import Section

# A year as a mapping key: YAML gives 2030 as a number, JSON and a quoted YAML key as "2030"; both mean the year.
YearKey = Annotated[int, Strict(False), Field(ge=1990, le=2150)]
Year = Annotated[int, Field(ge=1990, le=2150)]


class YearTarget(Section):
    """One model year's cap on net emissions: exactly one of the three ways to say it."""

    reduction_pct: float | None = Field(
        None, ge=0, le=100, description="Net emissions ≤ (1 − reduction_pct / 100) × the base year's "
        "business-as-usual net emissions.")
    net_zero: bool | None = Field(None, description="true: net emissions ≤ 0.")
    max_emissions_t: float | None = Field(None, ge=0, description="Net emissions ≤ this (tCO2e in the year).")

    @model_validator(mode="after")
    def _exactly_one(self) -> YearTarget:
        given = [name for name in ("reduction_pct", "net_zero", "max_emissions_t") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of reduction_pct, net_zero, max_emissions_t; got "
                             f"{', '.join(given) if given else 'none'}")
        if self.net_zero is False:
            raise ValueError("net_zero: false sets no target; leave the year out of roadmap.targets instead")
        return self


class Roadmap(Section):
    """Model years from today's plant to its targets, with what changes from year to year."""

    base_year: int = Field(ge=1990, le=2100, description="The baseline year: its business-as-usual net "
                           "emissions are the reference of reduction targets; present values are counted to it.")
    years: list[Year] = Field(min_length=1, max_length=30, description="Model years, ascending, none before "
                             "base_year; each is operated on its own steps and stands for every year up to the next.")
    end_year: int | None = Field(None, ge=1990, le=2150, description="Last year counted; default: the last model "
                                 "year. The last model year stands for the years up to it.")
    targets: dict[YearKey, YearTarget] = Field(default_factory=dict, description="Per model year: "
                                           "{reduction_pct: 50}, {net_zero: true} or {max_emissions_t: 40000}; "
                                           "a year left out has no emissions target.")
    paths: dict[str, dict[YearKey, float]] = Field(
        default_factory=dict, description="Numeric scenario fields by dotted path (as in sweeps), each as "
        "{year: value}: linear between the years given, flat before the first and after the last.")

    @model_validator(mode="after")
    def _years_in_order(self) -> Roadmap:
        years = self.years
        if any(b <= a for a, b in pairwise(years)):
            raise ValueError(f"years {years} must be ascending, each year once")
        if years[0] < self.base_year:
            raise ValueError(f"years: {years[0]} is before base_year {self.base_year}; model years start at "
                             "the base year or later")
        if self.end_year is not None and self.end_year < years[-1]:
            raise ValueError(f"end_year {self.end_year} is before the last model year {years[-1]}")
        stray = sorted(set(self.targets) - set(years))
        if stray:
            raise ValueError(f"targets for {', '.join(map(str, stray))}: not a model year; model years are "
                             f"{', '.join(map(str, years))}")
        for path, points in self.paths.items():
            if not points:
                raise ValueError(f"paths.{path}: give at least one {{year: value}}")
        return self

    @property
    def last_year(self) -> int:
        """The last year counted: `end_year`, or the last model year."""
        return self.years[-1] if self.end_year is None else self.end_year
