"""The export formats and bases by name (light, so that the CLI can list them instantly)."""

from typing import Literal, get_args

Format = Literal["generic", "koinly", "cointracker"]
Basis = Literal["receipt", "accrual"]

FORMATS: tuple[str, ...] = get_args(Format)
BASES: tuple[str, ...] = get_args(Basis)
