"""Config loading: where the file is found, what it means, and the one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from poolbooks.config import ConfigError, load_config

GOOD = """
lake = "data/lake"
warehouse = "data/warehouse.duckdb"
timezone = "Asia/Shanghai"

[[accounts]]
name = "main"
puid = 88888
access_key_env = "POOLBOOKS_KEY_MAIN"
coin = "BTC"
region = "us"

[[accounts]]
name = "bch"
puid = "99999"
access_key_env = "POOLBOOKS_KEY_BCH"
coin = "bch"
region = "sz"
base_url = "http://127.0.0.1:8765/"
"""
ENV = {"POOLBOOKS_KEY_MAIN": "key-main-123", "POOLBOOKS_KEY_BCH": "key-bch-456"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "poolbooks.toml"
    path.write_text(text)
    return path


def test_config_file_is_parsed_into_typed_accounts(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), ENV)
    main, bch = config.accounts
    assert (main.name, main.puid, main.coin, main.region) == ("main", 88888, "BTC", "us")
    assert main.api_base_url == "https://us-pool.api.btc.com"
    assert main.access_key.reveal() == "key-main-123"
    assert (bch.puid, bch.coin, bch.api_base_url) == (99999, "BCH", "http://127.0.0.1:8765")
    assert config.lake == str(tmp_path / "data" / "lake")
    assert config.warehouse == tmp_path / "data" / "warehouse.duckdb"
    assert config.timezone.key == "Asia/Shanghai"


def test_config_repr_never_shows_the_key(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), ENV)
    assert "key-main-123" not in repr(config)
    assert "key-main-123" not in str(config.accounts)


def test_config_found_through_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    config = load_config(None, {**ENV, "POOLBOOKS_CONFIG": str(path)})
    assert config.source == path.resolve()


def test_config_found_in_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, GOOD)
    monkeypatch.chdir(tmp_path)
    assert load_config(None, ENV).accounts[0].name == "main"


def test_without_file_environment_defines_default_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"POOLBOOKS_PUID": "12345", "POOLBOOKS_ACCESS_KEY": "k-123456", "POOLBOOKS_COIN": "BCH"}
    (account,) = load_config(None, env).accounts
    assert (account.name, account.puid, account.coin, account.region) == (
        "default",
        12345,
        "BCH",
        "cn",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("POOLBOOKS_KEY_BCH", None),
            "config error: account 'bch': access_key_env: "
            "environment variable POOLBOOKS_KEY_BCH is not set",
        ),
        (
            ('access_key_env = "POOLBOOKS_KEY_BCH"\n', ""),
            "config error: account 'bch': access_key_env: "
            "missing: the name of the variable holding the key",
        ),
        (
            ('coin = "bch"', 'coin = "DOGE"'),
            "config error: account 'bch': coin: unknown coin 'DOGE' (one of BTC, BCH, SBTC, UBTC)",
        ),
        (
            ('region = "us"', 'region = "mars"'),
            "config error: account 'main': region: unknown region 'mars' "
            "(one of cn, sz, us, eu, global)",
        ),
        (
            ('name = "bch"', 'name = "main"'),
            "config error: account 'main': name: duplicate account name",
        ),
        (
            ("puid = 88888", "puid = -3"),
            "config error: account 'main': puid: must be a positive integer",
        ),
        (
            ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'),
            "config error: timezone: unknown time zone 'Mars/Olympus'",
        ),
        (
            ('region = "sz"\nbase_url = "http://127.0.0.1:8765/"', 'region = "eu"'),
            "config error: account 'bch': region: BCH has no host in region 'eu' "
            "(one of cn, sz, us)",
        ),
    ],
)
def test_bad_config_gives_one_line_naming_account_and_field(
    tmp_path: Path, change: tuple[str, str | None], message: str
) -> None:
    env = dict(ENV)
    text = GOOD
    if change[1] is None:
        env.pop(change[0])
    else:
        text = GOOD.replace(change[0], change[1], 1)
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env)
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml", ENV)


def test_no_file_and_no_environment_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="POOLBOOKS_PUID"):
        load_config(None, {})


def test_broken_toml_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read TOML"):
        load_config(write(tmp_path, "lake = "), ENV)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "[client]\nrequests_per_second = 0",
            "[client] requests_per_second: must be a positive number",
        ),
        ("[duckdb]\nthreads = -1", "[duckdb] threads: must be a positive integer"),
        ("[ingest]\nfull_walk_days = 0", "[ingest] full_walk_days: must be a positive integer"),
        (
            "[dagster]\nexecutor = 'k8s'",
            "[dagster] executor: unknown executor 'k8s' (default or celery)",
        ),
        ("[exports]\nbasis = 'cash'", "[exports] basis: unknown basis 'cash' (receipt or accrual)"),
    ],
)
def test_errors_name_the_table_and_key_as_the_file_writes_them(
    tmp_path: Path, table: str, message: str
) -> None:
    text = table + "\n" + GOOD if not table.startswith("[") else GOOD + "\n" + table
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), ENV)
    assert str(info.value) == f"config error: {message}"


@pytest.mark.parametrize(
    ("typo", "message"),
    [
        (
            "[client]\nrequest_per_second = 5",
            "[client] request_per_second: unknown field; did you mean requests_per_second?",
        ),
        ("[exports]\nprice = 'p.csv'", "[exports] price: unknown field; did you mean prices?"),
        ("[simulator]\nseeds = 2", "[simulator] seeds: unknown field; did you mean seed?"),
        ("lakes = 'x'", "lakes: unknown field; did you mean lake?"),
        ("puidd = 1", "account 'bch': puidd: unknown field; did you mean puid?"),
        (
            "[duckdb]\nzzz = 1",
            "[duckdb] zzz: unknown field; known: memory_limit, threads",
        ),
    ],
)
def test_a_typo_names_the_file_the_table_and_the_closest_key(
    tmp_path: Path, typo: str, message: str
) -> None:
    if typo.startswith("["):
        text = GOOD + "\n" + typo
    elif typo.startswith("puidd"):
        text = GOOD + typo + "\n"  # in the last [[accounts]] table
    else:
        text = typo + "\n" + GOOD
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, ENV)
    assert str(info.value) == f"config error: {path}: {message}"


def test_every_field_of_a_settings_class_is_a_key_of_its_table(tmp_path: Path) -> None:
    """The allowed keys are the dataclasses' fields: none kept by hand to forget."""
    from dataclasses import fields

    from poolbooks.config import DagsterSettings
    from poolbooks.config.tables import DERIVED_FIELDS
    from poolbooks.http.settings import ClientSettings
    from poolbooks.ingest.settings import IngestSettings
    from poolbooks.warehouse.settings import DuckDBSettings

    def table(name: str, settings: type) -> str:
        defaults = settings()
        lines = []
        for f in fields(settings):
            value = getattr(defaults, f.name)
            if f.name in DERIVED_FIELDS or value is None:
                continue
            lines.append(f"{f.name} = {value!r}".replace("'", '"'))
        return f"[{name}]\n" + "\n".join(lines)

    text = GOOD + "\n".join(
        table(name, settings)
        for name, settings in [
            ("client", ClientSettings),
            ("duckdb", DuckDBSettings),
            ("ingest", IngestSettings),
            ("dagster", DagsterSettings),
        ]
    )
    config = load_config(write(tmp_path, text), ENV)
    assert config.client == ClientSettings() and config.dagster == DagsterSettings()


def test_prices_table_is_typed_with_overrides_relative_to_the_file(tmp_path: Path) -> None:
    from datetime import date

    from poolbooks.prices.settings import PriceSettings

    table = (
        '[prices]\ncurrency = "eur"\nsince = 2016-01-01\nrequests_per_second = 2\n'
        'base_url = "http://127.0.0.1:8765/"\noverrides = { bch = "prices/bch-eur.csv" }\n'
    )
    config = load_config(write(tmp_path, GOOD + table), ENV)
    assert config.prices == PriceSettings(
        currency="EUR",
        source="coinbase",
        base_url="http://127.0.0.1:8765",
        since=date(2016, 1, 1),
        requests_per_second=2.0,
        overrides={"BCH": tmp_path / "prices" / "bch-eur.csv"},
    )
    assert config.price_settings is config.prices
    plain = load_config(write(tmp_path, GOOD), ENV)
    assert plain.prices is None and plain.price_settings == PriceSettings()
    assert plain.price_settings.base_url == "https://api.exchange.coinbase.com"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('currency = "dollars"', "[prices] currency: not a currency code: 'DOLLARS' (like USD)"),
        ('source = "binance"', "[prices] source: unknown source 'binance' (coinbase)"),
        ('base_url = "ftp://x"', "[prices] base_url: must be an http:// or https:// URL"),
        ('since = "2016-13-01"', "[prices] since: not a date: '2016-13-01' (YYYY-MM-DD)"),
        ("requests_per_second = 0", "[prices] requests_per_second: must be a positive number"),
        ('overrides = { DOGE = "d.csv" }', "[prices] overrides: a table of coin = "),
    ],
)
def test_prices_errors_name_the_key(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, GOOD + "\n[prices]\n" + table), ENV)
    assert message in str(info.value)
