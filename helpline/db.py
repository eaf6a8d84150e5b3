"""The database: one engine and session factory per app or worker, built from the settings.

Plain SQLAlchemy 2 (no Flask-SQLAlchemy) so that the RQ worker, the CLI and the web app share
exactly the same session handling without needing an app context.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from datetime import datetime
from typing import Callable, Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


class Database:
    def __init__(self, url: str, *, now: Callable[[], datetime] | None = None) -> None:
        """``now``: the line's clock. Sessions carry it (``session.info["now"]``) so that a change
        to rows of the present leaves no stale-day mark (helpline.models.metrics); without it
        every change leaves one, which is only slower."""
        self.url = url
        self.engine: Engine = _make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False,
                                         info={"now": now} if now is not None else None)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any exception."""
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def create_all(self) -> None:
        """Tables straight from the models; tests use this, deployments use Alembic."""
        from helpline.models import Base

        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            # WAL lets the web process read while the worker writes; foreign keys are off by
            # default in SQLite and we rely on them.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)
