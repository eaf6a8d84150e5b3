"""The demo plays on a database of its own, emptied at every run (so a rerun reports the same
day), never on the line's own; and its web port is free again the moment the last run stopped."""
from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import create_engine, inspect

from helpline import migrate
from helpline.demo.database import DemoDatabaseRefused, demo_database_url, start_empty
from helpline.demo.run import _port_is_free


def test_by_default_the_demo_plays_on_instance_demo_sqlite3_and_starts_it_empty(tmp_path):
    url = demo_database_url(tmp_path, None)
    assert url == f"sqlite:///{tmp_path / 'instance' / 'demo.sqlite3'}"
    migrate.upgrade(url)
    (tmp_path / "instance" / "demo.sqlite3-wal").write_bytes(b"")
    start_empty(url, None)
    assert list((tmp_path / "instance").iterdir()) == []  # the file and its journals are gone
    migrate.upgrade(url)
    assert "callback_request" in inspect(create_engine(url)).get_table_names()


def test_a_sqlite_file_given_to_the_demo_is_deleted_before_it_plays(tmp_path):
    url = f"sqlite:///{tmp_path / 'given.sqlite3'}"
    migrate.upgrade(url)
    start_empty(demo_database_url(tmp_path, url), None)
    assert not (tmp_path / "given.sqlite3").exists()
    # A PostgreSQL database given with --database-url has every table dropped instead: the demo
    # test's PostgreSQL run does that on its second run.


@pytest.mark.parametrize("line_url", ["sqlite:///{dir}/line.sqlite3", "sqlite:///{dir}/./line.sqlite3"])
def test_the_demo_refuses_the_line_s_own_database(tmp_path, line_url):
    line_url = line_url.format(dir=tmp_path)
    migrate.upgrade(line_url)
    with pytest.raises(DemoDatabaseRefused, match="the line's own database"):
        start_empty(demo_database_url(tmp_path, f"sqlite:///{tmp_path}/line.sqlite3"), line_url)
    assert (tmp_path / "line.sqlite3").exists()


def test_the_web_port_counts_as_free_while_the_last_run_s_connections_are_in_time_wait():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server closes first, as gunicorn does: its side waits in TIME_WAIT
    time.sleep(0.05)
    client.close()
    server.close()
    assert _port_is_free(port)


def test_a_port_someone_listens_on_is_not_free():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert not _port_is_free(server.getsockname()[1])
