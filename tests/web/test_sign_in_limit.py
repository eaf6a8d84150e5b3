"""The failed sign-in limit: counted before the password is checked, per username and address.

Five attempts at one username from one address in 15 minutes, thirty from one address whatever
the usernames. A stranger's guesses lock the stranger's address, never the person they guessed at.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from helpline.models import WebLogin
from tests.web.conftest import PASSWORD, csrf_token

STRANGER, OFFICE = "203.0.113.66", "198.51.100.7"


def _attempt(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post("/sign-in", environ_base={"REMOTE_ADDR": address}, data={
        "csrf_token": csrf_token(client), "username": username, "password": password})


@pytest.fixture
def password_checks(monkeypatch):
    """Counts every password check (right, wrong or of an unknown username), each one slow as argon2 is."""
    import helpline.web.auth as auth

    checks = Counter()
    lock = threading.Lock()
    real_check, real_dummy = WebLogin.check_password, auth.dummy_password_check

    def counted(original):
        def check(*args):
            with lock:
                checks["done"] += 1
            time.sleep(0.2)  # long enough for parallel requests to overlap
            return original(*args)
        return check

    monkeypatch.setattr(WebLogin, "check_password", counted(real_check))
    monkeypatch.setattr(auth, "dummy_password_check", counted(real_dummy))
    return checks


def test_twelve_wrong_passwords_at_once_get_at_most_five_password_checks(app, supervisor, password_checks):
    clients = [app.test_client() for _ in range(12)]
    tokens = [csrf_token(client) for client in clients]
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def guess(client, token):
        start.wait()
        response = client.post("/sign-in", data={"csrf_token": token, "username": supervisor.username,
                                                 "password": "a wrong guess"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert password_checks["done"] <= 5
    assert sorted(statuses) == [401] * 5 + [429] * 7


def test_a_strangers_five_wrong_guesses_do_not_lock_the_supervisor_out_from_their_own_address(app, supervisor):
    stranger = app.test_client()
    for _ in range(5):
        assert _attempt(stranger, supervisor.username, "a wrong guess", STRANGER).status_code == 401
    assert _attempt(stranger, supervisor.username, PASSWORD, STRANGER).status_code == 429  # locked: the stranger
    assert _attempt(app.test_client(), supervisor.username, PASSWORD, OFFICE).status_code == 302


def test_the_wait_is_told_in_minutes_and_no_password_is_checked_meanwhile(app, supervisor, password_checks):
    client = app.test_client()
    for _ in range(5):
        _attempt(client, supervisor.username, "a wrong guess")
    locked = _attempt(client, supervisor.username, PASSWORD)
    assert locked.status_code == 429
    assert password_checks["done"] == 5
    assert "Yritä uudelleen 15 minuutin kuluttua." in locked.get_data(as_text=True)


def test_a_right_password_takes_back_the_attempts_before_it(app, supervisor):
    client = app.test_client()
    for _ in range(4):
        assert _attempt(client, supervisor.username, "a wrong guess").status_code == 401
    assert _attempt(client, supervisor.username, PASSWORD).status_code == 302
    for _ in range(4):
        assert _attempt(app.test_client(), supervisor.username, "a wrong guess").status_code == 401
    assert _attempt(app.test_client(), supervisor.username, PASSWORD).status_code == 302


def test_a_busy_office_signing_in_from_one_address_is_never_limited(app, make_person):
    people = [make_person(f"Person{i}", phone=f"+35840666{i:04d}") for i in range(4)]
    for _ in range(10):
        for person in people:  # 40 sign-ins from one address in a few seconds
            assert _attempt(app.test_client(), person.username, PASSWORD, OFFICE).status_code == 302


def test_without_redis_sign_in_goes_ahead_unlimited(app, supervisor, line, caplog):
    from helpline.throttle import SignInThrottle

    line.sign_in_throttle = SignInThrottle("redis://127.0.0.1:1/0")
    client = app.test_client()
    for _ in range(7):
        assert _attempt(client, supervisor.username, "a wrong guess").status_code == 401
    assert _attempt(client, supervisor.username, PASSWORD).status_code == 302
    assert "sign-in limit unavailable" in caplog.text
