"""package_search parameters that CKAN 2.11 uses without checking them.

CKAN calls asbool() on include_private/include_drafts/include_deleted and
joins ``fl`` after the plugins' before_dataset_search hook, without validation:
a bad value there is a 500. Checked here first, it is a field-specific
ValidationError (HTTP 409), in Spanish and English.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

BOOLEAN_PARAMS = ("include_private", "include_drafts", "include_deleted")


def check(search_params: dict) -> dict:
    errors = {}
    for name in BOOLEAN_PARAMS:
        if name in search_params:
            try:
                tk.asbool(search_params[name])
            except ValueError:
                errors[name] = ["Debe ser true o false. / Must be true or false."]
    fl = search_params.get("fl")
    if isinstance(fl, list) and not all(isinstance(item, str) for item in fl):
        errors["fl"] = ["Debe ser una lista de nombres de campo. / Must be a list of field names."]
    if errors:
        raise tk.ValidationError(errors)
    return search_params
