"""Reusable server-side charts for ckanext-bonos pages.

- ``formato``: locale-aware numbers, lempiras, percentages (Babel symbols).
- ``paleta``: colour-blind-safe colours with WCAG 2.1 AA contrast checks.
- ``svg``: SVG builders (bars, timeline, department map, sparkline).
- ``geo``: the 18 department shapes (honduras.json, Natural Earth).

The views call the builders below, which format for the request's locale
(``h.lang()``), and show a chart with the snippet
``templates/bonos/snippets/chart_figure.html`` (caption, text summary, data table).
"""
from __future__ import annotations

from typing import Callable, Optional

from ckanext.bonos.translation import page_lang

from . import formato, paleta, svg  # noqa: F401  (public submodules)

KINDS = ("numero", "lempiras", "porcentaje", "decimal")


def formatter(kind: str, locale: Optional[str] = None, short: bool = False) -> Callable:
    """A one-argument formatter for ``kind`` (one of ``KINDS``): full form, or
    the short axis/tile form with ``short=True``. ``porcentaje`` takes a
    ratio (0.5 is 50 %); ``decimal`` keeps one decimal."""
    loc = locale or page_lang(formato.DEFAULT_LOCALE)
    if kind == "lempiras":
        return (lambda v: formato.lempiras_compacto(v, loc)) if short else \
            (lambda v: formato.lempiras(v, loc))
    if kind == "porcentaje":
        return lambda v: formato.porcentaje(v, loc, 0 if short else 1)
    if kind == "decimal":
        return (lambda v: formato.compacto(v, loc)) if short else \
            (lambda v: formato.numero(v, loc, 1))
    return (lambda v: formato.compacto(v, loc)) if short else (lambda v: formato.numero(v, loc))


def _suppressed() -> str:
    import ckan.plugins.toolkit as tk
    return tk._("suppressed")


def bar_chart(items, title: str, summary: str, kind: str = "numero", **kw):
    """See ``svg.bar_chart``."""
    kw.setdefault("suppressed_label", _suppressed())
    return svg.bar_chart(items, title=title, summary=summary,
                         value_format=formatter(kind), **kw)


def timeline_chart(periods, bar_series, title: str, summary: str, kind: str = "lempiras",
                   line_series=None, line_kind: str = "numero", **kw):
    """See ``svg.timeline_chart``."""
    return svg.timeline_chart(
        periods, bar_series, title=title, summary=summary,
        bar_format=formatter(kind), axis_format=formatter(kind, short=True),
        line_series=line_series, line_format=formatter(line_kind),
        line_axis_format=formatter(line_kind, short=True), **kw)


def department_map(values, title: str, summary: str, kind: str = "lempiras", **kw):
    """See ``svg.department_map``
    (department names come from the vocabulary)."""
    import ckan.plugins.toolkit as tk
    from ckanext.bonos import vocab
    names = {c: d["nombre"] for c, d in vocab.departamentos().items()}
    kw.setdefault("suppressed_label", _suppressed())
    kw.setdefault("no_data_label", tk._("no data"))
    return svg.department_map(values, names, title=title, summary=summary,
                              value_format=formatter(kind),
                              legend_format=formatter(kind, short=True), **kw)
