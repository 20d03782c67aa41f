"""A scenario assembled into `Inputs`: plain arrays on the model's steps, in model units.

`types` holds the dataclasses the optimizer reads; `assemble` builds them from a validated
scenario; `aggregate` turns a year into typical days; `finance` annualises investments.
"""

from models.inputs.types import (
    CertificateInputs,
    CreditInputs,
    ElectricHeaterInputs,
    GreenPowerInputs,
    HeatDemandInputs,
    HeatInputs,
    HeatPumpInputs,
    Inputs,
    MeasureInputs,
    PvArrayInputs,
    PvInputs,
    StorageInputs,
    ThermalStorageInputs,
    TypicalDays,
)

__all__ = ["CertificateInputs", "CreditInputs", "ElectricHeaterInputs", "GreenPowerInputs", "HeatDemandInputs",
           "HeatInputs", "HeatPumpInputs", "Inputs", "MeasureInputs", "PvArrayInputs", "PvInputs", "StorageInputs",
           "ThermalStorageInputs", "TypicalDays"]
