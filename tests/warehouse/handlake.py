"""Hand-written lakes: observations and snapshots written straight to Parquet for model tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from poolbooks.config import Config
from poolbooks.lake.schemas import DATASETS, SCHEMA_VERSION
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import write_dataset
from poolbooks.pool_api.accounts import Account
from poolbooks.prices.settings import PriceSettings
from poolbooks.redaction import Secret
from poolbooks.warehouse.build import BuildReport, build_warehouse
from poolbooks.warehouse.cost_settings import CostSettings
from poolbooks.warehouse.settings import DuckDBSettings

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Day:
    """One earn-history row as a pool would report it."""

    date: date
    earnings: int
    paid: int = 0
    tx: str | None = None
    paid_at: datetime | None = None
    address: str | None = None
    diff: float | None = 1.0e14
    rate: float | None = None
    mode: str = "PPS"


@dataclass(frozen=True)
class Price:
    """One daily price as a prices run would write it: a candle's close, or an override row."""

    date: date
    close: str  # written as text, read as an exact Decimal
    coin: str = "BTC"
    currency: str = "USD"
    source: str = "coinbase"
    final: bool = True


@dataclass
class HandLake:
    """A lake folder and a config over it; `observe`, `snapshot` and `price` write one run
    each."""

    folder: Path
    timezone: str = "UTC"
    accounts: dict[str, tuple[int, str]] = field(default_factory=dict)
    runs: int = 0
    price_currency: str | None = None  # `[prices] currency`; None: no `[prices]` table
    costs: CostSettings = field(default_factory=CostSettings)  # `[costs]` and power draws

    @property
    def config(self) -> Config:
        accounts = tuple(
            Account(name, puid, coin, "cn", Secret(""), "UNUSED", "http://127.0.0.1:9")
            for name, (puid, coin) in self.accounts.items()
        )
        return Config(
            lake=str(self.folder / "lake"),
            warehouse=self.folder / "warehouse.duckdb",
            timezone=ZoneInfo(self.timezone),
            esplora_url="http://127.0.0.1:9",
            accounts=accounts or (Account("a", 1, "BTC", "cn", Secret(""), "X", None),),
            duckdb=DuckDBSettings(memory_limit="1GB", threads=1),
            prices=PriceSettings(currency=self.price_currency) if self.price_currency else None,
            costs=self.costs,
        )

    def _run(self, at: datetime | None) -> tuple[str, datetime]:
        self.runs += 1
        return f"run-{self.runs:04d}", at or T0 + timedelta(hours=self.runs)

    def _write(self, dataset: str, rows: list[dict[str, Any]], run_id: str) -> None:
        table = pa.Table.from_pylist(rows, schema=DATASETS[dataset])
        write_dataset(LakeStorage(str(self.folder / "lake")), dataset, "2026-03-01", run_id, table)

    def observe(
        self, account: str, days: list[Day], coin: str = "BTC", at: datetime | None = None
    ) -> str:
        """One run's earn-history observations of an account."""
        puid = self.accounts.setdefault(account, (len(self.accounts) + 1, coin))[0]
        run_id, fetched_at = self._run(at)
        rows = [
            {
                "schema_version": SCHEMA_VERSION,
                "run_id": run_id,
                "fetched_at": fetched_at,
                "account": account,
                "puid": puid,
                "coin": coin,
                "page": 1,
                "date": d.date,
                "earnings_sat": d.earnings,
                "paid_amount_sat": d.paid,
                "payment_time": d.paid_at,
                "payment_tx": d.tx,
                "address": d.address,
                "difficulty": d.diff,
                "payment_mode": d.mode,
                "earnings_rate_pct": d.rate,
                "diff_rate_pct": None,
                "extra": None,
            }
            for d in days
        ]
        self._write("earn_history", rows, run_id)
        return run_id

    def snapshot(
        self, dataset: str, account: str, at: datetime | None = None, **values: Any
    ) -> None:
        """One snapshot row; columns not given are zero or NULL."""
        puid, coin = self.accounts.setdefault(account, (len(self.accounts) + 1, "BTC"))
        run_id, fetched_at = self._run(at)
        row: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "run_id": run_id,
            "fetched_at": fetched_at,
            "account": account,
            "puid": puid,
            "coin": coin,
        }
        for column in DATASETS[dataset]:
            if column.name not in row:
                default: int | float | None = (
                    0 if pa.types.is_integer(column.type) and not column.nullable else None
                )
                if pa.types.is_floating(column.type) and not column.nullable:
                    default = 0.0
                if pa.types.is_boolean(column.type) and not column.nullable:
                    default = False
                row[column.name] = values.get(column.name, default)
        self._write(dataset, [row], run_id)

    def prices(self, prices: list[Price], at: datetime | None = None) -> str:
        """One prices run's rows: candles (open, high and low the close, as written) or
        override rows (the close alone)."""
        run_id, fetched_at = self._run(at)
        rows = [
            {
                "schema_version": SCHEMA_VERSION,
                "run_id": run_id,
                "fetched_at": fetched_at,
                "coin": p.coin,
                "currency": p.currency,
                "date": p.date,
                "open": None if p.source == "override" else Decimal(p.close),
                "high": None if p.source == "override" else Decimal(p.close),
                "low": None if p.source == "override" else Decimal(p.close),
                "close": Decimal(p.close),
                "volume": None if p.source == "override" else Decimal(1),
                "source": p.source,
                "final": p.final,
            }
            for p in prices
        ]
        self._write("prices", rows, run_id)
        return run_id

    def build(self, *, full: bool = False) -> BuildReport:
        return build_warehouse(self.config, full=full)

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.folder / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()


def days_from(start: date, earnings: list[int], **common: Any) -> list[Day]:
    return [Day(start + timedelta(days=i), e, **common) for i, e in enumerate(earnings)]
