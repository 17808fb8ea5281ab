"""Charts drawn on the server as SVG: stacked columns (a value per period) and stacked bars
(a value per named row). The same markup shows in the page, with no JavaScript, and goes into
the PDF reports; each chart has a title, a one-sentence description and its numbers as a
table (`rows`), for screen readers and for print.

A chart here is only geometry; `templates/reports/chart.svg` draws it, escaping every label.
It scales to the width it is given (its viewBox), on a phone as in a PDF; its legend is
HTML beside it (`chart_legend.html`), which wraps where the chart cannot.
"""

import dataclasses
import math

from django.utils.formats import number_format

# The drawing's width: on a phone of 360 px it is shown at two thirds of its size, on a
# desktop at most 1.2 times (`svg.chart` in the stylesheets), its text 13 px at 1.
WIDTH = 480
PLOT_LEFT = 44  # room for the value axis
PLOT_TOP = 12
CHARACTER_WIDTH = 7.5  # a wide character at the charts' 13 px, to size labels
MARGIN = 8


@dataclasses.dataclass(frozen=True)
class Series:
    key: object
    label: str
    color: str


def _px(value):
    """A coordinate to a tenth of a pixel, as the SVG prints it (`floatformat` in the
    template cost a sixth of the overview's rendering: 500 numbers)."""
    return round(float(value), 1)


def _line(*ends):
    """A gridline (x1, y1, x2, y2), its coordinates as the SVG prints them."""
    return tuple(_px(value) for value in ends)


@dataclasses.dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    tooltip: str
    href: str = ""

    def __post_init__(self):
        for name in ("x", "y", "width", "height"):
            object.__setattr__(self, name, _px(getattr(self, name)))


@dataclasses.dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"

    def __post_init__(self):
        for name in ("x", "y"):
            object.__setattr__(self, name, _px(getattr(self, name)))


@dataclasses.dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    rects: list
    texts: list
    gridlines: list  # (x1, y1, x2, y2)
    series: list  # the legend, when there are several
    rows: list  # (label, [value per series], total): the table alternative

    @property
    def empty(self):
        return not any(total for _label, _values, total in self.rows)

    @property
    def role(self):
        """An image, or a group when its segments are links (an image's content is not read,
        so links inside one reach no one)."""
        return "group" if any(rect.href for rect in self.rects) else "img"


def nice_step(largest, ticks=4):
    """A round step (1, 2 or 5 × 10ⁿ) giving at most `ticks` gridlines up to `largest`."""
    if largest <= ticks:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _tooltip(row_label, series, value):
    name = f"{row_label} · {series.label}" if series.label else row_label
    return f"{name}: {number_format(value, force_grouping=True)}"


def column_chart(*, id, title, description, columns, series, value, href=None, plot_height=180):
    """Stacked columns: one per `columns` item (key, label), a segment per series;
    `value(column key, series key)` gives a segment's height, `href` its link."""
    totals = [sum(value(key, s.key) for s in series) for key, _label in columns]
    step = nice_step(max(totals, default=0))
    top_value = step * max(1, math.ceil(max(totals, default=0) / step))
    scale = plot_height / top_value
    plot_width = WIDTH - PLOT_LEFT - 8
    slot = plot_width / max(len(columns), 1)
    bar = min(slot * 0.7, 48)
    base = PLOT_TOP + plot_height
    rects, texts, gridlines = [], [], []
    for tick in range(0, top_value + 1, step):
        y = base - tick * scale
        gridlines.append(_line(PLOT_LEFT, y, WIDTH - 8, y))
        texts.append(Text(PLOT_LEFT - 6, y + 4, number_format(tick, force_grouping=True), "end"))
    # Every column's label, or every other one (and so on) when they would overlap.
    widest = max((len(str(label)) for _key, label in columns), default=0) * CHARACTER_WIDTH
    label_every = max(1, math.ceil(widest / (slot * 0.95)))
    for index, (key, label) in enumerate(columns):
        x = PLOT_LEFT + index * slot + (slot - bar) / 2
        y = base
        for s in series:
            amount = value(key, s.key)
            if amount:
                height = amount * scale
                y -= height
                link = href(key, s.key) if href else ""
                rects.append(Rect(x, y, bar, height, s.color, _tooltip(label, s, amount), link))
        if index % label_every == 0:
            texts.append(Text(x + bar / 2, base + 16, label))
    return Chart(
        id=id,
        title=title,
        description=description,
        width=WIDTH,
        height=int(base + 24),
        rects=rects,
        texts=texts,
        gridlines=gridlines,
        series=series,
        rows=[
            (label, [value(key, s.key) for s in series], total)
            for (key, label), total in zip(columns, totals, strict=True)
        ],
    )


def bar_chart(*, id, title, description, rows, series, value, href=None, bar_height=18):
    """Stacked horizontal bars: one per `rows` item (key, label), a segment per series."""
    totals = [sum(value(key, s.key) for s in series) for key, _label in rows]
    largest = max(totals, default=0)
    label_width = min(
        WIDTH / 3, max((len(str(label)) for _key, label in rows), default=0) * CHARACTER_WIDTH
    )
    plot_left = MARGIN + label_width + MARGIN
    plot_width = WIDTH - plot_left - 56  # room for the total after the bar
    scale = plot_width / largest if largest else 0
    rects, texts = [], []
    for index, ((key, label), total) in enumerate(zip(rows, totals, strict=True)):
        y = PLOT_TOP + index * (bar_height + 10)
        texts.append(
            Text(
                label_width,
                y + bar_height - 5,
                _shorten(label, int(label_width // CHARACTER_WIDTH)),
                "end",
            )
        )
        x = plot_left
        for s in series:
            amount = value(key, s.key)
            if amount:
                width = amount * scale
                link = href(key, s.key) if href else ""
                rects.append(
                    Rect(x, y, width, bar_height, s.color, _tooltip(label, s, amount), link)
                )
                x += width
        texts.append(
            Text(x + 6, y + bar_height - 5, number_format(total, force_grouping=True), "start")
        )
    bottom = PLOT_TOP + len(rows) * (bar_height + 10)
    return Chart(
        id=id,
        title=title,
        description=description,
        width=WIDTH,
        height=int(bottom + 4),
        rects=rects,
        texts=texts,
        gridlines=[_line(plot_left, PLOT_TOP - 4, plot_left, bottom)],
        series=series,
        rows=[
            (label, [value(key, s.key) for s in series], total)
            for (key, label), total in zip(rows, totals, strict=True)
        ],
    )


def _shorten(label, limit):
    label, limit = str(label), int(limit)
    return label if len(label) <= limit else label[: limit - 1] + "…"
