"""Reading the directory from a CSV file: pure parsing and checking, no database.

The format (docs/operations.md, example in tests/data/services_example.csv)::

    code,name,phone,url,area,hours,topics,languages,description
    KRIISI,Kriisipuhelin,09 2525 0111,mielenterveysseura.fi,,24/7,kriisi|ahdistus,fi|sv|en,...

- A header row names the columns in any order, in English, Finnish or Swedish (``koodi, nimi,
  puhelin, verkkosivu, alue, aukioloajat, aiheet, kielet, kuvaus``); ``code`` and ``name`` are
  needed, every other column may be left out. Swedish and English texts: ``name_sv``,
  ``name_en``, ``description_sv``, ``description_en``; ``open_on_holidays`` and ``active`` take
  yes/no (kyllä/ei).
- Commas or semicolons; UTF-8 (BOM or not) or Windows-1252. Topics and languages within a cell
  are separated by ``|`` (or whichever of ``, ;`` is not the file's delimiter).
- A row whose code is already in the directory changes that service (its columns only); a new
  code adds one. Blank lines and lines starting with ``#`` are skipped.

Every problem is reported with its line number; nothing is stored unless there are none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from helpline.directory import fields as check
from helpline.directory.fields import FieldProblem
# The same decoding and file limits as the rota's import, its table reading (read_table) and its
# shape of a problem (RowProblem).
import helpline.rota.csv_import as rota_csv
from helpline.rota.csv_import import MAX_BYTES, MAX_ROWS, decode, read_table  # noqa: F401 - re-exported

COLUMNS = ("code", "name", "name_sv", "name_en", "description", "description_sv", "description_en", "topics",
           "languages", "phone", "url", "address", "area", "hours", "open_on_holidays", "active")
REQUIRED = ("code", "name")
ALIASES = {
    **{name: name for name in COLUMNS},
    "koodi": "code", "kod": "code",
    "nimi": "name", "namn": "name", "nimi_sv": "name_sv", "namn_sv": "name_sv", "nimi_en": "name_en",
    "namn_en": "name_en",
    "kuvaus": "description", "beskrivning": "description", "kuvaus_sv": "description_sv",
    "beskrivning_sv": "description_sv", "kuvaus_en": "description_en", "beskrivning_en": "description_en",
    "aiheet": "topics", "aihe": "topics", "ämnen": "topics", "topic": "topics",
    "kielet": "languages", "kieli": "languages", "språk": "languages",
    "puhelin": "phone", "telefon": "phone", "puh": "phone",
    "verkkosivu": "url", "verkkosivut": "url", "www": "url", "webbplats": "url", "web": "url", "website": "url",
    "osoite": "address", "adress": "address",
    "alue": "area", "seurakunta": "area", "område": "area", "församling": "area", "parish": "area",
    "aukioloajat": "hours", "aukioloaika": "hours", "öppettider": "hours", "opening_hours": "hours",
    "auki_pyhinä": "open_on_holidays", "öppet_helgdagar": "open_on_holidays",
    "aktiivinen": "active", "aktiv": "active",
}
CHECKS: dict[str, Callable[[Any], Any]] = {
    "code": check.code,
    "name": check.name,
    "name_sv": lambda value: check.optional_text(value, "name_sv", check.NAME_MAX),
    "name_en": lambda value: check.optional_text(value, "name_en", check.NAME_MAX),
    "description": lambda value: check.optional_text(value, "description", check.DESCRIPTION_MAX) or "",
    "description_sv": lambda value: check.optional_text(value, "description_sv", check.DESCRIPTION_MAX),
    "description_en": lambda value: check.optional_text(value, "description_en", check.DESCRIPTION_MAX),
    "topics": check.topics,
    "languages": check.languages,
    "phone": check.phone,
    "url": check.url,
    "address": lambda value: check.optional_text(value, "address", check.ADDRESS_MAX),
    "area": lambda value: check.optional_text(value, "area", check.AREA_MAX),
    "hours": check.hours,
    "open_on_holidays": lambda value: check.boolean_word(value, "open_on_holidays"),
    "active": lambda value: check.boolean_word(value or "yes", "active"),
}


MESSAGES = {
    "empty": "the file has no rows (the first line names the columns, e.g. code,name,phone,hours)",
    "too_big": "the file is larger than {limit} KiB; split it into several",
    "too_many_rows": "the file has more than {limit} rows; split it into several",
    "columns": "the first line must name the columns code and name (and any of {known}); missing: {missing}",
    "unknown_column": "unknown column {column!r}; the columns are {known}",
    "cells": "expected {expected} cells as in the header, found {found}",
    "field": "{column}: {message}",
    "duplicate_code": "the code {code} is also on line {other_line}",
}


class RowProblem(rota_csv.RowProblem):
    """What is wrong on one line of the directory's file: the rota import's shape, these words."""

    messages = MESSAGES


@dataclass(frozen=True)
class PlannedService:
    line: int
    code: str
    values: dict[str, Any]  # the columns of the row, checked: what to store
    existing_id: int | None  # the service with this code, which the row changes; None: a new one


@dataclass
class ImportPlan:
    services: list[PlannedService] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and bool(self.services)

    @property
    def added(self) -> int:
        return sum(planned.existing_id is None for planned in self.services)


def parse_directory(text: str, existing: Mapping[str, int]) -> ImportPlan:
    """Every row of ``text`` checked; ``existing`` maps each stored code to its service's id."""
    plan = ImportPlan()
    table = read_table(text, lambda line, code, params: plan.problems.append(RowProblem(line, code, params)))
    if table is None:
        return plan
    columns = _columns(table.header_line, table.header, plan)
    if columns is None:
        return plan
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        if len(cells) != len(columns):
            plan.problems.append(RowProblem(number, "cells", {"expected": len(columns), "found": len(cells)}))
            continue
        planned = _row(number, dict(zip(columns, cells)), existing, plan)
        if planned is None:
            continue
        if planned.code in seen:
            plan.problems.append(RowProblem(number, "duplicate_code", {"code": planned.code,
                                                                       "other_line": seen[planned.code]}))
            continue
        seen[planned.code] = number
        plan.services.append(planned)
    return plan


def _columns(line: int, header: list[str], plan: ImportPlan) -> list[str] | None:
    names = []
    for cell in header:
        name = ALIASES.get(cell.strip().lower().replace(" ", "_"))
        if name is None or name in names:
            plan.problems.append(RowProblem(line, "unknown_column", {"column": cell.strip(),
                                                                     "known": ", ".join(COLUMNS)}))
            return None
        names.append(name)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        plan.problems.append(RowProblem(line, "columns", {"missing": ", ".join(missing), "known": ", ".join(COLUMNS)}))
        return None
    return names


def _row(line: int, cells: dict[str, str], existing: Mapping[str, int], plan: ImportPlan) -> PlannedService | None:
    """One row checked, every problem of it added to ``plan`` (not just the first)."""
    values: dict[str, Any] = {}
    before = len(plan.problems)
    for column, cell in cells.items():
        try:
            values[column] = CHECKS[column](cell)
        except FieldProblem as problem:
            plan.problems.append(RowProblem(line, "field", {"column": column, "message": str(problem).split(": ", 1)[1],
                                                            "problem": problem.code, **problem.params}))
    if len(plan.problems) > before:
        return None
    return PlannedService(line, values["code"], values, existing.get(values["code"]))
