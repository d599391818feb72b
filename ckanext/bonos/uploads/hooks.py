"""resource_create / resource_update: a summary table is checked before it is
stored. A file that breaks the standard (privacy first) is refused with a
ValidationError naming rows and columns, and nothing is written. A valid one
gets its report stored and its rows loaded into the DataStore. Files larger
than ``ckanext.bonos.validacion.max_sync_bytes`` are checked in a background
job instead; until then they are "pendiente" and not loaded.
"""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from werkzeug.datastructures import FileStorage

from ckanext.bonos import dbtables, tables

from . import audit, checksums, datastore, linked, reports, signals

MAX_SYNC_OPTION = "ckanext.bonos.validacion.max_sync_bytes"
_PENDING_KEY = "bonos_validacion"   # context key: outcome for the after-hook


def _uploaded_stream(resource: dict):
    upload = resource.get("upload")
    if isinstance(upload, FileStorage) and upload.filename:
        return upload.stream
    return None


def _size(stream) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def umbral_of(package_id: str) -> int:
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    return linked.package_umbral(pkg)


def stored_path(resource: dict) -> str | None:
    if resource.get("url_type") != "upload":
        return None
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    return path if os.path.exists(path) else None


def _check(context: dict, key: str, stream, tabla: str, package_id: str,
           resource_id: str | None = None) -> None:
    if _size(stream) > tk.config.get(MAX_SYNC_OPTION):
        context[key] = "job"
        return
    umbral = umbral_of(package_id)
    report, rows = audit.validated(stream, tabla, umbral)
    if report.estado == "valido":
        # Then the disclosure audit, with the tables the upload is linked to.
        if audit.check(rows, tabla, package_id, resource_id, umbral, report) == "pendiente":
            context[key] = "held"
            return
    if report.estado != "valido":
        raise tk.ValidationError({"url": [report.summary()]})
    context[key] = report.as_dict()


def _stamp_hash(resource: dict, stream) -> None:
    # CKAN's own `hash` field: harvesters and the DCAT catalogue pass it on.
    resource["hash"] = checksums.stream_sha256(stream)


def before_create(context: dict, resource: dict) -> None:
    tabla = resource.get("tabla")
    stream = _uploaded_stream(resource)
    if stream is not None:
        _stamp_hash(resource, stream)
    if tabla in tables.TABLES and stream is not None:
        _check(context, _PENDING_KEY, stream, tabla, resource["package_id"])


def before_update(context: dict, current: dict, resource: dict) -> None:
    tabla = resource.get("tabla")
    key = "%s:%s" % (_PENDING_KEY, current["id"])
    if _uploaded_stream(resource) is not None:
        _stamp_hash(resource, _uploaded_stream(resource))
    if tabla not in tables.TABLES:
        if current.get("tabla"):
            context[key] = "forget"
        return
    stream = _uploaded_stream(resource)
    if stream is not None:
        _check(context, key, stream, tabla, current["package_id"], current["id"])
        return
    path = stored_path(current)
    if path and (tabla != current.get("tabla") or reports.get(current["id"]) is None):
        with open(path, "rb") as f:
            _check(context, key, f, tabla, current["package_id"], current["id"])


def after_create(context: dict, resource: dict) -> None:
    _settle(context.pop(_PENDING_KEY, None), resource)


def after_update(context: dict, resource: dict) -> None:
    _settle(context.pop("%s:%s" % (_PENDING_KEY, resource["id"]), None), resource)


def _settle(outcome, resource: dict) -> None:
    # CKAN has committed the resource (resource_create/update commit before
    # their after-hooks): the report goes in a transaction of its own, so that
    # no hook commits CKAN's session.
    if outcome is None:
        return
    if outcome == "forget":
        with dbtables.own_transaction() as session:
            reports.delete(resource["id"], session)
        reports.forget_memo(resource["id"])
        signals.table_removed.send(resource["id"])
        datastore.clear(resource["id"])
        return
    if outcome in ("job", "held"):
        from . import jobs
        errores = [audit.held_problem().as_dict()] if outcome == "held" else []
        save_report(resource["id"], {"estado": "pendiente", "errores": errores,
                                     "total_errores": len(errores)})
        signals.table_removed.send(resource["id"])
        jobs.enqueue(resource["id"])
        return
    path = stored_path(resource)
    if path:
        outcome = dict(outcome, sha256=checksums.file_sha256(path))
    save_report(resource["id"], outcome)
    if path:
        datastore.load(resource["id"], path, resource["tabla"])
        signals.table_loaded.send(resource["id"], package_id=resource["package_id"],
                                  tabla=resource["tabla"])


def save_report(resource_id: str, report: dict) -> None:
    with dbtables.own_transaction() as session:
        reports.save(resource_id, report, session)
    reports.forget_memo(resource_id)
