"""Dataset and resource hooks that keep ``bonos_cifras`` in step with the
catalogue: rows of a deleted resource go; a publication's visibility (draft,
private, deleted) and cut-off date are copied onto its rows; the figures cache
is invalidated after each change.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from . import cache, store

_DELETING = "bonos_cifras_deleting"


def before_resource_delete(context: dict, resource: dict) -> None:
    context[_DELETING] = resource.get("id")


def after_resource_delete(context: dict) -> None:
    resource_id = context.pop(_DELETING, None)
    if resource_id:
        store.forget_resource(resource_id)
        model.Session.commit()
        cache.bump()


# The dataset hooks write in the action's own transaction and leave the commit
# to it (with the dataset's change, or not at all).

def after_dataset_update(pkg_dict: dict) -> None:
    if pkg_dict.get("type") == "bono" and pkg_dict.get("id"):
        store.package_updated(pkg_dict["id"])
        cache.bump_when_committed(model.Session)


def after_dataset_delete(pkg_dict: dict) -> None:
    # hidden, not forgotten: a publication restored to active shows again
    pkg = model.Package.get(pkg_dict.get("id") or "")
    if pkg is not None:
        store.hide_package(pkg.id)
        cache.bump_when_committed(model.Session)


def _bumping(name: str):
    """A chained action that brings the figures' visibility up to date after
    ``name``: the bulk actions and purge bypass the dataset hooks."""
    @tk.chained_action
    def action(next_action, context, data_dict):
        # ids or names in; package ids kept before a purge removes the names
        given = data_dict.get("datasets") or [data_dict.get("id")]
        packages = [model.Package.get(i) for i in given if isinstance(i, str)]
        ids = [pkg.id for pkg in packages if pkg is not None]
        result = next_action(context, data_dict)
        if name == "dataset_purge":
            for package_id in ids:
                store.forget_package(package_id)
        else:
            store.packages_changed(ids)
        model.Session.commit()
        cache.bump()
        return result
    action.__name__ = name
    action.__doc__ = "CKAN's %s; then the citizen figures are read afresh." % name
    return action


def get_actions() -> dict:
    names = ("bulk_update_private", "bulk_update_public", "bulk_update_delete",
             "dataset_purge")
    return {name: _bumping(name) for name in names}
