"""What every section of the scenario file shares: strict validation and the common field types.

Split from `models.scenario.schema`, which re-exports everything here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError


def _must_exist(path: Path) -> Path:
    if not path.is_file():
        raise ValueError(f"file not found: {path}")
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
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
