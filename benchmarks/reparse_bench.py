"""R1: `poolbooks reparse` of a 1,000-account x 3-year archive.

The archive is what one full ingest of those accounts archives: every earn-history page (50
rows, newest first, numbers as strings and integers as the pool mixes them) and one answer of
each snapshot endpoint per account. The first reparse derives the whole lake from it (every row
added, as after a parser fix that changes every row); the second finds nothing to change.

    .venv/bin/python -m benchmarks.reparse_bench [--accounts 1000] [--days 1095]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from poolbooks.config import Config
from poolbooks.ingest.reparse import reparse_lake
from poolbooks.ingest.reparse_report import ReparseReport
from poolbooks.lake.marker import create_lake
from poolbooks.lake.pages import PageArchive
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import write_pages
from poolbooks.pool_api.accounts import Account
from poolbooks.redaction import Secret

TODAY = date(2026, 11, 22)
RUN_ID = "20261122T120000Z-bench000"
FETCHED = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PAGE_SIZE = 50
SNAPSHOTS: dict[str, dict[str, str | int]] = {
    "account-info": {
        "user_id": 1,
        "user_name": "x",
        "address": "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv",
    },
    "earn-stats": {
        "total_paid": "1",
        "pending_payouts": "0",
        "earnings_yesterday": "1",
        "last_payment_time": 1583633860,
        "earnings_today": "1",
        "unpaid": "1",
    },
    "hashrate": {
        "shares_15m": "14.45",
        "shares_15m_unit": "T",
        "shares_1d": "14.1",
        "shares_1d_unit": "T",
    },
    "worker-stats": {
        "workers_active": 3,
        "workers_inactive": 0,
        "workers_dead": 0,
        "workers_total": 3,
        "shares_1m": "14.1",
        "shares_5m": "14.2",
        "shares_15m": "14.3",
        "shares_unit": "T",
    },
}


@dataclass(frozen=True)
class ReparseFigures:
    accounts: int
    days: int
    pages: int
    rows: int
    build_s: float
    first_s: float
    second_s: float
    peak_rss_mib: float
    first: ReparseReport
    second: ReparseReport


def _row(account: int, day: int) -> dict[str, object]:
    on = TODAY - timedelta(days=day)
    earnings = 200_000 + (account * 7919 + day * 104729) % 4_000_000
    paid = day > 1
    tx = f"{account:08x}{day // 3:08x}" + "0" * 48
    text = (account + day) % 3 == 0  # the pool mixes strings and integers
    return {
        "date": int(f"{on:%Y%m%d}"),
        "earnings": str(earnings) if text else earnings,
        "payment_time": f"{on + timedelta(days=1):%Y-%m-%d} 04:00:00" if paid else "0",
        "payment_tx": tx if paid else "",
        "address": "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv" if paid else "",
        "paid_amount": (str(earnings) if text else earnings) if paid else 0,
        "diff": 148_000_000_000_000,
        "payment_mode": "PPS",
        "earnings_rate": 0.5,
    }


def build_archive(folder: Path, accounts: int, days: int) -> tuple[Config, int]:
    """A lake holding only the archive of one full ingest; the config that names its accounts."""
    storage = create_lake(str(folder / "lake"))
    history, snapshots = PageArchive(), {name: PageArchive() for name in SNAPSHOTS}
    pages = (days + PAGE_SIZE - 1) // PAGE_SIZE
    for account in range(accounts):
        name = f"acct{account:05d}"
        for page in range(1, pages + 1):
            rows = [
                _row(account, day)
                for day in range((page - 1) * PAGE_SIZE, min(days, page * PAGE_SIZE))
            ]
            data = {
                "page": str(page),
                "page_size": str(PAGE_SIZE),
                "page_count": pages,
                "total_count": days,
                "list": rows,
            }
            body = json.dumps({"err_no": 0, "data": data}).encode()
            history.add(
                run_id=RUN_ID,
                fetched_at=FETCHED,
                account=name,
                endpoint="earn-history",
                page=page,
                body=body,
                walk=0,
            )
        for endpoint, answer in SNAPSHOTS.items():
            body = json.dumps({"err_no": 0, "data": answer}).encode()
            snapshots[endpoint].add(
                run_id=RUN_ID,
                fetched_at=FETCHED,
                account=name,
                endpoint=endpoint,
                page=None,
                body=body,
            )
    write_pages(storage, "earn-history", f"{TODAY}", RUN_ID, history)
    for endpoint, archive in snapshots.items():
        write_pages(storage, endpoint, f"{TODAY}", RUN_ID, archive)
    config = Config(
        lake=storage.location,
        warehouse=folder / "warehouse.duckdb",
        timezone=ZoneInfo("UTC"),
        esplora_url="http://127.0.0.1:9",
        accounts=tuple(
            Account(f"acct{i:05d}", 100_000 + i, "BTC", "us", Secret(""), "UNUSED", None)
            for i in range(accounts)
        ),
    )
    return config, accounts * pages + accounts * len(SNAPSHOTS)


def measure(folder: Path, accounts: int = 1000, days: int = 1095) -> ReparseFigures:
    started = time.perf_counter()
    config, pages = build_archive(folder, accounts, days)
    built = time.perf_counter() - started
    storage = LakeStorage(config.lake)
    started = time.perf_counter()
    first = reparse_lake(config, storage)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = reparse_lake(config, storage)
    second_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = first.changes["earn_history"].added
    return ReparseFigures(
        accounts, days, pages, rows, built, first_s, second_s, peak, first, second
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--dir", type=Path, default=None, help="keep the lake here")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        f = measure(args.dir or Path(tmp), args.accounts, args.days)
    print(
        f"archive of {f.accounts} accounts x {f.days} days: {f.pages} pages, {f.rows} rows "
        f"(written in {f.build_s:.1f}s)\n"
        f"first reparse (every row added): {f.first_s:.1f}s, {f.rows / f.first_s:,.0f} rows/s\n"
        f"second reparse (nothing to change): {f.second_s:.1f}s, "
        f"{len(f.second.files)} files written\n"
        f"peak RSS {f.peak_rss_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
