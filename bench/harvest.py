#!/usr/bin/env python
"""Harvest benchmark: a national portal pulls N publications x 3 files with
ckanext-harvest, beside the push of the same publications into it.

The source is bench/push.py's (same build: N `bono` publications of 3
validated summary tables, through the real upload validation), in databases
of its own (``ckan_bonos_bench_harvest`` and ``_ds``, with the
BONOS_NATIONAL_PREFIX in front), served over HTTP by ``ckan run`` with the
DCAT catalogue (``dcat bonos_dcat``). A fresh national portal
(tests/sync/national.py, mode ``harvest``: ckanext-harvest, ckanext-dcat, the
datos.gob.hn-like schema) then, each in its own organization:

1. harvests with ``dcat_rdf_harvester`` (/catalog.ttl), twice;
2. harvests with ``ckan_harvester``, twice;
3. receives ``ckan bonos push`` (mode ckan, link), twice.

Harvest times are the job's own (gather started -> finished, from
harvest_job_list); ``harvester run-test`` adds a CKAN start-up of a few
seconds, printed apart. A benchmark, not a test: figures are printed.

    .venv/bin/python bench/harvest.py                    # 1,000 publications
    .venv/bin/python bench/harvest.py --publications 100 # quicker
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH_DIR))

from tests.sync.national import (NationalPortal, free_port, private_names,  # noqa: E402
                                 _env)

import ckanenv  # noqa: E402
import push as push_bench  # noqa: E402

SOURCE_DB = private_names("ckan_bonos_bench_harvest")
TARGET_DB = private_names("ckan_bonos_bench_harvest_target")
WORK = REPO / "var" / "bench-harvest"
TOKEN_ENV = "BONOS_HARVEST_BENCH_TOKEN"
EXTRA = """ckan.plugins = bonos scheming_datasets datastore bonos_pgsearch dcat bonos_dcat
ckanext.dcat.rdf.profiles = bonos_dcat_ap_3
ckan.site_url = http://127.0.0.1:{port}
ckanext.bonos.push.targets = bench
"""


def say(text: str) -> None:
    print(text, flush=True)


def load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def source_ini(port: int) -> Path:
    push_bench.WORK, push_bench.SOURCE_DB = WORK, SOURCE_DB
    ini = push_bench.source_ini()
    text = ini.read_text().replace("ckan.site_url = http://sedis.example.org\n", "")
    text = text.replace("ckanext.bonos.push.targets = bench capi\n", EXTRA.format(port=port))
    text = text.replace("ckan.site_id = bonos_bench_push", "ckan.site_id = bonos_bench_harvest")
    text = text.replace("ckan.redis.url = redis://127.0.0.1:6379/5", "ckan.redis.url = " + os.environ.get(
        "BONOS_NATIONAL_REDIS_URL", "redis://127.0.0.1:6379/5"))
    ini.write_text(text)
    return ini


def job_seconds(portal: NationalPortal, source: str) -> float:
    jobs = portal.action("harvest_job_list", source_id=portal.action(
        "harvest_source_show", id=source)["id"])
    job = max(jobs, key=lambda j: j["created"])
    start = dt.datetime.fromisoformat(job["gather_started"])
    return (dt.datetime.fromisoformat(job["finished"]) - start).total_seconds()


def timed_harvest(portal: NationalPortal, source: str):
    clock = time.monotonic()
    stats = portal.harvest(source)
    return stats, job_seconds(portal, source), time.monotonic() - clock


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publications", type=int, default=1000)
    parser.add_argument("--rebuild-data", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    # the databases are named in the source's ini (with the private prefix);
    # CKAN_* overrides would point this process elsewhere than `ckan run`
    for key in [k for k in os.environ if k.startswith("CKAN_")]:
        os.environ.pop(key)
    port = free_port()
    ini = source_ini(port)
    if push_bench.prepare_source_databases(args.rebuild_data):
        say("source databases created: %s, %s_ds" % (SOURCE_DB, SOURCE_DB))
    push_bench.init_source(ini)
    say("load average before: %s" % load())
    with ckanenv.ckan_app(ini):
        return run(args, ini, port)


def run(args, ini: Path, port: int) -> int:
    start = time.monotonic()
    push_bench.build_publications(args.publications, maintainer="Transparencia SEDIS",
                                  maintainer_email="transparencia@sedis.example")
    say("source: %d publications x 3 tables ready (%.0f s)"
        % (args.publications, time.monotonic() - start))
    from ckan import model
    model.Session.remove()
    ckan = Path(sys.executable).with_name("ckan")
    log = open(WORK / "source.log", "ab")
    server = subprocess.Popen([str(ckan), "-c", str(ini), "run", "-H", "127.0.0.1", "-p",
                               str(port), "-r"], cwd=REPO, env=_env(), stdout=log, stderr=log,
                              start_new_session=True)
    national = NationalPortal(WORK / "national", mode="harvest", db=TARGET_DB)
    say("national portal: fresh, mode harvest, database %s" % TARGET_DB)
    national.create().start()
    rows = []
    try:
        src_url = "http://127.0.0.1:%d" % port
        for _ in range(300):
            try:
                national.download(src_url + "/api/3/action/status_show")
                break
            except OSError:
                time.sleep(0.3)
        for kind, source_type, url, config in (
                ("dcat", "dcat_rdf", src_url + "/catalog.ttl", {"rdf_format": "text/turtle"}),
                ("ckan", "ckan", src_url, {})):
            org = "sedis-" + kind
            national.action("organization_create", name=org)
            national.harvest_source("bench-" + kind, url, source_type, org, config)
            first = timed_harvest(national, "bench-" + kind)
            again = timed_harvest(national, "bench-" + kind)
            say("%s harvester: first %s %.1f s (job) %.1f s (command); again %s %.1f s "
                "(job) %.1f s (command)" % (kind, first[0], first[1], first[2], again[0],
                                            again[1], again[2]))
            rows.append(("%s_harvester" % ("dcat_rdf" if kind == "dcat" else kind),
                         first[1], again[1], first[2] - first[1]))
        from ckan.common import config
        from ckanext.bonos.sync import targets
        from ckanext.bonos.sync.push import push
        national.action("organization_create", name="sedis-push")
        os.environ[TOKEN_ENV] = national.new_token("bench")["token"]
        for key, value in {"url": national.url, "token_env": TOKEN_ENV,
                           "organization": "sedis-push", "prefix": "p-", "mode": "ckan",
                           "resources": "link"}.items():
            config[targets.PREFIX % ("bench", key)] = value
        first = push(targets.get("bench"))
        again = push(targets.get("bench"))
        say("push: first %s %.1f s; again %s %.1f s" % (
            first["counts"], first["duration_s"], again["counts"], again["duration_s"]))
        if not first["ok"]:
            say("push failures: %s" % first["failures"][:3])
        rows.append(("ckan bonos push", first["duration_s"], again["duration_s"], 0.0))
        say("\n%d publications x 3 files; load average after: %s" % (args.publications, load()))
        say("%-22s %12s %16s" % ("", "first (s)", "again, no-op (s)"))
        for name, a, b, _ in rows:
            say("%-22s %12.1f %16.1f" % (name, a, b))
        say("(harvest: the job's own time; each `harvester run-test` also starts CKAN, "
            "about %.1f s)" % (sum(r[3] for r in rows[:2]) / 2))
    finally:
        national.kill()
        os.killpg(server.pid, 9)
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
