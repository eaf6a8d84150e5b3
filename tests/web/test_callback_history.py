"""A callback's history says everything that happened to it in the reader's language: every SMS
with what it was for, and the caller's answer to the feedback question."""
from __future__ import annotations

from datetime import timedelta

from helpline.models import FeedbackRequest, OutboundSms


def test_the_feedback_question_and_the_caller_s_answer_are_in_the_history(as_supervisor, make_callback, line,
                                                                           clock):
    ref = make_callback("+358401000001", status="closed")
    asked = clock.now() + timedelta(minutes=30)
    with line.db.session() as session:
        question = OutboundSms(to_number="+358401000001", callback_id=ref, purpose="caller_feedback",
                               body="Kiitos yhteydenotosta. Kuinka hyvin sinua autettiin?", status="delivered",
                               dedupe_key="feedback-1", created_at=asked, sent_at=asked)
        session.add(question)
        session.flush()
        session.add(FeedbackRequest(callback_id=ref, caller="+358401000001", outbound_id=question.id,
                                    created_at=clock.now(), asked_at=asked, score=4,
                                    answered_at=asked + timedelta(minutes=7), comment="Kiitos, auttoi"))
    html = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert "Tekstiviesti: 040 1000001, palautekysymys" in html
    assert "Soittaja vastasi palautekysymykseen: 4/5" in html and "Kiitos, auttoi" in html
    assert html.index("palautekysymys") < html.index("Soittaja vastasi")  # in time order
    assert "caller feedback" not in html


def test_an_sms_for_a_purpose_the_page_does_not_know_is_still_listed_without_english(as_supervisor, make_callback,
                                                                                      line, clock):
    ref = make_callback("+358401000001")
    with line.db.session() as session:
        session.add(OutboundSms(to_number="+358401000001", callback_id=ref, purpose="something_new", body="Hei",
                                status="sent", dedupe_key="new-1", created_at=clock.now(), sent_at=clock.now()))
    html = as_supervisor.get(f"/callbacks/{ref}").get_data(as_text=True)
    assert "Tekstiviesti: 040 1000001" in html and "something new" not in html
