"""`poolbooks simulate`: serve the simulated pool API and Esplora on loopback."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from poolbooks.cli.app import EXIT_USAGE, app, fail, one_line_errors
from poolbooks.cli.options import config_from
from poolbooks.simulator.faults import FaultSpecError, parse_faults
from poolbooks.simulator.settings import (
    SIM_DEFAULT_ACCOUNTS,
    SIM_DEFAULT_DAYS,
    SIM_DEFAULT_HOST,
    SIM_DEFAULT_NOW,
    SIM_DEFAULT_PORT,
    SIM_DEFAULT_SEED,
    SIM_DEFAULT_TIMEZONE,
    SimulatorSettings,
    SimulatorSettingsError,
    parse_now,
)

if TYPE_CHECKING:
    from poolbooks.simulator.pool import SimulatedPool

CONFIG_FOR_SIMULATOR = typer.Option(
    None,
    "--config",
    help="Serve the pool a config's \\[simulator] table describes (the demo's); options given "
    "on the command line override it.",
)
CLOCK_OPTION = typer.Option(
    "fixed",
    "--clock",
    metavar="MODE",
    help="fixed: the clock stays at --now until /_sim/clock moves it (same answers every run). "
    "wall: the clock is the wall time (or --now while that is still ahead), moved forward when "
    "a request finds it a minute or more behind; it never goes back.",
)
# command-line parameter -> SimulatorSettings field, where the names differ
FIELD_OF = {"clock_mode": "clock"}


@app.command()
@one_line_errors
def simulate(
    ctx: typer.Context,
    host: str = typer.Option(SIM_DEFAULT_HOST, help="Address to listen on (keep it loopback)."),
    port: int = typer.Option(SIM_DEFAULT_PORT, help="Port to listen on."),
    seed: int = typer.Option(SIM_DEFAULT_SEED, help="Same seed, same answers."),
    accounts: int = typer.Option(SIM_DEFAULT_ACCOUNTS, "--accounts", min=1, help="Sub-accounts."),
    days: int = typer.Option(SIM_DEFAULT_DAYS, "--days", min=1, help="Days of history."),
    faults: str = typer.Option(
        "",
        metavar="SPEC",
        help="Faults to serve, comma-separated, e.g. latency=20ms, 5xx=0.05, 429=0.02, "
        "drift=1, rate=100.",
    ),
    new_accounts: int = typer.Option(
        0, "--new-accounts", min=0, help="The last N sub-accounts are new: no history yet."
    ),
    now: str = typer.Option(
        SIM_DEFAULT_NOW.isoformat(), metavar="TIME", help="The simulated clock (ISO 8601)."
    ),
    clock_mode: str = CLOCK_OPTION,
    timezone: str = typer.Option(
        SIM_DEFAULT_TIMEZONE,
        metavar="ZONE",
        help="Zone of the pool's days and naive payment times.",
    ),
    config: Path | None = CONFIG_FOR_SIMULATOR,
) -> None:
    """Serve the simulated BTC.com pool API (and an Esplora /tx API) until Ctrl-C.

    Without --config the pool is the same at every run: a fixed clock at --now. The demo's
    config asks for the wall clock (`clock = "wall"`), so `make dev` serves its pool on from
    where the demo ended, on the clock the Dagster runs stamp their snapshots with.
    """
    from poolbooks.simulator.clock import wall_time
    from poolbooks.simulator.pool import pool_from_settings
    from poolbooks.simulator.server import create_app, listen, serve

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "seed": seed,
        "accounts": accounts,
        "days": days,
        "faults": faults,
        "new_accounts": new_accounts,
        "now": now,
        "clock_mode": clock_mode,
        "timezone": timezone,
    }
    try:
        settings = _settings(ctx, options, config)
    except SimulatorSettingsError as exc:
        raise fail(f"--{exc.key.replace('_', '-')} {exc.problem}", EXIT_USAGE) from None
    except FaultSpecError as exc:
        raise fail(f"--faults: {exc}", EXIT_USAGE) from None
    try:  # the port first: nothing is said about a pool that cannot be served
        listener = listen(settings.host, settings.port)
    except OSError as exc:
        where = f"{settings.host}:{settings.port}"
        raise fail(
            f"--port {settings.port}: cannot listen on {where}: {_reason(exc)} "
            "(is a simulator already running there? choose another --port)",
            EXIT_USAGE,
        ) from None
    wall_clock = wall_time if settings.clock == "wall" else None
    pool = pool_from_settings(settings, wall_clock)
    _describe(pool, settings, f"http://{settings.host}:{settings.port}")
    serve(create_app(pool, settings.faults, wall_clock), listener)


def _settings(
    ctx: typer.Context, options: dict[str, Any], config: Path | None
) -> SimulatorSettings:
    """The config's `[simulator]` settings with the options given on the command line over
    them; without --config, the options (their defaults included)."""
    if config is not None:
        given = {name for name in options if _on_the_command_line(ctx, name)}
        described = config_from(config, require_keys=False).simulator
        if described is None:
            raise fail(f"config error: {config} has no [simulator] table", EXIT_USAGE)
    else:
        given, described = set(options), SimulatorSettings()
    values: dict[str, Any] = {FIELD_OF.get(k, k): v for k, v in options.items() if k in given}
    if "faults" in values:
        values["faults"] = parse_faults(values["faults"])
    if "now" in values:
        values["now"] = parse_now("now", values["now"])
    return replace(described, **values)


def _reason(error: OSError) -> str:
    """`address already in use`, without the socket module's own wrapping."""
    return os.strerror(error.errno).lower() if error.errno else str(error)


def _on_the_command_line(ctx: typer.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)  # typer's own click: compared by name
    return source is not None and source.name == "COMMANDLINE"


def _describe(pool: SimulatedPool, settings: SimulatorSettings, base: str) -> None:
    """The accounts and their keys, and how to reach the pool, on stderr."""
    from rich.table import Table  # imported by the command that shows one

    console = Console(stderr=True)
    table = Table(
        title=f"simulated pool at {base} (seed {settings.seed}, "
        f"{settings.clock} clock {pool.now:%Y-%m-%d %H:%M} UTC)"
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
    url = f"{base}/v1/account/earn-stats?puid={first.puid}&access_key={first.access_key}"
    for line in (  # whole lines, to copy: a terminal may wrap them, never the console
        f"try: curl '{url}'",
        f'esplora_url = "{base}/esplora"',
        f"admin: {base}/_sim/stats, {base}/_sim/clock",
    ):
        console.print(line, markup=False, soft_wrap=True)
