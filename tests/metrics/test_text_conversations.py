"""The figures of conversations by text, as pure functions of plain rows."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from helpline.metrics.figures import NO_TEXTS, contacts, text_conversations
from helpline.metrics.rows import CallbackRow, ConversationRow

T0 = datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc)


def row(callback_id: int, *, caller: int = 1, line: int = 0, automatic: int = 0, reply_after: int | None = None,
        last_after: int = 0, caller_first: bool = True, channel: str = "sms") -> ConversationRow:
    return ConversationRow(callback_id, T0, channel, caller, line, automatic, T0, T0 + timedelta(seconds=last_after),
                           T0 if caller_first else None,
                           None if reply_after is None else T0 + timedelta(seconds=reply_after))


def test_no_conversations_no_figures():
    assert text_conversations([]) == NO_TEXTS


def test_messages_length_and_time_to_first_reply():
    figures = text_conversations([
        row(1, caller=2, line=1, reply_after=240, last_after=360),
        row(2, caller=1, automatic=1),  # answered only by the machine: no reply, no length
        row(3, caller=3, line=2, reply_after=60, last_after=1200),
        row(4, caller=0, line=1, reply_after=0, caller_first=False, channel="voice"),  # staff texted a voicemail caller
    ])
    assert (figures.conversations, figures.from_caller, figures.from_line, figures.automatic) == (4, 6, 4, 1)
    assert (figures.median_messages, figures.p90_messages) == (2.5, 5.0)
    assert (figures.replied, figures.first_reply_median_seconds, figures.first_reply_p90_seconds) == (2, 150.0, 240.0)
    assert (figures.length.count, figures.length.median_seconds) == (2, 780.0)


def test_contacts_count_conversations_by_the_channel_they_began_on():
    created = [CallbackRow(1, T0, "new"), CallbackRow(2, T0, "new", channel="sms"),
               CallbackRow(3, T0, "new", channel="sms"), CallbackRow(4, T0, "new", channel="chat")]
    counted = contacts([], created)
    assert (counted.callback_requests, counted.sms_conversations, counted.chat_conversations) == (4, 2, 1)
