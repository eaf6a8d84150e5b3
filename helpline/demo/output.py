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

    def quotes(self, label: str, sentences: list[str], indent: int = 2) -> None:
        """Each sentence quoted on its own lines, the first beside ``label``."""
        prefix = " " * indent + f"{label + ':':<14}"
        for number, sentence in enumerate(sentences or ["(nothing)"]):
            first = prefix if number == 0 else " " * len(prefix)
            self._write(textwrap.fill(f"“{sentence}”", WIDTH, initial_indent=first,
                                      subsequent_indent=" " * (len(prefix) + 1)))

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()
