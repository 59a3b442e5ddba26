"""Each data test (`sql/tests/`, and one per key a model declares) passes on a sound warehouse
and catches the breakage it is written for: the warehouse is built once, then copied and broken
one way per test."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from poolbooks.lake.storage import LakeStorage
from poolbooks.warehouse.cost_settings import AccountPower, CostSettings, FixedCost, Tariff
from poolbooks.warehouse.project import load_project
from poolbooks.warehouse.templating import render
from tests.warehouse.handlake import Day, HandLake, Price, days_from

D = date(2026, 1, 1)
PAID_AT = datetime(2026, 1, 5, 2, tzinfo=UTC)

# data test -> SQL that breaks the invariant it checks
BREAKAGES = {
    "assert_daily_earnings_btc_matches_sat": (
        "update daily_earnings set earnings_btc = earnings_btc + 0.00000001 "
        "where date = '2026-01-02'"
    ),
    "assert_daily_earnings_key_unique_and_not_null": (
        "insert into daily_earnings select * from daily_earnings where date = '2026-01-02'"
    ),
    "assert_earnings_vs_difficulty_key_unique_and_not_null": (
        "insert into earnings_vs_difficulty select * from earnings_vs_difficulty "
        "where date = '2026-01-02'"
    ),
    "assert_hashrate_daily_key_unique_and_not_null": (
        "insert into hashrate_daily (account, coin, date, snapshots) values (null, 'BTC', "
        "'2026-01-02', 1)"
    ),
    "assert_no_float_money": "alter table payouts add column fee_sat double",
    "assert_payout_onchain_key_unique_and_not_null": (
        "insert into payout_onchain (account, coin, payment_tx) values ('a', 'BTC', null)"
    ),
    "assert_payout_reconciliation_key_unique_and_not_null": (
        "insert into payout_reconciliation select * from payout_reconciliation"
    ),
    "assert_payout_rows_sum_to_amount": "update payouts set paid_sat = paid_sat + 1",
    "assert_payouts_key_unique_and_not_null": "insert into payouts select * from payouts",
    "assert_reconciliation_counts_match_findings": (
        "update payout_reconciliation set issue_count = issue_count + 1"
    ),
    "assert_reconciliation_kinds_known": (
        "insert into reconciliation_issues (account, coin, date, kind) "
        "values ('a', 'BTC', '2026-01-02', 'looked_odd')"
    ),
    "assert_int_daily_prices_key_unique_and_not_null": (
        "create table int_daily_prices as select * from (values "
        "('BTC', 'USD', date '2026-01-02', 1.0, 'coinbase', false, now()), "
        "('BTC', 'USD', date '2026-01-02', 2.0, 'override', true, now())) "
        "as t(coin, currency, date, close, source, is_override, fetched_at)"
    ),
    "assert_int_valuation_prices_key_unique_and_not_null": (
        "create table int_valuation_prices as select * from (values "
        "('BTC', date '2026-01-02', 'USD', 1.0, 'coinbase', false), "
        "('BTC', date '2026-01-02', 'USD', 2.0, 'override', true)) "
        "as t(coin, date, currency, close, source, is_override)"
    ),
    # 200 sat at 612500 is 1.225 exactly: 1.22 is half a cent off, but toward zero
    "assert_values_are_amount_at_close_to_the_cent": (
        "update daily_earnings set earnings_value = 1.22 "
        "where account = 'a' and date = '2026-01-02'"
    ),
    "assert_payout_value_is_its_rows_rounded_sum": (
        "update payouts set paid_value = paid_value - 0.01"
    ),
    "assert_running_sums_consistent": (
        "update daily_earnings set cumulative_earnings_sat = cumulative_earnings_sat + 1 "
        "where date = '2026-01-03'"
    ),
    "assert_daily_pnl_key_unique_and_not_null": (
        "insert into daily_pnl select * from daily_pnl where date = '2026-01-02'"
    ),
    "assert_stg_account_power_key_unique_and_not_null": (
        "create or replace view stg_account_power as select * from (values "
        "('a', 3250.0, null), ('a', 3000.0, null)) as t(account, power_watts, efficiency_j_per_th)"
    ),
    "assert_stg_electricity_tariff_key_unique_and_not_null": (
        "create or replace view stg_electricity_tariff as select * from (values "
        "(date '2026-01-01', 0.08, 'USD'), (date '2026-01-01', 0.09, 'USD')) "
        "as t(start_date, price_per_kwh, currency)"
    ),
    "assert_stg_fixed_costs_key_unique_and_not_null": (
        "create or replace view stg_fixed_costs as select * from (values "
        "(null::date, 300.00, 'USD')) as t(start_date, per_month, currency)"
    ),
    # a: 3250 W all day at 0.08 a kWh; profit 0.01 more than the day's value less its costs
    "assert_daily_pnl_profit_is_value_less_costs": (
        "update daily_pnl set profit = profit + 0.01 where account = 'a' and date = '2026-01-02'"
    ),
    # 2026-01-03 has no price: no value, so no profit (never 0)
    "assert_daily_pnl_missing_inputs_give_nulls": (
        "update daily_pnl set profit = 0 where date = '2026-01-03'"
    ),
    "assert_daily_pnl_cumulative_profit_is_running_sum": (
        "update daily_pnl set cumulative_profit = cumulative_profit + 0.01 "
        "where account = 'a' and date = '2026-01-02'"
    ),
}


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> HandLake:
    costs = CostSettings(
        electricity=(Tariff(D, Decimal("0.08")),),
        fixed=(FixedCost(D, Decimal("310")),),
        power={"a": AccountPower(power_watts=Decimal("3250"))},
    )
    lake = HandLake(tmp_path_factory.mktemp("sound"), costs=costs)
    days = days_from(D, [100, 200, 300, 400])
    days[1:3] = [
        Day(d.date, d.earnings, paid=d.earnings, tx="aa11", paid_at=PAID_AT, address="3Pay")
        for d in days[1:3]
    ]
    lake.observe("a", days)
    lake.observe("b", days_from(D, [7, 8, 9]))
    lake.prices(
        [
            Price(date(2026, 1, 1), "40000"),
            Price(date(2026, 1, 2), "612500"),
            Price(date(2026, 1, 5), "43210.12"),  # the payout's UTC day
        ]
    )
    report = lake.build()
    assert report.published and report.failed_tests == []
    return lake


def failures(lake: HandLake, warehouse: Path, test: str) -> int:
    """The rows a data test returns on a saved warehouse. Intermediate models are not saved: a
    test that reads one, directly or through another, gets them again as temporary views."""
    project = load_project()
    storage = LakeStorage(lake.config.lake)
    variables = {"timezone": "UTC", "price_currency": "USD"}
    needed, reads = set(), set(project.depends_on[test])
    while reads:
        name = reads.pop()
        if project.models[name].layer == "intermediate" and name not in needed:
            needed.add(name)
            reads |= project.depends_on[name]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # a breakage of an intermediate model saves a broken table in its place
        saved = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
        for name in (n for n in project.order if n in needed and n not in saved):
            model_sql = render(project.models[name].sql, storage, variables)
            con.execute(f"create temp view {name} as {model_sql}")
        sql = render(project.tests[test].sql, storage, variables)
        row = con.execute(f"select count(*) from ({sql})").fetchone()
    return int(row[0]) if row else 0


def test_every_data_test_has_a_breakage_here() -> None:
    assert set(BREAKAGES) == set(load_project().tests)


@pytest.mark.parametrize("test", sorted(BREAKAGES))
def test_a_data_test_passes_when_sound_and_fails_when_broken(
    sound: HandLake, tmp_path: Path, test: str
) -> None:
    assert failures(sound, sound.config.warehouse, test) == 0
    broken = tmp_path / "broken.duckdb"
    shutil.copy(sound.config.warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute(BREAKAGES[test])
    assert failures(sound, broken, test) > 0
