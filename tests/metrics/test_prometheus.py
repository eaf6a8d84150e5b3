"""GET /metrics: what an operator's Prometheus scrapes."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from helpline import create_app
from helpline.models import CallbackRequest, OutboundSms

from tests.metrics.conftest import at


def samples(text: str) -> dict[tuple, float]:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def scrape(client, **headers) -> dict[tuple, float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return samples(response.get_data(as_text=True))


def _latency_count(values, route: str, status: str = "200") -> float:
    return values.get(("helpline_http_request_duration_seconds_count",
                       (("method", "GET"), ("route", route), ("status", status))), 0)


def test_an_operator_sees_request_latencies_per_route(client):
    before = _latency_count(scrape(client), "/healthz")
    for _ in range(3):
        client.get("/healthz")
    after = scrape(client)
    assert _latency_count(after, "/healthz") == before + 3
    # Scrapes themselves are not timed.
    assert not any(labels and dict(labels).get("route") == "/metrics" for _, labels in after)


def test_due_work_queue_depth_and_sms_come_from_the_database_and_redis(client, line, recorded_days, session):
    session.add(CallbackRequest(caller="+358401999999", status="assigned", created_at=at("2027-01-11 09:00"),
                                last_call_at=at("2027-01-11 09:00"), next_action="remind",
                                next_action_at=at("2027-01-11 09:30")))  # due: the clock is 10:00
    session.add(CallbackRequest(caller="+358401999998", status="assigned", created_at=at("2027-01-11 09:00"),
                                last_call_at=at("2027-01-11 09:00"), next_action="remind",
                                next_action_at=at("2027-01-11 11:00")))  # not yet
    session.add(OutboundSms(to_number="+358401110001", body="x", purpose="reminder", status="queued",
                            dedupe_key="due-now", created_at=at("2027-01-11 09:59"), next_attempt_at=None))
    session.commit()
    line.jobs.enqueue_now("helpline.queue.jobs.process_callback", 1, job_id="metrics-test-job")
    values = scrape(client)
    assert values[("helpline_callbacks_due", ())] == 1
    assert values[("helpline_callbacks_open", ())] == 2
    assert values[("helpline_outbound_sms_due", ())] == 1
    # The recorded days sent three SMS (two delivered) and one failed.
    assert values[("helpline_sms_sent_total", ())] == 3
    assert values[("helpline_sms_failed_total", ())] == 1
    assert values[("helpline_outbound_sms", (("status", "queued"),))] == 1
    assert values[("helpline_queue_jobs", (("queue", "helpline"), ("state", "queued")))] == 1
    assert values[("helpline_up", (("store", "database"),))] == 1
    assert values[("helpline_up", (("store", "redis"),))] == 1


def test_a_redis_outage_shows_as_down_rather_than_failing_the_scrape(line, settings, clock):
    from helpline.services import build_services

    broken = build_services(replace(settings, redis_url="redis://127.0.0.1:1/0"), clock=clock)
    broken.db.create_all()
    values = scrape(create_app(broken).test_client())
    assert values[("helpline_up", (("store", "redis"),))] == 0
    assert values[("helpline_up", (("store", "database"),))] == 1
    broken.db.dispose()


@pytest.fixture
def guarded(line, settings, clock):
    from helpline.services import build_services

    built = []

    def make(**overrides):
        services = build_services(settings.with_overrides(**overrides), clock=clock)
        built.append(services)
        return create_app(services).test_client()

    yield make
    for services in built:  # an engine left to the garbage collector warns inside a later test
        services.db.dispose()


def test_with_metrics_token_set_only_its_bearer_may_scrape(guarded):
    client = guarded(metrics_token="s3cret-scrape-token")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"}).status_code == 200


def test_outside_development_the_endpoint_stays_shut_until_a_token_is_set(guarded):
    response = guarded(env="production").get("/metrics")
    assert response.status_code == 403
    assert "METRICS_TOKEN" in response.get_data(as_text=True)


def test_latencies_from_several_worker_processes_add_up_in_multiprocess_mode(tmp_path, settings):
    """Two processes, as two gunicorn workers would be, each answer requests; a scrape in a
    third, with the same PROMETHEUS_MULTIPROC_DIR, counts them all."""
    directory = tmp_path / "prometheus"
    directory.mkdir()
    worker = textwrap.dedent(f"""
        from helpline import create_app
        from helpline.config import Settings
        settings = Settings(env="testing", database_url={settings.database_url!r}, redis_url={settings.redis_url!r},
                            prometheus_multiproc_dir={str(directory)!r})
        client = create_app(settings).test_client()
        for _ in range(int(__import__("sys").argv[1])):
            assert client.get("/healthz").status_code == 200
    """)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    workers = [subprocess.Popen([sys.executable, "-c", worker, str(count)], env=env) for count in (2, 3)]
    assert [process.wait(timeout=120) for process in workers] == [0, 0]
    multi = settings.with_overrides(prometheus_multiproc_dir=str(directory))
    from helpline.services import build_services

    services = build_services(multi)
    services.db.create_all()
    values = scrape(create_app(services).test_client())
    assert _latency_count(values, "/healthz") == 5
    services.db.dispose()
