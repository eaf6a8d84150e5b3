"""`helpline report --month`: the monthly report a supervisor prints for the parish council."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from helpline.metrics.report import MonthError, duration, month_period, share

from tests.metrics.conftest import CALLER_A, CALLER_B, CALLER_D, HELSINKI, at


def test_a_month_is_its_local_days_from_the_first_to_the_next_first():
    january = month_period("2027-01", HELSINKI)
    assert (january.start, january.end) == (at("2027-01-01 00:00"), at("2027-02-01 00:00"))
    december = month_period("2027-12", HELSINKI)
    assert december.end == at("2028-01-01 00:00")
    # March has the spring DST change: it starts at +02:00 and ends at +03:00.
    march = month_period("2027-03", HELSINKI)
    assert (march.end - march.start).total_seconds() == 31 * 86400 - 3600


@pytest.mark.parametrize("text", ["2027", "2027-13", "January", "2027-1-5"])
def test_a_month_that_is_not_one_is_refused_in_words(text):
    with pytest.raises(MonthError, match="like 2027-01"):
        month_period(text, HELSINKI)


@pytest.mark.parametrize("seconds, shown", [(None, "-"), (42, "42 s"), (95, "1 min 35 s"), (3725, "1 h 02 min"),
                                            (65700, "18 h 15 min"), (200000, "2 d 7 h")])
def test_durations_read_like_a_person_would_write_them(seconds, shown):
    assert duration(seconds) == shown


def test_shares_are_whole_percentages():
    assert (share(0.5), share(2 / 3), share(None)) == ("50 %", "67 %", "-")


def test_the_monthly_report_is_written_with_its_figures_charts_and_no_caller_numbers(app, recorded_days, tmp_path):
    out = tmp_path / "january.html"
    result = app.test_cli_runner().invoke(args=["report", "--month", "2027-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"written to {out}" in result.output
    html = out.read_text(encoding="utf-8")
    assert "<h1>Helpline: monthly report</h1>" in html and "January 2027" in html
    assert re.search(r"<b>5</b><span>calls</span>", html)
    assert re.search(r"<b>1 h 00 min</b><span>median</span>", html) is None  # the median of 3600 and 65700 s
    assert re.search(r"<b>9 h 37 min</b><span>median</span>", html)  # (3600 + 65700) / 2 = 34650 s
    assert "Grief" in html and "Bertil" in html
    for number in (CALLER_A, CALLER_B, CALLER_D):
        assert number not in html and number[4:] not in html
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 6
    for svg in svgs:
        ElementTree.fromstring(svg)  # well-formed, so browsers draw it and printers print it
    assert "Mon 09:00-10:00: 2" in html  # the heat map cell of the two live calls


def test_without_out_the_report_goes_to_instance_reports_which_git_ignores(app, recorded_days, tmp_path,
                                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["report", "--month", "2027-01"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "instance" / "reports" / "helpline-report-2027-01.html"
    assert written.exists() and f"written to {written}" in result.output
    assert list(tmp_path.glob("*.html")) == []  # nothing in the working directory itself
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text().splitlines()
    assert "instance/" in ignored


def test_a_bad_month_on_the_command_line_is_refused_and_writes_nothing(app, tmp_path):
    out = tmp_path / "never.html"
    result = app.test_cli_runner().invoke(args=["report", "--month", "January", "--out", str(out)])
    assert result.exit_code == 2 and "like 2027-01" in result.output
    assert not out.exists()


def test_the_retention_command_reports_what_it_did(app, recorded_days):
    # On 11 January nothing is 90 days old yet.
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "recordings deleted 0" in result.output and "callbacks masked 0" in result.output


def test_the_demo_s_day_ends_with_a_summary_of_its_own_figures(line, recorded_days):
    from datetime import date

    from helpline.metrics.report import day_summary

    lines = day_summary(line, date(2027, 1, 11))
    # Monday alone: the five calls and both requests (08:30 and 16:00); Monday's one closing
    # (callback 1, Grief). Tuesday's escalation and referral belong to Tuesday.
    assert lines[0].startswith("calls 5: answered live 2, messages 2, hung up 1, withheld 1; repeat callers 1")
    assert lines[1].startswith("callback requests 2;")
    assert lines[4] == "top topics: Grief 1"
