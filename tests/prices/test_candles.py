"""Coinbase's candles read exactly: a captured answer and the documented example
(tests/fixtures/prices, each with its source) through the real parser, every number a Decimal,
and a price with ten places unchanged from the JSON to DuckDB's DECIMAL."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from poolbooks.http.errors import BadResponse, MalformedData
from poolbooks.lake.buffer import RunBuffer
from poolbooks.lake.reader import register_dataset
from poolbooks.lake.schemas import SCHEMA_VERSION
from poolbooks.lake.storage import LakeStorage
from poolbooks.prices.candles import Candle, parse_candles

FIXTURES = Path(__file__).parents[1] / "fixtures" / "prices"


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return loaded


def served(fixture_body: str, steps: list[str]) -> bytes:
    """The documented text as a server sends it: the legend row and `...` taken out."""
    text = fixture_body
    for step in steps:
        if step == "drop_legend_row":
            text = re.sub(r"\[ time, low, high, open, close, volume \],\s*", "", text)
        elif step == "drop_ellipsis_elements":
            text = re.sub(r",\s*\.\.\.", "", text)
        else:
            raise AssertionError(f"unknown step {step}")
    return text.encode()


def test_the_captured_answer_parses_to_forty_exact_days_oldest_first() -> None:
    captured = fixture("captured_btc_usd_candles.json")
    assert captured["source"]["url"].startswith("https://api.exchange.coinbase.com/products/")
    candles = parse_candles(captured["body"].encode(), "BTC-USD")
    assert len(candles) == 40
    assert [c.day for c in candles] == sorted({c.day for c in candles})
    assert candles[0].day == date(2026, 6, 22) and candles[-1].day == date(2026, 7, 31)
    newest = candles[-1]  # [1785456000, 62358.96, 65360, 64721.9, 62826.78, 6399.19820988]
    assert newest == Candle(
        day=date(2026, 7, 31),
        open=Decimal("64721.9"),
        high=Decimal("65360"),
        low=Decimal("62358.96"),
        close=Decimal("62826.78"),
        volume=Decimal("6399.19820988"),
    )
    for candle in candles:
        values = (candle.open, candle.high, candle.low, candle.close, candle.volume)
        assert all(type(v) is Decimal for v in values)


def test_the_documented_example_is_the_day_its_time_falls_in() -> None:
    documented = fixture("docs_example_candles.json")
    body = served(documented["body"], documented["as_served"])
    assert json.loads(body) == [[1415398768, 0.32, 4.2, 0.35, 4.2, 12.3]]
    (candle,) = parse_candles(body, "BTC-USD")
    assert candle.day == datetime.fromtimestamp(1415398768, UTC).date() == date(2014, 11, 7)
    assert (candle.low, candle.high, candle.open, candle.close, candle.volume) == (
        Decimal("0.32"),
        Decimal("4.2"),
        Decimal("0.35"),
        Decimal("4.2"),
        Decimal("12.3"),
    )


def test_prices_are_decimals_so_tenths_add_up_exactly() -> None:
    body = b"[[1700006400, 0.1, 0.3, 0.2, 0.2, 0.1], [1700092800, 0.1, 0.3, 0.1, 0.3, 0]]"
    older, newer = parse_candles(body, "BTC-USD")
    assert older.low + older.open == Decimal("0.3") == newer.close  # as floats: 0.30000000000000004
    assert str(older.volume + older.open) == "0.3"


def test_ten_places_arrive_in_duckdb_unchanged(tmp_path: Path) -> None:
    price = "12345.0123456789"
    body = f"[[1700006400, {price}, {price}, {price}, {price}, 0.0000000001]]".encode()
    (candle,) = parse_candles(body, "BTC-USD")
    storage = LakeStorage(str(tmp_path))
    buffer = RunBuffer("run-1")
    buffer.add_row(
        "prices",
        {
            "schema_version": SCHEMA_VERSION,
            "run_id": "run-1",
            "fetched_at": datetime(2023, 11, 16, tzinfo=UTC),
            "coin": "BTC",
            "currency": "USD",
            "date": candle.day,
            "open": candle.open,
            "high": candle.high,
            "low": candle.low,
            "close": candle.close,
            "volume": candle.volume,
            "source": "coinbase",
            "final": True,
        },
    )
    buffer.commit(storage, "2023-11-16")
    with duckdb.connect() as con:
        assert register_dataset(con, "prices", storage, "prices")
        ((close, volume, kind),) = con.execute(
            "select close, volume, typeof(close) from prices"
        ).fetchall()
    assert (close, volume, kind) == (Decimal(price), Decimal("0.0000000001"), "DECIMAL(38,10)")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"[[1700006400, 1, 2, 1, 1, 0.00000000001]]", "[0].volume"),  # 11 places
        (b"[[1700006400, 1, 2, 1, 1e30, 1]]", "[0].close"),  # 31 digits
        (b'[[1700006400, 1, 2, "1", 1, 1]]', "[0].open"),  # a string
        (b"[[1700006400.5, 1, 2, 1, 1, 1]]", "[0].time"),
        (b"[[1700006400, 0, 2, 1, 1, 1]]", "[0].low"),
        (b"[[1700006400, 1, 2, 3, 1, 1]]", "[0]"),  # open above high
        (b"[[1700006400, 1, 2, 1, 1]]", "[0]"),  # five numbers
        (b'{"message": "NotFound"}', "body"),
    ],
)
def test_what_breaks_the_layout_is_named_not_rounded(body: bytes, field: str) -> None:
    with pytest.raises(MalformedData) as caught:
        parse_candles(body, "BTC-USD")
    assert caught.value.field == field
    assert "BTC-USD" in str(caught.value)


@pytest.mark.parametrize("body", [b"[[1700006400, 1, 2, 1, 1, 1]", b"[[1, NaN, 2, 1, 1, 1]]"])
def test_a_body_that_is_not_json_is_retried(body: bytes) -> None:
    with pytest.raises(BadResponse) as caught:
        parse_candles(body, "BTC-USD")
    assert caught.value.retryable
