"""How a `bono` publication is indexed and faceted.

CKAN's stock Solr schema indexes an unknown top-level field as one string, so
a list field (componentes, departamentos) would be refused by Solr, and by the
embedded PostgreSQL backend, which is as strict. Lists are indexed instead in
``vocab_<field>``, which that schema declares multi-valued: the same documents
work on both engines with no schema change. ``vocab_anio`` holds every year the
publication's period touches, for the year facet.

Codes are not what people type: the names of the departments a publication
covers, of their municipalities (and the common names of a few, such as
Tegucigalpa, vocab/alias.csv), of its programme, type and components, in
Spanish and English, go into ``text``, Solr's catch-all field (CKAN's schema
copies ``text`` into itself; the embedded backend indexes it with the lowest
weight). A publication that names the place in its title, weighted higher in
both engines' ``qf``, ranks first.
"""
from __future__ import annotations

import json
from collections import OrderedDict

import ckan.plugins.toolkit as tk

from ckanext.bonos.translation import N_, page_lang

from ckanext.bonos import vocab

from . import choices

DATASET_TYPE = "bono"
LIST_FIELDS = ("componentes", "departamentos")



# facet field -> (title, field whose codes it shows)
FACETS = OrderedDict([
    ("programa", (N_("Programme"), "programa")),
    ("tipo_publicacion", (N_("Publication type"), "tipo_publicacion")),
    ("vocab_departamentos", (N_("Departments"), "departamentos")),
    ("vocab_anio", (N_("Year"), None)),
    ("vocab_componentes", (N_("Components"), "componentes")),
    ("organization", (N_("Organizations"), None)),
    ("res_format", (N_("Formats"), None)),
])


def text_in_lang(label) -> str:
    if isinstance(label, dict):
        return label.get(page_lang()) or label.get("es") or next(iter(label.values()))
    return str(label)


def years_between(start, end) -> list[str]:
    try:
        first, last = int(str(start)[:4]), int(str(end)[:4])
    except (TypeError, ValueError):
        return []
    if last < first or last - first > 100:
        return []
    return [str(y) for y in range(first, last + 1)]


def _labels(field: str, codes) -> list[str]:
    labels = choices.labels_for(field)
    out = []
    for code in codes:
        label = labels.get(code)
        if isinstance(label, dict):
            out.extend(dict.fromkeys(label.values()))
        elif label:
            out.append(label)
    return out


def place_and_name_text(data: dict) -> list[str]:
    """What a person would search a publication by, besides its own text."""
    departments = [d for d in (data.get("departamentos") or []) if isinstance(d, str)]
    texts = _labels("programa", [data.get("programa")])
    texts += _labels("tipo_publicacion", [data.get("tipo_publicacion")])
    texts += _labels("componentes", data.get("componentes") or [])
    for code in departments:
        name = vocab.nombre_departamento(code)
        if name is None:
            continue
        texts.append(name)
        for municipio in vocab.municipios_de(code):
            texts.append(municipio["nombre"])
            texts.extend(vocab.alias_de(municipio["codigo"]))
    return texts


def before_dataset_index(pkg_dict: dict) -> dict:
    if pkg_dict.get("dataset_type") != DATASET_TYPE:
        return pkg_dict
    # The validated dict has the lists as lists, whichever way CKAN read the
    # dataset (a rebuild reads it without validation, with lists as JSON text).
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    for field in LIST_FIELDS:
        pkg_dict.pop(field, None)
        values = data.get(field) or []
        pkg_dict["vocab_" + field] = [str(v) for v in values] if isinstance(values, list) else []
    pkg_dict["vocab_anio"] = years_between(data.get("periodo_inicio"), data.get("periodo_fin"))
    text = pkg_dict.get("text") or []
    text = [text] if isinstance(text, str) else list(text)
    pkg_dict["text"] = text + place_and_name_text(data)
    return pkg_dict


def dataset_facets(facets_dict: OrderedDict, package_type: str) -> OrderedDict:
    if package_type != DATASET_TYPE:
        return facets_dict
    return OrderedDict((field, tk._(title)) for field, (title, _) in FACETS.items())


def _code_labels(field: str) -> dict:
    """code -> label of a facet whose values are codes ({} for the others)."""
    source = FACETS.get(field, (None, None))[1]
    return choices.labels_for(source) if source else {}


def label_facet_items(search_results: dict) -> dict:
    """Show names instead of codes in the facets (e.g. 08 -> Francisco Morazán)."""
    for field, facet in search_results.get("search_facets", {}).items():
        labels = _code_labels(field)
        for item in facet.get("items", []) if labels else []:
            if item["name"] in labels:
                item["display_name"] = text_in_lang(labels[item["name"]])
    return search_results


def filter_labels(fields_grouped: dict) -> dict:
    """``(field, code) -> name`` for the filters a search applies: CKAN labels
    a filter's pill from the facet items, and a search that finds nothing has
    none, so the pill would show the bare code."""
    out = {}
    for field, values in (fields_grouped or {}).items():
        labels = _code_labels(field)
        for value in values:
            if value in labels:
                out[(field, value)] = text_in_lang(labels[value])
    return out
