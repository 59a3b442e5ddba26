"""The pool-zone macros' integer fast path (inside the span where the zone keeps one offset)
against ICU's zone conversion and Python's zoneinfo, which know nothing of it: every instant,
in every kind of zone, gets the same day and wall-clock time either way."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.project import load_project
from poolbooks.warehouse.templating import render
from poolbooks.warehouse.zone_span import fixed_offset_span

# UTC; fixed since 1991; DST; a 45-minute offset; a zone west of UTC that kept its offset
ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Asia/Kathmandu", "America/Phoenix"]


@functools.cache
def macros(zone: str) -> duckdb.DuckDBPyConnection:
    """A connection with the project's macros rendered for `zone`, as a build renders them."""
    project = load_project()
    assert project.macros is not None
    variables = {
        "timezone": zone,
        **fixed_offset_span(ZoneInfo(zone)).variables(),
        "price_currency": "USD",
    }
    con = duckdb.connect()
    con.execute(render(project.macros.sql, LakeStorage("."), variables))
    return con


def instants_around_the_span(zone: str) -> list[datetime]:
    """Each edge of the fixed span, a DST change, midnights and the microseconds beside them."""
    span = fixed_offset_span(ZoneInfo(zone))
    edges = [span.start, span.end, datetime(2024, 3, 10, 7, tzinfo=UTC)]
    midnights = [
        datetime(2025, 6, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC),
        datetime(1975, 1, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC),
        datetime(2100, 1, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC),
    ]
    near = [timedelta(0), timedelta(microseconds=1), -timedelta(microseconds=1), timedelta(hours=1)]
    return [edge + step for edge in edges + midnights for step in near]


def check(con: duckdb.DuckDBPyConnection, zone: str, instants: list[datetime]) -> None:
    rows = con.execute(
        "select i, pool_day(i), pool_time(i), pool_day_ended(pool_day(i) - 1, i), "
        "pool_day_ended(pool_day(i), i), "
        f"cast(timezone('{zone}', i) as date), timezone('{zone}', i) "
        "from unnest(?::timestamptz[]) as t (i)",
        [instants],
    ).fetchall()
    for instant, day, wall, ended_before, ended_same, icu_day, icu_wall in rows:
        local = instant.astimezone(ZoneInfo(zone))
        assert (day, wall) == (icu_day, icu_wall) == (local.date(), local.replace(tzinfo=None))
        assert ended_before is True and ended_same is False, instant


@pytest.mark.parametrize("zone", ZONES)
def test_the_fast_path_gives_icus_day_and_time_at_the_edges(zone: str) -> None:
    check(macros(zone), zone, instants_around_the_span(zone))


@pytest.mark.parametrize("zone", ZONES)
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 1, 1)).map(
            lambda naive: naive.replace(tzinfo=UTC)
        ),
        min_size=1,
        max_size=40,
    )
)
def test_any_instant_gets_icus_day_and_time(zone: str, instants: list[datetime]) -> None:
    check(macros(zone), zone, instants)


def test_the_span_is_where_the_zone_keeps_one_offset() -> None:
    utc = fixed_offset_span(ZoneInfo("UTC"))
    shanghai = fixed_offset_span(ZoneInfo("Asia/Shanghai"))
    assert (utc.start.date(), utc.offset_us) == (date(2009, 1, 1), 0)
    assert utc.end.year == 2049
    # China's last daylight saving time ended in September 1991, before the stretch looked at
    assert (shanghai.start, shanghai.offset_us) == (utc.start, 8 * 3_600_000_000)
    # Brazil's last ended on 2019-02-17 (at midnight, 02:00 UTC): the span starts the next day
    sao_paulo = fixed_offset_span(ZoneInfo("America/Sao_Paulo"))
    assert (sao_paulo.start.date(), sao_paulo.offset_us) == (date(2019, 2, 18), -3 * 3_600_000_000)
    kathmandu = fixed_offset_span(ZoneInfo("Asia/Kathmandu"))
    assert kathmandu.offset_us == (5 * 60 + 45) * 60_000_000
