"""Every real-world body in tests/fixtures/realworld, served as the pool would send it and run
through the real parser (or client), against figures written here, one expectation per file."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.earn_history import parse_earn_history_page, parse_earn_history_row
from poolbooks.pool_api.endpoints import ENDPOINTS
from poolbooks.pool_api.envelope import Where, decode_envelope
from poolbooks.pool_api.errors import ApiError, AuthError, MalformedData
from poolbooks.pool_api.records import EarnHistoryPage
from poolbooks.pool_api.snapshots import (
    parse_account_info,
    parse_earn_stats,
    parse_hashrate,
    parse_pool_stats,
    parse_worker_stats,
)
from poolbooks.redaction import Secret
from tests.conftest import FAST_SETTINGS
from tests.pool_api.realworld import (
    OTHER_ENDPOINT,
    STEPS,
    fixture_names,
    load_fixture,
    served_body,
    strict_json,
)

NAMES = fixture_names()
SERVABLE = [name for name in NAMES if "as_served" in load_fixture(name)]
UTC_ZONE = ZoneInfo("UTC")
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)
TX_2017 = "466af581cbf52af00dc0273ced28c17e8b7a7c6a92a4ce0ae104af4ff0d557c0"
ADDRESS_2017 = "3NA8hsjfdgVkmmVS9moHmkZsVCoLxUkvvv"
Check = Callable[[dict[str, Any]], None]
EXPECTATIONS: dict[str, Check] = {}


def expect(*names: str) -> Callable[[Check], Check]:
    """Registers what the named fixtures must parse to."""

    def register(check: Check) -> Check:
        for name in names:
            assert name not in EXPECTATIONS, f"two expectations for {name}"
            EXPECTATIONS[name] = check
        return check

    return register


def where(fixture: dict[str, Any]) -> Where:
    endpoint = fixture["endpoint"]
    return Where("main", endpoint, 1 if endpoint == "earn-history" else None)


def history(fixture: dict[str, Any]) -> EarnHistoryPage:
    return parse_earn_history_page(served_body(fixture), where(fixture), UTC_ZONE, FETCHED_AT)


# --- earn-history ----------------------------------------------------------------------------


@expect("apidocs_en_earn_history", "apidocs_zh_earn_history")
def two_days_newest_first_one_paid_next_day(fixture: dict[str, Any]) -> None:
    page = history(fixture)
    assert (page.page, page.page_size, page.page_count, page.total_count) == (1, 50, 1, 50)
    today, paid = page.rows
    assert (today.date, paid.date) == (date(2017, 2, 13), date(2017, 2, 12))  # newest first
    assert (today.earnings_sat, today.paid_amount_sat) == (0, 0)
    assert (today.payment_time, today.payment_tx, today.address) == (None, None, None)
    assert (today.difficulty, today.payment_mode, today.earnings_rate_pct) == (
        422170566884,
        "PPS",
        0,
    )
    assert (paid.earnings_sat, paid.paid_amount_sat) == (1380002903, 1380002903)
    assert paid.payment_time == datetime(2017, 2, 13, 1, 45, 37, tzinfo=UTC)
    assert (paid.payment_tx, paid.address) == (TX_2017, ADDRESS_2017)
    assert (paid.difficulty, paid.payment_mode, paid.earnings_rate_pct) == (
        422170566884,
        "PPS",
        0.044,
    )
    assert paid.diff_rate_pct is None and today.extra is None and paid.extra is None


@expect("pooldocs_en_earn_history", "pooldocs_zh_earn_history")
def two_unpaid_days_oldest_first_beyond_float_precision(fixture: dict[str, Any]) -> None:
    page = history(fixture)
    assert (page.page, page.page_size, page.page_count, page.total_count) == (1, 10, 2, 12)
    first, second = page.rows
    assert (first.date, second.date) == (date(2016, 7, 24), date(2016, 7, 25))  # oldest first
    assert first.earnings_sat == 43957232146804320  # above 2**53: kept exactly, as an int
    assert isinstance(first.earnings_sat, int)
    assert second.earnings_sat == 1829543482510
    for row in page.rows:
        assert (row.paid_amount_sat, row.payment_time, row.payment_tx, row.address) == (
            0,
            None,
            None,
            None,
        )
        assert (row.difficulty, row.payment_mode, row.extra) == (22222, None, None)
    assert (first.diff_rate_pct, first.earnings_rate_pct) == (0, 123.321)
    assert (second.diff_rate_pct, second.earnings_rate_pct) == (None, None)  # keys absent


@expect("btcpoolexport_earn_history_one_date_two_rows")
def one_date_two_rows_whose_earnings_differ_is_refused(fixture: dict[str, Any]) -> None:
    data = strict_json(served_body(fixture))["data"]
    unpaid, paid = (
        parse_earn_history_row(row, f"list[{i}]", where(fixture), UTC_ZONE)
        for i, row in enumerate(data["list"])
    )
    assert unpaid.date == paid.date == date(2018, 1, 1)
    assert (unpaid.earnings_sat, unpaid.paid_amount_sat) == (38000, 38000)
    assert (unpaid.payment_tx, unpaid.address, unpaid.payment_time) == (None, None, None)
    assert json.loads(unpaid.extra or "") == {"unpaid_reason": "xxxxx"}
    assert (paid.earnings_sat, paid.paid_amount_sat) == (66666666, 66666666)
    assert (paid.payment_tx, paid.address, paid.payment_time) == ("xxxxx", "xxxxx", None)
    assert json.loads(paid.extra or "") == {"unpaid_reason": ""}
    # each row alone parses; as one page they break the rule that a day's rows repeat its
    # earnings (docs/pool-api.md), so the page is refused, naming page, field and date
    with pytest.raises(MalformedData) as refused:
        history(fixture)
    assert str(refused.value) == (
        "account 'main', endpoint earn-history: page 1, field list[1].earnings: "
        "date 20180101 has rows with different earnings (38000 and 66666666 sat)"
    )
    assert not refused.value.retryable


# --- earn-stats ------------------------------------------------------------------------------


@expect("apidocs_en_earn_stats", "apidocs_zh_earn_stats")
def six_zero_strings(fixture: dict[str, Any]) -> None:
    stats = parse_earn_stats(served_body(fixture), where(fixture))
    assert (stats.total_paid_sat, stats.pending_payouts_sat, stats.unpaid_sat) == (0, 0, 0)
    assert (stats.earnings_today_sat, stats.earnings_yesterday_sat) == (0, 0)
    assert stats.last_payment_time is None  # "0"
    assert stats.extra is None


@expect("pooldocs_en_earn_stats", "pooldocs_zh_earn_stats")
def strings_and_integers_mixed_with_size_unit_objects(fixture: dict[str, Any]) -> None:
    stats = parse_earn_stats(served_body(fixture), where(fixture))
    assert (stats.total_paid_sat, stats.pending_payouts_sat, stats.unpaid_sat) == (
        81687163,
        209698,
        209698,
    )
    assert (stats.earnings_today_sat, stats.earnings_yesterday_sat) == (0, 81687163)
    assert stats.last_payment_time == datetime(2017, 4, 18, 2, 36, 28, tzinfo=UTC)
    assert json.loads(stats.extra or "") == {
        "amount_100t": 5122425,
        "hashrate_yesterday": {"size": "1.59", "unit": "P"},
        "relative_pps_rate": 106.0938,
        "shares_1d": {"size": 0, "unit": "T"},
    }


@expect("script_comment_earn_stats_2020")
def captured_in_march_2020(fixture: dict[str, Any]) -> None:
    stats = parse_earn_stats(served_body(fixture), where(fixture))
    assert (stats.total_paid_sat, stats.pending_payouts_sat, stats.unpaid_sat) == (
        2072586,
        206017,
        214177,
    )
    assert (stats.earnings_today_sat, stats.earnings_yesterday_sat) == (8160, 22624)
    assert stats.last_payment_time == datetime(2020, 3, 8, 2, 17, 40, tzinfo=UTC)
    assert json.loads(stats.extra or "") == {
        "amount_100t": "151824",
        "amount_standard_earn": "151824",
        "amount_standard_unit": "100T",
        "hashrate_yesterday": {"size": "14.4500", "unit": "T"},
        "relative_pps_rate": 100,
        "shares_1d": {"size": "14.1400", "unit": "T"},
    }


# --- account-info ----------------------------------------------------------------------------

ALERT_2017 = {
    "alert_interval": 6,
    "hashrate_alert": 0,
    "hashrate_max": "0",
    "hashrate_unit": "T",
    "hashrate_value": "0",
    "miner_alert": 0,
    "miner_max": "0",
    "miner_value": "0",
}


@expect("apidocs_en_account_info", "apidocs_zh_account_info")
def integer_user_id_and_an_address_with_a_trailing_space(fixture: dict[str, Any]) -> None:
    info = parse_account_info(served_body(fixture), where(fixture))
    assert (info.user_id, info.user_name) == (88888, "spica")
    assert info.address == ADDRESS_2017  # "3NA8…vvv " with its trailing space stripped
    assert info.region == {"en.md": "America", "zh-cn.md": "中国"}[fixture["source"]["path"]]
    assert json.loads(info.extra or "") == {
        "alert": ALERT_2017,
        "contact": {"mail": "", "phone": {"country": "86", "number": "133****3333"}},
        "nmc_address": "",
        "rebates_address": "",
    }


@expect("pooldocs_en_account_info")
def text_user_id_no_address_and_boolean_alerts(fixture: dict[str, Any]) -> None:
    info = parse_account_info(served_body(fixture), where(fixture))
    assert (info.user_id, info.user_name, info.address, info.region) == (
        66690,
        "spica",
        None,
        "China",
    )
    assert json.loads(info.extra or "") == {
        "alert": {
            "alert_interval": 6,
            "hashrate_alert": True,
            "hashrate_max": "192",
            "hashrate_unit": "T",
            "hashrate_value": "180",
            "miner_alert": True,
            "miner_max": "999",
            "miner_value": "950",
        },
        "contact": {"mail": "xxx@xxx.com", "phone": {"country": "86", "number": "13800000000"}},
        "nmc_address": "",
        "rebates_address": "",
    }


# --- hashrate, worker-stats, pool-stats ------------------------------------------------------


@expect("apidocs_en_realtime_hashrate", "apidocs_zh_realtime_hashrate")
def petahashes_as_strings(fixture: dict[str, Any]) -> None:
    rate = parse_hashrate(served_body(fixture), where(fixture))
    assert (rate.shares_15m_hs, rate.shares_1d_hs, rate.extra) == (22.88e15, 23.33e15, None)


@expect("pooldocs_en_realtime_hashrate", "pooldocs_zh_realtime_hashrate")
def terahashes_as_strings(fixture: dict[str, Any]) -> None:
    rate = parse_hashrate(served_body(fixture), where(fixture))
    assert (rate.shares_15m_hs, rate.shares_1d_hs, rate.extra) == (5.12e12, 3.12e12, None)


@expect("apidocs_en_worker_stats", "apidocs_zh_worker_stats")
def two_thousand_workers(fixture: dict[str, Any]) -> None:
    stats = parse_worker_stats(served_body(fixture), where(fixture))
    counts = (stats.workers_active, stats.workers_inactive, stats.workers_dead)
    assert (*counts, stats.workers_total) == (1999, 1, 1, 2000)  # the docs' sum is off by one
    assert (stats.shares_1m_hs, stats.shares_5m_hs, stats.shares_15m_hs) == (
        22.55e15,
        22.79e15,
        22.85e15,
    )
    assert stats.extra is None


@expect("pooldocs_en_worker_stats", "pooldocs_zh_worker_stats")
def no_workers(fixture: dict[str, Any]) -> None:
    stats = parse_worker_stats(served_body(fixture), where(fixture))
    counts = (stats.workers_active, stats.workers_inactive, stats.workers_dead)
    assert (*counts, stats.workers_total) == (0, 0, 0, 0)
    assert (stats.shares_1m_hs, stats.shares_5m_hs, stats.shares_15m_hs) == (0, 0, 0)
    assert stats.extra is None


@expect("pooldocs_en_share_worker_stats", "pooldocs_zh_share_worker_stats")
def three_workers_in_gigahashes(fixture: dict[str, Any]) -> None:
    stats = parse_worker_stats(served_body(fixture), where(fixture))
    counts = (stats.workers_active, stats.workers_inactive, stats.workers_dead)
    assert (*counts, stats.workers_total) == (1, 2, 0, 3)
    assert (stats.shares_1m_hs, stats.shares_5m_hs, stats.shares_15m_hs) == (111e9, 222e9, 333e9)
    assert stats.extra is None


@expect("apidocs_v0_en_pool_stats", "apidocs_v0_en_pool_stats_merge")
def pool_shares_as_json_numbers(fixture: dict[str, Any]) -> None:
    stats = parse_pool_stats(served_body(fixture), where(fixture))
    assert (stats.shares_1m_hs, stats.shares_5m_hs, stats.shares_15m_hs) == (
        114.6e15,
        115.6e15,
        115.8e15,
    )
    assert (stats.reject_1m, stats.reject_5m, stats.reject_15m) == (0, 0, 0.0007)
    assert (stats.workers, stats.users, stats.extra) == (15424, 555, None)


# --- errors ----------------------------------------------------------------------------------


@expect(
    "issue_apidocs4_account_info_permissions_denied",
    "issue_btcpool53_realtime_hashrate_permissions_denied",
)
def captured_20001_is_a_final_auth_error(fixture: dict[str, Any]) -> None:
    parse = {"account-info": parse_account_info, "hashrate": parse_hashrate}[fixture["endpoint"]]
    with pytest.raises(AuthError) as refused:
        parse(served_body(fixture), where(fixture))
    assert str(refused.value) == (
        f"account 'main', endpoint {fixture['endpoint']}: err_no 20001: permissions denied"
    )
    assert not refused.value.retryable


@expect("pooldocs_en_hidden_set_error")
def err_msg_object_with_msg_shows_its_text(fixture: dict[str, Any]) -> None:
    with pytest.raises(ApiError) as failed:
        decode_envelope(served_body(fixture), Where("main", "earn-stats"))
    assert failed.value.err_no == 2 and failed.value.retryable
    assert failed.value.cause == "err_no 2: Operation failed"


@expect("pooldocs_en_watcher_validation_error")
def err_msg_object_of_field_messages_shows_them(fixture: dict[str, Any]) -> None:
    with pytest.raises(ApiError) as failed:
        decode_envelope(served_body(fixture), Where("main", "earn-stats"))
    assert failed.value.err_no == 1 and failed.value.retryable
    assert failed.value.cause == "err_no 1: note has a minimum length of 2 characters"


# --- endpoints poolbooks does not call: strict JSON, or not servable -------------------------


@expect(
    "pooldocs_en_blocks",
    "pooldocs_en_guardian_links_empty_list",
    "pooldocs_en_pool_status",
    "pooldocs_en_share_worker_list",
    "pooldocs_en_worker_full_stats",
    "pooldocs_en_worker_list",
    "script_comment_coins_income_2020",
)
def strict_json_with_data(fixture: dict[str, Any]) -> None:
    assert fixture["endpoint"].startswith(OTHER_ENDPOINT)
    document = strict_json(served_body(fixture))
    assert document["err_no"] == 0 and isinstance(document["data"], dict)


@expect(
    "apidocs_en_envelope",
    "apidocs_zh_envelope",
    "apidocs_v0_en_envelope",
    "pooldocs_en_envelope",
    "pooldocs_zh_envelope",
    "pooldocs_en_alert_contacts_error",
)
def not_servable_and_not_json(fixture: dict[str, Any]) -> None:
    assert fixture["endpoint"].startswith(OTHER_ENDPOINT)
    assert fixture["not_servable"] and "as_served" not in fixture
    with pytest.raises(ValueError, match=r"Expecting|Extra data"):
        json.loads(fixture["body"].replace("\u00a0", " "))


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_parses_to_the_figures_written_here(name: str) -> None:
    if name not in EXPECTATIONS:
        pytest.fail(f"fixture {name}.json has no expectation in this file: write its figures")
    EXPECTATIONS[name](load_fixture(name))


def test_every_expectation_names_a_fixture_that_exists() -> None:
    assert sorted(set(EXPECTATIONS) - set(NAMES)) == []


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_names_its_source_and_how_it_is_served(name: str) -> None:
    fixture = load_fixture(name)
    assert set(fixture["source"]) >= {"repo", "path", "commit", "kind"}
    assert fixture["body"].strip() and fixture["notes"].strip()
    endpoint = fixture["endpoint"]
    assert endpoint in ENDPOINTS or endpoint.startswith(OTHER_ENDPOINT)
    assert ("as_served" in fixture) != ("not_servable" in fixture)
    assert all(step in STEPS for step in fixture.get("as_served", ()))
    if endpoint.startswith(OTHER_ENDPOINT):
        assert "[Served: an endpoint poolbooks does not call" in fixture["notes"]
    else:
        assert "as_served" in fixture, "every poolbooks endpoint's fixture is served"


@pytest.mark.parametrize("name", SERVABLE)
def test_served_body_is_strict_json(name: str) -> None:
    strict_json(served_body(load_fixture(name)))


@pytest.mark.parametrize("name", SERVABLE)
def test_served_body_holds_no_value_the_verbatim_body_lacks(name: str) -> None:
    """The steps remove and re-quote; the wrappers add only the envelope and paging fields,
    and btcpool-export's dates lose the dashes its tool added."""
    fixture = load_fixture(name)
    steps = fixture["as_served"]
    document: Any = strict_json(served_body(fixture))
    if "wrap_in_envelope" in steps:
        document = document["data"]
    if "wrap_list_in_page" in steps:
        document = document["list"]
    body = fixture["body"]
    numbers = {Decimal(token) for token in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", body)}
    for value in leaves(document):
        if isinstance(value, bool) or value is None:
            assert json.dumps(value) in body
        elif isinstance(value, int | float):
            assert Decimal(repr(value)) in numbers, value
        elif "export_row_to_api_row" in steps and re.fullmatch(r"\d{8}", value):
            assert f"{value[:4]}-{value[4:6]}-{value[6:]}" in body
        else:
            assert value in body, value


def leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


@pytest.mark.parametrize(
    ("step", "text", "served"),
    [
        ("strip_comment_prefix", '# {\n#     "a": 1\n# }', '{\n    "a": 1\n}'),
        ("nbsp_to_space", '{\u00a0"a":\u00a01}', '{ "a": 1}'),
        (
            "drop_dash_comments",
            '{"a": "x -- y", --- note, "q"\n"b": 2}',
            '{"a": "x -- y",\n"b": 2}',
        ),
        ("arrows_to_colons", '{"a" => "=>"}', '{"a": "=>"}'),
        ("single_to_double_quotes", "{'a': \"it's\"}", '{"a": "it\'s"}'),
        ("add_missing_commas", '{"a": "1"\n "b": 2\n}', '{"a": "1",\n "b": 2\n}'),
        ("drop_trailing_commas", '{"a": [1, 2,], "b": ",}",\n}', '{"a": [1, 2], "b": ",}"\n}'),
        ("drop_ellipsis_elements", '{"a": [1,\n ...\n], "b": "..."}', '{"a": [1\n], "b": "..."}'),
        ("drop_unbalanced_closers", '{"a": "}"}\n}\n', '{"a": "}"}\n\n'),
        ("uncomment_js_array", "  var rows = [/*\n{ a: 1 },\n*/];\r", "[\n{ a: 1 },\n]"),
        ("js_object_to_json", "[{ a: 'x', b_1: 2, },]", '[{ "a": "x", "b_1": 2 }]'),
        ("wrap_in_envelope", '\n{"a": 1}\n', '{"err_no": 0, "data": {"a": 1}}'),
    ],
)
def test_each_step_does_one_thing_and_leaves_strings_alone(
    step: str, text: str, served: str
) -> None:
    assert STEPS[step](text) == served


def test_export_rows_become_api_rows_and_one_whole_page() -> None:
    rows = '[{"date": "2018-01-01", "earn": 38000, "paid_amount": 38000}]'
    api_rows = json.loads(STEPS["export_row_to_api_row"](rows))
    assert api_rows == [{"date": "20180101", "earnings": 38000, "paid_amount": 38000}]
    page = json.loads(STEPS["wrap_list_in_page"](json.dumps(api_rows)))
    assert page == {
        "page": "1",
        "page_size": "50",
        "page_count": 1,
        "total_count": 1,
        "list": api_rows,
    }


ISSUE_CAPTURES = [name for name in NAMES if name.startswith("issue_")]


@pytest.mark.anyio
@pytest.mark.parametrize("name", ISSUE_CAPTURES)
async def test_captured_20001_through_the_client_is_asked_once(name: str) -> None:
    fixture = load_fixture(name)
    seen: list[httpx.Request] = []

    def pool(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=served_body(fixture))

    account = Account("main", 88888, "BTC", "us", Secret("k"), "KEY", "http://pool.test")
    method = {"account-info": "account_info", "hashrate": "hashrate"}[fixture["endpoint"]]
    async with PoolClient(FAST_SETTINGS, transport=httpx.MockTransport(pool)) as client:
        with pytest.raises(AuthError, match="err_no 20001: permissions denied"):
            await getattr(client, method)(account)
    assert len(seen) == 1  # final: never retried
    assert seen[0].url.path == ENDPOINTS[fixture["endpoint"]].path
