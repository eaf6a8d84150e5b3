"""Charts as server-rendered SVG: the heat map, bars and a trend line. Pure: figures in, markup out.

No JavaScript and no charting library: the report must print and the page must work without
scripts. Every label is escaped; every shape has a <title>, so a screen reader (and a mouse
hover) tells the number behind it. Colours come from CSS variables with fallbacks, so the page's
stylesheet can restyle them and the printed report still has them.

Sized for a phone: every chart is at most 320 units wide with 10-12 unit text, so on a 390 px
screen (about 324 px inside a card) a unit is a pixel and no text is smaller than 10 px. Wider
screens scale them up only as far as the stylesheet's max-width lets them (the Figures page's
figures.css, the report's own styles).
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
    cell, left, top = 12, 30, 16
    busiest = max((count for row in heat.calls for count in row), default=0) or 1
    parts = [f'<text x="{left + hour * cell}" y="11" font-size="10" text-anchor="start" fill="{INK}">'
             f'{hour:02d}</text>' for hour in range(0, 24, 3)]
    for day, row in enumerate(heat.calls):
        y = top + day * cell
        parts.append(f'<text x="{left - 4}" y="{y + cell * 0.8:g}" font-size="10" text-anchor="end" fill="{INK}">'
                     f'{escape(_short(day_names[day], 4))}</text>')
        for hour, count in enumerate(row):
            outside = heat.outside_hours[day][hour]
            shade = 0.08 + 0.92 * count / busiest if count else 0
            dashed = ' stroke-dasharray="3 2" stroke="#7a2e0e" stroke-width="1.5"' if count and outside * 2 > count \
                else f' stroke="{GRID}" stroke-width="0.5"'
            label = f"{day_names[day]} {hour:02d}:00-{hour + 1:02d}:00: {count}" + \
                (f", {outside} {outside_label}" if outside else "")
            parts.append(f'<rect x="{left + hour * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}" rx="2" '
                         f'fill="{BAR}" fill-opacity="{shade:.2f}"{dashed}><title>{escape(label)}</title></rect>')
    return _svg(left + 24 * cell + 2, top + 7 * cell + 2, "".join(parts), title)


def bars_svg(items: Sequence[tuple[str, float]], title: str, unit: str = "") -> Markup:
    """Horizontal bars, one per (label, value), in the given order."""
    width, label_width, row = 320, 112, 24
    largest = max((value for _, value in items), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(items):
        y = index * row + 4
        length = (width - label_width - 44) * value / largest
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" font-size="11" text-anchor="end" fill="{INK}">'
            f'<title>{escape(label)}</title>{escape(_short(label, 18))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{max(length, 1):.1f}" height="{row - 8}" fill="{BAR}">'
            f'<title>{escape(label)}: {escape(shown)}</title></rect>'
            f'<text x="{label_width + length + 5:.1f}" y="{y + 13}" font-size="11" fill="{INK}">{escape(shown)}</text>')
    if not items:
        parts.append(f'<text x="0" y="16" font-size="11" fill="{INK}">-</text>')
    return _svg(width, max(len(items), 1) * row + 8, "".join(parts), title)


def trend_svg(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str,
              unit: str = "") -> Markup:
    """Lines over the weeks, one per (name, values); a None leaves a gap (a week without data)."""
    width, height, left, bottom, top = 320, 180, 34, 22, 24
    values = [value for _, points in series for value in points if value is not None]
    largest = max(values, default=0) or 1
    step = (width - left - 10) / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / largest)

    parts = [f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 10}" y2="{y(0):.1f}" stroke="{GRID}"/>',
             f'<text x="{left - 4}" y="{y(largest) + 4:.1f}" font-size="10" text-anchor="end" fill="{INK}">'
             f'{largest:g}{escape(unit)}</text>',
             f'<text x="{left - 4}" y="{y(0) + 4:.1f}" font-size="10" text-anchor="end" fill="{INK}">0</text>']
    every = max(1, -(-len(labels) // 7))  # at most 7 labels: about 40 units each
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(f'<text x="{x(index):.1f}" y="{height - 6}" font-size="10" text-anchor="middle" '
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
        # The legend: one series per half of the top line, each with a swatch of its colour.
        legend_x = left + number * (width - left) / 2
        parts.append(f'<rect x="{legend_x:g}" y="4" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{legend_x + 14:g}" y="13" font-size="11" fill="{INK}">{escape(_short(name, 22))}</text>')
    return _svg(width, height, "".join(parts), title)


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
