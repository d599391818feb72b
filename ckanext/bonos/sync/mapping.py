"""From a source publication to the dataset the target receives.

Two modes:

- ``bonos``: the target runs ckanext-bonos, so the dataset keeps type
  ``bono`` and every field of the schema as it is.
- ``ckan``: a plain CKAN. The dataset is of type ``dataset``; the bono
  fields travel as extras (codes, lists joined by commas), programme,
  components and departments also as tags (their Spanish names), and the
  description ends with a block that names them (labels, not codes).

Both carry provenance extras: ``bonos_source_url``, ``bonos_source_id``,
``bonos_pushed_at`` (time of the write) and ``bonos_sync_hash``, the SHA-256
of the mapped dataset (without the push time) including each resource's
content hash. Each target resource carries ``bonos_source_id`` (the source
resource id: a retry finds it instead of creating a twin) and
``bonos_sha256`` (of the file's bytes).

Names on the target are deterministic: prefix + source name, cut to CKAN's
100 characters with a short hash of the full name when too long.
"""
from __future__ import annotations

import hashlib
import json

from ckanext.bonos import vocab
from ckanext.bonos.publications import choices

from .source import SourcePublication, dataset_url
from .targets import Target

SYNC_HASH = "bonos_sync_hash"
SOURCE_ID = "bonos_source_id"
SOURCE_URL = "bonos_source_url"
PUSHED_AT = "bonos_pushed_at"
RESOURCE_SHA = "bonos_sha256"
PROVENANCE = (SOURCE_URL, SOURCE_ID, PUSHED_AT, SYNC_HASH)

COMMON_FIELDS = ("title", "notes", "license_id", "maintainer", "maintainer_email")
BONO_FIELDS = ("programa", "tipo_publicacion", "componentes", "periodo_inicio",
               "periodo_fin", "frecuencia", "nivel_agregacion", "departamentos",
               "fecha_corte", "unidad_responsable", "metodologia", "umbral_supresion")
RESOURCE_FIELDS = ("name", "description", "format", "tabla")
FREQUENCY = {"mensual": "Mensual", "trimestral": "Trimestral", "semestral": "Semestral",
             "anual": "Anual"}
LEVEL = {"nacional": "Nacional", "departamental": "Departamental", "municipal": "Municipal"}
MAX_NAME = 100


def target_name(prefix: str, source_name: str) -> str:
    name = prefix + source_name
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[:MAX_NAME - 9] + "-" + digest


def _label(value) -> str:
    if isinstance(value, dict):
        return value.get("es") or value.get("en") or ""
    return str(value)


def _labels(field: str, codes) -> list[str]:
    known = choices.labels_for(field)
    return [_label(known.get(c, c)) for c in codes]


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.startswith("[") else value.split(",")
        except ValueError:
            value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


def _tag(text: str) -> str:
    # CKAN tags: letters, digits, spaces, - _ . ; at most 100 characters.
    cleaned = "".join(ch if ch.isalnum() or ch in " -_." else " " for ch in text)
    return " ".join(cleaned.split())[:100]


def _plain_mode(pkg: dict, mapped: dict) -> None:
    extras = []
    for key in BONO_FIELDS:
        value = pkg.get(key)
        if key in ("componentes", "departamentos"):
            value = ",".join(_as_list(value))
        if value not in (None, ""):
            extras.append({"key": key, "value": str(value)})
    mapped["extras"] = extras
    tags = set(mapped["_tags"])
    tags.update(_labels("programa", [pkg.get("programa")]) if pkg.get("programa") else [])
    tags.update(_labels("componentes", _as_list(pkg.get("componentes"))))
    tags.update(_labels("departamentos", _as_list(pkg.get("departamentos"))))
    mapped["_tags"] = sorted(t for t in tags if t)
    lines = []

    def line(label, value):
        if value:
            lines.append("- **%s:** %s" % (label, value))
    line("Programa", ", ".join(_labels("programa", [pkg["programa"]]))
         if pkg.get("programa") else "")
    line("Tipo de publicación", ", ".join(_labels("tipo_publicacion",
                                                  [pkg.get("tipo_publicacion")]))
         if pkg.get("tipo_publicacion") else "")
    line("Componentes", ", ".join(_labels("componentes", _as_list(pkg.get("componentes")))))
    line("Periodo", " a ".join(v for v in (pkg.get("periodo_inicio"), pkg.get("periodo_fin"))
                               if v))
    line("Frecuencia", FREQUENCY.get(pkg.get("frecuencia") or "", pkg.get("frecuencia")))
    line("Nivel de agregación", LEVEL.get(pkg.get("nivel_agregacion") or "",
                                          pkg.get("nivel_agregacion")))
    line("Departamentos", ", ".join(vocab.nombre_departamento(c) or c
                                    for c in _as_list(pkg.get("departamentos"))))
    line("Fecha de corte", pkg.get("fecha_corte"))
    line("Unidad responsable", pkg.get("unidad_responsable"))
    line("Umbral de supresión", pkg.get("umbral_supresion"))
    if lines:
        notes = (mapped.get("notes") or "").rstrip()
        mapped["notes"] = (notes + "\n\n" if notes else "") + "\n".join(lines)
    if pkg.get("metodologia"):
        mapped["notes"] += "\n\n**Metodología**\n\n" + pkg["metodologia"]


def _resource(res, target: Target) -> dict:
    data = {k: res.data.get(k) or "" for k in RESOURCE_FIELDS}
    data["format"] = data["format"] or "CSV"
    data[SOURCE_ID] = res.id
    data[RESOURCE_SHA] = res.sha256
    data["url"] = res.data["url"] if target.resources == "link" else res.filename
    return data


def map_publication(pub: SourcePublication, target: Target, fit=None) -> dict:
    """The dataset as the target should hold it; ``extras`` include the
    provenance and the sync hash, but not the push time (added when written).
    ``fit`` (schema_fit.Fitter) fills the fields the target's schema asks for."""
    pkg = pub.data
    mapped = {k: pkg.get(k) or "" for k in COMMON_FIELDS}
    mapped["name"] = target_name(target.prefix, pub.name)
    mapped["owner_org"] = target.organization
    mapped["private"] = False
    mapped["_tags"] = sorted(t["name"] for t in pkg.get("tags") or [])
    if target.mode == "bonos":
        mapped["type"] = "bono"
        for key in BONO_FIELDS:
            if pkg.get(key) not in (None, ""):
                mapped[key] = pkg[key]
        mapped["extras"] = []
    else:
        mapped["type"] = "dataset"
        _plain_mode(pkg, mapped)
    mapped["tags"] = [{"name": _tag(t)} for t in mapped.pop("_tags") if _tag(t)]
    if fit is not None:
        fit(mapped, pkg)
    mapped["resources"] = [_resource(r, target) for r in pub.resources]
    mapped["extras"] += [{"key": SOURCE_URL, "value": dataset_url(pub)},
                         {"key": SOURCE_ID, "value": pub.id}]
    mapped["extras"].append({"key": SYNC_HASH, "value": sync_hash(mapped)})
    return mapped


def sync_hash(mapped: dict) -> str:
    body = dict(mapped)
    body["extras"] = [e for e in mapped.get("extras", [])
                      if e["key"] not in (SYNC_HASH, PUSHED_AT)]
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def extra(mapped: dict, key: str):
    for e in mapped.get("extras") or []:
        if e["key"] == key:
            return e["value"]
    return None


def with_push_time(mapped: dict, when: str, hash_value=None) -> dict:
    """A copy to write: push time added; the sync hash replaced if given
    (an empty one marks a dataset whose resources are still being written)."""
    out = dict(mapped)
    extras = [e for e in mapped["extras"] if e["key"] != PUSHED_AT]
    if hash_value is not None:
        extras = [dict(e, value=hash_value) if e["key"] == SYNC_HASH else e for e in extras]
    out["extras"] = extras + [{"key": PUSHED_AT, "value": when}]
    return out
