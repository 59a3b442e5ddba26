"""`poolbooks accounts`: check the config and list the accounts it defines."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from poolbooks.cli.app import app, one_line_errors, out_console
from poolbooks.cli.options import CONFIG_OPTION, config_from


@app.command()
@one_line_errors
def accounts(config: Path | None = CONFIG_OPTION) -> None:
    """Validate the config and list its accounts (keys are never shown)."""
    settings = config_from(config)
    table = Table(title=f"accounts ({settings.source or 'from environment'})")
    for column in ("name", "puid", "coin", "region", "api", "key from"):
        table.add_column(column)
    for account in settings.accounts:
        table.add_row(
            account.name,
            str(account.puid),
            account.coin,
            account.region,
            account.api_base_url,
            "$" + account.access_key_env,
        )
    out_console().print(table)
