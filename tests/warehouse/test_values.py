"""Receipts valued in the warehouse: each figure here is written by hand, prices and amounts, and
so is every value expected of them (docs/warehouse.md, "Values")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.warehouse.handlake import Day, HandLake, Price

PAID_AT = datetime(2025, 3, 2, 10, tzinfo=UTC)
# three rows of one payout whose values at 43210.12 USD are 533.454857472, 533.4596105852 and
# 533.4647957996: 533.45 + 533.46 + 533.46 = 1600.37 rounded one by one, 1600.38 as one sum
SPLIT = [
    (date(2025, 2, 27), 1_234_560),
    (date(2025, 2, 28), 1_234_571),
    (date(2025, 3, 1), 1_234_583),
]


def split_payout(lake: HandLake, account: str = "main") -> None:
    lake.observe(
        account,
        [Day(d, sat, paid=sat, tx="tx-split", paid_at=PAID_AT, address="3Pay") for d, sat in SPLIT],
    )


def payout(lake: HandLake, tx: str = "tx-split") -> tuple[object, ...]:
    ((row),) = lake.query(
        "select price_date, price_currency, price_close, price_source, price_is_override, "
        "paid_value from payouts where payment_tx = ?",
        tx,
    )
    return row


def days(lake: HandLake) -> list[tuple[object, ...]]:
    return lake.query(
        "select date, price_currency, price_close, price_source, earnings_value "
        "from daily_earnings order by date"
    )


def test_a_payout_is_its_rows_exact_values_summed_then_rounded_once(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    split_payout(lake)
    lake.prices([Price(date(2025, 3, 2), "43210.12")])
    report = lake.build()
    assert report.failed_tests == []  # assert_payout_value_is_its_rows_rounded_sum among them
    assert payout(lake) == (
        date(2025, 3, 2),
        "USD",
        Decimal("43210.12"),
        "coinbase",
        False,
        Decimal("1600.38"),
    )
    # the same rows rounded one by one, by the warehouse's own macros: a cent short
    ((row_by_row,),) = lake.query(
        "select sum(to_cents(fiat_exact(sat, 43210.12))) "
        "from (values (1234560), (1234571), (1234583)) as t(sat)"
    )
    assert row_by_row == Decimal("1600.37")


@pytest.mark.parametrize(
    ("exact", "cents"),
    [
        ("1.225", "1.23"),  # banker's rounding would give 1.22
        ("-1.225", "-1.23"),
        ("0.125", "0.13"),
        ("-0.005", "-0.01"),
        ("0.004999999999999999", "0.00"),
        ("1600.379263856800000000", "1600.38"),
    ],
)
def test_duckdb_rounds_a_decimal_to_the_cent_half_away_from_zero(
    tmp_path: Path, exact: str, cents: str
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("main", [Day(date(2025, 3, 1), 1)])
    lake.build()
    ((value, kind),) = lake.query(
        f"select to_cents(cast({exact} as decimal(38, 18))) as v, typeof(v)"
    )
    assert (value, kind) == (Decimal(cents), "DECIMAL(18,2)")


def test_a_days_earnings_are_valued_at_the_close_of_its_date(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    # 12,250 sat at 10,000 is 1.225 exactly; 1,380,002,903 sat at 93,000.505 is 1,283,409.668...
    lake.observe("main", [Day(date(2025, 3, 1), 12_250), Day(date(2025, 3, 2), 1_380_002_903)])
    lake.prices([Price(date(2025, 3, 1), "10000"), Price(date(2025, 3, 2), "93000.505")])
    assert lake.build().failed_tests == []
    assert days(lake) == [
        (date(2025, 3, 1), "USD", Decimal("10000"), "coinbase", Decimal("1.23")),
        (date(2025, 3, 2), "USD", Decimal("93000.505"), "coinbase", Decimal("1283409.67")),
    ]
    ((kinds),) = lake.query(
        "select typeof(price_close), typeof(earnings_value) from daily_earnings limit 1"
    )
    assert kinds == ("DECIMAL(38,10)", "DECIMAL(18,2)")


def test_an_override_wins_over_the_candle_of_its_date_and_the_latest_candle_over_older(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("main", [Day(date(2025, 3, 1), 100_000_000), Day(date(2025, 3, 2), 100_000_000)])
    lake.prices([Price(date(2025, 3, 1), "50000"), Price(date(2025, 3, 2), "51000")])
    lake.prices([Price(date(2025, 3, 1), "49999.99", source="override")])
    lake.prices([Price(date(2025, 3, 1), "50500"), Price(date(2025, 3, 2), "51234.56")])
    assert lake.build().failed_tests == []
    assert days(lake) == [
        (date(2025, 3, 1), "USD", Decimal("49999.99"), "override", Decimal("49999.99")),
        (date(2025, 3, 2), "USD", Decimal("51234.56"), "coinbase", Decimal("51234.56")),
    ]


def test_a_day_without_a_final_price_has_no_value_not_zero(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    split_payout(lake)
    lake.observe("main", [Day(date(2025, 3, 2), 500), Day(date(2025, 3, 3), 700)])
    # 2025-02-28 has no candle at all; 2025-03-02's candle (the payout's day) is not final yet
    lake.prices(
        [
            Price(date(2025, 2, 27), "40000"),
            Price(date(2025, 3, 1), "41000"),
            Price(date(2025, 3, 2), "43210.12", final=False),
        ]
    )
    assert lake.build().failed_tests == []
    assert days(lake) == [
        (date(2025, 2, 27), "USD", Decimal("40000"), "coinbase", Decimal("493.82")),
        (date(2025, 2, 28), "USD", None, None, None),
        (date(2025, 3, 1), "USD", Decimal("41000"), "coinbase", Decimal("506.18")),
        (date(2025, 3, 2), "USD", None, None, None),
        (date(2025, 3, 3), "USD", None, None, None),
    ]
    assert payout(lake) == (date(2025, 3, 2), "USD", None, None, None, None)


def test_values_are_in_the_configured_currency_only(tmp_path: Path) -> None:
    lake = HandLake(tmp_path, price_currency="EUR")
    split_payout(lake)
    lake.prices([Price(date(2025, 3, 2), "43210.12"), Price(date(2025, 2, 27), "40000")])
    lake.prices(
        [
            Price(date(2025, 3, 2), "39876.54", currency="EUR"),
            Price(date(2025, 3, 1), "39000", currency="EUR", source="override"),
        ]
    )
    assert lake.build().failed_tests == []
    # 3,703,714 sat at 39,876.54 EUR: 1476.9129946956 -> 1476.91
    assert payout(lake) == (
        date(2025, 3, 2),
        "EUR",
        Decimal("39876.54"),
        "coinbase",
        False,
        Decimal("1476.91"),
    )
    assert days(lake) == [
        (date(2025, 2, 27), "EUR", None, None, None),  # a USD candle only
        (date(2025, 2, 28), "EUR", None, None, None),
        (date(2025, 3, 1), "EUR", Decimal("39000"), "override", Decimal("481.49")),
    ]


def test_a_config_without_prices_values_in_usd(tmp_path: Path) -> None:
    lake = HandLake(tmp_path)
    assert lake.config.prices is None
    split_payout(lake)
    lake.prices([Price(date(2025, 3, 2), "43210.12"), Price(date(2025, 3, 2), "1", currency="EUR")])
    assert lake.build().failed_tests == []
    assert payout(lake)[1:3] == ("USD", Decimal("43210.12"))


def test_a_payout_is_valued_on_the_utc_day_of_its_payment_not_the_pools(tmp_path: Path) -> None:
    # paid at 01:30 on 2 March in the pool's zone, Tokyo: 16:30 on 1 March in UTC
    lake = HandLake(tmp_path, timezone="Asia/Tokyo")
    tokyo = datetime(2025, 3, 2, 1, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    lake.observe(
        "main", [Day(date(2025, 3, 1), 200_000, paid=200_000, tx="t", paid_at=tokyo, address="3")]
    )
    lake.prices([Price(date(2025, 3, 1), "40000"), Price(date(2025, 3, 2), "50000")])
    assert lake.build().failed_tests == []
    ((paid_at,),) = lake.query("select payment_time from payouts")
    assert paid_at == datetime(2025, 3, 1, 16, 30, tzinfo=UTC)
    assert payout(lake, "t") == (
        date(2025, 3, 1),
        "USD",
        Decimal("40000"),
        "coinbase",
        False,
        Decimal("80.00"),
    )


def test_a_payout_without_a_payment_time_is_valued_the_day_after_its_last_day(
    tmp_path: Path,
) -> None:
    lake = HandLake(tmp_path)
    lake.observe("main", [Day(date(2025, 3, 1), 300_000, paid=300_000, tx="t-late")])
    lake.prices([Price(date(2025, 3, 1), "40000"), Price(date(2025, 3, 2), "45000.01")])
    assert lake.build().failed_tests == []
    # 300,000 sat at 45,000.01 is 135.00003
    assert payout(lake, "t-late") == (
        date(2025, 3, 2),
        "USD",
        Decimal("45000.01"),
        "coinbase",
        False,
        Decimal("135.00"),
    )


def exact_cents(amount_sat: int, price: Decimal) -> Decimal:
    """amount_sat * price / 10^8 to the cent, half away from zero, in Python's decimals."""
    value = Decimal(amount_sat) * price / Decimal(10**8)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def macros_warehouse(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A built warehouse, whose saved macros any client can call."""
    lake = HandLake(tmp_path_factory.mktemp("macros"))
    lake.observe("main", [Day(date(2025, 3, 1), 1)])
    lake.build()
    with duckdb.connect(str(lake.folder / "warehouse.duckdb"), read_only=True) as con:
        yield con


def value_to_cents(con: duckdb.DuckDBPyConnection, amount_sat: int, price: Decimal) -> object:
    (row,) = con.execute(
        "select value_to_cents(cast(? as bigint), cast(? as decimal(38, 10)))",
        [amount_sat, str(price)],
    ).fetchall()
    return row[0]


@pytest.mark.parametrize(
    ("amount_sat", "price", "cents"),
    [
        (500_000, "1", "0.01"),  # exactly half a cent: away from zero
        (-500_000, "1", "-0.01"),
        (1_500_000, "1", "0.02"),
        (499_999, "1", "0.00"),
        (55_000_000, "2.3", "1.27"),  # 1.265 exactly, which a double computes as 1.26499...
        (195_000_000, "2.3", "4.49"),  # 4.485, the same
        (2_500_001, "1", "0.03"),
        (1, "0.0000000001", "0.00"),
        (50_000_000, "43210.1234567891", "21605.06"),
        (123_456_789_012, "45678.1234567891", "56392744.50"),  # 10^9 cents and more: exact path
        (10**15, "99999.9999999999", "1000000000000.00"),
    ],
)
def test_value_to_cents_rounds_exactly_even_at_half_a_cent(
    macros_warehouse: duckdb.DuckDBPyConnection, amount_sat: int, price: str, cents: str
) -> None:
    value = value_to_cents(macros_warehouse, amount_sat, Decimal(price))
    assert value == Decimal(cents) == exact_cents(amount_sat, Decimal(price))


def test_value_to_cents_is_null_without_a_price(
    macros_warehouse: duckdb.DuckDBPyConnection,
) -> None:
    (row,) = macros_warehouse.execute("select value_to_cents(100, null)").fetchall()
    assert row == (None,)


@settings(max_examples=400, deadline=None)
@given(
    amount_sat=st.integers(min_value=-(10**12), max_value=10**13),
    price=st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("10000000"), places=10),
)
def test_value_to_cents_equals_the_exact_product_rounded_once(
    macros_warehouse: duckdb.DuckDBPyConnection, amount_sat: int, price: Decimal
) -> None:
    assert value_to_cents(macros_warehouse, amount_sat, price) == exact_cents(amount_sat, price)


@settings(max_examples=300, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**10),
    price=st.sampled_from(["1", "2", "0.5", "4", "25", "0.0625", "2.3", "0.7", "43210.1"]),
)
def test_value_to_cents_at_and_beside_half_cents(
    macros_warehouse: duckdb.DuckDBPyConnection, cents: int, price: str
) -> None:
    # amounts whose exact value lies on a half cent, or one satoshi beside it
    half = (Decimal(cents) + Decimal("0.5")) / 100 * 10**8 / Decimal(price)
    for amount_sat in {int(half) - 1, int(half), int(half) + 1}:
        expected = exact_cents(amount_sat, Decimal(price))
        assert value_to_cents(macros_warehouse, amount_sat, Decimal(price)) == expected
