"""`poolbooks export tax` and `poolbooks export ledger`: files a tax tool or Beancount reads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from poolbooks.cli.app import EXIT_USAGE, app, err_console, fail, one_line_errors, out_console
from poolbooks.cli.help_pages import Typer
from poolbooks.cli.options import (
    ACCOUNT_OPTION,
    CONFIG_OPTION,
    config_from,
    new_folder,
    say_created,
)
from poolbooks.exports.errors import ExportError
from poolbooks.exports.names import FORMATS, Basis, Format

if TYPE_CHECKING:
    from poolbooks.exports.coverage import Coverage
    from poolbooks.exports.tax import TaxExport

export_app = Typer(help="Tax and accounting exports.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def year_value(text: str) -> int:
    """A `--year`: four digits, or a usage error saying so."""
    if len(text) != 4 or not text.isdigit():
        raise typer.BadParameter(f"{text!r} is not a year (YYYY, e.g. 2025)")
    return int(text)


YEAR_OPTION = typer.Option(
    ...,
    "--year",
    parser=year_value,
    metavar="YYYY",
    help="Tax year, by each row's date in --timezone.",
)
OUTPUT_OPTION = typer.Option(..., "--output", help="File to write.", dir_okay=False)
TIMEZONE_OPTION = typer.Option(
    "UTC", "--timezone", metavar="ZONE", help="Zone that decides the year."
)
FORMAT_OPTION = typer.Option(
    ...,
    "--format",
    metavar="FORMAT",
    help=f"The tax tool the file is for: {', '.join(FORMATS[:-1])} or {FORMATS[-1]}.",
)
BASIS_OPTION = typer.Option(
    "receipt", "--basis", help="receipt: one row per payout; accrual: one per day earned."
)
PRICES_OPTION = typer.Option(
    None,
    "--prices",
    metavar="CSV",
    help="CSV date,price giving each row's value, instead of the warehouse's prices.",
)
CURRENCY_OPTION = typer.Option(
    None,
    "--currency",
    metavar="CODE",
    help="Currency of the values: of --prices (default USD); without it, the warehouse's "
    "([prices] currency), which it must name if given.",
)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"--timezone: unknown time zone {name!r}", EXIT_USAGE) from None


def per_coin(totals_sat: dict[str, int]) -> str:
    """Amounts in whole coins, one per coin (`13.80002903 BTC, 0.00000007 BCH`): satoshi of
    different coins are never added together."""
    from poolbooks.exports.money import coins

    return ", ".join(f"{coins(sat):f} {coin}" for coin, sat in totals_sat.items())


def _covered(warehouse: Path, accounts: tuple[str, ...], year: int, zone: ZoneInfo) -> Coverage:
    """The warehouse's days for `accounts`; a year that has not begun, and has none, is a
    usage error that names the years there are."""
    from poolbooks.exports.coverage import coverage

    try:
        covered = coverage(warehouse, accounts)
    except FileNotFoundError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    today = datetime.now(zone).date()
    if year > today.year and not covered.has_any_of(year):
        known = f"; the warehouse holds {covered.span}" if covered.first else ""
        raise fail(f"--year {year} has not begun (today is {today}){known}", EXIT_USAGE)
    return covered


def _report(result: TaxExport, year: int, what: str, covered: Coverage) -> None:
    console = out_console()
    if result.rows == 0:
        console.print(f"no income in {year}: wrote the header only to {result.path}")
    else:
        console.print(
            f"wrote {result.rows} {what} for {year} ({per_coin(result.totals_sat)}) "
            f"to {result.path}",
            soft_wrap=True,
        )
    if result.note is not None:
        err_console.print(result.note, markup=False, soft_wrap=True)
    gap = covered.gap_in(year)
    if gap is not None:
        err_console.print(f"warning: {gap}", markup=False, soft_wrap=True)


@export_app.command("tax")
@one_line_errors
def export_tax_command(
    format_name: Format = FORMAT_OPTION,
    year: int = YEAR_OPTION,
    output: Path = OUTPUT_OPTION,
    basis: Basis = BASIS_OPTION,
    prices: Path | None = PRICES_OPTION,
    currency: str | None = CURRENCY_OPTION,
    timezone: str = TIMEZONE_OPTION,
    account: list[str] | None = ACCOUNT_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Tax rows (Koinly, CoinTracker or generic CSV) for one year; see docs/exports.md."""
    from poolbooks.exports.tax import export_tax

    settings = config_from(config, require_keys=False)
    names = tuple(a.name for a in settings.select(account or [])) if account else ()
    zone = _zone(timezone)
    covered = _covered(settings.warehouse, names, year, zone)
    folder = new_folder(output)
    try:
        result = export_tax(
            settings.warehouse,
            output,
            format_name=format_name,
            year=year,
            basis=basis,
            zone=zone,
            accounts=names,
            prices_file=prices,
            currency=currency,
        )
    except ExportError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    except FileNotFoundError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    say_created(folder)
    _report(result, year, f"{format_name} rows", covered)


@export_app.command("ledger")
@one_line_errors
def export_ledger_command(
    year: int = YEAR_OPTION,
    output: Path = OUTPUT_OPTION,
    timezone: str = TIMEZONE_OPTION,
    account: list[str] | None = ACCOUNT_OPTION,
    config: Path | None = CONFIG_OPTION,
) -> None:
    """The year's payouts as balanced Beancount transactions (income per sub-account, asset
    per payout address), at cost in the warehouse's currency when it has prices."""
    from poolbooks.exports.ledger import export_ledger

    settings = config_from(config, require_keys=False)
    names = tuple(a.name for a in settings.select(account or [])) if account else ()
    zone = _zone(timezone)
    covered = _covered(settings.warehouse, names, year, zone)
    folder = new_folder(output)
    try:
        result = export_ledger(settings.warehouse, output, year=year, zone=zone, accounts=names)
    except ExportError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    except FileNotFoundError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    say_created(folder)
    _report(result, year, "Beancount transactions", covered)


def last_full_year(now: datetime | None = None) -> int:
    return (now or datetime.now()).year - 1


__all__ = ["err_console", "export_app"]
