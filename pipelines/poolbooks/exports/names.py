"""The export formats and bases by name (light, so that the CLI can list them instantly)."""

FORMATS = ("generic", "koinly", "cointracker")
BASES = ("receipt", "accrual")
