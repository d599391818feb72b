"""What the local portal publishes: public, active `bono` publications and,
of their resources, only those whose last validation report is ``valido``.

A resource without a report (never validated), pending or invalid, never
leaves the portal. Read through package_search as an anonymous visitor
(so "public" means what the public sees) and one query on the reports table.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bonos.uploads import hooks as upload_hooks
from ckanext.bonos.uploads import reports as validation_reports

PAGE = 1000


@dataclass
class SourceResource:
    id: str
    data: dict                  # the resource as package_show returns it
    path: Optional[str]         # the stored file (uploads)
    sha256: str                 # of the file's bytes

    @property
    def filename(self) -> str:
        return (self.data.get("url") or "").rsplit("/", 1)[-1] or "%s.csv" % self.id


@dataclass
class SourcePublication:
    id: str
    name: str
    data: dict
    resources: list = field(default_factory=list)
    withheld: int = 0           # resources not valid, kept back


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _public_bonos(only: Optional[str]) -> list[dict]:
    # Public and active only (include_private/include_drafts False); with
    # ignore_auth the results keep every resource (the public search hides
    # files not valid, uploads/visibility.py), so withheld ones are counted.
    context = {"ignore_auth": True, "user": "", "auth_user_obj": None}
    fq = "+dataset_type:bono"
    if only:
        fq += ' +name:"%s"' % only.replace('"', "")
    found, start = [], 0
    while True:
        page = tk.get_action("package_search")(context, {
            "fq": fq, "rows": PAGE, "start": start, "sort": "name asc",
            "include_private": False, "include_drafts": False})
        found.extend(page["results"])
        start += PAGE
        if start >= page["count"] or not page["results"]:
            return found


def _valid_ids(resource_ids: list[str]) -> set[str]:
    if not resource_ids:
        return set()
    validation_reports.ensure(model.Session)   # if a test wiped it
    rows = model.Session.execute(sa.text(
        "SELECT resource_id FROM %s WHERE estado = 'valido' AND resource_id = ANY(:ids)"
        % validation_reports.TABLE), {"ids": resource_ids})
    return {r[0] for r in rows}


def read(only: Optional[str] = None) -> list[SourcePublication]:
    """Public publications (one if ``only`` names it), valid resources only."""
    packages = _public_bonos(only)
    valid = _valid_ids([r["id"] for p in packages for r in p.get("resources", [])])
    publications = []
    for pkg in packages:
        pub = SourcePublication(id=pkg["id"], name=pkg["name"], data=pkg)
        for res in pkg.get("resources", []):
            path = upload_hooks.stored_path(res) if res["id"] in valid else None
            if path is None:
                pub.withheld += 1
                continue
            pub.resources.append(SourceResource(res["id"], res, path, file_sha256(path)))
        publications.append(pub)
    return publications


def dataset_url(pub: SourcePublication) -> str:
    return "%s/%s/%s" % (tk.config.get("ckan.site_url").rstrip("/"),
                         pub.data.get("type") or "bono", pub.name)
