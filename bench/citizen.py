#!/usr/bin/env python
"""Benchmark of the citizen pages (/bonos and /bonos/departamento/<codigo>).

Builds, in databases of its own (bench/citizen.ini; created on the first run),
10,000 `bono` publications of execution summaries: one per programme, month
and department for 2019-2025 (3 x 84 x 18 = 4,536) plus 5,464 corrections of
some of them with a later cut-off date, each with a payment history too. The
bulk is written with SQL (package and its extras, two resources, bonos_validacion,
the figure rows in bonos_cifras: one per municipality and one per department,
about 175,000; the payment rows in bonos_pagos: per municipality, payment date,
modality and status, and their department sums), as the upload hook would write
them; two more publications go through the real path (resource_create ->
validation -> DataStore -> bonos_cifras). Then it requests the pages through the
whole WSGI stack in this process and prints the median and p95 server time, cold
(figures cache invalidated before every request) and warm, and each page's
first-visit weight: its HTML plus every asset it loads (stylesheets, scripts,
images), raw and gzipped.

Targets: cold median < 200 ms, p95 < 500 ms; warm median < 30 ms; first visit
<= 100 KB gzipped. A benchmark prints; it does not assert.

    .venv/bin/python bench/citizen.py [--requests 60] [--rebuild-data]

With BONOS_BENCH_SUFFIX=xyz the databases (and Redis db, BONOS_BENCH_REDIS_DB)
are ckan_bonos_bench_citizen_xyz..., so two runs on one machine do not meet.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import ckanenv

CONFIG = ckanenv.BENCH_DIR / "citizen.ini"
SUFFIX = os.environ.get("BONOS_BENCH_SUFFIX", "")
DBS = tuple(db + ("_" + SUFFIX if SUFFIX else "")
            for db in ("ckan_bonos_bench_citizen", "ckan_bonos_bench_citizen_ds"))
PUBLICATIONS = 10_000
PROGRAMMES = ("bono_vida_mejor", "bono_tercera_edad", "bono_discapacidad")
YEARS = range(2019, 2026)
ORG = "bench-sedis"
TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_WARM_MS, TARGET_GZIP_KB = 200.0, 500.0, 30.0, 100.0
PAGES = (("landing", "/bonos"), ("department 08", "/bonos/departamento/08"),
         ("landing (en)", "/en/bonos"), ("municipality 0801", "/bonos/municipio/0801"),
         ("payments 0801", "/bonos/municipio/0801/pagos"))
MODALIDADES = ("bancaria", "ventanilla", "billetera_electronica", "movil")


def config_file() -> Path:
    """bench/citizen.ini, or with a suffix a copy pointing at databases of its own."""
    if not SUFFIX:
        return CONFIG
    path = ckanenv.REPO_DIR / "var" / ("bench-citizen-%s.ini" % SUFFIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    redis_db = os.environ.get("BONOS_BENCH_REDIS_DB", "12")
    path.write_text(
        "[app:main]\nuse = config:%s\nckan.site_id = bonos_bench_citizen_%s\n"
        "sqlalchemy.url = postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/%s\n"
        "ckan.datastore.write_url = postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/%s\n"
        "ckan.datastore.read_url = postgresql://ckan_bonos_ro:ckan_bonos_ro@127.0.0.1:5432/%s\n"
        "ckan.redis.url = redis://127.0.0.1:6379/%s\n"
        "ckan.storage_path = %s\n" % (
            CONFIG, SUFFIX, DBS[0], DBS[1], DBS[1], redis_db,
            ckanenv.REPO_DIR / "var" / "bench-citizen-storage")
        + "\n[loggers]" + CONFIG.read_text().split("[loggers]", 1)[1])
    return path
REAL_SUMMARY = (
    "periodo,departamento_codigo,municipio_codigo,programa,componente,hogares,personas,"
    "monto_programado_hnl,monto_transferido_hnl\n"
    "2026-01,08,0801,bono_vida_mejor,total,1500,5000,4000000,3900000\n"
    "2026-01,08,0802,bono_vida_mejor,total,suprimido,suprimido,suprimido,suprimido\n"
    "2026-01,08,0803,bono_vida_mejor,total,300,1000,810000,800000\n")


def prepare_databases() -> None:
    for db in DBS:
        if ckanenv.psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % db) != "1":
            ckanenv.psql('CREATE DATABASE "%s" OWNER "%s"' % (db, ckanenv.DB_OWNER))
    ckan = Path(sys.executable).with_name("ckan")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CKAN_SQLALCHEMY", "CKAN_DATASTORE", "CKAN_REDIS"))}
    done = subprocess.run([str(ckan), "-c", str(config_file()), "db", "init"], capture_output=True,
                          text=True, cwd=ckanenv.REPO_DIR, env=env)
    if done.returncode != 0:
        raise RuntimeError("ckan db init failed:\n" + done.stdout + done.stderr)
    perms = subprocess.run([str(ckan), "-c", str(config_file()), "datastore", "set-permissions"],
                           capture_output=True, text=True, cwd=ckanenv.REPO_DIR, env=env)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"],
                   input=perms.stdout, capture_output=True, text=True, check=True)


def _sql(statement, rows=None):
    import sqlalchemy as sa
    from ckan import model
    return model.Session.execute(sa.text(statement), rows or {})


def _months():
    return [(y, m) for y in YEARS for m in range(1, 13)]


def build(rng: random.Random) -> None:
    from ckan import model
    from ckan.tests import helpers

    from ckanext.bonos import compat, vocab
    from ckanext.bonos.citizen import payments, store

    site_user = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    try:
        org = helpers.call_action("organization_show", {"ignore_auth": True}, id=ORG)
    except Exception:
        org = helpers.call_action("organization_create",
                                  {"user": site_user, "ignore_auth": True}, name=ORG,
                                  title="SEDIS (benchmark)")
    store.ensure()
    payments.ensure()
    munis = {}
    for m in vocab.municipios().values():
        munis.setdefault(m["departamento_codigo"], []).append(m["codigo"])
    keys = [(p, y, m, d) for p in PROGRAMMES for (y, m) in _months()
            for d in sorted(munis)]
    # corrections (some places and months corrected more than once), later cut-off
    extra = [rng.choice(keys) for _ in range(PUBLICATIONS - len(keys))]
    now = dt.datetime.utcnow()
    packages, extras, resources, reports, figures, paid = [], {}, [], [], [], []
    for index, (programa, year, month, dep) in enumerate(keys + extra):
        correction = index >= len(keys)
        pkg_id, res_id = str(uuid.uuid4()), str(uuid.uuid4())
        periodo = "%d-%02d" % (year, month)
        tipo, start, end = store.period_bounds(periodo)
        corte = end + dt.timedelta(days=30 + rng.randint(1, 90) if correction else 20)
        name = "bench-%s-%s-%s%s" % (programa.replace("_", "-"), periodo, dep,
                                     "-corregida-%d" % index if correction else "")
        packages.append({
            "id": pkg_id, "name": name, "type": "bono", "owner_org": org["id"],
            "title": "%s: ejecución %s, %s%s" % (programa, periodo,
                                                vocab.nombre_departamento(dep),
                                                " (corrección)" if correction else ""),
            "state": "active", "private": False, "metadata_created": now,
            "metadata_modified": now, "license_id": "cc-by"})
        extras[pkg_id] = {"programa": programa, "tipo_publicacion": "resumen_ejecucion",
                          "periodo_inicio": start.isoformat(), "periodo_fin": end.isoformat(),
                          "fecha_corte": corte.isoformat(),
                          "departamentos": '["%s"]' % dep, "umbral_supresion": "5"}
        resources.append({
            "id": res_id, "package_id": pkg_id, "url": "resumen.csv", "format": "CSV",
            "name": "Resumen %s" % periodo, "position": 0, "state": "active",
            "extras": '{"tabla": "resumen_ejecucion"}', "url_type": "upload",
            "created": now, "metadata_modified": now})
        reports.append({"id": res_id})
        pay_id = str(uuid.uuid4())
        resources.append({
            "id": pay_id, "package_id": pkg_id, "url": "pagos.csv", "format": "CSV",
            "name": "Pagos %s" % periodo, "position": 1, "state": "active",
            "extras": '{"tabla": "historial_pagos"}', "url_type": "upload",
            "created": now, "metadata_modified": now})
        reports.append({"id": pay_id})
        records, history = [], []
        for muni in munis[dep]:
            hogares = rng.randint(0, 900)
            records.append({
                "periodo": periodo, "departamento_codigo": dep, "municipio_codigo": muni,
                "programa": programa, "componente": "total",
                "hogares": None if 1 <= hogares < 5 else hogares,
                "personas": None if 1 <= hogares < 5 else hogares * 3,
                "monto_programado_hnl": hogares * 900, "monto_transferido_hnl": hogares * 880})
            # its payments: one date, by modality, a few pending or rescheduled
            day = dt.date(year, month, rng.randint(5, 25))
            for modalidad in MODALIDADES[:rng.randint(2, 4)]:
                n = rng.randint(0, 300)
                history.append({
                    "periodo": periodo, "fecha_pago": day, "departamento_codigo": dep,
                    "municipio_codigo": muni, "programa": programa,
                    "modalidad_pago": modalidad, "estado": "pagado",
                    "transferencias": None if 1 <= n < 5 else n,
                    "monto_hnl": None if 1 <= n < 5 else n * 880})
            pending = rng.choice((0, 0, 0, 3, 12))
            if pending:
                history.append({
                    "periodo": periodo, "fecha_pago": day, "departamento_codigo": dep,
                    "municipio_codigo": muni, "programa": programa,
                    "modalidad_pago": "ventanilla", "estado": "pendiente",
                    "transferencias": None if pending < 5 else pending, "monto_hnl": 0})
        figures.extend(store.rows_from_summary(records, res_id, pkg_id, corte))
        paid.extend(payments.rows_from_history(history, pay_id, pkg_id, corte))
    import sqlalchemy as sa
    for table, rows in (("package", packages), ("resource", resources)):
        cols = list(rows[0])
        stmt = sa.text("INSERT INTO %s (%s) VALUES (%s)" % (
            table, ", ".join(cols), ", ".join(":" + c for c in cols)))
        for i in range(0, len(rows), 5000):
            model.Session.execute(stmt, rows[i:i + 5000])
    compat.write_package_extras(model.Session, extras)   # a table in 2.11, a column in 2.12
    from ckanext.bonos.uploads import reports as validation_reports
    validation_reports.ensure(model.Session)
    model.Session.execute(sa.text(
        "INSERT INTO bonos_validacion (resource_id, estado, report) "
        "VALUES (:id, 'valido', '{\"estado\": \"valido\", \"errores\": []}')"), reports)
    for i in range(0, len(figures), 20000):
        store.insert_rows(figures[i:i + 20000])
    insert_paid = sa.text("INSERT INTO %s (%s) VALUES (%s)" % (
        payments.TABLE, ", ".join(payments.COLUMNS), ", ".join(":" + c for c in payments.COLUMNS)))
    for i in range(0, len(paid), 20000):
        model.Session.execute(insert_paid, paid[i:i + 20000])
    store.packages_changed([p["id"] for p in packages])   # as the dataset hooks do
    model.Session.commit()
    _sql("ANALYZE")
    model.Session.commit()
    print("built: %d publications, %d figure rows, %d payment rows"
          % (len(packages), len(figures), len(paid)))


def real_uploads() -> None:
    """Two publications through the product's own path (validation, DataStore, figures)."""
    from ckan.tests import helpers
    from werkzeug.datastructures import FileStorage

    site_user = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    org = helpers.call_action("organization_show", {"ignore_auth": True}, id=ORG)
    for name, text in (("bench-real-2026-01", REAL_SUMMARY),
                       ("bench-real-2026-01-b", REAL_SUMMARY.replace("1500", "1510"))):
        pkg = helpers.call_action(
            "package_create", {"user": site_user, "ignore_auth": True}, type="bono",
            name=name, title="Real upload %s" % name, owner_org=org["id"],
            programa="bono_vida_mejor", tipo_publicacion="resumen_ejecucion",
            periodo_inicio="2026-01-01", periodo_fin="2026-01-31", fecha_corte="2026-02-20",
            departamentos=["08"], umbral_supresion=5)
        helpers.call_action(
            "resource_create", {"user": site_user, "ignore_auth": True},
            package_id=pkg["id"], name="resumen.csv", tabla="resumen_ejecucion",
            url="resumen.csv", upload=FileStorage(io.BytesIO(text.encode()), "resumen.csv"))


def publications() -> int:
    return int(_sql("SELECT count(*) FROM package WHERE type = 'bono' AND state = 'active'")
               .scalar())


def timed_get(client, url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    body = b"".join(response.response) if hasattr(response, "response") else response.data
    if not str(response.status).startswith("200"):
        raise RuntimeError("%s answered %s" % (url, response.status))
    return elapsed, body


def first_visit(client, body: bytes) -> tuple[list[tuple[str, int, int]], int, int]:
    """Every asset a page loads on a first visit (stylesheets, scripts, images,
    icons), each with its raw and gzipped size; and the totals with the HTML."""
    html = body.decode("utf-8")
    urls = re.findall(r'<link[^>]+href="([^"]+)"', html)
    urls = [u for u in urls if not u.startswith("data:") and re.search(
        r'\.(css|js|png|ico|svg|woff2?)(\?|$)', u)]
    urls += re.findall(r'<script[^>]+src="([^"]+)"', html)
    urls += re.findall(r'<img[^>]+src="([^"]+)"', html)
    out = []
    for url in dict.fromkeys(urls):
        if url.startswith("http") or url.startswith("data:"):
            continue
        data = b"".join(client.get(url).response)
        out.append((url, len(data), len(gzip.compress(data))))
    raw = len(body) + sum(r for _, r, _ in out)
    packed = len(gzip.compress(body)) + sum(g for _, _, g in out)
    return out, raw, packed


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--rebuild-data", action="store_true",
                        help="drop the benchmark databases and build the data again")
    args = parser.parse_args(argv)

    if args.rebuild_data:
        for db in DBS:
            ckanenv.psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
    prepare_databases()
    (ckanenv.REPO_DIR / "var" / "bench-citizen-storage").mkdir(parents=True, exist_ok=True)
    print("load average: %.2f %.2f %.2f" % os.getloadavg())
    with ckanenv.ckan_app(config_file()) as app:
        if publications() < PUBLICATIONS:
            start = time.perf_counter()
            build(random.Random(2024))
            real_uploads()
            print("data built in %.0f s" % (time.perf_counter() - start))
        # as autovacuum would have by now on a server (it is off on some
        # machines): statistics and the visibility map the figure reads' index-only
        # scans rely on (without it, 477 ms instead of 8 ms for the national sums)
        ckanenv.psql("VACUUM ANALYZE bonos_cifras, bonos_pagos", db=DBS[0])
        rows = _sql("SELECT count(*) FROM bonos_cifras").scalar()
        paid_rows = _sql("SELECT count(*) FROM bonos_pagos").scalar()
        print("database: %d active bono publications, %d rows in bonos_cifras, %d in "
              "bonos_pagos" % (publications(), rows, paid_rows))
        from werkzeug.test import Client
        client = Client(app)   # the whole WSGI stack, as a server would call it
        print()
        from ckanext.bonos.citizen import cache
        print("%-20s %-6s %10s %10s %10s %10s %10s %10s" % (
            "page", "cache", "median ms", "p95 ms", "max ms", "HTML KB", "gzip KB", "svg KB"))
        # CKAN writes each asset's tags once per request context, and this process
        # keeps one open: a CKAN page's first response is the one a browser gets.
        first_bodies = {"/dataset/": timed_get(client, "/dataset/")[1]}
        for label, url in PAGES:
            for _ in range(3):               # templates compiled, connections open
                first_bodies.setdefault(url, timed_get(client, url)[1])
            for mode in ("cold", "warm"):
                times, body = [], b""
                for _ in range(args.requests):
                    if mode == "cold":
                        cache.bump()         # figures read from PostgreSQL again
                    ms, body = timed_get(client, url)
                    times.append(ms)
                svg = sum(len(part.split(b"</svg>")[0]) for part in body.split(b"<svg")[1:])
                print("%-20s %-6s %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f" % (
                    label, mode, statistics.median(times), percentile(times, 0.95), max(times),
                    len(body) / 1024, len(gzip.compress(body)) / 1024, svg / 1024))
        print()
        print("targets: cold median < %.0f ms, p95 < %.0f ms; warm median < %.0f ms. cold: the "
              "figures cache invalidated before every request (as after each new "
              "publication); warm: figures from Redis." % (
                  TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_WARM_MS))
        print()
        print("first visit: the HTML as first served plus every asset it loads "
              "(target: <= %.0f KB gzipped)" % TARGET_GZIP_KB)
        print("%-20s %8s %10s %10s %10s" % ("page", "assets", "raw KB", "gzip KB", "HTML gz KB"))
        for label, url in PAGES + (("search (CKAN)", "/dataset/"),):
            body = first_bodies.get(url) or timed_get(client, url)[1]
            assets, raw, packed = first_visit(client, body)
            print("%-20s %8d %10.1f %10.1f %10.1f" % (label, len(assets), raw / 1024,
                                                     packed / 1024,
                                                     len(gzip.compress(body)) / 1024))
            for asset, r, g in assets:
                print("    %-60s %8.1f %8.1f" % (asset[:60], r / 1024, g / 1024))
        print("load average: %.2f %.2f %.2f" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
