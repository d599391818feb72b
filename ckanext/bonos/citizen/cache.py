"""A short-lived Redis cache of the citizen pages' figures.

Every change that can alter a public figure bumps a generation counter, and
cached figures are stored under the generation they were read at, so a bump
makes them unreachable at once: a new summary (or one removed), a publication
updated, deleted, purged or made private (also through the bulk actions),
``ckan bonos cifras rebuild``. Entries also expire after CACHE_SECONDS, as a
safety net for changes made outside CKAN. Without Redis the figures are read
from PostgreSQL every time.
"""
from __future__ import annotations

import functools
import logging
import pickle

import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)
CACHE_SECONDS = 600


def _prefix() -> str:
    return "%s:bonos:cifras" % tk.config.get("ckan.site_id")


def bump() -> None:
    try:
        connect_to_redis().incr(_prefix() + ":generacion")
    except Exception:   # Redis down: nothing cached can be read either
        log.warning("bonos: could not invalidate the citizen figures cache", exc_info=True)


def bump_when_committed(session) -> None:
    """Bump again when the session's outermost transaction ends. For hooks that
    run inside CKAN's own transaction and must leave the commit to it (CKAN
    2.12's package_update runs the dataset hooks inside a savepoint): figures
    read and cached before that commit would otherwise outlive it."""
    session = session() if isinstance(session, scoped_session) else session
    done = []

    def ended(session, transaction):
        if transaction.parent is None and not done:
            done.append(True)
            bump()
    sa.event.listen(session, "after_transaction_end", ended)


def cached_text(name: str, args: tuple, produce) -> str:
    """A rendered part of a page, cached like the figures it is drawn from (same
    generation): a warm page is then one Redis read, not a template render."""
    try:
        redis = connect_to_redis()
        generation = int(redis.get(_prefix() + ":generacion") or 0)
        key = "%s:%d:pagina:%s:%s" % (_prefix(), generation, name, ":".join(map(str, args)))
        hit = redis.get(key)
    except Exception:
        log.warning("bonos: citizen figures cache unavailable", exc_info=True)
        return str(produce())
    if hit is not None:
        return hit.decode("utf-8")
    value = str(produce())
    try:
        redis.set(key, value.encode("utf-8"), ex=CACHE_SECONDS)
    except Exception:
        pass
    return value


def cached(name: str):
    """Cache a figures function of hashable arguments (its value is pickled)."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args):
            try:
                redis = connect_to_redis()
                generation = int(redis.get(_prefix() + ":generacion") or 0)
                key = "%s:%d:%s:%s" % (_prefix(), generation, name, ":".join(map(str, args)))
                hit = redis.get(key)
            except Exception:
                log.warning("bonos: citizen figures cache unavailable", exc_info=True)
                return fn(*args)
            if hit is not None:
                return pickle.loads(hit)
            value = fn(*args)
            try:
                redis.set(key, pickle.dumps(value), ex=CACHE_SECONDS)
            except Exception:
                pass
            return value
        wrapper.uncached = fn
        return wrapper
    return decorate
