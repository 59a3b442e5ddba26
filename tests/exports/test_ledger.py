"""The ledger at cost: units x price against an income rounded to the cent, with the rounding
booked, balances in Beancount's own checker for every hand-written amount and price here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import interpolate
from beancount.core.data import Transaction

from poolbooks.exports.income import IncomeEvent, WarehouseValue
from poolbooks.exports.ledger import render_ledger
from poolbooks.exports.valuation import Priced

DAY = date(2025, 5, 1)


def priced(amount_sat: int, price: str, value: str) -> Priced:
    event = IncomeEvent(
        datetime(2025, 5, 1, 12, tzinfo=UTC),
        "main",
        1,
        "BTC",
        amount_sat,
        "tx",
        "receipt",
        1,
        "3Pay",
        WarehouseValue(DAY, "USD", Decimal(price), Decimal(value)),
    )
    return Priced(event, Decimal(price), Decimal(value), "USD")


@pytest.mark.parametrize(
    ("amount_sat", "price", "value", "rounding"),
    [
        (100_000_000, "93000.505", "93000.51", "0.005"),  # half a cent, away from zero
        (1_000_000, "0.5", "0.01", "0.005"),
        (1_500_000, "0.33", "0.00", "-0.00495"),  # just under half a cent
        (7, "300.10", "0.00", "-0.000021007"),
        (1, "0.0000000001", "0.00", "-0.000000000000000001"),
        (123_456_789, "430.0123456789", "530.88", "0.000565721249809479"),
        (100_000_000, "65000", "65000.00", None),  # exact: no rounding to book
        # more digits than Beancount's 28: 2,099,999,999,999.996900000000000001
        (2_099_999_999_999_999, "99999.9999999999", "2100000000000.00", "0.003099999999999999"),
    ],
)
def test_a_payout_at_cost_balances_with_its_rounding_booked(
    amount_sat: int, price: str, value: str, rounding: str | None
) -> None:
    text = render_ledger([priced(amount_sat, price, value)], 2025)
    lines = text.splitlines()
    assert f"  Income:Mining:Main  {-Decimal(value) or Decimal(value)} USD" in lines
    booked = [line for line in lines if line.startswith("  Income:Mining:Rounding")]
    assert booked == ([f"  Income:Mining:Rounding  {rounding} USD"] if rounding else [])
    assert ("2025-05-01 open Income:Mining:Rounding USD" in lines) == (rounding is not None)
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    (payout,) = [e for e in entries if isinstance(e, Transaction)]
    residual = interpolate.compute_residual(payout.postings)  # type: ignore[no-untyped-call]
    assert all(abs(position.units.number) < Decimal("1e-15") for position in residual)
