"""The operators' Prometheus endpoint, ``GET /metrics``.

Two kinds of figures, each kept where it is correct with several gunicorn workers:

- **Request latencies** (``helpline_http_request_duration_seconds{route,method,status}``, the
  webhooks' among them) are measured in each web process. With more than one worker, set
  PROMETHEUS_MULTIPROC_DIR to an empty directory before the processes start: prometheus_client
  then writes each process's histograms to files there and a scrape adds them up, whichever
  worker answers it (clear the directory when the web processes are restarted).
- **Everything else is read at scrape time** from the database and Redis, so it is the same
  whichever process answers: RQ queue depth per state, callbacks and outbound SMS due, open
  callbacks, and SMS sent and failed (``*_total`` counted from the outbound_sms rows).

It is protected by METRICS_TOKEN (``Authorization: Bearer <token>``). Without one it is open in
development and refused elsewhere, so an operator cannot publish it by forgetting a setting.
"""
from __future__ import annotations

import hmac
import logging
import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, or_, select

from helpline.models import OPEN_STATUSES, CallbackRequest, OutboundSms, OutboundStatus

log = logging.getLogger(__name__)

# Up to 10 s: Twilio gives up on a webhook after 15 s.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SENT_STATUSES = ("sent", "delivered", "undelivered")  # Twilio accepted them
FAILED_STATUSES = ("failed", "undelivered")
_local = CollectorRegistry(auto_describe=True)
_latency: Histogram | None = None


def _histogram() -> Histogram:
    """One histogram per process, made on first use (nothing at import time). In multiprocess
    mode its values go to PROMETHEUS_MULTIPROC_DIR whichever registry holds it."""
    global _latency
    if _latency is None:
        _latency = Histogram("helpline_http_request_duration_seconds", "Time to answer an HTTP request",
                             ("route", "method", "status"), buckets=LATENCY_BUCKETS, registry=_local)
    return _latency


def init_app(app: Flask) -> None:
    histogram = _histogram()

    @app.before_request
    def _start_timer() -> None:
        g.prometheus_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("prometheus_started", None)
        if started is not None and request.endpoint not in ("prometheus_metrics", "static"):
            route = request.url_rule.rule if request.url_rule is not None else "unmatched"
            histogram.labels(route, request.method, str(response.status_code)).observe(time.perf_counter() - started)
        return response

    app.add_url_rule("/metrics", "prometheus_metrics", scrape, methods=["GET"])


def scrape() -> Response:
    from helpline.services import current_services

    line = current_services()
    refusal = _refusal(line.settings)
    if refusal is not None:
        return refusal
    registry = CollectorRegistry()
    if line.settings.prometheus_multiproc_dir:
        MultiProcessCollector(registry, path=line.settings.prometheus_multiproc_dir)
    else:
        registry.register(_histogram())
    registry.register(LineCollector(line))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def _refusal(settings) -> Response | None:
    if not settings.metrics_token:
        if settings.is_development:
            return None
        return Response("set METRICS_TOKEN to read /metrics\n", status=403, mimetype="text/plain")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), settings.metrics_token.encode()):
        return None
    return Response("send Authorization: Bearer <METRICS_TOKEN>\n", status=401, mimetype="text/plain",
                    headers={"WWW-Authenticate": "Bearer"})


class LineCollector:
    """Gauges and counters read from the database and Redis at each scrape."""

    def __init__(self, line) -> None:
        self.line = line

    def collect(self):
        now = self.line.clock.now()
        up = GaugeMetricFamily("helpline_up", "Whether the scrape could read each store", labels=("store",))
        try:
            yield from self._database(now)
            up.add_metric(("database",), 1)
        except Exception:  # noqa: BLE001 - a scrape reports the outage instead of failing
            log.exception("/metrics could not read the database")
            up.add_metric(("database",), 0)
        try:
            yield self._queue()
            up.add_metric(("redis",), 1)
        except Exception:  # noqa: BLE001
            log.warning("/metrics could not read Redis", exc_info=True)
            up.add_metric(("redis",), 0)
        yield up

    def _database(self, now):
        with self.line.db.session() as session:
            open_ = CallbackRequest.status.in_(OPEN_STATUSES)
            due = session.scalar(select(func.count()).where(
                open_, or_(CallbackRequest.next_action_at.is_(None), CallbackRequest.next_action_at <= now)))
            open_count = session.scalar(select(func.count()).where(open_))
            sms_due = session.scalar(select(func.count()).select_from(OutboundSms).where(or_(
                (OutboundSms.status == OutboundStatus.QUEUED.value)
                & or_(OutboundSms.next_attempt_at.is_(None), OutboundSms.next_attempt_at <= now),
                (OutboundSms.status == OutboundStatus.SENDING.value) & (OutboundSms.next_attempt_at <= now))))
            by_status = dict(session.execute(
                select(OutboundSms.status, func.count()).group_by(OutboundSms.status)).all())
        yield GaugeMetricFamily("helpline_callbacks_due", "Open callbacks whose next action is due", value=due)
        yield GaugeMetricFamily("helpline_callbacks_open", "Open callback requests", value=open_count)
        yield GaugeMetricFamily("helpline_outbound_sms_due", "SMS waiting to be sent (or retried) now", value=sms_due)
        statuses = GaugeMetricFamily("helpline_outbound_sms", "Outbound SMS by status", labels=("status",))
        for status in OutboundStatus:
            statuses.add_metric((status.value,), by_status.get(status.value, 0))
        yield statuses
        yield CounterMetricFamily("helpline_sms_sent", "SMS Twilio accepted",
                                  value=sum(by_status.get(status, 0) for status in SENT_STATUSES))
        yield CounterMetricFamily("helpline_sms_failed", "SMS that failed or were not delivered",
                                  value=sum(by_status.get(status, 0) for status in FAILED_STATUSES))

    def _queue(self) -> GaugeMetricFamily:
        from rq.registry import DeferredJobRegistry, FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

        queue = self.line.jobs.queue
        depth = GaugeMetricFamily("helpline_queue_jobs", "RQ jobs by state", labels=("queue", "state"))
        depth.add_metric((queue.name, "queued"), queue.count)
        for state, registry in (("started", StartedJobRegistry), ("scheduled", ScheduledJobRegistry),
                                ("failed", FailedJobRegistry), ("deferred", DeferredJobRegistry)):
            depth.add_metric((queue.name, state), registry(queue=queue).count)
        return depth

