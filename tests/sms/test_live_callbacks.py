"""Over real HTTP: the fake Twilio posts signed status callbacks to the running app."""
from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from helpline import create_app
from helpline.models import MessageStatusEvent, OutboundSms

from .conftest import CALLER


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_line(line, fake_twilio):
    """The app served on a real port, PUBLIC_BASE_URL pointing at it, callbacks switched on."""
    port = _free_port()
    line.settings = line.settings.with_overrides(public_base_url=f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, create_app(line), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake_twilio.callbacks.enabled = True
    fake_twilio.callbacks.delay = 0.01
    yield line
    server.shutdown()
    server.server_close()


def test_twilios_signed_reports_mark_the_sms_delivered(live_line, text, run_worker, fake_twilio):
    sms = text()
    run_worker()
    assert fake_twilio.callbacks.wait_idle(timeout=10)

    assert [c.status_code for c in fake_twilio.callbacks.sent] == [204, 204, 204]
    with live_line.db.sessionmaker() as session:
        row = session.get(OutboundSms, sms.id)
        assert row.status == "delivered"
        statuses = session.scalars(select(MessageStatusEvent.status).order_by(MessageStatusEvent.id)).all()
    assert statuses == ["queued", "sent", "delivered"]


def test_an_undelivered_report_over_http_queues_a_later_retry(live_line, text, run_worker, fake_twilio):
    fake_twilio.fail_delivery(30003, to=CALLER)
    sms = text()
    run_worker()
    assert fake_twilio.callbacks.wait_idle(timeout=10)
    with live_line.db.sessionmaker() as session:
        rows = session.scalars(select(OutboundSms).order_by(OutboundSms.id)).all()
    assert [(r.id == sms.id, r.status, r.error_code) for r in rows] == [
        (True, "undelivered", 30003), (False, "queued", None)]
