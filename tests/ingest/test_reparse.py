"""`poolbooks reparse`: the lake derived again from its archived pages, without a request."""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from harness.warehouse_rows import contents, mart_names
from poolbooks.cli import app
from poolbooks.config import load_config
from poolbooks.demo_config import write_sim_config
from poolbooks.ingest.reparse import reparse_lake
from poolbooks.lake import writer
from poolbooks.lake.storage import LakeStorage
from poolbooks.pool_api import earn_history, endpoints, snapshots
from poolbooks.pool_api.envelope import Where
from poolbooks.pool_api.errors import MalformedData
from poolbooks.pool_api.records import EarnHistoryRow
from poolbooks.simulator.pool import SimulatedPool
from poolbooks.simulator.running import running_simulator
from poolbooks.simulator.server import create_app

WIDE = {"COLUMNS": "200"}
DATASETS = ("earn_history", "account_info", "earn_stats", "hashrate", "worker_stats", "pool_stats")


def old_parser_check(rows: tuple[EarnHistoryRow, ...], where: Where) -> None:
    """The rule today's parser had before this was fixed: one row per date on a page."""
    seen: set[date] = set()
    for i, row in enumerate(rows):
        if row.date in seen:
            where.fail(f"list[{i}].date", f"duplicate date {row.date:%Y%m%d} on one page")
        seen.add(row.date)


@pytest.fixture
def served() -> Iterator[tuple[SimulatedPool, str]]:
    """Two simulated accounts over real HTTP: sim001 newest-first, sim002 oldest-first."""
    pool = SimulatedPool(
        seed=3, n_accounts=2, days=200, overrides={880002: {"order": "oldest_first"}}
    )
    with running_simulator(create_app(pool)) as sim:
        yield pool, sim.base_url


def cli(*args: str, environ: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env={**WIDE, **(environ or {})})


def lake_rows(lake: Path, dataset: str) -> list[tuple[Any, ...]]:
    return duckdb.execute(
        f"select * exclude (schema_version) from read_parquet('{lake}/{dataset}/*/*.parquet') "
        "order by all"
    ).fetchall()


def files_of(lake: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(lake)): p.read_bytes()
        for p in sorted(lake.rglob("*"))
        if p.is_file() and "_locks" not in p.parts
    }


def test_a_page_todays_parser_refuses_is_kept_and_reparse_recovers_it(
    served: tuple[SimulatedPool, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool, base_url = served
    rows = pool.earn_history_rows(pool.accounts[1])  # sim002, oldest first
    days = [int(r["date"]) for r in rows]
    assert len(set(days[:50])) == 50  # page 1 reads; later pages have days paid twice
    pages = [days[i : i + 50] for i in range(50, len(days), 50)]
    assert any(len(set(page)) < len(page) for page in pages)
    only = ("--account", "sim002")

    clean_config, environ = write_sim_config(tmp_path / "clean", pool, base_url)
    assert cli("ingest", "--config", str(clean_config), *only, environ=environ).exit_code == 0
    assert cli("build", "--config", str(clean_config)).exit_code == 0

    config, _ = write_sim_config(tmp_path / "broken", pool, base_url)
    with monkeypatch.context() as patched:  # the parser as it was: one row per date on a page
        patched.setattr(earn_history, "check_payments_of_a_day", old_parser_check)
        result = cli("ingest", "--config", str(config), *only, environ=environ)
    assert result.exit_code == 3, result.output
    assert "duplicate date" in result.output
    lake = tmp_path / "broken" / "data" / "lake"
    set_apart = [
        json.loads(line)
        for path in lake.glob("failed_pages/endpoint=earn-history/*/*.jsonl.gz")
        for line in gzip.decompress(path.read_bytes()).splitlines()
    ]
    assert set_apart and all("duplicate date" in p["error"] for p in set_apart)
    assert len(lake_rows(lake, "earn_history")) < len(
        lake_rows(tmp_path / "clean/data/lake", "earn_history")
    )

    result = cli("reparse", "--config", str(config))  # today's parser, no request made
    assert result.exit_code == 0, result.output
    assert f"({len(set_apart)} of them set apart when fetched)" in result.output
    assert "0 still failing" in result.output
    assert (
        "earn_history: " in result.output and " rows added, 0 changed, 0 removed" in result.output
    )
    before = files_of(lake)
    again = cli("reparse", "--config", str(config))
    assert again.exit_code == 0 and "nothing to change" in again.output
    assert files_of(lake) == before  # running it twice changes nothing

    assert cli("build", "--config", str(config)).exit_code == 0
    marts = mart_names()
    assert contents(tmp_path / "broken/data/warehouse.duckdb", marts) == contents(
        tmp_path / "clean/data/warehouse.duckdb", marts
    )


def ingested_lake(tmp_path: Path, pool: SimulatedPool, base_url: str) -> tuple[Path, Path]:
    config, environ = write_sim_config(tmp_path, pool, base_url)
    assert cli("ingest", "--config", str(config), environ=environ).exit_code == 0
    return config, tmp_path / "data" / "lake"


def test_reparse_of_a_clean_lake_changes_nothing(
    served: tuple[SimulatedPool, str], tmp_path: Path
) -> None:
    pool, base_url = served
    config, lake = ingested_lake(tmp_path, pool, base_url)
    before = files_of(lake)
    result = cli("reparse", "--config", str(config))
    assert result.exit_code == 0, result.output
    for dataset in DATASETS:
        assert f"{dataset}: unchanged" in result.output
    assert "nothing to change" in result.output
    assert files_of(lake) == before


def test_reparse_rewrites_rows_an_older_parser_got_wrong_and_says_how_many(
    served: tuple[SimulatedPool, str], tmp_path: Path
) -> None:
    pool, base_url = served
    config, lake = ingested_lake(tmp_path, pool, base_url)
    right = {name: lake_rows(lake, name) for name in DATASETS}
    # what an older parser would have written: sim001's earnings one satoshi off, and one row
    # of sim002 that no page holds
    path = next(lake.glob("earn_history/*/*.parquet"))
    relation = duckdb.sql(
        f"select * replace (case when account = 'sim001' then earnings_sat + 1 "
        f"else earnings_sat end as earnings_sat) from read_parquet('{path}') "
        f"union all (select * replace (date '2001-01-01' as date) from read_parquet('{path}') "
        "where account = 'sim002' limit 1)"
    )
    assert relation is not None  # a select has a result
    table = relation.to_arrow_table()
    writer.write_parquet(LakeStorage(str(lake)), str(path), table)
    changed = sum(1 for row in right["earn_history"] if row[2] == "sim001")

    result = cli("reparse", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert f"earn_history: 0 rows added, {changed} changed, 1 removed" in result.output
    assert "1 partitions rewritten, 1 files replaced" in result.output
    assert {name: lake_rows(lake, name) for name in DATASETS} == right


def test_only_the_named_accounts_are_derived_again(
    served: tuple[SimulatedPool, str], tmp_path: Path
) -> None:
    pool, base_url = served
    config, lake = ingested_lake(tmp_path, pool, base_url)
    right = lake_rows(lake, "earn_history")
    path = next(lake.glob("earn_history/*/*.parquet"))
    relation = duckdb.sql(
        f"select * replace (earnings_sat + 7 as earnings_sat) from read_parquet('{path}')"
    )
    assert relation is not None  # a select has a result
    off = relation.to_arrow_table()
    writer.write_parquet(LakeStorage(str(lake)), str(path), off)
    result = cli("reparse", "--config", str(config), "--account", "sim002")
    assert result.exit_code == 0, result.output
    sim002 = sum(1 for row in right if row[2] == "sim002")
    assert f"earn_history: 0 rows added, {sim002} changed, 0 removed" in result.output
    now = lake_rows(lake, "earn_history")
    assert [r for r in now if r[2] == "sim002"] == [r for r in right if r[2] == "sim002"]
    assert [r[7] for r in now if r[2] == "sim001"] == [r[7] + 7 for r in right if r[2] == "sim001"]


def test_a_page_that_still_fails_keeps_its_rows_and_exits_1(
    served: tuple[SimulatedPool, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool, base_url = served
    config, lake = ingested_lake(tmp_path, pool, base_url)
    before = files_of(lake)
    real = snapshots.parse_hashrate

    def stricter(raw: bytes, where: Where) -> Any:
        if where.account == "sim002":
            raise MalformedData(where.account, where.endpoint, "shares_15m", "refused today")
        return real(raw, where)

    endpoint = endpoints.SNAPSHOT_ENDPOINTS["hashrate"]
    monkeypatch.setitem(
        endpoints.SNAPSHOT_ENDPOINTS, "hashrate", dataclasses.replace(endpoint, parse=stricter)
    )
    result = cli("reparse", "--config", str(config))
    assert result.exit_code == 1
    assert "1 still failing" in result.output
    assert "still failing: hashrate its answer, fetched " in result.output
    assert "account 'sim002', endpoint hashrate: field shares_15m: refused today" in result.output
    assert "hashrate: unchanged" in result.output
    assert files_of(lake) == before  # the rows it had stay


def test_a_reparse_that_fails_while_writing_leaves_the_lake_as_it_was(
    served: tuple[SimulatedPool, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool, base_url = served
    config_path, lake = ingested_lake(tmp_path, pool, base_url)
    for dataset, column in (("earn_history", "earnings_sat"), ("earn_stats", "unpaid_sat")):
        path = next(lake.glob(f"{dataset}/*/*.parquet"))  # both need rewriting
        relation = duckdb.sql(
            f"select * replace ({column} + 1 as {column}) from read_parquet('{path}')"
        )
        assert relation is not None  # a select has a result
        table = relation.to_arrow_table()
        writer.write_parquet(LakeStorage(str(lake)), str(path), table)
    before = files_of(lake)
    calls: list[str] = []
    real = writer.write_parquet

    def failing(storage: LakeStorage, path: str, table: Any) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(storage, path, table)

    monkeypatch.setattr("poolbooks.ingest.reparse_write.write_parquet", failing)
    config = load_config(config_path, {}, require_keys=False)
    with pytest.raises(OSError, match="No space left"):
        reparse_lake(config, LakeStorage(config.lake))
    assert files_of(lake) == before


def test_pages_archived_before_walks_were_numbered_read_as_they_were_written(
    tmp_path: Path,
) -> None:
    # archived before several payments a day were known: one row a day, no walk numbers
    pool = SimulatedPool(
        seed=3,
        n_accounts=2,
        days=200,
        overrides={puid: {"split_payments": False} for puid in (880001, 880002)},
    )
    with running_simulator(create_app(pool)) as sim:
        config, lake = ingested_lake(tmp_path, pool, sim.base_url)
    for path in lake.glob("raw_pages/endpoint=earn-history/*/*.jsonl.gz"):
        lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
        legacy = b"".join(
            json.dumps({k: v for k, v in line.items() if k != "walk"}).encode() + b"\n"
            for line in lines
        )
        path.write_bytes(gzip.compress(legacy))
    before = files_of(lake)
    result = cli("reparse", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "earn_history: unchanged" in result.output
    assert files_of(lake) == before
