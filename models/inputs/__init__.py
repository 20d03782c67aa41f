"""A scenario assembled into `Inputs`: plain arrays on the model's steps, in model units.

`types` holds the dataclasses the optimizer reads; `assemble` builds them from a validated
scenario; `aggregate` turns a year into typical days; `finance` annualises investments.
"""

from models.inputs.types import (
    CertificateInputs,
    CreditInputs,
    GreenPowerInputs,
    Inputs,
    PvArrayInputs,
    PvInputs,
    StorageInputs,
    TypicalDays,
)

__all__ = ["CertificateInputs", "CreditInputs", "GreenPowerInputs", "Inputs", "PvArrayInputs", "PvInputs",
           "StorageInputs", "TypicalDays"]
