"""GET /api/metrics (JSON) and /api/metrics.csv: the line's figures for a period and its weeks,
and the wait queue's figures of the whole period (as the Figures page shows them).

Any live token may read them (staff too): they carry no caller numbers. ``from`` defaults to
the start of the current local month, ``to`` to now; a period may span at most 400 days, so
one request can never ask for the whole history at once.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.common import line_timezone, now
from helpline.api.errors import BadRequest
from helpline.metrics import export
from helpline.metrics.compute import Period
from helpline.metrics.period import CSV_KINDS, csv_export, metrics_for
from helpline.metrics.queue_load import queue_figures_between
from helpline.rota.rules import local_datetime

blueprint = Blueprint("metrics", __name__)

MAX_PERIOD = timedelta(days=400)


def requested_period() -> Period:
    tz = line_timezone()
    moment = now()
    start = v.query_instant("from", tz)
    end = v.query_instant("to", tz) or moment
    if start is None:
        today = end.astimezone(tz).date()
        start = local_datetime(date(today.year, today.month, 1), 0, tz)
    if end <= start:
        raise BadRequest("query parameter to must come after from")
    if end - start > MAX_PERIOD:
        raise BadRequest(f"a period may span at most {MAX_PERIOD.days} days; ask for it in parts")
    return Period(start, end)


@blueprint.get("/metrics")
def metrics():
    period = requested_period()
    line = current_services()
    with line.db.session() as session:
        return export.metrics_json(metrics_for(session, line.settings, period, now()),
                                   queue_figures_between(session, period.start, period.end))


@blueprint.get("/metrics.csv")
def metrics_csv():
    kind = v.query_choice("rows", CSV_KINDS, default="figures")
    period = requested_period()
    line = current_services()
    tz = line.settings.timezone
    with line.db.session() as session:
        body = csv_export(session, line.settings, period, kind, now())
    name = f"helpline-{kind}-{_day(period.start, tz)}-{_day(period.end, tz)}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _day(moment: datetime, tz) -> str:
    return moment.astimezone(tz).strftime("%Y%m%d")
