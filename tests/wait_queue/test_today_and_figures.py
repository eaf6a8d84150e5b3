"""Supervisors see who is on a call and how many callers wait (the Today page, reloading itself),
and the figures count the time in the queue, hang-ups while waiting and callers reached in 60 s."""
from __future__ import annotations

import csv
import io
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



# Aino and Bertil each answer a caller (2 of 3 reached a person within 60 s); a third caller waits
# one round in the queue (24 s) and hangs up there.
QUEUE = {"calls": 3, "queued": 1, "wait_median_seconds": 24.0, "wait_p90_seconds": 24.0, "hung_up_waiting": 1,
         "reached_within_60s": 2, "share_reached_within_60s": 0.6667}


def test_the_api_its_csv_and_the_pages_csv_give_the_queues_figures(
        simulator, while_everyone_talks, client, line, clock, as_supervisor):  # noqa: F811
    from openapi_schema_validator import OAS31Validator

    from helpline.tokens import create_token

    while_everyone_talks(lambda: simulator.call("+358501000003", in_queue="hang-up", queue_rounds=1))
    with line.db.session() as session:
        headers = {"Authorization": f"Bearer {create_token(session, 'laptop', 'staff', clock.now())}"}
    today = clock.now().astimezone(line.settings.timezone).date()
    period = f"from={today}&to={today + timedelta(days=1)}"

    body = client.get(f"/api/metrics?{period}", headers=headers).get_json()
    assert body["queue"] == QUEUE
    document = client.get("/api/openapi.json").get_json()
    OAS31Validator({**document, "$ref": "#/components/schemas/Metrics"}).validate(body)
    assert set(document["components"]["schemas"]["MetricsQueue"]["required"]) == set(QUEUE)

    def queue_lines(text: str) -> dict[str, str]:
        rows = list(csv.reader(io.StringIO(text)))
        return {row[5]: row[6] for row in rows if row[3] == "queue" and row[0] == "period"}

    expected = {name: str(value) for name, value in QUEUE.items()}
    assert queue_lines(client.get(f"/api/metrics.csv?{period}", headers=headers).get_data(as_text=True)) == expected
    page_csv = as_supervisor.get(f"/figures/export.csv?from={today}&to={today}").get_data(as_text=True)
    assert queue_lines(page_csv) == expected


def test_the_monthly_report_gives_the_queues_figures(simulator, while_everyone_talks, app, tmp_path):
    while_everyone_talks(lambda: simulator.call("+358501000003", in_queue="hang-up", queue_rounds=1))
    out = tmp_path / "january.html"

    result = app.test_cli_runner().invoke(args=["report", "--month", "2027-01", "--out", str(out)])

    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    queue = html[html.index('<section id="queue">'):]
    queue = queue[:queue.index("</section>")]
    assert "<b>67 %</b><span>reached a person within 60 s (2 of 3 calls while the line was open)</span>" in queue
    assert "<b>1</b><span>waited in the queue</span>" in queue
    assert "<b>24 s</b><span>in the queue (median)</span>" in queue
    assert "<b>24 s</b><span>in the queue (90th percentile)</span>" in queue
    assert "<b>1</b><span>hung up while waiting</span>" in queue
