"""Day rollups give the same figures as the row-by-row functions, for generated months that
include both DST Sundays of Europe/Helsinki, whole periods and each ISO week in them.

Work in progress (issue 15, item 1): the pure half. The stored rollups, the jobs that keep them
and the loader that reads them are not built yet (docs/architecture.md)."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from helpline.metrics import rollup
from helpline.metrics.compute import Period, compute
from helpline.metrics.response import Deadlines, ResponseTarget
from helpline.rota.rules import LineCalendar, WeeklySchedule
from helpline.metrics.figures import HOLDER_EVENTS
from helpline.metrics.rows import (AttemptRow, CallbackRow, CallRow, ConversationRow, EventRow, FeedbackRow,
                                   MapViewRow, MetricRows, PulseRow, ServiceRow, SmsRow, StaffRow)

TZ = ZoneInfo("Europe/Helsinki")
# For the tests that need no deadlines: a week without office hours.
CONTEXT = rollup.Context(TZ, Deadlines(LineCalendar(TZ, WeeklySchedule()), ResponseTarget()))


def generated_rows(rng: random.Random, first: date, days: int, calls_per_day: int = 40) -> MetricRows:
    start = datetime.combine(first, time(0), TZ).astimezone(timezone.utc)
    seconds = days * 86400
    calls, callbacks, sms, feedback, pulse, events, attempts, conversations = [], [], [], [], [], [], [], []
    for index in range(days * calls_per_day):
        # Some calls exactly at local midnight and around the DST hours, most anywhere.
        at = start + timedelta(seconds=rng.randrange(seconds))
        if index % 17 == 0:
            at = datetime.combine(first + timedelta(days=rng.randrange(days)), time(rng.choice((0, 3, 4))), TZ
                                  ).astimezone(timezone.utc)
        outcome = rng.choice(["answered", "answered", "voicemail", "no_message", "in_progress"])
        withheld = rng.random() < 0.1
        wrap_up = rng.choice([None, "resolved", "referred", "referred"]) if outcome == "answered" else None
        calls.append(CallRow(index, at, outcome, withheld, rng.random() < 0.5,
                             None if withheld else f"key-{rng.randrange(days * 8)}",
                             rng.choice([0, 30, 61, 61, 300, rng.randrange(1, 3600)]) if outcome == "answered" else None,
                             answered_by=rng.randrange(1, 7) if outcome == "answered" else None,
                             wrap_up=wrap_up,
                             wrap_up_service_id=rng.choice([None, 1, 2, 3, 9]) if wrap_up == "referred" else None,
                             wrap_up_topic=rng.choice([None, "Grief", "money", " family", ""]) if wrap_up else None))
        if outcome in ("voicemail", "no_message") and not withheld:
            closed = at + timedelta(hours=rng.randrange(1, 200)) if rng.random() < 0.8 else None
            acknowledged = at + timedelta(seconds=rng.randrange(1, 20 * 3600)) if rng.random() < 0.6 else None
            ending = rng.choice(["resolved", "referred", "unreachable"]) if closed else None
            callbacks.append(CallbackRow(
                index, at, "closed" if closed else "new", has_message=outcome == "voicemail", closed_at=closed,
                acknowledged_at=acknowledged if closed is None or acknowledged is None or acknowledged < closed else None,
                outcome=ending, service_id=rng.choice([None, 1, 2, 3, 9]) if ending == "referred" else None,
                topic=rng.choice([None, "Grief", " grief ", "money", "Money", "family", "", "faith"]) if closed else None,
                channel=rng.choice(["voice", "voice", "sms", "chat"])))
            moment = at
            for kind in rng.sample(["assigned", "reminded", "handed_over", "taken", "passed", "escalated", "assigned",
                                    "reminded", "escalated"], rng.randrange(0, 6)) + (["closed"] if closed else []):
                moment = closed if kind == "closed" else moment + timedelta(minutes=rng.randrange(0, 600))
                events.append(EventRow(index, moment, kind, None if kind == "escalated" else rng.randrange(1, 7),
                                       event_id=len(events) + 1))
            if rng.random() < 0.3:  # a conversation by text on this callback
                first_at = at + timedelta(seconds=rng.randrange(0, 3))
                caller_at = rng.choice([None, first_at])
                reply_at = rng.choice([None, first_at + timedelta(seconds=rng.choice([0, 90, 90, rng.randrange(1, 9000)])),
                                       first_at - timedelta(seconds=5)])
                conversations.append(ConversationRow(
                    index, at, rng.choice(["sms", "chat"]), rng.randrange(1, 5), rng.randrange(0, 4), rng.randrange(0, 2),
                    first_at, first_at + timedelta(seconds=rng.choice([0, 600, rng.randrange(1, 90000)])),
                    caller_at, reply_at))
            if rng.random() < 0.4:
                attempts.append(AttemptRow(len(attempts) + 1, index, at + timedelta(hours=rng.randrange(1, 30)),
                                           rng.choice(["answered", "answered", "no-answer", None]), rng.randrange(1, 7),
                                           rng.choice([None, 0, 45, 45, rng.randrange(1, 2000)])))
            if closed:
                feedback.append(FeedbackRow(index, closed + timedelta(minutes=30),
                                            rng.choice([None, 1, 2, 3, 4, 5, 5]),
                                            comment=rng.choice([None, None, f"words {index}"])))
        sms.append(SmsRow(at + timedelta(minutes=rng.randrange(600)),
                          rng.choice(["sent", "delivered", "failed", "undelivered", "suppressed", "queued"])))
    for staff in range(8):
        pulse.append(PulseRow(f"{first:%Y-%m}", start + timedelta(days=1), rng.choice([None, 2, 3, 4, 5])))
    views = [MapViewRow(service, local_midnight(first + timedelta(days=day)).astimezone(timezone.utc),
                        rng.randrange(1, 50))
             for day in range(days) for service in (1, 2, 3, 9) if rng.random() < 0.6]
    return MetricRows(calls=tuple(calls), callbacks=tuple(callbacks), sms=tuple(sms), feedback=tuple(feedback),
                      pulse=tuple(pulse), events=tuple(events), attempts=tuple(attempts),
                      conversations=tuple(conversations), map_views=tuple(views),
                      staff=tuple(StaffRow(n, f"Staff {n}") for n in range(1, 6)),  # 6 has left: "staff #6"
                      services=tuple(ServiceRow(n, name) for n, name in ((1, "Kriisipuhelin"), (2, "Diakonia"),
                                                                         (3, "diakonia"))))  # 9 was removed


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), TZ)


def figures_from_rollups(days: dict, first: date, end: date, now: datetime, staff=(), services=()) -> dict:
    total = rollup.add_days(days[day] for day in rollup.days_of(first, end) if day in days)
    return {"staff_load": rollup.staff_load(total, staff), "conversations": rollup.conversations(total),"response": rollup.response_times(total, ResponseTarget(), now), "contacts": rollup.contacts(total), "heat_map": rollup.heat_map(total),
            "outcomes": rollup.outcomes(total), "topics": rollup.topics(total),
            "sms": rollup.sms(total), "satisfaction": rollup.satisfaction(total), "pulse": rollup.pulse(total),
            "referrals": rollup.referrals(total, services), "map_views": rollup.map_views(total, services)}


def figures_row_by_row(figures) -> dict:
    return {"staff_load": figures.staff_load, "conversations": figures.conversations,"response": figures.response, "contacts": figures.contacts, "heat_map": figures.heat_map, "outcomes": figures.outcomes, "topics": figures.topics, "sms": figures.sms,
            "satisfaction": figures.satisfaction, "pulse": figures.pulse, "referrals": figures.referrals,
            "map_views": figures.map_views}


@pytest.mark.parametrize("first, days, seed", [
    (date(2027, 3, 1), 31, 1),  # March: the last Sunday (28th) has 23 hours
    (date(2026, 10, 1), 31, 2),  # October: the last Sunday (25th) has 25 hours
    (date(2027, 3, 27), 3, 3),  # just the spring DST weekend
    (date(2026, 10, 24), 3, 4),  # just the autumn DST weekend
    (date(2027, 1, 1), 90, 5),  # a quarter
])
def test_a_supervisor_gets_the_same_figures_from_day_rollups_as_from_the_rows(calendar, first, days, seed):
    rng = random.Random(seed)
    rows = generated_rows(rng, first, days)
    end = first + timedelta(days=days)
    holders = tuple(event for event in rows.events if event.kind in HOLDER_EVENTS or event.kind == "passed")
    stored = rollup.fold_days(rows, rollup.Context(TZ, Deadlines(calendar, ResponseTarget()), holders))
    # Mid-period: some requests still waiting are past their deadline, some not yet.
    now = local_midnight(first + timedelta(days=days // 2)) + timedelta(hours=13)

    metrics = compute(rows, Period(local_midnight(first), local_midnight(end)), calendar=calendar, now=now,
                      history=holders)

    assert figures_from_rollups(stored, first, end, now, rows.staff, rows.services) == \
        figures_row_by_row(metrics.period)
    assert rollup.figures(rollup.add_days(stored[day] for day in rollup.days_of(first, end) if day in stored),
                          metrics.period.start, metrics.period.end, staff=rows.staff, services=rows.services,
                          target=ResponseTarget(),
                          now=now) == metrics.period  # every figure, nothing left out
    for week in metrics.weeks:
        week_first, week_end = week.figures.start.astimezone(TZ).date(), week.figures.end.astimezone(TZ).date()
        assert figures_from_rollups(stored, week_first, week_end, now, rows.staff, rows.services) == \
            figures_row_by_row(week.figures), \
            week.label


def test_a_day_of_the_autumn_dst_change_holds_its_25_hours_and_both_3_oclock_hours():
    first_three = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # 03:30 EEST
    second_three = datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)  # 03:30 EET, an hour later
    late = datetime(2026, 10, 25, 21, 59, tzinfo=timezone.utc)  # 23:59 EET: still the 25th
    rows = MetricRows(calls=tuple(CallRow(n, at, "answered", False, False, "k", 60)
                                  for n, at in enumerate((first_three, second_three, late))))
    days = rollup.fold_days(rows, CONTEXT)
    assert list(days) == [date(2026, 10, 25)]
    heat = rollup.heat_map(rollup.add_days(days.values()))
    assert heat.calls[6][3] == 2 and heat.calls[6][23] == 1


def test_the_median_and_90th_percentile_of_live_calls_come_out_exact_from_the_seconds_histogram():
    seconds = [5, 5, 7, 100, 100, 100, 2000, 31, 40, 9]  # even count: the median averages 31 and 40
    rows = MetricRows(calls=tuple(CallRow(n, datetime(2027, 2, 1 + n % 3, 10, tzinfo=timezone.utc), "answered",
                                          False, True, f"k{n}", value) for n, value in enumerate(seconds)))
    live = rollup.live_durations(rollup.add_days(rollup.fold_days(rows, CONTEXT).values()))
    from helpline.metrics.figures import durations

    assert live == durations(seconds)
    assert (live.median_seconds, live.p90_seconds) == (35.5, 100.0)


def test_a_quarter_added_from_its_weeks_gives_the_same_figures_as_added_from_its_days():
    # helpline.metrics.period adds the year from its weeks' totals: a value adds alike whether it
    # is a day's or a period's.
    first, end = date(2027, 1, 1), date(2027, 4, 1)  # from a Friday: the first and last weeks are cut
    stored = rollup.fold_days(generated_rows(random.Random(6), first, (end - first).days), CONTEXT)
    assert all(day in stored for day in rollup.days_of(first, end))
    monday = first - timedelta(days=first.weekday())
    weeks = [(max(first, monday + timedelta(weeks=n)), min(end, monday + timedelta(weeks=n + 1)))
             for n in range(((end - monday).days + 6) // 7)]
    now = local_midnight(date(2027, 2, 14))

    def figures(total):
        return rollup.figures(total, local_midnight(first), local_midnight(end), staff=(),
                              target=ResponseTarget(), now=now)

    week_totals = [rollup.add_days(stored[day] for day in rollup.days_of(*week)) for week in weeks]
    assert figures(rollup.add_days(week_totals)) == figures(rollup.add_days(stored[day] for day in rollup.days_of(first, end)))
    assert figures(rollup.add_days(week_totals)).contacts.calls > 0
