"""The Metrics page (supervisors): the figures of a period with server-rendered SVG charts, and
CSV downloads of the figures and of the anonymised rows under them (the API's, on a session).

At /figures, because /metrics is the operators' Prometheus endpoint.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from helpline.services import current_services
from helpline.metrics.compute import Period
from helpline.metrics.period import CSV_KINDS, csv_export, metrics_for
from helpline.metrics.queue_load import queue_figures_between
from helpline.metrics.report import charts_for, duration, share
from helpline.rota.localtime import day_bounds
from helpline.web.auth import supervisor_required
from helpline.web.dates import DateInputError, parse_day

blueprint = Blueprint("figures", __name__, url_prefix="/figures")

MAX_DAYS = 400
WORDS = {
    "response_trend": _l("Time to first response by week, hours"), "median": _l("median"),
    "p90": _l("90th percentile"), "outcomes": _l("How contacts ended"), "answered_live": _l("Answered live"),
    "resolved": _l("Resolved"), "referred": _l("Referred on"), "unreachable": _l("Could not be reached"),
    "topics": _l("Top topics"), "load": _l("Callbacks given and live calls answered, per staff member"),
    "calls_trend": _l("Calls and callback requests by week"), "calls": _l("calls"),
    "callback_requests": _l("callback requests"), "satisfaction": _l("Callers' scores, 1-5"),
    "pulse": _l("Staff wellbeing pulse, team average 1-5"), "team_average": _l("team average"),
    "heat_map": _l("Calls by weekday and hour"), "outside_hours": _l("outside office hours"),
    "not_wrapped_up": _l("Live call, outcome not given"), "referrals": _l("Referrals per service"),
    "map_views": _l("Views of the map per service"),
}
DAY_NAMES = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


@blueprint.app_template_filter("metrics_duration")
def _duration(seconds: float | None) -> str:
    return duration(seconds)


@blueprint.app_template_filter("metrics_share")
def _share(value: float | None) -> str:
    return share(value)


def _chosen_days() -> tuple[date, date, str | None]:
    """[first, last] local days from ?from=&to= (default: this month so far), and a problem."""
    today = current_services().clock.now().astimezone(current_services().settings.timezone).date()
    first, last, problem = today.replace(day=1), today, None
    try:
        if request.args.get("from"):
            first = parse_day(request.args["from"])
        if request.args.get("to"):
            last = parse_day(request.args["to"])
    except DateInputError as error:
        problem = str(error)
    if last < first:
        first, last = last, first
    if (last - first).days >= MAX_DAYS:
        problem = _("A period may span at most %(days)s days; showing the last %(days)s.", days=MAX_DAYS)
        first = last - timedelta(days=MAX_DAYS - 1)
    return first, last, problem


def _bounds(first: date, last: date):
    period = _period(first, last)
    return period.start, period.end


def _period(first: date, last: date) -> Period:
    tz = current_services().settings.timezone
    return Period(day_bounds(first, tz)[0], day_bounds(last, tz)[1])


@blueprint.get("/")
@supervisor_required
def index():
    line = current_services()
    first, last, problem = _chosen_days()
    with line.db.session() as session:
        metrics = metrics_for(session, line.settings, _period(first, last), line.clock.now())
        queue = queue_figures_between(session, *_bounds(first, last))
    charts = charts_for(metrics, {key: str(value) for key, value in WORDS.items()},
                        tuple(str(name) for name in DAY_NAMES))
    today = line.clock.now().astimezone(line.settings.timezone).date()
    previous_month_end = today.replace(day=1) - timedelta(days=1)
    presets = [
        (_("This month"), today.replace(day=1), today),
        (_("Last month"), previous_month_end.replace(day=1), previous_month_end),
        (_("Last 12 weeks"), today - timedelta(weeks=12) + timedelta(days=1), today),
        (_("This year"), today.replace(month=1, day=1), today),
    ]
    return render_template("metrics/index.html", m=metrics, f=metrics.period, charts=charts, first=first, last=last,
                           problem=problem, presets=presets, queue=queue)


@blueprint.get("/export.csv")
@supervisor_required
def export_csv():
    line = current_services()
    first, last, _problem = _chosen_days()
    period = _period(first, last)
    kind = request.args.get("rows", "figures")
    kind = kind if kind in CSV_KINDS else "figures"
    with line.db.session() as session:
        body = csv_export(session, line.settings, period, kind, line.clock.now())
    name = f"helpline-{kind}-{first:%Y%m%d}-{last:%Y%m%d}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})
