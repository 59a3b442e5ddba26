"""A seeded synthetic lake in the real layout, for the warehouse benchmarks and the kill tests.

Every account earns every day, is paid every three days (one payout covering three days), is
observed once in a full walk and again in daily incremental walks over its last weeks, and has
hashrate and worker snapshots every few minutes over its last days. BTC has a daily USD candle
for every day (today's not final yet), so every settled day is valued. `write_config(costs=shape)`
names every account with a power draw (half `power_watts`, half `efficiency_j_per_th`) and a
`[costs]` table (a tariff that changes twice, a fixed cost per month), so the P&L mart is
computed for every account and day.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute

from poolbooks.lake.marker import create_lake
from poolbooks.lake.schemas import DATASETS, SCHEMA_VERSION
from poolbooks.lake.writer import write_dataset
from poolbooks.warehouse.settings import DEFAULT_DUCKDB_MEMORY_LIMIT

TODAY = date(2026, 11, 22)
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class LakeShape:
    accounts: int
    days: int
    reobserved_days: int = 30  # each daily run re-observes this many recent days
    reobserving_runs: int = 3
    snapshot_days: int = 0
    snapshot_minutes: int = 10
    seed: int = 7

    @property
    def history_rows(self) -> int:
        extra = min(self.reobserved_days, self.days) * self.reobserving_runs
        return self.accounts * (self.days + extra)

    @property
    def snapshot_rows(self) -> int:
        return self.accounts * self.snapshot_days * (1440 // self.snapshot_minutes)


def _names(accounts: int) -> np.ndarray:
    return np.array([f"acct{i:05d}" for i in range(accounts)], dtype=object)


def _history_table(shape: LakeShape, run: int, first_day: int, fetched: datetime) -> pa.Table:
    rng = np.random.default_rng(shape.seed + run)
    n_days = shape.days - first_day
    accounts = np.repeat(np.arange(shape.accounts), n_days)
    day_index = np.tile(np.arange(first_day, shape.days), shape.accounts)
    start = (TODAY - timedelta(days=shape.days - 1) - EPOCH).days
    day_numbers = start + day_index
    base = np.random.default_rng(shape.seed).integers(200_000, 5_000_000, shape.accounts)
    earnings = (base[accounts] * (1 + 0.05 * np.sin(day_index + accounts))).astype(np.int64)
    earnings[day_index == shape.days - 1] = 0  # today is provisional
    settled_paid = (day_index // 3 + 1) * 3 <= shape.days - 2
    paid = np.where(settled_paid, earnings, 0)
    names = _names(shape.accounts)
    tx = np.char.add(np.char.add(names[accounts].astype(str), "-"), (day_index // 3).astype(str))
    pay_day = start + (day_index // 3) * 3 + 3
    payment_time = np.where(settled_paid, pay_day * 86400 + 7200, 0) * 1_000_000
    difficulty = 1.0e14 * (1 + day_index / shape.days) * (1 + 0.01 * rng.random(len(day_index)))
    n = len(day_index)
    columns = {
        "schema_version": pa.array(np.full(n, SCHEMA_VERSION, dtype=np.int16)),
        "run_id": pa.array(np.full(n, f"synthetic-{run:04d}", dtype=object), pa.string()),
        "fetched_at": pa.array(
            np.full(n, int(fetched.timestamp() * 1e6)), pa.timestamp("us", tz="UTC")
        ),
        "account": pa.array(names[accounts], pa.string()),
        "puid": pa.array(100000 + accounts, pa.int64()),
        "coin": pa.array(np.full(n, "BTC", dtype=object), pa.string()),
        "page": pa.array((day_index % 50 + 1).astype(np.int32)),
        "date": pa.array(day_numbers.astype(np.int32), pa.date32()),
        "earnings_sat": pa.array(earnings),
        "paid_amount_sat": pa.array(paid.astype(np.int64)),
        "payment_time": pa.array(payment_time, pa.timestamp("us", tz="UTC"), mask=~settled_paid),
        "payment_tx": pa.array(tx, pa.string(), mask=~settled_paid),
        "address": pa.array(np.full(n, "3Synthetic"), pa.string(), mask=~settled_paid),
        "difficulty": pa.array(difficulty),
        "payment_mode": pa.array(np.full(n, "PPS", dtype=object), pa.string()),
        "earnings_rate_pct": pa.nulls(n, pa.float64()),
        "diff_rate_pct": pa.nulls(n, pa.float64()),
        "extra": pa.nulls(n, pa.string()),
    }
    return pa.table(columns, schema=DATASETS["earn_history"])


def _snapshot_tables(shape: LakeShape, day: int) -> tuple[pa.Table, pa.Table]:
    per_day = 1440 // shape.snapshot_minutes
    rng = np.random.default_rng(shape.seed * 1000 + day)
    accounts = np.repeat(np.arange(shape.accounts), per_day)
    slot = np.tile(np.arange(per_day), shape.accounts)
    midnight = datetime.combine(
        TODAY - timedelta(days=shape.snapshot_days - 1 - day), datetime.min.time(), UTC
    )
    fetched = (
        int(midnight.timestamp() * 1e6)
        + slot.astype(np.int64) * shape.snapshot_minutes * 60_000_000
    )
    n = len(slot)
    names = _names(shape.accounts)
    run_ids = np.char.add(f"snap-{day:04d}-", slot.astype(str)).astype(object)
    common: dict[str, pa.Array[Any]] = {
        "schema_version": pa.array(np.full(n, SCHEMA_VERSION, dtype=np.int16)),
        "run_id": pa.array(run_ids, pa.string()),
        "fetched_at": pa.array(fetched, pa.timestamp("us", tz="UTC")),
        "account": pa.array(names[accounts], pa.string()),
        "puid": pa.array(100000 + accounts, pa.int64()),
        "coin": pa.array(np.full(n, "BTC", dtype=object), pa.string()),
    }
    rate = 1e15 * (1 + rng.random(n) * 0.1)
    hashrate = pa.table(
        {
            **common,
            "shares_15m_hs": pa.array(rate),
            "shares_1d_hs": pa.array(rate),
            "extra": pa.nulls(n, pa.string()),
        },
        schema=DATASETS["hashrate"],
    )
    workers = rng.integers(5, 50, n)
    worker_stats = pa.table(
        {
            **common,
            "workers_active": pa.array(workers),
            "workers_inactive": pa.array(workers // 10),
            "workers_dead": pa.array(workers // 20),
            "workers_total": pa.array(workers + workers // 10 + workers // 20),
            "shares_1m_hs": pa.array(rate),
            "shares_5m_hs": pa.array(rate),
            "shares_15m_hs": pa.array(rate),
            "extra": pa.nulls(n, pa.string()),
        },
        schema=DATASETS["worker_stats"],
    )
    return hashrate, worker_stats


def _prices_table(shape: LakeShape, fetched: datetime) -> pa.Table:
    """One prices run: a BTC-USD candle for each day of the history, to the cent (a seeded walk
    around 30,000), every one final but today's."""
    rng = np.random.default_rng(shape.seed * 7919)
    start = TODAY - timedelta(days=shape.days - 1)
    walk = 30_000 * np.exp(np.cumsum(rng.normal(0, 0.02, shape.days)))
    closes = [Decimal(f"{close:.2f}") for close in walk]
    n = shape.days
    price = DATASETS["prices"].field("close").type
    return pa.table(
        {
            "schema_version": pa.array(np.full(n, SCHEMA_VERSION, dtype=np.int16)),
            "run_id": pa.array(np.full(n, "synthetic-prices", dtype=object), pa.string()),
            "fetched_at": pa.array(
                np.full(n, int(fetched.timestamp() * 1e6)), pa.timestamp("us", tz="UTC")
            ),
            "coin": pa.array(np.full(n, "BTC", dtype=object), pa.string()),
            "currency": pa.array(np.full(n, "USD", dtype=object), pa.string()),
            "date": pa.array([start + timedelta(days=i) for i in range(n)], pa.date32()),
            "open": pa.array(closes, price),
            "high": pa.array(closes, price),
            "low": pa.array(closes, price),
            "close": pa.array(closes, price),
            "volume": pa.array([Decimal(1)] * n, price),
            "source": pa.array(np.full(n, "coinbase", dtype=object), pa.string()),
            "final": pa.array(np.arange(n) < n - 1),
        },
        schema=DATASETS["prices"],
    )


def generate_lake(root: Path, shape: LakeShape) -> dict[str, int]:
    """Write the lake; returns rows per dataset."""
    storage = create_lake(str(root))
    rows: dict[str, int] = {}
    first = datetime.combine(TODAY, datetime.min.time(), UTC)
    full = _history_table(shape, 0, 0, first)
    write_dataset(
        storage,
        "earn_history",
        f"{TODAY - timedelta(days=shape.reobserving_runs)}",
        "synthetic-full",
        full,
    )
    rows["earn_history"] = full.num_rows
    for run in range(1, shape.reobserving_runs + 1):
        table = _history_table(
            shape, run, max(0, shape.days - shape.reobserved_days), first + timedelta(hours=run)
        )
        fetch = TODAY - timedelta(days=shape.reobserving_runs - run)
        write_dataset(storage, "earn_history", f"{fetch}", f"synthetic-{run:04d}", table)
        rows["earn_history"] += table.num_rows
    for day in range(shape.snapshot_days):
        hashrate, workers = _snapshot_tables(shape, day)
        fetch = TODAY - timedelta(days=shape.snapshot_days - 1 - day)
        write_dataset(storage, "hashrate", f"{fetch}", f"synthetic-{day:04d}", hashrate)
        write_dataset(storage, "worker_stats", f"{fetch}", f"synthetic-{day:04d}", workers)
        rows["hashrate"] = rows.get("hashrate", 0) + hashrate.num_rows
        rows["worker_stats"] = rows.get("worker_stats", 0) + workers.num_rows
    prices = _prices_table(shape, first)
    write_dataset(storage, "prices", f"{TODAY}", "synthetic-prices", prices)
    rows["prices"] = prices.num_rows
    return rows


def _rows_table(shape: LakeShape, rows: dict[str, Any], run: str, fetched: datetime) -> pa.Table:
    """Earn-history rows of one later run (`rows`: per-row columns as arrays), the rest of
    the columns as the generated history has them."""
    n = len(rows["account"])
    columns = {
        "schema_version": pa.array(np.full(n, SCHEMA_VERSION, dtype=np.int16)),
        "run_id": pa.array(np.full(n, run, dtype=object), pa.string()),
        "fetched_at": pa.array(
            np.full(n, int(fetched.timestamp() * 1e6)), pa.timestamp("us", tz="UTC")
        ),
        "account": pa.array(_names(shape.accounts)[rows["account"]], pa.string()),
        "puid": pa.array(100000 + rows["account"], pa.int64()),
        "coin": pa.array(np.full(n, "BTC", dtype=object), pa.string()),
        "page": pa.array(np.ones(n, dtype=np.int32)),
        "date": pa.array(rows["date"], pa.date32()),
        "earnings_sat": pa.array(rows["earnings"].astype(np.int64)),
        "paid_amount_sat": pa.array(rows["paid"].astype(np.int64)),
        "payment_time": pa.array(
            rows["payment_time"], pa.timestamp("us", tz="UTC"), mask=rows["paid"] == 0
        ),
        "payment_tx": pa.array(rows["tx"], pa.string(), mask=rows["paid"] == 0),
        "address": pa.array(np.full(n, "3Synthetic"), pa.string(), mask=rows["paid"] == 0),
        "difficulty": pa.array(np.full(n, 2.0e14)),
        "payment_mode": pa.array(np.full(n, "PPS", dtype=object), pa.string()),
        "earnings_rate_pct": pa.nulls(n, pa.float64()),
        "diff_rate_pct": pa.nulls(n, pa.float64()),
        "extra": pa.nulls(n, pa.string()),
    }
    return pa.table(columns, schema=DATASETS["earn_history"])


def write_next_day(root: Path, shape: LakeShape) -> dict[str, int]:
    """The next day's runs on a lake `generate_lake` wrote: the earn-history of every account
    for the day that was provisional (now settled, and paid in one payout each) and the new
    provisional day; a day of snapshots of the new day; a prices run with the settled day's
    final candle and the new day's first. Returns rows per dataset."""
    storage = create_lake(str(root))
    tomorrow = TODAY + timedelta(days=1)
    fetched = datetime.combine(tomorrow, datetime.min.time(), UTC) + timedelta(hours=1)
    accounts = np.repeat(np.arange(shape.accounts), 2)
    is_today = np.tile(np.array([True, False]), shape.accounts)
    base = np.random.default_rng(shape.seed).integers(200_000, 5_000_000, shape.accounts)
    earnings = np.where(is_today, base[accounts], 0)
    paid = earnings  # the settled day, paid at once; the new day has nothing yet
    names = _names(shape.accounts)[accounts].astype(str)
    history = _rows_table(
        shape,
        {
            "account": accounts,
            "date": np.where(is_today, (TODAY - EPOCH).days, (tomorrow - EPOCH).days).astype(
                np.int32
            ),
            "earnings": earnings,
            "paid": paid,
            "payment_time": np.full(len(accounts), int(fetched.timestamp() * 1e6) - 1_800_000_000),
            "tx": np.char.add(names, f"-next-{TODAY:%Y%m%d}").astype(object),
        },
        "synthetic-next",
        fetched,
    )
    write_dataset(storage, "earn_history", f"{tomorrow}", "synthetic-next", history)
    later = LakeShape(
        shape.accounts, shape.days, snapshot_days=shape.snapshot_days, seed=shape.seed
    )
    hashrate, workers = _snapshot_tables(later, later.snapshot_days - 1)
    shift = pa.array(
        np.asarray(hashrate.column("fetched_at").cast(pa.int64())) + 86_400_000_000,
        pa.int64(),
    ).cast(pa.timestamp("us", tz="UTC"))
    hashrate = hashrate.set_column(2, "fetched_at", shift)
    workers = workers.set_column(2, "fetched_at", shift)
    write_dataset(storage, "hashrate", f"{tomorrow}", "synthetic-next", hashrate)
    write_dataset(storage, "worker_stats", f"{tomorrow}", "synthetic-next", workers)
    price = DATASETS["prices"].field("close").type
    prices = pa.table(
        {
            "schema_version": pa.array(np.full(2, SCHEMA_VERSION, dtype=np.int16)),
            "run_id": pa.array(["synthetic-next-prices"] * 2, pa.string()),
            "fetched_at": pa.array([fetched, fetched], pa.timestamp("us", tz="UTC")),
            "coin": pa.array(["BTC", "BTC"], pa.string()),
            "currency": pa.array(["USD", "USD"], pa.string()),
            "date": pa.array([TODAY, tomorrow], pa.date32()),
            "open": pa.array([Decimal("31000.00")] * 2, price),
            "high": pa.array([Decimal("31000.00")] * 2, price),
            "low": pa.array([Decimal("31000.00")] * 2, price),
            "close": pa.array([Decimal("31000.00"), Decimal("31100.00")], price),
            "volume": pa.array([Decimal(1)] * 2, price),
            "source": pa.array(["coinbase"] * 2, pa.string()),
            "final": pa.array([True, False]),
        },
        schema=DATASETS["prices"],
    )
    write_dataset(storage, "prices", f"{tomorrow}", "synthetic-next-prices", prices)
    return {
        "earn_history": history.num_rows,
        "hashrate": hashrate.num_rows,
        "worker_stats": workers.num_rows,
        "prices": prices.num_rows,
    }


def write_restatement(root: Path, shape: LakeShape, accounts: int, years_back: int) -> int:
    """One run that reports one day `years_back` years ago again, with other earnings, for the
    first `accounts` accounts (unpaid, as the generated history's days that far back are
    paid in their own payouts: the restated day keeps its payout). Returns the rows."""
    storage = create_lake(str(root))
    day = TODAY - timedelta(days=365 * years_back)
    rows = _history_table(shape, 99, 0, datetime.combine(TODAY, datetime.min.time(), UTC))
    restated = rows.filter(
        pa.compute.and_(
            pa.compute.equal(rows.column("date"), pa.scalar(day, pa.date32())),
            pa.compute.less(rows.column("puid"), pa.scalar(100000 + accounts, pa.int64())),
        )
    )
    earnings = pa.compute.add(restated.column("earnings_sat"), pa.scalar(1, pa.int64()))
    restated = restated.set_column(
        restated.schema.get_field_index("earnings_sat"), "earnings_sat", earnings
    )
    fetched = datetime.combine(TODAY + timedelta(days=2), datetime.min.time(), UTC)
    restated = restated.set_column(
        2,
        "fetched_at",
        pa.array([fetched] * restated.num_rows, pa.timestamp("us", tz="UTC")),
    ).set_column(1, "run_id", pa.array(["synthetic-restated"] * restated.num_rows, pa.string()))
    write_dataset(storage, "earn_history", f"{TODAY}", "synthetic-restated", restated)
    return restated.num_rows


# The `[costs]` of a costed config: a tariff that changes twice and a farm's fixed costs.
COSTS_TABLE = (
    "[costs]\n"
    'electricity = [\n    { from = 2010-01-01, price_per_kwh = "0.0650" },\n'
    '    { from = 2022-03-15, price_per_kwh = "0.0825" },\n'
    '    { from = 2024-07-01, price_per_kwh = "0.0710" },\n]\n'
    'fixed = [{ from = 2010-01-01, per_month = "1500" }]\n'
)


def costed_accounts(accounts: int) -> str:
    """Every account of the lake, its draw in watts (even) or joules per TH (odd)."""
    tables = []
    for i in range(accounts):
        power = (
            f'power_watts = "{18_000 + i % 7 * 500}"'  # about 1 PH/s of recent machines
            if i % 2 == 0
            else f'efficiency_j_per_th = "{17 + i % 5}.5"'
        )
        tables.append(
            f'[[accounts]]\nname = "acct{i:05d}"\npuid = {100000 + i}\n'
            f'access_key_env = "UNUSED"\n{power}\n'
        )
    return "\n".join(tables)


def write_config(
    folder: Path,
    memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT,
    threads: int = 2,
    costs: LakeShape | None = None,
    name: str = "poolbooks",
) -> Path:
    """A config over the lake in `folder`; with `costs`, the shape's accounts with their power
    draws and a `[costs]` table. `name` names the config file (`<name>.toml`) and its
    warehouse: `warehouse.duckdb` for the default, else `<name>.duckdb`."""
    path = folder / f"{name}.toml"
    warehouse = folder / ("warehouse.duckdb" if name == "poolbooks" else f"{name}.duckdb")
    accounts = (
        costed_accounts(costs.accounts) + "\n" + COSTS_TABLE
        if costs is not None
        else '[[accounts]]\nname = "synthetic"\npuid = 1\naccess_key_env = "UNUSED"\n'
    )
    path.write_text(
        f'lake = "{folder}/lake"\nwarehouse = "{warehouse}"\n\n'
        f'[duckdb]\nmemory_limit = "{memory_limit}"\nthreads = {threads}\n\n{accounts}'
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lake", type=Path)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--snapshot-days", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = generate_lake(
        args.lake, LakeShape(args.accounts, args.days, snapshot_days=args.snapshot_days)
    )
    print(f"wrote {rows} to {args.lake} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
