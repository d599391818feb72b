#!/usr/bin/env python
"""Search benchmark for the PostgreSQL search backend (bonos_pgsearch).

Builds 10,000 realistic Spanish datasets (once; later runs reuse them), times a
full ``search-index rebuild`` and a mix of 250+ ``package_search`` calls made
in this process, and prints p50/p95 latency against the project's targets.
It is a benchmark, not a test: missed targets are reported, not failed; the
exit status is non-zero only when something raised an error.

    .venv/bin/python bench/search.py                  # reuse data, rebuild, query
    .venv/bin/python bench/search.py --skip-rebuild   # queries only (fast loop)
    .venv/bin/python bench/search.py --rebuild-data   # drop and rebuild the data
"""
from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import statistics
import sys
import time

import sqlalchemy as sa
from ckan import model
from ckan.common import config
from ckan.lib import search
from ckan.logic import get_action
from ckanext.bonos.pgsearch import storage

import ckanenv
import search_data
import search_load
import search_queries
from backendclock import BackendClock

TARGET_P50_MS = 10.0
TARGET_P95_MS = 40.0
TARGET_REBUILD_RATE = 250.0   # datasets per second
SLOWEST_SHOWN = 10


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000,
                        help="how many datasets to build (default 10000)")
    parser.add_argument("--rebuild-data", action="store_true",
                        help="drop the benchmark database and build the data again")
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="skip the timed index rebuild when the index is complete")
    parser.add_argument("--clear", action="store_true",
                        help="clear the index before the rebuild (search-index rebuild -c)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed passes over the mix; a query's time is its median")
    parser.add_argument("--category", action="append", default=[],
                        help="time only this query category (repeatable)")
    parser.add_argument("--show-zero", action="store_true",
                        help="list the queries that found nothing")
    return parser.parse_args(argv)


def say(text: str = "") -> None:
    print(text, flush=True)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def load_average() -> str:
    # the machine has 2 cores: other work running at the same time shows here
    return "load average %.2f %.2f %.2f" % os.getloadavg()


# -- data and index -------------------------------------------------------------

def prepare_database(args) -> bool:
    """Create the database and schema; True if the datasets must be built."""
    ckanenv.create_database(fresh=args.rebuild_data)
    present = ckanenv.count_active_datasets()
    if present not in (None, 0, args.datasets):
        say("database holds %d datasets, not %d: starting it afresh"
            % (present, args.datasets))
        ckanenv.create_database(fresh=True)
        present = None
    ckanenv.init_schema()
    return present != args.datasets


def build_data(datasets: list[dict]) -> None:
    started = time.perf_counter()
    search_load.load(datasets)
    say("data: %d datasets written in %.1f s (bulk insert, not indexed)"
        % (len(datasets), time.perf_counter() - started))


def describe_data(datasets: list[dict]) -> None:
    say("datasets: %d (%d private), %d resources, %d distinct tags, %d organizations"
        % (len(datasets), sum(1 for d in datasets if d["private"]),
           sum(len(d["resources"]) for d in datasets),
           len({t for d in datasets for t in d["tags"]}),
           len(search_data.ORGANIZATIONS)))


def indexed_count() -> int:
    storage.create(model.Session)   # the table may have been dropped (idempotent)
    sql = "SELECT count(*) FROM %s WHERE site_id = :site" % storage.TABLE
    value = model.Session.execute(sa.text(sql), {"site": config["ckan.site_id"]}).scalar()
    model.Session.commit()
    return int(value)


def time_rebuild(total: int, clear: bool, clock: BackendClock) -> None:
    """What `ckan search-index rebuild` runs (ckan/cli/search_index.py)."""
    before = indexed_count()
    in_backend = clock.read("add")
    cpu_before = os.times()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    search.rebuild(defer_commit=True, quiet=True, clear=clear)
    search.commit()
    seconds = time.perf_counter() - started
    cpu = os.times()
    in_backend = clock.read("add") - in_backend
    rate = total / seconds
    say("rebuild: %d datasets in %.1f s = %.0f datasets/s  (target >= %.0f/s: %s)"
        % (total, seconds, rate, TARGET_REBUILD_RATE,
           verdict(rate >= TARGET_REBUILD_RATE)))
    say("  into %s" % ("an empty index" if before == 0 and not clear else
                       "an index cleared first" if clear else
                       "an index of %d documents (each one replaced)" % before))
    say("  load average %.2f before, %.2f after (2 cores: above ~0.5 before, "
        "another process shares them)" % (load_before, os.getloadavg()[0]))
    # Python CPU of this process and of the forked rebuild workers: unlike
    # wall time, it hardly moves when other processes load the machine.
    python_cpu = ((cpu.user + cpu.system + cpu.children_user + cpu.children_system)
                  - (cpu_before.user + cpu_before.system
                     + cpu_before.children_user + cpu_before.children_system))
    say("  Python CPU: %.1f s = %.2f ms per dataset (PostgreSQL's own CPU not "
        "included)" % (python_cpu, 1000 * python_cpu / total))
    if in_backend:
        say("  of which %.1f s (%.0f%%) in the backend's add(); the rest is CKAN's "
            "package_show and index documents" % (in_backend, 100 * in_backend / seconds))
    else:
        say("  (the backend's add() ran in the forked workers, where this clock "
            "does not reach)")


def vacuum_index() -> None:
    """The steady state autovacuum reaches a minute after a rebuild on a real
    portal: a rebuild over an existing index leaves one dead row per dataset
    (scans then read twice the rows) and planner statistics are stale. Without
    this, timings would depend on when autovacuum happens to run."""
    ckanenv.psql("VACUUM ANALYZE %s" % storage.TABLE,
                 db=ckanenv.DB_NAME, user=ckanenv.DB_OWNER)


# -- queries --------------------------------------------------------------------

def run_query(query: search_queries.Query, clock: BackendClock) -> dict:
    """One package_search call: total and backend milliseconds, hits, error."""
    context = {"user": search_load.ADMIN if query.as_admin else ""}
    if query.for_view:
        context["for_view"] = True
    params = copy.deepcopy(query.params)   # package_search edits its data_dict
    action = get_action("package_search")
    in_backend = clock.read("search")
    count, error = None, None
    started = time.perf_counter()
    try:
        count = action(context, params)["count"]
    except Exception as e:   # a benchmark reports errors, then exits non-zero
        error = "%s: %s" % (type(e).__name__, e)
    elapsed = time.perf_counter() - started
    # end of the "request": a web worker releases its session the same way
    model.Session.remove()
    return {"ms": elapsed * 1000, "backend_ms": (clock.read("search") - in_backend) * 1000,
            "count": count, "error": error}


def run_mix(queries: list, repeat: int, clock: BackendClock) -> list[dict]:
    started = time.perf_counter()
    for query in queries:            # warm-up pass: caches, plans, connections
        run_query(query, clock)
    say("  warm-up pass: %.1f s" % (time.perf_counter() - started))
    runs = [[] for _ in queries]
    for n in range(repeat):
        started = time.perf_counter()
        for i, query in enumerate(queries):
            runs[i].append(run_query(query, clock))
        say("  timed pass %d: %.1f s, %s" % (n + 1, time.perf_counter() - started,
                                             load_average()))
    return [_summarise(q, r) for q, r in zip(queries, runs)]


def _summarise(query, runs: list[dict]) -> dict:
    return {"query": query,
            "ms": statistics.median(r["ms"] for r in runs),
            "backend_ms": statistics.median(r["backend_ms"] for r in runs),
            "count": runs[-1]["count"], "error": runs[-1]["error"]}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))   # ceil
    return ordered[int(rank) - 1]


def check_index_complete(total: int, clock: BackendClock) -> bool:
    """Everything rebuilt must be findable: a sysadmin sees all datasets."""
    probe = search_queries.Query("check", {"rows": 0, "include_private": True},
                                 as_admin=True)
    result = run_query(probe, clock)
    ok = result["error"] is None and result["count"] == total
    say("index check: sysadmin finds %s of %d datasets%s"
        % (result["count"], total,
           "" if ok else "  <-- MISMATCH %s" % (result["error"] or "")))
    return ok


# -- report ---------------------------------------------------------------------

def describe(query: search_queries.Query) -> str:
    who = "sysadmin" if query.as_admin else "anonymous"
    return "[%s, %s] %s" % (query.category, who,
                            json.dumps(query.params, ensure_ascii=False, sort_keys=True))


def report_latency(results: list[dict]) -> None:
    say("latency (ms)            n     p50     p95     max   backend p50   zero hits")
    categories = list(dict.fromkeys(r["query"].category for r in results))
    for name in ["all"] + categories:
        rows = [r for r in results if name == "all" or r["query"].category == name]
        times = [r["ms"] for r in rows]
        say("  %-18s %4d %7.1f %7.1f %7.1f   %11.1f   %d" % (
            name, len(rows), percentile(times, 50), percentile(times, 95), max(times),
            percentile([r["backend_ms"] for r in rows], 50),
            sum(1 for r in rows if r["count"] == 0)))


def report_targets(results: list[dict]) -> None:
    times = [r["ms"] for r in results]
    p50, p95 = percentile(times, 50), percentile(times, 95)
    say("targets: p50 %.1f ms <= %.0f ms: %s;  p95 %.1f ms <= %.0f ms: %s" % (
        p50, TARGET_P50_MS, verdict(p50 <= TARGET_P50_MS),
        p95, TARGET_P95_MS, verdict(p95 <= TARGET_P95_MS)))


def slowest_distinct(results: list[dict], how_many: int) -> list[dict]:
    """The slowest queries, each set of parameters once (the mix repeats the
    most common page loads, which would otherwise fill the whole list)."""
    seen, out = set(), []
    for r in sorted(results, key=lambda r: -r["ms"]):
        key = (r["query"].as_admin, json.dumps(r["query"].params, sort_keys=True))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out[:how_many]


def report_queries(results: list[dict], show_zero: bool) -> None:
    say("slowest %d distinct queries (total ms / in backend ms / hits):" % SLOWEST_SHOWN)
    for r in slowest_distinct(results, SLOWEST_SHOWN):
        say("  %8.1f / %8.1f / %5s  %s"
            % (r["ms"], r["backend_ms"], r["count"], describe(r["query"])))
    zero = [r for r in results if r["count"] == 0]
    say("queries with no result: %d of %d" % (len(zero), len(results)))
    for r in zero if show_zero else []:
        say("  %s" % describe(r["query"]))
    errors = [r for r in results if r["error"]]
    say("errors: %d" % len(errors))
    for r in errors:
        say("  %s\n      -> %s" % (describe(r["query"]), r["error"]))


# -- main -------------------------------------------------------------------------

def index_and_query(args, datasets: list[dict], clock: BackendClock) -> tuple[bool, list]:
    if args.skip_rebuild and indexed_count() == args.datasets:
        say("rebuild: skipped (--skip-rebuild; the index holds every dataset)")
    else:
        time_rebuild(args.datasets, args.clear, clock)
    vacuum_index()
    complete = check_index_complete(args.datasets, clock)
    queries = search_queries.build(datasets)
    if args.category:
        queries = [q for q in queries if q.category in args.category]
    say("queries: %d, one warm-up pass then %d timed pass(es), package_search "
        "in-process; %s" % (len(queries), args.repeat, load_average()))
    return complete, run_mix(queries, args.repeat, clock)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING,
                        format="%(levelname)s [%(name)s] %(message)s")
    say("== bonos_pgsearch search benchmark (%s, database %s) =="
        % (ckanenv.CONFIG.relative_to(ckanenv.REPO_DIR), ckanenv.DB_NAME))
    must_build = prepare_database(args)
    datasets = search_data.generate(args.datasets)
    with ckanenv.ckan_app(), BackendClock().installed() as clock:
        if must_build:
            build_data(datasets)
        else:
            say("data: reusing the %d datasets already in the database" % args.datasets)
        describe_data(datasets)
        complete, results = index_and_query(args, datasets, clock)
    if not results:
        say("no query matched --category %s" % args.category)
        return 1
    report_latency(results)
    report_targets(results)
    report_queries(results, args.show_zero)
    return 0 if complete and not any(r["error"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
