"""Shared loading for the preview views: the resource's state, its DataStore
columns, and the aggregated data, cached in Redis.

A view asks ``load(resource, view_type, columns, aggregate)`` and gets a
``Loaded``: either ``data`` (what ``aggregate`` returned, JSON-shaped) or a
``problem`` code the template turns into a plain-language message:

- ``pending``: the file is still being validated (background job);
- ``invalid``: the file failed validation (its report has the details);
- ``no_data``: no rows in the DataStore for this resource (not loaded);
- ``missing_columns``: the DataStore table lacks columns the view needs;
- ``empty``: the table has no rows.

The cache key holds the resource id, its last modification, the time of its
last validation and the view type, so a new upload or a new validation gives
a new key. Only locale-independent aggregated data are stored here, so a page
in another language reuses the same entry; the rendered body of a page, per
language and parameters, is cached on top of it by ``fragments``.
"""
from __future__ import annotations

import collections
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Dict, List, Optional, Sequence

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.bonos.uploads import reports

log = logging.getLogger(__name__)

CACHE_PREFIX = "bonos:preview:v2"   # v2: suppressed amounts counted
#: Seconds a cache entry lives. Validated uploads change their key when they
#: change; a DataStore table written by hand (no validation report) may change
#: rows without touching the resource, so its entries expire sooner.
TTL_VALIDATED = 7 * 24 * 3600
TTL_UNVALIDATED = 300

#: Aggregations actually run, per view type (tests and the benchmark read it:
#: a cached render must not add to it).
AGGREGATIONS: collections.Counter = collections.Counter()

PROBLEMS = ("pending", "invalid", "no_data", "missing_columns", "empty")


@dataclass
class Loaded:
    data: Optional[dict] = None
    problem: Optional[str] = None
    missing: List[str] = field(default_factory=list)
    errors: int = 0
    cached: bool = False


def excludes(count: int, shown) -> str:
    """'Excludes 1 suppressed cell' / '... 2 suppressed cells' (``shown``: the
    count as the page writes it)."""
    # flask-babel fills the placeholders itself (and always offers %(num)s)
    return tk.ungettext("Excludes %(n)s suppressed cell", "Excludes %(n)s suppressed cells",
                        count, n=shown)


def _engine():
    from ckanext.datastore.backend.postgres import get_read_engine
    return get_read_engine()


def table_ref(resource_id: str) -> str:
    """The DataStore table of a resource, quoted (ids are CKAN UUIDs)."""
    if not resource_id or '"' in resource_id or "\0" in resource_id:
        raise ValueError("bad resource id")
    return '"%s"' % resource_id


def columns_of(conn, resource_id: str) -> Optional[List[str]]:
    """Column names of the resource's DataStore table; None if it has none."""
    # pg_attribute, not information_schema.columns: same answer, a fifth of the time
    rows = conn.execute(sa.text(
        "SELECT attname FROM pg_attribute "
        "WHERE attrelid = to_regclass(format('%I.%I', 'public', :t)) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"),
        {"t": resource_id}).fetchall()
    return [r[0] for r in rows] if rows else None


def _plain(value):
    """JSON-safe values: Decimals become floats (lempiras with centavos fit)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def data_key(resource: dict, view_type: str, report: Optional[dict]) -> str:
    """What identifies a view's data: the view type, the resource, its last
    modification and the time of its last validation."""
    stamp = resource.get("last_modified") or resource.get("metadata_modified") or ""
    validated = (report or {}).get("fecha_validacion", "none")
    return "%s:%s:%s:%s" % (view_type, resource["id"], stamp, validated)


def ttl_for(report: Optional[dict]) -> int:
    return TTL_VALIDATED if report is not None else TTL_UNVALIDATED


def redis_or_none():
    try:
        return connect_to_redis()
    except Exception:  # a view without a cache is slower, not broken
        log.warning("bonos previews: Redis unavailable, not caching", exc_info=True)
        return None


def forget(resource_id: str) -> int:
    """Delete every cached entry of a resource (its data and rendered bodies,
    all view types); the benchmark's cold runs use it."""
    redis = redis_or_none()
    if redis is None:
        return 0
    keys = [k for pattern in ("%s:*:%s:*" % (CACHE_PREFIX, resource_id),
                              "bonos:preview-html:*:%s:*" % resource_id)
            for k in redis.scan_iter(pattern)]
    return redis.delete(*keys) if keys else 0


def report_state(resource: dict):
    """``(report, problem)``: the resource's validation report (None if it
    has none) and a ``Loaded`` problem if its figures cannot be shown."""
    report = reports.get(resource["id"])
    model.Session.commit()  # reports.get may have begun a transaction; end it
    if report is not None and report.get("estado") == "pendiente":
        return report, Loaded(problem="pending")
    if report is not None and report.get("estado") == "invalido":
        return report, Loaded(problem="invalid", errors=int(report.get("total_errores") or 0))
    return report, None


def load(resource: dict, view_type: str, columns: Sequence[str],
         aggregate: Callable[[object, str, List[str]], dict], report=False) -> Loaded:
    """The view's data for ``resource``, from the cache or by running
    ``aggregate(connection, table_ref, present_columns)`` once.

    ``columns`` are the columns the view cannot do without. ``report``: the
    resource's validation report if the caller already has it (``None``
    included); otherwise it is looked up.
    """
    if report is False:
        report, problem = report_state(resource)
        if problem is not None:
            return problem

    key = "%s:%s" % (CACHE_PREFIX, data_key(resource, view_type, report))
    redis = redis_or_none()
    if redis is not None:
        try:
            hit = redis.get(key)
        except Exception:
            hit, redis = None, None
        if hit:
            stored = json.loads(hit)
            return Loaded(data=stored.get("data"), problem=stored.get("problem"),
                          missing=stored.get("missing", []), cached=True)

    loaded = _aggregate(resource["id"], view_type, columns, aggregate)
    if redis is not None:
        try:
            redis.setex(key, ttl_for(report), json.dumps(
                {"data": loaded.data, "problem": loaded.problem, "missing": loaded.missing},
                separators=(",", ":")))
        except Exception:
            log.warning("bonos previews: could not cache %s", key, exc_info=True)
    return loaded


def _aggregate(resource_id: str, view_type: str, columns: Sequence[str], aggregate) -> Loaded:
    table = table_ref(resource_id)
    with _engine().connect() as conn:
        present = columns_of(conn, resource_id)
        if present is None:
            return Loaded(problem="no_data")
        missing = [c for c in columns if c not in present]
        if missing:
            return Loaded(problem="missing_columns", missing=missing)
        if conn.execute(sa.text("SELECT 1 FROM %s LIMIT 1" % table)).first() is None:
            return Loaded(problem="empty")
        AGGREGATIONS[view_type] += 1
        data = aggregate(conn, table, present)
    return Loaded(data=_plain(data))


# -- periods --------------------------------------------------------------------
def period_key(periodo: str):
    """Sort key of a period code (AAAA, AAAA-Sn, AAAA-Tn, AAAA-MM): by start,
    then the longer period first. Unknown shapes sort last, by text."""
    try:
        year = int(periodo[:4])
        rest = periodo[5:]
        if not rest:
            start, span = 1, 12
        elif rest[0] in "Ss":
            start, span = 1 + 6 * (int(rest[1:]) - 1), 6
        elif rest[0] in "Tt":
            start, span = 1 + 3 * (int(rest[1:]) - 1), 3
        else:
            start, span = int(rest), 1
        return (0, year, start, -span, periodo)
    except (ValueError, IndexError):
        return (1, 0, 0, 0, periodo)


def sorted_periods(periods) -> List[str]:
    return sorted(set(periods), key=period_key)


def group_by(rows, key) -> Dict:
    out: Dict = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out
