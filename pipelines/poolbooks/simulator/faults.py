"""Fault injection for the simulator: a spec like 'latency=20ms,5xx=0.05,rate=100'."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from poolbooks.simulator.draws import unit_hash

# Fault kinds drawn per request, in the order their probabilities are stacked.
FAULT_KINDS = ("5xx", "429", "timeout", "err_no", "badjson", "html", "reset", "slow")
_ALIASES = {"5xx": "p_5xx", "429": "p_429"}


class FaultSpecError(ValueError):
    """A fault spec that cannot be read; the message names the offending part."""


@dataclass(frozen=True)
class Faults:
    """Probabilities per request and the knobs that go with them. All zero: a perfect pool."""

    latency: float = 0.0
    p_5xx: float = 0.0
    p_429: float = 0.0
    timeout: float = 0.0
    err_no: float = 0.0
    badjson: float = 0.0
    html: float = 0.0
    reset: float = 0.0
    slow: float = 0.0
    drift: int = 0
    rate: float = 0.0
    retry_after: float = 1.0
    hang: float = 60.0

    @property
    def total_probability(self) -> float:
        return sum(self.probability(kind) for kind in FAULT_KINDS)

    def probability(self, kind: str) -> float:
        value: float = getattr(self, _ALIASES.get(kind, kind))
        return value

    def draw(self, seed: int, request_key: str, attempt: int) -> str | None:
        """The fault for the `attempt`-th sight of a request, the same in every run."""
        u = unit_hash(seed, "fault", request_key, attempt)
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += self.probability(kind)
            if u < edge:
                return kind
        return None


def parse_duration(text: str) -> float:
    """Seconds from '20ms', '1.5s', '2m' or a bare number of seconds."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(ms|s|m)?\s*", text)
    if match is None:
        raise FaultSpecError(f"not a duration: {text!r} (use e.g. 20ms, 1.5s)")
    value = float(match.group(1))
    return value * {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[match.group(2)]


def parse_faults(spec: str | None) -> Faults:
    """Read a comma-separated fault spec; an empty spec is no faults."""
    faults = Faults()
    if not spec or not spec.strip():
        return faults
    names = {f.name for f in fields(Faults)}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip()
        attr = _ALIASES.get(key, key)
        if not sep or attr not in names:
            raise FaultSpecError(f"unknown fault {part.strip()!r}")
        given = _value(attr, key, value.strip())
        faults = replace(faults, **{attr: given})  # type: ignore[arg-type]
    if faults.total_probability > 1:
        raise FaultSpecError("fault probabilities add up to more than 1")
    return faults


def _value(attr: str, key: str, text: str) -> float | int:
    """The value of field `attr`, given in the spec as `key=text`; errors name `key`."""
    if attr in ("latency", "retry_after", "hang"):
        return parse_duration(text)
    if attr == "drift":
        if not text.isdigit():
            raise FaultSpecError(f"drift needs a whole number of rows, got {text!r}")
        return int(text)
    if attr == "rate":
        try:
            number = float(text.removesuffix("/s"))
        except ValueError:
            raise FaultSpecError(f"rate needs requests per second, got {text!r}") from None
        if number < 0:
            raise FaultSpecError("rate must be positive")
        return number
    try:
        number = float(text)
    except ValueError:
        raise FaultSpecError(f"{key} needs a probability, got {text!r}") from None
    if not 0 <= number <= 1:
        raise FaultSpecError(f"{key} needs a probability between 0 and 1, got {text}")
    return number
