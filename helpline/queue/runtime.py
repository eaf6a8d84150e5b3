"""Where a job finds its Services (database, clock, settings, job dispatcher).

RQ jobs take ids, not objects, so inside a worker something has to hold the process's Services.
``current_services()`` answers, in this order:

1. inside a Flask app context, the app's own Services (a webhook that queues an SMS);
2. Services installed with ``use_services`` (tests, the demo, a script);
3. otherwise Services built once per process from the environment (the ``worker`` Procfile line).

Nothing is built at import time.
"""
from __future__ import annotations

import threading
from types import TracebackType

from helpline.services import Services, build_services

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
