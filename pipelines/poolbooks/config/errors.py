"""The one error of configuration: one line naming the account (if any), the table and key."""

from __future__ import annotations

from poolbooks.errors import UserInputError


class ConfigError(UserInputError):
    """A config problem. `where` is a key path as the file writes it: `lake`, `[client]
    requests_per_second`, `[exports] prices`; an account's key names the account."""

    def __init__(self, where: str, problem: str, account: str | None = None) -> None:
        who = f"account {account!r}: " if account is not None else ""
        super().__init__(f"config error: {who}{where}: {problem}")
        self.account = account
        self.field = where


def key_path(table: str | None, key: str) -> str:
    """How errors name a key: `[table] key`, or the bare key at the top of the file."""
    return f"[{table}] {key}" if table else key
