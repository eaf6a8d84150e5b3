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
