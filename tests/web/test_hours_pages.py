"""Office hours, closures and the public holidays page."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from helpline.models import AuditEntry, Closure, OfficeHoursInterval
from helpline.web.hours import parse_day
from tests.conftest import helsinki
from tests.web.conftest import post_form

WEEK = {f"week-{day}": "" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


@pytest.mark.parametrize(("text", "expected"), [
    ("", []),
    ("09:00-15:00", [(540, 900)]),
    ("9.00–12.00, 13:00 - 15:30", [(540, 720), (780, 930)]),
    ("20:00-24:00", [(1200, 1440)]),
    ("13:00-15:00; 09:00-12:00", [(540, 720), (780, 900)]),
])
def test_a_day_of_office_hours_is_read_as_a_supervisor_writes_it(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["9-15", "15:00-09:00", "09:00-12:00, 11:00-13:00", "25:00-26:00", "morning"])
def test_a_day_that_cannot_be_read_is_refused(app, text):
    with app.test_request_context():
        with pytest.raises(ValueError):
            parse_day(text)


def test_a_supervisor_saves_the_weekly_schedule_and_it_is_audited(as_supervisor, line):
    response = post_form(as_supervisor, "/hours/week", {**WEEK, "week-monday": "09:00-15:00",
                                                        "week-friday": "09:00-12:00, 13:00-15:00"}, token_from="/hours/")
    assert response.status_code == 302
    with line.db.session() as session:
        rows = sorted((r.weekday, r.opens_minute, r.closes_minute) for r in session.scalars(select(OfficeHoursInterval)))
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "office_hours"))
        assert entry.after["friday"] == [["09:00", "12:00"], ["13:00", "15:00"]]
    assert rows == [(0, 540, 900), (4, 540, 720), (4, 780, 900)]
    page = as_supervisor.get("/hours/").get_data(as_text=True)
    assert 'value="09:00-12:00, 13:00-15:00"' in page


def test_a_bad_day_keeps_the_old_schedule_and_says_what_is_wrong(as_supervisor, line, office_hours):
    office_hours()
    response = post_form(as_supervisor, "/hours/week", {**WEEK, "week-monday": "15:00-09:00"}, token_from="/hours/")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "sulkemisajan pitää olla avaamisen jälkeen" in page
    assert 'value="15:00-09:00"' in page
    with line.db.session() as session:
        assert len(session.scalars(select(OfficeHoursInterval)).all()) == 5


def test_a_supervisor_adds_a_whole_day_closure_and_removes_it(as_supervisor, line):
    response = post_form(as_supervisor, "/hours/closures", {"closure-day": "2027-01-20", "closure-reason":
                                                            "Staff training"}, token_from="/hours/")
    assert response.status_code == 302
    with line.db.session() as session:
        closure = session.scalar(select(Closure))
        assert closure.date == date(2027, 1, 20)
        assert closure.starts_at == helsinki("2027-01-20 00:00") and closure.ends_at == helsinki("2027-01-21 00:00")
        closure_id = closure.id
    assert "Staff training" in as_supervisor.get("/hours/").get_data(as_text=True)
    post_form(as_supervisor, f"/hours/closures/{closure_id}/delete", {}, token_from="/hours/")
    with line.db.session() as session:
        assert session.scalar(select(Closure)) is None
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["create", "delete"]


def test_a_closure_span_in_local_time(as_supervisor, line):
    post_form(as_supervisor, "/hours/closures", {"closure-starts_at": "2027-01-20T12:00",
                                                 "closure-ends_at": "2027-01-20T15:00", "closure-reason": "Meeting"},
              token_from="/hours/")
    with line.db.session() as session:
        closure = session.scalar(select(Closure))
    assert (closure.starts_at, closure.ends_at, closure.date) == (
        helsinki("2027-01-20 12:00"), helsinki("2027-01-20 15:00"), None)


@pytest.mark.parametrize(("form", "words"), [
    ({"closure-reason": "x"}, "Anna koko päivä tai sekä alku että loppu."),
    ({"closure-day": "2027-01-20"}, "Kerro syy"),
    ({"closure-day": "2027-01-20", "closure-starts_at": "2027-01-20T12:00", "closure-reason": "x"}, "ei molempia"),
    ({"closure-starts_at": "2027-01-20T15:00", "closure-ends_at": "2027-01-20T12:00", "closure-reason": "x"},
     "Sulun pitää päättyä alkamisensa jälkeen."),
    ({"closure-starts_at": "2027-03-28T03:30", "closure-ends_at": "2027-03-28T05:00", "closure-reason": "x"},
     "kellojen siirron vuoksi"),
])
def test_a_closure_that_cannot_be_understood_is_refused_in_words(as_supervisor, line, form, words):
    response = post_form(as_supervisor, "/hours/closures", form, token_from="/hours/")
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    with line.db.session() as session:
        assert session.scalar(select(Closure)) is None


def test_this_years_public_holidays_are_listed_in_the_readers_language(as_supervisor):
    page = as_supervisor.get("/hours/").get_data(as_text=True)
    assert "Yleiset vapaapäivät 2027" in page
    assert "keskiviikko 6.1.2027: Loppiainen" in page
    assert "perjantai 24.12.2027: Jouluaatto" in page
    post_form(as_supervisor, "/language", {"language": "sv", "next": "/hours/"}, token_from="/hours/")
    assert "Trettondag" in as_supervisor.get("/hours/").get_data(as_text=True)


def test_staff_cannot_reach_the_office_hours_pages(as_worker, line):
    assert as_worker.get("/hours/").status_code == 403
    assert post_form(as_worker, "/hours/week", {**WEEK, "week-monday": "00:00-24:00"}, token_from="/").status_code == 403
    with line.db.session() as session:
        assert session.scalar(select(OfficeHoursInterval)) is None


def test_hours_forms_refuse_a_post_without_the_csrf_token(as_supervisor, line):
    assert as_supervisor.post("/hours/week", data={**WEEK, "week-monday": "09:00-15:00"}).status_code == 400
    assert as_supervisor.post("/hours/closures", data={"closure-day": "2027-01-20",
                                                       "closure-reason": "x"}).status_code == 400
    with line.db.session() as session:
        assert session.scalar(select(OfficeHoursInterval)) is None and session.scalar(select(Closure)) is None
