"""What every section of the scenario file shares: strict validation and the common field types.

Split from `models.scenario.schema`, which re-exports everything here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from models.data.file_access import NOT_FOUND, file_problem, shown_path
from models.scenario.ranges import FieldRange, field_range, value_problems


def _must_exist(path: Path) -> Path:
    """`path` if it is a readable regular file; else why not: not found, a folder, a FIFO, a symlink loop."""
    problem = file_problem(path)
    if problem == NOT_FOUND:
        raise ValueError(f"file not found: {shown_path(path)}")
    if problem is not None:
        raise ValueError(f"{shown_path(path)} {problem}")
    return path


ExistingFile = Annotated[Path, Strict(False), AfterValidator(_must_exist)]  # text from YAML becomes a Path
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Hour = Annotated[int, Strict(), Field(ge=0, le=24)]
Seed = Annotated[int, Field(ge=0)]
Problem = tuple[tuple[str | int, ...], str]  # where (field names and list positions), what is wrong


def raise_at(problems: list[Problem], title: str) -> None:
    """Report each problem at its own field, from a validator of a section holding them all.

    A check across sections (a fuel and the boiler that burns it) runs in the section holding both,
    yet its error belongs to one field: `(("fuels", 0, "annual_mwh"), "...")` is reported as
    `fuels[gas].annual_mwh: ...`, not at the top of the scenario.
    """
    if problems:
        raise ValidationError.from_exception_data(title, [
            InitErrorDetails(type=PydanticCustomError("value_error", message), loc=loc, input=None)
            for loc, message in problems])


class Section(BaseModel):
    """A block of the scenario file: unknown keys are errors, not silently ignored.

    Strict types: YAML already gives numbers, booleans and lists their own types, so a quoted
    number or `yes` for a number is a mistake to report, not a value to convert.

    Every number is also held to its range: the field's own bounds, or those of its unit in
    `models.scenario.ranges` (a field ending in `_mwh` at most 1e8 MWh), so no absurd magnitude
    reaches the solver.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _in_range(cls, value: object, info: ValidationInfo) -> object:
        bounds = _field_range(cls, info.field_name) if info.field_name else None
        if bounds is not None:
            raise_at(list(value_problems(bounds, value)), cls.__name__)
        return value


@cache
def _field_range(cls: type[Section], name: str) -> FieldRange | None:
    return field_range(cls.model_fields[name], name)
