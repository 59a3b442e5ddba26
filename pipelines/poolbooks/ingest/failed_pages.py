"""Pages that came but could not be read, archived apart with their error for a later parser."""

from __future__ import annotations

from poolbooks.lake.buffer import RunBuffer
from poolbooks.pool_api.accounts import Account
from poolbooks.pool_api.errors import PoolApiError


def set_apart(
    buffer: RunBuffer,
    account: Account,
    endpoint: str,
    error: PoolApiError,
    *,
    walk: int | None = None,
    host: str | None = None,
) -> None:
    """Archive a page that came but could not be read, with its error, apart from the
    pages that parsed: `poolbooks reparse` reads it again with a later parser."""
    if error.body is not None and error.fetched_at is not None:
        page = getattr(error, "page", None)
        buffer.add_page(
            account.name,
            endpoint,
            page,
            error.fetched_at,
            error.body,
            error=str(error),
            walk=walk,
            host=host,
        )
