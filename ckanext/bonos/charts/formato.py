"""Locale-aware numbers for charts and tables: counts, lempiras, percentages.

Separators come from Babel (CLDR) for the page's locale: Spanish pages read
``1.234.567,89``, English pages ``1,234,567.89``. Unlike CLDR's Spanish
default, four-digit numbers are grouped too (``L 1.234``), as the project's
style asks. ``None`` (a suppressed or missing cell) is never formatted as a
number: callers decide what to say instead.
"""
from __future__ import annotations

import functools
from decimal import Decimal, ROUND_HALF_UP
from typing import Optional, Union

from babel import numbers as babel_numbers

Number = Union[int, float, Decimal]
DEFAULT_LOCALE = "es"
#: Honduran lempira sign, written before the amount with a no-break space.
LEMPIRA = "L"
NBSP = "\u00a0"


def _locale(locale: Optional[str]) -> str:
    return (locale or DEFAULT_LOCALE).replace("-", "_")


@functools.lru_cache(maxsize=64)  # Babel's locale lookup is slow; tables format thousands
def _symbols(locale: Optional[str]) -> tuple[str, str]:
    loc = _locale(locale)
    try:
        return (babel_numbers.get_group_symbol(loc),
                babel_numbers.get_decimal_symbol(loc))
    except Exception:  # an unknown locale falls back to the portal default
        return (babel_numbers.get_group_symbol(DEFAULT_LOCALE),
                babel_numbers.get_decimal_symbol(DEFAULT_LOCALE))


def numero(value: Optional[Number], locale: Optional[str] = None,
           decimales: int = 0) -> str:
    """``value`` with thousands grouped and ``decimales`` decimals, e.g.
    ``numero(1234567.891, "es", 2) == "1.234.567,89"``. ``None`` gives ""."""
    if value is None:
        return ""
    group, decimal = _symbols(locale)
    if decimales == 0 and not isinstance(value, Decimal) and float(value).is_integer() \
            and abs(value) < 2 ** 53:
        # whole numbers (most counts and amounts): no rounding to do, so skip
        # Decimal, which a 298-row table would otherwise pay 1,500 times
        return format(int(value), ",d").replace(",", group)
    quantum = Decimal(1).scaleb(-decimales)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = format(rounded, ",.%df" % decimales)
    if text in ("-0", "-0." + "0" * decimales):
        text = text[1:]
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def lempiras(value: Optional[Number], locale: Optional[str] = None,
             decimales: int = 0) -> str:
    """An amount in lempiras: ``lempiras(1234, "es") == "L 1.234"`` (no-break
    space after the sign). ``None`` gives ""."""
    if value is None:
        return ""
    text = numero(value, locale, decimales)
    if text.startswith("-"):
        return "-" + LEMPIRA + NBSP + text[1:]
    return LEMPIRA + NBSP + text


def porcentaje(ratio: Optional[Number], locale: Optional[str] = None,
               decimales: int = 1) -> str:
    """A ratio as a percentage: ``porcentaje(0.873, "es") == "87,3 %"`` in
    Spanish, ``"87.3%"`` in English (CLDR's placement). ``None`` gives ""."""
    if ratio is None:
        return ""
    body = numero(Decimal(str(ratio)) * 100, locale, decimales)
    if _locale(locale).split("_")[0] == "es":
        return body + NBSP + "%"
    return body + "%"


def compacto(value: Optional[Number], locale: Optional[str] = None) -> str:
    """Short form for axis ticks: ``1,2 M`` (Spanish), ``1.2M`` (English)."""
    if value is None:
        return ""
    if abs(value) < 1000:
        return numero(value, locale, 0 if float(value).is_integer() else 1)
    try:
        return babel_numbers.format_compact_decimal(
            value, locale=_locale(locale), fraction_digits=1)
    except Exception:
        return numero(value, locale)


def lempiras_compacto(value: Optional[Number], locale: Optional[str] = None) -> str:
    """``L 1,2 M``: an amount for an axis tick."""
    if value is None:
        return ""
    return LEMPIRA + NBSP + compacto(value, locale)
