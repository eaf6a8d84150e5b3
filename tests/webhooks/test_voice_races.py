"""Two webhooks of the same caller racing: one open callback request per number, whoever wins."""
from __future__ import annotations

import logging

from sqlalchemy import event, insert

from helpline.models import CallbackRequest

CALLER = "+358501234567"


def test_a_callback_request_created_concurrently_by_another_webhook_is_joined_not_duplicated(
        simulator, office_hours, line, clock, stored, caplog):
    office_hours()
    caplog.set_level(logging.INFO, logger="helpline.inbound")
    competitor: dict[str, int] = {}

    def another_webhook_wins(session, flush_context, instances):
        # Just before this request inserts the caller's callback request, another process commits one.
        creating = any(isinstance(row, CallbackRequest) and row.caller == CALLER for row in session.new)
        if creating and not competitor:
            with line.db.engine.begin() as connection:
                competitor["id"] = connection.execute(insert(CallbackRequest).values(
                    caller=CALLER, status="new", created_at=clock.now(), last_call_at=clock.now(), call_count=1,
                    reminders_sent=0, callback_attempts=0)).inserted_primary_key[0]

    event.listen(line.db.sessionmaker, "before_flush", another_webhook_wins)
    try:
        result = simulator.call(CALLER)
    finally:
        event.remove(line.db.sessionmaker, "before_flush", another_webhook_wins)

    [callback] = stored.callbacks()
    assert callback.id == competitor["id"]
    assert callback.call_count == 2 and callback.has_message
    assert stored.call(result.call_sid).callback_id == competitor["id"]
    assert "a concurrent webhook wrote the same row first" in caplog.text
