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
    assert re.search(r"<td>Bertil</td><td>1</td><td>1</td><td>0</td><td>1</td><td>1</td>", html)
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
    html = client.get("/figures/?from=11.1.2027").get_data(as_text=True)
    assert "is not a date like 2027-01-07" in html
