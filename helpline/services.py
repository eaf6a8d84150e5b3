"""The long-lived objects one process needs, built once from the settings.

The web app keeps one in ``app.extensions["helpline"]``; the RQ worker and the CLI build their
own with :func:`build_services`. Nothing here is created at import time.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from helpline.clock import Clock, SimulatedClock, SystemClock
from helpline.config import Settings, load_settings
from helpline.db import Database
from helpline.queue.dispatch import JobDispatcher


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    jobs: JobDispatcher
    # Anything else a subsystem wants to hang on the process (the Twilio REST client, say).
    extras: dict[str, object] = field(default_factory=dict)


def build_services(settings: Settings | None = None, *, clock: Clock | None = None) -> Services:
    settings = settings or load_settings()
    if clock is None:
        clock = SimulatedClock(settings.simulated_clock_file) if settings.simulated_clock_file else SystemClock()
    return Services(
        settings=settings,
        db=Database(settings.database_url),
        clock=clock,
        jobs=JobDispatcher(settings.redis_url),
    )


def development_secret_key() -> str:
    """A per-process random key for development, so no well-known default ever exists."""
    return secrets.token_urlsafe(32)
