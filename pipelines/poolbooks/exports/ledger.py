"""`poolbooks export ledger`: the year's mining income as balanced Beancount transactions."""

from __future__ import annotations

import re
from datetime import tzinfo
from pathlib import Path

from poolbooks.exports.income import IncomeEvent, income_events
from poolbooks.exports.money import coins
from poolbooks.exports.output import write_text_atomic
from poolbooks.exports.tax import TaxExport, totals_by_coin

PAYER = "BTC.com pool"


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


def render_ledger(events: list[IncomeEvent], year: int) -> str:
    lines = [
        f"; poolbooks: mining income of {year}, receipt basis (one transaction per payout).",
        "; Income accounts are pool sub-accounts; asset accounts are payout addresses.",
        f'option "title" "Mining income {year}"',
        "",
    ]
    for coin in sorted({e.coin for e in events}):
        lines.append(f"2009-01-03 commodity {coin}")
    opened: dict[str, str] = {}
    for event in events:
        for account in (income_account(event), asset_account(event)):
            opened.setdefault(account, f"{event.timestamp:%Y-%m-%d} open {account} {event.coin}")
    lines += ["", *opened.values(), ""]
    for event in events:
        amount = f"{coins(event.amount_sat):f}"
        days = f"{event.earning_days} day{'s' * (event.earning_days != 1)}"
        narration = _quote(f"{event.account} payout for {days}")
        lines.append(f"{event.timestamp:%Y-%m-%d} * {_quote(PAYER)} {narration}")
        lines.append(f"  payment_tx: {_quote(event.payment_tx or '')}")
        lines.append(f"  amount_sat: {event.amount_sat}")
        lines.append(f"  {asset_account(event)}  {amount} {event.coin}")
        lines.append(f"  {income_account(event)}  -{amount} {event.coin}")
        lines.append("")
    return "\n".join(lines)


def export_ledger(
    warehouse: Path,
    output: Path,
    *,
    year: int,
    zone: tzinfo,
    accounts: tuple[str, ...] = (),
) -> TaxExport:
    events = income_events(warehouse, "receipt", year, zone, accounts)
    write_text_atomic(output, render_ledger(events, year))
    return TaxExport(output, len(events), totals_by_coin(events))
