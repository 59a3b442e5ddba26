"""`poolbooks simulate`: serve the simulated pool API and Esplora on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from pipelines.cli.app import EXIT_USAGE, app, fail
from pipelines.cli.options import config_from
from pipelines.simulator.faults import FaultSpecError, parse_faults
from pipelines.simulator.settings import (
    SIM_DEFAULT_ACCOUNTS,
    SIM_DEFAULT_DAYS,
    SIM_DEFAULT_NOW,
    SIM_DEFAULT_SEED,
)

CONFIG_FOR_SIMULATOR = typer.Option(
    None, "--config", help="Serve the pool a config's \\[simulator] table describes (the demo's)."
)
CLOCK_MODES = ("fixed", "wall")
CLOCK_OPTION = typer.Option(
    "fixed",
    "--clock",
    help="fixed: the clock stays at --now until /_sim/clock moves it (same answers every run). "
    "wall: the clock is the wall time (or --now while that is still ahead), moved forward when "
    "a request finds it a minute or more behind; it never goes back.",
)


@app.command()
def simulate(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep it loopback)."),
    port: int = typer.Option(8765, help="Port to listen on."),
    seed: int = typer.Option(SIM_DEFAULT_SEED, help="Same seed, same answers."),
    accounts: int = typer.Option(SIM_DEFAULT_ACCOUNTS, "--accounts", min=1, help="Sub-accounts."),
    days: int = typer.Option(SIM_DEFAULT_DAYS, "--days", min=1, help="Days of history."),
    faults: str = typer.Option("", help="e.g. 'latency=20ms,5xx=0.05,429=0.02,drift=1,rate=100'"),
    new_accounts: int = typer.Option(
        0, "--new-accounts", min=0, help="The last N sub-accounts are new: no history yet."
    ),
    now: str = typer.Option(SIM_DEFAULT_NOW.isoformat(), help="The simulated clock (ISO 8601)."),
    clock_mode: str = CLOCK_OPTION,
    timezone: str = typer.Option("UTC", help="Zone of the pool's naive payment times."),
    config: Path | None = CONFIG_FOR_SIMULATOR,
) -> None:
    """Serve the simulated BTC.com pool API (and an Esplora /tx API) until Ctrl-C.

    Without --config the pool is the same at every run: a fixed clock at --now. The demo's
    config asks for the wall clock (`clock = "wall"`), so `make dev` serves its pool on from
    where the demo ended, on the clock the Dagster runs stamp their snapshots with.
    """
    from pipelines.simulator.clock import wall_time
    from pipelines.simulator.pool import SimulatedPool
    from pipelines.simulator.server import create_app, serve

    if config is not None:
        described: dict[str, Any] = config_from(config, require_keys=False).simulator or {}
        if not described:
            raise fail(f"config error: {config} has no [simulator] table", EXIT_USAGE)
        seed = int(described.get("seed", seed))
        accounts = int(described.get("accounts", accounts))
        new_accounts = int(described.get("new_accounts", new_accounts))
        days = int(described.get("days", days))
        now = str(described.get("now", now))
        clock_mode = str(described.get("clock", clock_mode))
        port = int(described.get("port", port))
        faults = str(described.get("faults", faults))
        start = date.fromisoformat(str(described["start"])) if "start" in described else None
    else:
        start = None
    try:
        fault_spec = parse_faults(faults)
        if clock_mode not in CLOCK_MODES:
            raise ValueError(f"--clock must be one of {', '.join(CLOCK_MODES)}, not {clock_mode!r}")
        clock = datetime.fromisoformat(now)
        if clock.tzinfo is None:
            raise ValueError("--now needs a zone, e.g. 2026-11-22T12:00:00+00:00")
        wall_clock = wall_time if clock_mode == "wall" else None
        if wall_clock is not None:
            clock = max(clock.astimezone(UTC), wall_clock())
        pool = SimulatedPool(
            seed=seed,
            n_accounts=accounts,
            new_accounts=new_accounts,
            days=days,
            now=clock,
            timezone=timezone,
            start=start,
        )
    except (FaultSpecError, ValueError) as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    base = f"http://{host}:{port}"
    console = Console(stderr=True)
    table = Table(
        title=f"simulated pool at {base} (seed {seed}, "
        f"{clock_mode} clock {pool.now:%Y-%m-%d %H:%M} UTC)"
    )
    for column in ("name", "puid", "coin", "mode", "order", "access key"):
        table.add_column(column)
    for account in pool.accounts:
        table.add_row(
            account.name,
            str(account.puid),
            account.coin,
            account.payment_mode,
            account.order,
            account.access_key,
        )
    console.print(table)
    console.print(f"history from {pool.first_day} to today")
    for account in pool.accounts:
        if not account.has_history:
            console.print(f"{account.name} is new: no history yet")
    first = pool.accounts[0]
    console.print(
        f"try: curl '{base}/v1/account/earn-stats?puid={first.puid}&access_key={first.access_key}'"
    )
    console.print(f'esplora_url = "{base}/esplora"   admin: {base}/_sim/stats, {base}/_sim/clock')
    serve(create_app(pool, fault_spec, wall_clock), host=host, port=port)
