"""Choice lists for the `bono` schema, and the labels shown instead of codes."""
from __future__ import annotations

from ckan.common import config

from ckanext.bonos import vocab

PROGRAMAS_OPTION = "ckanext.bonos.programas"


def _label(es: str, en: str) -> dict:
    return {"es": es, "en": en}


def programa_choices(field=None) -> list[dict]:
    """Programmes offered in the form, from ``ckanext.bonos.programas``.

    A code without a known label is shown as itself, so a portal can add a
    programme by configuration alone.
    """
    known = {code: _label(es, en) for code, es, en in vocab.PROGRAMAS_PREDETERMINADOS}
    codes = config.get(PROGRAMAS_OPTION) or list(known)
    return [{"value": c, "label": known.get(c, _label(c, c))} for c in codes]


def componente_choices(field=None) -> list[dict]:
    return [{"value": c, "label": _label(es, en)} for c, es, en in vocab.COMPONENTES]


def departamento_choices(field=None) -> list[dict]:
    return [{"value": code, "label": d["nombre"]}
            for code, d in vocab.departamentos().items()]


TIPOS_PUBLICACION = {
    "resumen_ejecucion": _label("Resumen de ejecución", "Execution summary"),
    "historial_pagos": _label("Historial de pagos", "Payment history"),
    "indicadores_proceso": _label("Indicadores de proceso", "Process indicators"),
    "indicadores_resultado": _label("Indicadores de resultado", "Result indicators"),
}


def labels_for(field: str) -> dict:
    """code -> label (str or {es, en}) for the fields people see as codes."""
    if field == "programa":
        return {c["value"]: c["label"] for c in programa_choices()}
    if field == "tipo_publicacion":
        return TIPOS_PUBLICACION
    if field == "componentes":
        return {c["value"]: c["label"] for c in componente_choices()}
    if field == "departamentos":
        return {c["value"]: c["label"] for c in departamento_choices()}
    return {}
