"""Process heat and efficiency measures: the heat the plant needs, the boiler that meets it today, what
may replace it (heat pump, electric heater, thermal store), and measures taken whole or not at all.

Part of the scenario schema; `models.scenario.schema` re-exports every name.

Heat pump COP. A `cop` given is used for every demand and for charging the thermal store. Left out,
the COP follows the temperature the heat is delivered at, as a share of the Carnot COP:

    COP(T) = carnot_share × (T + 273.15) / (T − source_temperature_c)      T: the demand's temperature (°C)

capped at MAX_COP (8): the formula grows without bound as T nears the source temperature, and no
unit lifts heat by a few kelvin at COP 20. A demand at or below the source temperature gets MAX_COP
too (the heat pump still serves it; using the source directly is not modelled). With the defaults
(source 30 °C, carnot_share 0.5): COP 5.55 at 60 °C, 4.29 at 70 °C, 3.53 at 80 °C, 2.67 at 100 °C,
2.18 at 120 °C, 1.88 at 140 °C, 1.67 at 160 °C; the cap binds below about 50 °C.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PlainValidator, model_validator

from models.errors import short_repr
from models.scenario.schema_base import NonNegative, Problem, Section
from models.scenario.schema_plant import Fuel

# Calibration of the COP model's defaults against "Industrial heat pumps: COP 3–4.5 for 60–80 °C from
# 25–35 °C waste heat; high-temperature units to 120–160 °C at COP 1.8–2.5". With a 30 °C source (the
# middle of 25–35 °C) and carnot_share 0.5 the model gives 4.29 at 70 °C and 3.53 at 80 °C (inside
# 3–4.5), 2.18 at 120 °C and 1.88 at 140 °C (inside 1.8–2.5). It is optimistic at the smallest lifts
# (5.55 at 60 °C, above 4.5: the formula ignores the heat exchangers' temperature differences) and
# pessimistic at the top (1.67 at 160 °C, below 1.8: such units usually draw on warmer waste heat;
# give source_temperature_c, e.g. 60 °C gives 2.16 at 160 °C). The shares that fit each band alone
# are 0.44 (70 °C) and 0.57 (140 °C); 0.5 sits between them.
MAX_COP = 8.0
KELVIN = 273.15

HeatProfileWord = Literal["production", "flat"]
MeasureProfileWord = Literal["load", "flat"]
HEAT_PROFILE_WORDS: tuple[str, ...] = typing.get_args(HeatProfileWord)
MEASURE_PROFILE_WORDS: tuple[str, ...] = typing.get_args(MeasureProfileWord)


def _word_or_file(words: tuple[str, ...]) -> Callable[[object], str | Path]:
    """A validator taking one of `words` as it is, or the path of an existing file as a Path."""
    allowed = ", ".join(repr(w) for w in words)

    def check(value: object) -> str | Path:
        if isinstance(value, str) and value in words:
            return value
        if isinstance(value, str | Path) and str(value) and Path(value).is_file():
            return Path(value)
        if not isinstance(value, str | Path):
            raise ValueError(f"got {short_repr(value)}; give {allowed} or the path of a CSV file of 8760 "
                             "relative hourly values")
        close = difflib.get_close_matches(Path(value).name, words, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{str(value)!r} is neither {allowed} nor an existing CSV file{hint}")

    return check


HeatProfile = Annotated[HeatProfileWord | Path, PlainValidator(_word_or_file(HEAT_PROFILE_WORDS))]
MeasureProfile = Annotated[MeasureProfileWord | Path, PlainValidator(_word_or_file(MEASURE_PROFILE_WORDS))]


class HeatDemand(Section):
    name: str = Field(min_length=1, description="Process name, unique, e.g. paint_ovens.")
    annual_mwh: NonNegative = Field(
        description="Heat the process needs in a year (MWh of heat delivered), met today by the boiler; "
        "not multiplied by load.scale (give each model year's figure through roadmap.paths)."
    )
    temperature_c: float = Field(
        gt=0, le=1000, description="Temperature the heat is needed at (°C): a heat pump serves it only up to "
        "its max_temperature_c, at the COP of this temperature."
    )
    profile: HeatProfile = Field(
        "production", description="When the heat is needed: 'production' (the shape of the plant's electricity "
        "load: heat follows production as electricity does), 'flat', or a CSV path of 8760 relative hourly values."
    )


class Boiler(Section):
    fuel: str = Field(
        min_length=1, description="The entry of fuels it burns (its price and emission factor); how much it burns "
        "is decided by the model, so that fuel gives no annual_mwh."
    )
    efficiency: float = Field(
        0.9, gt=0, le=1.1, description="Heat delivered per unit of fuel (lower heating value); condensing boilers "
        "exceed 1 on that basis, up to about 1.08."
    )


class HeatPump(Section):
    capex_per_kw_th: NonNegative = Field(description="Installed cost per kW of heat output (currency/kW_th).")
    fixed_om_per_kw_th_year: NonNegative = Field(0.0, description="Fixed O&M (currency/kW_th·year).")
    lifetime_years: int = Field(20, ge=1, le=60, description="Economic lifetime (years).")
    max_temperature_c: float = Field(
        100.0, gt=0, le=300, description="Hottest heat it delivers (°C): it serves only demands at or below it, and "
        "charges the thermal store only if the store's max_temperature_c is at or below it. Default: the top of "
        "conventional industrial units; high-temperature units reach 120–160 °C."
    )
    cop: float | None = Field(
        None, ge=1, le=10, description="Heat out per unit of electricity, for every demand and the store; left out: "
        "COP(T) = carnot_share × (T + 273.15) / (T − source_temperature_c), T the demand's temperature (°C), "
        "capped at 8 (also for T at or below the source)."
    )
    source_temperature_c: float = Field(
        30.0, ge=-30, le=150, description="Temperature of the heat source, waste heat or ambient (°C), for the "
        "COP model when cop is left out."
    )
    carnot_share: float = Field(
        0.5, gt=0, le=1, description="Share of the Carnot COP reached, for the COP model when cop is left out; "
        "with a 30 °C source, 0.5 gives COP 3.5 at 80 °C and 2.2 at 120 °C (industrial units: 3–4.5 at "
        "60–80 °C, 1.8–2.5 at 120–160 °C)."
    )
    max_kw_th: NonNegative | None = Field(None, description="Largest heat output that may be built (kW_th); "
                                          "none: no limit.")

    @model_validator(mode="after")
    def _one_cop(self) -> HeatPump:
        problems = []
        if self.cop is not None:
            defaults = type(self).model_fields
            ignored = [f"{f} {getattr(self, f):g}" for f in ("source_temperature_c", "carnot_share")
                       if getattr(self, f) != defaults[f].default]
            if ignored:
                problems.append(f"{' and '.join(ignored)} would be ignored: cop {self.cop:g} is used for every "
                                "temperature; remove cop to use the temperature model, or remove "
                                f"{' and '.join(i.split()[0] for i in ignored)}")
        elif self.max_temperature_c <= self.source_temperature_c:
            problems.append(f"max_temperature_c {self.max_temperature_c:g} is not above source_temperature_c "
                            f"{self.source_temperature_c:g}: the heat pump would lift its heat by nothing")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def cop_at(self, temperature_c: float) -> float:
        """COP when delivering heat at `temperature_c` (°C): `cop`, or the capped Carnot-share model."""
        if self.cop is not None:
            return self.cop
        lift = temperature_c - self.source_temperature_c
        if lift <= 0:
            return MAX_COP
        return min(MAX_COP, self.carnot_share * (temperature_c + KELVIN) / lift)


class ElectricHeater(Section):
    capex_per_kw_th: NonNegative = Field(description="Installed cost per kW of heat output (currency/kW_th), "
                                         "e.g. an electrode boiler.")
    fixed_om_per_kw_th_year: NonNegative = Field(0.0, description="Fixed O&M (currency/kW_th·year).")
    efficiency: float = Field(0.99, gt=0, le=1, description="Heat delivered per unit of electricity; serves "
                              "every demand whatever its temperature.")
    lifetime_years: int = Field(20, ge=1, le=60, description="Economic lifetime (years).")
    max_kw_th: NonNegative | None = Field(None, description="Largest heat output that may be built (kW_th); "
                                          "none: no limit.")


class ThermalStorage(Section):
    capex_per_kwh_th: NonNegative = Field(description="Cost of storage capacity (currency/kWh_th).")
    fixed_om_per_kwh_th_year: NonNegative = Field(0.0, description="Fixed O&M (currency/kWh_th·year).")
    loss_share_per_hour: float = Field(0.005, ge=0, lt=1, description="Share of the stored heat lost each hour; "
                                       "0.005 loses about 11 % a day.")
    lifetime_years: int = Field(25, ge=1, le=60, description="Economic lifetime (years).")
    max_kwh_th: NonNegative | None = Field(None, description="Largest capacity that may be built (kWh_th); "
                                           "none: no limit.")
    max_temperature_c: float = Field(
        gt=0, le=1000, description="Temperature the store holds its heat at (°C), no default: it serves demands at "
        "or below it, and a heat pump charges it only if the heat pump reaches it (e.g. 90 for a hot-water tank, "
        "200 for pressurised water or steam)."
    )


class Heat(Section):
    """The plant's process heat: what it needs, what meets it today, what may replace that."""

    demands: list[HeatDemand] = Field(min_length=1, description="Heat the plant needs, by process and temperature.")
    boiler: Boiler = Field(description="Today's supply: a fuel-fired boiler that can meet every demand.")
    heat_pump: HeatPump | None = Field(None, description="An electric heat pump; left out: none can be built.")
    electric_heater: ElectricHeater | None = Field(
        None, description="A resistive or electrode heater; left out: none can be built.")
    thermal_storage: ThermalStorage | None = Field(
        None, description="A heat store charged by the heat pump or heater; left out: none can be built.")

    @model_validator(mode="after")
    def _unique_names(self) -> Heat:
        names = [d.name for d in self.demands]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"demands: names must be unique; repeated: {dupes}")
        return self


class Measure(Section):
    """An efficiency measure: taken whole or not at all, it saves fixed amounts a year for its capex."""

    name: str = Field(min_length=1, description="Measure name, unique, e.g. oven_heat_recovery.")
    capex: NonNegative = Field(description="Investment if taken (currency).")
    lifetime_years: int = Field(ge=1, le=60, description="Economic lifetime (years).")
    electricity_saved_mwh: NonNegative | None = Field(
        None, description="Electricity it saves a year (MWh), taken off the load with `profile`'s shape; not "
        "multiplied by load.scale."
    )
    heat_saved_mwh: dict[str, NonNegative] = Field(
        default_factory=dict, description="Heat it saves a year, by heat demand (MWh of heat), taken off that "
        "demand with the demand's own shape; the measures on one demand save at most its annual_mwh together."
    )
    fuel_saved_mwh: dict[str, NonNegative] = Field(
        default_factory=dict, description="Fuel it saves a year, by fuel with a fixed annual_mwh (MWh), at most that "
        "annual_mwh together; the boiler's fuel is saved through heat_saved_mwh."
    )
    profile: MeasureProfile = Field(
        "load", description="Shape of the electricity saving: 'load' (the shape of the plant's load), 'flat', "
        "or a CSV path of 8760 relative hourly values."
    )



def heat_problems(fuels: list[Fuel], heat: Heat | None, measures: list[Measure]) -> list[Problem]:
    """What the fuels, the heat section and the measures get wrong together, each at its field."""
    problems: list[Problem] = [*_fuel_problems(fuels, heat)]
    names = [m.name for m in measures]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append((("measures",), f"names must be unique; repeated: {dupes}"))
    demands = [d.name for d in heat.demands] if heat is not None else []
    fixed = [f.name for f in fuels if f.annual_mwh is not None]
    for i, m in enumerate(measures):
        if m.electricity_saved_mwh is None and not m.heat_saved_mwh and not m.fuel_saved_mwh:
            by_demand = f" (by heat demand: {', '.join(demands)})" if demands else ""
            by_fuel = f" (by fuel: {', '.join(fixed)})" if fixed else ""
            problems.append((("measures", i), f"saves nothing: give electricity_saved_mwh, heat_saved_mwh{by_demand} "
                             f"or fuel_saved_mwh{by_fuel}"))
        elif m.electricity_saved_mwh is None and m.profile != "load":
            problems.append((("measures", i, "profile"), f"{str(m.profile)!r} would be ignored: it shapes "
                             "electricity_saved_mwh, which is not given; remove profile or give electricity_saved_mwh"))
    problems += _heat_saved_problems(heat, measures)
    problems += _fuel_saved_problems(fuels, heat, measures)
    return problems


def _fuel_problems(fuels: list[Fuel], heat: Heat | None) -> list[Problem]:
    names = [f.name for f in fuels]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        return [(("fuels",), f"names must be unique; repeated: {dupes}")]
    boiler_fuel = heat.boiler.fuel if heat is not None else None
    if boiler_fuel is not None and boiler_fuel not in names:
        close = difflib.get_close_matches(boiler_fuel, names, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listed = f"fuels are {', '.join(names)}; name one of them, or" if names else "fuels is empty;"
        return [(("heat", "boiler", "fuel"), f"{boiler_fuel!r} is not an entry of fuels ({listed} add it to fuels "
                 f"with its emission_factor_t_per_mwh and price_per_mwh, without annual_mwh){hint}")]
    problems: list[Problem] = []
    for i, fuel in enumerate(fuels):
        where = ("fuels", i, "annual_mwh")
        if fuel.name == boiler_fuel and fuel.annual_mwh is not None:
            problems.append((where, f"{fuel.annual_mwh:g} would be ignored: heat.boiler.fuel names {fuel.name!r}, "
                             "and how much the boiler burns is decided from heat.demands; remove "
                             f"fuels[{fuel.name}].annual_mwh (or name another fuel in heat.boiler.fuel)"))
        elif fuel.name != boiler_fuel and fuel.annual_mwh is None:
            said = "got None;" if "annual_mwh" in fuel.model_fields_set else "required field is missing:"
            problems.append((where, f"{said} give the fuel burnt in a year (MWh), a number, unless heat.boiler.fuel "
                             "names this fuel"))
    return problems


def _heat_saved_problems(heat: Heat | None, measures: list[Measure]) -> list[Problem]:
    problems: list[Problem] = []
    demands = {d.name: d for d in heat.demands} if heat is not None else {}
    saved: dict[str, list[tuple[int, float]]] = {}
    for i, m in enumerate(measures):
        if m.heat_saved_mwh and heat is None:
            problems.append((("measures", i, "heat_saved_mwh"), "needs a heat section: the heat it saves is taken "
                             "off heat.demands; add heat: {demands, boiler} or remove heat_saved_mwh"))
            continue
        for name, mwh in m.heat_saved_mwh.items():
            if name not in demands:
                close = difflib.get_close_matches(name, list(demands), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append((("measures", i, "heat_saved_mwh", name), f"{name!r} is not a heat demand; "
                                 f"heat.demands are {', '.join(demands)}{hint}"))
            else:
                saved.setdefault(name, []).append((i, mwh))
    return problems + _more_than_annual(saved, {n: d.annual_mwh for n, d in demands.items()}, measures,
                                        "heat_saved_mwh", "heat.demands")


def _fuel_saved_problems(fuels: list[Fuel], heat: Heat | None, measures: list[Measure]) -> list[Problem]:
    problems: list[Problem] = []
    fixed = {f.name: f for f in fuels if f.annual_mwh is not None}
    boiler_fuel = heat.boiler.fuel if heat is not None else None
    saved: dict[str, list[tuple[int, float]]] = {}
    for i, m in enumerate(measures):
        for name, mwh in m.fuel_saved_mwh.items():
            where = ("measures", i, "fuel_saved_mwh", name)
            if name == boiler_fuel:
                problems.append((where, f"{name!r} is the boiler's fuel (heat.boiler.fuel), which the model decides; "
                                 "give the heat the measure saves in heat_saved_mwh instead"))
            elif name not in fixed:
                close = difflib.get_close_matches(name, list(fixed), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                listed = f"fuels with annual_mwh are {', '.join(fixed)}" if fixed else "no fuel gives annual_mwh"
                problems.append((where, f"{name!r} is not a fuel with a fixed annual_mwh ({listed}){hint}"))
            else:
                saved.setdefault(name, []).append((i, mwh))
    return problems + _more_than_annual(saved, {n: f.annual_mwh or 0.0 for n, f in fixed.items()}, measures,
                                        "fuel_saved_mwh", "fuels")


def _more_than_annual(saved: dict[str, list[tuple[int, float]]], annual_mwh: dict[str, float],
                      measures: list[Measure], field: str, owner: str) -> list[Problem]:
    """Savings on one demand or fuel (by measure index) that together exceed its annual_mwh: at the
    measure's own key when one measure does it, at `measures` when several do together."""
    problems: list[Problem] = []
    for name, parts in saved.items():
        total, annual = sum(mwh for _, mwh in parts), annual_mwh[name]
        if total <= annual * (1 + 1e-9):
            continue
        if len(parts) == 1:
            problems.append((("measures", parts[0][0], field, name),
                             f"{total:g} exceeds {owner}[{name}].annual_mwh {annual:g}"))
        else:
            each = ", ".join(f"{measures[i].name} {mwh:g}" for i, mwh in parts)
            problems.append((("measures",), f"together save {total:g} MWh of {owner}[{name}] ({each}), more "
                             f"than its annual_mwh {annual:g}"))
    return problems
