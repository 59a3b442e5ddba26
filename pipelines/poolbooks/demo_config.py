"""Config for simulated accounts: their `[[accounts]]` tables (with power draws), keys, the
farm's `[costs]`, and a poolbooks.toml."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.hosts import DEFAULT_REGION
from poolbooks.redaction import Secret
from poolbooks.simulator.accounts import SimAccount
from poolbooks.simulator.pool import SimulatedPool

# The simulated farm's machines, by account in turn: joules per TH. The even ones (sim001,
# sim003, ...) are given as a constant draw in watts, that efficiency at the account's mean
# hashrate of its last 30 days; the odd ones as the efficiency itself, so their energy follows
# the hashrate snapshots (and days without snapshots have no cost: NULL, not 0).
DEMO_J_PER_TH = ("17.5", "21.5", "29.5", "15")
MEAN_DAYS = 30
# Its electricity (a tariff that changes mid-month, about a year in) and fixed costs, in USD.
DEMO_TARIFFS = ("0.045", "0.0525")
DEMO_FIXED_PER_MONTH = "450"


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
    """The `[[accounts]]` tables of a poolbooks.toml for this simulator's accounts, each with
    its power draw, then the farm's `[costs]`; and the environment holding their keys (the
    file only names the variables)."""
    lines: list[str] = []
    environ: dict[str, str] = {}
    for account, sim in zip(config_accounts(pool, base_url), pool.accounts, strict=True):
        lines += [
            "[[accounts]]",
            f'name = "{account.name}"',
            f"puid = {account.puid}",
            f'access_key_env = "{account.access_key_env}"',
            f'coin = "{account.coin}"',
            f'base_url = "{account.base_url}"',
            power_line(pool, sim),
            "",
        ]
        environ[account.access_key_env] = account.access_key.reveal()
    return [*lines, *costs_table(pool.first_day)], environ


def power_line(pool: SimulatedPool, account: SimAccount) -> str:
    """The account's `power_watts` or `efficiency_j_per_th` (DEMO_J_PER_TH)."""
    index = pool.accounts.index(account)
    j_per_th = float(DEMO_J_PER_TH[index % len(DEMO_J_PER_TH)])
    if index % 2:
        return f'efficiency_j_per_th = "{DEMO_J_PER_TH[index % len(DEMO_J_PER_TH)]}"'
    # the days before the history's `days`-th, not before today: the demo writes its config
    # again when its clock has moved on, and the same draw keeps the published warehouse's
    # settings (a later build updates it instead of building whole)
    days = [pool.habits_day - timedelta(days=n) for n in range(1, MEAN_DAYS + 1)]
    mean_ths = sum(pool.day_hashrate_hs(account, day) for day in days) / MEAN_DAYS / 1e12
    return f"power_watts = {round(mean_ths * j_per_th, -2):.0f}  # {j_per_th:g} J/TH"


def costs_table(first_day: date) -> list[str]:
    """`[costs]`: the tariff from the first day, changed on the 15th of the month a year on,
    and fixed costs per month from the first day."""
    later = first_day + timedelta(days=365)
    change = date(later.year, later.month, 15)
    return [
        "[costs]  # the simulated farm's, in USD ([prices] currency)",
        "electricity = [",
        f'    {{ from = {first_day.isoformat()}, price_per_kwh = "{DEMO_TARIFFS[0]}" }},',
        f'    {{ from = {change.isoformat()}, price_per_kwh = "{DEMO_TARIFFS[1]}" }},',
        "]",
        f'fixed = [{{ from = {first_day.isoformat()}, per_month = "{DEMO_FIXED_PER_MONTH}" }}]',
        "",
    ]


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
