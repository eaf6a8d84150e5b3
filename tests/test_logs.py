"""The processes' logs say what the line did, not what the libraries under it did."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

from helpline import create_app


def test_twilio_s_request_dumps_and_alembic_s_plugin_list_stay_out_of_the_logs(line):
    create_app(line)
    assert logging.getLogger("twilio.http_client").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("alembic.runtime.plugins").getEffectiveLevel() == logging.WARNING


def test_a_web_process_starts_without_alembic_s_plugin_lines(tmp_path, redis_url):
    """create_app imports the CLI and with it alembic, whose plugins each logged a line at INFO."""
    env = {**os.environ, "HELPLINE_ENV": "development", "REDIS_URL": redis_url,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'line.sqlite3'}"}
    started = subprocess.run([sys.executable, "-c", "from helpline import create_app; create_app()"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    assert "alembic" not in started.stderr, started.stderr
