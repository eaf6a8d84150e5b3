"""The figures read from stored day rollups (helpline.metrics.period.metrics_for) equal the
figures computed from every row (helpline.metrics.load.metrics_from_rows), on SQLite and
PostgreSQL: a generated fortnight over the spring DST Sunday, each week in it, partial days at a
period's ends, today and yesterday; after changes to rows of stored days, before and after the
refresh folds them again; and the recorded days before and after retention masked their numbers.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, event, func, select, update

from helpline.metrics.compute import Period
from helpline.metrics.load import metrics_from_rows
from helpline.metrics.period import metrics_for
from helpline.metrics.rollup_store import day_period, days_period, refresh
from helpline.models import (Call, CallbackCall, CallbackRequest, CallWrapUp, Closure, FeedbackRequest, MetricsDay,
                             MetricsStale, OutboundSms, PulseQuestion, ServiceView, Staff)
from helpline.queue.metrics_jobs import refresh_metrics_days
from helpline.queue.sweep import METRICS_EVERY, METRICS_TURN_KEY, run_sweep
from helpline.queue.retention import purge_expired
from helpline.services import use_services

from tests.metrics.conftest import at
from tests.twilio_line import run_worker, worker_line  # noqa: F401 (fixtures)
from tests.metrics.test_retention import retained, twilio  # noqa: F401 (fixtures)

FIRST, END = date(2027, 3, 22), date(2027, 4, 5)  # Monday to Monday; Sunday 28 March has 23 hours
NOW = at("2027-04-20 12:00")


def same_figures(line, period: Period, now=NOW) -> None:
    """The reader's figures are the row-by-row figures, the period and every week."""
    with line.db.session() as session:
        assert metrics_for(session, line.settings, period, now) == metrics_from_rows(session, line.settings, period, now)


def fortnight(line) -> Period:
    return days_period(FIRST, END, line.settings)


def stored_days(line) -> int:
    with line.db.session() as session:
        return session.scalar(select(func.count()).select_from(MetricsDay))


def marks(line) -> int:
    with line.db.session() as session:
        return session.scalar(select(func.count()).select_from(MetricsStale))


def refreshed(line, now=NOW):
    with line.db.session() as session:
        return refresh(session, line.settings, now, days=400)


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


@pytest.fixture
def folded_fortnight(line, office_hours, clock):
    """The fortnight generated, the clock at NOW, and every day up to two days ago folded."""
    office_hours()
    generate_fortnight(line, random.Random(15))
    clock.set(NOW)
    report = refreshed(line)
    assert (report.folded, report.left) == ((date(2027, 4, 18) - FIRST).days, 0)  # 22 March to 17 April
    assert marks(line) == 0
    return line


def test_the_figures_read_from_stored_days_equal_the_figures_from_rows(folded_fortnight):
    line = folded_fortnight
    same_figures(line, fortnight(line))
    same_figures(line, Period(at("2027-03-24 13:17"), at("2027-04-02 08:05")))  # partial days at both ends
    same_figures(line, Period(at("2027-03-27 00:00"), at("2027-03-29 00:00")))  # the DST weekend
    same_figures(line, Period(at("2027-03-22 00:00"), NOW))  # up to now: yesterday and today from rows
    same_figures(line, Period(at("2027-04-20 00:00"), at("2027-04-21 00:00")), now=at("2027-04-20 23:00"))


def test_stale_days_scattered_over_a_period_are_read_from_one_load_of_its_rows(folded_fortnight, monkeypatch):
    line = folded_fortnight
    with line.db.session() as session:
        session.add_all(MetricsStale(at=at(f"2027-03-{day} 12:00")) for day in range(22, 32, 2))  # 5 stretches
    monkeypatch.setattr("helpline.metrics.period.MAX_GAPS", 3)
    same_figures(line, fortnight(line))


def test_the_stored_days_are_what_is_read_until_a_mark_says_one_is_stale(folded_fortnight):
    line = folded_fortnight
    with line.db.session() as session:
        calls = metrics_for(session, line.settings, fortnight(line), NOW).period.contacts.calls
        day = session.get(MetricsDay, date(2027, 3, 23))
        parts = dict(day.parts)
        parts["calls"] = {**parts["calls"], "counts": {**parts["calls"]["counts"],
                                                       "calls": parts["calls"]["counts"].get("calls", 0) + 1000}}
        day.parts = parts  # the stored value tampered with (metrics_day is no source: no mark)
    with line.db.session() as session:
        assert metrics_for(session, line.settings, fortnight(line), NOW).period.contacts.calls == calls + 1000
        session.add(MetricsStale(at=at("2027-03-23 12:00")))
    same_figures(line, fortnight(line))  # the marked day comes from rows again
    refreshed(line)
    same_figures(line, fortnight(line))
    assert marks(line) == 0


def _close_an_old_callback(session) -> None:
    callback = session.scalars(select(CallbackRequest).where(CallbackRequest.closed_at.is_(None))
                               .order_by(CallbackRequest.created_at)).first()
    callback.status, callback.closed_at, callback.outcome, callback.topic = "closed", NOW, "referred", "Debt"


def _call_back_an_old_callback(session) -> None:
    callback = session.scalars(select(CallbackRequest).where(CallbackRequest.closed_at.is_(None))
                               .order_by(CallbackRequest.created_at.desc())).first()
    session.add(CallbackCall(callback_id=callback.id, attempt_number=1, staff_phone="+358401110002",
                             caller=callback.caller, requested_at=NOW, status="ended", result="answered",
                             conversation_seconds=60))


def _wrap_up_an_old_call(session) -> None:
    call = session.scalars(select(Call).where(Call.outcome == "answered").order_by(Call.started_at)).first()
    session.add(CallWrapUp(call_id=call.id, outcome="referred", topic="Housing", via="web", at=NOW))


def _an_old_sms_fails(session) -> None:
    sms = session.scalars(select(OutboundSms).where(OutboundSms.status == "sent").order_by(OutboundSms.id)).first()
    sms.status = "undelivered"


def _old_sms_fail_in_bulk(session) -> None:
    session.execute(update(OutboundSms).where(OutboundSms.status == "delivered", OutboundSms.id % 3 == 0)
                    .values(status="failed"))


def _a_feedback_answer_comes_late(session) -> None:
    feedback = session.scalars(select(FeedbackRequest).where(FeedbackRequest.score.is_(None))
                               .order_by(FeedbackRequest.id)).first()
    feedback.score, feedback.answered_at = 5, NOW


def _an_old_call_is_retimed(session) -> None:
    call = session.scalars(select(Call).order_by(Call.started_at.desc())).first()
    call.started_at = at("2027-03-22 00:30")  # moved to another stored day: both days change


def _a_closure_is_added(session) -> None:  # the response deadlines change: the calendar's version
    session.add(Closure(starts_at=at("2027-03-24 00:00"), ends_at=at("2027-03-26 00:00"), reason="retreat",
                        created_at=NOW))


CHANGES = [_close_an_old_callback, _call_back_an_old_callback, _wrap_up_an_old_call, _an_old_sms_fails,
           _old_sms_fail_in_bulk, _a_feedback_answer_comes_late, _an_old_call_is_retimed, _a_closure_is_added]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_a_change_to_a_stored_day_is_seen_at_once_and_folded_by_the_next_refresh(folded_fortnight, change):
    line = folded_fortnight
    with line.db.session() as session:
        before = metrics_for(session, line.settings, fortnight(line), NOW)
    with line.db.session() as session:
        change(session)
    with line.db.session() as session:
        assert metrics_from_rows(session, line.settings, fortnight(line), NOW) != before, "the change shows"
    same_figures(line, fortnight(line))  # at once, before any refresh
    with use_services(line):
        assert refresh_metrics_days().endswith(" 0 left")
    assert marks(line) == 0
    same_figures(line, fortnight(line))
    assert refreshed(line).folded == 0  # nothing left to fold


def test_a_deleted_staff_member_makes_every_day_stale(folded_fortnight):
    # The database sets their rows' staff to NULL on every day it holds (ON DELETE SET NULL).
    line = folded_fortnight
    with line.db.session() as session:
        person = Staff(name="Cecilia", phone="+358401110009", created_at=NOW)
        session.add(person)
        session.flush()
        session.execute(update(Call).where(Call.id.in_(select(Call.id).where(Call.outcome == "answered").limit(3)))
                        .values(answered_by_id=person.id))
    assert refreshed(line).folded > 0
    same_figures(line, fortnight(line))
    with line.db.session() as session:
        session.delete(session.scalars(select(Staff).where(Staff.name == "Cecilia")).one())
    same_figures(line, fortnight(line))
    report = refreshed(line)
    assert report.cleared and stored_days(line) == 0 and marks(line) == 0
    assert report.left == (date(2027, 4, 18) - FIRST).days  # every day, for the next batches
    assert refreshed(line).folded == (date(2027, 4, 18) - FIRST).days
    same_figures(line, fortnight(line))


def test_a_change_to_the_present_leaves_no_mark_and_is_read_from_rows(folded_fortnight, clock):
    line = folded_fortnight
    with line.db.session() as session:
        session.add(Call(call_sid="CA" + "e" * 32, caller="+358401000001", caller_withheld=False, started_at=NOW,
                         line_open=True, outcome="answered", conversation_seconds=30))
    assert marks(line) == 0
    same_figures(line, Period(at("2027-04-19 00:00"), at("2027-04-21 00:00")))
    later = NOW + timedelta(days=3)
    clock.set(later)
    assert date(2027, 4, 20) not in _stored(line)
    assert refreshed(line, later).folded == 3  # 18, 19 and 20 April
    with line.db.session() as session:
        assert session.get(MetricsDay, date(2027, 4, 20)).parts["calls"]["counts"]["calls"] == 1
    same_figures(line, Period(at("2027-04-19 00:00"), at("2027-04-21 00:00")), now=later)


def _stored(line) -> list[date]:
    with line.db.session() as session:
        return list(session.scalars(select(MetricsDay.day)))


def test_a_map_view_of_a_past_day_marks_that_local_day(folded_fortnight, make_service):
    line = folded_fortnight
    service = make_service("DIAK", "Diakonia")
    with line.db.session() as session:
        session.add(ServiceView(service_id=service.id, day=date(2027, 3, 28), views=7))
    assert marks(line) == 1
    same_figures(line, fortnight(line))
    with line.db.session() as session:
        session.execute(delete(ServiceView))  # a bulk delete: its rows' days are marked first
    same_figures(line, fortnight(line))


def test_the_stored_days_keep_their_figures_and_repeat_callers_after_retention(retained, recorded_days, clock):
    now = at("2027-01-20 12:00")
    period = Period(recorded_days.period_start, recorded_days.period_end)
    clock.set(now)
    assert refreshed(retained, now).folded == 7  # 11 to 17 January
    with retained.db.session() as session:
        before = metrics_for(session, retained.settings, period, now)
        assert before == metrics_from_rows(session, retained.settings, period, now)
        assert before.period.contacts.repeat_callers == 1

    clock.set(at("2027-04-13 09:00"))
    purge_expired(retained, at("2027-04-13 09:00"))  # numbers masked, recordings deleted
    same_figures(retained, period, now)
    with retained.db.session() as session:
        assert metrics_for(session, retained.settings, period, now) == before
    refreshed(retained, at("2027-04-13 09:00"))  # folded again from the masked rows
    assert marks(retained) == 0
    with retained.db.session() as session:
        assert metrics_for(session, retained.settings, period, now) == before


def test_a_change_committed_while_a_refresh_folds_its_day_keeps_its_mark(folded_fortnight):
    line = folded_fortnight
    if line.db.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the refresh holds the database's write lock: no write can run beside it")
    with line.db.session() as session:
        _close_an_old_callback(session)  # marks the day the callback was taken, for the refresh to fold
        taken = session.scalars(select(CallbackRequest.created_at).where(CallbackRequest.closed_at == NOW)).one()
    day = day_period(taken.astimezone(line.settings.timezone).date(), line.settings)
    wrote: list[int] = []

    def write_beside(_connection, _cursor, statement, *_args) -> None:
        # The refresh has read the marks and starts loading the day's calls: another transaction
        # wraps up a call of that day and commits before the refresh goes on.
        if not wrote and "FROM call LEFT OUTER JOIN call_wrap_up" in statement:
            wrote.append(1)
            with line.db.session() as other:
                call = other.scalars(select(Call).where(Call.started_at >= day.start, Call.started_at < day.end,
                                                        Call.outcome == "answered")).first()
                other.add(CallWrapUp(call_id=call.id, outcome="referred", topic="Beside", via="web", at=NOW))

    event.listen(line.db.engine, "before_cursor_execute", write_beside)
    try:
        assert refreshed(line).folded == 1
    finally:
        event.remove(line.db.engine, "before_cursor_execute", write_beside)
    assert wrote and marks(line) == 1  # the wrap-up's mark outlived the refresh that could not see it
    same_figures(line, fortnight(line))
    assert refreshed(line).folded == 1 and marks(line) == 0
    same_figures(line, fortnight(line))


def test_the_sweep_queues_the_refresh_every_few_minutes_and_a_worker_folds_the_days(
        line, office_hours, clock, worker_line, run_worker, redis):
    office_hours()
    generate_fortnight(line, random.Random(15))
    clock.set(NOW)
    redis.delete(METRICS_TURN_KEY)
    run_sweep(worker_line, now=NOW, reconcile_every=None, metrics_every=METRICS_EVERY)
    run_sweep(worker_line, now=NOW, reconcile_every=None, metrics_every=METRICS_EVERY)  # not its turn again
    run_worker()
    assert stored_days(line) == (date(2027, 4, 18) - FIRST).days
    same_figures(line, fortnight(line))


def test_a_question_asked_late_in_a_pulse_round_changes_the_round_s_first_day(folded_fortnight):
    # A round counts on its first question's day; the upsert the pulse job uses is an INSERT
    # statement, which no flush sees.
    from helpline.sms.outbox import insert_ignoring_conflicts

    line = folded_fortnight
    with line.db.session() as session:
        first, second = (Staff(name=name, phone=phone, created_at=NOW)
                         for name, phone in (("Aino", "+358401110001"), ("Bertil", "+358401110002")))
        session.add_all([first, second])
        session.flush()
        session.add(PulseQuestion(survey="2027-03", staff_id=first.id, asked_at=at("2027-03-23 10:00")))
    refreshed(line)
    with line.db.session() as session:
        session.execute(insert_ignoring_conflicts(session, PulseQuestion)
                        .values(survey="2027-03", staff_id=second.id, asked_at=NOW, answered=False)
                        .on_conflict_do_nothing(index_elements=["survey", "staff_id"]))
    with line.db.session() as session:
        assert metrics_from_rows(session, line.settings, fortnight(line), NOW).period.pulse[0].asked == 2
    same_figures(line, fortnight(line))
