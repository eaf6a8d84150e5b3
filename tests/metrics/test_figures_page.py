"""The Figures page (/figures): what a supervisor sees and downloads; staff may not."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ElementTree

from tests.metrics.conftest import CALLER_A, CALLER_B, CALLER_D
# The web tests' accounts and signing in (fixtures are found where they are imported).
from tests.web.conftest import cheap_password_hashing, make_person, sign_in, supervisor, worker  # noqa: F401

PERIOD = "from=2027-01-11&to=2027-01-12"


def test_a_supervisor_sees_the_period_s_figures_and_charts_without_caller_numbers(client, supervisor,
                                                                                  recorded_days):
    sign_in(client, supervisor)
    response = client.get(f"/figures/?{PERIOD}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    contacts = re.search(r'<div class="figures-tiles" id="contacts">(.*?)</div>\s*\n\s*<h2>', html, re.S).group(1)
    assert re.search(r"<b>5</b>", contacts) and re.search(r"<b>1</b>", contacts)
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    # Heat map, two trends, outcomes, topics, load (no feedback yet, so no satisfaction or pulse).
    assert len(svgs) == 6
    for svg in svgs:
        ElementTree.fromstring(svg)
    cells = re.sub(r"<td [^>]*>", "<td>", html)  # each cell carries its column's name for phones
    assert re.search(r"<td>Bertil</td><td>1</td><td>1</td><td>0</td><td>1</td><td>1</td>", cells)
    for number in (CALLER_A, CALLER_B, CALLER_D):
        assert number not in html and number[4:] not in html
    assert 'href="/figures/export.csv?rows=calls&amp;from=2027-01-11&amp;to=2027-01-12"' in html


def test_the_figures_link_shows_in_a_supervisor_s_navigation(client, supervisor):
    sign_in(client, supervisor)
    assert 'href="/figures/"' in client.get("/").get_data(as_text=True)


def test_staff_cannot_open_the_figures(client, worker, recorded_days):
    sign_in(client, worker)
    assert client.get("/figures/").status_code in (302, 403)
    assert 'href="/figures/"' not in client.get("/").get_data(as_text=True)


def test_a_supervisor_downloads_the_anonymised_calls(client, supervisor, recorded_days):
    sign_in(client, supervisor)
    response = client.get(f"/figures/export.csv?rows=calls&{PERIOD}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    calls = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [call["caller"] for call in calls] == ["caller-1", "caller-2", "caller-1", "", "caller-3"]


def test_a_mistyped_date_is_named_and_the_month_shown_instead(client, supervisor):
    sign_in(client, supervisor)
    html = client.get("/figures/?from=31.2.2027").get_data(as_text=True)
    assert "31.2.2027" in html and "ei ole päivämäärä" in html


def test_callers_words_and_the_feedback_csv_show_on_the_page_and_pulse_rounds_only_as_averages(
        client, supervisor, recorded_days, line, make_staff):
    from helpline.models import FeedbackRequest, PulseAnswer, PulseQuestion
    from tests.metrics.conftest import at

    with line.db.session() as session:
        session.add_all([
            FeedbackRequest(callback_id=1, caller=CALLER_A, created_at=at("2027-01-11 10:00"),
                            asked_at=at("2027-01-11 10:30"), score=5, answered_at=at("2027-01-11 11:00"),
                            comment="Kiitos kuuntelusta"),
            FeedbackRequest(callback_id=2, caller=CALLER_D, created_at=at("2027-01-12 10:30"),
                            asked_at=at("2027-01-12 11:00")),
        ])
        others = [make_staff(f"Staff {n}", f"+35840111100{n}") for n in (3, 4)]
        for staff_id in [1, 2] + [person.id for person in others]:
            session.add(PulseQuestion(survey="2027-01", staff_id=staff_id, asked_at=at("2027-01-11 10:00"),
                                      answered=staff_id != 2))
        session.add_all([PulseAnswer(survey="2027-01", score=score) for score in (2, 4, 5)])
    sign_in(client, supervisor)
    html = client.get(f"/figures/?{PERIOD}").get_data(as_text=True)
    assert "<li>Kiitos kuuntelusta</li>" in html
    # Satisfaction (1 of 2 answered) and the pulse (3 of 4 answered: average (2 + 4 + 5) / 3).
    assert "1/2 vastasi; keskiarvo 5.0." in html or "1 of 2 answered; average 5.0." in html
    assert len(re.findall(r"<svg.*?</svg>", html, flags=re.S)) == 8
    assert "3.67" in html
    assert 'href="/figures/export.csv?rows=feedback&amp;from=2027-01-11&amp;to=2027-01-12"' in html
    rows = list(csv.DictReader(io.StringIO(client.get(f"/figures/export.csv?rows=feedback&{PERIOD}")
                                           .get_data(as_text=True))))
    assert [(row["callback"], row["score"], row["words"]) for row in rows] == [
        ("1", "5", "Kiitos kuuntelusta"), ("2", "", "")]
