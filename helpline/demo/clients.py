"""The demo's two HTTP views of the running line: the supervisor API, and the SMS that the fake
Twilio was asked to send (what staff and callers would have received on their phones)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests


class DemoApiError(RuntimeError):
    pass


class SupervisorApi:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, self.base_url + "/api" + path, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            raise DemoApiError(f"{method} /api{path} answered {response.status_code}: {response.text[:300]}")
        return response.json()

    def open_callbacks(self) -> list[dict[str, Any]]:
        return self._request("GET", "/callbacks", params={"status": "open"})["callbacks"]

    def callback(self, callback_id: int) -> dict[str, Any]:
        return self._request("GET", f"/callbacks/{callback_id}")

    def close_callback(self, callback_id: int, outcome: str, note: str) -> dict[str, Any]:
        return self._request("POST", f"/callbacks/{callback_id}/close", json={"outcome": outcome, "note": note})

    def on_duty(self, at: str) -> dict[str, Any]:
        return self._request("GET", "/on-duty", params={"at": at})


@dataclass(frozen=True)
class Sms:
    sid: str
    to: str
    body: str
    status: str
    sender: str = ""  # the From Twilio was given: always the line's shared number


class SmsWatcher:
    """New messages at the fake Twilio since the last look (it keeps every one it was sent)."""

    def __init__(self, api_base_url: str, account_sid: str, auth_token: str, *, timeout: float = 5.0) -> None:
        self.url = f"{api_base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.timeout = timeout
        self.seen: set[str] = set()

    def _all(self) -> list[Sms]:
        response = requests.get(self.url, params={"PageSize": 1000}, auth=self.auth, timeout=self.timeout)
        response.raise_for_status()
        # Newest first in Twilio's listing; we want the order they were sent in.
        return [Sms(m["sid"], m["to"], m.get("body") or "", m.get("status") or "", m.get("from") or "")
                for m in reversed(response.json()["messages"])]

    def new(self) -> list[Sms]:
        fresh = [sms for sms in self._all() if sms.sid not in self.seen]
        self.seen.update(sms.sid for sms in fresh)
        return fresh



def wait_until_idle(redis_url: str, queue_name: str, timeout: float, quiet: float = 0.3) -> bool:
    """Wait until the worker has nothing queued or running (for ``quiet`` seconds); False on timeout.

    A webhook queues its job before it answers, and a job queues its follow-ups (the SMS) before
    it finishes, so an idle queue after a call means its SMS have reached the fake Twilio."""
    from redis import Redis
    from rq.registry import StartedJobRegistry

    from helpline.dispatch import job_queue

    connection = Redis.from_url(redis_url)
    try:
        queue = job_queue(connection, queue_name)
        running = StartedJobRegistry(queue=queue)
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            if queue.count or running.count:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet:
                return True
            time.sleep(0.1)
        return False
    finally:
        connection.close()
