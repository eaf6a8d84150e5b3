"""Where webhooks, jobs and the CLI get ``now`` from. Pure rules never call these; they are given ``now``.

- SystemClock: the real time.
- FrozenClock: tests move it by hand.
- SimulatedClock: the demo's accelerated day, shared by web and worker processes through a small
  JSON file. Only allowed in development (config refuses it otherwise).
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
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return real_now
        if self._cache is None or self._cache[0] != mtime:
            data = json.loads(self.path.read_text())
            self._cache = (
                mtime,
                datetime.fromisoformat(data["real_anchor"]),
                datetime.fromisoformat(data["simulated_anchor"]),
                float(data.get("speed", 1.0)),
            )
        _, real_anchor, simulated_anchor, speed = self._cache
        return simulated_anchor + (real_now - real_anchor) * speed

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
