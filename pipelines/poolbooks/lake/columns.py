"""What every column of every lake dataset means, by dataset and column (`schemas.py` declares
their types): Dagster's column tables and the columns of docs/lake.md read them from here."""

from __future__ import annotations


def _run_id(run: str) -> str:
    return (
        f"{run}: its UTC start time and 8 random hex digits (`20261201T195204Z-dc2675e7`), "
        "so run ids sort by start"
    )


def _extra(seen: str = "") -> str:
    """`extra` of a snapshot: the fields of its answer that no column holds."""
    seen = f" (seen: {seen})" if seen else ""
    return (
        "the answer's other `data` fields, those poolbooks does not read, as JSON with sorted "
        f"keys{seen}; null when there are none"
    )


_RUN = {
    "schema_version": (
        "the lake's schema version the row was written under (`SCHEMA_VERSION`); a file "
        "written under an older one reads with the columns added since as null"
    ),
    "run_id": _run_id("the run that fetched it"),
    "fetched_at": "when the pool's answer arrived (UTC)",
}
_ACCOUNT = {
    "account": "the account's `name` in the config (`[[accounts]]`)",
    "puid": "the pool's sub-account id (the config's `puid`)",
    "coin": "the account's coin from the config: BTC, BCH, SBTC or UBTC",
}
_ACCOUNT_AMOUNTS = {
    **_ACCOUNT,
    "coin": _ACCOUNT["coin"] + "; every amount of the row is in this coin",
}
_HASHRATE_UNITS = "K, M, G, T, P, E = 10^3 … 10^18"
_PURE = "the `*_pure` twins of the hashrates, raw H/s as text"

EARN_HISTORY = {
    **_RUN,
    "run_id": _run_id("the ingest run that saw the row"),
    "fetched_at": "when the page holding the row arrived (UTC)",
    **_ACCOUNT_AMOUNTS,
    "page": "the number of the page the row was on (API `page`, 1-based), as the pool served it",
    "date": (
        "the pool's day the row is for (API `date`, YYYYMMDD), a day of the pool's zone (the "
        "config's `timezone`)"
    ),
    "earnings_sat": (
        "what the account earned that day, in satoshi (API `earnings`); every row of a day "
        "repeats it. On today's row, the pool's figure so far"
    ),
    "paid_amount_sat": (
        "what this row's payment paid, in satoshi (API `paid_amount`); 0 when unpaid or absent"
    ),
    "payment_time": (
        "when the payment was made (API `payment_time`, the pool's zoneless time read in the "
        'config\'s `timezone`, stored in UTC); null when the API says "0" (unpaid)'
    ),
    "payment_tx": (
        'the payment\'s transaction id (API `payment_tx`), trimmed; null when unpaid ("")'
    ),
    "address": 'the address the payment went to (API `address`), trimmed; null when unpaid ("")',
    "difficulty": "the network difficulty of the day (API `diff`); null when absent",
    "payment_mode": (
        "the pool's payment scheme for the day as reported (API `payment_mode`: PPS, FPPS, "
        "PPLNS…); null when absent"
    ),
    "earnings_rate_pct": (
        "the pool's day-over-day change of earnings, in percent, as reported (API "
        "`earnings_rate`); null when absent"
    ),
    "diff_rate_pct": (
        "the pool's day-over-day change of difficulty, in percent, as reported (API "
        "`diff_rate`); null when absent"
    ),
    "extra": (
        "the row's other fields (seen: `stats`, `unpaid_reason`, `more_than_pps96`), as JSON "
        "with sorted keys; null when there are none"
    ),
}

EARN_HISTORY_WALKS = {
    **_RUN,
    "run_id": _run_id("the ingest run that walked"),
    "fetched_at": "when the run started (UTC)",
    **_ACCOUNT_AMOUNTS,
    "mode": (
        "`full` (every page) or `incremental` (only the pages that can hold days from `since` "
        "on); `full` when an incremental walk was followed by a full one"
    ),
    "since": (
        "an incremental walk's first day: the oldest day the lake did not hold as done (every "
        "row paid, or settled at zero); null for a full walk"
    ),
    "order": (
        "the order the pool served the rows in, as detected: `newest_first`, `oldest_first`, "
        "`unordered`, or `unknown` (too few distinct dates to tell)"
    ),
    "total_count": "the history's row count as the pool last reported it (API `total_count`)",
    "pages_fetched": (
        "pages the run asked for, for this account: those of a walk begun again, and of an "
        "incremental walk before a full one, included"
    ),
    "repages": (
        "how often the walk began again because the history changed while it paged; 0 when "
        "it did not"
    ),
    "complete": "whether the walk read everything it set out to, with no error",
    "error": "the error that stopped or failed the walk, one line; null when complete",
    "trigger": (
        "why the walk was full: `first` (never walked completely), `scheduled` (its last full "
        "walk was due again), `totals` (the pool's earn-stats disagreed with the history after "
        "an incremental walk) or `requested` (`--full`); null for an incremental walk"
    ),
    "unpaid_diff_sat": (
        "for a full walk that finished with earn-stats at hand: the pool's `unpaid` less its "
        "`earnings_today`, minus what the history read leaves unpaid, in satoshi; else null"
    ),
    "total_paid_diff_sat": (
        "for such a walk: the pool's `total_paid` minus what the history read says was paid, "
        "in satoshi; else null"
    ),
}

ACCOUNT_INFO = {
    **_RUN,
    **_ACCOUNT,
    "user_id": "the pool's user id (API `user_id`); null when the answer has none",
    "user_name": "the account's user name at the pool (API `user_name`); null when absent",
    "address": (
        "the address the pool pays the account to (API `address`), trimmed; null when empty. "
        "`address_mismatch` findings compare payouts with these"
    ),
    "region": (
        "the pool's region name as reported (API `region`, e.g. `America`), not the config's "
        "region code; null when absent"
    ),
    "extra": _extra(),
}

EARN_STATS = {
    **_RUN,
    **_ACCOUNT_AMOUNTS,
    "total_paid_sat": (
        "everything the pool says it has paid the account, in satoshi (API `total_paid`)"
    ),
    "pending_payouts_sat": (
        "payouts the pool has pending, in satoshi (API `pending_payouts`); 0 when absent"
    ),
    "last_payment_time": (
        "when the pool last paid the account (API `last_payment_time`, unix seconds, in UTC); "
        'null when "0" (never paid)'
    ),
    "earnings_today_sat": (
        "the pool's estimate of today's earnings so far, in satoshi (API `earnings_today`)"
    ),
    "earnings_yesterday_sat": (
        "what the account earned yesterday, in satoshi (API `earnings_yesterday`)"
    ),
    "unpaid_sat": (
        "the balance not yet paid, in satoshi: settled unpaid earnings plus today's estimate "
        "(API `unpaid`)"
    ),
    "extra": _extra("`relative_pps_rate`, `amount_100t`, `hashrate_yesterday`, `shares_1d`"),
}

HASHRATE = {
    **_RUN,
    **_ACCOUNT,
    "shares_15m_hs": (
        "the account's hashrate over the last 15 minutes, in H/s (API `shares_15m` scaled by "
        f"`shares_15m_unit`: {_HASHRATE_UNITS})"
    ),
    "shares_1d_hs": (
        "the account's hashrate over the last 24 hours, in H/s (API `shares_1d` scaled by "
        "`shares_1d_unit`)"
    ),
    "extra": _extra(_PURE),
}

WORKER_STATS = {
    **_RUN,
    **_ACCOUNT,
    "workers_active": "workers the pool counts as active (API `workers_active`)",
    "workers_inactive": (
        "workers the pool counts as inactive (API `workers_inactive`; the API does not say "
        "after how long a worker turns inactive)"
    ),
    "workers_dead": "workers the pool counts as dead (API `workers_dead`)",
    "workers_total": "all the account's workers, as reported (API `workers_total`)",
    "shares_1m_hs": (
        "the account's hashrate over the last minute, in H/s (API `shares_1m` scaled by "
        f"`shares_unit`: {_HASHRATE_UNITS})"
    ),
    "shares_5m_hs": "the same over the last 5 minutes, in H/s (API `shares_5m`)",
    "shares_15m_hs": "the same over the last 15 minutes, in H/s (API `shares_15m`)",
    "extra": _extra(_PURE),
}

POOL_STATS = {
    **_RUN,
    "host": (
        "the API host asked (`host` or `host:port` of the account's API base URL, e.g. "
        "`us-pool.api.btc.com`)"
    ),
    "coin": "the coin of the account the host was asked for: BTC, BCH, SBTC or UBTC",
    "scope": (
        "`node` for that host's own node (`/public/v1/pool/stats`) or `merge` for all the "
        "pool's nodes together (`/public/v1/pool/stats/merge`)"
    ),
    "shares_1m_hs": (
        "the whole pool's hashrate over the last minute, in H/s (API `shares.shares_1m` scaled "
        f"by `shares.shares_unit`: {_HASHRATE_UNITS})"
    ),
    "shares_5m_hs": "the same over the last 5 minutes, in H/s (API `shares.shares_5m`)",
    "shares_15m_hs": "the same over the last 15 minutes, in H/s (API `shares.shares_15m`)",
    "reject_1m": (
        "the pool's share reject rate over the last minute as reported (API `reject.1m`; the "
        "API states no unit: its example shows 0.0007); 0 when absent"
    ),
    "reject_5m": "the same over the last 5 minutes (API `reject.5m`); 0 when absent",
    "reject_15m": "the same over the last 15 minutes (API `reject.15m`); 0 when absent",
    "workers": "workers connected to the pool in this scope (API `workers`)",
    "users": "users mining on the pool in this scope (API `users`)",
    "extra": _extra(),
}

ONCHAIN_TX = {
    **_RUN,
    "run_id": _run_id("the on-chain check run that asked"),
    "fetched_at": "when Esplora answered (UTC)",
    **_ACCOUNT,
    "coin": (
        "the account's coin from the config (BTC, BCH, SBTC or UBTC): the chain asked, at the "
        "config's Esplora for that coin"
    ),
    "payment_tx": "the payout's transaction id, as the earn-history names it",
    "address": (
        "the payout address whose outputs were summed (the earn-history's, from the latest "
        "observation of the payout's days); null when it names none"
    ),
    "found": (
        "whether Esplora knew the transaction (false when it answered 404, or 400 for a txid "
        "that cannot be one)"
    ),
    "confirmed": "whether the transaction was in a block at the check",
    "block_height": "the height of the block holding it; null unless confirmed",
    "block_time": "that block's time (Esplora `block_time`, in UTC); null unless confirmed",
    "onchain_sat": (
        "the sum of the transaction's outputs to `address`, in satoshi; 0 when none pays it "
        "(or no address is known), null when not found"
    ),
}

PRICES = {
    **_RUN,
    "run_id": _run_id("the prices run that fetched it"),
    "fetched_at": "when the source answered, or when the run read the override file (UTC)",
    "coin": (
        "the coin priced (BTC, BCH, …): one the configured accounts mine, or one an override "
        "file names"
    ),
    "currency": (
        "the currency of the prices (`[prices] currency`, such as USD): the source's product "
        "is coin-currency (`BTC-USD`)"
    ),
    "date": "the candle's day in UTC (00:00 to 24:00 UTC), not the pool's zone",
    "open": "the day's first trade price, in `currency` per coin; null for an override",
    "high": "the day's highest trade price; null for an override",
    "low": "the day's lowest trade price; null for an override",
    "close": (
        "the day's last trade price, in `currency` per coin (so far, for a day not yet final); "
        "an override's `price`"
    ),
    "volume": "coins traded that day on the source; null for an override",
    "source": (
        "where the row came from: the source's name (`coinbase`), or `override` for a row of "
        "the override file"
    ),
    "final": (
        "whether the day had ended (UTC) when the row was fetched; false only for a source's "
        "candle of the run's own day, whose close was still moving; always true for an override"
    ),
}

# Each dataset's columns and their meaning, by the dataset's name in the registry.
COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "earn_history": EARN_HISTORY,
    "earn_history_walks": EARN_HISTORY_WALKS,
    "account_info": ACCOUNT_INFO,
    "earn_stats": EARN_STATS,
    "hashrate": HASHRATE,
    "worker_stats": WORKER_STATS,
    "pool_stats": POOL_STATS,
    "onchain_tx": ONCHAIN_TX,
    "prices": PRICES,
}
