"""How every process of the line logs: one format, INFO for our own loggers, and the chatty
libraries quietened.

- twilio.http_client logs every REST request at INFO, headers included (the sweeper's recording
  check every 15 s filled its log);
- alembic.runtime.plugins logs a line per autogenerate plugin whenever alembic is imported (the
  web process imports it with the CLI: 14 lines per worker at start-up).
Their warnings and errors still show.
"""
from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = {"twilio.http_client": logging.WARNING, "alembic.runtime.plugins": logging.WARNING}


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=FORMAT)
    for name, quiet_level in QUIET.items():
        logging.getLogger(name).setLevel(quiet_level)
