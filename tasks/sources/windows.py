"""Which publication times a run asks for: nightly windows from watermarks, backfill chunks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from schemas import DiscoveryWindow

ChunkSize = Literal["day", "month"]


def nightly_window(
    watermark: datetime | None, now: datetime, first_run_lookback_days: int, overlap_hours: int
) -> DiscoveryWindow:
    """From the watermark (less an overlap for late-published or back-dated posts) up to now."""
    if watermark is None:
        start = now - timedelta(days=first_run_lookback_days)
    else:
        start = min(watermark, now) - timedelta(hours=overlap_hours)
    return DiscoveryWindow(start=start.astimezone(UTC), end=now.astimezone(UTC))


def backfill_chunks(start: date, end: date, chunk: ChunkSize) -> list[DiscoveryWindow]:
    """[start, end] inclusive of both days, cut into day or calendar-month windows."""
    if end < start:
        raise ValueError(f"backfill end {end} is before start {start}")
    windows: list[DiscoveryWindow] = []
    day = start
    while day <= end:
        if chunk == "day":
            next_day = day + timedelta(days=1)
        else:
            next_day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        stop = min(next_day, end + timedelta(days=1))
        windows.append(DiscoveryWindow(start=_midnight(day), end=_midnight(stop)))
        day = stop
    return windows


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)
