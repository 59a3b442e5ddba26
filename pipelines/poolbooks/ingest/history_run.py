"""One account's earn-history in an ingest run: walked, in full when due or when the pool's
totals disagree, its pages archived and the walk recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from poolbooks.ingest.failed_pages import set_apart
from poolbooks.ingest.full_walks import (
    TOTALS,
    PoolTotals,
    history_totals,
    scheduled_reason,
    totals_call_for_a_walk,
    totals_gap,
)
from poolbooks.ingest.progress import Progress
from poolbooks.ingest.reports import AccountOutcome
from poolbooks.ingest.rows import walk_row
from poolbooks.ingest.state import HistoryState
from poolbooks.lake.buffer import RunBuffer
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.client import PoolClient
from poolbooks.pool_api.errors import PoolApiError
from poolbooks.pool_api.paging import earn_history_pages
from poolbooks.pool_api.walk_days import WalkedPage, last_walk_per_day
from poolbooks.pool_api.walk_report import PagingHint, WalkReport


@dataclass(frozen=True)
class HistoryRun:
    """What every account's walk in one run shares: the client, the run's buffer, its watcher,
    its clock, whether it walks everything, and the pool's totals as the run has them."""

    client: PoolClient
    buffer: RunBuffer
    progress: Progress
    now: datetime
    full: bool
    full_walk_days: int
    pool_totals: Mapping[str, PoolTotals]  # filled by the run's snapshots or the lake

    async def history(self, account: Account, outcome: AccountOutcome, state: HistoryState) -> None:
        """Walk the account's earn-history, in full when one is due (see `full_walks`), or
        incrementally and then in full if the pool's own totals disagree with the history."""
        # loaded by the warm-up thread long before the first page (see run._warm_up_arrow)
        from poolbooks.ingest.batches import earn_history_batch

        reason = scheduled_reason(state, account.name, self.now, self.full_walk_days, self.full)
        walked: list[WalkedPage] = []
        walk = WalkReport()
        since, hint = (None, None) if reason else (state.since, state.hint)
        error = await self._walk(account, since, hint, walk, walked, first_walk=0)
        totals = self.pool_totals.get(account.name)
        full_from = 0  # the first walk number of the full walk, if there is one
        if reason is None and error is None and totals is not None and since is not None:
            rows = (r for page in last_walk_per_day(walked) for r in page.rows if r.date >= since)
            earned, paid = history_totals(rows)
            gap = totals_gap(state.earned_before + earned, state.paid_before + paid, totals)
            if totals_call_for_a_walk(gap, state):
                reason, full_from = TOTALS, walk.repages + 1
                incremental_pages, walk = walk.pages_fetched, WalkReport()
                error = await self._walk(account, None, None, walk, walked, full_from)
                walk.pages_fetched += incremental_pages
        gap_after: tuple[int, int] | None = None
        if reason is not None and error is None and totals is not None:
            full_walk = [w for w in walked if w.walk >= full_from]
            rows = (r for page in last_walk_per_day(full_walk) for r in page.rows)
            gap_after = totals_gap(*history_totals(rows), totals)
        for page in last_walk_per_day(walked):
            self.buffer.add_batch(
                "earn_history", earn_history_batch(self.buffer.run_id, account, page)
            )
            outcome.history_rows += len(page.rows)
        outcome.history_pages = walk.pages_fetched
        outcome.history_mode = walk.mode
        outcome.full_walk_reason = reason
        message = str(error) if error else None
        walked_since = None if reason else since  # a full walk has no start day
        row = walk_row(self.buffer.run_id, account, self.now, walk, walked_since, message)
        row.update(trigger=reason, unpaid_diff_sat=None, total_paid_diff_sat=None)
        if gap_after is not None:
            row.update(unpaid_diff_sat=gap_after[0], total_paid_diff_sat=gap_after[1])
        self.buffer.add_row("earn_history_walks", row)
        if error is not None:
            raise error

    async def _walk(
        self,
        account: Account,
        since: date | None,
        hint: PagingHint | None,
        walk: WalkReport,
        walked: list[WalkedPage],
        first_walk: int,
    ) -> PoolApiError | None:
        """One walk (and its restarts after drift), its pages archived and added to `walked`
        numbered from `first_walk`; the error that stopped it, if any. The pages fetched
        before an error are kept, and those that could not be read are set apart."""
        error: PoolApiError | None = None
        try:
            async for page in earn_history_pages(
                self.client, account, since=since, hint=hint, report=walk
            ):
                number = first_walk + walk.repages
                self.buffer.add_page(
                    account.name, "earn-history", page.page, page.fetched_at, page.raw, walk=number
                )
                walked.append(WalkedPage(number, page))
                self.progress.advanced(account.name, len(walked), page.page_count)
        except PoolApiError as exc:
            error = exc
        unread: list[tuple[int, PoolApiError]] = list(walk.bad_pages)
        if error is not None and all(error is not bad for _, bad in unread):
            unread.append((walk.repages, error))
        for number, bad in unread:
            set_apart(self.buffer, account, "earn-history", bad, walk=first_walk + number)
        return error
