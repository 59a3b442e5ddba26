"""The one error of configuration: one line naming the account (if any), the table and key."""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path

from poolbooks.errors import UserInputError


class ConfigError(UserInputError):
    """A config problem. `where` is a key path as the file writes it: `lake`, `[client]
    requests_per_second`, `[exports] prices`; an account's key names the account. With
    `file`, the line begins with the file it is in."""

    def __init__(
        self, where: str, problem: str, account: str | None = None, file: Path | None = None
    ) -> None:
        who = f"account {account!r}: " if account is not None else ""
        found = f"{file}: " if file is not None else ""
        super().__init__(f"config error: {found}{who}{where}: {problem}")
        self.account = account
        self.field = where
        self.problem = problem
        self.file = file


class UnknownKey(ConfigError):
    """A key no table of that name has, with the known key it most resembles (a typo's fix)
    or, when none is close, the keys there are."""

    def __init__(
        self,
        where: str,
        key: str,
        known: frozenset[str],
        account: str | None = None,
        file: Path | None = None,
    ) -> None:
        close = get_close_matches(key, sorted(known), n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(sorted(known))}"
        super().__init__(where, f"unknown field; {hint}", account, file)
        self.key = key
        self.known = known

    def in_file(self, file: Path) -> UnknownKey:
        """The same error, naming the file it is in."""
        return UnknownKey(self.field, self.key, self.known, self.account, file)


def key_path(table: str | None, key: str) -> str:
    """How errors name a key: `[table] key`, or the bare key at the top of the file."""
    return f"[{table}] {key}" if table else key
