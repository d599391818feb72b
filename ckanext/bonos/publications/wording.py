"""The words CKAN's own pages use for a `bono` publication, in the page's
language.

CKAN splices a dataset type's name into English sentences
(``h.humanize_entity_type``: "Search Bonos...", "There is no description for
this Bono."), so for this type every purpose gets a sentence of our catalogue
instead. A few of CKAN's own strings are left untranslated (or "translated" as
English) by CKAN's Spanish catalogue; ours, loaded after CKAN's, translates
them (CORE_STRINGS). CKAN's resource page lists a resource's internal keys as
raw English words; those that are bookkeeping are left out and the rest named
in the page's language.
"""
from __future__ import annotations

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bonos.translation import N_

DATASET_TYPE = "bono"

# purpose -> sentence (see the docstring of CKAN's humanize_entity_type)
PURPOSES = {
    "add link": N_("Add publication"),
    "add association link": N_("Add to publication"),
    "breadcrumb": N_("Publications"),
    "content tab": N_("Publications"),
    "create label": N_("Create publication"),
    "create title": N_("Create publication"),
    "delete confirmation": N_("Are you sure you want to delete this publication?"),
    "description placeholder": N_("A little information about this publication..."),
    "edit label": N_("Edit publication"),
    "facet label": N_("Publications"),
    "form label": N_("Publication form"),
    "main nav": N_("Publications"),
    "my label": N_("My publications"),
    "view label": N_("View publication"),
    "name placeholder": N_("My publication"),
    "no any objects": N_("There are no publications on this site yet."),
    "no associated label": N_("There are no publications associated with this dataset."),
    "no description": N_("There is no description for this publication."),
    "no label": N_("No publication"),
    "page title": N_("Publications"),
    "save label": N_("Save publication"),
    "search placeholder": N_("Search publications..."),
    "you not member": N_("You are not a member of any publications."),
    "user not member": N_("This user is not a member of any publications."),
    "update label": N_("Update publication"),
}

# CKAN's strings that its Spanish catalogue leaves in English (checked on CKAN
# 2.11.6 and 2.12.0); our catalogue translates them.
CORE_STRINGS = (
    N_("close"),
    N_("API Docs"),
    N_("Creative Commons Attribution"),
    N_("Creative Commons Attribution Share-Alike"),
    N_("Creative Commons CCZero"),
    N_("Open Data Commons Open Database License (ODbL)"),
    N_("Size"),
    # accessible names that CKAN 2.12 added after its Spanish catalogue
    N_("Navigate to Home - {site_title}"),
    N_("Filter by: {title}"),
    N_("Search datasets by {name}: {label}"),   # {name} is a field id: left out
    N_("Remove applied filter: {value}"),
    N_("There is no description for this organization"),
    N_("There is no description for this organization."),
    # the type's name, as CKAN's templates title it (`_(dataset_type.title())`)
    N_("Bono"),
    N_("Bonos"),
    N_("Close modal"),
    N_("Navigate to resource: {name}"),
    N_("Navigate to resource: {name_or_id}"),
    N_("Navigate to dataset: {title}"),
    N_("Current resource: {name}"),
    N_("Resource URL: {url}"),
)

# The DataStore's column types, as its data dictionary names them.
COLUMN_TYPES = {"text": N_("text"), "date": N_("date"), "numeric": N_("number"),
                "int8": N_("whole number"), "int4": N_("whole number"),
                "float8": N_("number"), "timestamp": N_("date and time"),
                "bool": N_("yes or no")}


def column_type(name: str) -> str:
    return tk._(COLUMN_TYPES[name]) if name in COLUMN_TYPES else name


@tk.chained_helper
def datastore_dictionary(next_helper, *args, **kwargs):
    """The data dictionary as the resource page shows it: the column types
    named in the page's language ("text" is an English word)."""
    return [dict(f, type=column_type(f.get("type", ""))) for f in next_helper(*args, **kwargs)]

# A resource's keys that say nothing to a reader (ids, flags, CKAN's
# bookkeeping), and those CKAN's resource page shows elsewhere.
HIDDEN_RESOURCE_KEYS = frozenset((
    "id", "package_id", "position", "state", "url_type", "datastore_active",
    "datastore_contains_all_records_of_source", "has_views", "mimetype",
    "mimetype_inner", "cache_url", "cache_last_updated", "resource_type", "tabla",
    "created", "metadata_modified", "last_modified", "format",
))
RESOURCE_KEYS = {"size": N_("Size")}


@tk.chained_helper
def humanize_entity_type(next_helper, entity_type: str, object_type: str, purpose: str):
    if entity_type == "package" and object_type == DATASET_TYPE:
        return tk._(PURPOSES.get(purpose, N_("Publication")))
    return next_helper(entity_type, object_type, purpose)


@tk.chained_helper
def format_resource_items(next_helper, items):
    items = [(k, v) for k, v in items if k not in HIDDEN_RESOURCE_KEYS]
    named = [(tk._(RESOURCE_KEYS[k]) if k in RESOURCE_KEYS else k, v)
             for k, v in next_helper(items)]
    return named


def after_dataset_show(pkg_dict: dict) -> None:
    """The licence's title in the page's language: CKAN translates it when it
    reads the dataset, but package_show answers from the search index, where it
    was written in the language of whoever indexed it."""
    license = model.Package.get_license_register().get(pkg_dict.get("license_id") or "")
    if license is not None and pkg_dict.get("license_title"):
        pkg_dict["license_title"] = license.title


def get_helpers() -> dict:
    helpers = {"humanize_entity_type": humanize_entity_type,
               "format_resource_items": format_resource_items}
    if plugins.plugin_loaded("datastore"):   # a chained helper needs the one it wraps
        helpers["datastore_dictionary"] = datastore_dictionary
    return helpers
