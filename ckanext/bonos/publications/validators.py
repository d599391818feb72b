"""Validators for the `bono` schema that scheming's presets do not cover.

Messages are field-specific and given in Spanish and English, because the
API has no language of its own and its users read either.
"""
from __future__ import annotations

import datetime as dt

from ckan.plugins.toolkit import Invalid, missing

MIN_UMBRAL = 3


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def periodo_fin_no_anterior(key, data, errors, context):
    """periodo_fin must not come before periodo_inicio."""
    inicio = _as_date(data.get(key[:-1] + ("periodo_inicio",)))
    fin = _as_date(data.get(key))
    if inicio and fin and fin < inicio:
        errors[key].append(
            "El fin del periodo (%s) es anterior a su inicio (%s). / "
            "The period ends (%s) before it starts (%s)." % (fin, inicio, fin, inicio))


def umbral_minimo(value):
    if value is missing or value is None or value == "":
        return value
    if int(value) < MIN_UMBRAL:
        raise Invalid(
            "El umbral de supresión debe ser al menos %d. / "
            "The suppression threshold must be at least %d." % (MIN_UMBRAL, MIN_UMBRAL))
    return value


def get_validators() -> dict:
    return {
        "bonos_periodo_fin_no_anterior": periodo_fin_no_anterior,
        "bonos_umbral_minimo": umbral_minimo,
    }
