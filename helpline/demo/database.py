"""The demo's database: its own, and empty at the start of every run.

Why a database of its own, emptied each run, rather than deleting the demo's rows: the demo's
figures are one simulated day, and a rerun must report that day again, not add a second copy of
it (before: 12 calls after two runs, 18 after three). Deleting only the demo's rows would have to
know every table a call touches (calls, dial attempts, callbacks, events, messages, SMS and their
delivery reports, feedback, listen links, the audit log, ...) and keep up as the schema grows;
emptying a database that is the demo's by name is certain. And the demo never touches the line's
own database: it ignores DATABASE_URL (and .env), so a .env that points at a real line is safe.

- by default: ``instance/demo.sqlite3`` under the working directory, deleted and made again;
- ``helpline demo --database-url URL`` (e.g. a PostgreSQL database set aside for it): every
  table in it is dropped first. The demo refuses the URL that DATABASE_URL names.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import make_url

DEFAULT_FILE = Path("instance") / "demo.sqlite3"


class DemoDatabaseRefused(RuntimeError):
    """The database given to the demo is the line's own; the message says what to do instead."""


def demo_database_url(workdir: Path, given: str | None) -> str:
    """The URL of the demo's database: ``given``, or the default file under ``workdir``."""
    from helpline.config import _database_url

    if given:
        return _database_url(given)
    return f"sqlite:///{(workdir / DEFAULT_FILE).resolve()}"


def start_empty(url: str, line_url: str | None) -> None:
    """Empty the demo's database (then ``helpline db upgrade`` makes the schema again).

    ``line_url`` is DATABASE_URL, the line's own database, which the demo never empties."""
    from helpline.config import _database_url

    if line_url and _same_database(url, _database_url(line_url)):
        raise DemoDatabaseRefused(
            f"{_safe(url)} is the line's own database (DATABASE_URL), and the demo empties its database at "
            "every run. Give the demo one of its own with --database-url, or leave it out for "
            f"{DEFAULT_FILE}.")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            path.parent.mkdir(parents=True, exist_ok=True)
            for leftover in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
                leftover.unlink(missing_ok=True)
        return
    engine = create_engine(url)
    try:
        tables = MetaData()
        tables.reflect(engine)
        tables.drop_all(engine)  # alembic_version too: the migrations run again from the start
    finally:
        engine.dispose()


def _same_database(first: str, second: str) -> bool:
    a, b = make_url(first), make_url(second)
    if a.get_backend_name() == "sqlite" and b.get_backend_name() == "sqlite":
        return bool(a.database) and bool(b.database) and Path(a.database).resolve() == Path(b.database).resolve()
    return (a.get_backend_name(), a.host, a.port, a.database) == (b.get_backend_name(), b.host, b.port, b.database)


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
