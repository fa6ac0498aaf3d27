"""Time, in one place: UTC inside, the office's time zone for the service day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """The real clock; tests pass a FrozenClock."""

    def __init__(self, tz: str = "Asia/Jakarta"):
        self.tz = ZoneInfo(tz)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        """The office's service day (numbers restart when it changes)."""
        return self.now().astimezone(self.tz).date()

    def day_start(self, day: date) -> datetime:
        """The UTC instant at which the office's day begins."""
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


class FrozenClock(Clock):
    """A clock that moves only when told; for tests and simulations."""

    def __init__(self, start: datetime, tz: str = "Asia/Jakarta"):
        super().__init__(tz)
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)
