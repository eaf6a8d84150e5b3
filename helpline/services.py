"""The long-lived objects one process needs, built once from the settings, and where code finds them.

The web app keeps one in ``app.extensions["helpline"]``; the RQ worker and the CLI build their
own with :func:`build_services`. Nothing here is created at import time, and the clients of
other services (Twilio's REST API, the signature check, the sign-in limit) only when first used.

RQ jobs take ids, not objects, so inside a worker something has to hold the process's Services.
:func:`current_services` answers, in this order:

1. inside a Flask app context, the app's own Services (a webhook that queues an SMS);
2. Services installed with :func:`use_services` (tests, the demo, a script);
3. otherwise Services built once per process from the environment (the ``worker`` Procfile line).
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from helpline.clock import Clock, SimulatedClock, SystemClock
from helpline.config import Settings, load_settings
from helpline.db import Database
from helpline.dispatch import JobDispatcher

if TYPE_CHECKING:
    from helpline.telephony.client import TwilioGateway
    from helpline.telephony.signatures import SignatureChecker
    from helpline.chat_board import ChatBoard
    from helpline.throttle import SignInThrottle


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    jobs: JobDispatcher

    # Clients built on first use, then kept for the process. A test may set its own
    # (``line.twilio = TwilioGateway.from_settings(line.settings, timeout=0.5)``), or delete one
    # (``del line.twilio``) to have it built again from changed settings.

    @cached_property
    def twilio(self) -> TwilioGateway:
        """The one client of Twilio's REST API: SMS, calls, recordings."""
        from helpline.telephony.client import TwilioGateway

        return TwilioGateway.from_settings(self.settings)

    @cached_property
    def signature_checker(self) -> SignatureChecker:
        """Checks the X-Twilio-Signature of every webhook request."""
        from helpline.telephony.signatures import SignatureChecker

        return SignatureChecker(self.settings.twilio_auth_token)

    @cached_property
    def sign_in_throttle(self) -> SignInThrottle:
        """The limit on failed sign-ins to the web pages (in Redis, shared by every web process)."""
        from helpline.throttle import SignInThrottle

        return SignInThrottle(self.settings.redis_url)

    @cached_property
    def chat_board(self) -> ChatBoard:
        """The web chat's versions and per-minute limits (in Redis, shared by every web process)."""
        from helpline.chat_board import ChatBoard

        return ChatBoard(self.settings.redis_url)


def build_services(settings: Settings | None = None, *, clock: Clock | None = None) -> Services:
    settings = settings or load_settings()
    if clock is None:
        clock = SimulatedClock(settings.simulated_clock_file) if settings.simulated_clock_file else SystemClock()
    return Services(
        settings=settings,
        db=Database(settings.database_url, now=clock.now),
        clock=clock,
        jobs=JobDispatcher(settings.redis_url),
    )


def development_secret_key() -> str:
    """A per-process random key for development, so no well-known default ever exists."""
    return secrets.token_urlsafe(32)


_lock = threading.Lock()
_installed: Services | None = None
_built: Services | None = None


def current_services() -> Services:
    from flask import current_app, has_app_context

    if has_app_context() and "helpline" in current_app.extensions:
        return current_app.extensions["helpline"]
    if _installed is not None:
        return _installed
    global _built
    with _lock:
        if _built is None:
            _built = build_services()
        return _built


class _Installation:
    """What use_services returns: already in effect; as a context manager it undoes itself."""

    def __init__(self, services: Services | None, previous: Services | None) -> None:
        self.services = services
        self._previous = previous

    def __enter__(self) -> Services | None:
        return self.services

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        global _installed
        _installed = self._previous


def use_services(services: Services | None) -> _Installation:
    """Make ``services`` this process's current Services (None: back to the environment's).

    ``use_services(line)`` installs it for good; ``with use_services(line):`` only for the block.
    """
    global _installed
    previous, _installed = _installed, services
    return _Installation(services, previous)
