"""/bono/<name>.ttl|rdf|jsonld|xml (ckanext-dcat serves only /dataset/<id>.<format>)
and the Table Schema each distribution dct:conformsTo."""
from __future__ import annotations

from flask import Blueprint, jsonify

import ckan.plugins.toolkit as tk
from ckanext.dcat import utils as dcat_utils

from ckanext.bonos import tables

FORMATS = ("ttl", "rdf", "xml", "jsonld", "n3")
blueprint = Blueprint("bonos_dcat", __name__)


def read_bono(_id, _format):
    if _format not in FORMATS:
        return tk.abort(404)
    return dcat_utils.read_dataset_page(_id, _format)


def table_schema(tabla):
    try:
        return jsonify(tables.table_schema(tabla))
    except KeyError:
        return tk.abort(404)


blueprint.add_url_rule("/bono/<_id>.<_format>", view_func=read_bono)
blueprint.add_url_rule("/bonos/esquemas/<tabla>.json", view_func=table_schema)


def get_blueprints():
    return [blueprint]
