"""SHA-256 of an uploaded summary table, kept in its validation report.

Computed when a valid upload is stored (hooks._settle) and, for files stored
before that existed or validated by the background job, on first demand. Every
new file gets a new report, which drops the old checksum.
"""
from __future__ import annotations

import hashlib

from ckan import model

from . import reports


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def valid_with_sha256(resources: list[dict]) -> dict:
    """resource id -> sha256 for the resources whose last report is valid and
    whose file is stored here; the others (pending, invalid, never checked,
    links) are left out."""
    from .hooks import stored_path
    known = reports.states(r["id"] for r in resources)
    out, computed = {}, False
    for res in resources:
        estado, sha = known.get(res["id"], (None, None))
        if estado != "valido":
            continue
        if not sha:
            path = stored_path(res)
            if path is None:
                continue
            sha = file_sha256(path)
            reports.set_sha256(res["id"], sha)
            computed = True
        out[res["id"]] = sha
    if computed:
        model.Session.commit()
    return out
