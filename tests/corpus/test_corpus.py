"""The bad-input corpus: every malformed answer is one clear line naming account, endpoint and
field; the other account's data lands; the good data of the same account is kept; nothing
half-written stays."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import httpx
import pytest

from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.http.settings import ClientSettings
from poolbooks.ingest.run import ingest
from poolbooks.lake.pages import page_body
from poolbooks.lake.readable import readable_files
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.endpoints import ENDPOINTS
from tests.conftest import SIM_BASE_URL, Sim

pytestmark = [pytest.mark.anyio, pytest.mark.adversarial]
CORPUS = sorted(p for p in Path(__file__).parent.iterdir() if (p / "expected").exists())


class CorpusTransport(httpx.AsyncBaseTransport):
    """Answers one account's requests to one endpoint with the corpus body, the rest as usual."""

    def __init__(self, inner: httpx.AsyncBaseTransport, case: Path, puid: int) -> None:
        meta = json.loads((case / "meta.json").read_text())
        self.inner = inner
        self.path = ENDPOINTS[meta["endpoint"]].path
        self.body = (case / "response").read_bytes()
        self.status = meta["status"]
        self.content_type = meta["content_type"]
        self.puid = str(puid)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path and request.url.params.get("puid") == self.puid:
            headers = {"content-type": self.content_type}
            return httpx.Response(self.status, content=self.body, headers=headers)
        return await self.inner.handle_async_request(request)


def test_the_corpus_has_at_least_forty_cases() -> None:
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("case", CORPUS, ids=[p.name for p in CORPUS])
async def test_bad_answer_gives_one_line_and_keeps_good_data(
    case: Path, make_sim: Callable[..., Sim], tmp_path: Path
) -> None:
    sim = make_sim(n_accounts=2, days=60)
    bad, good = sim.pool.accounts
    path, environ = write_sim_config(tmp_path, sim.pool, SIM_BASE_URL)
    config = load_config(path, environ)
    settings = ClientSettings(requests_per_second=1000, max_attempts=2, timeout_seconds=5)
    transport = CorpusTransport(sim.transport(), case, bad.puid)
    client = PoolClient(settings, transport=transport, backoff_base=0.001, backoff_cap=0.001)
    storage = LakeStorage(config.lake)
    report = await ingest(config, config.accounts, storage, client=client)

    expected = (case / "expected").read_text(encoding="utf-8").strip()
    assert [(o.account, o.error) for o in report.failed] == [(bad.name, expected)]
    assert "\n" not in expected and bad.access_key not in expected

    endpoint = json.loads((case / "meta.json").read_text())["endpoint"]
    lake = Path(config.lake)
    history = dict(  # days (a day paid in two payments is two rows)
        duckdb.execute(
            f"select account, count(distinct date) "
            f"from read_parquet('{lake}/earn_history/*/*.parquet') group by 1"
        ).fetchall()
    )
    assert history[good.name] == 60  # the other account's data landed
    stats = {
        row[0]
        for row in duckdb.execute(
            f"select account from read_parquet('{lake}/earn_stats/*/*.parquet')"
        ).fetchall()
    }
    if endpoint == "earn-history":
        assert bad.name in stats  # the same account's good snapshots are kept
    else:
        assert history.get(bad.name) == 60  # and its history
    assert storage.temporary_files() == []
    # the answer that could not be read is archived verbatim, set apart with its error
    set_apart = [
        json.loads(line)
        for path in readable_files(storage, "failed_pages", ".jsonl.gz").paths
        for line in gzip.decompress(storage.read_bytes(path)).splitlines()
    ]
    assert [(p["account"], p["endpoint"], p["error"]) for p in set_apart] == [
        (bad.name, endpoint, expected)
    ]
    assert page_body(set_apart[0]) == (case / "response").read_bytes()
