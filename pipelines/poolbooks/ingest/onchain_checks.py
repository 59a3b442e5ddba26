"""Checking payouts on chain: the lake's unconfirmed payouts -> Esplora -> the lake."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import anyio
import duckdb

from poolbooks.http.errors import RequestError
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.run_ids import new_run_id
from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.reader import register_dataset
from poolbooks.lake.schemas import SCHEMA_VERSION
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import WrittenFile
from poolbooks.onchain.esplora import EsploraClient

# Payouts as the latest observation of each day shows them (every row of the run that saw the
# day last: one per payment), less those already confirmed.
_TO_CHECK = r"""
with latest as (
    select account, puid, coin, date,
           nullif(regexp_replace(payment_tx, '^\s+|\s+$', '', 'g'), '') as payment_tx,
           nullif(regexp_replace(address, '^\s+|\s+$', '', 'g'), '') as address
    from observations
    qualify run_id = first_value(run_id) over (
        partition by account, coin, date order by fetched_at desc, run_id desc)
), payouts as (
    select account, any_value(puid) as puid, coin, payment_tx, max(address) as address
    from latest
    where payment_tx is not null
    group by account, coin, payment_tx
)
select account, puid, coin, payment_tx, address
from payouts
where (account, coin, payment_tx) not in (select account, coin, payment_tx from confirmed)
order by account, payment_tx
"""


class EsploraSettings(Protocol):
    """What a check needs of the configuration: the client's limits, each coin's Esplora."""

    @property
    def client(self) -> ClientSettings: ...

    def esplora_url_for(self, coin: str) -> str | None: ...


@dataclass(frozen=True)
class Payout:
    account: str
    puid: int
    coin: str
    payment_tx: str
    address: str | None


@dataclass
class OnchainReport:
    run_id: str
    not_asked: dict[str, int] = field(default_factory=dict)  # coin -> payouts with no Esplora
    checked: int = 0
    found: int = 0
    confirmed: int = 0
    errors: list[str] = field(default_factory=list)
    files: list[WrittenFile] = field(default_factory=list)
    requests: int = 0


def payouts_to_check(storage: LakeStorage) -> list[Payout]:
    """Every payout in the lake that no earlier check found confirmed (those are cached)."""
    with duckdb.connect() as con:
        if not register_dataset(con, "observations", storage, "earn_history"):
            return []
        if register_dataset(con, "checks", storage, "onchain_tx"):
            con.execute(
                "create view confirmed as select account, coin, payment_tx from checks "
                "where confirmed"
            )
        else:
            con.execute(
                "create view confirmed as select '' as account, '' as coin, '' as payment_tx"
            )
        rows = con.execute(_TO_CHECK).fetchall()
    return [Payout(*row) for row in rows]


async def check_payouts(
    config: EsploraSettings, storage: LakeStorage, client: EsploraClient | None = None
) -> OnchainReport:
    """Ask Esplora about every payout not yet confirmed and commit the answers to the lake:
    each coin's payouts at that coin's Esplora (`client`, when given, answers for all)."""
    started = datetime.now(UTC)
    report = OnchainReport(run_id=new_run_id(started))
    buffer = RunBuffer(report.run_id)
    by_url: dict[str, list[Payout]] = defaultdict(list)
    for payout in payouts_to_check(storage):
        url = config.esplora_url_for(payout.coin)
        if url is None:
            report.not_asked[payout.coin] = report.not_asked.get(payout.coin, 0) + 1
        else:
            by_url[url].append(payout)
    clients = {url: client or EsploraClient(url, config.client) for url in by_url}
    try:
        async with anyio.create_task_group() as group:
            for url, payouts in by_url.items():
                for payout in payouts:
                    group.start_soon(_check, clients[url], payout, buffer, report)
    finally:
        report.requests = sum(
            c.stats.requests for c in {id(c): c for c in clients.values()}.values()
        )
        if client is None:
            for owned in clients.values():
                await owned.aclose()
    report.files = await anyio.to_thread.run_sync(
        lambda: buffer.commit(storage, f"{started:%Y-%m-%d}")
    )
    return report


async def _check(
    client: EsploraClient, payout: Payout, buffer: RunBuffer, report: OnchainReport
) -> None:
    try:
        tx = await client.transaction(payout.account, payout.payment_tx, payout.address)
    except RequestError as exc:
        report.errors.append(str(exc))
        return
    report.checked += 1
    report.found += tx.found
    report.confirmed += tx.confirmed
    buffer.add_page(payout.account, "esplora-tx", None, tx.fetched_at, tx.raw)
    row: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "run_id": buffer.run_id,
        "fetched_at": tx.fetched_at,
        "account": payout.account,
        "puid": payout.puid,
        "coin": payout.coin,
        "payment_tx": payout.payment_tx,
        "address": payout.address,
        "found": tx.found,
        "confirmed": tx.confirmed,
        "block_height": tx.block_height,
        "block_time": tx.block_time,
        "onchain_sat": tx.onchain_sat,
    }
    buffer.add_row("onchain_tx", row)
