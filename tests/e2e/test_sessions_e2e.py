"""In a real browser: signing out ends the session on the server, so a copied cookie is refused."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(browser, live_server, page, sign_in_as, worker):
    sign_in_as(worker)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tänään")
    copied = [cookie for cookie in page.context.cookies() if cookie["name"] == "helpline_session"]
    assert len(copied) == 1 and copied[0]["httpOnly"]

    # Someone else's browser with the very same cookie: let in while the session lives...
    other = browser.new_context(base_url=live_server, viewport=LAPTOP, locale="fi-FI")
    try:
        other.add_cookies(copied)
        stolen = other.new_page()
        stolen.goto("/")
        expect(stolen.get_by_role("heading", level=1)).to_contain_text("Tänään")

        # ...until its owner signs out.
        page.get_by_role("button", name="Kirjaudu ulos").click()
        expect(page).to_have_url(re.compile(r"/sign-in$"))
        expect(page.get_by_role("status").first).to_contain_text("Olet kirjautunut ulos.")

        other.clear_cookies()
        other.add_cookies(copied)  # the copy as it was taken, whatever the server sent since
        stolen.goto("/callbacks/")
        expect(stolen).to_have_url(re.compile(r"/sign-in\?next=/callbacks/$"))
        expect(stolen.get_by_role("button", name="Kirjaudu sisään")).to_be_visible()
    finally:
        other.close()
