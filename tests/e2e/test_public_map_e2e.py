"""The public map of help in a real browser, as a phone and as a laptop: no horizontal scrolling,
no Content-Security-Policy violation, no console error; the language links and the search work
without JavaScript of ours; a service's page calls by tel:. Screenshots go to artifacts/screenshots
(or $MAP_SCREENSHOTS)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpline.demo.seed import DEMO_SERVICES
from tests.e2e.conftest import SCREENSHOTS

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
SHOTS = Path(os.environ.get("MAP_SCREENSHOTS") or SCREENSHOTS)
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


@pytest.fixture
def directory(make_service):
    services = [make_service(item.code, item.name, hours=item.hours, name_sv=item.name_sv, name_en=item.name_en,
                             phone=item.phone, url=item.url or None, area=item.area, topics=list(item.topics),
                             languages=list(item.languages), description=item.description,
                             open_on_holidays=item.open_on_holidays)
                for item in DEMO_SERVICES]
    services.append(make_service(
        "SUREVILLE", "Sururyhmä läheisensä menettäneille – Espoonlahden seurakunta", hours=None,
        url="https://www.espoonlahden-seurakunta.example.fi/sururyhmat/syksy-2027-ilmoittautuminen",
        topics=["suru"], area="Espoonlahti", description="Vertaistukiryhmä, joka kokoontuu kahdeksan kertaa."))
    return services


@pytest.fixture
def watched(browser, live_server):
    """A fresh browser context per size, with every console error, page error and CSP violation kept."""
    opened = []

    def open_page(size: str, locale: str = "fi-FI"):
        context = browser.new_context(base_url=live_server, viewport=SIZES[size], locale=locale)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.add_init_script(WATCH_CSP)
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(
            f"{message.text} ({message.location.get('url', '')})"))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        opened.append(context)
        return page

    yield open_page
    for context in opened:
        context.close()


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _check_clean(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert page.evaluate("window.__cspViolations") == []
    assert page.problems == []


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_map_on_a_phone_and_a_laptop_fits_the_screen_and_breaks_no_rule(watched, directory, size):
    page = watched(size)
    page.goto("/services")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mistä apua?")
    expect(page.locator(".map-card")).to_have_count(5)
    expect(page.locator(".map-card", has_text="Kriisipuhelin")).to_contain_text("Avoinna nyt, ympäri vuorokauden.")
    expect(page.locator(".map-card", has_text="Kirkon perheneuvonta")).to_contain_text("Avoinna nyt, klo 15:00 asti.")
    call = page.get_by_role("link", name="Soita: Kirkon perheneuvonta, 09 87654302")
    expect(call).to_have_attribute("href", "tel:+358987654302")
    _check_clean(page)
    _shoot(page, f"map-{size}")

    page.get_by_label("Aihe").select_option("talous")
    page.get_by_role("button", name="Hae").click()
    expect(page.locator(".map-card")).to_have_count(2)
    _check_clean(page)
    _shoot(page, f"map-search-{size}")

    page.get_by_role("link", name="Diakonian ruoka-apu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diakonian ruoka-apu")
    expect(page.locator(".map-week")).to_contain_text("tiistai")
    _check_clean(page)
    _shoot(page, f"map-service-{size}")

    page.goto("/services?q=sururyhm")
    page.get_by_role("link", name="Sururyhmä läheisensä menettäneille – Espoonlahden seurakunta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sururyhmä")
    page.wait_for_load_state()
    _check_clean(page)  # a long name and a long web address wrap instead of widening the page
    _shoot(page, f"map-long-service-{size}")


def test_a_swedish_browser_gets_swedish_and_the_language_links_switch_it(watched, directory):
    page = watched("phone", locale="sv-FI")
    page.goto("/services")
    expect(page.get_by_role("heading", level=1)).to_have_text("Var får jag hjälp?")
    expect(page.locator(".map-card", has_text="Krisjouren")).to_contain_text("Öppet nu, dygnet runt.")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where to get help")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Crisis line", exact=True)).to_be_visible()
    _check_clean(page)
    _shoot(page, "map-english-phone")


def test_the_directory_and_calls_pages_fit_a_phone_and_a_laptop(page, sign_in_as, supervisor, directory, line, clock):
    from datetime import timedelta

    from helpline.models import Call

    with line.db.session() as session:
        session.add(Call(call_sid="CA" + "1" * 32, caller="+358501234567", started_at=clock.now() - timedelta(minutes=20),
                         line_open=True, outcome="answered", answered_by_id=supervisor.staff.id,
                         answered_at=clock.now() - timedelta(minutes=20), ended_at=clock.now() - timedelta(minutes=8),
                         conversation_seconds=700))
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(
        f"{message.text} ({message.location.get('url', '')})"))
    sign_in_as(supervisor)
    for size in ("phone", "laptop"):
        page.set_viewport_size(SIZES[size])
        for path, name in (("/directory/", "directory"), (f"/directory/{directory[0].id}", "directory-form"),
                           ("/directory/import", "directory-import"), ("/calls/", "calls"), ("/calls/1", "call")):
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (path, size)
            _shoot(page, f"{name}-{size}")
    # The staff pages have no favicon of their own yet (the browser asks for /favicon.ico): not ours to judge here.
    assert [problem for problem in problems if "favicon.ico" not in problem] == []
