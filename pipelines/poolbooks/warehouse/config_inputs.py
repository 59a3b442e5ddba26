"""The settings the models read as tables, `{{ config('name') }}`: each account's power draw,
the electricity tariff and the fixed costs, rendered into the SQL as typed literal relations
(the build opens no file for them, and a saved view over one keeps the values it was built
with)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from poolbooks.warehouse.cost_settings import CostSettings
from poolbooks.warehouse.templating import quote_literal

Value = str | date | Decimal | None


@dataclass(frozen=True)
class ConfigInput:
    """One input: its columns (name, DuckDB type) and its rows from the settings."""

    columns: tuple[tuple[str, str], ...]
    rows: Callable[[CostSettings], list[tuple[Value, ...]]]


CONFIG_INPUTS = {
    "account_power": ConfigInput(
        (
            ("account", "VARCHAR"),
            ("power_watts", "DECIMAL(18,3)"),
            ("efficiency_j_per_th", "DECIMAL(18,3)"),
        ),
        lambda costs: [
            (name, power.power_watts, power.efficiency_j_per_th)
            for name, power in sorted(costs.power.items())
        ],
    ),
    "electricity_tariff": ConfigInput(
        (("start_date", "DATE"), ("price_per_kwh", "DECIMAL(18,6)")),
        lambda costs: [(tariff.from_, tariff.price_per_kwh) for tariff in costs.electricity],
    ),
    "fixed_costs": ConfigInput(
        (("start_date", "DATE"), ("per_month", "DECIMAL(18,2)")),
        lambda costs: [(fixed.from_, fixed.per_month) for fixed in costs.fixed],
    ),
}


def _text(value: Value) -> str:
    """A value as SQL text, or NULL."""
    if value is None:
        return "null"
    return quote_literal(format(value, "f") if isinstance(value, Decimal) else str(value))


def relation(spec: ConfigInput, rows: list[tuple[Value, ...]]) -> str:
    """Rows as a DuckDB relation of the input's columns and types (no rows: an empty one). The
    values are text, cast to each column's type once outside the list: a list of plain
    literals binds faster than a cast per value, and text casts to a DECIMAL exactly."""
    if not rows:
        nulls = ", ".join(f"cast(null as {sql_type}) as {name}" for name, sql_type in spec.columns)
        return f"(select {nulls} limit 0)"
    lines = []
    for index, row in enumerate(rows):
        cells = [_text(value) for value in row]
        if index == 0:  # types the list's columns as text, even one whose values are all NULL
            cells = [f"cast({cell} as varchar)" for cell in cells]
        lines.append("(" + ", ".join(cells) + ")")
    names = ", ".join(name for name, _ in spec.columns)
    typed = ", ".join(f"cast({name} as {sql_type}) as {name}" for name, sql_type in spec.columns)
    values = ",\n    ".join(lines)
    return f"(select {typed} from (values\n    {values}\n) as config_rows ({names}))"


def config_relations(costs: CostSettings) -> dict[str, str]:
    """Every input as the relation `{{ config('name') }}` becomes."""
    return {name: relation(spec, spec.rows(costs)) for name, spec in CONFIG_INPUTS.items()}
