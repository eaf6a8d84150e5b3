"""Benchmark: the metrics of a year of a busy line, 100,000 calls, on SQLite and PostgreSQL.

    python scripts/bench_metrics.py                        # SQLite in a temporary file
    python scripts/bench_metrics.py --postgres postgresql://user@host:5432/empty_db --compare-indexes
    python scripts/bench_metrics.py --calls 100000,1000000 [--postgres ...]   # how the year grows

It fills an empty database with a year (2026) of generated history in bulk inserts: calls by
weekday and hour, two thirds answered in office hours, messages and hang-ups otherwise; a
callback request for each, with its history events, calls back, recordings, SMS and the caller's
feedback; and twelve rounds of the staff wellbeing pulse. Then it times the figures of the year
(every figure, the year and its 53 weeks) two ways: from every row
(``helpline.metrics.load.metrics_from_rows``, the reference), and as the pages read them
(``helpline.metrics.period.metrics_for``) once the refresh has folded the year's days (``fold``,
timed once; the run checks both give the same figures). Baselines from the same run: the rows'
figures of a tenth of the year (about 10,000 calls) and a plain ``SELECT count(*) FROM call``.
``--compare-indexes`` then drops the indexes the row queries use and measures them again.
``--calls`` sets the year's calls (callers a quarter of them); with several sizes it fills and
measures each in turn and prints each year against the first size's year of the same run (the
aim of issue 15: a year of 100,000 calls under 0.25 s, and one of 1,000,000 calls at most 1.5
times one of 100,000).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from helpline.config import Settings, _database_url
from helpline.db import Database
from helpline.metrics.compute import Period
from helpline.metrics.load import metrics_from_rows
from helpline.metrics.period import metrics_for
from helpline.metrics.rollup_store import refresh
from helpline.models import (Base, Call, CallbackCall, CallbackEvent, CallbackRequest, FeedbackRequest,
                             OfficeHoursInterval, OutboundSms, PulseAnswer, PulseQuestion, Staff, VoiceMessage)

TZ = ZoneInfo("Europe/Helsinki")
YEAR_START = datetime(2026, 1, 1, tzinfo=TZ)
YEAR_END = datetime(2027, 1, 1, tzinfo=TZ)
CALLS = 100_000
CALLERS = 25_000
STAFF = 20
# The indexes the metrics queries lean on (their range filters); --compare-indexes drops them
# after the first measurement and measures again on the same data.
METRICS_INDEXES = ("ix_call_started_at", "ix_callback_request_created_at", "ix_callback_request_closed_at",
                   "ix_callback_event_at", "ix_callback_event_kind_at", "ix_callback_call_requested_at",
                   "ix_outbound_sms_created_at", "ix_voice_message_created_at", "ix_feedback_request_asked_at")
HOURS_WEIGHT = [1, 1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 10, 10, 10, 9, 7, 6, 6, 6, 5, 4, 3, 2]


def generate(db: Database, seed: int = 7, calls_in_year: int = CALLS) -> int:
    """Fill ``db`` with a year of about ``calls_in_year`` calls; returns the number of calls."""
    rng = random.Random(seed)
    callers = max(1, calls_in_year * CALLERS // CALLS)
    Base.metadata.drop_all(db.engine)
    db.create_all()
    created = datetime(2025, 12, 1, tzinfo=timezone.utc)
    with db.engine.begin() as conn:
        conn.execute(insert(Staff), [{"id": i, "name": f"Staff {i}", "phone": f"+3584020{i:05d}", "languages": ["fi"],
                                      "role": "staff", "active": True, "created_at": created}
                                     for i in range(1, STAFF + 1)])
        conn.execute(insert(OfficeHoursInterval), [{"weekday": d, "opens_minute": 540, "closes_minute": 900}
                                                   for d in range(5)])
    seconds_in_year = int((YEAR_END - YEAR_START).total_seconds())
    starts = sorted(YEAR_START.astimezone(timezone.utc) + timedelta(seconds=rng.randrange(seconds_in_year))
                    for _ in range(calls_in_year * 3))
    chosen = []
    for moment in starts:  # thin by hour of day and weekday so the heat map has a shape
        local = moment.astimezone(TZ)
        if rng.random() < HOURS_WEIGHT[local.hour] / 12 * (0.6 if local.weekday() >= 5 else 1.0):
            chosen.append(moment)
    chosen = chosen[:calls_in_year]
    calls, callbacks, events, attempts, messages, sms, feedback = [], [], [], [], [], [], []
    for call_id, moment in enumerate(chosen, start=1):
        local = moment.astimezone(TZ)
        open_ = local.weekday() < 5 and 9 <= local.hour < 15
        withheld = rng.random() < 0.06
        caller = None if withheld else f"+35840{rng.randrange(callers):07d}"
        roll = rng.random()
        outcome = "answered" if open_ and roll < 0.7 else ("voicemail" if roll < 0.85 else "no_message")
        staff = rng.randrange(1, STAFF + 1)
        callback_id = None
        if outcome != "answered" and caller is not None:
            callback_id = len(callbacks) + 1
            _callback(rng, callback_id, moment, caller, outcome == "voicemail", callbacks, events, attempts,
                      messages, sms, feedback)
        calls.append({"id": call_id, "call_sid": f"CA{call_id:032x}", "caller": caller, "caller_withheld": withheld,
                      "started_at": moment, "ended_at": moment + timedelta(minutes=5), "line_open": open_,
                      "outcome": outcome, "answered_by_id": staff if outcome == "answered" else None,
                      "conversation_seconds": rng.randrange(60, 1800) if outcome == "answered" else None,
                      "callback_id": callback_id})
    with db.engine.begin() as conn:
        questions, answers = _pulse_rounds(rng)
        for model, rows in ((CallbackRequest, callbacks), (Call, calls), (VoiceMessage, messages),
                            (CallbackEvent, events), (CallbackCall, attempts), (OutboundSms, sms),
                            (FeedbackRequest, feedback), (PulseQuestion, questions), (PulseAnswer, answers)):
            _bulk_insert(conn, model.__table__, rows)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return len(calls)


def _bulk_insert(conn, table, rows: list[dict]) -> None:
    """Straight to the driver: COPY on PostgreSQL, executemany on SQLite. SQLAlchemy's per-value
    type processing would take most of the fill time; values are given in the stored forms
    (SQLite: naive UTC text with microseconds, as helpline.models.base stores them)."""
    columns = [column.name for column in table.columns if column.name in rows[0] or column.default is not None]
    defaults = {column.name: column.default.arg for column in table.columns
                if column.default is not None and not callable(column.default.arg)}
    sqlite = conn.dialect.name == "sqlite"

    def value(raw):
        if isinstance(raw, datetime):
            utc = raw.astimezone(timezone.utc)
            return f"{utc:%Y-%m-%d %H:%M:%S}.{utc.microsecond:06d}" if sqlite else utc
        if isinstance(raw, (dict, list)):
            return json.dumps(raw)
        return raw

    tuples = [tuple(value(row.get(name, defaults.get(name))) for name in columns) for row in rows]
    names = ", ".join(f'"{name}"' for name in columns)
    if sqlite:
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})', tuples)
        return
    with conn.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in tuples:
                copy.write_row(row)


def _pulse_rounds(rng) -> tuple[list[dict], list[dict]]:
    """Twelve monthly rounds of the wellbeing pulse: every staff member asked, about 70 % answer."""
    questions, answers = [], []
    for month in range(1, 13):
        survey, asked = f"2026-{month:02d}", datetime(2026, month, 2, 10, tzinfo=TZ)
        for staff_id in range(1, STAFF + 1):
            answered = rng.random() < 0.7
            questions.append({"survey": survey, "staff_id": staff_id, "asked_at": asked, "answered": answered})
            if answered:
                answers.append({"id": f"{month:02d}{staff_id:030d}", "survey": survey, "score": rng.randrange(1, 6)})
    return questions, answers


def _callback(rng, callback_id, moment, caller, has_message, callbacks, events, attempts, messages, sms,
              feedback) -> None:
    staff = rng.randrange(1, STAFF + 1)
    assigned = moment + timedelta(minutes=rng.randrange(1, 900))
    acknowledged = assigned + timedelta(minutes=rng.randrange(1, 240))
    closed = acknowledged + timedelta(minutes=rng.randrange(5, 600))
    outcome = rng.choices(["resolved", "referred", "unreachable"], [70, 20, 10])[0]
    reminders = rng.choices([0, 1, 2, 3], [60, 25, 10, 5])[0]
    escalated = assigned + timedelta(minutes=95) if reminders == 3 else None
    callbacks.append({"id": callback_id, "caller": caller, "status": "closed", "created_at": moment,
                      "last_call_at": moment, "assignee_id": staff, "assigned_at": assigned,
                      "acknowledged_at": acknowledged, "closed_at": closed, "outcome": outcome,
                      "topic": rng.choice(["grief", "loneliness", "money", "family", "faith", "health", None]),
                      "next_action": None, "reminders_sent": reminders, "escalated_at": escalated})
    history = [("assigned", assigned, staff), ("acknowledged", acknowledged, staff), ("closed", closed, staff)]
    history += [("reminded", assigned + timedelta(minutes=30 * (n + 1)), staff) for n in range(reminders)]
    if escalated:
        history.append(("escalated", escalated, None))
    for kind, at, staff_id in history:
        events.append({"callback_id": callback_id, "at": at, "kind": kind, "staff_id": staff_id, "detail": {}})
    if has_message:
        messages.append({"callback_id": callback_id, "recording_sid": f"RE{callback_id:032x}",
                         "recording_url": "https://api.twilio.com/x", "duration_seconds": 30,
                         "recording_status": "completed", "created_at": moment})
    if rng.random() < 0.5:
        attempts.append({"callback_id": callback_id, "attempt_number": 1, "staff_id": staff,
                         "staff_phone": f"+3584020{staff:05d}", "caller": caller, "requested_at": acknowledged,
                         "status": "ended", "result": rng.choice(["answered", "answered", "no-answer"]),
                         "conversation_seconds": rng.randrange(60, 1500)})
    if outcome != "unreachable" and rng.random() < 0.6:  # asked (mobile, not asked lately); 45 % answer
        answered = rng.random() < 0.45
        feedback.append({"callback_id": callback_id, "caller": caller, "created_at": closed,
                         "asked_at": closed + timedelta(minutes=30), "outbound_id": None,
                         "score": rng.randrange(1, 6) if answered else None,
                         "answered_at": closed + timedelta(hours=2) if answered else None,
                         "comment": rng.choice([None, None, "kiitos", "tack"]) if answered else None})
    for purpose, at in (("caller_confirmation", moment), ("assignment", assigned), ("reminder", acknowledged)):
        sms.append({"to_number": caller, "body": "x", "purpose": purpose, "status": rng.choice(["delivered", "sent",
                    "failed"]), "dedupe_key": f"{purpose}-{callback_id}", "created_at": at, "sent_at": at,
                    "callback_id": callback_id})


def timed(fn, repeat: int = 5) -> float:
    """The median of ``repeat`` runs after one warm-up, in seconds."""
    fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def measure(db: Database, url: str, *, fold: bool = True) -> dict[str, float]:
    """The figures of the year and of its first tenth from rows (the reference), then, with every
    day of the year folded (timed once), the year as the pages read it: from the stored days."""
    settings = Settings(env="testing", database_url=url, secret_key="bench")
    now = YEAR_END + timedelta(days=30)
    year = Period(YEAR_START, YEAR_END)
    tenth = Period(YEAR_START, YEAR_START + (YEAR_END - YEAR_START) / 10)

    def from_rows(period: Period):
        with db.sessionmaker() as session:
            return metrics_from_rows(session, settings, period, now)

    def as_pages_read_it(period: Period):
        with db.sessionmaker() as session:
            return metrics_for(session, settings, period, now)

    def count():
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM call")).scalar_one()

    times = {"calls": from_rows(year).period.contacts.calls, "tenth_calls": from_rows(tenth).period.contacts.calls,
             "rows_year": timed(lambda: from_rows(year)), "tenth": timed(lambda: from_rows(tenth)),
             "count": timed(count, repeat=9)}
    if fold:
        started = time.perf_counter()
        with db.session() as session:
            report = refresh(session, settings, now, days=400)
        times["fold"] = time.perf_counter() - started
        assert report.left == 0 and report.folded >= 365, report
        assert as_pages_read_it(year) == from_rows(year), "the stored days give the figures the rows give"
        times["year"] = timed(lambda: as_pages_read_it(year))
    return times


def drop_indexes(db: Database) -> None:
    with db.engine.begin() as conn:
        for name in METRICS_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        conn.execute(text("ANALYZE"))


def report(name: str, fill: float | None, t: dict[str, float], first_year: float | None = None) -> None:
    growth = "" if first_year is None else f"{t['year'] / first_year:.2f}"
    pages = (f"{t['fold']:>7.1f} {t['year']:>7.3f} {t['year'] / t['rows_year']:>9.3f}" if "year" in t
             else f"{'':>7} {'':>7} {'':>9}")
    print(f"{name:<24} {t['calls']:>7} {'' if fill is None else f'{fill:.1f}':>7} {pages} {t['rows_year']:>7.3f} "
          f"{t['tenth']:>8.3f} {t['count'] * 1000:>11.2f} {t['rows_year'] / t['tenth']:>10.1f} {growth:>12}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", help="SQLite file to fill (default: a temporary one)")
    parser.add_argument("--postgres", help="URL of an EMPTY PostgreSQL database (its tables are dropped!)")
    parser.add_argument("--calls", default=str(CALLS),
                        help="calls in the year; several, comma-separated, are measured in turn (default %(default)s)")
    parser.add_argument("--skip-sqlite", action="store_true", help="only PostgreSQL (with --postgres)")
    parser.add_argument("--compare-indexes", action="store_true",
                        help="then drop the metrics' indexes and measure again on the same data")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.calls.replace("_", "").split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        targets = [] if args.skip_sqlite and args.postgres else [
            ("SQLite", f"sqlite:///{args.sqlite or Path(tmp) / 'bench.sqlite3'}")]
        if args.postgres:
            targets.append(("PostgreSQL", _database_url(args.postgres)))
        print(f"{'database':<24} {'calls':>7} {'fill s':>7} {'fold s':>7} {'year s':>7} {'year/rows':>9} "
              f"{'rows s':>7} {'tenth s':>8} {'count(*) ms':>11} {'rows/tenth':>10} {'year/1st year':>12}")
        for name, url in targets:
            db = Database(url)
            first_year = None
            for size in sizes:
                started = time.perf_counter()
                generate(db, calls_in_year=size)
                fill = time.perf_counter() - started
                t = measure(db, url)
                report(name, fill, t, first_year)
                first_year = first_year or t["year"]
                if args.compare_indexes:
                    drop_indexes(db)
                    report(f"{name}, no metrics indexes", None, measure(db, url, fold=False))
            db.dispose()
        print(f"(year: all of 2026 as the pages read it, from its 365 stored days, after folding them (fold); rows: "
              f"the same figures from every row; tenth: from the rows of its first 36.5 days, {t['tenth_calls']} "
              f"calls; medians of 5 runs after a warm-up; count(*): SELECT count(*) FROM call, median of 9)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
