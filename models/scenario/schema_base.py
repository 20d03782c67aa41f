"""What every section of the scenario file shares: strict validation and the common field types.

Split from `models.scenario.schema`, which re-exports everything here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict


def _must_exist(path: Path) -> Path:
    if not path.is_file():
        raise ValueError(f"file not found: {path}")
    return path


ExistingFile = Annotated[Path, Strict(False), AfterValidator(_must_exist)]  # text from YAML becomes a Path
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Hour = Annotated[int, Strict(), Field(ge=0, le=24)]
Seed = Annotated[int, Field(ge=0)]


class Section(BaseModel):
    """A block of the scenario file: unknown keys are errors, not silently ignored.

    Strict types: YAML already gives numbers, booleans and lists their own types, so a quoted
    number or `yes` for a number is a mistake to report, not a value to convert.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
