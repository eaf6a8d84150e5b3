"""The monthly wellbeing pulse: every active staff member asked once a month, answers kept apart
from names, and a team average only where at least three answered."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conftest import helsinki
from helpline.feedback.pulse import ANSWER_REDACTED
from helpline.metrics.compute import Period
from helpline.metrics.period import metrics_for
from helpline.models import InboundSms, PulseAnswer, PulseQuestion
from helpline.queue.sweep import PULSE_EVERY, run_sweep

PULSE_WORDS = {"fi": "miten jaksat", "sv": "hur orkar du", "en": "how are you coping"}


@pytest.fixture
def weekday_hours(office_hours):
    office_hours()  # Monday to Friday, 09:00-15:00


@pytest.fixture
def sweep_pulse(worker_line, clock, run_worker, redis):
    """What `helpline sweep` does every PULSE_EVERY: queue the pulse job; then a worker runs it
    and the SMS it queued."""

    def run(moment: str) -> None:
        clock.set(helsinki(moment))
        redis.delete("helpline:sweep:pulse-turn")  # the test's clock jumps; Redis' TTL is real time
        run_sweep(worker_line, now=clock.now(), reconcile_every=None, pulse_every=PULSE_EVERY)
        run_worker()

    return run


def pulse_texts(fake_twilio, number: str) -> list[str]:
    return [m["body"] for m in fake_twilio.messages_to(number) if any(w in m["body"] for w in PULSE_WORDS.values())]


def test_the_january_round_goes_to_every_active_staff_member_once_on_the_first_working_morning(
        weekday_hours, team, text_line, sweep_pulse, fake_twilio, line):
    text_line(team.carol, "STOP")  # Carol said STOP: she is not asked
    sweep_pulse("2027-01-01 10:00")  # New Year's Day: a holiday
    sweep_pulse("2027-01-04 09:59")  # the line opened at 09:00; the round starts an hour later
    assert fake_twilio.messages == []

    sweep_pulse("2027-01-04 10:00")
    sweep_pulse("2027-01-04 10:15")  # again: nobody is asked twice
    for person, language in ((team.aino, "fi"), (team.bertil, "sv"), (team.sanna, "fi")):
        [question] = pulse_texts(fake_twilio, person.phone)
        assert PULSE_WORDS[language] in question
    assert pulse_texts(fake_twilio, team.carol.phone) == []
    assert pulse_texts(fake_twilio, team.olli.phone) == []  # Olli has left
    with line.db.session() as session:
        assert session.scalar(select(func.count()).select_from(PulseQuestion)) == 3


def test_a_round_missed_in_the_night_waits_for_the_line_to_open(weekday_hours, team, sweep_pulse, fake_twilio):
    sweep_pulse("2027-02-01 22:00")  # the sweeper was down all day on the 1st: not at night
    assert fake_twilio.messages == []
    sweep_pulse("2027-02-02 09:00")
    assert len(pulse_texts(fake_twilio, team.aino.phone)) == 1


def test_someone_who_joins_in_the_rounds_first_week_is_asked_on_the_next_run_and_later_next_month(
        weekday_hours, team, make_staff, sweep_pulse, fake_twilio):
    sweep_pulse("2027-01-04 10:00")
    early = make_staff("Niina", "+358401110009", languages=("fi",))
    sweep_pulse("2027-01-08 11:00")
    late = make_staff("Pekka", "+358401110010", languages=("fi",))
    sweep_pulse("2027-01-11 11:00")  # a week after the round began: it is over
    assert len(pulse_texts(fake_twilio, early.phone)) == 1
    assert pulse_texts(fake_twilio, late.phone) == []
    assert len(pulse_texts(fake_twilio, team.aino.phone)) == 1
    sweep_pulse("2027-02-01 10:00")  # February's round: everyone, Pekka too
    assert len(pulse_texts(fake_twilio, late.phone)) == 1
    assert len(pulse_texts(fake_twilio, team.aino.phone)) == 2


def test_an_answer_is_thanked_and_kept_without_the_name_and_a_second_is_not_counted(
        weekday_hours, team, sweep_pulse, text_line, texts_to, clock, line):
    sweep_pulse("2027-01-04 10:00")
    clock.set(helsinki("2027-01-04 12:00"))
    text_line(team.aino, "4")
    assert texts_to(team.aino.phone)[-1] == "Kiitos vastauksesta. Se lasketaan vain tiimin keskiarvoon."
    text_line(team.aino, "1")
    assert texts_to(team.aino.phone)[-1] == "Tämän kuun vastauksesi on jo kirjattu. Kiitos!"
    with line.db.session() as session:
        assert [(answer.survey, answer.score) for answer in session.scalars(select(PulseAnswer))] == [("2027-01", 4)]
        # The stored SMS no longer say what Aino answered.
        bodies = session.scalars(select(InboundSms.body).where(InboundSms.staff_id == team.aino.id)).all()
        assert bodies == [ANSWER_REDACTED, ANSWER_REDACTED]
        question = session.scalar(select(PulseQuestion).where(PulseQuestion.staff_id == team.aino.id))
        assert question.answered is True


def test_a_number_without_an_open_question_is_still_a_mistaken_command(team, text_line, texts_to):
    text_line(team.aino, "4")
    [reply] = texts_to(team.aino.phone)
    assert "Kiitos" not in reply and "4" in reply  # the usual "what did you mean" reply


def test_commands_still_work_while_a_pulse_question_is_open(weekday_hours, team, sweep_pulse, text_line, texts_to,
                                                            line):
    sweep_pulse("2027-01-04 10:00")
    text_line(team.aino, "HELP")
    assert "OK" in texts_to(team.aino.phone)[-1]
    text_line(team.aino, "4 hyvin menee")  # words with it: not a bare score, so not an answer
    with line.db.session() as session:
        assert session.scalar(select(func.count()).select_from(PulseAnswer)) == 0


def test_the_team_average_shows_only_once_three_have_answered(weekday_hours, team, sweep_pulse, text_line, clock,
                                                              line):
    sweep_pulse("2027-01-04 10:00")
    january = Period(helsinki("2027-01-01 00:00"), helsinki("2027-02-01 00:00"))

    def january_round():
        with line.db.session() as session:
            [round_] = metrics_for(session, line.settings, january, clock.now()).period.pulse
        return round_.asked, round_.answered, round_.average

    text_line(team.aino, "2")
    text_line(team.bertil, "5")
    assert january_round() == (4, 2, None)  # two answers could be told apart: no average
    text_line(team.sanna, "4")
    assert january_round() == (4, 3, 3.67)  # (2 + 5 + 4) / 3
