"""Fixtures for the Rota pages: the web pages' accounts and sign-in (tests/web/conftest.py), and
a small staffed week to look at."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# The pages' fixtures (accounts, signing in, cheap password hashing), shared rather than copied.
from web.conftest import (  # noqa: F401
    Person,
    as_supervisor,
    as_worker,
    cheap_password_hashing,
    csrf_token,
    make_person,
    post_form,
    sign_in,
    supervisor,
    worker,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=HELSINKI)


@pytest.fixture
def aino(make_staff):
    return make_staff("Aino Aalto", "+358401110001")


@pytest.fixture
def bertil(make_staff):
    return make_staff("Bertil Berg", "+358401110002", languages=("sv", "fi"))


@pytest.fixture
def english():
    """Switch a signed-in client's pages to English, so tests can read the words."""

    def switch(client):
        response = post_form(client, "/language", {"language": "en", "next": "/rota/"}, token_from="/rota/")
        assert response.status_code == 302
        return client

    return switch


@pytest.fixture
def boss(as_supervisor, english):
    """A signed-in supervisor reading English."""
    return english(as_supervisor)


@pytest.fixture
def pekka(as_worker, english):
    """A signed-in staff member (Pekka) reading English."""
    return english(as_worker)
