"""`poolbooks demo`: the whole thing, offline, against the built-in simulator."""

from __future__ import annotations

import anyio
from rich.console import Console
from rich.table import Table

from pipelines.cli.app import app, one_line_errors
from pipelines.config import Account
from pipelines.pool_api.client import PoolClient
from pipelines.pool_api.simulated_pool import SimulatedPool
from pipelines.pool_api.simulator import config_accounts, create_app, running_simulator


async def _fetch_and_show(accounts: list[Account], console: Console) -> None:
    stats = Table(title="earn-stats from the simulated pool (satoshi)")
    for column in ("account", "coin", "total paid", "unpaid", "today (est.)", "yesterday"):
        stats.add_column(column, justify="right")
    async with PoolClient() as client:
        for account in accounts:
            record = (await client.earn_stats(account)).record
            stats.add_row(
                account.name,
                account.coin,
                f"{record.total_paid_sat:,}",
                f"{record.unpaid_sat:,}",
                f"{record.earnings_today_sat:,}",
                f"{record.earnings_yesterday_sat:,}",
            )
        page = await client.earn_history_page(accounts[0], 1, 10)
        requests = client.stats.requests
    console.print(stats)
    history = Table(title=f"earn-history of {accounts[0].name}, page 1 (10 of {page.total_count})")
    for column in ("date", "earnings sat", "paid sat", "payment time (UTC)", "tx", "difficulty"):
        history.add_column(column, justify="right")
    for row in page.rows:
        history.add_row(
            str(row.date),
            f"{row.earnings_sat:,}",
            f"{row.paid_amount_sat:,}",
            f"{row.payment_time:%Y-%m-%d %H:%M}" if row.payment_time else "",
            (row.payment_tx or "")[:12],
            f"{row.difficulty:.4g}" if row.difficulty else "",
        )
    console.print(history)
    console.print(f"{requests} requests to the simulator")


@app.command()
@one_line_errors
def demo() -> None:
    """Start the simulator on a free loopback port and show what the client fetches from it."""
    console = Console()
    pool = SimulatedPool()
    with running_simulator(create_app(pool)) as sim:
        console.print(f"simulator on {sim.base_url} ({len(pool.accounts)} accounts)")
        anyio.run(_fetch_and_show, config_accounts(pool, sim.base_url), console)
