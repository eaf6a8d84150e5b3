"""Where webhooks, jobs and the CLI get ``now`` from. Pure rules never call these; they are given ``now``.

- SystemClock: the real time.
- FrozenClock: tests move it by hand.
- SimulatedClock: the demo's accelerated day, shared by web and worker processes through a small
  JSON file. Only allowed in development (config refuses it otherwise).

RQ's scheduler runs on real time, so a job wanted at a moment of the line's clock is scheduled at
:func:`wall_time` of that moment.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def wall_time(self, moment: datetime) -> datetime:
        return moment


@dataclass
class FrozenClock:
    current: datetime

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.current = moment

    def advance(self, **delta: float) -> datetime:
        self.current = self.current + timedelta(**delta)
        return self.current


class SimulatedClock:
    """now = simulated_anchor + (real_now - real_anchor) * speed, read from a shared file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._cache: tuple[float, datetime, datetime, float] | None = None

    def now(self) -> datetime:
        real_now = datetime.now(timezone.utc)
        anchors = self._anchors()
        if anchors is None:
            return real_now
        real_anchor, simulated_anchor, speed = anchors
        return simulated_anchor + (real_now - real_anchor) * speed

    def wall_time(self, moment: datetime) -> datetime:
        """The real instant at which this clock will read ``moment`` (at its present speed)."""
        anchors = self._anchors()
        if anchors is None:
            return moment
        real_anchor, simulated_anchor, speed = anchors
        return real_anchor + (moment - simulated_anchor) / (speed if speed > 0 else 1.0)

    def _anchors(self) -> tuple[datetime, datetime, float] | None:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return None
        if self._cache is None or self._cache[0] != mtime:
            data = json.loads(self.path.read_text())
            self._cache = (
                mtime,
                datetime.fromisoformat(data["real_anchor"]),
                datetime.fromisoformat(data["simulated_anchor"]),
                float(data.get("speed", 1.0)),
            )
        return self._cache[1:]

    @staticmethod
    def write(path: str | os.PathLike[str], simulated_now: datetime, speed: float = 1.0) -> None:
        """Set the shared simulated time (the demo calls this)."""
        payload = {
            "real_anchor": datetime.now(timezone.utc).isoformat(),
            "simulated_anchor": simulated_now.astimezone(timezone.utc).isoformat(),
            "speed": speed,
        }
        tmp = Path(path).with_suffix(".tmp")
        tmp.write_text(json.dumps(payload))
        os.replace(tmp, path)


def wall_time(clock: Clock, moment: datetime) -> datetime:
    """The real (wall-clock) instant at which ``clock`` will read ``moment``.

    The system clock: ``moment`` itself. A simulated clock: where its anchors and speed put it. Any
    other clock (a frozen one in tests) is taken to run at real speed from now on.
    """
    convert = getattr(clock, "wall_time", None)
    if convert is not None:
        return convert(moment)
    return datetime.now(timezone.utc) + (moment - clock.now())
