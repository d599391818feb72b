"""SHA-256 of an uploaded file: in CKAN's resource ``hash`` (set from the
upload's bytes before it is stored, hooks.before_create/update) and in the
validation report of a valid summary table (hooks._settle). Files stored
before either existed get it on first demand (valid_with_sha256). Every new
file gets a new report, which drops the old checksum.
"""
from __future__ import annotations

import hashlib

from ckan import model

from . import reports


def stream_sha256(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


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
