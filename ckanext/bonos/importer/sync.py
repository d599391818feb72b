"""Bring CKAN in line with a manifest, through CKAN actions only.

Rules (README.md explains them for administrators):

- Nothing is written when nothing changed: dataset fields are compared with
  what package_show returns, files by the SHA-256 kept in each resource's
  ``sha256`` field.
- A new publication is created as a draft, its resources are added one by one
  (each goes through resource_create, so upload validation runs), and it is
  made active only when every file was accepted. Otherwise its resources are
  deleted and the draft is purged: no half publication is left behind.
- A file refused on an existing publication leaves that resource as it was;
  the other files go on.
- Resources the importer created (they have ``sha256``) whose file left the
  manifest are deleted; resources added by hand are never touched.
"""
from __future__ import annotations

import json
import logging
import mimetypes
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from werkzeug.datastructures import FileStorage

from .manifest import Manifest, Publication, Resource

log = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, FAILED, DELETED = (
    "created", "updated", "unchanged", "failed", "deleted")
HASH_FIELD = "sha256"


@dataclass
class Problem:
    publication: str
    file: Optional[str]
    message: str

    def __str__(self):
        where = self.publication + (" / " + self.file if self.file else "")
        return "%s: %s" % (where, self.message)


@dataclass
class ImportReport:
    organization: str = UNCHANGED
    publications: Counter = field(default_factory=Counter)
    resources: Counter = field(default_factory=Counter)
    problems: List[Problem] = field(default_factory=list)
    outcome: Dict[str, str] = field(default_factory=dict)   # publication name -> status
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        def counts(c, keys):
            return ", ".join("%d %s" % (c.get(k, 0), k) for k in keys)
        return "\n".join([
            "organization: %s" % self.organization,
            "publications: %s" % counts(self.publications, (CREATED, UPDATED, UNCHANGED, FAILED)),
            "resources: %s" % counts(self.resources,
                                     (CREATED, UPDATED, UNCHANGED, DELETED, FAILED)),
            "time: %.1f s" % self.seconds,
        ])


def error_text(error: Exception) -> str:
    """A CKAN ValidationError (or another error) as one readable line."""
    if isinstance(error, tk.ValidationError):
        parts = []

        def walk(prefix, value):
            if isinstance(value, dict):
                for k, v in value.items():
                    walk("%s.%s" % (prefix, k) if prefix else str(k), v)
            elif isinstance(value, list):
                for v in value:
                    walk(prefix, v)
            elif value:
                # The upload's own problems come under url/upload: the file is named anyway.
                named = prefix and prefix not in ("url", "upload")
                parts.append("%s: %s" % (prefix, value) if named else str(value))
        walk("", error.error_dict)
        return "; ".join(parts) or str(error)
    return str(error) or error.__class__.__name__


def _norm(value: Any) -> Any:
    """A comparable form of a field value (CKAN returns '' or None for 'nothing')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return sorted(json.dumps(_norm(v), sort_keys=True) for v in value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return str(value)


class Importer:
    def __init__(self, manifest: Manifest, user: str, echo: Callable[[str], None] = None):
        self.manifest = manifest
        self.user = user
        self.echo = echo or (lambda text: None)
        self.report = ImportReport()
        self.org_id: Optional[str] = None

    # -- plumbing -------------------------------------------------------------
    def call(self, action: str, data: dict) -> Any:
        return tk.get_action(action)({"user": self.user}, data)

    def problem(self, pub: str, file: Optional[str], message: str) -> None:
        found = Problem(pub, file, message)
        self.report.problems.append(found)
        log.warning("bonos import: %s", found)

    # -- the run --------------------------------------------------------------------
    def run(self) -> ImportReport:
        start = time.monotonic()
        try:
            self.sync_organization()
        except (tk.ValidationError, tk.NotAuthorized) as e:
            model.Session.rollback()
            self.report.organization = FAILED
            self.problem(self.manifest.organization["name"], None, error_text(e))
        for pub in self.manifest.publications:
            if self.org_id is None:
                status = FAILED     # no organization to publish in
                self.report.resources[FAILED] += len(pub.resources)
            else:
                status = self.sync_publication(pub)
            self.report.publications[status] += 1
            self.report.outcome[pub.name] = status
            if status != UNCHANGED:
                self.echo("%-9s %s" % (status, pub.name))
        self.report.seconds = time.monotonic() - start
        return self.report

    # -- organization -------------------------------------------------------------------
    def sync_organization(self) -> None:
        wanted = dict(self.manifest.organization)
        try:
            current = self.call("organization_show", {
                "id": wanted["name"], "include_datasets": False, "include_users": False,
                "include_groups": False, "include_tags": False, "include_followers": False})
        except tk.ObjectNotFound:
            current = self.call("organization_create", wanted)
            self.report.organization = CREATED
        else:
            # Known from here on, even if the update below is refused: the
            # publications can still go in (if the user may publish there).
            self.org_id = current["id"]
            changed = {k: v for k, v in wanted.items() if _norm(v) != _norm(current.get(k))}
            if current.get("state") != "active":
                changed["state"] = "active"
            if changed:
                current = self.call("organization_patch", dict(changed, id=current["id"]))
                self.report.organization = UPDATED
        self.org_id = current["id"]

    # -- publications ---------------------------------------------------------------------
    def wanted_fields(self, pub: Publication) -> dict:
        fields = {k: v for k, v in pub.fields.items() if k != "tags"}
        fields["name"] = pub.name
        fields["owner_org"] = self.org_id
        if "tags" in pub.fields:
            fields["tags"] = [{"name": t} for t in pub.fields["tags"]]
        return fields

    @staticmethod
    def changed_fields(wanted: dict, current: dict) -> dict:
        changed = {}
        for key, value in wanted.items():
            if key == "tags":
                same = ({t["name"] for t in value}
                        == {t["name"] for t in current.get("tags") or []})
            else:
                same = _norm(value) == _norm(current.get(key))
            if not same:
                changed[key] = value
        return changed

    def sync_publication(self, pub: Publication) -> str:
        if pub.problems:
            for text in pub.problems:
                self.problem(pub.name, None, text)
            self.report.resources[FAILED] += len(pub.resources)
            return FAILED
        try:
            try:
                current = self.call("package_show", {"id": pub.name})
            except tk.ObjectNotFound:
                return self.create_publication(pub)
            return self.update_publication(pub, current)
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as e:
            model.Session.rollback()
            self.problem(pub.name, None, error_text(e))
            return FAILED
        except Exception as e:   # noqa: BLE001 - one bad publication must not stop the rest
            model.Session.rollback()
            log.exception("bonos import: %s", pub.name)
            self.problem(pub.name, None, "%s: %s" % (e.__class__.__name__, e))
            return FAILED

    def create_publication(self, pub: Publication) -> str:
        draft = self.call("package_create", dict(self.wanted_fields(pub), state="draft"))
        created, failed = [], 0
        for res in pub.resources:
            try:
                created.append(self.create_resource(draft["id"], res))
            except (tk.ValidationError, tk.NotAuthorized, OSError) as e:
                model.Session.rollback()
                self.problem(pub.name, res.file, error_text(e))
                failed += 1
        if failed:
            # None of its files reaches the portal: all count as failed.
            self.discard_draft(pub, draft["id"], created)
            self.report.resources[FAILED] += len(pub.resources)
            return FAILED
        self.call("package_patch", {"id": draft["id"], "state": "active"})
        self.report.resources[CREATED] += len(created)
        return CREATED

    def discard_draft(self, pub: Publication, package_id: str, resource_ids: List[str]) -> None:
        """Remove a draft whose files were not all accepted (and what it loaded)."""
        for resource_id in resource_ids:
            self.call("resource_delete", {"id": resource_id})
        try:
            self.call("dataset_purge", {"id": package_id})
        except tk.NotAuthorized:
            # Only sysadmins purge; a draft is not public, and the next run resumes it.
            self.call("package_delete", {"id": package_id})
            self.problem(pub.name, None, "publicación no creada; queda como borrador eliminado / "
                                         "not created; left as a deleted draft")
        else:
            self.echo("discarded %s: not every file was accepted" % pub.name)

    def update_publication(self, pub: Publication, current: dict) -> str:
        if current.get("owner_org") not in (None, self.org_id):
            self.problem(pub.name, None,
                         "el nombre ya lo usa un conjunto de otra organización / the name is "
                         "taken by a dataset of another organization")
            return FAILED
        wanted = self.wanted_fields(pub)
        changed = self.changed_fields(wanted, current)
        touched = False
        if changed:
            self.call("package_patch", dict(changed, id=current["id"]))
            touched = True

        by_file = {}
        for res in current.get("resources", []):
            if res.get("url_type") == "upload":
                by_file.setdefault(res.get("url", "").rsplit("/", 1)[-1], res)
        failed = 0
        order = []
        for res in pub.resources:
            existing = by_file.pop(res.upload_name, None)
            try:
                status, resource_id = self.sync_resource(current["id"], res, existing)
            except (tk.ValidationError, tk.NotAuthorized, OSError) as e:
                model.Session.rollback()
                self.problem(pub.name, res.file, error_text(e))
                status, resource_id = FAILED, existing and existing["id"]
                failed += 1
            self.report.resources[status] += 1
            touched = touched or status in (CREATED, UPDATED)
            if resource_id:
                order.append(resource_id)
        for leftover in by_file.values():
            if HASH_FIELD in leftover:     # imported earlier, no longer in the manifest
                self.call("resource_delete", {"id": leftover["id"]})
                self.report.resources[DELETED] += 1
                touched = True

        current_order = [r["id"] for r in current.get("resources", []) if r["id"] in order]
        if touched or current_order != order:
            after = self.call("package_show", {"id": current["id"]})
            ids = [r["id"] for r in after.get("resources", [])]
            wanted_order = order + [i for i in ids if i not in order]
            if ids != wanted_order:
                self.call("package_resource_reorder", {"id": current["id"], "order": wanted_order})
                touched = True
        if current.get("state") != "active" and not failed:
            self.call("package_patch", {"id": current["id"], "state": "active"})
            touched = True
        if failed:
            return FAILED
        return UPDATED if touched else UNCHANGED

    # -- resources --------------------------------------------------------------------
    def create_resource(self, package_id: str, res: Resource) -> str:
        sha = res.sha256()
        with open(res.path, "rb") as stream:
            created = self.call("resource_create", self._resource_data(
                res, sha, stream, package_id=package_id))
        return created["id"]

    def sync_resource(self, package_id: str, res: Resource, existing: Optional[dict]):
        sha = res.sha256()
        if existing is None:
            with open(res.path, "rb") as stream:
                created = self.call("resource_create", self._resource_data(
                    res, sha, stream, package_id=package_id))
            return CREATED, created["id"]
        if existing.get(HASH_FIELD) != sha:
            with open(res.path, "rb") as stream:
                self.call("resource_update", self._resource_data(
                    res, sha, stream, id=existing["id"], package_id=package_id))
            return UPDATED, existing["id"]
        changed = {k: v for k, v in res.fields.items() if _norm(v) != _norm(existing.get(k))}
        if changed:
            self.call("resource_patch", dict(changed, id=existing["id"]))
            return UPDATED, existing["id"]
        return UNCHANGED, existing["id"]

    @staticmethod
    def _resource_data(res: Resource, sha: str, stream, **ids) -> dict:
        data = dict(res.fields)
        data.update(ids)
        data[HASH_FIELD] = sha
        data["url"] = res.upload_name
        data["upload"] = FileStorage(
            stream=stream, filename=res.upload_name,
            content_type=mimetypes.guess_type(res.upload_name)[0] or "application/octet-stream")
        return data
