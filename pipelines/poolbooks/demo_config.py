"""Config for simulated accounts: their `[[accounts]]` tables, keys and a poolbooks.toml."""

from __future__ import annotations

from pathlib import Path

from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.hosts import DEFAULT_REGION
from poolbooks.redaction import Secret
from poolbooks.simulator.pool import SimulatedPool


def config_accounts(pool: SimulatedPool, base_url: str) -> list[Account]:
    """Config accounts that talk to this simulator (keys held as Secrets, never written)."""
    return [
        Account(
            name=a.name,
            puid=a.puid,
            coin=a.coin,
            region=DEFAULT_REGION[a.coin],
            access_key=Secret(a.access_key),
            access_key_env=f"POOLBOOKS_KEY_{a.name.upper()}",
            base_url=base_url,
        )
        for a in pool.accounts
    ]


def config_tables(pool: SimulatedPool, base_url: str) -> tuple[list[str], dict[str, str]]:
    """The `[[accounts]]` tables of a poolbooks.toml for this simulator's accounts, and the
    environment holding their keys (the file only names the variables)."""
    lines: list[str] = []
    environ: dict[str, str] = {}
    for account in config_accounts(pool, base_url):
        lines += [
            "[[accounts]]",
            f'name = "{account.name}"',
            f"puid = {account.puid}",
            f'access_key_env = "{account.access_key_env}"',
            f'coin = "{account.coin}"',
            f'base_url = "{account.base_url}"',
            "",
        ]
        environ[account.access_key_env] = account.access_key.reveal()
    return lines, environ


def write_sim_config(
    folder: Path, pool: SimulatedPool, base_url: str, extra: str = ""
) -> tuple[Path, dict[str, str]]:
    """A poolbooks.toml for the simulator's accounts (`extra` goes before them), and the
    environment holding their keys."""
    tables, environ = config_tables(pool, base_url)
    lines = ['lake = "data/lake"', 'warehouse = "data/warehouse.duckdb"', extra, "", *tables]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "poolbooks.toml"
    path.write_text("\n".join(lines))
    return path, environ
