"""GET /api/metrics and /api/metrics.csv: what a supervisor's (or staff member's) tool reads."""
from __future__ import annotations

import csv
import io

import pytest

from helpline.tokens import create_token

from tests.metrics.conftest import CALLER_A, CALLER_B, CALLER_D

PERIOD = "from=2027-01-11&to=2027-01-13"


@pytest.fixture
def bearer(line, clock):
    def make(role: str) -> dict[str, str]:
        with line.db.session() as session:
            return {"Authorization": f"Bearer {create_token(session, f'{role} laptop', role, clock.now())}"}

    return make


def test_a_staff_token_reads_the_figures_of_a_period_and_its_weeks(client, bearer, recorded_days):
    response = client.get(f"/api/metrics?{PERIOD}", headers=bearer("staff"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["from"], body["to"]) == ("2027-01-11T00:00:00+02:00", "2027-01-13T00:00:00+02:00")
    assert body["target"] == "the same working day"
    figures = body["figures"]
    assert figures["contacts"]["calls"] == 5 and figures["contacts"]["repeat_callers"] == 1
    assert figures["topics"]["top"] == [{"topic": "Grief", "count": 1}, {"topic": "money", "count": 1}]
    assert figures["heat_map"]["calls"][0][9] == 2  # Monday 09:10 and 09:40
    assert figures["heat_map"]["busiest"] == {"weekday": "monday", "hour": 9, "calls": 2}
    assert [week["week"] for week in body["weeks"]] == ["2027-W02"]
    assert not {CALLER_A, CALLER_B, CALLER_D} & set(response.get_data(as_text=True).split('"'))


def test_the_figures_match_the_documented_schema(client, bearer, recorded_days):
    from openapi_schema_validator import OAS31Validator

    document = client.get("/api/openapi.json").get_json()
    body = client.get(f"/api/metrics?{PERIOD}", headers=bearer("supervisor")).get_json()
    OAS31Validator({**document, "$ref": "#/components/schemas/Metrics"}).validate(body)


def test_without_a_token_the_figures_are_refused(client, recorded_days):
    assert client.get("/api/metrics").status_code == 401


@pytest.mark.parametrize("query, words", [
    ("from=2027-01-13&to=2027-01-11", "must come after"),
    ("from=2026-01-01&to=2027-03-01", "at most 400 days"),
    ("from=yesterday", "query parameter from"),
    ("rows=numbers", "query parameter rows"),
])
def test_a_bad_period_gets_a_clear_error(client, bearer, query, words):
    path = "/api/metrics.csv" if query.startswith("rows") else "/api/metrics"
    response = client.get(f"{path}?{query}", headers=bearer("supervisor"))
    assert response.status_code == 400
    assert words in response.get_json()["error"]


def test_the_period_defaults_to_this_month_so_far(client, bearer, clock):
    body = client.get("/api/metrics", headers=bearer("supervisor")).get_json()
    assert (body["from"], body["to"]) == ("2027-01-01T00:00:00+02:00", "2027-01-11T10:00:00+02:00")


def test_the_figures_come_as_csv_one_value_a_line(client, bearer, recorded_days):
    response = client.get(f"/api/metrics.csv?{PERIOD}", headers=bearer("staff"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="helpline-figures-20270111-20270113.csv"' in response.headers["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    values = {(line["period"], line["figure"], line["item"], line["measure"]): line["value"] for line in lines}
    assert values[("period", "contacts", "", "calls")] == "5"
    assert values[("2027-W02", "contacts", "", "calls")] == "5"
    assert values[("period", "topics", "Grief", "callbacks")] == "1"
    assert values[("period", "when_callers_call", "monday 09", "calls")] == "2"
    assert values[("period", "staff_load", "Bertil", "escalations")] == "1"


def test_the_underlying_calls_come_anonymised_with_pseudonyms_for_repeat_callers(client, bearer, recorded_days):
    response = client.get(f"/api/metrics.csv?{PERIOD}&rows=calls", headers=bearer("supervisor"))
    text = response.get_data(as_text=True)
    assert not any(number in text or number[4:] in text for number in (CALLER_A, CALLER_B, CALLER_D))
    calls = list(csv.DictReader(io.StringIO(text)))
    # A (08:30, 09:40) is caller-1, B (09:10) caller-2, the withheld caller has none, D caller-3.
    assert [(call["started_at"][11:16], call["caller"]) for call in calls] == [
        ("08:30", "caller-1"), ("09:10", "caller-2"), ("09:40", "caller-1"), ("10:05", ""), ("16:00", "caller-3")]
    assert calls[0]["weekday"] == "monday" and calls[0]["inside_hours"] == "0"


def test_the_underlying_callbacks_carry_response_times_but_no_numbers(client, bearer, recorded_days):
    response = client.get(f"/api/metrics.csv?{PERIOD}&rows=callbacks", headers=bearer("supervisor"))
    callbacks = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["response_seconds"], row["outcome"], row["topic"]) for row in callbacks] == [
        ("3600", "resolved", "Grief"), ("65700", "referred", "money")]
    assert "caller" not in callbacks[0]
