"""Fit a pushed dataset to the target's own `dataset` schema.

A national portal with ckanext-scheming says what it requires
(scheming_dataset_schema_show). For the DCAT-style fields such portals ask
for (datos.gob.hn: modified, frequency, contactPoint, ...) the value comes
from the publication; the target's configuration may map anything else:

    ckanext.bonos.push.target.<name>.fields = fuente=unidad_responsable idioma="es"

(``campo=clave`` takes the publication's field ``clave``; ``campo="texto"`` a
constant). A required field left empty is reported, per dataset and field,
before anything is written (and ``--dry-run`` shows it).
"""
from __future__ import annotations

import shlex

from ckanext.bonos import vocab
from ckanext.bonos.dcat import terms

from .client import Refused

FIELDS_KEY = "fields"
# What the push itself sets; never asked of the publication.
OWN = {"name", "owner_org", "private", "type", "id"}


class FieldMapError(ValueError):
    pass


def parse_field_map(text: str | None) -> dict:
    """``a=b c="x y"`` -> {"a": ("field", "b"), "c": ("const", "x y")}."""
    out = {}
    for item in shlex.split(text or "", posix=False):
        target, sep, expr = item.partition("=")
        if not sep or not target or not expr:
            raise FieldMapError(
                "%r: se espera campo=clave o campo=\"texto\". / expected field=key or "
                "field=\"text\"." % item)
        if expr[0] == expr[-1] and expr[0] in "\"'" and len(expr) >= 2:
            out[target] = ("const", expr[1:-1])
        else:
            out[target] = ("field", expr)
    return out


def read_schema(client) -> dict | None:
    """The target's `dataset` schema, or None if it does not publish one."""
    try:
        return client.read("scheming_dataset_schema_show", type="dataset")
    except Refused:
        return None


def _date(value) -> str | None:
    return str(value)[:10] if value else None


def _departments(pkg: dict) -> list[str]:
    from .mapping import _as_list
    return [vocab.nombre_departamento(c) or c for c in _as_list(pkg.get("departamentos"))]


def _known(key: str, pkg: dict, mapped: dict, field: dict):
    """The value of a DCAT-style field, from the publication (None: unknown)."""
    k = key.lower().replace("_", "")
    if k == "modified":
        return _date(pkg.get("fecha_corte") or pkg.get("metadata_modified"))
    if k == "issued":
        return _date(pkg.get("metadata_created"))
    if k in ("frequency", "accrualperiodicity"):
        value = terms.iso_frequency(pkg.get("frecuencia"))
        allowed = [c.get("value") for c in field.get("choices") or []]
        return value if value and (not allowed or value in allowed) else None
    if k in ("contactpoint", "contactemail"):
        return pkg.get("maintainer_email") or None
    if k == "contactname":
        return pkg.get("maintainer") or None
    if k == "temporal":
        start, end = pkg.get("periodo_inicio"), pkg.get("periodo_fin")
        return "%s/%s" % (start, end) if start and end else None
    if k == "temporalstart":
        return pkg.get("periodo_inicio")
    if k == "temporalend":
        return pkg.get("periodo_fin")
    if k in ("spatial", "spatialtext"):
        names = _departments(pkg)
        return ", ".join(names) if names else None
    if k == "tagstring":
        return ",".join(t["name"] for t in mapped.get("tags") or []) or None
    return None


def _empty(value) -> bool:
    return value in (None, "", [], {})


def _required(field: dict) -> bool:
    validators = field.get("validators") or ""
    return bool(field.get("required")) or "not_empty" in validators.split()


class Fitter:
    """Fills each mapped dataset; remembers what it could not fill."""

    def __init__(self, schema: dict | None, field_map: dict):
        self.fields = [f for f in (schema or {}).get("dataset_fields") or []
                       if f.get("field_name") not in OWN]
        self.field_map = field_map
        self.missing: dict[str, list[str]] = {}

    def __call__(self, mapped: dict, pkg: dict) -> None:
        missing = []
        for field in self.fields:
            key = field["field_name"]
            value = None
            if key in self.field_map:
                kind, expr = self.field_map[key]
                value = expr if kind == "const" else pkg.get(expr)
            elif _empty(mapped.get(key)):
                value = _known(key, pkg, mapped, field)
            if not _empty(value):
                mapped[key] = value
            if key == "tag_string" and _empty(mapped.get(key)) and mapped.get("tags"):
                continue
            if _required(field) and _empty(mapped.get(key)):
                missing.append(key)
        if missing:
            self.missing[mapped["name"]] = missing


def no_fit(mapped: dict, pkg: dict) -> None:
    return None
