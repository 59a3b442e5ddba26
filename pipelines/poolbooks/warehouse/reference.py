"""The warehouse reference (`docs/warehouse.md`), written from the SQL models' own headers so it
cannot drift from them: `make docs` rewrites it and a test fails when it is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from poolbooks.warehouse.project import SqlFile, SqlProject, load_project

# the order users meet the layers in: what they query first, then what it is made from
SECTIONS = (
    ("marts", "Marts (tables)", "The tables to query: one row per the key each names."),
    (
        "staging",
        "Staging (views over the lake and the config)",
        "One view per lake dataset: its columns renamed, cast and trimmed, every observation "
        "kept (a day seen by ten ingests is ten rows). Read the marts unless you need a raw "
        "observation. And one view per table of settings the P&L reads (`stg_account_power`, "
        "`stg_electricity_tariff`, `stg_fixed_costs`): the config the warehouse was built "
        "with, its values saved in the view.",
    ),
    ("seeds", "Seeds (reference tables)", "Fixed reference data the marts use."),
)

INTRO = """\
# The warehouse: tables and columns

<!-- Written by `make docs` from the headers of the models in `sql/`; edit those, not this. -->

`poolbooks build` writes one DuckDB file (the `warehouse` key of the config). Open it read-only
while other work goes on, with the DuckDB CLI or any DuckDB client (1.5 or newer):

```sh
duckdb -readonly data/warehouse.duckdb "select * from daily_earnings limit 5"
```

Units are in the column names: `*_sat` is integer satoshi (BIGINT) of the row's coin, `*_btc`
and `*_coin` are exact DECIMAL(18,8) whole coins of the row's coin (BCH for a BCH account),
`*_hs` is hashes per second, `*_pct` is percent. No amount of money is ever a floating-point
number. A `date` is the pool's day in the config's `timezone` (UTC unless set); times are
TIMESTAMP WITH TIME ZONE.

The same descriptions are stored in the warehouse itself:

```sql
select table_name, column_name, comment from duckdb_columns() where table_name = 'payouts';
```

Two bookkeeping tables say what the build was: `_poolbooks_build` (one row: `built_at`,
`tests_failed`, `memory_limit`, `threads`, `timezone`, `lake`, `mode` (`full` or
`incremental`), `full_reason` (why it rebuilt whole; NULL for an update), `fingerprint` (a hash
of the SQL and the settings it was built with) and `full_build_bytes` (the file's size after
its last full build)) and `_poolbooks_data_tests` (each
data test in `sql/tests/` and each declared key's uniqueness test, with its `failures`). A third,
`_poolbooks_lake_files` (`dataset`, `path` relative to the lake), lists every lake file the build
read: the files it listed at its start, which every model read (`sql/README.md`, "Pinned lake
files"). The next build compares its own files with these and says how many are new and how
many are gone (`poolbooks build` prints `lake: read 42 files, 3 new since the published build,
0 gone`). A fourth, `_poolbooks_known_addresses` (`account`, `coin`, `address`), holds every
payout address the account info has reported, for the next build to tell a new one
([incremental builds](#incremental-builds)). A fifth, `_poolbooks_sql_tables` (`digest`, a
SHA-256 of a model's or data test's SQL and of how it is read, and the `tables` it reads),
spares the next build parsing the SQL files whose text is the same: it only parses the ones
that changed. A sixth, `_poolbooks_last_days` (`account`, `coin`, `last_day`), holds each
account's last day in `daily_earnings`, which the next update plans with instead of reading
the whole mart for it.

## Incremental builds

A build updates the published warehouse instead of rebuilding it whole when the lake only
gained files since that warehouse was built, with the same SQL and settings. It recomputes,
per (account, coin), only from the first day the new files change:

- **What changed.** The new files' earn-history rows (their earliest date), snapshots (the
  earliest pool-zone day of a hashrate or worker snapshot), earn-stats (the account's totals
  only), on-chain checks (from the last day of the payout checked), account info (nothing,
  unless it reports an address the account never reported before: that may clear an
  `address_mismatch` of any of its payouts, so the account is recomputed whole; the warehouse
  keeps the addresses in `_poolbooks_known_addresses`), and prices (the earliest date of a price
  row no earlier run wrote the same, for every account of that coin). The first day replaced
  (`keep_from`) is that day, or the account's last published day if earlier (a day that was
  the newest may stop being the provisional one), or the last day of a published payout whose
  txid a new row names. The build reads the lake from
  the published day before it (`context_from`; earlier still if a payout it replaces began
  earlier), so every recomputed day has its previous day, and every payout its rows.
  The update finds those published days (and the last one with a profit) among the 40 days
  before the earliest day it needs first, a bound DuckDB pushes into its scan of the mart so
  that the other days' columns are skipped, and searches an account's whole history only when
  it has fewer there (a long gap); the published days the new earn-history rows observe again
  are read between the new rows' first and last date the same way.
- **Snapshots have a first day of their own.** `hashrate_daily`, the one model that reads
  the snapshots, follows from them alone: it recomputes an account's pool-zone days from the
  first day of a snapshot in the new files (`snapshots_keep_from`), reading the snapshots from
  the UTC day before it (in any zone a pool day begins less than a day before UTC's), and
  nothing when no snapshot is new: a day restated five years back no longer reads every
  snapshot file (on the B5 lake, B10's median went from 1.99 s to 1.59 s over five
  alternated pairs). `earnings_vs_difficulty` and `daily_pnl` read the whole updated
  `hashrate_daily` (`{{ all_rows('hashrate_daily') }}`) for the days they recompute.
- **Running sums carry on.** `cumulative_earnings_sat`, `cumulative_paid_sat` and the totals of
  `payout_reconciliation` add the sums of the published days before `context_from`;
  `cumulative_profit` and `cumulative_profit_days` those before `keep_from`.
- **Which rows are replaced.** Each mart's header says which of an account's rows an update
  recomputes (`-- incremental: t.date >= s.keep_from`): the days from `keep_from` on for the
  daily marts, the payouts whose last day is from then on, the findings of those days and the
  account's totals findings, and all of the account's rows of `payout_reconciliation` and
  `payout_onchain`. Those rows are deleted and the recomputed ones inserted. A build that
  would drop a published day it did not recompute stops instead, keeping the published
  warehouse.
- **Fixed costs.** `[costs] fixed` is shared among the accounts with a settled day, so a new
  day of one account (or a provisional or last day observed again, which may settle) changes the
  others' share: with fixed costs configured, every account is recomputed from the first such
  day too. A restated settled day changes no share: only its account is recomputed.
- **Too much to update.** An update that would replace more than a quarter of the published
  days builds whole instead: deleting and inserting that many rows costs more than writing the
  file anew.
- **Publishing.** The published file is copied (a kernel copy: 0.2-1 s for 450 MB on this
  machine, no table re-encoded) to `.<warehouse>.building`, updated there, checked by the data
  tests on the whole updated marts, and renamed over the warehouse as a full build is. Readers
  never wait and never see half an update; a killed update leaves the published warehouse as it
  was. DuckDB cannot update a file that readers hold open in other processes, and writing the
  whole file anew (a full build's publish) costs seconds, not the size of the change. The copy
  is made in a thread while the update plans on the published file (attached read-only, so
  readers still open it); the copy then takes the published file's place under the same
  catalog name before any model runs. B9's median went from 2.46 s to 2.22 s over ten
  alternated pairs on two cores (more where a core is idle). The copy is then flushed to disk
  in the background while the update computes, so its final checkpoint (which must reach the
  disk before the rename) no longer waits for the 450 MB: 0.33 s became 0.09 s on the B5
  lake.
- **What an update reads of the marts.** A full build writes the last 90 days of
  `daily_earnings`, `earnings_vs_difficulty` and `payouts` after all their other rows (the
  models' `-- recent last:` line, `sql/README.md`), running each mart's query once for the older
  days and once for the recent ones. In the order the query gives (by account), every row
  group would hold some account's recent days; written this way, the older row groups end
  before the recent days and an update's reads and deletes of recent days skip them by their
  zone maps. An update inserts its rows at the end, so the recent days stay there. On the B5
  lake, B9 went from 2.34 s to 1.82 s (medians of ten alternated pairs); the second runs cost
  the full build 0.1-0.35 s per mart.
- **What an update reads of the lake.** Each lake file keeps its rows in time order
  ([the lake](lake.md)), so the earn-history of ten years is read only from the row group
  that holds the days recomputed: on the B5 lake, `int_earn_history_observations` went from
  0.3 s to 0.07 s.
- **Whole again when** the build is asked to (`poolbooks build --full`; in Dagster the run
  config `full: true`), there is no published warehouse or it recorded no fingerprint, the SQL
  or settings changed, a lake file it read is gone (after `poolbooks compact`), the update
  would replace more than a quarter of the days, the lake is on an object store, or the file
  has grown past twice its size after its last full build (the deleted rows' space is
  reclaimed only by writing the file anew). `poolbooks build` says which:
  `updated: 1000 accounts from 2026-11-30 (rows recomputed: daily_earnings 2000, ...)` or
  `full build: <why>`.
- **Data tests** check what the update recomputed, in context: each mart is read for the
  accounts recomputed, from the published day before the first one replaced (and from the
  last day with a profit before it, for the running profit), the intermediate models as the
  update built them, and a failing row counts when it is a recomputed one (from `keep_from`
  on). On the B5 lake that is 0.5 s where the whole marts take 4 s.

`tests/warehouse/test_incremental.py` builds a lake step by step (new days with payouts, a day
restated five years back, a new account, a gap filled, a payout named again by a later day,
snapshots (also around midnight in zones 14 hours ahead of UTC and 12 behind), earn-stats,
account info with known and new addresses, on-chain checks, new and repeated prices, days
before a gap longer than the 40 days looked in first) and after every step compares each mart
of the update with a full rebuild of the same lake, row for row, and the last days it keeps
with the mart's; hypothesis does the same over random batches of runs, with and without fixed
costs. `make chaos` kills updates and full builds at random moments: the
published warehouse stays byte for byte as it was.

## Values

`daily_earnings` and `payouts` carry each receipt's value in one currency, `price_currency`
(`[prices] currency` of the config; USD without a `[prices]` table). A value (`*_value`) is an
exact DECIMAL(18,2) amount of that currency; `price_close` is the DECIMAL(38,10) price of one
whole coin, with its `price_source`. The rule:

- **Which price.** A day's earnings take the close of the UTC day that has the row's `date`
  (the pool's date, read as the candle's UTC day even when the pool's zone is not UTC). A payout
  takes the close of the UTC day of its `payment_time` (`price_date`; without a payment time,
  the day after its last earning day). The close is the override file's price for that coin and
  date when it gives one, else the source's latest final candle of that day
  ([prices](prices.md)). A day with neither (not fetched, a gap, today not yet final) has NULL
  price and value, never 0.
- **How much.** value = amount_sat × close / 10^8, computed exactly (DECIMAL(38,18), the
  `fiat_exact` macro), then rounded once, to the cent, half away from zero (the `to_cents`
  macro: 1.225 → 1.23, −1.225 → −1.23). Nothing is rounded before that.
- **A payout and its rows.** The earn-history rows that name a payout's tx are each valued at
  the payout's price, exactly and unrounded; the payout's `paid_value` is their sum rounded
  once, so it equals `paid_sat` × close rounded. Rounding each row first can be a cent off:
  1,234,560 + 1,234,571 + 1,234,583 sat at 43,210.12 are 533.45 + 533.46 + 533.46 = 1,600.37
  row by row, but 1,600.38 as one payout.

Both macros are saved in the warehouse: `select to_cents(fiat_exact(earnings_sat, price_close))`
gives a value by the same rule in any query.

## Profit and loss

`daily_pnl` sets each settled day's value against its costs: the energy the account's machines
used (from its `power_watts` or `efficiency_j_per_th` and the day's hashrate) at the tariff in
force, and its share of the farm's fixed costs (`[costs]` in the
[configuration](configuration.md#costs-the-mining-pl)), with profit, its running sum, realised
and network hashprice and the break-even prices. What each figure means, its formula and its
rounding: [the P&L](pnl.md).
"""


def render_reference(project: SqlProject) -> str:
    """Markdown for every model the warehouse keeps, layer by layer."""
    parts = [INTRO]
    for layer, title, blurb in SECTIONS:
        models = [m for m in project.models.values() if m.layer == layer and m.is_published]
        if not models:
            continue
        parts.append(f"## {title}\n\n{blurb}\n")
        parts += [_model_section(model) for model in sorted(models, key=lambda m: m.name)]
    return "\n".join(parts)


def _model_section(model: SqlFile) -> str:
    lines = [f"### `{model.name}`", "", model.doc.description or "(no description)", ""]
    if model.key:
        lines += [f"Key: one row per ({', '.join(model.key)}).", ""]
    lines += [f"Defined in `sql/{model.layer}/{model.path.name}`.", ""]
    lines += ["| column | type | meaning |", "|---|---|---|"]
    lines += [
        f"| `{column.name}` | {column.type} | {_cell(column.description)} |"
        for column in model.doc.columns
    ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: list[str] | None = None) -> None:
    """`python -m poolbooks.warehouse.reference PATH`: write the reference to PATH."""
    args = sys.argv[1:] if argv is None else argv
    text = render_reference(load_project())
    if args:
        Path(args[0]).write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
