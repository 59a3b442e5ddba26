"""`poolbooks accounts`: check the config and list the accounts it defines."""

from __future__ import annotations

from pathlib import Path

from poolbooks.cli.app import app, err_console, one_line_errors, out_console
from poolbooks.cli.options import CONFIG_OPTION, config_from


@app.command()
@one_line_errors
def accounts(config: Path | None = CONFIG_OPTION) -> None:
    """Validate the config and list its accounts, marking those whose key variable is not set
    (keys are never shown)."""
    from rich.table import Table  # imported by the command that shows one

    settings = config_from(config, require_keys=False)
    table = Table(title=f"accounts ({settings.source or 'from environment'})")
    for column in ("name", "puid", "coin", "region", "api", "key from"):
        table.add_column(column)
    unset = []
    for account in settings.accounts:
        key_from = "$" + account.access_key_env
        if not account.access_key.reveal():
            unset.append(account.access_key_env)
            key_from += " [red](not set)[/red]"
        table.add_row(
            account.name,
            str(account.puid),
            account.coin,
            account.region,
            account.api_base_url,
            key_from,
        )
    out_console().print(table)
    if unset:
        line = (
            f"warning: {len(unset)} of {len(settings.accounts)} accounts have no key: "
            f"{', '.join(unset)} not set; ingest and snapshot need them"
        )
        env_file = settings.source.parent / ".env" if settings.source else None
        if env_file is not None and env_file.is_file():  # a demo's keys, beside its config
            line += f"; to set them from {env_file}: set -a; . {env_file}; set +a"
        err_console.print(line, markup=False, soft_wrap=True)
