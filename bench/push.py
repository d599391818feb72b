#!/usr/bin/env python
"""Push benchmark: ``ckan bonos push`` against ``ckanapi load datasets``.

Builds (once; later runs reuse it) a source portal with N publications of 3
validated summary tables each (default 1,000 x 3), in its own databases
(``ckan_bonos_bench_push`` and its DataStore ``ckan_bonos_bench_push_ds``).
Starts a fresh national portal (a real CKAN process, plain CKAN +
bonos_pgsearch, database ``ckan_bonos_bench_push_target``), then times, in
one run and on that one target:

1. the first push (link mode: resources point at the source's files),
2. the no-op re-push (nothing changed),
3. ``ckanapi load datasets`` of the same mapped datasets (JSON lines, the
   same documents the push writes, in a second organization of the same
   target under another name prefix), and
4. the same ``ckanapi load datasets`` again (re-load, nothing changed).

Targets: no-op re-push at least 20 x faster than ckanapi's re-load; first
push no slower than 1.2 x ckanapi's first load. A benchmark, not a test:
missed targets are reported, not failed.

    .venv/bin/python bench/push.py                       # 1,000 publications
    .venv/bin/python bench/push.py --publications 200    # quicker
    .venv/bin/python bench/push.py --rebuild-data        # build the source again
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))

from tests.sync.national import NationalPortal, fresh_database, psql  # noqa: E402

import ckanenv  # noqa: E402

SOURCE_DB = "ckan_bonos_bench_push"
TARGET_DB = "ckan_bonos_bench_push_target"
WORK = REPO / "var" / "bench-push"
TOKEN_ENV = "BONOS_PUSH_BENCH_TOKEN"
TABLES = ("resumen_ejecucion", "historial_pagos", "indicadores")
TARGET_NOOP_SPEEDUP = 20.0
TARGET_FIRST_RATIO = 1.2

SOURCE_INI = """[app:main]
use = config:{repo}/test.ini
ckan.site_id = bonos_bench_push
ckan.site_url = http://sedis.example.org
sqlalchemy.url = postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/{db}
ckan.datastore.write_url = postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/{db}_ds
ckan.datastore.read_url = postgresql://ckan_bonos_ro:ckan_bonos_ro@127.0.0.1:5432/{db}_ds
ckan.redis.url = redis://127.0.0.1:6379/5
ckan.storage_path = {storage}
ckanext.bonos.push.targets = bench capi

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
format = %(levelname)s [%(name)s] %(message)s
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publications", type=int, default=1000)
    parser.add_argument("--rebuild-data", action="store_true",
                        help="drop the source databases and build the publications again")
    return parser.parse_args(argv)


def say(text: str) -> None:
    print(text, flush=True)


# -- source --------------------------------------------------------------------
def source_ini() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    ini = WORK / "source.ini"
    ini.write_text(SOURCE_INI.format(repo=REPO, db=SOURCE_DB,
                                     storage=WORK / "source-storage"))
    return ini


def prepare_source_databases(fresh: bool) -> bool:
    """Create the databases (fresh: drop first). True if they were created."""
    exists = psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % SOURCE_DB) == "1"
    if exists and not fresh:
        return False
    fresh_database(SOURCE_DB)
    fresh_database(SOURCE_DB + "_ds")
    return True


def init_source(ini: Path) -> None:
    ckan = Path(sys.executable).with_name("ckan")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    for args in (["db", "init"], ["db", "upgrade", "-p", "bonos_pgsearch"],
                 ["db", "upgrade", "-p", "bonos"]):
        subprocess.run([str(ckan), "-c", str(ini), *args], check=True, cwd=REPO, env=env,
                       capture_output=True)
    grants = subprocess.run([str(ckan), "-c", str(ini), "datastore", "set-permissions"],
                            check=True, cwd=REPO, env=env, capture_output=True, text=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"],
                   input=grants.stdout, text=True, check=True, capture_output=True)


def year_of(n: int) -> int:
    """Publication n's year: 25 years, 40 publications each. Publications of a
    programme whose periods overlap are audited together on every upload (an
    outsider reads them together), so 1,000 of one year would make the build
    quadratic, and no portal publishes so."""
    return 2000 + n % 25


def csv_for(tabla: str, n: int) -> bytes:
    from tests.validation import samples
    year = str(year_of(n))
    rows = [[year + cell[4:] if cell.startswith("2023") else cell for cell in r]
            for r in samples.ROWS[tabla]]
    column = {"resumen_ejecucion": "hogares", "historial_pagos": "transferencias",
              "indicadores": "valor"}[tabla]
    rows[0][samples.HEADERS[tabla].index(column)] = str(1000 + n)   # each file differs
    return samples.csv_bytes(tabla, rows)


def build_publications(count: int, **fields) -> None:
    """``fields``: more of each publication's fields (bench/harvest.py gives a
    contact e-mail, which a datos.gob.hn-like schema requires)."""
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = lambda: {"user": site_user}   # noqa: E731
    try:
        tk.get_action("organization_show")(ctx(), {"id": "sedis"})
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(ctx(), {"name": "sedis", "title": "SEDIS"})
    have = tk.get_action("package_search")(ctx(), {"fq": "+dataset_type:bono", "rows": 0})
    start = time.monotonic()
    for n in range(have["count"], count):
        pkg = tk.get_action("package_create")(ctx(), dict(
            type="bono", name="bvm-%04d" % n, title="Bono Vida Mejor: publicación %d" % n,
            owner_org="sedis", programa="bono_vida_mejor",
            tipo_publicacion="resumen_ejecucion", periodo_inicio="%d-01-01" % year_of(n),
            periodo_fin="%d-12-31" % year_of(n), departamentos=["08", "05"],
            componentes=["educacion"], frecuencia="anual", umbral_supresion=5,
            notes="Publicación sintética del benchmark.", tags=[{"name": "transferencias"}],
            **fields))
        for tabla in TABLES:
            tk.get_action("resource_create")(ctx(), {
                "package_id": pkg["id"], "name": tabla, "tabla": tabla, "format": "CSV",
                "url": tabla + ".csv",
                "upload": FileStorage(io.BytesIO(csv_for(tabla, n)), tabla + ".csv")})
        if (n + 1) % 100 == 0:
            say("  source: %d publications (%.0f s)" % (n + 1, time.monotonic() - start))


# -- the run -------------------------------------------------------------------------
def configure_target(name: str, portal: NationalPortal, org: str, prefix: str) -> None:
    from ckan.common import config
    from ckanext.bonos.sync import targets
    for key, value in {"url": portal.url, "token_env": TOKEN_ENV, "organization": org,
                       "prefix": prefix, "mode": "ckan", "resources": "link",
                       "withdraw": "delete"}.items():
        config[targets.PREFIX % (name, key)] = value


def ckanapi_load(portal: NationalPortal, jsonl: Path, token: str) -> tuple[float, str]:
    ckanapi = Path(sys.executable).with_name("ckanapi")
    cmd = [str(ckanapi), "load", "datasets", "-I", str(jsonl), "-r", portal.url,
           "-a", token, "-q"]
    shown = " ".join(cmd).replace(token, "$TOKEN")
    start = time.monotonic()
    # ckanapi starts its worker processes as "ckanapi" from PATH.
    env = dict(os.environ, PATH="%s:%s" % (ckanapi.parent, os.environ.get("PATH", "")))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - start
    if done.returncode:
        raise RuntimeError("ckanapi load failed (%d): %s" % (done.returncode,
                                                             done.stderr[-2000:]))
    return seconds, shown


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    ini = source_ini()
    if prepare_source_databases(args.rebuild_data):
        say("source databases created: %s, %s_ds" % (SOURCE_DB, SOURCE_DB))
    init_source(ini)

    portal = NationalPortal(WORK / "target", mode="ckan", db=TARGET_DB)
    say("target: fresh national portal (plain CKAN + bonos_pgsearch) in %s" % TARGET_DB)
    portal.create()
    portal.start()
    try:
        with ckanenv.ckan_app(ini):
            from ckan import model
            from ckanext.bonos.sync import mapping, source, targets
            from ckanext.bonos.sync.push import push

            start = time.monotonic()
            build_publications(args.publications)
            say("source: %d publications x %d tables ready (%.0f s)"
                % (args.publications, len(TABLES), time.monotonic() - start))
            os.environ[TOKEN_ENV] = portal.new_token("bench")["token"]
            token = os.environ[TOKEN_ENV]
            portal.action("organization_create", name="sedis-push")
            portal.action("organization_create", name="sedis-ckanapi")
            configure_target("bench", portal, "sedis-push", "sedis-")
            configure_target("capi", portal, "sedis-ckanapi", "capi-")

            say("\ncommand: ckan -c %s bonos push --target bench   (in process)" % ini)
            first = push(targets.get("bench"))
            noop = push(targets.get("bench"))
            for report, what in ((first, "first push"), (noop, "no-op re-push")):
                if not report["ok"]:
                    say("%s failed: %s" % (what, report["failures"][:3]))
                    return 1
            say("  first push : %7.2f s  %s, calls %s" % (first["duration_s"],
                                                          first["counts"], first["calls"]))
            say("  no-op push : %7.2f s  %s, calls %s" % (noop["duration_s"],
                                                          noop["counts"], noop["calls"]))

            # The same mapped datasets, for ckanapi, in the second organization.
            capi = targets.get("capi")
            jsonl = WORK / "datasets.jsonl"
            stamp = mapping.with_push_time
            with open(jsonl, "w") as out:
                for pub in source.read():
                    mapped = stamp(mapping.map_publication(pub, capi), first["started_at"])
                    out.write(json.dumps(mapped, ensure_ascii=False) + "\n")
            model.Session.rollback()
        load_first, cmd = ckanapi_load(portal, jsonl, token)
        load_again, _ = ckanapi_load(portal, jsonl, token)
        say("\ncommand: %s   (twice)" % cmd)
        say("  first load : %7.2f s" % load_first)
        say("  re-load    : %7.2f s" % load_again)
        pushed = portal.action("package_search", fq='organization:"sedis-push"', rows=0)
        loaded = portal.action("package_search", fq='organization:"sedis-ckanapi"', rows=0)
        say("  datasets on the target: push %d, ckanapi %d" % (pushed["count"],
                                                              loaded["count"]))

        speedup = load_again / noop["duration_s"]
        ratio = first["duration_s"] / load_first
        say("\n%d publications x %d resources" % (args.publications, len(TABLES)))
        say("%-34s %8s %8s" % ("", "push", "ckanapi"))
        say("%-34s %8.2f %8.2f" % ("first (s)", first["duration_s"], load_first))
        say("%-34s %8.2f %8.2f" % ("again, nothing changed (s)", noop["duration_s"],
                                   load_again))
        say("no-op: push %.1f x faster than ckanapi re-load (target >= %.0f x): %s"
            % (speedup, TARGET_NOOP_SPEEDUP, "met" if speedup >= TARGET_NOOP_SPEEDUP
               else "MISSED"))
        say("first: push / ckanapi = %.2f (target <= %.1f): %s"
            % (ratio, TARGET_FIRST_RATIO, "met" if ratio <= TARGET_FIRST_RATIO else "MISSED"))
    finally:
        portal.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
