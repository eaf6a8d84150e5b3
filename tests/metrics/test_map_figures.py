"""The map's figures from a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): a live
call counts as settled or referred only by its wrap-up; referrals per service; top topics across
calls and callbacks; views of the map per service."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from helpline.metrics.compute import Period
from helpline.metrics.period import metrics_for
from helpline.models import Call, CallbackRequest, CallWrapUp, ServiceView
from helpline.tokens import create_token
from tests.metrics.conftest import at
from tests.web.conftest import cheap_password_hashing, make_person, sign_in, supervisor  # noqa: F401


@pytest.fixture
def mapped_day(line, make_staff, make_service):
    """Monday 11 January 2027: three live calls (Aino wraps up one as referred to KRIISI, topic
    "ahdistus"; Bertil one as resolved, "Yksinäisyys"; one never wrapped up); two callbacks closed
    as referred (one to PERHE, one to no service) and one resolved ("ahdistus"); the map showed
    KRIISI 3 + 2 times (Monday, Tuesday) and PERHE once, and KRIISI 9 times on the Wednesday after."""
    aino, bertil = make_staff("Aino"), make_staff("Bertil")
    kriisi, perhe = make_service("KRIISI", "Kriisipuhelin"), make_service("PERHE", "Perheneuvonta")
    with line.db.session() as s:
        calls = []
        for sid, when, staff in (("CA1", "2027-01-11 09:10", aino), ("CA2", "2027-01-11 10:00", bertil),
                                 ("CA3", "2027-01-11 11:00", aino)):
            call = Call(call_sid=sid, caller="+358501000001", started_at=at(when), line_open=True, outcome="answered",
                        answered_by_id=staff.id, answered_at=at(when), conversation_seconds=300)
            s.add(call)
            calls.append(call)
        s.add(Call(call_sid="CA4", caller="+358501000002", started_at=at("2027-01-11 12:00"), line_open=True,
                   outcome="voicemail"))
        s.flush()
        s.add(CallWrapUp(call_id=calls[0].id, outcome="referred", service_id=kriisi.id, topic="ahdistus",
                         staff_id=aino.id, via="sms", at=at("2027-01-11 09:20")))
        s.add(CallWrapUp(call_id=calls[1].id, outcome="resolved", topic="Yksinäisyys", staff_id=bertil.id, via="web",
                         at=at("2027-01-11 10:30")))
        for number, (caller, outcome, service, topic) in enumerate((
                ("+358501000011", "referred", perhe.id, None), ("+358501000012", "referred", None, "velat"),
                ("+358501000013", "resolved", None, "Ahdistus"))):
            s.add(CallbackRequest(caller=caller, status="closed", created_at=at("2027-01-11 08:00"),
                                  last_call_at=at("2027-01-11 08:00"), closed_at=at(f"2027-01-11 1{number + 3}:00"),
                                  outcome=outcome, service_id=service, topic=topic, next_action=None))
        for service, day, views in ((kriisi, date(2027, 1, 11), 3), (kriisi, date(2027, 1, 12), 2),
                                    (perhe, date(2027, 1, 11), 1), (kriisi, date(2027, 1, 13), 9)):
            s.add(ServiceView(service_id=service.id, day=day, views=views))
    return kriisi, perhe


def test_live_calls_count_by_their_wrap_up_and_referrals_and_views_per_service(line, session, mapped_day):
    kriisi, perhe = mapped_day
    metrics = metrics_for(session, line.settings, Period(at("2027-01-11 00:00"), at("2027-01-13 00:00")),
                          now=at("2027-01-13 12:00"))
    figures = metrics.period
    outcomes = figures.outcomes
    assert (outcomes.live_answered, outcomes.live_resolved, outcomes.live_referred, outcomes.live_not_wrapped_up) == (
        3, 1, 1, 1)
    # 3 live + 3 callbacks = 6 handled, 5 with a known ending; settled 1 + 1, referred 1 + 2.
    assert (outcomes.handled, outcomes.with_outcome, outcomes.settled_first_contact, outcomes.referred_on) == (
        6, 5, 2, 3)
    assert [(row.name, row.calls, row.callbacks, row.total) for row in figures.referrals.services] == [
        ("Kriisipuhelin", 1, 0, 1), ("Perheneuvonta", 0, 1, 1)]
    assert figures.referrals.without_service == 1
    # "ahdistus" and "Ahdistus" are one topic, shown in the first spelling in sort order of a tie.
    assert figures.topics.top == (("Ahdistus", 2), ("velat", 1), ("Yksinäisyys", 1))
    # Monday and Tuesday; Wednesday's nine views lie after the period.
    assert (figures.map_views.total, [(row.name, row.views) for row in figures.map_views.services]) == (
        6, [("Kriisipuhelin", 5), ("Perheneuvonta", 1)])
    monday, = [week for week in metrics.weeks]
    assert monday.figures.map_views.total == 6


def test_the_api_and_the_csv_carry_the_map_s_figures(client, line, clock, mapped_day):
    with line.db.session() as session:
        token = create_token(session, "laptop", "staff", clock.now())
    body = client.get("/api/metrics?from=2027-01-11&to=2027-01-13",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    figures = body["figures"]
    assert figures["outcomes"]["live_not_wrapped_up"] == 1 and figures["outcomes"]["share_settled"] == 0.4
    assert figures["referrals"]["services"][0] == {"service_id": mapped_day[0].id, "name": "Kriisipuhelin",
                                                   "calls": 1, "callbacks": 0, "total": 1}
    assert figures["map_views"]["total"] == 6
    document = client.get("/api/openapi.json").get_json()
    from openapi_schema_validator import OAS31Validator

    OAS31Validator({**document, "$ref": "#/components/schemas/Metrics"}).validate(body)
    text = client.get("/api/metrics.csv?from=2027-01-11&to=2027-01-13",
                      headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)
    lines = {(row["period"], row["figure"], row["item"], row["measure"]): row["value"]
             for row in csv.DictReader(io.StringIO(text))}
    assert lines[("period", "referrals", "Kriisipuhelin", "total")] == "1"
    assert lines[("period", "map_views", "Kriisipuhelin", "views")] == "5"
    calls = list(csv.DictReader(io.StringIO(client.get(
        "/api/metrics.csv?from=2027-01-11&to=2027-01-13&rows=calls",
        headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True))))
    assert [(row["wrap_up"], row["wrap_up_topic"]) for row in calls] == [
        ("referred", "ahdistus"), ("resolved", "Yksinäisyys"), ("", ""), ("", "")]


def test_the_figures_page_shows_referrals_views_and_the_calls_never_wrapped_up(client, supervisor, mapped_day):
    sign_in(client, supervisor)
    html = client.get("/figures/?from=2027-01-11&to=2027-01-12").get_data(as_text=True)
    assert "1 puhelu jäi kirjaamatta: sen lopputulosta ei tiedetä, eikä sitä lasketa osuuksiin." in html
    assert 'id="referrals"' in html and "Kriisipuhelin" in html
    assert "Julkisen kartan palvelusivuja avattiin 6 kertaa." in html  # the page's last day counts: 3 + 1 + 2
