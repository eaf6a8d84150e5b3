"""A caller whose callback was settled gets one SMS asking how well they were helped, and their
answer is kept with the callback: through signed webhooks, a real worker and the fake Twilio."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import helsinki
from feedback.conftest import CALLER
from helpline.feedback.callers import ask_after_close
from helpline.metrics.compute import Period
from helpline.metrics.period import csv_export, metrics_for
from helpline.models import CallbackRequest, FeedbackRequest
from helpline.queue.retention import purge_expired
from helpline.tokens import create_token

LANDLINE_CALLER = "+35891234567"  # a Helsinki fixed line: it cannot get an SMS


@pytest.fixture
def api_close(client, line, clock):
    with line.db.session() as session:
        token = create_token(session, "supervisor's laptop", "supervisor", clock.now())

    def close(ref: int, outcome: str = "resolved", **body):
        response = client.post(f"/api/callbacks/{ref}/close", json={"outcome": outcome, **body},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.get_data(as_text=True)

    return close


@pytest.fixture
def feedback_of(line):
    def read(callback_id: int) -> FeedbackRequest | None:
        with line.db.sessionmaker() as session:
            return session.scalar(select(FeedbackRequest).where(FeedbackRequest.callback_id == callback_id))

    return read


def question_texts(fake_twilio, number: str = CALLER) -> list[str]:
    return [message["body"] for message in fake_twilio.messages_to(number) if "1-5" in message["body"]]


def test_a_caller_helped_gets_one_question_half_an_hour_after_done_and_their_answer_is_kept(
        team, make_callback, text_line, deliver, clock, fake_twilio, feedback_of, stored):
    ref = make_callback(assignee=team.aino)
    text_line(team.aino, f"VALMIS {ref} soitettu")
    assert deliver() == 1  # Aino's confirmation only: the question waits
    assert question_texts(fake_twilio) == []

    clock.advance(minutes=30)
    assert deliver() == 1
    [question] = question_texts(fake_twilio)
    assert question.startswith("Kiitos, kun otit yhteyttä. Kuinka hyvin sait apua?")

    clock.advance(minutes=5)
    text_line(CALLER, "4 kiitos, auttoi paljon", sid="SM" + "f" * 32)
    text_line(CALLER, "4 kiitos, auttoi paljon", sid="SM" + "f" * 32)  # Twilio delivers it again
    feedback = feedback_of(ref)
    assert (feedback.score, feedback.comment) == (4, "kiitos, auttoi paljon")
    assert feedback.answered_at == helsinki("2027-01-11 10:35")
    assert len([sms for sms in stored.inbound() if sms.from_number == CALLER]) == 1
    assert deliver() == 0 and len(fake_twilio.messages_to(CALLER)) == 1  # no reply to the answer


def test_the_first_score_counts_and_later_messages_only_add_words_once(
        team, make_callback, api_close, deliver, text_line, clock, feedback_of):
    ref = make_callback(assignee=team.carol, language="en")
    api_close(ref, "referred", topic="debt")
    clock.advance(minutes=30)
    deliver()
    text_line(CALLER, "2")
    text_line(CALLER, "5 sorry, I meant five")  # a second score is not counted
    text_line(CALLER, "and another thought")
    feedback = feedback_of(ref)
    assert (feedback.score, feedback.comment) == (2, "sorry, I meant five")


def test_words_without_a_score_reach_the_line_as_a_new_conversation_and_a_score_may_still_follow(
        team, make_callback, api_close, deliver, text_line, clock, feedback_of, line):
    """Only a message that begins with a score is read as the answer: a caller who writes
    anything else after the question must reach a person, not the figures."""
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    clock.advance(minutes=30)
    deliver()
    text_line(CALLER, "Kiitos, olitte ystävällisiä")
    assert (feedback_of(ref).score, feedback_of(ref).comment) == (None, None)
    text_line(CALLER, "5 olitte ystävällisiä")
    assert (feedback_of(ref).score, feedback_of(ref).comment) == (5, "olitte ystävällisiä")
    with line.db.sessionmaker() as session:
        conversation = session.scalar(select(CallbackRequest).where(CallbackRequest.status != "closed"))
        assert (conversation.caller, conversation.channel) == (CALLER, "sms")
        assert [message.text for message in conversation.conversation] == ["Kiitos, olitte ystävällisiä"]


def test_the_question_speaks_the_callers_language(team, make_callback, api_close, deliver, clock, fake_twilio):
    ref = make_callback(assignee=team.bertil, language="sv")
    api_close(ref)
    clock.advance(minutes=30)
    deliver()
    assert question_texts(fake_twilio)[0].startswith("Tack för att du hörde av dig.")


def test_a_callback_closed_in_the_evening_asks_the_next_morning(
        team, make_callback, api_close, deliver, clock, fake_twilio, feedback_of):
    clock.set(helsinki("2027-01-11 19:45"))
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    assert feedback_of(ref).asked_at == helsinki("2027-01-12 09:00")
    clock.set(helsinki("2027-01-11 20:15"))
    deliver()
    clock.set(helsinki("2027-01-12 08:59"))
    deliver()
    assert question_texts(fake_twilio) == []
    clock.set(helsinki("2027-01-12 09:00"))
    deliver()
    assert len(question_texts(fake_twilio)) == 1


@pytest.mark.parametrize("outcome", ["unreachable"])
def test_a_caller_who_could_not_be_reached_is_not_asked(team, make_callback, api_close, deliver, clock,
                                                        fake_twilio, feedback_of, outcome):
    ref = make_callback(assignee=team.aino)
    api_close(ref, outcome)
    clock.advance(hours=2)
    deliver()
    assert feedback_of(ref) is None and question_texts(fake_twilio) == []


def test_a_fixed_line_caller_is_not_asked(team, make_callback, api_close, deliver, clock, fake_twilio, feedback_of):
    ref = make_callback(LANDLINE_CALLER, assignee=team.aino)
    api_close(ref)
    clock.advance(hours=2)
    deliver()
    assert feedback_of(ref) is None and fake_twilio.messages_to(LANDLINE_CALLER) == []


def test_a_caller_who_said_stop_is_never_asked(team, make_callback, api_close, text_line, deliver, clock,
                                                fake_twilio, feedback_of):
    text_line(CALLER, "STOP")
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    clock.advance(hours=2)
    deliver()
    assert feedback_of(ref) is None and fake_twilio.messages_to(CALLER) == []


def test_a_stop_after_closing_stops_the_question_too_and_nobody_counts_as_asked(
        team, make_callback, api_close, text_line, deliver, clock, fake_twilio, line, stored):
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    clock.advance(minutes=10)
    text_line(CALLER, "STOP")
    clock.advance(minutes=20)
    deliver()
    assert fake_twilio.messages_to(CALLER) == []
    [question] = [sms for sms in stored.outbound(CALLER) if sms.purpose == "caller_feedback"]
    assert question.status == "suppressed"
    with line.db.session() as session:
        figures = metrics_for(session, line.settings, Period(helsinki("2027-01-11 00:00"), helsinki("2027-01-12 00:00")),
                              clock.now()).period
    assert figures.satisfaction.asked == 0


def test_a_caller_helped_twice_in_a_month_is_asked_once(team, make_callback, api_close, deliver, clock,
                                                        fake_twilio, feedback_of):
    first = make_callback(assignee=team.aino)
    api_close(first)
    clock.advance(days=10)
    second = make_callback(assignee=team.aino)
    api_close(second)
    clock.advance(hours=1)
    deliver()
    assert feedback_of(first) is not None and feedback_of(second) is None
    assert len(question_texts(fake_twilio)) == 1
    clock.advance(days=25)  # a month after the first question, a new callback is asked about again
    third = make_callback(assignee=team.aino)
    api_close(third)
    assert feedback_of(third) is not None


def test_closing_twice_or_planning_twice_asks_once(team, make_callback, api_close, line, clock, feedback_of):
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    with line.db.session() as session:
        callback = session.get(CallbackRequest, ref)
        # The same planning again (a retried transaction, a second path): one question.
        assert ask_after_close(session, callback, clock.now()) == "not asked: asked lately already"
    with line.db.session() as session:
        assert len(session.scalars(select(FeedbackRequest)).all()) == 1


def test_a_callback_without_a_textable_number_is_not_asked(team, make_callback, line, clock):
    ref = make_callback("anonymous", assignee=team.aino)
    with line.db.session() as session:
        callback = session.get(CallbackRequest, ref)
        callback.outcome = "resolved"
        assert ask_after_close(session, callback, clock.now()) == "not asked: no number to text"


def test_an_sms_from_someone_never_asked_changes_nothing(team, make_callback, text_line, line, deliver, fake_twilio):
    text_line("+358409998877", "5")
    with line.db.session() as session:
        assert session.scalars(select(FeedbackRequest)).all() == []
    assert deliver() == 0 and fake_twilio.messages == []


def test_a_reply_two_weeks_late_is_not_counted(team, make_callback, api_close, deliver, text_line, clock, feedback_of):
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    clock.advance(minutes=30)
    deliver()
    clock.advance(days=14, minutes=1)
    text_line(CALLER, "5")
    assert feedback_of(ref).score is None


def test_satisfaction_and_the_callers_words_reach_the_figures_and_the_csv_without_numbers(
        team, make_callback, api_close, deliver, text_line, clock, line):
    answers = {"+358401000001": "5 Kiitos", "+358401000002": "3", "+358401000003": None}
    for number, answer in answers.items():
        ref = make_callback(number, assignee=team.aino)
        api_close(ref)
    clock.advance(minutes=30)
    deliver()
    for number, answer in answers.items():
        if answer:
            text_line(number, answer)
    period = Period(helsinki("2027-01-11 00:00"), helsinki("2027-01-18 00:00"))
    with line.db.session() as session:
        satisfaction = metrics_for(session, line.settings, period, clock.now()).period.satisfaction
        rows = csv_export(session, line.settings, period, "feedback", clock.now())
    # Asked 3, answered 2: (5 + 3) / 2 = 4.0.
    assert (satisfaction.asked, satisfaction.answered, satisfaction.average) == (3, 2, 4.0)
    assert satisfaction.scores == (0, 0, 1, 0, 1) and satisfaction.words == ("Kiitos",)
    assert rows.splitlines()[0] == "callback,asked_at,answered_at,score,words"
    assert len(rows.splitlines()) == 4 and "Kiitos" in rows and "+358" not in rows and "0401" not in rows


def test_retention_masks_the_number_asked_and_the_number_that_answered_but_keeps_the_answer(
        team, make_callback, api_close, deliver, text_line, clock, line, feedback_of, stored):
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    clock.advance(minutes=30)
    deliver()
    clock.advance(days=3)  # the answer comes days later, still within the window
    text_line(CALLER, "5 hyvä")
    clock.advance(days=line.settings.retention_days + 1)
    purge_expired(line, clock.now())
    feedback = feedback_of(ref)
    assert (feedback.caller, feedback.score, feedback.comment) == ("masked", 5, "hyvä")
    assert [sms.from_number for sms in stored.inbound()] == ["masked"]
    assert all(sms.to_number != CALLER for sms in stored.outbound())


def test_metrics_count_a_question_by_when_it_went_out(team, make_callback, api_close, line, clock):
    clock.set(helsinki("2027-01-17 21:00"))  # Sunday evening: the question goes on Monday morning
    api_close(make_callback(assignee=team.aino))
    sunday = Period(helsinki("2027-01-11 00:00"), helsinki("2027-01-18 00:00"))
    monday = Period(helsinki("2027-01-18 00:00"), helsinki("2027-01-19 00:00"))
    with line.db.session() as session:
        asked = [metrics_for(session, line.settings, period, clock.now() + timedelta(days=1)).period.satisfaction.asked
                 for period in (sunday, monday)]
    assert asked == [0, 1]


def test_a_message_before_the_question_went_out_is_no_answer_to_it(
        team, make_callback, api_close, text_line, clock, feedback_of):
    ref = make_callback(assignee=team.aino)
    api_close(ref)
    clock.advance(minutes=5)
    text_line(CALLER, "5 thanks for calling back")  # before the question was sent: not its answer
    feedback = feedback_of(ref)
    assert (feedback.score, feedback.comment) == (None, None)
