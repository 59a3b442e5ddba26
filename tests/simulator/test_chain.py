"""The simulated chain: difficulty in 14-day steps, near the public figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from poolbooks.simulator.chain import block_height, difficulty, epoch_start


def test_difficulty_steps_every_fourteen_days_near_the_public_figures() -> None:
    day = date(2023, 3, 1)
    start = epoch_start(day)
    assert difficulty("BTC", start, 1) == difficulty("BTC", start + timedelta(days=13), 1)
    assert difficulty("BTC", start, 1) != difficulty("BTC", start + timedelta(days=14), 1)
    assert 3e11 < difficulty("BTC", date(2017, 2, 12), 1) < 5e11


def test_block_heights_meet_the_halvings_on_their_days() -> None:
    for day, height in ((date(2016, 7, 9), 420_000), (date(2024, 4, 20), 840_000)):
        assert block_height(datetime.combine(day, time(), UTC)) == height
    after = datetime(2025, 4, 20, tzinfo=UTC)
    assert block_height(after) == 840_000 + 365 * 144
