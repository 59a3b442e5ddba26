"""A year's exports as `[exports]` configures them, every file named one way: a tax CSV per
format (per coin when prices are given per coin) and the Beancount ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from poolbooks.exports.ledger import export_ledger
from poolbooks.exports.settings import ExportSettings
from poolbooks.exports.tax import export_tax
from poolbooks.pool_api.accounts import Account

LEDGER = "ledger"


@dataclass(frozen=True)
class YearFile:
    kind: str  # the tax format, or "ledger"
    path: Path
    rows: int


@dataclass(frozen=True)
class TaxSplit:
    """One tax file of a year and format: for every account, or for one coin's accounts."""

    suffix: str
    accounts: tuple[str, ...]  # empty: every account
    prices: Path | None


def tax_file_name(year: int, format_name: str, basis: str, suffix: str = "") -> str:
    return f"tax-{year}-{format_name}-{basis}{suffix}.csv"


def ledger_file_name(year: int) -> str:
    return f"mining-{year}.beancount"


def tax_splits(settings: ExportSettings, accounts: Sequence[Account]) -> list[TaxSplit]:
    """One file for every account, or with prices per coin one file per coin, valued with
    that coin's prices."""
    if not settings.prices_by_coin:
        return [TaxSplit("", (), settings.prices)]
    return [
        TaxSplit(
            f"-{coin.lower()}",
            tuple(a.name for a in accounts if a.coin == coin),
            settings.prices_by_coin.get(coin),
        )
        for coin in sorted({account.coin for account in accounts})
    ]


def export_year(
    warehouse: Path, settings: ExportSettings, accounts: Sequence[Account], year: int
) -> list[YearFile]:
    """Every configured file of `year` written into `settings.folder`."""
    written = []
    for format_name in settings.formats:
        for split in tax_splits(settings, accounts):
            path = settings.folder / tax_file_name(year, format_name, settings.basis, split.suffix)
            result = export_tax(
                warehouse,
                path,
                format_name=format_name,
                year=year,
                basis=settings.basis,
                zone=settings.timezone,
                accounts=split.accounts,
                prices_file=split.prices,
                currency=settings.currency,
            )
            written.append(YearFile(format_name, path, result.rows))
    path = settings.folder / ledger_file_name(year)
    ledger = export_ledger(warehouse, path, year=year, zone=settings.timezone)
    written.append(YearFile(LEDGER, path, ledger.rows))
    return written
