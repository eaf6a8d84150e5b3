"""Signed message status callbacks, as Twilio sends them to a message's StatusCallback URL."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable

import requests

from helpline.telephony.signatures import sign

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentCallback:
    url: str
    params: dict[str, str]
    status_code: int | None  # None: the request failed
    error: str | None = None


class StatusCallbackSender:
    """Posts queued -> sent -> delivered (or undelivered) for each message, in order, signed."""

    def __init__(self, auth_token: str, stopping: threading.Event, *, delay: float, enabled: bool,
                 on_status: Callable[[str, str, int | None], None]) -> None:
        self.auth_token = auth_token
        self.enabled = enabled
        self.delay = delay
        self._stopping = stopping
        self._on_status = on_status
        self._lock = threading.Lock()
        self._sent: list[SentCallback] = []
        self._pending = 0
        self._idle = threading.Condition(self._lock)

    @property
    def sent(self) -> list[SentCallback]:
        with self._lock:
            return list(self._sent)

    def schedule(self, url: str, message: dict, undelivered_code: int | None) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._pending += 1
        threading.Thread(target=self._run, args=(url, message, undelivered_code), daemon=True,
                         name=f"fake-twilio-callbacks-{message['sid']}").start()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every scheduled callback has been posted (tests and the demo use this)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def _run(self, url: str, message: dict, undelivered_code: int | None) -> None:
        final = ("undelivered", undelivered_code) if undelivered_code else ("delivered", None)
        try:
            for status, error_code in (("queued", None), ("sent", None), final):
                if self._stopping.wait(self.delay):
                    return
                self._on_status(message["sid"], status, error_code)
                self._post(url, message, status, error_code)
        finally:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _post(self, url: str, message: dict, status: str, error_code: int | None) -> None:
        params = {
            "AccountSid": message["account_sid"], "ApiVersion": message["api_version"],
            "From": message["from"], "To": message["to"],
            "MessageSid": message["sid"], "SmsSid": message["sid"],
            "MessageStatus": status, "SmsStatus": status,
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        headers = {"X-Twilio-Signature": sign(self.auth_token, url, params)}
        try:
            response = requests.post(url, data=params, headers=headers, timeout=5)
            record = SentCallback(url, params, response.status_code)
        except requests.RequestException as error:
            log.warning("status callback to %s failed: %s", url, error)
            record = SentCallback(url, params, None, str(error))
        with self._lock:
            self._sent.append(record)
