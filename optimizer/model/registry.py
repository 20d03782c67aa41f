"""The assets of the model, in the order they are built, and what is derived from them.

The order is the order of the model's components (and so of HiGHS's columns and rows): an asset
may read what an earlier one declared (the demand charge reads green power's delivery, the
emissions read the grid import, the certificates and the credits). Every list a report, a page
or a study shows per asset (cost items in words, decisions, sections a scenario may leave out)
is read from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from optimizer.model.base import STEP_KINDS, Asset, Decision, EmissionStep
from optimizer.model.certificates import Certificates
from optimizer.model.credits import Credits
from optimizer.model.demand_charge import DemandCharge
from optimizer.model.emissions import Emissions
from optimizer.model.export import Export
from optimizer.model.green_power import GreenPower
from optimizer.model.grid import Grid
from optimizer.model.heat import Heat
from optimizer.model.measures import Measures
from optimizer.model.pv import Pv
from optimizer.model.storage import Storage

ASSETS: list[Asset] = [Grid(), Pv(), Storage(), GreenPower(), Export(), DemandCharge(), Measures(), Heat(),
                       Certificates(), Credits(), Emissions()]
_BUILT_IN = tuple(type(a) for a in ASSETS)


def is_built_in() -> bool:
    """Whether the registry holds its own assets only (no `extended` block is open)."""
    return tuple(type(a) for a in ASSETS) == _BUILT_IN


@contextmanager
def extended(asset: Asset, before: str = "emissions") -> Iterator[Asset]:
    """The registry with `asset` added before the one named `before`, for the block's duration.

    The way to try an asset without editing any file: every model, summary and report made
    inside the block has it.
    """
    names = [a.name for a in ASSETS]
    if asset.name in names:
        raise ValueError(f"an asset named {asset.name!r} is in the registry already")
    if before not in names:
        raise ValueError(f"before={before!r}: no such asset; the registry has {', '.join(names)}")
    ASSETS.insert(names.index(before), asset)
    try:
        yield asset
    finally:
        ASSETS.remove(asset)


def cost_labels() -> dict[str, str]:
    """Each cost item (`cost_<item>` in the model, `<item>` in the summary's costs) in words."""
    return {item: label for a in ASSETS for item, label in a.cost_labels.items()}


def decisions(kind: str | None = None) -> list[Decision]:
    """What a plan decides (`kind` "decision") and makes happen ("flow"), in registry order."""
    return [d for a in ASSETS for d in a.decisions if kind is None or d.kind == kind]


def study_columns() -> list[Decision]:
    """The decisions a sweep or a Pareto frontier tabulates, one column each."""
    return [d for d in decisions("decision") if not d.per_item]



def emission_steps() -> list[EmissionStep]:
    """The steps from business-as-usual emissions to net: cuts, then additions, then instruments,
    each kind in registry order."""
    steps = [s for a in ASSETS for s in ((a.step,) if a.step is not None else ()) + a.more_steps]
    return sorted(steps, key=lambda s: STEP_KINDS.index(s.kind))


def colors() -> dict[str, str]:
    """The colour of every label an asset names (cost items, measures, flows)."""
    return {label: color for a in ASSETS for label, color in a.colors.items()}
