"""The monthly report: one HTML page a supervisor can print (or save as PDF from the browser's
print dialog) and send on to the parish council. No caller numbers, by construction: it is
rendered from Metrics, which never hold any.

HTML rather than PDF: it prints on A4 with its own print styles, needs no native libraries, and
the same charts serve the Metrics page.
"""
from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from helpline.metrics import charts
from helpline.metrics.compute import Figures, Metrics, Period
from helpline.metrics.queue_figures import QueueFigures
from helpline.rota.rules import local_datetime


class MonthError(ValueError):
    """Not a month like 2027-01."""


def month_period(text: str, tz: ZoneInfo) -> Period:
    """'2027-01' -> [1 January 00:00, 1 February 00:00) local."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise MonthError(f"{text!r} is not a month: write it like 2027-01") from None
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(local_datetime(first, 0, tz), local_datetime(following, 0, tz))


def duration(seconds: float | None) -> str:
    """3725 -> '1 h 02 min'; 95 -> '1 min 35 s'; None -> '-'."""
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    if seconds >= 86400:
        return f"{seconds // 86400} d {seconds % 86400 // 3600} h"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


def share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


# The charts' words; the Metrics page passes them translated.
WORDS = {
    "response_trend": "Time to first response by week, hours", "median": "median",
    "p90": "90th percentile", "outcomes": "How contacts ended", "answered_live": "Answered live",
    "resolved": "Resolved", "referred": "Referred on", "unreachable": "Could not be reached",
    "topics": "Top topics", "load": "Callbacks given and live calls answered, per staff member",
    "calls_trend": "Calls and callback requests by week", "calls": "calls",
    "callback_requests": "callback requests", "satisfaction": "Callers' scores, 1-5",
    "pulse": "Staff wellbeing pulse, team average 1-5", "team_average": "team average",
    "heat_map": "Calls by weekday and hour", "outside_hours": "outside office hours",
    "not_wrapped_up": "Live call, outcome not given", "referrals": "Referrals per service",
    "map_views": "Views of the map per service",
}


def charts_for(metrics: Metrics, words: dict[str, str] | None = None,
               day_names: tuple[str, ...] = charts.DAY_NAMES) -> dict[str, Markup]:
    """Every chart of the figures: the report's and the Metrics page's."""
    w = {**WORDS, **(words or {})}
    figures = metrics.period
    labels = [week.label.split("-")[1] for week in metrics.weeks]
    hours = [(_hours(week.figures.response.median_seconds), _hours(week.figures.response.p90_seconds))
             for week in metrics.weeks]
    outcomes = figures.outcomes
    return {
        "heat_map": charts.heat_map_svg(figures.heat_map, w["heat_map"], day_names, w["outside_hours"]),
        "response_trend": charts.trend_svg(
            labels, [(w["median"], [h[0] for h in hours]), (w["p90"], [h[1] for h in hours])],
            w["response_trend"], unit=" h"),
        "outcomes": charts.bars_svg([(w["resolved"], outcomes.settled_first_contact),
                                     (w["referred"], outcomes.referred_on), (w["unreachable"], outcomes.unreachable),
                                     (w["not_wrapped_up"], outcomes.live_not_wrapped_up)], w["outcomes"]),
        "referrals": charts.bars_svg([(row.name, row.total) for row in figures.referrals.services], w["referrals"]),
        "map_views": charts.bars_svg([(row.name, row.views) for row in figures.map_views.services], w["map_views"]),
        "topics": charts.bars_svg(list(figures.topics.top), w["topics"]),
        "load": charts.bars_svg([(row.name, row.callbacks_given + row.live_answered)
                                 for row in figures.staff_load.staff], w["load"]),
        "calls_trend": charts.trend_svg(
            labels, [(w["calls"], [week.figures.contacts.calls for week in metrics.weeks]),
                     (w["callback_requests"], [week.figures.contacts.callback_requests for week in metrics.weeks])],
            w["calls_trend"]),
        "satisfaction": charts.bars_svg([(f"{score}", count) for score, count in
                                         enumerate(figures.satisfaction.scores, start=1)], w["satisfaction"]),
        "pulse": charts.trend_svg([round_.survey for round_ in figures.pulse],
                                  [(w["team_average"], [round_.average for round_ in figures.pulse])], w["pulse"]),
    }


def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("helpline.metrics", "templates"),
                              autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(duration=duration, share=share)
    return environment


def render_report(metrics: Metrics, queue: QueueFigures, *, title: str, period_label: str,
                  generated_at: str) -> str:
    context: dict[str, Any] = {"m": metrics, "f": metrics.period, "queue": queue, "charts": charts_for(metrics),
                               "title": title,
                               "period_label": period_label, "generated_at": generated_at,
                               "weeks": [(week.label, week.figures) for week in metrics.weeks]}
    return _environment().get_template("report.html").render(**context)


def summary_lines(figures: Figures) -> list[str]:
    """The figures in a few plain lines (the demo's end of day, a log line)."""
    contacts, response, outcomes = figures.contacts, figures.response, figures.outcomes
    texts = figures.conversations.texts
    return [
        f"calls {contacts.calls}: answered live {contacts.answered}, messages {contacts.voicemail}, "
        f"hung up {contacts.no_message}, withheld {contacts.withheld}; repeat callers {contacts.repeat_callers}",
        f"callback requests {contacts.callback_requests}; first response median {duration(response.median_seconds)}, "
        f"90th percentile {duration(response.p90_seconds)}; within {response.target}: "
        f"{response.within_target}/{response.measured} ({share(response.share_within_target)}); "
        f"still waiting {response.waiting}",
        f"conversations: live {figures.conversations.live.count} (median "
        f"{duration(figures.conversations.live.median_seconds)}), through the line "
        f"{figures.conversations.callbacks.count}",
        f"outcomes: settled on first contact {outcomes.settled_first_contact}/{outcomes.with_outcome}, referred on "
        f"{outcomes.referred_on}, unreachable {outcomes.unreachable}; live calls not wrapped up "
        f"{outcomes.live_not_wrapped_up}",
        "top topics: " + (", ".join(f"{topic} {count}" for topic, count in figures.topics.top) or "-"),
        "referrals: " + (", ".join(f"{row.name} {row.total}" for row in figures.referrals.services) or "-")
        + (f" (and {figures.referrals.without_service} to no named service)" if figures.referrals.without_service
           else "") + f"; views of the map {figures.map_views.total}",
        "staff load: " + (", ".join(f"{row.name} {row.callbacks_given} given/{row.live_answered} live/"
                                    f"{row.reminders} reminders" for row in figures.staff_load.staff) or "-"),
        f"SMS: sent {figures.sms.sent}, failed {figures.sms.failed}",
        f"caller feedback: asked {figures.satisfaction.asked}, answered {figures.satisfaction.answered}, "
        f"average {figures.satisfaction.average if figures.satisfaction.average is not None else '-'} of 5",
        f"by text: {texts.conversations} conversations ({contacts.sms_conversations} opened by SMS, "
        f"{contacts.chat_conversations} in the web chat), "
        f"{texts.from_caller} texts from callers, {texts.from_line} replies, {texts.automatic} automatic answers; "
        f"first reply median {duration(texts.first_reply_median_seconds)}, first to last message median "
        f"{duration(texts.length.median_seconds)}",
    ]


def reports_dir():
    """instance/reports/ under the working directory: beside the default database, ignored by git."""
    from pathlib import Path

    return Path.cwd() / "instance" / "reports"


def write_month_report(line, month: str, out: str | None = None) -> str:
    """Compute the month's figures and write the report; returns the file's path."""
    from pathlib import Path

    from helpline.metrics.period import metrics_for
    from helpline.metrics.queue_load import queue_figures_between

    tz = line.settings.timezone
    period = month_period(month, tz)
    now = line.clock.now()
    with line.db.session() as session:
        metrics = metrics_for(session, line.settings, period, now)
        queue = queue_figures_between(session, period.start, period.end)
    first = period.start.astimezone(tz)
    html = render_report(metrics, queue, title="Helpline: monthly report", period_label=f"{first:%B %Y}",
                         generated_at=now.astimezone(tz).strftime("%d.%m.%Y %H:%M"))
    path = Path(out) if out else reports_dir() / f"helpline-report-{first:%Y-%m}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return str(path)


def day_summary(line, day: date) -> list[str]:
    """The figures of one local day in plain lines (the demo ends its simulated day with them)."""
    from helpline.metrics.period import metrics_for

    tz = line.settings.timezone
    period = Period(local_datetime(day, 0, tz), local_datetime(day, 24 * 60, tz))
    with line.db.session() as session:
        return summary_lines(metrics_for(session, line.settings, period, line.clock.now()).period)
