"""Values as Solr sees them: dates (with NOW date math), numbers, booleans.

Dates are kept as fixed-width UTC strings (``2024-03-01T12:00:00.000000Z``), so
comparing the strings compares the instants, in SQL as in Python.
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

_DATE_RE = re.compile(
    r"(?P<y>-?\d{4,})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?")
_MATH_RE = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days",
    "HOUR": "hours", "MINUTE": "minutes", "SECOND": "seconds",
    "MILLI": "microseconds", "MILLISECOND": "microseconds",
}


class InvalidValue(ValueError):
    pass


def _unit(name: str) -> str:
    base = name[:-1] if name.endswith("S") and name[:-1] in _UNITS else name
    if base not in _UNITS:
        raise InvalidValue("unknown date math unit %r" % name)
    return base


def _round(value: dt.datetime, unit: str) -> dt.datetime:
    fields = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"]
    if unit == "DATE":
        unit = "DAY"
    if unit in ("MILLI", "MILLISECOND"):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    keep = fields.index(unit)
    repl = {}
    if keep < 1:
        repl["month"] = 1
    if keep < 2:
        repl["day"] = 1
    if keep < 3:
        repl["hour"] = 0
    if keep < 4:
        repl["minute"] = 0
    if keep < 5:
        repl["second"] = 0
    repl["microsecond"] = 0
    return value.replace(**repl)


def format_date(value: dt.datetime) -> str:
    """Fixed width, for comparing; to milliseconds, what Solr's dates hold."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03d000Z" % (
        value.year, value.month, value.day, value.hour, value.minute,
        value.second, value.microsecond // 1000)


def solr_date(stored: str) -> str:
    """A stored date as Solr writes it back: ``2024-03-01T12:00:00Z``, the
    milliseconds only when there are some (``...T12:00:00.250Z``)."""
    head, frac = stored[:19], stored[20:23]
    return head + ("." + frac if frac != "000" else "") + "Z"


def parse_date(text, now: dt.datetime | None = None) -> str:
    """A Solr date (ISO 8601, ``NOW``, date math) as a fixed-width UTC string."""
    if isinstance(text, dt.datetime):
        return format_date(text)
    if isinstance(text, dt.date):
        return format_date(dt.datetime(text.year, text.month, text.day))
    text = str(text).strip()
    if text.startswith("NOW"):
        value = now or dt.datetime.utcnow()
        rest = text[3:]
    else:
        m = _DATE_RE.match(text)
        if not m:
            raise InvalidValue("Invalid Date String: %r" % text)
        g = m.groupdict()
        try:
            frac = (g["f"] or "0")[:6].ljust(6, "0")
            value = dt.datetime(
                int(g["y"]), int(g["mo"]), int(g["d"]), int(g["h"] or 0),
                int(g["mi"] or 0), int(g["s"] or 0), int(frac))
        except ValueError:
            raise InvalidValue("Invalid Date String: %r" % text)
        if g["tz"] and g["tz"] != "Z":
            sign = 1 if g["tz"][0] == "+" else -1
            hh, mm = int(g["tz"][1:3]), int(g["tz"][-2:])
            value -= sign * dt.timedelta(hours=hh, minutes=mm)
        rest = text[m.end():]
    pos = 0
    while pos < len(rest):
        m = _MATH_RE.match(rest, pos)
        if not m:
            raise InvalidValue("Invalid Date Math String: %r" % text)
        if m.group(4):
            value = _round(value, _unit(m.group(4)))
        else:
            n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
            unit = _unit(m.group(3))
            if unit in ("MILLI", "MILLISECOND"):
                n *= 1000
            try:
                value = value + relativedelta(**{_UNITS[unit]: n})
            except (OverflowError, ValueError):
                raise InvalidValue("date out of range: %r" % text)
        pos = m.end()
    if not 1 <= value.year <= 9999:
        raise InvalidValue("date out of range: %r" % text)
    return format_date(value)


def parse_number(text, integer: bool):
    if isinstance(text, bool):
        raise InvalidValue("Invalid Number: %r" % text)
    try:
        if integer:
            if isinstance(text, float) and not text.is_integer():
                raise ValueError
            value = int(text)
            if not -2**63 <= value < 2**63:
                raise ValueError
            return value
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError
        return value
    except (TypeError, ValueError, OverflowError):
        raise InvalidValue("Invalid Number: %r" % (text,))


def parse_bool(text) -> str:
    if isinstance(text, bool):
        return "true" if text else "false"
    low = str(text).strip().lower()
    if low in ("true", "t", "1", "yes", "on"):
        return "true"
    if low in ("false", "f", "0", "no", "off"):
        return "false"
    raise InvalidValue("Invalid boolean value: %r" % text)


def as_string(value) -> str:
    """How pysolr sends a Python value to a string or text field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, dt.date)):
        return parse_date(value)
    return str(value)
