"""The monthly staff wellbeing pulse: "how are you coping, 1-5", asked once a month.

- ``send_round`` (the RQ job helpline.queue.pulse_jobs.send_pulse_round, which the sweep queues
  regularly) asks each active staff member once per round, the month in the line's time zone:
  from PULSE_AFTER_OPENING after the line first opens in the month, for PULSE_SENDING_DAYS, and
  only while the line is open, so nobody is texted at night or on a holiday. Staff who said STOP
  are not asked. Someone who joins in that first week is asked on the next run; later, from the
  next month. A PulseQuestion is unique per (round, person):
  a second run, or a second worker, asks nobody twice.
- ``record_answer`` takes a staff member's SMS that is only a score (e.g. "4") while their
  question of the last PULSE_REPLY_WINDOW is open. The score goes into PulseAnswer, which has
  no link back to the person; the question is only marked answered, and the stored inbound SMS
  loses its text, so the score cannot be read back from it either. A second score in the same
  round is not counted.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline import texts
from helpline.feedback.rules import (
    PULSE_REPLY_WINDOW, PULSE_SENDING_DAYS, pulse_send_time, pulse_survey, read_score_reply,
)
from helpline.models import InboundSms, PulseAnswer, PulseQuestion, Staff
from helpline.sms.outbox import insert_ignoring_conflicts, is_opted_out, queue_sms
from helpline.rota.rules import line_status
from helpline.rota.load import load_calendar

log = logging.getLogger(__name__)

PURPOSE = "wellbeing_pulse"
# What the stored inbound SMS says instead of the score (the score is in PulseAnswer, unlinked).
ANSWER_REDACTED = "(wellbeing pulse answer)"


def pulse_dedupe_key(survey: str, staff_id: int) -> str:
    return f"pulse-{survey}-{staff_id}"


def send_round(session: Session, settings: Settings, now: datetime) -> str:
    """Ask everyone not yet asked in ``now``'s round, when it is time. Returns what it did."""
    calendar = load_calendar(session, settings, now)
    survey = pulse_survey(now, settings.timezone)
    starts = pulse_send_time(survey, calendar)
    if now < starts:
        return f"round {survey} starts at {starts.isoformat()}"
    if now >= starts + PULSE_SENDING_DAYS:
        return f"round {survey} was sent in its first week; the next starts next month"
    status = line_status(now, calendar)
    if not status.open:
        return f"round {survey}: waiting for the line to open ({status.reason})"
    asked = set(session.scalars(select(PulseQuestion.staff_id).where(PulseQuestion.survey == survey)))
    staff = session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.id)).all()
    count = 0
    for person in staff:
        if person.id in asked or is_opted_out(session, person.phone):
            continue
        # One SMS per (round, person) by its dedupe key, however many runs get this far.
        question = texts.sms("pulse_question", texts.pick_language(*person.languages))
        outbound = queue_sms(session, to=person.phone, body=question, purpose=PURPOSE,
                             dedupe_key=pulse_dedupe_key(survey, person.id), now=now, staff_id=person.id)
        count += session.execute(
            insert_ignoring_conflicts(session, PulseQuestion)
            .values(survey=survey, staff_id=person.id, asked_at=now, answered=False,
                    outbound_id=outbound.id if outbound is not None else None)
            .on_conflict_do_nothing(index_elements=["survey", "staff_id"])
            .returning(PulseQuestion.id)
        ).scalar_one_or_none() is not None  # False: another run asked them a moment ago
    return f"round {survey}: asked {count}" + (f" ({len(asked)} before)" if asked else "")


def record_answer(session: Session, staff: Staff, inbound_id: int, body: str, now: datetime) -> str | None:
    """A staff member's bare score as the answer to their open pulse question.

    Returns the reply text, or None when this is no pulse answer (no score, or no question in
    the window): the SMS is then read as a command as usual.
    """
    score = read_score_reply(body)
    if score.score is None or score.comment is not None:
        return None
    question = session.scalar(
        select(PulseQuestion)
        .where(PulseQuestion.staff_id == staff.id, PulseQuestion.asked_at <= now,
               PulseQuestion.asked_at > now - PULSE_REPLY_WINDOW)
        .order_by(PulseQuestion.asked_at.desc()).limit(1).with_for_update()
    )
    if question is None:
        return None
    session.get(InboundSms, inbound_id).body = ANSWER_REDACTED
    language = texts.pick_language(*(staff.languages or ()))
    if question.answered:
        return texts.sms("pulse_already", language)
    question.answered = True
    session.add(PulseAnswer(survey=question.survey, score=score.score))
    return texts.sms("pulse_thanks", language)
