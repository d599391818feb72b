"""Large uploads are validated (and loaded) by a `ckan jobs worker` on Redis."""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from . import audit, datastore, hooks, signals

log = logging.getLogger(__name__)


def enqueue(resource_id: str) -> None:
    tk.enqueue_job(validate_and_load, [resource_id],
                   title="bonos: validar %s" % resource_id,
                   rq_kwargs={"timeout": 3600})


def validate_and_load(resource_id: str) -> dict:
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    path = hooks.stored_path(resource)
    if path is None:
        log.warning("bonos: no stored file to validate for resource %s", resource_id)
        return {}
    umbral = hooks.umbral_of(resource["package_id"])
    with open(path, "rb") as stream:
        report, rows = audit.validated(stream, resource["tabla"], umbral)
        if report.estado == "valido" and audit.check(
                rows, resource["tabla"], resource["package_id"], resource_id, umbral,
                report) == "pendiente":
            result = {"estado": "pendiente", "errores": [audit.held_problem().as_dict()],
                      "total_errores": 1}
            hooks.save_report(resource_id, result)
            return result
    result = report.as_dict()
    hooks.save_report(resource_id, result)
    if report.estado == "valido":
        datastore.load(resource_id, path, resource["tabla"])
        signals.table_loaded.send(resource_id, package_id=resource["package_id"],
                                  tabla=resource["tabla"])
    return result
