"""A supervisor's directory CSV is checked row by row; every problem names its line, and a file
with any problem plans nothing to store."""
from __future__ import annotations

from pathlib import Path

from helpline.directory.csv_import import MAX_ROWS, decode, parse_directory

EXAMPLE = Path(__file__).parents[1] / "data" / "services_example.csv"


def test_the_example_file_in_the_docs_is_read_into_services():
    plan = parse_directory(decode(EXAMPLE.read_bytes()), {})
    assert plan.problems == [] and plan.valid and plan.added == 3
    kriisi, perhe, ruoka = plan.services
    assert (kriisi.line, kriisi.code, kriisi.values["name_sv"], kriisi.values["phone"], kriisi.values["url"]) == (
        3, "KRIISI", "Krisjouren", "+358925250111", "https://mielenterveysseura.fi")
    assert kriisi.values["hours"]["sunday"] == [["00:00", "24:00"]] and kriisi.values["open_on_holidays"] is True
    assert kriisi.values["topics"] == ["kriisi", "ahdistus", "itsetuhoisuus"]
    assert kriisi.values["languages"] == ["fi", "sv", "en"]
    assert perhe.values["hours"]["monday"] == [["09:00", "15:00"]] and perhe.values["area"] == "Espoo"
    assert ruoka.values["hours"]["tuesday"] == [["10:00", "12:00"]] and ruoka.values["name_sv"] is None


def test_finnish_headers_a_comma_file_and_a_windows_1252_file_are_read_too():
    text = "koodi,nimi,puhelin,aukioloajat,aiheet,kielet\nruoka,Ruoka-apu,050 765 4321,ti 10-12,ruoka|talous,fi|sv\n"
    plan = parse_directory(decode(text.encode("cp1252")), {})
    assert plan.valid
    assert plan.services[0].code == "RUOKA" and plan.services[0].values["topics"] == ["ruoka", "talous"]


def test_a_row_with_a_code_already_in_the_directory_changes_that_service():
    plan = parse_directory("code,name\nKRIISI,Kriisipuhelin\nUUSI,Uusi palvelu\n", {"KRIISI": 7})
    assert [(planned.code, planned.existing_id) for planned in plan.services] == [("KRIISI", 7), ("UUSI", None)]
    assert plan.added == 1


def test_every_problem_of_every_line_is_named_and_nothing_is_planned():
    plan = parse_directory(
        "code,name,phone,url,hours,languages\n"
        "KRIISI,Kriisipuhelin,09 2525 0111,,24/7,fi\n"
        "bad code!,,123,not a url,ma 25-26,xx\n"
        "kriisi,Again,,,,\n"
        "ONLY,two\n", {})
    assert not plan.valid
    words = [problem.words() for problem in plan.problems]
    assert [problem.line for problem in plan.problems] == [3, 3, 3, 3, 3, 3, 4, 5]
    assert any("line 3: code: 'bad code!' is not a code" in text for text in words)
    assert any("line 3: name: must not be empty" in text for text in words)
    assert any("line 3: hours: '25' is not a time of day" in text for text in words)
    assert "line 4: the code KRIISI is also on line 2" in words
    assert "line 5: expected 6 cells as in the header, found 2" in words


def test_a_file_without_the_needed_columns_or_rows_is_refused_at_its_first_line():
    assert parse_directory("name,phone\nX,040 123 4567\n", {}).problems[0].words().startswith(
        "line 1: the first line must name the columns code and name")
    assert parse_directory("code,name,colour\nX1,X,red\n", {}).problems[0].code == "unknown_column"
    assert parse_directory("code,name\n", {}).problems[0].code == "empty"
    too_many = "code,name\n" + "".join(f"C{n},Service {n}\n" for n in range(MAX_ROWS + 1))
    assert parse_directory(too_many, {}).problems[0].code == "too_many_rows"
