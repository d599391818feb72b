"""Dataset and resource hooks that keep ``bonos_cifras`` in step with the catalogue.

Visibility (private, deleted, draft) is checked when the pages read, so these
only keep the table small and the cut-off dates current.
"""
from __future__ import annotations

from ckan import model

from . import store

_DELETING = "bonos_cifras_deleting"


def before_resource_delete(context: dict, resource: dict) -> None:
    context[_DELETING] = resource.get("id")


def after_resource_delete(context: dict) -> None:
    resource_id = context.pop(_DELETING, None)
    if resource_id:
        store.forget_resource(resource_id)
        model.Session.commit()


def after_dataset_update(pkg_dict: dict) -> None:
    if pkg_dict.get("type") == "bono" and pkg_dict.get("id"):
        store.package_updated(pkg_dict["id"])
        model.Session.commit()


def after_dataset_delete(pkg_dict: dict) -> None:
    if pkg_dict.get("id"):
        store.forget_package(pkg_dict["id"])
        model.Session.commit()
