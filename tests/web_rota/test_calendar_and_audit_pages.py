"""Staff follow their shifts in their own calendar app through a private link they can stop; a
supervisor may follow the whole rota and reads the audit log."""
from __future__ import annotations

import re

from icalendar import Calendar

from .conftest import helsinki, post_form

_URL = re.compile(r'class="feed-url"><a href="([^"]+)"')


def _make_link(client, scope: str = "own") -> str:
    page = post_form(client, "/rota/calendar/new", {"scope": scope}, token_from="/rota/calendar")
    assert page.status_code == 200
    return _URL.search(page.get_data(as_text=True)).group(1)


def test_a_staff_member_s_link_serves_their_shifts_to_a_calendar_app_without_signing_in(
        as_worker, worker, aino, make_shift, app):
    make_shift(worker.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=2)
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    url = _make_link(as_worker)
    assert url.startswith("https://helpline.example.org/calendar/cal_") and url.endswith(".ics")
    path = url.removeprefix("https://helpline.example.org")
    feed = app.test_client().get(path)  # a calendar app: no cookies
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert feed.headers["Cache-Control"] == "private, no-cache"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    assert len(events) == 1
    # In the owner's language (Finnish unless they chose another).
    assert str(events[0]["summary"]) == "Auttava puhelin päivystys, soittojärjestys 2"
    assert events[0].decoded("dtstart") == helsinki("2027-01-12 09:00")
    assert b"TZID=Europe/Helsinki" in feed.data


def test_the_link_is_shown_once_and_stopping_it_ends_the_feed(pekka, app):
    url = _make_link(pekka)
    path = url.removeprefix("https://helpline.example.org")
    page = pekka.get("/rota/calendar").get_data(as_text=True)
    assert path not in page and "You have a link, made" in page
    assert post_form(pekka, "/rota/calendar/revoke", {"scope": "own"}, token_from="/rota/calendar").status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/calendar/cal_not-a-real-secret.ics").status_code == 404


def test_a_new_link_replaces_the_old_one(pekka, app):
    old = _make_link(pekka).removeprefix("https://helpline.example.org")
    new = _make_link(pekka).removeprefix("https://helpline.example.org")
    reader = app.test_client()
    assert (reader.get(old).status_code, reader.get(new).status_code) == (404, 200)


def test_only_a_supervisor_gets_a_feed_of_the_whole_rota(boss, worker, aino, make_shift, app):
    from .conftest import sign_in

    staff_client = app.test_client()
    sign_in(staff_client, worker)
    response = post_form(staff_client, "/rota/calendar/new", {"scope": "rota"}, token_from="/rota/calendar")
    assert response.status_code == 403
    make_shift(worker.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    make_shift(aino, helsinki("2027-01-13 09:00"), helsinki("2027-01-13 15:00"))
    path = _make_link(boss, "rota").removeprefix("https://helpline.example.org")
    events = Calendar.from_ical(app.test_client().get(path).data).walk("VEVENT")
    assert sorted(str(event["summary"]) for event in events) == [
        "Aino Aalto: Helpline, ringing order 100", "Pekka: Helpline, ringing order 100"]


def test_a_supervisor_reads_who_changed_what_in_the_audit_log(boss, aino, make_shift):
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    post_form(boss, f"/rota/shifts/{shift.id}/edit", {"staff_id": str(aino.id), "day": "2027-01-12",
                                                      "starts": "10:00", "ends": "15:00", "priority": "1"})
    html = boss.get("/audit/").get_data(as_text=True)
    assert "Sari (sari)" in html and f"Rota #{shift.id}: changed" in html
    assert "<del>12.1.2027 09:00</del> → <ins>12.1.2027 10:00</ins>" in html
    assert "No changes in this period." in boss.get("/audit/?entity=staff").get_data(as_text=True)
    assert "No changes in this period." in boss.get("/audit/?from=2026-01-01&to=2026-02-01").get_data(as_text=True)
