"""Failures the fake Twilio produces on request: which kinds exist and which request gets one."""
from __future__ import annotations

import threading
from dataclasses import dataclass

# kind -> the Twilio error code the fake answers with ("timeout" answers late instead).
KINDS: dict[str, int | None] = {
    "500": 20500,
    "503": 20503,
    "429": 20429,
    "401": 20003,
    "21610": 21610,
    "21211": 21211,
    "21614": 21614,
    "timeout": None,
}


@dataclass
class Failure:
    kind: str  # a key of KINDS, or "undelivered:<code>" for delivery failures
    remaining: int | None  # requests still to fail; None: every matching one
    to: str | None = None  # only requests to this number
    endpoint: str = "messages"  # "messages", "calls" or "delivery"

    def __post_init__(self) -> None:
        if self.endpoint == "delivery":
            if not self.kind.startswith("undelivered:") or not self.kind.split(":", 1)[1].isdigit():
                raise ValueError(f"a delivery failure is 'undelivered:<error code>', not {self.kind!r}")
        elif self.kind not in KINDS:
            raise ValueError(f"unknown failure {self.kind!r}; choose one of {', '.join(KINDS)}")
        if self.endpoint not in ("messages", "calls", "delivery"):
            raise ValueError(f"unknown endpoint {self.endpoint!r}")
        if self.remaining is not None and self.remaining < 1:
            raise ValueError("times must be at least 1 (or None for always)")

    @property
    def error_code(self) -> int:
        code = KINDS[self.kind]
        assert code is not None, "a timeout has no error code"
        return code

    @property
    def delivery_error(self) -> int:
        return int(self.kind.split(":", 1)[1])


class FailureRules:
    """Thread-safe list of pending failures; the first one matching a request is used up."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Failure] = []

    def add(self, failure: Failure) -> Failure:
        with self._lock:
            self._rules.append(failure)
        return failure

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, endpoint: str, to: str) -> Failure | None:
        with self._lock:
            for rule in self._rules:
                if rule.endpoint == endpoint and rule.to in (None, to):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining == 0:
                            self._rules.remove(rule)
                    return rule
        return None
