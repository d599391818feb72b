"""DCAT-AP 3 (ckanext-dcat's euro_dcat_ap_3) for `bono` publications.

The bono fields are mapped onto the keys ckanext-dcat's DCAT-AP profile
already serializes (frequency, temporal_start/end, contact_*, dcat_type,
theme, keywords; per file hash, hash_algorithm, size, mimetype, conforms_to),
so the stock code writes the triples; departments are added here as
dct:spatial, each the URI of its citizen page. Parsing reverses it.

Only files whose last validation is ``valido`` become distributions; a
private, draft or deleted publication gives no triples at all.
"""
from __future__ import annotations

import json

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCT
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile

from ckanext.bonos import tables, vocab
from ckanext.bonos.publications import choices
from ckanext.bonos.uploads import checksums

from . import terms

BONO = "bono"
LANGUAGE_ES = "http://publications.europa.eu/resource/authority/language/SPA"
THEME = terms.EU_THEME + "SOCI"     # Population and society


def site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def department_uri(code: str) -> str:
    return "%s/bonos/departamento/%s" % (site_url(), code)


def table_schema_url(tabla: str) -> str:
    return "%s/bonos/esquemas/%s.json" % (site_url(), tabla)


def _label(field: str, code) -> str:
    value = choices.labels_for(field).get(code, code)
    return (value.get("es") or value.get("en") or code) if isinstance(value, dict) else str(value)


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def listed(dataset_dict: dict) -> bool:
    return (not dataset_dict.get("private") and dataset_dict.get("state", "active") == "active")


def _distribution(res: dict, sha: str, licence: str | None) -> dict:
    out = dict(res)
    if licence and not res.get("license"):
        out["license"] = licence          # DCAT-AP: the licence is the distribution's
    out.update(hash=sha, hash_algorithm=terms.SPDX_SHA256, download_url=res.get("url"),
               format=res.get("format") or "CSV",
               mimetype=res.get("mimetype") or "text/csv")
    if res.get("tabla") in tables.TABLES:
        out["conforms_to"] = [table_schema_url(res["tabla"])]
    return out


def to_dcat_keys(pkg: dict) -> dict:
    """The publication with its fields under the keys ckanext-dcat writes."""
    out = dict(pkg)
    valid = checksums.valid_with_sha256(pkg.get("resources") or [])
    out["resources"] = [_distribution(r, valid[r["id"]], pkg.get("license_url"))
                        for r in pkg.get("resources") or [] if r["id"] in valid]
    out["extras"] = []       # the stock profile would write each one as a triple
    keywords = [t["name"] for t in pkg.get("tags") or []]
    for field in ("programa", "tipo_publicacion"):
        if pkg.get(field):
            keywords.append(_label(field, pkg[field]))
    out["tags"] = [{"name": k} for k in dict.fromkeys(keywords)]
    out["frequency"] = terms.eu_frequency(pkg.get("frecuencia"))
    out["temporal_start"] = pkg.get("periodo_inicio")
    out["temporal_end"] = pkg.get("periodo_fin")
    out["dcat_type"] = pkg.get("tipo_publicacion")
    out["theme"] = [THEME]
    out["language"] = [LANGUAGE_ES]
    out["issued"] = pkg.get("metadata_created")
    out["modified"] = pkg.get("metadata_modified")
    org = pkg.get("organization") or {}
    out["contact_name"] = pkg.get("maintainer") or org.get("title")
    out["contact_email"] = pkg.get("maintainer_email")
    for key in [k for k, v in out.items() if v in (None, "", [])]:
        out.pop(key)
    return out


class BonosDCATAP3Profile(EuropeanDCATAP3Profile):
    def __init__(self, graph, dataset_type="dataset", compatibility_mode=False):
        try:
            super().__init__(graph, dataset_type=dataset_type,
                             compatibility_mode=compatibility_mode)
        except tk.ObjectNotFound:
            # ckanext-dcat's serializer always asks scheming for the `dataset`
            # schema; a portal with only `bono` has none. The mapping below
            # uses the keys the profile reads without a schema.
            self.g = graph
            self.compatibility_mode = compatibility_mode
            self._default_lang = tk.config.get("ckan.locale_default", "en")
            self._default_locale_lang = None
            self._dataset_schema = None
            self._form_languages = None

    # -- serializing ------------------------------------------------------------
    def graph_from_dataset(self, dataset_dict, dataset_ref):
        if dataset_dict.get("type") != BONO:
            return super().graph_from_dataset(dataset_dict, dataset_ref)
        if not listed(dataset_dict):
            return None
        super().graph_from_dataset(to_dcat_keys(dataset_dict), dataset_ref)
        for code in _as_list(dataset_dict.get("departamentos")):
            place = URIRef(department_uri(code))
            self.g.add((dataset_ref, DCT.spatial, place))
            self.g.add((place, RDF.type, DCT.Location))
            self.g.add((place, DCT.identifier, Literal(code)))
            name = vocab.nombre_departamento(code)
            if name:
                self.g.add((place, SKOS.prefLabel, Literal(name, lang="es")))

    # -- parsing ----------------------------------------------------------------
    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        get = lambda key: _value(dataset_dict, key)     # noqa: E731
        fields = {
            "frecuencia": terms.frecuencia_of_eu(get("frequency")),
            "periodo_inicio": (get("temporal_start") or "")[:10] or None,
            "periodo_fin": (get("temporal_end") or "")[:10] or None,
            "tipo_publicacion": get("dcat_type")
            if get("dcat_type") in choices.labels_for("tipo_publicacion") else None,
        }
        programmes = {_label("programa", c): c for c in choices.labels_for("programa")}
        keywords = [t["name"] for t in dataset_dict.get("tags") or []]
        fields["programa"] = next((programmes[k] for k in keywords if k in programmes), None)
        codes = sorted(str(self.g.value(place, DCT.identifier))
                       for place in self.g.objects(dataset_ref, DCT.spatial)
                       if (place, RDF.type, DCT.Location) in self.g
                       and str(self.g.value(place, DCT.identifier)) in vocab.departamentos())
        fields["departamentos"] = codes or None
        labels = {_label(f, dataset_dict.get(f) or fields.get(f))
                  for f in ("programa", "tipo_publicacion") if fields.get(f)}
        dataset_dict["tags"] = [t for t in dataset_dict.get("tags") or []
                                if t["name"] not in labels]
        dataset_dict.update({k: v for k, v in fields.items() if v})
        return dataset_dict


def _value(dataset_dict: dict, key: str):
    if dataset_dict.get(key) not in (None, ""):
        return dataset_dict[key]
    for extra in dataset_dict.get("extras") or []:
        if extra["key"] == key:
            return extra["value"]
    return None
