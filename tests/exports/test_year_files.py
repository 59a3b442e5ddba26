"""A year's export files: one per format, split by coin only when prices are per coin."""

from __future__ import annotations

from pathlib import Path

import pytest

from poolbooks.config import Config, ConfigError, parse_config
from poolbooks.exports.year_files import TaxSplit, ledger_file_name, tax_file_name, tax_splits

ACCOUNTS = [
    {"name": "a", "puid": 1, "access_key_env": "K", "coin": "BTC"},
    {"name": "b", "puid": 2, "access_key_env": "K", "coin": "BCH"},
    {"name": "c", "puid": 3, "access_key_env": "K", "coin": "BTC"},
]


def config(tmp_path: Path, exports: dict[str, object]) -> Config:
    return parse_config({"accounts": ACCOUNTS, "exports": exports}, {"K": "k"}, tmp_path)


def test_tax_files_split_by_coin_only_with_prices_per_coin(tmp_path: Path) -> None:
    plain = config(tmp_path, {})
    assert tax_splits(plain.export_settings, plain.accounts) == [TaxSplit("", (), None)]
    by_coin = config(tmp_path, {"prices": {"btc": "btc.csv"}})
    assert tax_splits(by_coin.export_settings, by_coin.accounts) == [
        TaxSplit("-bch", ("b",), None),
        TaxSplit("-btc", ("a", "c"), tmp_path / "btc.csv"),
    ]
    with pytest.raises(ConfigError, match="one price file for accounts mining BCH, BTC"):
        config(tmp_path, {"prices": "btc.csv"})


def test_every_export_file_is_named_one_way() -> None:
    assert tax_file_name(2025, "koinly", "receipt") == "tax-2025-koinly-receipt.csv"
    assert tax_file_name(2025, "generic", "accrual", "-btc") == "tax-2025-generic-accrual-btc.csv"
    assert ledger_file_name(2025) == "mining-2025.beancount"
