"""A second, real CKAN: the national open-data portal the push writes to.

It runs as its own process (``ckan run`` on 127.0.0.1, a free port) with its
own database, storage, configuration and search (``bonos_pgsearch``), in one
of two set-ups:

- ``ckan``:  a plain CKAN (plugins ``bonos_pgsearch``);
- ``bonos``: a portal with this extension (``bonos scheming_datasets
  datastore bonos_pgsearch``, its own DataStore database);
- ``harvest``: a national portal like datos.gob.hn: ckanext-harvest with
  ckanext-dcat's RDF harvester and the CKAN harvester, scheming with a
  `dataset` schema that requires title, notes, a tag, modified, frequency
  (ISO 8601), license_id and contactPoint (nacional_dataset.yaml);
- ``source``: a live SEDIS portal of this project (SourcePortal), with the
  DCAT catalogue, populated through its API: what a harvester pulls from.

It can be killed (SIGKILL, mid-push) and started again on the same port.
Used by tests/sync and bench/push.py.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CKAN = Path(sys.executable).with_name("ckan")
PG = "postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/%s"
PG_RO = "postgresql://ckan_bonos_ro:ckan_bonos_ro@127.0.0.1:5432/%s"
USER = "pushbot"

INI = """[app:main]
use = egg:ckan
ckan.site_id = {site_id}
ckan.site_url = http://127.0.0.1:{port}
ckan.site_title = Portal nacional (pruebas)
sqlalchemy.url = {db_url}
ckan.redis.url = {redis_url}
ckan.storage_path = {storage}
SECRET_KEY = {secret}
WTF_CSRF_SECRET_KEY = {secret}
api_token.jwt.encode.secret = string:{secret}
api_token.jwt.decode.secret = string:{secret}
ckan.plugins = {plugins}
{extra}
ckan.locale_default = es
ckan.locales_offered = es en
ckan.max_resource_size = 50

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""

BONOS_EXTRA = """scheming.dataset_schemas = ckanext.bonos.schemas:bono.yaml
scheming.presets = ckanext.scheming:presets.json
ckan.datastore.write_url = {ds_url}
ckan.datastore.read_url = {ds_ro_url}"""


HARVEST_EXTRA = """scheming.dataset_schemas = {schema}
scheming.presets = ckanext.scheming:presets.json
ckanext.dcat.rdf.profiles = euro_dcat_ap_3 bonos_nacional_hn
# bonos_ckan lists the source's ids 2 a request, so a test's few publications page
ckanext.bonos.harvest.ids_per_request = 2"""

SOURCE_EXTRA = BONOS_EXTRA + """
ckanext.dcat.rdf.profiles = bonos_dcat_ap_3
ckan.auth.create_unowned_dataset = false"""

PLUGINS = {
    "ckan": "bonos_pgsearch",
    "bonos": "bonos scheming_datasets datastore bonos_pgsearch",
    "harvest": "harvest ckan_harvester dcat dcat_rdf_harvester scheming_datasets "
               "bonos_pgsearch bonos_nacional bonos_ckan_harvester",
    "source": "bonos scheming_datasets datastore bonos_pgsearch dcat bonos_dcat",
}
NATIONAL_SCHEMA = Path(__file__).with_name("nacional_dataset.yaml")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str, db: str = "postgres") -> str:
    done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db,
                           "-v", "ON_ERROR_STOP=1", "-qtAc", sql],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError("psql %s: %s" % (sql, done.stderr))
    return done.stdout.strip()


def fresh_database(name: str) -> None:
    psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
    psql('CREATE DATABASE "%s" OWNER ckan_bonos ENCODING \'UTF8\' TEMPLATE template0' % name)


def private_names(name: str) -> str:
    """A national portal's database name, private to this test run.

    Two runs on one machine (say a helper's worktree beside main) must not
    share a national portal: BONOS_NATIONAL_PREFIX, if set, goes in front."""
    return os.environ.get("BONOS_NATIONAL_PREFIX", "") + name


def _env() -> dict:
    # The tests' CKAN_* overrides (database, Redis) are for the source portal.
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}


class NationalPortal:
    def __init__(self, workdir: Path, mode: str = "ckan", db: str = "ckan_bonos_national",
                 redis_url: str | None = None, schema: Path = NATIONAL_SCHEMA):
        assert mode in PLUGINS
        self.mode = mode
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db = private_names(db)
        redis_url = redis_url or os.environ.get("BONOS_NATIONAL_REDIS_URL",
                                                "redis://127.0.0.1:6379/5")
        db = self.db
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.ini = self.workdir / "national.ini"
        self.log = self.workdir / "national.log"
        self.process = None
        self.admin_token = None
        plugins = PLUGINS[mode]
        extra = {"bonos": BONOS_EXTRA, "source": SOURCE_EXTRA,
                 "harvest": HARVEST_EXTRA}.get(mode, "").format(
            ds_url=PG % (db + "_ds"), ds_ro_url=PG_RO % (db + "_ds"), schema="file://%s" % schema)  # scheming reads URLs too
        self.ini.write_text(INI.format(
            site_id="national_" + mode, port=self.port, db_url=PG % db, redis_url=redis_url,
            storage=self.workdir / "storage", secret=secrets.token_hex(16), plugins=plugins,
            extra=extra))

    # -- set-up ---------------------------------------------------------------
    def ckan(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([str(CKAN), "-c", str(self.ini), *args], capture_output=True,
                              text=True, cwd=REPO, env=_env(), input=stdin)
        if done.returncode:
            raise RuntimeError("ckan %s failed:\n%s%s" % (" ".join(args), done.stdout,
                                                          done.stderr))
        return done.stdout

    def create(self) -> "NationalPortal":
        fresh_database(self.db)
        if self.with_bonos:
            fresh_database(self.db + "_ds")
        self.ckan("db", "init")
        self.ckan("db", "upgrade", "-p", "bonos_pgsearch")
        if self.mode == "harvest":
            self.ckan("db", "upgrade", "-p", "harvest")   # its own tables
        if self.with_bonos:
            self.ckan("db", "upgrade", "-p", "bonos")
            grants = self.ckan("datastore", "set-permissions")
            done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-v",
                                   "ON_ERROR_STOP=1", "-q"], input=grants, text=True,
                                  capture_output=True)
            if done.returncode:
                raise RuntimeError("datastore permissions: " + done.stderr)
        self.ckan("user", "add", USER, "email=pushbot@example.org",
                  "password=" + secrets.token_urlsafe(16))
        self.ckan("sysadmin", "add", USER)
        self.admin_token = self.ckan("user", "token", "add", USER, "admin").split()[-1]
        return self

    @property
    def with_bonos(self) -> bool:
        return self.mode in ("bonos", "source")

    # -- process ------------------------------------------------------------------
    def start(self, wait: float = 90) -> None:
        log = open(self.log, "ab")
        self.process = subprocess.Popen(
            [str(CKAN), "-c", str(self.ini), "run", "-H", "127.0.0.1", "-p", str(self.port),
             "-r"], cwd=REPO, env=_env(), stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("national portal exited; see %s" % self.log)
            try:
                self.action("status_show")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("national portal did not start in %ds; see %s" % (wait, self.log))

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- API, as the portal's own administrator -------------------------------------
    def action(self, _action: str, _token: str | None = None, **data):
        request = urllib.request.Request(
            "%s/api/3/action/%s" % (self.url, _action), data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json",
                     **({"Authorization": _token or self.admin_token}
                        if (_token or self.admin_token) else {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.load(answer)["result"]
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s: HTTP %d %s" % (_action, e.code, e.read()[:500])) from None

    def new_token(self, name: str = "push") -> dict:
        return self.action("api_token_create", user=USER, name=name)

    def datasets(self, organization: str) -> list[dict]:
        """Every active dataset of the organization, in full (package_show)."""
        names = []
        start = 0
        while True:
            page = self.action("package_search", fq='organization:"%s"' % organization,
                               rows=1000, start=start, include_private=True,
                               include_drafts=True, fl=["name"])
            names += [r["name"] for r in page["results"]]
            start += 1000
            if start >= page["count"]:
                break
        return [self.action("package_show", id=n) for n in sorted(names)]

    def download(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"Authorization": self.admin_token})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.read()

    # -- mode harvest: ckanext-harvest's sources and runs ------------------------------
    def harvest_source(self, name: str, url: str, source_type: str, organization: str,
                       config: dict | None = None) -> dict:
        return self.action("harvest_source_create", name=name, url=url,
                           source_type=source_type, owner_org=organization,
                           title=name, frequency="MANUAL",
                           config=json.dumps(config or {}))

    def harvest(self, source: str) -> dict:
        """One complete harvest job (gather, fetch, import: ``harvester run-test``,
        which also closes the job); returns that job's stats."""
        # ckanext-harvest 1.6.3 on CKAN 2.12: a finished job re-indexes the
        # source with a dict read with validate=False as its validated form
        # (harvest_source_reindex, `with_custom_schema`), so the cached
        # harvest_source_show lacks source_type and the next run-test fails
        # (KeyError). Re-indexing the source through CKAN first repairs it.
        self.ckan("search-index", "rebuild", source)
        self.ckan("harvester", "run-test", source)
        jobs = self.action("harvest_job_list", source_id=self.action(
            "harvest_source_show", id=source)["id"])
        job = max(jobs, key=lambda j: j["created"])
        assert job["status"] == "Finished", job
        stats = {k: job["stats"].get(k, 0) for k in ("added", "updated", "deleted", "errored",
                                                     "not modified")}
        if stats["errored"]:
            stats["errors"] = self.harvest_errors(job["id"])
        return stats

    def harvest_errors(self, job_id: str) -> list:
        report = self.action("harvest_job_report", id=job_id)
        return [e for e in report.get("gather_errors", [])] + [
            e for errors in report.get("object_errors", {}).values()
            for e in errors.get("errors", [])]


class SourcePortal(NationalPortal):
    """A live SEDIS portal of this project over HTTP (``ckan run``): its uploads
    are validated by this extension, its catalogue served by ckanext-dcat."""

    def __init__(self, workdir: Path, db: str = "ckan_bonos_source"):
        super().__init__(workdir, mode="source", db=db)

    def upload(self, package_id: str, tabla: str, content: bytes, filename: str | None = None):
        import requests
        filename = filename or "%s.csv" % tabla
        answer = requests.post(
            "%s/api/3/action/resource_create" % self.url,
            headers={"Authorization": self.admin_token},
            data={"package_id": package_id, "name": tabla, "tabla": tabla, "url": filename,
                  "format": "CSV"},
            files={"upload": (filename, content, "text/csv")}, timeout=120)
        if answer.status_code != 200:
            raise RuntimeError("resource_create: HTTP %d %s" % (answer.status_code,
                                                               answer.text[:500]))
        return answer.json()["result"]

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=120) as answer:
            return answer.read()
