"""Two real `rq worker` processes on duplicated jobs: each conversation is assigned once, each reply
relayed once and each text forwarded once, every SMS from the line's shared number."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from conftest import LINE_NUMBER
from helpline.clock import SimulatedClock
from helpline.dispatch import PROCESS_CALLBACK_JOB, SEND_SMS_JOB, SERIALIZER_PATH, process_job_id, send_job_id
from helpline.models import CallbackEvent, CallbackRequest, OutboundSms

RQ = str(Path(sys.executable).with_name("rq"))


def run_two_workers(env: dict[str, str], redis_url: str) -> list[str]:
    command = [RQ, "worker", "--burst", "--worker-class", "rq.worker.SimpleWorker", "--serializer", SERIALIZER_PATH,
               "--url", redis_url, "helpline"]
    workers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    return outputs


def test_two_workers_assign_relay_and_forward_each_message_exactly_once(
        line, week_rota, text_line, fake_twilio, clock, tmp_path, redis):
    fake_twilio.latency = 0.03  # both workers are busy at once
    clock_file = tmp_path / "clock.json"
    settings = line.settings
    env = {**os.environ, "HELPLINE_ENV": "testing", "DATABASE_URL": settings.database_url,
           "REDIS_URL": settings.redis_url, "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
           "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "TWILIO_PHONE_NUMBER": settings.twilio_phone_number,
           "TWILIO_API_BASE_URL": fake_twilio.base_url, "PUBLIC_BASE_URL": settings.public_base_url,
           "SECRET_KEY": "test", "HELPLINE_SIMULATED_CLOCK_FILE": str(clock_file)}
    callers = [f"+35850555{n:04d}" for n in range(8)]

    # 1. Eight callers write; every conversation's job is queued three times over.
    SimulatedClock.write(clock_file, clock.now(), speed=1.0)
    for n, caller in enumerate(callers):
        text_line(caller, f"Hei, olen soittaja {n}")
    with line.db.sessionmaker() as session:
        conversations = {callback.caller: callback.id for callback in session.scalars(select(CallbackRequest))}
    for _ in range(2):
        for callback_id in conversations.values():
            line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, callback_id, job_id=process_job_id(callback_id))
    outputs = run_two_workers(env, settings.redis_url)
    assert all("Job OK" in output for output in outputs), "both workers must have taken part"

    with line.db.sessionmaker() as session:
        assigned = Counter(session.scalars(select(CallbackEvent.callback_id).where(CallbackEvent.kind == "assigned")))
        holders = {callback.caller: callback.assignee_id for callback in session.scalars(select(CallbackRequest))}
    assert assigned == Counter({callback_id: 1 for callback_id in conversations.values()})
    assert sorted(Counter(holders.values()).values()) == [4, 4]  # fewest open first
    phones = {week_rota.aino.id: week_rota.aino.phone, week_rota.sirpa.id: week_rota.sirpa.phone}
    for person in phones.values():
        assert len(fake_twilio.messages_to(person)) == 4

    # 2. Each assignee replies to each of theirs; the send jobs are queued twice more.
    for caller, callback_id in conversations.items():
        text_line(phones[holders[caller]], f"VASTAA {callback_id} Hei soittaja, tässä linja ({callback_id})")
    with line.db.sessionmaker() as session:
        relays = list(session.scalars(select(OutboundSms.id).where(OutboundSms.purpose == "conversation_reply")))
    assert len(relays) == len(callers)
    for _ in range(2):
        for outbound_id in relays:
            line.jobs.enqueue_now(SEND_SMS_JOB, outbound_id, job_id=send_job_id(outbound_id))
    run_two_workers(env, settings.redis_url)
    for caller, callback_id in conversations.items():
        assert [message["body"] for message in fake_twilio.messages_to(caller)] == [
            f"Hei soittaja, tässä linja ({callback_id})"]

    # 3. Each caller writes twice more; a minute later the sweep (three times over) finds the forwards due.
    clock.advance(minutes=2)
    for caller in callers:
        text_line(caller, "Kiitos vastauksesta.")
        text_line(caller, "Voisitteko soittaa?")
    SimulatedClock.write(clock_file, clock.now() + timedelta(seconds=70), speed=1.0)
    for _ in range(3):
        for callback_id in conversations.values():
            line.jobs.enqueue_now(PROCESS_CALLBACK_JOB, callback_id, job_id=process_job_id(callback_id))
    run_two_workers(env, settings.redis_url)

    for caller, callback_id in conversations.items():
        forwarded = [message["body"] for message in fake_twilio.messages_to(phones[holders[caller]])
                     if message["body"].startswith(f"#{callback_id} ")]
        assert len(forwarded) == 1, (caller, forwarded)
        assert '"Kiitos vastauksesta." / ' in forwarded[0] and '"Voisitteko soittaa?"' in forwarded[0]
    with line.db.sessionmaker() as session:
        rows = session.scalars(select(OutboundSms)).all()
    assert len(rows) == len(fake_twilio.messages) == 3 * len(callers)  # assignment, reply, forward: once each
    assert {message["from"] for message in fake_twilio.messages} == {LINE_NUMBER}
