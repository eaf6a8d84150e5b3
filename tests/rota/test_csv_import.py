"""A supervisor's rota CSV is read row by row; every problem names its line, and a file with any
problem plans nothing to store."""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from helpline.rota.csv_import import MAX_ROWS, Person, decode, parse_rota

HELSINKI = ZoneInfo("Europe/Helsinki")
EXAMPLE = Path(__file__).parents[1] / "data" / "rota_example.csv"
PEOPLE = [
    Person(1, "Aino Aalto", "+358401110001"),
    Person(2, "Bertil Berg", "+358401110002"),
    Person(3, "Cecilia Carlsson", "+358401110003"),
    Person(4, "Dan Dahl", "+358401110004", active=False),
    Person(5, "Eeva Eskola", "+358401110005"),
    Person(6, "Eeva  eskola", "+358401110006"),
]
HEADER = "date,start,end,person,priority\n"


def _plan(body: str, header: str = HEADER):
    return parse_rota(header + body, PEOPLE, HELSINKI)


def _local(moment) -> str:
    return moment.astimezone(HELSINKI).isoformat(timespec="minutes")


def test_the_example_file_in_the_readme_is_read_into_shifts_in_local_time():
    plan = parse_rota(decode(EXAMPLE.read_bytes()), PEOPLE, HELSINKI)
    assert plan.problems == [] and plan.valid
    assert [(s.line, s.staff_name, _local(s.starts_at), _local(s.ends_at), s.priority) for s in plan.shifts] == [
        (3, "Aino Aalto", "2027-01-18T09:00+02:00", "2027-01-18T12:00+02:00", 1),
        (4, "Bertil Berg", "2027-01-18T09:00+02:00", "2027-01-18T12:00+02:00", 2),
        (5, "Cecilia Carlsson", "2027-01-18T12:00+02:00", "2027-01-18T15:00+02:00", 1),
        (6, "Aino Aalto", "2027-01-18T18:00+02:00", "2027-01-19T00:00+02:00", 1),
        (7, "Aino Aalto", "2027-01-19T00:00+02:00", "2027-01-19T06:00+02:00", 1),
        (8, "Bertil Berg", "2027-01-19T09:00+02:00", "2027-01-19T15:00+02:00", 100),
    ]


def test_a_finnish_spreadsheet_s_semicolons_finnish_headers_and_windows_1252_are_read():
    data = "päivä;alkaa;päättyy;henkilö\r\n18.1.2027;9.00;15.00;Cecilia Carlsson\r\n".encode("cp1252")
    plan = parse_rota(decode(data), PEOPLE, HELSINKI)
    assert plan.problems == []
    assert [(s.staff_id, _local(s.starts_at), s.priority) for s in plan.shifts] == [(3, "2027-01-18T09:00+02:00", 100)]


def test_columns_may_come_in_any_order_and_the_summer_offset_is_used_in_summer():
    plan = _plan("Aino Aalto,2027-06-01,17:00,09:00\n", header="person,date,end,start\n")
    assert [(_local(s.starts_at), _local(s.ends_at)) for s in plan.shifts] == [
        ("2027-06-01T09:00+03:00", "2027-06-01T17:00+03:00")]


@pytest.mark.parametrize(("row", "words"), [
    ("2027-01-18,09:00,15:00,Maija Meikäläinen,1", "line 2: nobody on the staff list has the phone number or name "
                                                  "'Maija Meikäläinen'"),
    ("2027-01-18,09:00,15:00,050 999 9999,1", "line 2: nobody on the staff list has the phone number or name "
                                              "'050 999 9999'"),
    ("2027-01-18,09:00,15:00,Eeva Eskola,1", "line 2: 2 staff members are called 'Eeva Eskola'; use their phone"),
    ("2027-01-18,09:00,15:00,Dan Dahl,1", "line 2: Dan Dahl is not active"),
    ("2027-01-32,09:00,15:00,Aino Aalto,1", "line 2: '2027-01-32' is not a date like 2027-01-18 or 18.1.2027"),
    ("next monday,09:00,15:00,Aino Aalto,1", "line 2: 'next monday' is not a date"),
    ("2027-01-18,9am,15:00,Aino Aalto,1", "line 2: start '9am' is not a time like 09:00"),
    ("2027-01-18,09:00,25:00,Aino Aalto,1", "line 2: end '25:00' is not a time like 09:00"),
    ("2027-01-18,24:00,24:00,Aino Aalto,1", "line 2: start '24:00' is not a time"),
    ("2027-01-18,15:00,09:00,Aino Aalto,1", "line 2: the shift must end after it starts (15:00-09:00); a night is "
                                            "two rows"),
    ("2027-01-18,09:00,09:00,Aino Aalto,1", "line 2: the shift must end after it starts"),
    ("2027-03-28,03:30,09:00,Aino Aalto,1", "line 2: start 03:30 on 2027-03-28 does not exist: the clocks go forward"),
    ("2027-10-31,00:00,03:30,Aino Aalto,1", "line 2: end 03:30 on 2027-10-31 happens twice: the clocks go back"),
    ("2027-01-18,09:00,15:00,Aino Aalto,first", "line 2: priority 'first' must be a whole number from 0 to 10000"),
    ("2027-01-18,09:00,15:00,Aino Aalto,10001", "line 2: priority '10001' must be"),
    ("2027-01-18,09:00,15:00", "line 2: expected 5 cells as in the header, found 3"),
])
def test_a_bad_row_is_refused_with_its_line_and_the_problem(row, words):
    plan = _plan(row + "\n")
    assert not plan.valid
    assert words in [problem.words() for problem in plan.problems][0]


def test_every_problem_of_a_row_is_reported_not_only_the_first():
    plan = _plan("someday,25:00,09:00,Nobody,x\n")
    assert [problem.code for problem in plan.problems] == ["date", "time", "unknown_person", "priority"]
    assert {problem.line for problem in plan.problems} == {2}


def test_rows_for_one_person_that_overlap_each_other_name_both_lines():
    plan = _plan("2027-01-18,09:00,15:00,Aino Aalto,1\n"
                 "2027-01-18,12:00,18:00,Bertil Berg,1\n"
                 "2027-01-18,15:00,18:00,Aino Aalto,1\n"
                 "2027-01-18,14:00,16:00,040 111 0001,2\n")
    assert [problem.words() for problem in plan.problems] == [
        "line 5: Aino Aalto's shift 18.1.2027 14:00-16:00 overlaps their shift on line 2",
        "line 5: Aino Aalto's shift 18.1.2027 14:00-16:00 overlaps their shift on line 4"]


def test_a_long_shift_overlapping_two_later_rows_is_caught_for_both():
    plan = _plan("2027-01-18,08:00,20:00,Aino Aalto,1\n"
                 "2027-01-18,09:00,10:00,Aino Aalto,1\n"
                 "2027-01-18,11:00,12:00,Aino Aalto,1\n")
    assert [(problem.line, problem.params["other_line"]) for problem in plan.problems] == [(3, 2), (4, 2)]


def test_blank_lines_and_comments_are_skipped_and_line_numbers_still_match_the_file():
    plan = _plan("\n# Monday\n2027-01-18,09:00,15:00,Nobody,1\n")
    assert [problem.line for problem in plan.problems] == [4]


@pytest.mark.parametrize(("text", "words"), [
    ("", "line 1: the file has no rows"),
    (HEADER, "line 1: the file has no rows"),
    ("date,start,person\n2027-01-18,09:00,Aino Aalto\n", "line 1: the first line must name the columns date, start, "
                                                        "end, person (and optionally priority); missing: end"),
    ("date,start,end,who\n2027-01-18,09:00,15:00,Aino Aalto\n", "line 1: unknown column 'who'"),
])
def test_a_file_without_a_usable_header_or_rows_is_refused(text, words):
    plan = parse_rota(text, PEOPLE, HELSINKI)
    assert not plan.valid
    assert plan.problems[0].words().startswith(words)


def test_a_file_with_too_many_rows_is_refused_before_anything_is_read():
    rows = "".join(f"2027-01-18,09:00,15:00,Nobody{n},1\n" for n in range(MAX_ROWS + 1))
    plan = _plan(rows)
    assert [problem.code for problem in plan.problems] == ["too_many_rows"]
