"""The Alembic migrations build exactly the models' schema, and the newest one can be undone."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from helpline import migrate


def test_the_migrations_build_the_models_schema_and_the_newest_goes_down_and_up_again(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    migrate.upgrade(url)
    migrate.check(url)  # raises when the models and the migrations disagree
    migrate.downgrade(url, "0002")
    engine = create_engine(url)
    assert "session_generation" not in {column["name"] for column in inspect(engine).get_columns("web_login")}
    assert "staff_id" not in {column["name"] for column in inspect(engine).get_columns("api_token")}
    engine.dispose()
    migrate.upgrade(url)
    migrate.check(url)
