"""Shared fixtures: a real Redis, a real database (SQLite, or PostgreSQL via TEST_DATABASE_URL),
a clock the test moves by hand, the app, and make_* factories for the rota."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from redis import Redis
from sqlalchemy import text

from helpline import create_app
from helpline.clock import FrozenClock
from helpline.config import Settings
from helpline.models import Base, Closure, OfficeHoursInterval, Shift, Staff
from helpline.services import Services, build_services

HELSINKI = ZoneInfo("Europe/Helsinki")
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 32
LINE_NUMBER = "+358931234567"
PUBLIC_BASE_URL = "https://helpline.example.org"


def helsinki(text_value: str) -> datetime:
    """'2027-01-11 10:00' as an aware Helsinki datetime."""
    return datetime.fromisoformat(text_value).replace(tzinfo=HELSINKI)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A real redis-server for the whole session (REDIS_URL wins when set, e.g. in CI)."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not on PATH: install it (apt-get install redis-server) or set TEST_REDIS_URL")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            Redis.from_url(url).ping()
            break
        except Exception:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis(redis_url) -> Iterator[Redis]:
    connection = Redis.from_url(redis_url)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def empty_database(postgres_url, tmp_path_factory) -> Iterator[Callable[[Path], str]]:
    """How each test gets a clean database with every table, made once per session.

    Creating the tables took 87 ms a test on SQLite and emptying them with TRUNCATE 53 ms on
    PostgreSQL: minutes over the suite. SQLite: one file is created here and each test gets a
    copy. PostgreSQL: the tables are created once, and each test deletes every row (dependents
    first) and restarts the id sequences, in one round trip; on tables of a few rows that is
    far cheaper than TRUNCATE, and leaves the same empty tables with ids from 1."""
    from helpline.config import _database_url
    from helpline.db import Database

    if postgres_url is None:
        template = tmp_path_factory.mktemp("template") / "helpline.sqlite3"
        database = Database(f"sqlite:///{template}")
        database.create_all()
        database.dispose()  # the last connection checkpoints the WAL into the file

        def sqlite_copy(tmp_path: Path) -> str:
            path = tmp_path / "helpline.sqlite3"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"

        yield sqlite_copy
        return

    url = _database_url(postgres_url)
    database = Database(url)
    database.create_all()
    with database.engine.begin() as connection:
        sequences = [name for (name,) in connection.execute(text(
            "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'"))]
    emptying = "; ".join([*(f'DELETE FROM "{table.name}"' for table in reversed(Base.metadata.sorted_tables)),
                          "SELECT " + ", ".join(f"setval('{name}', 1, false)" for name in sequences)])

    def emptied(_tmp_path: Path) -> str:
        database.create_all()  # a test may have dropped a table (migrations); cheap when all are there
        with database.engine.begin() as connection:
            connection.exec_driver_sql(emptying)
        return url

    yield emptied
    database.dispose()


@pytest.fixture
def database_url(empty_database, tmp_path) -> str:
    """A clean database for each test: a fresh SQLite file, or emptied PostgreSQL tables."""
    return empty_database(tmp_path)


@pytest.fixture
def clock() -> FrozenClock:
    # A Monday in January 2027, mid-morning: the line is open in the demo schedule.
    return FrozenClock(helsinki("2027-01-11 10:00"))


@pytest.fixture
def settings(database_url, redis_url) -> Settings:
    return Settings(
        env="testing",
        database_url=database_url,
        redis_url=redis_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=LINE_NUMBER,
        public_base_url=PUBLIC_BASE_URL,
        secret_key="test-secret-key",
    ).checked()


@pytest.fixture
def line(settings, clock, redis) -> Iterator[Services]:
    services = build_services(settings, clock=clock)
    services.db.create_all()
    yield services
    services.db.dispose()
    if services.jobs._redis is not None:  # the jobs' connection, when a test queued one
        services.jobs._redis.close()


@pytest.fixture
def app(line):
    flask_app = create_app(line)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(line):
    """A session for arranging and inspecting rows; commit what you arrange."""
    with line.db.sessionmaker() as db_session:
        yield db_session


# --- factories -------------------------------------------------------------------------------

_phone_counter = iter(range(1000000))


@pytest.fixture
def make_staff(line, clock):
    def make(name: str = "Staff", phone: str | None = None, *, role: str = "staff",
             languages: tuple[str, ...] = ("fi",), active: bool = True) -> Staff:
        number = phone or f"+35840{next(_phone_counter):07d}"
        with line.db.session() as db_session:
            staff = Staff(name=name, phone=number, role=role, languages=list(languages), active=active,
                          created_at=clock.now())
            db_session.add(staff)
        return staff

    return make


@pytest.fixture
def make_shift(line, clock):
    def make(staff: Staff, starts_at: datetime, ends_at: datetime, priority: int = 100) -> Shift:
        with line.db.session() as db_session:
            shift = Shift(staff_id=staff.id, starts_at=starts_at, ends_at=ends_at, priority=priority,
                          created_at=clock.now())
            db_session.add(shift)
        return shift

    return make


@pytest.fixture
def office_hours(line):
    """Set the weekly schedule: office_hours({0: [(540, 900)], ...}); default Mon-Fri 09-15."""

    def set_hours(days: dict[int, list[tuple[int, int]]] | None = None) -> None:
        days = days if days is not None else {weekday: [(9 * 60, 15 * 60)] for weekday in range(5)}
        with line.db.session() as db_session:
            db_session.query(OfficeHoursInterval).delete()
            for weekday, intervals in days.items():
                for opens, closes in intervals:
                    db_session.add(OfficeHoursInterval(weekday=weekday, opens_minute=opens, closes_minute=closes))

    return set_hours


@pytest.fixture
def make_closure(line, clock):
    def make(starts_at: datetime, ends_at: datetime, reason: str = "staff training") -> Closure:
        with line.db.session() as db_session:
            closure = Closure(starts_at=starts_at, ends_at=ends_at, reason=reason, created_at=clock.now())
            db_session.add(closure)
        return closure

    return make


@pytest.fixture
def staffed_line(office_hours, make_staff, make_shift, clock):
    """Mon-Fri 09-15 with two staff on duty all of the clock's day (Aino rings first)."""
    office_hours()
    day_start = clock.now().astimezone(HELSINKI).replace(hour=0, minute=0)
    aino = make_staff("Aino", "+358401110001", languages=("fi",))
    bertil = make_staff("Bertil", "+358401110002", languages=("sv", "fi"))
    make_shift(aino, day_start, day_start + timedelta(days=1), priority=1)
    make_shift(bertil, day_start, day_start + timedelta(days=1), priority=2)
    return aino, bertil


@pytest.fixture
def make_service(line, clock):
    """A service in the directory: make_service("KRIISI", "Kriisipuhelin", phone="+358925250111", ...)."""
    from helpline.directory.hours import parse_hours, week_json
    from helpline.models import Service

    def make(code: str = "KRIISI", name: str = "Kriisipuhelin", *, hours: str | None = "ma-pe 9-15",
             **fields) -> Service:
        fields.setdefault("topics", [])
        fields.setdefault("languages", ["fi"])
        with line.db.session() as db_session:
            service = Service(code=code, name=name, hours=week_json(parse_hours(hours)) if hours else None,
                              created_at=clock.now(), updated_at=clock.now(), **fields)
            db_session.add(service)
        return service

    return make


@pytest.fixture
def make_block(line, clock):
    """Block a number (E.164) for ``days`` days from the clock's now, as a supervisor would."""
    from helpline.audit import Actor
    from helpline.blocks import store as blocks

    def make(number: str, days: int = 7, reason: str = "abusive calls"):
        with line.db.session() as db_session:
            return blocks.add(db_session, secret_key=line.settings.secret_key, number=number, days=days,
                              reason=reason, actor=Actor("Sari (sari)", "user"), now=clock.now(),
                              tz=line.settings.timezone)

    return make
