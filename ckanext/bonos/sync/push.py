"""One push run: compare what the source publishes with what the target
holds, and write only the difference.

1. Read the source (public `bono` publications, valid resources) and map
   each one (mapping.py); its ``bonos_sync_hash`` sums up the dataset and
   every resource's content.
2. Read the target's state with package_search over the target organization
   (``fl``: name, state, visibility, hash, source id): one call per 1,000
   datasets. A dataset whose hash, state and visibility match is unchanged
   and costs nothing more: a no-op run makes one read and no write.
3. A dataset to create or update is written idempotently, by its
   deterministic name:
   - ``link`` resources: one package_create / package_update carrying the
     resources (matched by ``bonos_source_id`` to keep their ids), which
     CKAN applies in one transaction.
   - ``upload`` resources: the dataset is created as a draft, then each
     resource is created, updated or deleted by its ``bonos_source_id``,
     and only then is the dataset made active with its final hash. A run
     cut off in between leaves the old or an empty hash: the next run
     redoes the dataset and finds the resources already written instead of
     creating twins. A resource_create retried after a timeout first looks
     whether the first try landed.
4. Datasets of ours on the target (they carry ``bonos_source_id``) whose
   publication is no longer public are deleted or made private
   (``withdraw``).

Runs on one target never overlap: a PostgreSQL advisory lock on the source
database. Every run stores its report (reports.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from contextlib import contextmanager
from typing import Callable, Optional

import sqlalchemy as sa

from ckan import model

from . import mapping, reports, schema_fit, source
from .client import Refused, TargetClient, Unreachable
from .targets import Target

log = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, DELETED, FAILED = (
    "created", "updated", "unchanged", "deleted", "failed")
OUTCOMES = (CREATED, UPDATED, UNCHANGED, DELETED, FAILED)
STATE_FIELDS = ["id", "name", "state", "capacity",
                "extras_" + mapping.SYNC_HASH, "extras_" + mapping.SOURCE_ID]
PAGE = 1000


class AlreadyRunning(Exception):
    pass


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@contextmanager
def run_lock(target_name: str):
    """A session-level advisory lock, held on its own connection."""
    key = int.from_bytes(hashlib.sha256(("bonos_push:" + target_name).encode()).digest()[:8],
                         "big", signed=True)
    conn = model.meta.engine.connect()
    try:
        if not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
            raise AlreadyRunning(
                "Ya hay un envío a %s en curso. / A push to %s is already running."
                % (target_name, target_name))
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
    finally:
        conn.close()


def target_state(client: TargetClient, target: Target, only: Optional[str]) -> dict:
    """name -> stored fields of the target's datasets that this push owns."""
    fq = 'organization:"%s"' % target.organization
    if only:
        fq += ' +name:"%s"' % only
    found, start = {}, 0
    while True:
        page = client.read("package_search", fq=fq, fl=STATE_FIELDS, rows=PAGE, start=start,
                           sort="name asc", include_private=True, include_drafts=True)
        for doc in page["results"]:
            if doc.get(mapping.SOURCE_ID) and doc["name"].startswith(target.prefix):
                found[doc["name"]] = doc
        start += PAGE
        if start >= page["count"] or not page["results"]:
            return found


def _up_to_date(doc: dict, mapped: dict) -> bool:
    return (doc.get(mapping.SYNC_HASH) == mapping.extra(mapped, mapping.SYNC_HASH)
            and doc.get("state") == "active" and doc.get("capacity") == "public")


def _name_taken(error: Refused) -> bool:
    return error.kind == "ValidationError" and '"name"' in str(error)


class Push:
    def __init__(self, target: Target, dry_run: bool = False, only: Optional[str] = None,
                 client: Optional[TargetClient] = None,
                 echo: Callable[[str], None] = lambda text: None,
                 publications: Optional[list] = None):
        self.target = target
        # the source as read once for every target of a run (None: read it here)
        self.publications = publications
        self.dry_run = dry_run
        self.only = only
        self.client = client
        self.echo = echo
        self.report = {
            "target": target.name, "url": target.url, "mode": target.mode,
            "resources": target.resources, "withdraw": target.withdraw,
            "dry_run": dry_run, "dataset": only, "started_at": _now(),
            "counts": {k: 0 for k in OUTCOMES}, "datasets": {k: [] for k in OUTCOMES},
            "failures": [], "withheld_resources": 0,
        }

    # -- bookkeeping ------------------------------------------------------------
    def outcome(self, name: str, outcome: str) -> None:
        self.report["counts"][outcome] += 1
        self.report["datasets"][outcome].append(name)
        if outcome != UNCHANGED:
            self.echo("%-9s %s" % (outcome, name))

    def failure(self, name: str, action: str, message: str) -> None:
        self.report["failures"].append({"dataset": name, "action": action, "message": message})
        self.outcome(name, FAILED)
        log.warning("bonos push %s: %s %s: %s", self.target.name, action, name, message)

    # -- the run ------------------------------------------------------------------
    def run(self) -> dict:
        clock = time.monotonic()
        try:
            with run_lock(self.target.name):
                self.client = self.client or TargetClient(self.target)
                try:
                    self._run()
                finally:
                    self.report["calls"] = {"reads": self.client.reads,
                                            "writes": self.client.writes}
                    self.client.close()
        except AlreadyRunning as e:
            self.failure("*", "lock", str(e))
        self.report["finished_at"] = _now()
        self.report["duration_s"] = round(time.monotonic() - clock, 3)
        self.report["ok"] = not self.report["failures"]
        model.Session.rollback()     # reads only so far; start the report clean
        self.report["id"] = reports.save(self.report)
        return self.report

    def _run(self) -> None:
        publications = (self.publications if self.publications is not None
                         else source.read(self.only))
        self.report["withheld_resources"] = sum(p.withheld for p in publications)
        fit = None
        if self.target.mode == "ckan":
            # a plain CKAN may have its own schema (datos.gob.hn's requires
            # modified, frequency, contactPoint...): fill what it asks for
            try:
                schema = schema_fit.read_schema(self.client)
            except Unreachable as e:
                self.failure("*", "scheming_dataset_schema_show", str(e))
                return
            fit = schema_fit.Fitter(schema, schema_fit.parse_field_map(self.target.fields))
        wanted = {}
        for pub in publications:
            mapped = mapping.map_publication(pub, self.target, fit=fit)
            wanted[mapped["name"]] = (pub, mapped)
        missing = fit.missing if fit else {}
        self.report["missing_fields"] = missing
        only_name = mapping.target_name(self.target.prefix, self.only) if self.only else None
        try:
            current = target_state(self.client, self.target, only_name)
        except (Refused, Unreachable) as e:
            self.failure("*", "package_search", str(e))
            return
        unreachable = None
        for name, (pub, mapped) in wanted.items():
            doc = current.get(name)
            if name in missing:
                # nothing is written that the target would refuse
                fields = ", ".join(missing[name])
                self.failure(name, "schema", "El destino exige %s y la publicación no lo tiene. "
                             "/ The target requires %s, which the publication lacks."
                             % (fields, fields))
                continue
            if doc is not None and _up_to_date(doc, mapped):
                self.outcome(name, UNCHANGED)
                continue
            action = UPDATED if doc else CREATED
            if unreachable:
                self.failure(name, action, "no intentado / not attempted: " + unreachable)
                continue
            if self.dry_run:
                self.outcome(name, action)
                continue
            try:
                self.outcome(name, self.write_dataset(pub, mapped, doc))
            except Refused as e:
                self.failure(name, action, str(e))
            except Unreachable as e:
                unreachable = str(e)
                self.failure(name, action, unreachable)
            except Exception as e:   # noqa: BLE001 - one dataset must not stop the rest
                log.exception("bonos push %s: %s", self.target.name, name)
                self.failure(name, action, self.client.scrub("%s: %s" % (
                    e.__class__.__name__, e)))
        for name, doc in current.items():
            if name in wanted:
                continue
            if self.target.withdraw == "private" and doc.get("capacity") == "private":
                continue      # withdrawn already
            if unreachable:
                self.failure(name, "withdraw", "no intentado / not attempted: " + unreachable)
                continue
            if self.dry_run:
                self.outcome(name, DELETED)
                continue
            try:
                if self.target.withdraw == "delete":
                    self.client.write("package_delete", {"id": doc["id"]})
                else:
                    self.client.write("package_patch", {"id": doc["id"], "private": True})
                self.outcome(name, DELETED)
            except Refused as e:
                self.failure(name, "withdraw", str(e))
            except Unreachable as e:
                unreachable = str(e)
                self.failure(name, "withdraw", unreachable)

    # -- one dataset ----------------------------------------------------------------
    def write_dataset(self, pub, mapped: dict, doc: Optional[dict]) -> str:
        body = mapping.with_push_time(mapped, _now())
        if self.target.resources == "link":
            return self._write_linked(body, doc)
        return self._write_uploaded(pub, body, doc)

    def _show(self, id_or_name: str) -> dict:
        return self.client.read("package_show", id=id_or_name)

    def _taken_by(self, name: str) -> dict:
        """The dataset holding our name though the search did not list it (left
        by a cut-off run, or not indexed yet). Taken over only if it is ours."""
        current = self._show(name)
        extras = {e["key"]: e["value"] for e in current.get("extras") or []}
        org = (current.get("organization") or {}).get("name")
        if org != self.target.organization or not extras.get(mapping.SOURCE_ID):
            raise Refused("El nombre %s ya lo usa otro conjunto de datos en el destino. / "
                          "The name %s is taken by another dataset on the target." % (name, name))
        return current

    @staticmethod
    def _by_source_id(current: dict):
        """Target resources by source id; twins and strangers go in ``extra``."""
        by_sid, extra = {}, []
        for res in current.get("resources", []):
            sid = res.get(mapping.SOURCE_ID)
            if sid and sid not in by_sid:
                by_sid[sid] = res
            else:
                extra.append(res)
        return by_sid, extra

    def _write_linked(self, body: dict, doc: Optional[dict]) -> str:
        if doc is None:
            try:
                self.client.write("package_create", dict(body, state="active"))
                return CREATED
            except Refused as e:
                if not _name_taken(e):
                    raise
                doc = self._taken_by(body["name"])
        current = self._show(doc["id"]) if "resources" not in doc else doc
        by_sid, _ = self._by_source_id(current)
        resources = []
        for res in body["resources"]:
            existing = by_sid.get(res[mapping.SOURCE_ID])
            resources.append(dict(res, id=existing["id"]) if existing else res)
        self.client.write("package_update", dict(body, id=current["id"], state="active",
                                                  resources=resources))
        return UPDATED

    def _write_uploaded(self, pub, body: dict, doc: Optional[dict]) -> str:
        outcome = UPDATED
        fields = {k: v for k, v in body.items() if k != "resources"}
        if doc is None:
            try:
                current = self.client.write("package_create", mapping.with_push_time(
                    dict(fields, state="draft"), mapping.extra(fields, mapping.PUSHED_AT),
                    hash_value=""))
                outcome = CREATED
            except Refused as e:
                if not _name_taken(e):
                    raise
                current = self._taken_by(body["name"])
        else:
            current = self._show(doc["id"])
        package_id = current["id"]
        by_sid, extra = self._by_source_id(current)
        order = []
        for res, src in zip(body["resources"], pub.resources):
            existing = by_sid.pop(src.id, None)
            order.append(self._sync_resource(package_id, res, src, existing))
        gone = [res["id"] for res in list(by_sid.values()) + extra]
        for resource_id in gone:
            self.client.write("resource_delete", {"id": resource_id})
        # CKAN appends created resources: the order they now have, without a read.
        kept = [r["id"] for r in current.get("resources", []) if r["id"] not in gone]
        now_order = kept + [i for i in order if i not in kept]
        if now_order != order:
            self.client.write("package_resource_reorder", {"id": package_id, "order": order})
        self.client.write("package_patch", dict(fields, id=package_id, state="active"))
        return outcome

    def _sync_resource(self, package_id: str, res: dict, src, existing: Optional[dict]) -> str:
        def files():
            return {"upload": (src.filename, open(src.path, "rb"))}
        data = dict(res, package_id=package_id)
        if existing is None:
            def landed():
                found = self._by_source_id(self._show(package_id))[0].get(src.id)
                return found
            return self.client.write("resource_create", data, files, already_done=landed)["id"]
        if existing.get(mapping.RESOURCE_SHA) != src.sha256:
            self.client.write("resource_update", dict(data, id=existing["id"]), files)
        elif any((existing.get(k) or "") != (res.get(k) or "") for k in mapping.RESOURCE_FIELDS):
            patch = {k: res[k] for k in mapping.RESOURCE_FIELDS}
            self.client.write("resource_patch", dict(patch, id=existing["id"]))
        return existing["id"]


def push(target: Target, **kwargs) -> dict:
    return Push(target, **kwargs).run()
