"""Charts as server-rendered SVG: the heat map, bars and a trend line. Pure: figures in, markup out.

No JavaScript and no charting library: the report must print and the page must work without
scripts. Every label is escaped; every shape has a <title>, so a screen reader (and a mouse
hover) tells the number behind it. Colours come from CSS variables with fallbacks, so the page's
stylesheet can restyle them and the printed report still has them.
"""
from __future__ import annotations

from html import escape
from typing import Sequence

from markupsafe import Markup

from helpline.metrics.figures import HeatMap

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
INK = "var(--chart-ink, #1f2933)"
BAR = "var(--chart-bar, #2f6f8f)"
SECOND = "var(--chart-second, #c26d2b)"
GRID = "var(--chart-grid, #d9dee3)"


def _svg(width: int, height: int, body: str, title: str) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
                  f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>')


def heat_map_svg(heat: HeatMap, title: str = "Calls by weekday and hour", day_names: Sequence[str] = DAY_NAMES,
                 outside_label: str = "outside office hours") -> Markup:
    """7 rows of 24 hours; darker is busier. A cell whose calls came mostly while the line was
    closed has a dashed outline: where people call when nobody can answer."""
    cell, left, top = 22, 40, 18
    busiest = max((count for row in heat.calls for count in row), default=0) or 1
    parts = [f'<text x="{left + hour * cell + cell / 2}" y="12" font-size="9" text-anchor="middle" fill="{INK}">'
             f'{hour:02d}</text>' for hour in range(0, 24, 3)]
    for day, row in enumerate(heat.calls):
        y = top + day * cell
        parts.append(f'<text x="{left - 6}" y="{y + cell * 0.65}" font-size="10" text-anchor="end" fill="{INK}">'
                     f'{escape(day_names[day])}</text>')
        for hour, count in enumerate(row):
            outside = heat.outside_hours[day][hour]
            shade = 0.08 + 0.92 * count / busiest if count else 0
            dashed = ' stroke-dasharray="3 2" stroke="#7a2e0e" stroke-width="1.5"' if count and outside * 2 > count \
                else f' stroke="{GRID}" stroke-width="0.5"'
            label = f"{day_names[day]} {hour:02d}:00-{hour + 1:02d}:00: {count}" + \
                (f", {outside} {outside_label}" if outside else "")
            parts.append(f'<rect x="{left + hour * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" rx="3" '
                         f'fill="{BAR}" fill-opacity="{shade:.2f}"{dashed}><title>{escape(label)}</title></rect>')
    return _svg(left + 24 * cell, top + 7 * cell + 4, "".join(parts), title)


def bars_svg(items: Sequence[tuple[str, float]], title: str, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value), in the given order."""
    width, label_width, row = 520, 170, 24
    largest = max((value for _, value in items), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(items):
        y = index * row + 4
        length = (width - label_width - 60) * value / largest
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" font-size="11" text-anchor="end" fill="{INK}">'
            f'{escape(_short(label))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{max(length, 1):.1f}" height="{row - 8}" fill="{BAR}">'
            f'<title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 14}" font-size="11" fill="{INK}">{escape(shown)}</text>')
    if not items:
        parts.append(f'<text x="0" y="16" font-size="11" fill="{INK}">-</text>')
    return _svg(width, max(len(items), 1) * row + 8, "".join(parts), title)


def trend_svg(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str,
              unit: str = "") -> Markup:
    """Lines over the weeks, one per (name, values); a None leaves a gap (a week without data)."""
    width, height, left, bottom, top = 560, 200, 46, 30, 12
    values = [value for _, points in series for value in points if value is not None]
    largest = max(values, default=0) or 1
    step = (width - left - 10) / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / largest)

    parts = [f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 10}" y2="{y(0):.1f}" stroke="{GRID}"/>',
             f'<text x="{left - 6}" y="{y(largest) + 4:.1f}" font-size="10" text-anchor="end" fill="{INK}">'
             f'{largest:g}{escape(unit)}</text>',
             f'<text x="{left - 6}" y="{y(0) + 4:.1f}" font-size="10" text-anchor="end" fill="{INK}">0</text>']
    every = max(1, len(labels) // 8)
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(f'<text x="{x(index):.1f}" y="{height - 10}" font-size="9" text-anchor="middle" '
                         f'fill="{INK}">{escape(label)}</text>')
    for number, (name, points) in enumerate(series):
        colour = BAR if number == 0 else SECOND
        run: list[str] = []
        for index, value in enumerate(list(points) + [None]):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{x(index):.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(name)}, {escape(labels[index])}: {value:g}{escape(unit)}</title></circle>')
        parts.append(f'<text x="{left + 8 + number * 150}" y="{top + 4}" font-size="10" fill="{colour}">'
                     f'{escape(name)}</text>')
    return _svg(width, height, "".join(parts), title)


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
