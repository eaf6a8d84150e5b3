"""A callback's page shows its conversation by text, oldest first, and staff reply from it; the
caller gets the reply from the line's number."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.models import CallbackRequest, ConversationMessage, OutboundSms, SmsOptOut
from tests.web.conftest import CALLER, post_form


@pytest.fixture
def conversation(line, clock, make_callback, worker):
    """Pekka's SMS conversation: two texts from the caller, one reply of his."""
    ref = make_callback(assignee=worker.staff)
    with line.db.session() as session:
        session.get(CallbackRequest, ref).channel = "sms"
        for minutes, sender, text, staff_id in ((50, "caller", "Hei <b>apua</b>\nolen yksin", None),
                                                (45, "line", "Hei, Pekka tässä.", worker.staff.id),
                                                (40, "caller", "Kiitos että vastasit", None)):
            session.add(ConversationMessage(callback_id=ref, at=clock.now() - timedelta(minutes=minutes),
                                            sender=sender, text=text, staff_id=staff_id))
    return ref


def test_the_assignee_sees_the_conversation_oldest_first_with_the_callers_words_as_text(as_worker, conversation):
    page = as_worker.get(f"/callbacks/{conversation}").get_data(as_text=True)
    first, reply, last = (page.index(words) for words in ("Hei &lt;b&gt;apua&lt;/b&gt;", "Hei, Pekka tässä.",
                                                            "Kiitos että vastasit"))
    assert first < reply < last
    assert "<b>apua</b>" not in page  # markup from a caller is shown, never obeyed
    assert "Linja: Pekka" in page and 'class="from-caller"' in page
    assert "Vastaa soittajalle" in page and "Lähetä vastaus" in page


def test_a_reply_from_the_page_goes_to_the_caller_from_the_line_and_is_the_first_response(
        as_worker, conversation, line, clock):
    response = post_form(as_worker, f"/callbacks/{conversation}/reply", {"text": "Soitan sinulle klo 14."},
                         token_from=f"/callbacks/{conversation}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/callbacks/{conversation}#conversation")
    with line.db.sessionmaker() as session:
        sms = session.scalar(select(OutboundSms))
        assert (sms.to_number, sms.body, sms.purpose) == (CALLER, "Soitan sinulle klo 14.", "conversation_reply")
        callback = session.get(CallbackRequest, conversation)
        assert (callback.status, callback.acknowledged_at) == ("acknowledged", clock.now())
    page = as_worker.get(f"/callbacks/{conversation}").get_data(as_text=True)
    assert "Vastauksesi on matkalla soittajalle linjan numerosta." in page


def test_a_reply_without_the_forms_token_is_refused(as_worker, conversation, line):
    response = as_worker.post(f"/callbacks/{conversation}/reply", data={"text": "Hei"})
    assert response.status_code == 400
    with line.db.sessionmaker() as session:
        assert session.scalar(select(OutboundSms)) is None


def test_a_reply_too_long_for_three_segments_is_refused_on_the_page(as_worker, conversation, line):
    response = post_form(as_worker, f"/callbacks/{conversation}/reply", {"text": "ä" * 460},
                         token_from=f"/callbacks/{conversation}")
    assert response.status_code == 422
    assert "Vastaus veisi 4 tekstiviestin osaa; enintään 3 voi lähettää" in response.get_data(as_text=True)
    with line.db.sessionmaker() as session:
        assert session.scalar(select(OutboundSms)) is None


def test_after_the_callers_stop_the_page_says_so_instead_of_offering_a_reply(as_worker, conversation, line, clock):
    with line.db.session() as session:
        session.add(SmsOptOut(number=CALLER, opted_out_at=clock.now(), source="stop-sms"))
    page = as_worker.get(f"/callbacks/{conversation}").get_data(as_text=True)
    assert "Soittaja on lähettänyt STOP" in page and "Lähetä vastaus" not in page
    response = post_form(as_worker, f"/callbacks/{conversation}/reply", {"text": "Hei"},
                         token_from=f"/callbacks/{conversation}")
    assert response.status_code == 409


def test_staff_cannot_reply_to_someone_elses_callback(as_worker, make_callback, make_staff, line):
    theirs = make_callback("+358401000002", assignee=make_staff("Aino"))
    response = post_form(as_worker, f"/callbacks/{theirs}/reply", {"text": "Hei"}, token_from="/callbacks/")
    assert response.status_code == 404
    with line.db.sessionmaker() as session:
        assert session.scalar(select(ConversationMessage)) is None


def test_the_list_says_which_callbacks_are_conversations_by_text(as_worker, conversation):
    page = as_worker.get("/callbacks/").get_data(as_text=True)
    assert "tekstiviestein" in page
