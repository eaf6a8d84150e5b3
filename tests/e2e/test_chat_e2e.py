"""The web chat in Debian's Chromium: a visitor chats with a supervisor who answers from the
callback's page and by REPLY SMS; each reply appears without a reload; another browser sees
nothing; markup stays text; no CSP violation or console error; no sideways scrolling at 390 and
1366 px; the quick exit leaves the chat out of the history. Screenshots of each state go to
artifacts/screenshots/chat-*.png for people to look at."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sqlalchemy import select

from helpline.models import CallbackRequest
from helpline.telephony.signatures import sign
from tests.conftest import helsinki
from tests.e2e.conftest import PHONE, SCREENSHOTS
from tests.e2e.test_every_page import _LAYOUT, PageWatcher

LAPTOP_1366 = {"width": 1366, "height": 900}
MARKUP = '<b>lihava</b> <img src=x onerror="document.title=\'pwned\'">'


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"chat-{name}.png"), full_page=True)


def no_layout_problems(page) -> None:
    for size in (PHONE, LAPTOP_1366):
        page.set_viewport_size(size)
        page.wait_for_timeout(50)
        assert page.evaluate(_LAYOUT) == [], size


@pytest.fixture
def open_line(office_hours, make_staff, make_shift, clock):
    office_hours()
    day = clock.now().replace(hour=0, minute=0)
    aino = make_staff("Aino", "+358401110001")
    make_shift(aino, day, day + timedelta(days=1), priority=1)
    return aino


def sms_reply(app, line, staff_phone: str, body: str) -> None:
    params = {"MessageSid": "SM" + "c" * 32, "AccountSid": line.settings.twilio_account_sid, "From": staff_phone,
              "To": line.settings.twilio_phone_number, "Body": body, "NumSegments": "1"}
    signature = sign(line.settings.twilio_auth_token, line.settings.public_base_url + "/sms/incoming", params)
    response = app.test_client().post("/sms/incoming", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


def test_a_visitor_chats_with_staff_who_answer_on_the_page_and_by_sms_and_nobody_else_sees_it(
        browser, live_server, app, line, open_line, supervisor):
    visitor_context = browser.new_context(base_url=live_server, viewport=PHONE, locale="fi-FI")
    staff_context = browser.new_context(base_url=live_server, viewport=LAPTOP_1366, locale="fi-FI")
    stranger_context = browser.new_context(base_url=live_server, viewport=PHONE, locale="sv-FI")
    for context in (visitor_context, staff_context, stranger_context):
        context.set_default_timeout(15_000)
    try:
        visitor = visitor_context.new_page()
        watcher = PageWatcher(visitor)
        assert watcher.open("/chat") == []
        assert visitor.get_by_text("Hätätilanteessa soita 112.").is_visible()
        no_layout_problems(visitor)
        visitor.set_viewport_size(PHONE)
        shoot(visitor, "1-empty-390")

        visitor.get_by_label("Viestisi").fill("Hei, onko joku paikalla? Minulla on paha olla.")
        visitor.get_by_role("button", name="Lähetä").click()
        thread = visitor.locator("#chat-thread")
        thread.get_by_text("Minulla on paha olla").wait_for()
        shoot(visitor, "2-visitor-wrote-390")

        staff = staff_context.new_page()
        staff.goto("/sign-in")
        staff.get_by_label("Käyttäjätunnus").fill(supervisor.username)
        staff.get_by_label("Salasana").fill(supervisor.password)
        staff.get_by_role("button", name="Kirjaudu sisään").click()
        staff.wait_for_load_state()
        staff_watcher = PageWatcher(staff)
        with line.db.sessionmaker() as session:
            ref = session.scalar(select(CallbackRequest.id).where(CallbackRequest.channel == "chat"))
        assert staff_watcher.open(f"/callbacks/{ref}") == []
        staff_thread = staff.locator("#conversation-thread")
        assert staff_thread.get_by_text("Minulla on paha olla").is_visible()

        staff.get_by_label("Vastaa soittajalle").fill("Hei, täällä Sari. Kerro, mikä painaa.")
        staff.get_by_role("button", name="Lähetä vastaus").click()
        staff.wait_for_load_state()
        thread.get_by_text("Hei, täällä Sari.").wait_for(timeout=8_000)  # the visitor's page, no reload
        shoot(visitor, "3-reply-from-page-390")

        visitor.get_by_label("Viestisi").fill("Kiitos. Olen ollut yksin koko viikon.")
        visitor.get_by_role("button", name="Lähetä").click()
        staff_thread.get_by_text("Olen ollut yksin koko viikon").wait_for(timeout=10_000)  # the staff page, no reload
        shoot(staff, "4-staff-page-1366")
        no_layout_problems(staff)

        sms_reply(app, line, supervisor.staff.phone, f"VASTAA {ref} Soitan sinulle, jos haluat.")
        thread.get_by_text("Soitan sinulle, jos haluat.").wait_for(timeout=8_000)
        visitor.set_viewport_size(PHONE)
        shoot(visitor, "5-reply-by-sms-390")
        no_layout_problems(visitor)
        visitor.set_viewport_size(LAPTOP_1366)
        shoot(visitor, "5-reply-by-sms-1366")  # docs/chat.png is the 390 px one

        # Markup is text on both sides: no element made of it, no script run.
        visitor.set_viewport_size(PHONE)
        visitor.get_by_label("Viestisi").fill(MARKUP)
        visitor.get_by_role("button", name="Lähetä").click()
        thread.get_by_text("<b>lihava</b>").wait_for()
        staff_thread.get_by_text("<b>lihava</b>").wait_for(timeout=10_000)
        assert thread.locator("b, img").count() == 0 and visitor.title() != "pwned"
        assert staff_thread.locator("b, img").count() == 0 and staff.title() != "pwned"
        shoot(visitor, "5b-markup-as-text-390")

        stranger = stranger_context.new_page()
        stranger_watcher = PageWatcher(stranger)
        assert stranger_watcher.open("/chat") == []
        stranger.wait_for_timeout(3500)  # a poll has come and gone
        assert stranger.locator("#chat-thread li").count() == 0
        assert stranger.get_by_role("heading", name="Chatta med hjälplinjen").is_visible()
        shoot(stranger, "6-another-browser-sv-390")

        visitor.set_viewport_size(PHONE)
        visitor.get_by_role("button", name="Lopeta keskustelu").click()
        visitor.get_by_text("Keskustelu on päättynyt.").wait_for()
        shoot(visitor, "7-ended-390")
        assert thread.locator("li").count() == 0
        visitor.reload()
        visitor.wait_for_timeout(1000)
        assert thread.locator("li").count() == 0  # gone from this browser for good

        problems = [error for error in watcher.errors] + visitor.evaluate("() => window.__cspViolations || []")
        problems += staff.evaluate("() => window.__cspViolations || []")
        assert problems == []
    finally:
        for context in (visitor_context, staff_context, stranger_context):
            context.close()


def test_outside_office_hours_the_page_says_when_the_line_opens_and_takes_a_number(page, office_hours, clock):
    office_hours()
    clock.set(helsinki("2027-01-11 19:30"))
    watcher = PageWatcher(page)
    assert watcher.open("/chat?lang=en") == []
    assert page.get_by_text("The line is closed now. It opens 12.1.2027 09:00.").is_visible()
    page.get_by_label("Your message").fill("Could someone call me tomorrow?")
    page.get_by_label("Your phone number, if you want a call back (optional)").fill("040 555 1234")
    page.set_viewport_size(PHONE)
    shoot(page, "8-closed-390")
    page.get_by_role("button", name="Send").click()
    page.locator("#chat-thread").get_by_text("Could someone call me tomorrow?").wait_for()
    no_layout_problems(page)
    shoot(page, "9-closed-message-left-390")


def test_the_quick_exit_leaves_at_once_and_the_chat_is_not_in_the_history(page):
    page.route("https://www.google.com/**", lambda route: route.fulfill(body="<title>Google</title>",
                                                                        content_type="text/html"))
    page.goto("/no-such-page")
    page.goto("/chat")
    page.get_by_role("button", name="Poistu sivulta nopeasti").click()
    page.wait_for_url("https://www.google.com/**")
    page.go_back()
    assert page.url.endswith("/no-such-page")
