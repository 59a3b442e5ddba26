"""The earn-history rows as the pool serves them: a row per payment, an unpaid row for what is
still owed, numbers now as integers and now as strings."""

from __future__ import annotations

from typing import Any

from poolbooks.simulator.accounts import SimAccount
from poolbooks.simulator.draws import unit_hash
from poolbooks.simulator.history import SimDay, SimPayment

UNPAID_REASON = "amount below the payment threshold"
Row = dict[str, Any]


class EarnHistoryRows:
    """Each account's rows in its order, kept until `forget`; each day's rows are kept while
    the day and the one before it stay as they are."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._rows: dict[int, list[Row]] = {}
        self._day_rows: dict[tuple[int, SimDay, SimDay | None], list[Row]] = {}

    def forget(self) -> None:
        self._rows.clear()

    def rows(self, account: SimAccount, history: list[SimDay]) -> list[Row]:
        cached = self._rows.get(account.puid)
        if cached is None:
            cached = self._rows[account.puid] = self._render(account, history)
        return list(cached)

    def _render(self, account: SimAccount, history: list[SimDay]) -> list[Row]:
        days: list[list[Row]] = []
        previous: SimDay | None = None
        for day in history:
            days.append(self._rows_of_day(account, day, previous))
            previous = day
        if account.order == "newest_first":
            days.reverse()  # newest day first; a day's own rows stay in payment order
        return [row for rows in days for row in rows]

    def _rows_of_day(self, account: SimAccount, day: SimDay, previous: SimDay | None) -> list[Row]:
        key = (account.puid, day, previous)
        rows = self._day_rows.get(key)
        if rows is None:
            common = self._common_fields(account, day, previous)
            rows = [self._payment_row(account, day, common, p) for p in day.payments]
            if day.provisional or day.owed_sat > 0 or not rows:
                rows.append(self._unpaid_row(account, day, common))
            self._day_rows[key] = rows
        return rows

    def _number(self, account: SimAccount, value: int, *key: object) -> int | str:
        """A number as the pool writes it: some accounts always as text; the others now as an
        integer, now as a string, as captured answers mix them (btccom/btcpool-export 3d36bba
        had to parse earnings and paid_amount that arrived as strings)."""
        if account.string_numbers or unit_hash(self.seed, "text", account.puid, *key) < 0.3:
            return str(value)
        return value

    def _common_fields(self, account: SimAccount, day: SimDay, previous: SimDay | None) -> Row:
        """The fields every row of a day repeats: the date, the day's earnings, difficulty."""
        stamp = day.date.strftime("%Y%m%d")
        date_text = unit_hash(self.seed, "date-text", account.puid, day.date) < 0.1
        row: Row = {
            "date": stamp if date_text else int(stamp),
            "earnings": self._number(account, day.earnings_sat, day.date, "earnings"),
            "diff": int(day.difficulty),
            "payment_mode": account.payment_mode,
        }
        if day.provisional:
            row["earnings_rate"] = 0
        elif previous is not None and previous.earnings_sat > 0:
            change = (day.earnings_sat - previous.earnings_sat) / previous.earnings_sat
            if unit_hash(self.seed, "no-rate", account.puid, day.date) > 0.05:
                row["earnings_rate"] = round(change * 100, 3)
        if previous is not None and previous.difficulty > 0:
            row["diff_rate"] = round((day.difficulty / previous.difficulty - 1) * 100, 3)
        if account.payment_mode == "FPPS" and not day.provisional:
            share = unit_hash(self.seed, "pps96", account.puid, day.date) * 0.04
            row["more_than_pps96_rate"] = f"{share:.4f}"
        return row

    def _payment_row(
        self, account: SimAccount, day: SimDay, common: Row, payment: SimPayment
    ) -> Row:
        pad = " " if account.padded_address else ""
        return {
            **common,
            "payment_time": payment.time.strftime("%Y-%m-%d %H:%M:%S"),
            "payment_tx": payment.txid,
            "address": payment.address + pad,
            "paid_amount": self._number(account, payment.amount_sat, day.date, payment.txid),
        }

    def _unpaid_row(self, account: SimAccount, day: SimDay, common: Row) -> Row:
        row: Row = {
            **common,
            "payment_time": "0",
            "payment_tx": "",
            "address": " " if account.padded_address else "",
            "paid_amount": self._number(account, 0, day.date, "unpaid"),
        }
        if not day.provisional and day.earnings_sat > 0:
            row["stats"] = "PENDING_NOT_ENOUGH"
            if day.payments:  # paid in part: the rest waits
                row["unpaid_reason"] = UNPAID_REASON
        return row
