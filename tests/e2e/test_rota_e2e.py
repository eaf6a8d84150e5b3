"""In a real browser, in Finnish: a supervisor adds a shift, hands one to someone else in two taps,
and is refused a clashing shift with the clash named; a staff member sees only their own shifts."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from helpline.models import Shift
from tests.conftest import helsinki
from tests.e2e.conftest import PHONE


def _owners(session) -> list[tuple[str, str]]:
    session.expire_all()
    return [(shift.staff.name, shift.starts_at.isoformat()) for shift in
            session.scalars(select(Shift).order_by(Shift.starts_at, Shift.id))]


def test_a_supervisor_adds_a_shift_from_the_week_view(page, sign_in_as, supervisor, office_hours, make_staff,
                                                      make_shift, session, screenshot):
    office_hours()
    aino = make_staff("Aino Aalto", "+358401110001")
    bertil = make_staff("Bertil Berg", "+358401110002")
    make_shift(bertil, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=1)
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"), priority=1)
    make_shift(bertil, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=2)
    sign_in_as(supervisor)
    page.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Vuorolista").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vuorolista: 11.1.–17.1.2027")
    expect(page.locator("#day-2027-01-13").locator("..").locator("..")).to_contain_text("09:00–15:00")
    screenshot("rota-week")

    page.locator(".actions").get_by_role("link", name="Lisää vuoro").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lisää vuoro")
    page.get_by_label("Henkilö").select_option(label="Aino Aalto")
    page.get_by_label("Päivämäärä").fill("13.1.2027")  # as the page prints dates, whatever the browser's locale
    page.get_by_label("Alkaa").fill("09:00")
    page.get_by_label("Päättyy").fill("15:00")
    page.get_by_label("Soittojärjestys").fill("1")
    screenshot("rota-add-shift")
    page.get_by_role("button", name="Lisää vuoro").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Lisättiin henkilön Aino Aalto vuoro ke 13.1. 09:00–15:00.")
    wednesday = page.get_by_role("list", name=re.compile("keskiviikko"))
    expect(wednesday).to_contain_text("Aino Aalto")
    expect(wednesday).to_contain_text("soittojärjestys 1")
    assert ("Aino Aalto", "2027-01-13T07:00:00+00:00") in _owners(session)
    screenshot("rota-week-after-add")
    page.set_viewport_size(PHONE)
    screenshot("rota-week-phone")


def test_a_supervisor_hands_a_shift_to_someone_else_in_two_taps(page, sign_in_as, supervisor, make_staff, make_shift,
                                                                session, screenshot):
    aino = make_staff("Aino Aalto", "+358401110001")
    make_staff("Bertil Berg", "+358401110002")
    cecilia = make_staff("Cecilia Carlsson", "+358401110003")
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=1)
    make_shift(cecilia, helsinki("2027-01-12 12:00"), helsinki("2027-01-12 18:00"), priority=2)
    sign_in_as(supervisor)
    page.goto("/rota/")

    page.get_by_role("link", name=re.compile(r"^Luovuta Aino Aalto")).click()  # tap 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Luovuta vuoro")
    expect(page.locator(".busy").first).to_contain_text("Cecilia Carlsson: varattu ti 12.1. 12:00–18:00")
    screenshot("rota-hand-over")
    page.get_by_role("button", name="Anna henkilölle Bertil Berg").click()  # tap 2

    expect(page.get_by_role("status").first).to_contain_text(
        "Bertil Berg hoitaa nyt henkilön Aino Aalto vuoron ti 12.1. 09:00–15:00.")
    assert _owners(session) == [("Bertil Berg", "2027-01-12T07:00:00+00:00"),
                                ("Cecilia Carlsson", "2027-01-12T10:00:00+00:00")]
    screenshot("rota-after-hand-over")


def test_the_rota_page_refuses_a_clashing_shift_and_names_the_clash(page, sign_in_as, supervisor, make_staff,
                                                                    make_shift, session, screenshot):
    aino = make_staff("Aino Aalto", "+358401110001")
    make_shift(aino, helsinki("2027-01-12 08:00"), helsinki("2027-01-12 12:00"), priority=1)
    sign_in_as(supervisor)
    page.goto("/rota/shifts/new?date=2027-01-12")
    expect(page.get_by_label("Päivämäärä")).to_have_value("12.1.2027")
    page.get_by_label("Henkilö").select_option(label="Aino Aalto")
    page.get_by_label("Alkaa").fill("11:00")
    page.get_by_label("Päättyy").fill("15:00")
    page.get_by_role("button", name="Lisää vuoro").click()

    expect(page.get_by_role("alert")).to_have_text(
        "Henkilöllä Aino Aalto on jo vuoro ti 12.1. 08:00–12:00, joka on päällekkäin ajan ti 12.1. 11:00–15:00 "
        "kanssa.")
    expect(page.get_by_label("Alkaa")).to_have_value("11:00")  # what was typed is kept
    assert _owners(session) == [("Aino Aalto", "2027-01-12T06:00:00+00:00")]
    screenshot("rota-clash-refused")


def test_a_staff_member_sees_only_their_own_shifts_on_the_rota(page, sign_in_as, worker, make_staff, make_shift,
                                                               screenshot):
    aino = make_staff("Aino Aalto", "+358401110001")
    make_shift(worker.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"), priority=1)
    make_shift(aino, helsinki("2027-01-12 12:00"), helsinki("2027-01-12 15:00"), priority=1)
    sign_in_as(worker)
    page.goto("/rota/")
    expect(page.locator(".shift-list li.mine")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Aino Aalto")
    expect(page.get_by_role("link", name="Lisää vuoro")).to_have_count(0)
    screenshot("rota-staff")
