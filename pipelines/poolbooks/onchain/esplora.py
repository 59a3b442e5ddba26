"""A small Esplora client (`GET /tx/:txid`) on the same retry, throttle and redaction machinery."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from poolbooks.http.errors import BadResponse, MalformedData
from poolbooks.http.requester import Call, Requester, RequestStats
from poolbooks.http.settings import ClientSettings

ENDPOINT = "esplora-tx"


@dataclass(frozen=True)
class ChainTx:
    """What the chain says of a transaction, seen from one payout address."""

    txid: str
    found: bool
    confirmed: bool
    block_height: int | None
    block_time: datetime | None
    onchain_sat: int | None
    raw: bytes
    fetched_at: datetime


class EsploraClient:
    def __init__(
        self,
        base_url: str,
        settings: ClientSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        settings = settings or ClientSettings()
        self.base_url = base_url.rstrip("/")
        self._requester = Requester.from_settings(settings, transport)

    @property
    def stats(self) -> RequestStats:
        return self._requester.stats

    async def aclose(self) -> None:
        await self._requester.aclose()

    async def transaction(self, account: str, txid: str, address: str | None) -> ChainTx:
        """The transaction, or `found=False` when the chain does not know it: HTTP 404, or 400
        for a txid that is not one at all (`Invalid hex string`), which no chain can hold."""
        call = Call(
            url=f"{self.base_url}/tx/{txid}", account=account, endpoint=ENDPOINT, server="Esplora"
        )

        def parse(status: int, raw: bytes) -> ChainTx:
            fetched_at = datetime.now(UTC)
            if status in (400, 404):
                return ChainTx(txid, False, False, None, None, None, raw, fetched_at)
            return parse_transaction(raw, account, txid, address, fetched_at)

        return await self._requester.fetch(call, parse, ok_statuses=frozenset({200, 400, 404}))


def parse_transaction(
    raw: bytes, account: str, txid: str, address: str | None, fetched_at: datetime
) -> ChainTx:
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadResponse(account, ENDPOINT, f"body for tx {txid} is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("vout"), list):
        raise MalformedData(account, ENDPOINT, "vout", f"missing or not a list for tx {txid}")
    total = 0
    for index, output in enumerate(body["vout"]):
        value = output.get("value") if isinstance(output, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise MalformedData(
                account, ENDPOINT, f"vout[{index}].value", f"not satoshi for tx {txid}"
            )
        if address is not None and str(output.get("scriptpubkey_address", "")).strip() == address:
            total += value
    status: dict[str, Any] = body["status"] if isinstance(body.get("status"), dict) else {}
    confirmed = bool(status.get("confirmed"))
    block_time = status.get("block_time")
    return ChainTx(
        txid=txid,
        found=True,
        confirmed=confirmed,
        block_height=status.get("block_height") if confirmed else None,
        block_time=datetime.fromtimestamp(block_time, UTC) if confirmed and block_time else None,
        onchain_sat=total,
        raw=raw,
        fetched_at=fetched_at,
    )
