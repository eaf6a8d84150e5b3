"""Fixtures for the supervisor API: real tokens in the database, a client that sends them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from helpline.models import CallbackRequest
from helpline.tokens import create_token

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(text_value: str) -> datetime:
    """'2027-01-11 10:00' as an aware Helsinki datetime (tests/conftest.py's, which other conftest
    modules can shadow under the bare name ``conftest``)."""
    return datetime.fromisoformat(text_value).replace(tzinfo=HELSINKI)


@dataclass
class ApiClient:
    """The Flask test client with one bearer token on every request."""

    client: FlaskClient
    token: str | None
    staff_id: int | None = None  # whom the token belongs to

    def request(self, method: str, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        if json is not None:
            kwargs["json"] = json
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("PUT", path, json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", path, json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def make_token(line, clock):
    def make(role: str = "supervisor", name: str | None = None, *, staff_id: int | None = None) -> str:
        with line.db.session() as db_session:
            return create_token(db_session, name or f"{role}'s laptop", role, clock.now(), staff_id=staff_id)

    return make


@pytest.fixture
def supervisor(client, make_token) -> ApiClient:
    return ApiClient(client, make_token("supervisor", "Sari (supervisor)"))


@pytest.fixture
def staff_member(client, make_token) -> ApiClient:
    """A staff token made without --staff-id (as every token was before tokens had owners): read-only."""
    return ApiClient(client, make_token("staff", "Aino's phone"))


@pytest.fixture
def own_staff_token(client, make_token, make_staff) -> ApiClient:
    """A staff token that belongs to Aino Aalto, a staff member: it closes her callbacks."""
    aino = make_staff("Aino Aalto")
    return ApiClient(client, make_token("staff", "Aino's phone", staff_id=aino.id), staff_id=aino.id)


@pytest.fixture
def anonymous(client) -> ApiClient:
    return ApiClient(client, None)


@pytest.fixture
def with_token(client):
    """An API client for a token made elsewhere (the CLI, say)."""
    return lambda token: ApiClient(client, token)


@pytest.fixture
def make_callback(line, clock):
    """A callback request row as the voice webhooks would leave it."""

    def make(caller: str = "+358401234567", *, status: str = "new", created_at: datetime | None = None,
             **fields: Any) -> CallbackRequest:
        at = created_at or clock.now()
        with line.db.session() as db_session:
            callback = CallbackRequest(caller=caller, status=status, created_at=at, last_call_at=at,
                                       next_action_at=at, **fields)
            db_session.add(callback)
        return callback

    return make


def _error_of(response: TestResponse) -> str:
    """The words of an API error, checking that the answer has the contract's shape."""
    assert response.is_json, response.data
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"], str) and body["error"]
    return body["error"]


@pytest.fixture
def error_of():
    return _error_of
