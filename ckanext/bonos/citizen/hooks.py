"""Dataset and resource hooks, and the uploads' signals, that keep
``bonos_cifras`` in step with the catalogue: rows of a loaded summary table are
written, rows of a removed or deleted one go; a publication's visibility
(draft, private, deleted) and cut-off date are copied onto its rows; the
figures cache is invalidated once each change is committed.

No hook commits CKAN's session. The dataset hooks run inside CKAN's
transaction and write in it (committed with the dataset's change, or not at
all). What follows a change CKAN has already committed (a resource deleted, a
table loaded, the bulk actions) is written in a transaction of its own.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bonos.dbtables import own_transaction

from . import store

_DELETING = "bonos_cifras_deleting"


def before_resource_delete(context: dict, resource: dict) -> None:
    context[_DELETING] = resource.get("id")


def after_resource_delete(context: dict) -> None:
    resource_id = context.pop(_DELETING, None)
    if resource_id:
        with own_transaction() as session:
            store.forget_resource(resource_id, session)


def table_loaded(resource_id: str, package_id: str, tabla: str, **_) -> None:
    """uploads' signal: a valid summary table is in the DataStore."""
    with own_transaction() as session:
        store.after_load(resource_id, package_id, tabla, session)


def table_removed(resource_id: str, **_) -> None:
    """uploads' signal: a resource's table is no longer valid data."""
    with own_transaction() as session:
        store.forget_resource(resource_id, session)


def after_dataset_update(pkg_dict: dict) -> None:
    if pkg_dict.get("type") == "bono" and pkg_dict.get("id"):
        store.package_updated(pkg_dict["id"])


def after_dataset_delete(pkg_dict: dict) -> None:
    # hidden, not forgotten: a publication restored to active shows again
    pkg = model.Package.get(pkg_dict.get("id") or "")
    if pkg is not None:
        store.hide_package(pkg.id)


def _bumping(name: str):
    """A chained action that brings the figures' visibility up to date after
    ``name``: the bulk actions and purge bypass the dataset hooks."""
    @tk.chained_action
    def action(next_action, context, data_dict):
        # ids or names in; package ids kept before a purge removes the names
        given = data_dict.get("datasets") or [data_dict.get("id")]
        packages = [model.Package.get(i) for i in given if isinstance(i, str)]
        ids = [pkg.id for pkg in packages if pkg is not None]
        result = next_action(context, data_dict)      # committed by CKAN
        with own_transaction() as session:
            if name == "dataset_purge":
                for package_id in ids:
                    store.forget_package(package_id, session)
            else:
                store.packages_changed(ids, session)
        return result
    action.__name__ = name
    action.__doc__ = "CKAN's %s; then the citizen figures are read afresh." % name
    return action


def get_actions() -> dict:
    names = ("bulk_update_private", "bulk_update_public", "bulk_update_delete",
             "dataset_purge")
    return {name: _bumping(name) for name in names}
