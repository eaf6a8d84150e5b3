"""Stored day rollups (on SQLite and PostgreSQL) give the same figures as the row-by-row
computation: a generated fortnight over the spring DST Sunday, each week in it, and the recorded
days before and after retention masked their numbers.

Work in progress (issue 15, item 1): the pages do not read the rollups yet."""
from __future__ import annotations

import random
from datetime import date, timedelta

from helpline.metrics import rollup
from helpline.metrics.load import load_services, metrics_for
from helpline.metrics.compute import Period
from helpline.metrics.response import ResponseTarget
from helpline.metrics.rollup_store import day_period, period_total, refresh_days
from sqlalchemy import select

from helpline.metrics.rows import StaffRow
from helpline.models import Staff, Call, CallbackRequest, FeedbackRequest, MetricsDay, OutboundSms
from helpline.queue.retention import purge_expired

from tests.metrics.conftest import at
from tests.metrics.test_retention import retained, twilio  # noqa: F401 (fixtures)
from tests.metrics.test_rollup import figures_row_by_row

FIRST, END = date(2027, 3, 22), date(2027, 4, 5)  # Monday to Monday; Sunday 28 March has 23 hours


def figures_from_store(session, first: date, end: date, now) -> dict:
    total = period_total(session, first, end)
    assert total is not None, "every day of the period is stored"
    staff = tuple(StaffRow(person.id, person.name, person.active) for person in session.scalars(select(Staff)))
    services = tuple(load_services(session))
    return {"staff_load": rollup.staff_load(total, staff), "conversations": rollup.conversations(total),
            "response": rollup.response_times(total, ResponseTarget(), now), "contacts": rollup.contacts(total),
            "heat_map": rollup.heat_map(total), "outcomes": rollup.outcomes(total), "topics": rollup.topics(total),
            "sms": rollup.sms(total), "satisfaction": rollup.satisfaction(total), "pulse": rollup.pulse(total),
            "referrals": rollup.referrals(total, services), "map_views": rollup.map_views(total, services)}


def generate_fortnight(line, rng: random.Random) -> None:
    start, seconds = day_period(FIRST, line.settings).start, int((day_period(END, line.settings).start
                                                                  - day_period(FIRST, line.settings).start).total_seconds())
    still_open: set[str] = set()  # a caller has at most one open callback
    with line.db.session() as session:
        for index in range(300):
            started = start + timedelta(seconds=rng.randrange(seconds))
            withheld = rng.random() < 0.1
            caller = None if withheld else f"+35840100{rng.randrange(60):04d}"
            outcome = rng.choice(["answered", "answered", "voicemail", "no_message"])
            callback_id = None
            if outcome != "answered" and caller:
                closed = None
                if rng.random() < 0.8 or caller in still_open:
                    closed = started + timedelta(hours=rng.randrange(1, 100))
                else:
                    still_open.add(caller)
                callback = CallbackRequest(
                    caller=caller, status="closed" if closed else "new", created_at=started, last_call_at=started,
                    closed_at=closed, outcome=rng.choice(["resolved", "referred"]) if closed else None,
                    topic=rng.choice(["Grief", "grief", "money", None]) if closed else None, next_action=None)
                session.add(callback)
                session.flush()
                callback_id = callback.id
                if closed:
                    answered = rng.random() < 0.5
                    session.add(FeedbackRequest(callback_id=callback.id, caller=caller, created_at=closed,
                                                asked_at=closed + timedelta(minutes=30),
                                                score=rng.randrange(1, 6) if answered else None,
                                                answered_at=closed + timedelta(hours=1) if answered else None,
                                                comment=rng.choice([None, f"kiitos {index}"]) if answered else None))
            session.add(Call(call_sid=f"CA{index:032x}", caller=caller, caller_withheld=withheld, started_at=started,
                             line_open=rng.random() < 0.5, outcome=outcome, callback_id=callback_id,
                             conversation_seconds=rng.randrange(1, 900) if outcome == "answered" else None))
            session.add(OutboundSms(to_number="+358401009999", body="x", purpose="assignment",
                                    dedupe_key=f"gen-{index}", created_at=started + timedelta(minutes=5),
                                    status=rng.choice(["sent", "delivered", "failed", "suppressed"])))


def test_a_supervisor_gets_the_same_figures_from_stored_days_as_from_the_rows(line, office_hours, clock):
    office_hours()
    generate_fortnight(line, random.Random(15))
    now = at("2027-04-20 12:00")
    with line.db.session() as session:
        assert refresh_days(session, line.settings, rollup.days_of(FIRST, END), now) == 14
    with line.db.session() as session:
        assert session.get(MetricsDay, date(2027, 3, 28)).parts["calls"]["counts"]["calls"] > 0
        expected = metrics_for(session, line.settings, Period(day_period(FIRST, line.settings).start,
                                                              day_period(END, line.settings).start), now)
        assert expected.period.contacts.calls == 300
        assert figures_from_store(session, FIRST, END, now) == figures_row_by_row(expected.period)
        for week in expected.weeks:
            first, end = (moment.astimezone(line.settings.timezone).date() for moment in (week.figures.start,
                                                                                          week.figures.end))
            assert figures_from_store(session, first, end, now) == figures_row_by_row(week.figures), week.label


def test_a_refresh_after_a_change_replaces_the_day_and_a_missing_day_reads_as_not_stored(line, office_hours):
    office_hours()
    now = at("2027-04-20 12:00")
    with line.db.session() as session:
        refresh_days(session, line.settings, [date(2027, 3, 28)], now)
        assert period_total(session, date(2027, 3, 28), date(2027, 3, 29))["calls"]["counts"].get("calls", 0) == 0
        assert period_total(session, date(2027, 3, 28), date(2027, 3, 30)) is None
        session.add(Call(call_sid="CA" + "f" * 32, caller="+358401000001", caller_withheld=False,
                         started_at=at("2027-03-28 23:30"), line_open=False, outcome="no_message"))
        session.flush()
        refresh_days(session, line.settings, [date(2027, 3, 28)], now)
        assert period_total(session, date(2027, 3, 28), date(2027, 3, 29))["calls"]["counts"]["calls"] == 1


def test_the_stored_days_keep_their_figures_and_repeat_callers_after_retention(retained, recorded_days):
    days, now = rollup.days_of(date(2027, 1, 11), date(2027, 1, 13)), at("2027-01-13 12:00")
    period = Period(recorded_days.period_start, recorded_days.period_end)
    with retained.db.session() as session:
        refresh_days(session, retained.settings, days, now)
    with retained.db.session() as session:
        before = figures_from_store(session, days[0], days[-1] + timedelta(days=1), now)
        assert before == figures_row_by_row(metrics_for(session, retained.settings, period, now).period)
        assert before["contacts"].repeat_callers == 1

    purge_expired(retained, at("2027-04-13 09:00"))  # numbers masked, recordings deleted
    with retained.db.session() as session:
        assert figures_from_store(session, days[0], days[-1] + timedelta(days=1), now) == before
        refresh_days(session, retained.settings, days, now)  # folded again from the masked rows
    with retained.db.session() as session:
        assert figures_from_store(session, days[0], days[-1] + timedelta(days=1), now) == before
