"""Server-side SVG charts: readable without JavaScript, small, accessible.

Each builder returns ``markupsafe.Markup`` holding one ``<svg>`` element that
scales to its container (``viewBox``, ``width="100%"``). Every chart has
``role="img"``, a ``<title>`` and a ``<desc>`` (the caller's text summary)
that screen readers announce, is keyboard focusable, and gives every mark a
``<title>`` (a native tooltip). Charts are never the only carrier of the
figures: put the same data in a table beside them (see the snippet
``bonos/snippets/chart_figure.html``).

Values are plain numbers; ``None`` means suppressed or missing and is drawn as
such (hatched or labelled), never as zero. Labels and formatted values are
passed in already translated and formatted (see ``charts.formato``), so this
module needs no request.

Builders:

- ``bar_chart(items, ...)``: horizontal bars, one per item, with value labels.
- ``timeline_chart(periods, bar_series, ...)``: stacked bars per period with an
  optional line on a second axis.
- ``department_map(values, ...)``: map of Honduras' 18 departments shaded by
  value, with a legend (shapes from ``geo``).
- ``sparkline(values, ...)``: a small trend line, with an optional target line.
"""
from __future__ import annotations

import itertools
import math
from typing import Callable, Dict, List, Optional, Sequence

from markupsafe import Markup, escape

from . import paleta
from . import geo

Formatter = Callable[[Optional[float]], str]
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\""
_ids = itertools.count(1)


def _new_id(prefix: Optional[str]) -> str:
    return prefix or "bonos-chart-%d" % next(_ids)


def _e(text) -> str:
    return str(escape("" if text is None else text))


def _n(x: float) -> str:
    """A coordinate with at most one decimal (keeps the markup small)."""
    return ("%.1f" % x).rstrip("0").rstrip(".")


def _open(cid: str, width: int, height: int, title: str, summary: str,
          extra_defs: str = "") -> List[str]:
    return [
        '<svg xmlns="http://www.w3.org/2000/svg" class="bonos-chart" '
        'viewBox="0 0 %d %d" width="100%%" role="img" tabindex="0" '
        'aria-labelledby="%s-t %s-d" %s font-size="12">' % (width, height, cid, cid, FONT),
        '<title id="%s-t">%s</title><desc id="%s-d">%s</desc>' % (
            cid, _e(title), cid, _e(summary)),
        extra_defs,
    ]


def _hatch_def(cid: str) -> str:
    return ('<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="%s"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="2"/></pattern></defs>'
            % (cid, paleta.SUPPRESSED_FILL, paleta.SUPPRESSED_STROKE))


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is >= value."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value * (1 - 1e-9):
            return step * magnitude
    return 10 * magnitude


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


# -- horizontal bars -------------------------------------------------------------
def bar_chart(items: Sequence[dict], *, title: str, summary: str,
              value_format: Formatter, suppressed_label: str,
              colour: str = paleta.CATEGORICAL[0], chart_id: Optional[str] = None,
              label_chars: int = 22) -> Markup:
    """Horizontal bars, one per item, in the order given.

    ``items``: dicts with ``label`` (str), ``value`` (number or None for a
    suppressed/missing value) and optionally ``note`` (str, added to the
    tooltip, e.g. "excludes 2 suppressed municipalities"). ``value_format``
    formats a value for its label (e.g. ``lambda v: formato.lempiras(v, "es")``);
    ``suppressed_label`` is written where a value is None.
    """
    cid = _new_id(chart_id)
    width, label_w, value_w, row_h, bar_h, top = 480, 150, 96, 24, 16, 6
    bar_w = width - label_w - value_w - 8
    height = top * 2 + row_h * max(len(items), 1)
    top_value = max([i["value"] for i in items if i.get("value") is not None] or [0])
    scale = bar_w / top_value if top_value > 0 else 0
    out = _open(cid, width, height, title, summary)
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>' % (
        label_w, top, label_w, height - top, paleta.GRID))
    for index, item in enumerate(items):
        y = top + index * row_h
        value = item.get("value")
        label = _truncate(str(item["label"]), label_chars)
        shown = suppressed_label if value is None else value_format(value)
        tip = "%s: %s" % (item["label"], shown)
        if item.get("note"):
            tip += " (%s)" % item["note"]
        out.append('<g><title>%s</title>' % _e(tip))
        out.append('<text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>' % (
            label_w - 6, _n(y + row_h / 2 + 4), paleta.TEXT, _e(label)))
        if value is None:
            out.append('<rect x="%d" y="%s" width="24" height="%d" fill="url(#%s-hatch)" '
                       'stroke="%s"/>' % (label_w + 1, _n(y + (row_h - bar_h) / 2), bar_h,
                                          cid, paleta.SUPPRESSED_STROKE))
            out.append('<text x="%d" y="%s" fill="%s" font-style="italic">%s</text>' % (
                label_w + 30, _n(y + row_h / 2 + 4), paleta.TEXT_MUTED, _e(shown)))
        else:
            w = max(value * scale, 0)
            out.append('<rect x="%d" y="%s" width="%s" height="%d" fill="%s"/>' % (
                label_w + 1, _n(y + (row_h - bar_h) / 2), _n(w), bar_h, colour))
            out.append('<text x="%s" y="%s" fill="%s">%s%s</text>' % (
                _n(label_w + w + 5), _n(y + row_h / 2 + 4), paleta.TEXT, _e(shown),
                "*" if item.get("note") else ""))
        out.append("</g>")
    if any(i.get("value") is None for i in items):
        out.insert(2, _hatch_def(cid))
    out.append("</svg>")
    return Markup("".join(out))


# -- timeline: stacked bars by period, optional line --------------------------------
def timeline_chart(periods: Sequence[str], bar_series: Sequence[dict], *, title: str,
                   summary: str, bar_format: Formatter, axis_format: Formatter,
                   line_series: Optional[dict] = None,
                   line_format: Optional[Formatter] = None,
                   line_axis_format: Optional[Formatter] = None,
                   none_label: str = "\u2014",
                   chart_id: Optional[str] = None) -> Markup:
    """Stacked bars per period (x axis), optionally a line on a right-hand axis.

    ``periods``: the category labels in order. ``bar_series``: dicts with
    ``name`` and ``values`` (one number or None per period; None adds nothing
    to the stack and is marked in the tooltip with ``none_label``). ``line_series``: a dict with
    ``name`` and ``values`` drawn as a line with points. Formatters: values in
    tooltips (``bar_format``, ``line_format``), axis ticks (``axis_format``,
    ``line_axis_format``). Colours follow ``paleta.categorical``; the line is
    black, dashed, with round markers so it is told apart without colour.
    """
    cid = _new_id(chart_id)
    colours = paleta.categorical(len(bar_series))
    width, left, right, bottom = 640, 64, 64 if line_series else 16, 40
    legend_names = [s["name"] for s in bar_series] + ([line_series["name"]] if line_series else [])
    legend_rows = _legend_rows(legend_names, width - 16)
    top = 12 + 20 * len(legend_rows)
    height = top + 200 + bottom
    plot_w, plot_h = width - left - right, 200
    n = max(len(periods), 1)
    stacks = [sum(v for v in (s["values"][i] for s in bar_series) if v is not None)
              for i in range(len(periods))]
    y_max = nice_ceiling(max(stacks or [0]))
    out = _open(cid, width, height, title, summary)
    out.extend(_legend(legend_rows, legend_names, colours, bool(line_series)))
    for k in range(5):  # horizontal grid with left ticks
        v = y_max * k / 4
        y = top + plot_h - plot_h * k / 4
        out.append('<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="%s" stroke-width="%s"/>' % (
            left, left + plot_w, _n(y), _n(y), paleta.GRID, "1" if k == 0 else "0.4"))
        out.append('<text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>' % (
            left - 4, _n(y + 4), paleta.TEXT, _e(axis_format(v))))
    slot = plot_w / n
    bar_w = max(min(slot * 0.7, 48), 2)
    # Period labels never overlap: every k-th one is written, k chosen from the
    # longest label's width. The chart scales as a whole (viewBox), so what does not
    # overlap here does not overlap at any width of the page.
    label_w = max([_text_width(p) for p in periods] or [0]) + 8
    label_every = max(1, math.ceil(label_w / slot))
    for i, period in enumerate(periods):
        x = left + slot * i + (slot - bar_w) / 2
        base = top + plot_h
        for s, colour in zip(bar_series, colours):
            v = s["values"][i]
            shown = bar_format(v) if v is not None else none_label
            h = plot_h * (v or 0) / y_max
            out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>' % (
                _n(x), _n(base - h), _n(bar_w), _n(h), colour,
                _e("%s \u00b7 %s: %s" % (period, s["name"], shown))))
            base -= h
        if i % label_every == 0:
            out.append('<text class="bonos-eje-x" x="%s" y="%d" text-anchor="middle" '
                       'fill="%s">%s</text>' % (_n(left + slot * i + slot / 2),
                                                top + plot_h + 22, paleta.TEXT, _e(period)))
    if line_series:
        values = line_series["values"]
        l_max = nice_ceiling(max([v for v in values if v is not None] or [0]))
        fmt_axis = line_axis_format or line_format or str
        for k in range(5):
            v = l_max * k / 4
            y = top + plot_h - plot_h * k / 4
            out.append('<text x="%d" y="%s" fill="%s">%s</text>' % (
                left + plot_w + 4, _n(y + 4), paleta.TEXT, _e(fmt_axis(v))))
        points = [(left + slot * i + slot / 2, top + plot_h - plot_h * v / l_max, v)
                  for i, v in enumerate(values) if v is not None]
        if points:
            out.append('<polyline fill="none" stroke="%s" stroke-width="2" stroke-dasharray="6 3" '
                       'points="%s"/>' % (paleta.TEXT, " ".join(
                           "%s,%s" % (_n(x), _n(y)) for x, y, _ in points)))
        fmt = line_format or str
        for (x, y, v), period in zip(points, [p for p, v in zip(periods, values) if v is not None]):
            out.append('<circle cx="%s" cy="%s" r="3.5" fill="%s" stroke="%s"><title>%s</title></circle>' % (
                _n(x), _n(y), paleta.BACKGROUND, paleta.TEXT,
                _e("%s \u00b7 %s: %s" % (period, line_series["name"], fmt(v)))))
    out.append("</svg>")
    return Markup("".join(out))


def _text_width(text: str, size: float = 12) -> float:
    """A generous estimate of a label's width in a sans-serif face (0.62 em a
    character; wide letters more)."""
    wide = sum(1 for ch in text if ch in "MWmw")
    return size * (0.62 * len(text) + 0.3 * wide)


def _legend_rows(names: Sequence[str], width: int) -> List[List[int]]:
    rows, row, used = [], [], 0
    for i, name in enumerate(names):
        w = 22 + 7 * len(name) + 14
        if row and used + w > width:
            rows.append(row)
            row, used = [], 0
        row.append(i)
        used += w
    if row:
        rows.append(row)
    return rows or [[]]


def _legend(rows: List[List[int]], names: Sequence[str], colours: List[str],
            has_line: bool) -> List[str]:
    """Swatch and name per series; the line series (last) gets a dashed sample."""
    out = []
    for r, row in enumerate(rows):
        x, y = 8, 10 + 20 * r
        for i in row:
            if i < len(colours):
                out.append('<rect x="%d" y="%d" width="14" height="14" fill="%s"/>' % (
                    x, y, colours[i]))
            elif has_line:
                out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2" '
                           'stroke-dasharray="6 3"/>' % (x, x + 14, y + 7, y + 7, paleta.TEXT))
            out.append('<text x="%d" y="%d" fill="%s">%s</text>' % (
                x + 20, y + 12, paleta.TEXT, _e(names[i])))
            x += 22 + 7 * len(names[i]) + 14
    return out


# -- department map ---------------------------------------------------------------------
def department_map(values: Dict[str, Optional[float]], names: Dict[str, str], *,
                   title: str, summary: str, value_format: Formatter,
                   legend_format: Formatter, suppressed_label: str,
                   no_data_label: str, links: Optional[Dict[str, str]] = None,
                   chart_id: Optional[str] = None) -> Markup:
    """Honduras' 18 departments (``geo.SHAPES``), shaded in five classes of equal
    width from 0 to a round ceiling of the largest value (the legend gives each
    class's upper bound).

    ``values``: department code ("01".."18") -> number, or None when the value
    is suppressed (hatched). A code left out has no data (white). ``names``:
    code -> display name. Every shape carries ``data-ine`` and a ``<title>``
    with the name and ``value_format``'s form of its value; with ``links``
    (code -> URL) each shape is a link, and the map is then a group of links
    rather than one picture.
    """
    cid = _new_id(chart_id)
    width, map_h = geo.WIDTH, geo.HEIGHT
    legend_h = 44
    height = map_h + legend_h
    known = [v for v in values.values() if v is not None]
    top_value = nice_ceiling(max(known)) if known and max(known) > 0 else 1.0
    classes = len(paleta.SEQUENTIAL)
    breaks = [top_value * (k + 1) / classes for k in range(classes)]
    out = _open(cid, width, height, title, summary, _hatch_def(cid))
    if links:   # children of role="img" are hidden from screen readers: links must not be
        out[0] = out[0].replace('role="img" tabindex="0"', 'role="group"')
    for code in sorted(geo.SHAPES):
        name = names.get(code, code)
        if code not in values:
            fill, shown = paleta.BACKGROUND, no_data_label
        elif values[code] is None:
            fill, shown = "url(#%s-hatch)" % cid, suppressed_label
        else:
            fill = paleta.SEQUENTIAL[paleta.sequential_class(values[code], breaks)]
            shown = value_format(values[code])
        tip = _e("%s: %s" % (name, shown))
        path = '<path d="%s" fill="%s"/>' % (geo.SHAPES[code], fill)
        if links and code in links:
            out.append('<a href="%s" data-ine="%s" aria-label="%s"><title>%s</title>%s</a>' % (
                _e(links[code]), code, tip, tip, path))
        else:
            out.append('<g data-ine="%s"><title>%s</title>%s</g>' % (code, tip, path))
    # borders drawn once over the fills, so a hatched or white department keeps its edge
    out.append('<path d="%s" fill="none" stroke="%s" stroke-width="0.8" '
               'stroke-linejoin="round" pointer-events="none"/>' % (
                   "".join(geo.SHAPES[c] for c in sorted(geo.SHAPES)), paleta.SUPPRESSED_STROKE))
    ly = map_h + 6
    sw = (width - 16) / (classes + 3)
    for k, colour in enumerate(paleta.SEQUENTIAL):
        lx = 8 + k * sw
        out.append('<rect x="%s" y="%d" width="%s" height="14" fill="%s" stroke="%s"/>' % (
            _n(lx), ly, _n(sw - 2), colour, paleta.SUPPRESSED_STROKE))
        out.append('<text x="%s" y="%d" font-size="11" fill="%s">\u2264 %s</text>' % (
            _n(lx), ly + 29, paleta.TEXT, _e(legend_format(breaks[k]))))
    for k, (fill, label) in enumerate((("url(#%s-hatch)" % cid, suppressed_label),
                                       (paleta.BACKGROUND, no_data_label))):
        lx = 8 + (classes + 1.5 * k) * sw
        out.append('<rect x="%s" y="%d" width="%s" height="14" fill="%s" stroke="%s"/>' % (
            _n(lx), ly, _n(1.5 * sw - 2), fill, paleta.SUPPRESSED_STROKE))
        out.append('<text x="%s" y="%d" font-size="11" fill="%s">%s</text>' % (
            _n(lx), ly + 29, paleta.TEXT, _e(label)))
    out.append("</svg>")
    return Markup("".join(out))


# -- sparkline ---------------------------------------------------------------------------
def sparkline(labels: Sequence[str], values: Sequence[Optional[float]], *, title: str,
              summary: str, value_format: Formatter,
              targets: Optional[Sequence[Optional[float]]] = None,
              target_label: str = "", chart_id: Optional[str] = None) -> Markup:
    """A small trend line (160x48) through ``values`` (None leaves a gap in
    the points), with the latest point marked; ``targets`` per label draw a
    dashed step line. Tooltips give each label's value (and target)."""
    cid = _new_id(chart_id)
    width, height, pad = 160, 48, 6
    known = [v for v in list(values) + list(targets or []) if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    n = max(len(values), 1)

    def xy(i, v):
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * (v - lo) / (hi - lo)
        return x, y

    out = _open(cid, width, height, title, summary)
    if targets:
        pts = [xy(i, t) for i, t in enumerate(targets) if t is not None]
        if pts:
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.5" stroke-dasharray="4 3" '
                       'points="%s"/>' % (paleta.TEXT_MUTED, " ".join(
                           "%s,%s" % (_n(x), _n(y)) for x, y in pts)))
    pts = [(xy(i, v), i, v) for i, v in enumerate(values) if v is not None]
    if pts:
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (
            paleta.CATEGORICAL[0], " ".join("%s,%s" % (_n(x), _n(y)) for (x, y), _, _ in pts)))
    for k, ((x, y), i, v) in enumerate(pts):
        tip = "%s: %s" % (labels[i], value_format(v))
        if targets and targets[i] is not None:
            tip += " (%s %s)" % (target_label, value_format(targets[i]))
        last = k == len(pts) - 1
        out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"><title>%s</title></circle>' % (
            _n(x), _n(y), "3.5" if last else "2.5", paleta.CATEGORICAL[0], _e(tip)))
    out.append("</svg>")
    return Markup("".join(out))
