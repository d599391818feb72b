"""A short-lived Redis cache of the citizen pages' figures.

Every change that can alter a public figure bumps a generation counter once it
is committed, and cached figures are stored under the generation they were read
at, so a bump makes them unreachable at once: a new summary (or one removed), a publication
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


_PENDING = "bonos_cifras_bump"     # session.info: a change awaits its commit


def bump_after_commit(session) -> None:
    """Bump when the session's transaction commits, never before: a reader
    that took the new generation before the commit would cache the old rows
    under it. Nothing is bumped when the transaction rolls back. For CKAN's
    session (the dataset hooks run inside its transaction, in CKAN 2.12 inside
    a savepoint) and for a session of our own alike."""
    session = session() if isinstance(session, scoped_session) else session
    session.info[_PENDING] = True


@sa.event.listens_for(sa.orm.Session, "after_commit")
def _committed(session) -> None:
    # SQLAlchemy says "after_commit" for a savepoint released too (CKAN 2.12's
    # package_update releases one before it commits): not visible to others yet
    if session.in_nested_transaction():
        return
    if session.info.pop(_PENDING, None):
        bump()


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    # after_commit came first if it committed; otherwise it was rolled back
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _key(redis, name: str, args: tuple) -> str:
    """The key of a cached value under the current generation of the figures."""
    generation = int(redis.get(_prefix() + ":generacion") or 0)
    return "%s:%d:%s:%s" % (_prefix(), generation, name, ":".join(map(str, args)))


def cached_text(name: str, args: tuple, produce) -> str:
    """A rendered part of a page, cached like the figures it is drawn from (same
    generation): a warm page is then one Redis read, not a template render."""
    try:
        redis = connect_to_redis()
        key = _key(redis, "pagina:" + name, args)
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
                key = _key(redis, name, args)
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
