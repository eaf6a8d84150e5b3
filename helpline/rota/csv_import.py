"""Reading a rota from a CSV file: pure parsing and checking, no database.

The format (documented in docs/operations.md, example in tests/data/rota_example.csv)::

    date,start,end,person,priority
    2027-01-18,09:00,15:00,040 111 0001,1
    18.1.2027,9.00,24:00,Bertil Berg,2

- A header row names the columns, in any order, in English or Finnish (``päivä, alkaa, päättyy,
  henkilö, järjestys``); ``priority`` may be left out (default 100, lower rings first).
- Commas or semicolons (as a Finnish spreadsheet saves), UTF-8 with or without a BOM (or
  Windows-1252, as older Excel saves).
- ``date`` is 2027-01-18 or 18.1.2027; ``start`` and ``end`` are local wall-clock times (09:00,
  9:00 or 9.00) in the line's time zone; ``end`` may be 24:00, and must be after ``start``: a
  night is two rows, one ending 24:00 and one starting 00:00 the next day.
- ``person`` is a staff member's phone number (any form, 040 123 4567 or +358401234567) or their
  name exactly as on the Staff page (case aside).
- Blank lines and lines starting with ``#`` are skipped.

Every problem is reported with its line number; the caller writes nothing unless there are none.
Whether a row overlaps a shift already stored is asked of the database by the caller
(helpline.rota.changes.find_clash); overlaps between rows of the file are found here.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, ClassVar, Iterable, Mapping
from zoneinfo import ZoneInfo

from helpline.phones import InvalidPhoneNumber, normalise
from helpline.rota.localtime import AmbiguousLocalTime, NonexistentLocalTime, check_year, localise

MAX_BYTES = 512 * 1024
MAX_ROWS = 2000
DEFAULT_PRIORITY = 100
PRIORITY_RANGE = (0, 10_000)
COLUMNS = ("date", "start", "end", "person", "priority")
REQUIRED = ("date", "start", "end", "person")
ALIASES = {
    "date": "date", "päivä": "date", "pvm": "date", "datum": "date",
    "start": "start", "starts": "start", "alkaa": "start", "alku": "start", "börjar": "start",
    "end": "end", "ends": "end", "päättyy": "end", "loppu": "end", "slutar": "end",
    "person": "person", "phone_or_name": "person", "phone": "person", "name": "person", "henkilö": "person",
    "person_eller_telefon": "person",
    "priority": "priority", "järjestys": "priority", "prioriteetti": "priority", "prioritet": "priority",
}
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")
_FINNISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass(frozen=True)
class Person:
    """A staff member as the import needs them."""

    id: int
    name: str
    phone: str
    active: bool = True


MESSAGES = {
    "empty": "the file has no rows (the first line names the columns: date,start,end,person,priority)",
    "too_big": "the file is larger than {limit} KiB; split it into several",
    "too_many_rows": "the file has more than {limit} rows; split it into several",
    "columns": "the first line must name the columns date, start, end, person (and optionally priority); "
               "missing: {missing}",
    "unknown_column": "unknown column {column!r}; the columns are date, start, end, person, priority",
    "cells": "expected {expected} cells as in the header, found {found}",
    "date": "{value!r} is not a date like 2027-01-18 or 18.1.2027",
    "time": "{column} {value!r} is not a time like 09:00",
    "dst_gap": "{column} {value} on {date} does not exist: the clocks go forward that night",
    "dst_repeat": "{column} {value} on {date} happens twice: the clocks go back that night; "
                  "enter this shift through the Rota page",
    "end_before_start": "the shift must end after it starts ({start}-{end}); a night is two rows, "
                        "one ending 24:00 and one starting 00:00",
    "unknown_person": "nobody on the staff list has the phone number or name {value!r}",
    "ambiguous_person": "{count} staff members are called {value!r}; use their phone number",
    "inactive_person": "{name} is not active; activate them on the Staff page first",
    "priority": "priority {value!r} must be a whole number from 0 to 10000",
    "overlap_row": "{name}'s shift {start}-{end} overlaps their shift on line {other_line}",
    "overlap_existing": "{name} already has a shift {clash_start}-{clash_end}, which overlaps {start}-{end}",
}


@dataclass(frozen=True)
class RowProblem:
    """What is wrong on one line: ``code`` says which kind (for translations), ``params`` the facts.
    ``messages`` words each code in English (the API's answer); the directory's import, which
    shares this shape and read_table, has codes of its own and a subclass with their words."""

    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    messages: ClassVar[Mapping[str, str]] = MESSAGES

    def words(self) -> str:
        return f"line {self.line}: {self.messages[self.code].format(**self.params)}"


@dataclass(frozen=True)
class PlannedShift:
    line: int
    staff_id: int
    staff_name: str
    starts_at: datetime  # UTC
    ends_at: datetime    # UTC
    priority: int


@dataclass
class ImportPlan:
    shifts: list[PlannedShift] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and bool(self.shifts)


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not); otherwise Windows-1252, which is what older Excel saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class CsvTable:
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def read_table(text: str, report: Callable[[int, str, dict[str, Any]], None]) -> CsvTable | None:
    """What every CSV import checks before its own columns (the rota's, the directory's): at most
    MAX_BYTES and MAX_ROWS, blank and ``#`` lines skipped, a header and at least one row, commas or
    semicolons as the header uses. None after ``report(line, code, params)`` of what is wrong."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        report(1, "too_big", {"limit": MAX_BYTES // 1024})
        return None
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if len(lines) < 2:
        report(lines[0][0] if lines else 1, "empty", {})
        return None
    if len(lines) - 1 > MAX_ROWS:
        report(lines[0][0], "too_many_rows", {"limit": MAX_ROWS})
        return None
    header_line = lines[0][1]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    header = next(rows)
    return CsvTable(lines[0][0], header, [(number, cells) for (number, _), cells in zip(lines[1:], rows)])


def parse_rota(text: str, people: Iterable[Person], tz: ZoneInfo) -> ImportPlan:
    """Every row of ``text`` as a planned shift, or the problems that stop the file being imported."""
    plan = ImportPlan()
    table = read_table(text, lambda line, code, params: plan.problems.append(RowProblem(line, code, params)))
    if table is None:
        return plan
    columns = _columns(table.header_line, table.header, plan)
    if columns is None:
        return plan
    finder = _PersonFinder(people)
    for number, cells in table.rows:
        if len(cells) != len(columns):
            plan.problems.append(RowProblem(number, "cells", {"expected": len(columns), "found": len(cells)}))
            continue
        shift = _row(number, dict(zip(columns, (cell.strip() for cell in cells))), finder, tz, plan)
        if shift is not None:
            plan.shifts.append(shift)
    plan.problems.extend(overlaps_within(plan.shifts, tz))
    plan.problems.sort(key=lambda problem: problem.line)
    return plan


def _columns(line: int, header: list[str], plan: ImportPlan) -> list[str] | None:
    names = []
    for cell in header:
        name = ALIASES.get(cell.strip().lower().replace(" ", "_"))
        if name is None:
            plan.problems.append(RowProblem(line, "unknown_column", {"column": cell.strip()}))
            return None
        names.append(name)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        plan.problems.append(RowProblem(line, "columns", {"missing": ", ".join(missing)}))
        return None
    return names


def _row(line: int, cells: dict[str, str], finder: "_PersonFinder", tz: ZoneInfo,
         plan: ImportPlan) -> PlannedShift | None:
    """One row as a shift, or None with its problems added to ``plan`` (all of them, not just the first)."""
    before = len(plan.problems)
    day = _date(cells["date"])
    if day is None:
        plan.problems.append(RowProblem(line, "date", {"value": cells["date"]}))
    start = _minute(cells["start"], end_of_day=False)
    if start is None:
        plan.problems.append(RowProblem(line, "time", {"column": "start", "value": cells["start"]}))
    end = _minute(cells["end"], end_of_day=True)
    if end is None:
        plan.problems.append(RowProblem(line, "time", {"column": "end", "value": cells["end"]}))
    if start is not None and end is not None and end <= start:
        plan.problems.append(RowProblem(line, "end_before_start",
                                        {"start": cells["start"], "end": cells["end"]}))
    person = finder.find(line, cells["person"], plan)
    priority = _priority(cells.get("priority", ""))
    if priority is None:
        plan.problems.append(RowProblem(line, "priority", {"value": cells["priority"]}))
    if len(plan.problems) > before:
        return None
    assert day is not None and start is not None and end is not None and person is not None and priority is not None
    starts_at = _instant(line, day, start, "start", cells["start"], tz, plan)
    ends_at = _instant(line, day, end, "end", cells["end"], tz, plan)
    if starts_at is None or ends_at is None:
        return None
    return PlannedShift(line, person.id, person.name, starts_at, ends_at, priority)


def _date(text: str) -> date | None:
    try:
        match = _FINNISH_DATE.fullmatch(text)
        if match:
            return check_year(date(int(match.group(3)), int(match.group(2)), int(match.group(1))))
        return check_year(date.fromisoformat(text)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:  # TimeParseError (a year out of range) too
        return None


def _minute(text: str, *, end_of_day: bool) -> int | None:
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if end_of_day and (hours, minutes) == (24, 0):
        return 24 * 60
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _priority(text: str) -> int | None:
    if not text:
        return DEFAULT_PRIORITY
    if not re.fullmatch(r"\d{1,5}", text) or not PRIORITY_RANGE[0] <= int(text) <= PRIORITY_RANGE[1]:
        return None
    return int(text)


def _instant(line: int, day: date, minute: int, column: str, shown: str, tz: ZoneInfo,
             plan: ImportPlan) -> datetime | None:
    wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    try:
        return localise(wall, tz).astimezone(timezone.utc)
    except NonexistentLocalTime:
        code = "dst_gap"
    except AmbiguousLocalTime:
        code = "dst_repeat"
    plan.problems.append(RowProblem(line, code, {"column": column, "value": shown, "date": day.isoformat()}))
    return None


class _PersonFinder:
    """A person by phone number (any form) or by exact name, case and extra spaces aside."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.by_phone: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = {}
        for person in people:
            self.by_phone[person.phone] = person
            self.by_name.setdefault(_name_key(person.name), []).append(person)

    def find(self, line: int, value: str, plan: ImportPlan) -> Person | None:
        person = None
        if any(ch.isdigit() for ch in value):
            try:
                person = self.by_phone.get(normalise(value))
            except InvalidPhoneNumber:
                person = None
        if person is None:
            named = self.by_name.get(_name_key(value), [])
            if len(named) > 1:
                plan.problems.append(RowProblem(line, "ambiguous_person", {"value": value, "count": len(named)}))
                return None
            person = named[0] if named else None
        if person is None:
            plan.problems.append(RowProblem(line, "unknown_person", {"value": value}))
            return None
        if not person.active:
            plan.problems.append(RowProblem(line, "inactive_person", {"name": person.name}))
            return None
        return person


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def overlaps_within(shifts: Iterable[PlannedShift], tz: ZoneInfo) -> list[RowProblem]:
    """A problem on the later line for every pair of one person's rows that overlap."""
    problems = []
    by_person: dict[int, list[PlannedShift]] = {}
    for shift in shifts:
        by_person.setdefault(shift.staff_id, []).append(shift)
    for rows in by_person.values():
        rows.sort(key=lambda shift: (shift.starts_at, shift.line))
        latest: PlannedShift | None = None  # the row reaching furthest so far
        for shift in rows:
            if latest is not None and shift.starts_at < latest.ends_at:
                first, second = sorted((latest, shift), key=lambda s: s.line)
                problems.append(RowProblem(second.line, "overlap_row", {
                    "name": second.staff_name, **span(second.starts_at, second.ends_at, tz),
                    "other_line": first.line}))
            if latest is None or shift.ends_at > latest.ends_at:
                latest = shift
    return problems


def span(starts: datetime, ends: datetime, tz: ZoneInfo) -> dict[str, str]:
    """{"start": "18.1.2027 09:00", "end": "15:00"}: the end's date only when it differs."""
    local_start, local_end = starts.astimezone(tz), ends.astimezone(tz)
    start = f"{local_start.day}.{local_start.month}.{local_start.year} {local_start:%H:%M}"
    end = f"{local_end:%H:%M}"
    if local_end.date() != local_start.date() and not (local_end.time() == datetime.min.time()
                                                       and local_end.date() == local_start.date() + timedelta(days=1)):
        end = f"{local_end.day}.{local_end.month}.{local_end.year} {end}"
    elif local_end.date() != local_start.date():
        end = "24:00"
    return {"start": start, "end": end}
