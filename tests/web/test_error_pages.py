"""Whatever goes wrong on a page, the reader gets a styled page in their language; the API keeps
answering JSON."""
from __future__ import annotations

import pytest

from tests.web.conftest import post_form, sign_in


def test_an_unknown_address_gets_a_finnish_page_with_the_pages_look(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert '<html lang="fi">' in html and "Ei löytynyt" in html and "Virhe 404" in html
    assert "/static/helpline.css" in html
    assert "Not Found" not in html  # Werkzeug's own page
    assert "Content-Security-Policy" in response.headers


def test_a_signed_in_reader_keeps_the_navigation_and_their_language_on_an_unknown_address(client, supervisor):
    sign_in(client, supervisor)
    post_form(client, "/language", {"language": "en", "next": "/"}, token_from="/")
    html = client.get("/no-such-page").get_data(as_text=True)
    assert '<html lang="en">' in html and "Not found" in html and "Error 404" in html
    assert 'href="/staff/"' in html  # the supervisor's navigation


def test_a_link_to_a_form_s_address_gets_a_page_that_says_to_use_the_button(client):
    post_form(client, "/language", {"language": "sv", "next": "/"}, token_from="/sign-in")
    response = client.get("/sign-out")
    html = response.get_data(as_text=True)
    assert response.status_code == 405 and response.headers["Allow"].startswith(("POST", "OPTIONS"))
    assert '<html lang="sv">' in html and "Den här adressen kan inte användas så" in html


def test_a_body_too_large_for_a_page_gets_a_413_page(app, client, supervisor):
    sign_in(client, supervisor)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/rota/import", data={"text": "x" * 5000})
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "Lähettämäsi on liian suuri" in html and "Virhe 413" in html


def test_a_failure_of_ours_gets_a_500_page_that_shows_no_internals(app, client, caplog):
    def broken():
        raise RuntimeError("database password is hunter2")

    app.add_url_rule("/broken", "broken", broken)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    response = client.get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "Meillä meni jotain vikaan" in html and "hunter2" not in html and "RuntimeError" not in html


@pytest.mark.parametrize(("method", "path", "status"), [("get", "/api/no-such-thing", 404),
                                                         ("delete", "/api/openapi.json", 405)])
def test_the_api_keeps_answering_json(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.mimetype == "application/json" and "error" in response.get_json()
