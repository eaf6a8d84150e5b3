"""The Today page: open or closed, who is on duty now and next, what waits, and the rota's gaps."""
from __future__ import annotations

from datetime import timedelta

from tests.conftest import helsinki


def test_a_supervisor_sees_the_line_open_and_when_it_closes(as_supervisor, office_hours):
    office_hours()  # Mon-Fri 09-15; the clock says Monday 10:00
    page = as_supervisor.get("/").get_data(as_text=True)
    assert "Linja on auki." in page
    assert "15.00" in page or "15:00" in page


def test_on_a_holiday_the_page_says_so_and_when_the_line_next_opens(as_supervisor, office_hours, clock):
    office_hours()
    clock.set(helsinki("2027-01-06 10:00"))  # Epiphany, a Wednesday
    post = as_supervisor.get("/").get_data(as_text=True)
    assert "Linja on suljettu." in post
    assert "Tänään on yleinen vapaapäivä." in post
    assert "7.1.2027" in post


def test_who_is_on_duty_now_is_listed_in_ringing_order(as_supervisor, office_hours, make_staff, make_shift):
    office_hours()
    second = make_staff("Bertil", "+358401110002")
    first = make_staff("Aino", "+358401110001")
    make_shift(second, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=2)
    make_shift(first, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"), priority=1)
    page = as_supervisor.get("/").get_data(as_text=True)
    now_section = page[page.index('id="on-duty-now"'):page.index('id="on-duty-next"')]
    assert now_section.index("Aino") < now_section.index("Bertil")


def test_who_is_on_duty_next_starts_at_the_next_shift(as_supervisor, office_hours, make_staff, make_shift):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    page = as_supervisor.get("/").get_data(as_text=True)
    next_section = page[page.index('id="on-duty-next"'):page.index('id="open-callbacks"')]
    assert "Aino" in next_section and "12.1.2027" in next_section
    assert "Kukaan ei ole vuorossa juuri nyt." in page


def test_every_coming_gap_this_week_and_next_is_warned_of(as_supervisor, office_hours, make_staff, make_shift):
    office_hours()
    aino = make_staff("Aino")
    day = helsinki("2027-01-11 09:00")
    # Everything covered for two weeks except Tuesday 12-15 and next Friday.
    for offset in range(12):
        start = day + timedelta(days=offset)
        if start.weekday() >= 5 or offset == 11:
            continue
        end = start + timedelta(hours=3 if offset == 1 else 6)
        make_shift(aino, start, end)
    page = as_supervisor.get("/").get_data(as_text=True)
    gaps = page[page.index('id="gaps"'):]
    assert gaps.count("<li>") == 2
    assert "tiistai 12.1.2027 12:00–15:00" in gaps
    assert "perjantai 22.1.2027 09:00–15:00" in gaps


def test_open_callbacks_are_listed_oldest_first_with_status_assignee_and_age(as_supervisor, make_callback, make_staff):
    aino = make_staff("Aino")
    newer = make_callback("+358401000001", age_minutes=30)
    older = make_callback("+358401000002", assignee=aino, age_minutes=150)
    make_callback("+358401000003", status="closed")
    page = as_supervisor.get("/").get_data(as_text=True)
    table = page[page.index('id="open-callbacks"'):page.index('id="gaps"')]
    assert table.index(f"#{older}") < table.index(f"#{newer}")
    assert "Aino" in table and "2 tuntia" in table and "30 minuuttia" in table
    assert table.count("/callbacks/") == 2


def test_a_staff_member_sees_only_their_own_shifts_and_callbacks(as_worker, worker, make_staff, make_shift,
                                                                   make_callback, office_hours):
    office_hours()
    aino = make_staff("Aino", "+358401110001")
    make_shift(aino, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    make_shift(worker.staff, helsinki("2027-01-13 09:00"), helsinki("2027-01-13 12:00"))
    mine = make_callback("+358401000001", assignee=worker.staff)
    theirs = make_callback("+358401000002", assignee=aino)
    page = as_worker.get("/").get_data(as_text=True)
    assert "keskiviikko 13.1.2027 09:00–12:00" in page
    assert f"#{mine}" in page and f"#{theirs}" not in page
    assert "Aino" not in page
    assert "Aukot vuorolistassa" not in page
