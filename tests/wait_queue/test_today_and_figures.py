"""Supervisors see who is on a call and how many callers wait (the Today page, reloading itself),
and the figures count the time in the queue, hang-ups while waiting and callers reached in 60 s."""
from __future__ import annotations

from datetime import timedelta

from tests.conftest import helsinki
from tests.web.conftest import as_supervisor, cheap_password_hashing, make_person, supervisor  # noqa: F401

from helpline.metrics.queue_figures import QueueRow, queue_figures


def test_the_today_page_shows_who_talks_and_how_many_wait_and_reloads_itself(
        simulator, as_supervisor, while_everyone_talks, clock):  # noqa: F811
    pages = []

    def look():
        simulator.call("+358501000003", park=True)
        clock.advance(seconds=95)
        pages.append(as_supervisor.get("/").get_data(as_text=True))

    while_everyone_talks(look)

    [page] = pages
    live = page[page.index('id="live-line"'):page.index('id="on-duty-now"')]
    assert "Aino" in live and "Bertil" in live and live.count("puhuu soittajan kanssa") == 2
    assert "1 soittaja odottaa jonossa" in live and "1 min 35 s" in live
    assert '<meta http-equiv="refresh" content="30">' in page
    after = as_supervisor.get("/").get_data(as_text=True)
    assert "Kukaan ei ole nyt auttavan puhelimen puhelussa." in after


def test_queue_figures_count_the_wait_the_hang_ups_and_who_was_reached_within_a_minute():
    start = helsinki("2027-01-11 10:00")

    def row(answered_after: int | None, waited: int | None = None, result: str | None = None) -> QueueRow:
        answered = None if answered_after is None else start + timedelta(seconds=answered_after)
        return QueueRow(start, answered, waited, result)

    figures = queue_figures([row(20), row(60), row(61), row(None, 40, "hangup"), row(200, 180, "bridged"),
                             row(None, 300, "timed_out"), row(None, 10, "left")])

    assert (figures.calls, figures.queued, figures.hung_up_waiting, figures.reached_within_60s) == (7, 4, 1, 2)
    assert figures.wait_median_seconds == 110 and figures.wait_p90_seconds == 300
    assert figures.share_reached_within_60s == 2 / 7
    assert queue_figures([]).share_reached_within_60s is None


def test_the_figures_page_shows_the_queue(simulator, as_supervisor, while_everyone_talks):  # noqa: F811
    while_everyone_talks(lambda: simulator.call("+358501000003", in_queue="hang-up", queue_rounds=1))

    page = as_supervisor.get("/figures/").get_data(as_text=True)
    tiles = page[page.index('id="queue"'):page.index('id="response"')]
    assert "sulki puhelimen jonossa" in tiles and "tavoitti ihmisen 60 sekunnissa" in tiles
