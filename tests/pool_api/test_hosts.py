"""The host table of docs/configuration.md, written out here: every coin and region."""

from __future__ import annotations

import pytest

from poolbooks.pool_api.hosts import HOSTS, pool_base_url

DOCUMENTED_HOSTS = {
    ("BTC", "cn"): "cn-pool.api.btc.com",
    ("BTC", "sz"): "sz-pool.api.btc.com",
    ("BTC", "us"): "us-pool.api.btc.com",
    ("BTC", "eu"): "eu-pool.api.btc.com",
    ("BTC", "global"): "pool.api.btc.com",
    ("BCH", "cn"): "cn-bccpool.api.btc.com",
    ("BCH", "sz"): "sz-bccpool.api.btc.com",
    ("BCH", "us"): "us-bccpool.api.btc.com",
    ("SBTC", "cn"): "cn-sbtcpool.api.btc.com",
    ("UBTC", "cn"): "cn-ubtcpool.api.btc.com",
}


@pytest.mark.parametrize(("coin", "region"), sorted(DOCUMENTED_HOSTS))
def test_every_coin_and_region_has_its_contract_host(coin: str, region: str) -> None:
    assert pool_base_url(coin, region) == "https://" + DOCUMENTED_HOSTS[coin, region]


def test_no_host_beyond_the_contract_and_base_url_overrides_any() -> None:
    table = {(coin, region) for coin, regions in HOSTS.items() for region in regions}
    assert table == set(DOCUMENTED_HOSTS)
    assert pool_base_url("BCH", "cn", "http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    with pytest.raises(ValueError, match="no SBTC pool host in region 'us'"):
        pool_base_url("SBTC", "us")
