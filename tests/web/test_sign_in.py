"""Signing in and out, sessions, the failed sign-in limit, roles and CSRF."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import Staff, WebLogin
from argon2 import extract_parameters

from tests.web.conftest import PASSWORD, PRODUCTION_HASHER, csrf_token, post_form, sign_in


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/")


def test_a_supervisor_signs_in_with_the_right_password_and_lands_where_they_were_going(client, supervisor):
    token = csrf_token(client, "/sign-in?next=/account")
    response = client.post("/sign-in", data={"csrf_token": token, "username": " SARI ", "password": PASSWORD,
                                             "next": "/account"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "Sari" in client.get("/account").get_data(as_text=True)


def test_a_wrong_password_is_refused_with_the_same_words_as_an_unknown_username(client, supervisor):
    wrong = sign_in(client, supervisor, password="not the password")
    assert wrong.status_code == 401
    token = csrf_token(client)
    unknown = client.post("/sign-in", data={"csrf_token": token, "username": "nobody", "password": "whatever pw"})
    assert unknown.status_code == 401
    for response in (wrong, unknown):
        page = response.get_data(as_text=True)
        assert "The username or password is wrong." in page or "Käyttäjätunnus tai salasana on väärin." in page
    assert client.get("/").status_code == 302


def test_the_password_is_stored_only_as_an_argon2id_hash(line, supervisor):
    with line.db.session() as session:
        login = session.scalar(select(WebLogin).where(WebLogin.username == "sari"))
        assert login.password_hash.startswith("$argon2id$")
        assert PASSWORD not in login.password_hash


def test_real_passwords_are_hashed_with_at_least_owasps_argon2id_parameters():
    parameters = extract_parameters(PRODUCTION_HASHER.hash(PASSWORD))
    assert parameters.type.name == "ID"
    assert parameters.memory_cost >= 19456 and parameters.time_cost >= 2


def test_sign_in_is_refused_without_the_csrf_token(client, supervisor):
    response = client.post("/sign-in", data={"username": "sari", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_the_session_cookie_is_http_only_same_site_lax_and_secure_behind_https(client, supervisor):
    response = sign_in(client, supervisor)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie  # the test settings' PUBLIC_BASE_URL is https


def test_after_five_wrong_passwords_the_account_is_locked_even_with_the_right_one(client, supervisor):
    for _ in range(5):
        assert sign_in(client, supervisor, password="wrong password").status_code == 401
    locked = sign_in(client, supervisor)
    assert locked.status_code == 429
    assert client.get("/").status_code == 302


def test_the_lock_holds_across_web_processes_because_it_lives_in_redis(app, line, supervisor):
    from helpline import create_app

    for _ in range(5):
        sign_in(app.test_client(), supervisor, password="wrong password")
    other_process = create_app(line)  # a second app: its own throttle object, the same Redis
    assert sign_in(other_process.test_client(), supervisor).status_code == 429


def test_many_failures_from_one_address_lock_that_address_for_every_username(app, make_person):
    people = [make_person(f"Person{i}", phone=f"+35840555{i:04d}") for i in range(8)]
    client = app.test_client()
    for person in people[:7]:
        for _ in range(4):  # under each account's own limit
            sign_in(client, person, password="wrong password")
    # 28 failures so far; two more reach the address's limit of 30.
    sign_in(client, people[7], password="wrong password")
    sign_in(client, people[7], password="wrong password")
    assert sign_in(client, people[7]).status_code == 429
    other_address = app.test_client()
    response = other_address.post("/sign-in", environ_base={"REMOTE_ADDR": "10.0.0.9"}, data={
        "csrf_token": csrf_token(other_address), "username": people[7].username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_deactivated_staff_member_is_signed_out_at_their_next_click(as_worker, line, worker):
    assert as_worker.get("/").status_code == 200
    with line.db.session() as session:
        session.get(Staff, worker.id).active = False
    assert as_worker.get("/").status_code == 302
    assert sign_in(as_worker, worker).status_code == 401


def test_signing_out_ends_the_session(as_worker):
    response = post_form(as_worker, "/sign-out", {}, token_from="/")
    assert response.status_code == 302
    assert as_worker.get("/").status_code == 302


def test_signing_out_needs_the_csrf_token(as_worker):
    assert as_worker.post("/sign-out").status_code == 400
    assert as_worker.get("/").status_code == 200


def test_the_next_page_after_sign_in_is_never_another_site(client, supervisor):
    token = csrf_token(client)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/sign-in", data={"csrf_token": token, "username": "sari", "password": PASSWORD,
                                                 "next": target})
        assert response.headers["Location"] == "/"
        post_form(client, "/sign-out", {}, token_from="/")
        token = csrf_token(client)


def test_changing_the_password_signs_out_other_devices_but_not_this_one(app, supervisor):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, supervisor)
    sign_in(phone, supervisor)
    response = post_form(laptop, "/account", {"current": PASSWORD, "new": "a brand new passphrase",
                                              "repeat": "a brand new passphrase"})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert sign_in(phone, supervisor, password="a brand new passphrase").status_code == 302


def test_a_new_password_must_be_long_enough_and_typed_twice_the_same(as_supervisor):
    short = post_form(as_supervisor, "/account", {"current": PASSWORD, "new": "short", "repeat": "short"})
    assert short.status_code == 422
    differ = post_form(as_supervisor, "/account", {"current": PASSWORD, "new": "long enough one",
                                                   "repeat": "long enough two"})
    assert differ.status_code == 422
    wrong_current = post_form(as_supervisor, "/account", {"current": "not it at all", "new": "long enough one",
                                                          "repeat": "long enough one"})
    assert wrong_current.status_code == 422


def test_the_chosen_language_is_used_and_remembered_on_the_account(app, worker):
    client = app.test_client()
    assert 'lang="fi"' in client.get("/sign-in").get_data(as_text=True)
    sign_in(client, worker)
    post_form(client, "/language", {"language": "sv", "next": "/"}, token_from="/")
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)
    another_device = app.test_client()
    sign_in(another_device, worker)
    assert '<html lang="sv">' in another_device.get("/").get_data(as_text=True)


def test_webhooks_and_the_api_are_not_asked_for_a_csrf_token(client):
    # A bearer-less API call is refused for its missing token (401), not for CSRF (400).
    assert client.post("/api/staff", json={}).status_code == 401
    # An unsigned Twilio webhook is refused by the signature check (403), not by CSRF.
    assert client.post("/voice/incoming", data={}).status_code == 403
