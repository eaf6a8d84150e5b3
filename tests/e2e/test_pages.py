"""In a real browser: signing in, closing a callback, and a staff member seeing only their own."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from helpline.models import CallbackRequest
from tests.conftest import helsinki
from tests.e2e.conftest import PHONE


def test_a_supervisor_signs_in_and_sees_today(page, sign_in_as, supervisor, office_hours, make_staff, make_shift,
                                              make_callback, screenshot):
    office_hours()
    aino = make_staff("Aino Aaltonen", "+358401110001")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 12:00"), priority=1)
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=1)
    make_callback("+358401000001", assignee=aino, message=True,
                  age_minutes=95)
    make_callback("+358501000002", age_minutes=20)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
    screenshot("sign-in")
    page.get_by_label("Käyttäjätunnus").fill("sari")
    page.get_by_label("Salasana").fill("wrong password")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("alert")).to_contain_text("Käyttäjätunnus tai salasana on väärin.")
    sign_in_as(supervisor)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Tänään")
    expect(page.locator("#line-status")).to_contain_text("Linja on auki.")
    expect(page.get_by_role("navigation", name="Päävalikko")).to_contain_text("Henkilöstö")
    gaps = page.locator(".warnings li")
    expect(gaps.first).to_contain_text("maanantai 11.1.2027 12:00–15:00")
    expect(page.locator("table tbody tr")).to_have_count(2)
    screenshot("today-supervisor")
    page.set_viewport_size(PHONE)
    screenshot("today-supervisor-phone")


def test_a_supervisor_closes_a_callback(page, sign_in_as, supervisor, line, make_callback, screenshot):
    ref = make_callback("+358401000001", message=True, age_minutes=130)
    sign_in_as(supervisor)
    page.get_by_role("link", name="Soittopyynnöt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soittopyynnöt")
    screenshot("callbacks-list")
    page.get_by_role("link", name=f"#{ref}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{ref}")
    page.get_by_role("button", name="Sulje soittopyyntö").click()  # without an outcome
    expect(page.locator(".error")).to_contain_text("Valitse, miten se päättyi.")
    page.get_by_label("hoidettu").check()
    page.get_by_label("Aihe").fill("yksinäisyys")
    page.get_by_label("Muistiinpano").fill("Puhuttiin puoli tuntia.")
    screenshot("callback-detail")
    page.get_by_role("button", name="Sulje soittopyyntö").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Soittopyyntö #{ref} on suljettu.")
    expect(page.locator(".timeline")).to_contain_text("Suljettu: hoidettu")
    expect(page.get_by_role("button", name="Sulje soittopyyntö")).to_have_count(0)
    screenshot("callback-closed")
    with line.db.session() as session:
        callback = session.scalar(select(CallbackRequest).where(CallbackRequest.id == ref))
        assert (callback.status, callback.outcome, callback.topic) == ("closed", "resolved", "yksinäisyys")


def test_a_staff_member_sees_only_their_own_data(page, sign_in_as, worker, office_hours, make_staff, make_shift,
                                                 make_callback, screenshot):
    office_hours()
    aino = make_staff("Aino Aaltonen", "+358401110001")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    make_shift(worker.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    mine = make_callback("+358401000001", assignee=worker.staff, message=True)
    theirs = make_callback("+358401000002", assignee=aino)

    sign_in_as(worker)
    expect(page.locator("#my-shifts")).to_be_visible()
    expect(page.locator("main")).to_contain_text("tiistai 12.1.2027 09:00–15:00")
    expect(page.locator("main")).not_to_contain_text("Aino")
    expect(page.get_by_role("link", name=f"#{mine}")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{theirs}")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Päävalikko")
    expect(nav).not_to_contain_text("Henkilöstö")
    expect(nav).not_to_contain_text("Aukioloajat")
    screenshot("today-staff")
    page.set_viewport_size(PHONE)
    screenshot("today-staff-phone")

    page.goto(f"/callbacks/{theirs}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ei löytynyt")
    page.goto("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ei sinun roolillesi")
    page.goto("/callbacks/?status=all")
    expect(page.locator("table tbody tr")).to_have_count(1)


def test_the_supervisor_pages_look_right(page, sign_in_as, supervisor, worker, office_hours, make_closure,
                                         screenshot):
    office_hours()
    make_closure(helsinki("2027-01-20 00:00"), helsinki("2027-01-21 00:00"), "Henkilöstön koulutus")
    sign_in_as(supervisor)
    page.get_by_role("link", name="Henkilöstö").click()
    expect(page.locator("table")).to_contain_text("Pekka")
    screenshot("staff-list")
    page.get_by_role("link", name="Lisää henkilö").click()
    page.get_by_label("Nimi").fill("Aino Aaltonen")
    page.get_by_label("Puhelin").fill("040 11")
    page.get_by_role("button", name="Lisää").click()
    expect(page.locator(".error")).to_contain_text("ei ole puhelinnumero, johon voimme soittaa")
    screenshot("staff-form-error")
    page.get_by_label("Puhelin").fill("040 111 0001")
    page.get_by_label("ruotsi").check()
    page.get_by_role("button", name="Lisää").click()
    expect(page.get_by_role("status").first).to_contain_text("Aino Aaltonen lisättiin.")
    page.get_by_role("link", name="Aukioloajat").click()
    expect(page.get_by_label("maanantai")).to_have_value("09:00-15:00")
    expect(page.locator("#holidays ~ ul, section[aria-labelledby=holidays] ul")).to_contain_text("Loppiainen")
    screenshot("hours")
    page.set_viewport_size(PHONE)
    screenshot("hours-phone")
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Öppettider och stängningar")
