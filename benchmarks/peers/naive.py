"""Peer for B2: the naive way, one request at a time with httpx, rows appended per page."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import httpx

SNAPSHOTS = (
    "/v1/account/info",
    "/v1/account/earn-stats",
    "/v1/realtime/hashrate",
    "/v1/worker/stats",
)


def naive_ingest(base_url: str, accounts: list[tuple[int, str]], out: Path) -> int:
    """Page through every account's earn-history and fetch its snapshots, sequentially;
    append each page's rows to a CSV as it arrives. Returns the number of requests."""
    requests = 0
    with httpx.Client(base_url=base_url, timeout=30) as client, out.open("a", newline="") as handle:
        writer = csv.writer(handle)
        for puid, key in accounts:
            auth: dict[str, str | int] = {"puid": puid, "access_key": key}
            page = 1
            while True:
                body = client.get(
                    "/v1/account/earn-history", params={**auth, "page": page, "page_size": 50}
                )
                requests += 1
                if body.status_code == 429:  # the simplest polite thing: wait and try again
                    time.sleep(float(body.headers.get("Retry-After", "1")))
                    continue
                data = body.json()["data"]
                for row in data["list"]:
                    writer.writerow([puid, *row.values()])
                if page >= data["page_count"]:
                    break
                page += 1
            for path in SNAPSHOTS:
                while True:
                    response = client.get(path, params=auth)
                    requests += 1
                    if response.status_code != 429:
                        break
                    time.sleep(float(response.headers.get("Retry-After", "1")))
        for path in ("/public/v1/pool/stats", "/public/v1/pool/stats/merge"):
            client.get(path)
            requests += 1
    return requests


if __name__ == "__main__":
    print(naive_ingest(sys.argv[1], [], Path(sys.argv[2])))
