"""Signing out ends the session on the server: a copy of the cookie taken before is refused after.

The cookie is only signed, so without a server-side check a copy (from a shared computer, a
proxy log, a stolen laptop) would stay good for its 12 hours whatever the owner did. Each
account has a session generation; signing out, a new password and "sign out everywhere" move it
on, and every request compares the cookie's generation with it.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from helpline.models import WebLogin
from tests.web.conftest import PASSWORD, csrf_token, post_form, sign_in

COOKIE = "helpline_session"


def _copy_of_the_cookie(app, client):
    """Another browser holding the very same session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_copied_session_cookie_is_refused_once_its_owner_signs_out(app, client, worker):
    sign_in(client, worker)
    thief = _copy_of_the_cookie(app, client)
    assert _signed_in(thief)  # the copy works while the session lives
    assert post_form(client, "/sign-out", {}, token_from="/").status_code == 302
    assert not _signed_in(client)
    assert thief.get("/").status_code == 302
    assert thief.get("/").headers["Location"].startswith("/sign-in")
    assert thief.get("/callbacks/").status_code == 302


def test_signing_out_on_one_device_signs_the_account_out_on_every_device(app, worker):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, worker)
    sign_in(phone, worker)
    post_form(laptop, "/sign-out", {}, token_from="/")
    assert not _signed_in(phone)
    assert sign_in(phone, worker).status_code == 302 and _signed_in(phone)


def test_signing_in_again_after_signing_out_gives_a_session_the_old_copy_cannot_share(app, client, worker):
    sign_in(client, worker)
    thief = _copy_of_the_cookie(app, client)
    post_form(client, "/sign-out", {}, token_from="/")
    sign_in(client, worker)
    assert _signed_in(client)
    assert not _signed_in(thief)


def test_a_copy_taken_before_a_password_change_is_refused_and_the_changer_stays_signed_in(app, client, supervisor):
    sign_in(client, supervisor)
    thief = _copy_of_the_cookie(app, client)
    response = post_form(client, "/account", {"current": PASSWORD, "new": "a brand new passphrase",
                                              "repeat": "a brand new passphrase"})
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(thief)


def test_sign_out_everywhere_on_the_account_page_ends_every_session_this_one_included(app, client, worker):
    sign_in(client, worker)
    phone = app.test_client()
    sign_in(phone, worker)
    thief = _copy_of_the_cookie(app, client)
    page = client.get("/account").get_data(as_text=True)
    assert 'action="/account/sign-out-everywhere"' in page
    response = post_form(client, "/account/sign-out-everywhere", {}, token_from="/account")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert not any(_signed_in(device) for device in (client, phone, thief))


def test_sign_out_everywhere_needs_the_csrf_token(as_worker):
    assert as_worker.post("/account/sign-out-everywhere").status_code == 400
    assert _signed_in(as_worker)


def test_a_supervisor_can_sign_a_lost_phone_out_without_deactivating_its_owner(app, as_supervisor, worker):
    phone = app.test_client()
    sign_in(phone, worker)
    page = as_supervisor.get(f"/staff/{worker.id}").get_data(as_text=True)
    assert f'action="/staff/{worker.id}/sign-out-everywhere"' in page
    response = post_form(as_supervisor, f"/staff/{worker.id}/sign-out-everywhere", {}, token_from=f"/staff/{worker.id}")
    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(as_supervisor)
    assert sign_in(phone, worker).status_code == 302  # still active, the password still works


def test_staff_cannot_sign_anyone_out(app, as_worker, supervisor):
    laptop = app.test_client()
    sign_in(laptop, supervisor)
    response = as_worker.post(f"/staff/{supervisor.id}/sign-out-everywhere",
                              data={"csrf_token": csrf_token(as_worker, "/")})
    assert response.status_code == 403
    assert _signed_in(laptop)


def test_a_new_password_set_by_a_supervisor_ends_the_persons_sessions(app, as_supervisor, worker, line):
    phone = app.test_client()
    sign_in(phone, worker)
    response = post_form(as_supervisor, f"/staff/{worker.id}", {
        "name": "Pekka", "phone": worker.staff.phone, "languages": "fi", "role": "staff", "username": worker.username,
        "password": "given in person 123"})
    assert response.status_code == 302
    assert not _signed_in(phone)


def test_a_rehash_at_sign_in_does_not_sign_the_other_devices_out(app, worker, monkeypatch):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, worker)
    monkeypatch.setattr(WebLogin, "password_needs_rehash", lambda self: True)
    sign_in(phone, worker)
    assert _signed_in(laptop) and _signed_in(phone)


def test_a_session_idle_for_more_than_twelve_hours_is_over_and_each_request_extends_it(client, worker, monkeypatch):
    import time

    from itsdangerous.timed import TimestampSigner

    sign_in(client, worker)

    def later(hours: float) -> None:
        """The cookie's signed timestamp (itsdangerous reads the real clock) as if hours had passed."""
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() + hours * 3600))

    later(11.9)
    assert _signed_in(client)  # and this request signs the cookie afresh
    later(11.9 + 11.9)
    assert _signed_in(client)
    later(11.9 + 11.9 + 12.1)
    assert not _signed_in(client)


def test_the_generation_is_kept_per_account_in_the_database(line, client, worker):
    sign_in(client, worker)
    post_form(client, "/sign-out", {}, token_from="/")
    with line.db.sessionmaker() as session:
        login = session.scalar(select(WebLogin).where(WebLogin.staff_id == worker.id))
        assert login.session_generation == 2  # 1 from setting the first password, 1 from signing out
