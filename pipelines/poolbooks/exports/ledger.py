"""`poolbooks export ledger`: the year's mining income as balanced Beancount transactions."""

from __future__ import annotations

import re
from datetime import tzinfo
from decimal import Decimal, localcontext
from pathlib import Path

from poolbooks.exports.income import IncomeEvent, income_events, priced_coins
from poolbooks.exports.money import coins
from poolbooks.exports.output import write_text_atomic
from poolbooks.exports.tax import TaxExport, totals_by_coin
from poolbooks.exports.valuation import Priced, value_events

PAYER = "BTC.com pool"
# where each payout's rounding to the cent is booked, so that its transaction balances exactly
ROUNDING = "Income:Mining:Rounding"


def component(text: str) -> str:
    """A Beancount account component from a name: capitalized words joined by dashes."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    return "-".join(p[:1].upper() + p[1:] for p in parts) or "Unknown"


def income_account(event: IncomeEvent) -> str:
    return f"Income:Mining:{component(event.account)}"


def asset_account(event: IncomeEvent) -> str:
    """One asset account per payout address, the address kept exactly (":" becomes "-")."""
    address = re.sub(r"[^A-Za-z0-9-]", "-", event.address or "unknown")
    return f"Assets:Mining:{event.coin}:Addr-{address}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_ledger(rows: list[Priced], year: int) -> str:
    """The year's payouts as Beancount: at cost in the currency when they are valued (every
    row is, or none), else in the coin alone."""
    currency = next((row.currency for row in rows if row.value is not None), None)
    lines = [
        f"; poolbooks: mining income of {year}, receipt basis (one transaction per payout).",
        "; Income accounts are pool sub-accounts; asset accounts are payout addresses.",
    ]
    if currency is not None:
        lines += [
            f"; Each payout is held at cost, the close of its UTC day in {currency}; its income",
            "; is its value to the cent, and what rounding added or left (under half a cent)",
            f"; is booked to {ROUNDING}.",
        ]
    lines += [f'option "title" "Mining income {year}"']
    if currency is not None:
        lines.append(f'option "operating_currency" "{currency}"')
    lines.append("")
    for coin in sorted({row.event.coin for row in rows}):
        lines.append(f"2009-01-03 commodity {coin}")
    lines += ["", *_opens(rows, currency), ""]
    if currency is not None:
        lines += [*_price_directives(rows, currency), ""]
    for row in rows:
        lines += [*_transaction(row), ""]
    return "\n".join(lines)


def _opens(rows: list[Priced], currency: str | None) -> list[str]:
    """An `open` per account, on the day of its first use: income in the currency (in the coin
    without values), an asset in its coin, booked FIFO when it holds lots at cost."""
    opened: dict[str, str] = {}
    for row in rows:
        event, day = row.event, f"{row.event.timestamp:%Y-%m-%d}"
        wanted = [
            (income_account(event), currency or event.coin),
            (asset_account(event), f'{event.coin} "FIFO"' if currency else event.coin),
        ]
        if currency is not None and _rounding(row):
            wanted.append((ROUNDING, currency))
        for account, constraint in wanted:
            opened.setdefault(account, f"{day} open {account} {constraint}")
    return list(opened.values())


def _price_directives(rows: list[Priced], currency: str) -> list[str]:
    """One `price` per coin and day a payout was valued at."""
    used = {(row.event.timestamp.date(), row.event.coin, row.price) for row in rows}
    return [f"{day} price {coin} {price:f} {currency}" for day, coin, price in sorted(used)]


def _rounding(row: Priced) -> Decimal:
    """The value less the exact cost (units x price): what rounding to the cent added."""
    if row.value is None or row.price is None:
        return Decimal(0)
    with localcontext() as exact:
        exact.prec = 60  # units and price multiply without rounding
        return (row.value - coins(row.event.amount_sat) * row.price).normalize()


def _transaction(row: Priced) -> list[str]:
    event = row.event
    amount = f"{coins(event.amount_sat):f}"
    days = f"{event.earning_days} day{'s' * (event.earning_days != 1)}"
    narration = _quote(f"{event.account} payout for {days}")
    lines = [
        f"{event.timestamp:%Y-%m-%d} * {_quote(PAYER)} {narration}",
        f"  payment_tx: {_quote(event.payment_tx or '')}",
        f"  amount_sat: {event.amount_sat}",
    ]
    if row.value is None or row.price is None:
        return [
            *lines,
            f"  {asset_account(event)}  {amount} {event.coin}",
            f"  {income_account(event)}  -{amount} {event.coin}",
        ]
    lines += [
        f"  {asset_account(event)}  {amount} {event.coin} {{{row.price:f} {row.currency}}}",
        f"  {income_account(event)}  {-row.value if row.value else row.value:f} {row.currency}",
    ]
    if rounding := _rounding(row):
        lines.append(f"  {ROUNDING}  {rounding:f} {row.currency}")
    return lines


def export_ledger(
    warehouse: Path,
    output: Path,
    *,
    year: int,
    zone: tzinfo,
    accounts: tuple[str, ...] = (),
) -> TaxExport:
    """Write the ledger, valued from the warehouse: a payout without a price is an error naming
    its day; a warehouse with no prices writes it in the coin alone, with a note."""
    events = income_events(warehouse, "receipt", year, zone, accounts)
    valuation = value_events(
        events, zone, prices_file=None, currency=None, priced_coins=priced_coins(warehouse)
    )
    write_text_atomic(output, render_ledger(valuation.rows, year))
    return TaxExport(output, len(events), totals_by_coin(events), valuation.note)
