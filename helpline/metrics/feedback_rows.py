"""The queries behind the satisfaction and pulse figures: FeedbackRequest and the pulse tables
turned into plain rows for a period (anchored, like the figures, on when the question went out).

A feedback question counts as asked unless its SMS never left (the caller said STOP before it
went, or Twilio refused it): nobody can answer a question they never got. A pulse round's
scores come without names, so a round is loaded whole, as many rows as questions, each dated at
the round's start (see helpline.metrics.rows.PulseRow).
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from helpline.metrics.compute import Period
from helpline.metrics.rows import FeedbackRow, PulseRow
from helpline.models import CallbackRequest, FeedbackRequest, OutboundSms, OutboundStatus, PulseAnswer, PulseQuestion

# Questions whose SMS never reached anyone, so nobody was asked.
NEVER_SENT = (OutboundStatus.SUPPRESSED.value, OutboundStatus.FAILED.value, OutboundStatus.UNDELIVERED.value)


def load_feedback(session: Session, period: Period) -> list[FeedbackRow]:
    rows = session.execute(
        select(FeedbackRequest.callback_id, FeedbackRequest.asked_at, FeedbackRequest.score,
               FeedbackRequest.answered_at, CallbackRequest.assignee_id, FeedbackRequest.comment)
        .join(CallbackRequest, CallbackRequest.id == FeedbackRequest.callback_id)
        .outerjoin(OutboundSms, OutboundSms.id == FeedbackRequest.outbound_id)
        .where(FeedbackRequest.asked_at >= period.start, FeedbackRequest.asked_at < period.end,
               or_(OutboundSms.id.is_(None), OutboundSms.status.not_in(NEVER_SENT)))
        .order_by(FeedbackRequest.asked_at)
    )
    return [FeedbackRow._make(row) for row in rows]


def load_pulse(session: Session, period: Period) -> list[PulseRow]:
    """The rounds that began in the period, whole: one row per question, every one dated at
    the round's start (so a round is never split between weeks or periods), and the round's
    scores on as many of them as answered."""
    rounds = select(PulseQuestion.survey, func.min(PulseQuestion.asked_at).label("started_at"),
                    func.count().label("asked")).group_by(PulseQuestion.survey).subquery()
    began = session.execute(
        select(rounds.c.survey, rounds.c.started_at, rounds.c.asked)
        .where(rounds.c.started_at >= period.start, rounds.c.started_at < period.end)
        .order_by(rounds.c.survey)
    ).all()
    scores: dict[str, list[int]] = defaultdict(list)
    for survey, score, count in session.execute(
            select(PulseAnswer.survey, PulseAnswer.score, func.count())
            .where(PulseAnswer.survey.in_([survey for survey, _started, _asked in began]))
            .group_by(PulseAnswer.survey, PulseAnswer.score)):
        scores[survey].extend([score] * count)
    rows = []
    for survey, started_at, asked in began:
        answers = scores[survey][:asked]
        rows += [PulseRow(survey, started_at, score) for score in answers]
        rows += [PulseRow(survey, started_at)] * (asked - len(answers))
    return rows
