"""How the demo talks to the person watching: headed sections, indented facts, wrapped quotes."""
from __future__ import annotations

import sys
import textwrap
from typing import TextIO

WIDTH = 100


class Console:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def heading(self, title: str) -> None:
        self._write(f"\n=== {title} " + "=" * max(3, WIDTH - len(title) - 5))

    def subheading(self, title: str) -> None:
        self._write(f"\n--- {title}")

    def line(self, text: str = "", indent: int = 0) -> None:
        self._write(" " * indent + text)

    def fact(self, label: str, text: str, indent: int = 2) -> None:
        """``label: text``, the text wrapped under itself."""
        prefix = " " * indent + f"{label + ':':<14}"
        self._write(textwrap.fill(text, WIDTH, initial_indent=prefix, subsequent_indent=" " * len(prefix)))

    def quotes(self, label: str, sentences: list[str], indent: int = 2, notes: dict[int, str] | None = None) -> None:
        """Each sentence quoted on its own lines, the first beside ``label``; ``notes[n]``, unquoted,
        after the first n sentences (what the caller did between them)."""
        prefix = " " * indent + f"{label + ':':<14}"
        lines = [f"“{sentence}”" for sentence in sentences] or ["(nothing)"]
        for at, note in sorted((notes or {}).items(), reverse=True):
            lines.insert(min(at, len(lines)), note)
        for number, line in enumerate(lines):
            first = prefix if number == 0 else " " * len(prefix)
            self._write(textwrap.fill(line, WIDTH, initial_indent=first, subsequent_indent=" " * (len(prefix) + 1)))

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()
