"""Fixtures for the web pages: accounts, signing in, and reading CSRF tokens out of pages."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher

from helpline.models import Staff, users
from helpline.web.accounts import create_account

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


PRODUCTION_HASHER = users.PASSWORD_HASHER


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2id still, but with tiny costs: the real ones spend ~60 ms per hash by design."""
    monkeypatch.setattr(users, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@dataclass
class Person:
    staff: Staff
    username: str
    password: str = PASSWORD

    @property
    def id(self) -> int:
        return self.staff.id


@pytest.fixture
def make_person(line, clock, make_staff):
    """A staff member with an account: make_person("Sari", role="supervisor")."""

    def make(name: str = "Sari", *, role: str = "staff", username: str | None = None,
             phone: str | None = None, languages: tuple[str, ...] = ("fi",)) -> Person:
        staff = make_staff(name, phone, role=role, languages=languages)
        username = username or name.lower()
        with line.db.session() as session:
            create_account(session, username=username, password=PASSWORD, phone=staff.phone, now=clock.now())
        return Person(staff, username)

    return make


@pytest.fixture
def supervisor(make_person) -> Person:
    return make_person("Sari", role="supervisor", phone="+358409990001")


@pytest.fixture
def worker(make_person) -> Person:
    return make_person("Pekka", role="staff", phone="+358409990002")


def csrf_token(client, path: str = "/sign-in") -> str:
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, person: Person, password: str | None = None):
    token = csrf_token(client)
    return client.post("/sign-in", data={"csrf_token": token, "username": person.username,
                                         "password": password or person.password})


def post_form(client, path: str, data: dict, *, token_from: str | None = None):
    """POST a form the way a browser would: with the CSRF token of the page it came from."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_from or path), **data})


@pytest.fixture
def as_supervisor(client, supervisor):
    assert sign_in(client, supervisor).status_code == 302
    return client


@pytest.fixture
def as_worker(client, worker):
    assert sign_in(client, worker).status_code == 302
    return client


CALLER = "+358401234567"


@pytest.fixture
def make_callback(line, clock):
    """A callback in the database: make_callback(assignee=person.staff, message=True) -> its id."""
    from datetime import timedelta

    from helpline.models import CallbackEvent, CallbackRequest, VoiceMessage

    def make(caller: str = CALLER, *, assignee: Staff | None = None, status: str | None = None,
             message: bool = False, recording_sid: str | None = None, age_minutes: int = 60) -> int:
        now = clock.now()
        created = now - timedelta(minutes=age_minutes)
        with line.db.session() as session:
            callback = CallbackRequest(
                caller=caller, language="fi", created_at=created, last_call_at=created,
                status=status or ("assigned" if assignee else "new"),
                assignee_id=assignee.id if assignee else None, assigned_at=now if assignee else None,
                next_action="remind" if assignee else "assign", next_action_at=now + timedelta(minutes=30))
            session.add(callback)
            session.flush()
            session.add(CallbackEvent(callback_id=callback.id, at=created, kind="call",
                                      detail={"call_sid": f"CA{callback.id:032x}", "joined": False}))
            if message or recording_sid:
                session.add(VoiceMessage(callback_id=callback.id, recording_sid=recording_sid or f"RE{callback.id:032x}",
                                         recording_url="https://api.twilio.com/recording", recording_status="completed",
                                         duration_seconds=12, created_at=created))
                session.add(CallbackEvent(callback_id=callback.id, at=created, kind="message",
                                          detail={"duration_seconds": 12}))
            if assignee:
                session.add(CallbackEvent(callback_id=callback.id, at=now, kind="assigned", staff_id=assignee.id,
                                          detail={"reason": "on duty"}))
            return callback.id

    return make
