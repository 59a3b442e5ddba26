"""Fault specs: read and checked, and drawn the same in every run."""

from __future__ import annotations

import pytest

from poolbooks.simulator.faults import FaultSpecError, parse_faults


def test_fault_spec_is_parsed_and_checked() -> None:
    faults = parse_faults("latency=20ms,5xx=0.05,429=0.02,timeout=0.01,err_no=0.01,drift=1")
    assert faults.latency == 0.02 and faults.p_5xx == 0.05 and faults.drift == 1
    assert parse_faults("rate=100,retry_after=0").rate == 100
    for bad in ("5xx=2", "bogus=1", "latency=fast", "5xx=0.6,429=0.6"):
        with pytest.raises(FaultSpecError):
            parse_faults(bad)


def test_fault_draws_are_the_same_whatever_the_interleaving() -> None:
    faults = parse_faults("5xx=0.3,err_no=0.2")
    first = [faults.draw(1, f"/v1/x?page={p}", n) for p in range(20) for n in (1, 2)]
    again = [faults.draw(1, f"/v1/x?page={p}", n) for p in reversed(range(20)) for n in (1, 2)]
    assert first == [again[(19 - i // 2) * 2 + i % 2] for i in range(40)]
    assert {None, "5xx", "err_no"} == set(first)
