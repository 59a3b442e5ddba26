"""Coinbase Exchange's `GET /products/{product}/candles`, answered from the simulated market in
the shape Coinbase answers: `[time, low, high, open, close, volume]` rows, newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from poolbooks.simulator.market import SimCandle, market
from poolbooks.simulator.state import SimulatorState

DAY_SECONDS = 86400  # the one granularity served
MAX_BUCKETS = 300  # a range spanning more buckets than this is refused, as Coinbase does
TOO_MANY = (
    "granularity too small for the requested time range. "
    "Count of aggregations requested exceeds 300"
)


def message(text: str, status: int) -> Response:
    """An error as Coinbase sends one: `{"message": ...}`."""
    return JSONResponse({"message": text}, status_code=status)


def _instant(text: str) -> datetime | None:
    """ISO 8601 (`2016-01-01T00:00:00Z`) or unix seconds; None when it is neither."""
    try:
        if text.strip().isdigit():
            return datetime.fromtimestamp(int(text), UTC)
        when = datetime.fromisoformat(text.strip())
    except (ValueError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _number(value: object) -> str:
    """A Decimal as a JSON number, as Coinbase writes them: `65360`, `62358.96`."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _row(candle: SimCandle) -> str:
    start = int(datetime(candle.day.year, candle.day.month, candle.day.day, tzinfo=UTC).timestamp())
    values = (candle.low, candle.high, candle.open, candle.close, candle.volume)
    return "[" + ",".join([str(start), *(_number(v) for v in values)]) + "]"


async def candles(request: Request, state: SimulatorState) -> Response:
    """The product's daily candles from `start` to `end` (both ignored unless both are
    given: then the last 300 days), newest first; none after the clock or before listing."""
    coin, _, currency = request.path_params["product"].partition("-")
    sim = market(state.pool.seed)
    if not sim.lists(coin, currency):
        return message("NotFound", 404)
    granularity = request.query_params.get("granularity", str(DAY_SECONDS))
    if granularity != str(DAY_SECONDS):
        return message("Unsupported granularity", 400)
    now = state.pool.now.astimezone(UTC)
    start_text, end_text = request.query_params.get("start"), request.query_params.get("end")
    if start_text is None or end_text is None:  # Coinbase ignores one without the other
        end, start = now, now - timedelta(seconds=MAX_BUCKETS * DAY_SECONDS)
    else:
        first, last = _instant(start_text), _instant(end_text)
        if first is None or last is None:
            return message("Invalid start or end: use ISO 8601 or unix seconds", 400)
        start, end = first, last
    if end < start:
        return message("start must be before end", 400)
    if (end - start).total_seconds() / DAY_SECONDS > MAX_BUCKETS:
        return message(TOO_MANY, 400)
    rows = []
    day = start.date()  # the bucket holding `start`, which may begin before it
    while day <= min(end, now).date():
        candle = sim.candle(coin, currency, day, now)
        if candle is not None and day >= sim.opened(coin):
            rows.append(_row(candle))
        day += timedelta(days=1)
    return Response("[" + ",".join(reversed(rows)) + "]", media_type="application/json")
