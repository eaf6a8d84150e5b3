"""A conversation's words go after RETENTION_DAYS like a recording, and the number is masked; what
stays is enough for the figures: contacts by channel, time to the first reply, conversations' length."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from conftest import helsinki
from conversations.conftest import CALLER
from helpline.metrics.compute import Period
from helpline.metrics.period import metrics_for
from helpline.models import Base
from helpline.queue.retention import purge_expired

WORDS = ("Minulla on paha olla", "Kiitos, soita vaikka huomenna", "Hei, Aino tässä. Soitanko sinulle nyt?")


def _everything_stored(line) -> str:
    with line.db.engine.connect() as connection:
        return "\n".join(repr(row) for table in Base.metadata.sorted_tables
                         for row in connection.execute(text(f'SELECT * FROM "{table.name}"')))


def _a_conversation(week_rota, text_line, tick, stored, clock) -> int:
    text_line(CALLER, WORDS[0])
    tick()
    ref = stored.callbacks()[0].id
    clock.advance(minutes=4)
    text_line(week_rota.aino, f"VASTAA {ref} {WORDS[2]}")
    clock.advance(minutes=2)
    text_line(CALLER, WORDS[1])
    tick(seconds=61)
    clock.advance(minutes=10)
    text_line(week_rota.aino, f"VALMIS {ref} sovittu soitto")
    tick()
    return ref


def test_after_the_retention_period_the_words_are_gone_and_the_number_masked(
        week_rota, text_line, tick, stored, clock, line, api):
    ref = _a_conversation(week_rota, text_line, tick, stored, clock)
    everything = _everything_stored(line)
    assert all(words in everything for words in WORDS) and CALLER in everything

    report = purge_expired(line, clock.now() + timedelta(days=line.settings.retention_days - 1))
    assert report.texts_scrubbed == 0  # not yet

    report = purge_expired(line, clock.now() + timedelta(days=line.settings.retention_days + 1))
    assert (report.callbacks_masked, report.texts_scrubbed) == (1, 3)
    everything = _everything_stored(line)
    leftovers = [line_ for line_ in everything.splitlines() if any(words in line_ for words in WORDS)]
    assert leftovers == []
    assert CALLER not in everything and "050 1234567" not in everything
    conversation = api.get(f"/api/callbacks/{ref}").get_json()["conversation"]
    assert [(entry["from"], entry["text"]) for entry in conversation] == [("caller", ""), ("line", ""), ("caller", "")]
    assert purge_expired(line, clock.now() + timedelta(days=line.settings.retention_days + 2)).texts_scrubbed == 0


def test_the_figures_count_contacts_by_channel_the_first_reply_and_the_conversations_length(
        week_rota, text_line, tick, stored, clock, line, api):
    _a_conversation(week_rota, text_line, tick, stored, clock)
    clock.set(helsinki("2027-01-11 18:00"))
    text_line("+358501110099", "Onko auki?")  # after hours: only the automatic answer, no reply yet
    tick()
    period = Period(helsinki("2027-01-11 00:00"), helsinki("2027-01-18 00:00"))

    def figures():
        with line.db.session() as session:
            return metrics_for(session, line.settings, period, helsinki("2027-01-12 12:00")).period

    before = figures()
    assert (before.contacts.calls, before.contacts.sms_conversations, before.contacts.chat_conversations) == (0, 2, 0)
    texts = before.conversations.texts
    assert (texts.conversations, texts.from_caller, texts.from_line, texts.replied) == (2, 3, 1, 1)
    assert texts.first_reply_median_seconds == 4 * 60  # the automatic answer is not a reply
    assert texts.length.count == 1 and texts.length.median_seconds == 6 * 60  # first to last message
    assert texts.median_messages == 2.5

    body = api.get("/api/metrics?from=2027-01-11T00:00&to=2027-01-18T00:00").get_json()["figures"]
    assert body["contacts"]["sms_conversations"] == 2
    assert body["conversations"]["texts"]["first_reply_median_seconds"] == 240

    purge_expired(line, clock.now() + timedelta(days=line.settings.retention_days + 1))
    assert figures() == before  # the figures do not change when the words go
