"""CKAN in this process, on the benchmarks' own database.

Benchmarks read bench/bench.ini: test.ini with a database (ckan_bonos_bench)
and site id of its own. The tests' ``clean_db`` fixture drops every table of
the test database, so sharing it would wipe the benchmark data, and a
benchmark's 10,000 datasets would slow every test down.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
CONFIG = BENCH_DIR / "bench.ini"
DB_OWNER = "ckan_bonos"   # created by the project's service set-up
# BONOS_BENCH_DB: another database name, so that two people benchmarking on
# one machine do not share (or drop) one; CKAN reads CKAN_SQLALCHEMY_URL
# before bench.ini, here and in the `ckan` commands started from here.
DB_NAME = os.environ.get("BONOS_BENCH_DB", "ckan_bonos_bench")
if "BONOS_BENCH_DB" in os.environ:
    os.environ["CKAN_SQLALCHEMY_URL"] = (
        "postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/%s" % DB_NAME)


def psql(sql: str, db: str = "postgres", user: str = "postgres") -> str:
    """Run one SQL statement with psql; return its unaligned output."""
    cmd = ["psql", "-h", "127.0.0.1", "-U", user, "-d", db,
           "-v", "ON_ERROR_STOP=1", "-qtAc", sql]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("psql failed (%s): %s" % (sql, done.stderr.strip()))
    return done.stdout.strip()


def database_exists() -> bool:
    return psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % DB_NAME) == "1"


def create_database(fresh: bool = False) -> None:
    """Create the benchmark database if missing; drop it first if ``fresh``."""
    if fresh and database_exists():
        psql('DROP DATABASE "%s" WITH (FORCE)' % DB_NAME)
    if not database_exists():
        psql('CREATE DATABASE "%s" OWNER "%s"' % (DB_NAME, DB_OWNER))


def count_active_datasets() -> int | None:
    """Active datasets in the benchmark database, None if it has no CKAN tables."""
    has_table = psql("SELECT to_regclass('public.package') IS NOT NULL",
                     db=DB_NAME, user=DB_OWNER)
    if has_table != "t":
        return None
    return int(psql("SELECT count(*) FROM package "
                    "WHERE state = 'active' AND type = 'dataset'",
                    db=DB_NAME, user=DB_OWNER))


def init_schema(config: Path = CONFIG) -> None:
    """Core tables and the search backend's table (both idempotent), through
    the same commands an administrator runs."""
    ckan = Path(sys.executable).with_name("ckan")
    for args in (["db", "init"], ["db", "upgrade", "-p", "bonos_pgsearch"]):
        done = subprocess.run([str(ckan), "-c", str(config), *args],
                              capture_output=True, text=True, cwd=REPO_DIR)
        if done.returncode != 0:
            raise RuntimeError("ckan %s failed:\n%s%s"
                               % (" ".join(args), done.stdout, done.stderr))


@contextlib.contextmanager
def ckan_app(config: Path = CONFIG):
    """Load CKAN (plugins included) and keep a request context open, as
    CKAN's own pytest set-up does (ckan/tests/pytest_ckan/ckan_setup.py):
    actions and helpers may look at the current request or user."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(str(config)))
    flask_app = getattr(app, "_wsgi_app", None) or app.apps["flask_app"]._wsgi_app
    with flask_app.test_request_context():
        yield app
