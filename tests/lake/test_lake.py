"""The lake's files: atomic, checked writes; commits all or nothing; the lock."""

from __future__ import annotations

import gzip
import json
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.errors import LakeWriteError
from poolbooks.lake.lock import lake_lock
from poolbooks.lake.pages import PageArchive
from poolbooks.lake.readable import readable_files
from poolbooks.lake.schemas import DATASETS, EARN_HISTORY, SCHEMA_VERSION
from poolbooks.lake.storage import LakeStorage
from poolbooks.lake.writer import recover, write_dataset, write_pages

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def history_table(rows: int, run_id: str = "run-1", account: str = "main") -> pa.Table:
    return pa.Table.from_pydict(
        {
            "schema_version": [SCHEMA_VERSION] * rows,
            "run_id": [run_id] * rows,
            "fetched_at": [NOW] * rows,
            "account": [account] * rows,
            "puid": [1] * rows,
            "coin": ["BTC"] * rows,
            "page": [1] * rows,
            "date": [date.fromordinal(730000 + i) for i in range(rows)],
            "earnings_sat": list(range(rows)),
            "paid_amount_sat": [0] * rows,
            "payment_time": [None] * rows,
            "payment_tx": [None] * rows,
            "address": [None] * rows,
            "difficulty": [1.0] * rows,
            "payment_mode": ["PPS"] * rows,
            "earnings_rate_pct": [None] * rows,
            "diff_rate_pct": [None] * rows,
            "extra": [None] * rows,
        },
        schema=EARN_HISTORY,
    )


def test_dataset_file_lands_in_its_hive_partition_with_its_schema(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    written = write_dataset(storage, "earn_history", "2026-11-22", "run-1", history_table(3))
    assert written.path == str(tmp_path / "earn_history/fetch_date=2026-11-22/part-run-1.parquet")
    table = pq.read_table(written.path)
    assert table.schema.equals(DATASETS["earn_history"], check_metadata=False)
    assert table.num_rows == 3 == written.rows
    assert storage.temporary_files() == []


def test_large_writes_use_row_groups_of_at_least_100k_rows(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    written = write_dataset(storage, "earn_history", "2026-11-22", "big", history_table(300_000))
    metadata = pq.read_metadata(written.path)
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sum(sizes) == 300_000
    assert min(sizes[:-1] or sizes) >= 100_000


def date_ranges(path: str) -> list[tuple[date, date]]:
    """Each row group's (min, max) `date`, from the file's own statistics."""
    metadata = pq.read_metadata(path)
    column = metadata.schema.names.index("date")
    ranges = []
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(column).statistics
        assert statistics is not None and statistics.has_min_max
        ranges.append(
            (date.fromisoformat(str(statistics.min)), date.fromisoformat(str(statistics.max)))
        )
    return ranges


def test_rows_are_written_in_time_order_so_row_groups_span_disjoint_days(
    tmp_path: Path,
) -> None:
    # three accounts' histories in the order their pages came: account by account, newest first
    pages = [history_table(120_000, account=a).take(list(range(119_999, -1, -1))) for a in "cab"]
    storage = LakeStorage(str(tmp_path))
    written = write_dataset(storage, "earn_history", "2026-11-22", "r", pa.concat_tables(pages))
    ranges = date_ranges(written.path)
    assert len(ranges) == 2
    assert ranges[0][1] <= ranges[1][0]  # a reader of the last days skips the first group
    table = pq.read_table(written.path)
    keys = list(zip(table["date"].to_pylist(), table["account"].to_pylist(), strict=True))
    assert keys == sorted(keys) and len(set(keys)) == 360_000


def test_failed_write_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    target = storage.path("earn_history", "fetch_date=2026-11-22", "part-x.parquet")

    def broken(stream: object) -> None:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        storage.write_atomic(target, broken, lambda _: None)
    assert not Path(target).exists() and storage.temporary_files() == []


def test_write_that_fails_its_check_is_not_put_in_place(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    target = storage.path("x", "part-x.parquet")

    def check(_: str) -> None:
        raise LakeWriteError("row count differs")

    with pytest.raises(LakeWriteError):
        storage.write_atomic(target, lambda s: s.write(b"data"), check)
    assert not Path(target).exists() and storage.temporary_files() == []


def test_a_footer_that_disagrees_with_the_rows_written_keeps_the_file_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LakeStorage(str(tmp_path))
    real = pq.write_table  # the function the writer calls

    def short(table: pa.Table, *args: Any, **kwargs: Any) -> None:
        real(table.slice(1), *args, **kwargs)

    monkeypatch.setattr(pq, "write_table", short)
    with pytest.raises(LakeWriteError, match="footer says 2 rows, wrote 3"):
        write_dataset(storage, "earn_history", "2026-11-22", "run-1", history_table(3))
    assert list(tmp_path.rglob("*.parquet")) == [] and storage.temporary_files() == []


def commit_run(storage: LakeStorage, run_id: str, days: int) -> list[str]:
    buffer = RunBuffer(run_id)
    buffer.add_page("main", "earn-history", 1, NOW, b'{"err_no":0}')
    buffer.add_batch("earn_history", history_table(days, run_id).to_batches()[0])
    return [f.path for f in buffer.commit(storage, "2026-11-22")]


def test_a_commit_that_fails_midway_leaves_the_lake_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import poolbooks.lake.writer as writer

    storage = LakeStorage(str(tmp_path))
    before = commit_run(storage, "run-1", 3)

    def fails(storage: LakeStorage, path: str, table: pa.Table) -> None:
        raise OSError("disk full")  # after the run's page archive is in place

    monkeypatch.setattr(writer, "write_parquet", fails)
    with pytest.raises(OSError, match="disk full"):
        commit_run(storage, "run-2", 5)
    left = sorted(str(p) for p in tmp_path.rglob("*") if p.is_file() and "_locks" not in str(p))
    assert left == sorted(before)  # run-2's page archive, already in place, was taken back
    assert readable_files(storage, "earn_history").paths == [before[1]]


def test_a_killed_commit_is_invisible_to_readers_and_rolled_back_by_the_next_writer(
    tmp_path: Path,
) -> None:
    from poolbooks.lake.journal import journaled_commit, pending_files

    storage = LakeStorage(str(tmp_path))
    kept = commit_run(storage, "run-1", 3)
    half = storage.path("earn_history", "fetch_date=2026-11-22", "part-run-2.parquet")
    other = storage.path("earn_stats", "fetch_date=2026-11-22", "part-run-2.parquet")
    killed = journaled_commit(storage, "run-2", [half, other])
    killed.__enter__()  # a commit that wrote one of its two files, then was SIGKILLed
    write_dataset(storage, "earn_history", "2026-11-22", "run-2", history_table(2, "run-2"))
    assert pending_files(storage) == {half, other}
    assert readable_files(storage, "earn_history").paths == [kept[1]]  # readers skip it
    commit_run(storage, "run-3", 4)  # the next writer rolls run-2 back first
    assert not Path(half).exists() and pending_files(storage) == set()
    names = [Path(p).name for p in readable_files(storage, "earn_history").paths]
    assert names == ["part-run-1.parquet", "part-run-3.parquet"]


def test_a_commit_that_replaces_files_switches_readers_at_once_and_survives_kills(
    tmp_path: Path,
) -> None:
    from poolbooks.lake.journal import journaled_commit, pending_files

    storage = LakeStorage(str(tmp_path))
    old = commit_run(storage, "run-1", 3)[1]  # the earn_history file
    new = storage.path("earn_history", "fetch_date=2026-11-22", "part-reparsed-r2.parquet")

    # killed before the switch: the new file is invisible, and rolled back by the next writer
    killed = journaled_commit(storage, "r2", [new], replaces=[old])
    killed.__enter__()
    write_dataset(storage, "earn_history", "2026-11-22", "reparsed-r2", history_table(5, "r2"))
    assert readable_files(storage, "earn_history").paths == [old]
    recover(storage)
    assert not Path(new).exists() and Path(old).exists() and pending_files(storage) == set()

    # killed after the switch, before the old file went: readers already see only the new
    # one, and the next writer finishes the deletes (rolled forward)
    killed = journaled_commit(storage, "r3", [new], replaces=[old])
    killed.__enter__()
    write_dataset(storage, "earn_history", "2026-11-22", "reparsed-r2", history_table(5, "r3"))
    journal = tmp_path / "_commits" / "r3.json"
    body = json.loads(journal.read_text())
    journal.write_text(json.dumps({**body, "done": True}))  # the switch, as the commit makes it
    assert readable_files(storage, "earn_history").paths == [new]
    recover(storage)
    assert not Path(old).exists() and Path(new).exists() and not journal.exists()

    # a whole commit: the switch, then the old file deleted
    newer = storage.path("earn_history", "fetch_date=2026-11-22", "part-reparsed-r4.parquet")
    with journaled_commit(storage, "r4", [newer], replaces=[new]):
        write_dataset(storage, "earn_history", "2026-11-22", "reparsed-r4", history_table(6))
        assert readable_files(storage, "earn_history").paths == [new]  # not switched yet
    assert readable_files(storage, "earn_history").paths == [newer]
    assert not Path(new).exists() and pending_files(storage) == set()


def test_listings_skip_temporary_and_hidden_files(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    write_dataset(storage, "earn_history", "2026-11-22", "run-1", history_table(1))
    folder = tmp_path / "earn_history/fetch_date=2026-11-22"
    (folder / ".tmp-part-run-2.parquet").write_bytes(b"partial")
    (folder / "_compaction-x.json").write_text('{"target": "gone.parquet", "replaces": []}')
    assert [Path(p).name for p in readable_files(storage, "earn_history").paths] == [
        "part-run-1.parquet"
    ]
    assert storage.remove_temporary_files() == 1
    assert not (folder / ".tmp-part-run-2.parquet").exists()


def test_page_archive_round_trips_verbatim_bodies(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    archive = PageArchive()
    bodies = [b'{"err_no":0,"data":{"page":"1"}}', '{"地址":"x"}'.encode()]
    for page, body in enumerate(bodies, start=1):
        archive.add(
            run_id="r",
            fetched_at=NOW,
            account="main",
            endpoint="earn-history",
            page=page,
            body=body,
        )
    written = write_pages(storage, "earn-history", "2026-11-22", "r", archive)
    lines = gzip.decompress(Path(written.path).read_bytes()).decode().splitlines()
    assert [json.loads(line)["body"].encode() for line in lines] == bodies
    assert json.loads(lines[0])["page"] == 1 and written.rows == 2
    first = json.loads(lines[0])
    assert (first["run_id"], first["account"], first["endpoint"]) == ("r", "main", "earn-history")
    assert datetime.fromisoformat(first["fetched_at"]) == NOW


def test_files_get_the_users_umask_and_are_never_world_writable(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    written = write_dataset(storage, "earn_history", "2026-11-22", "run-1", history_table(1))
    assert Path(written.path).stat().st_mode & 0o002 == 0


@pytest.mark.adversarial
def test_second_writer_waits_for_the_lock_and_says_so(tmp_path: Path) -> None:
    storage = LakeStorage(str(tmp_path))
    messages: list[str] = []
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with lake_lock(storage):
            holding.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait()
    with lake_lock(storage, on_wait=messages.append):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
    assert messages and "waiting for another poolbooks process" in messages[0]
