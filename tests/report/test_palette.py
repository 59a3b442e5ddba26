"""Account colours depend on the set of account names only, so every reader agrees."""

from __future__ import annotations

from poolbooks.report.palette import PALETTE, account_colours


def test_colours_follow_the_sorted_names_whatever_order_they_come_in() -> None:
    colours = account_colours(["sim003", "sim001", "sim002", "sim001"])
    assert colours == {"sim001": PALETTE[0], "sim002": PALETTE[1], "sim003": PALETTE[2]}
    assert account_colours(reversed(list(colours))) == colours


def test_ten_accounts_have_ten_colours_and_the_eleventh_repeats_the_first() -> None:
    colours = account_colours(f"a{i:02d}" for i in range(11))
    assert len(set(list(colours.values())[:10])) == 10
    assert colours["a10"] == colours["a00"]
