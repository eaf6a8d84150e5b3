"""A staff member's private calendar feed: a secret that only opens while it is live, and events
that calendar apps can follow as shifts change."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from helpline.audit import Actor
from helpline.rota.feeds import build_calendar, create_feed, feed_shifts, find_feed, live_feeds, revisions, \
    revoke_feeds
from helpline.models import Staff
from helpline.rota.changes import add_shift, change_shift

from conftest import helsinki

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = helsinki("2027-01-11 10:00")


@pytest.fixture
def aino(make_staff):
    return make_staff("Aino", "+358401110001")


@pytest.fixture
def sari(make_staff):
    return make_staff("Sari", "+358401110009", role="supervisor")


def test_a_feed_secret_opens_its_feed_until_a_new_one_replaces_it_or_it_is_revoked(session, aino):
    staff = session.get(Staff, aino.id)
    first = create_feed(session, staff, "own", NOW)
    assert first.startswith("cal_") and find_feed(session, first).staff_id == aino.id
    second = create_feed(session, staff, "own", NOW)
    assert find_feed(session, first) is None and find_feed(session, second) is not None
    assert set(live_feeds(session, aino.id)) == {"own"}
    assert revoke_feeds(session, aino.id, "own", NOW) == 1
    assert find_feed(session, second) is None and live_feeds(session, aino.id) == {}
    assert find_feed(session, "cal_" + "x" * 43) is None and find_feed(session, "") is None


def test_a_feed_stops_when_its_owner_is_deactivated_and_a_rota_feed_when_they_stop_supervising(session, aino, sari):
    own = create_feed(session, session.get(Staff, aino.id), "own", NOW)
    rota = create_feed(session, session.get(Staff, sari.id), "rota", NOW)
    assert find_feed(session, rota).scope == "rota"
    session.get(Staff, aino.id).active = False
    session.get(Staff, sari.id).role = "staff"
    session.flush()
    assert find_feed(session, own) is None and find_feed(session, rota) is None


def test_only_a_supervisor_may_have_a_feed_of_the_whole_rota(session, aino):
    with pytest.raises(PermissionError):
        create_feed(session, session.get(Staff, aino.id), "rota", NOW)


def test_events_carry_a_stable_uid_local_times_with_tzid_and_a_sequence_that_grows_with_each_change(
        session, aino, sari):
    staff, supervisor = session.get(Staff, aino.id), session.get(Staff, sari.id)
    actor = Actor("Sari", "user")
    own_shift = add_shift(session, actor, staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), 1,
                          now=NOW, tz=HELSINKI)
    add_shift(session, actor, supervisor, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), 2, now=NOW,
              tz=HELSINKI)
    later = NOW + timedelta(hours=3)
    change_shift(session, actor, own_shift, staff, own_shift.starts_at, helsinki("2027-01-12 16:00"), 1, now=later,
                 tz=HELSINKI)
    session.commit()
    token = create_feed(session, staff, "own", NOW)
    feed = find_feed(session, token)
    shifts = feed_shifts(session, feed, NOW)
    assert [shift.id for shift in shifts] == [own_shift.id]

    text = build_calendar(shifts, revisions(session, shifts), tz=HELSINKI, name="Helpline: Aino",
                          uid_domain="helpline.example.org", summary=lambda s: f"Helpline duty, priority {s.priority}")
    assert b"DTSTART;TZID=Europe/Helsinki:20270112T090000" in text
    assert b"BEGIN:VTIMEZONE" in text
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["uid"]) == f"shift-{own_shift.id}@helpline.example.org"
    assert str(event["summary"]) == "Helpline duty, priority 1"
    assert event["sequence"] == 1
    assert event.decoded("last-modified") == later == event.decoded("dtstamp")
    assert event.decoded("dtend") == helsinki("2027-01-12 16:00")


def test_a_rota_feed_carries_everyone_s_shifts_within_its_window(session, aino, sari, make_shift):
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    make_shift(sari, helsinki("2027-01-13 09:00"), helsinki("2027-01-13 15:00"))
    make_shift(sari, helsinki("2026-09-01 09:00"), helsinki("2026-09-01 15:00"))  # long past
    feed = find_feed(session, create_feed(session, session.get(Staff, sari.id), "rota", NOW))
    shifts = feed_shifts(session, feed, NOW)
    assert [shift.staff_id for shift in shifts] == [aino.id, sari.id]
    revs = revisions(session, shifts)
    assert {rev.sequence for rev in revs.values()} == {0}
    assert {rev.modified for rev in revs.values()} == {NOW}
