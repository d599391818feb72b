"""The extension's own tables create themselves when missing.

Their migrations create them, but CKAN's ``clean_db`` test fixture drops every
table and recreates core's only, so each module checks before it writes. The
check is remembered until the transaction ends: one query per table and
transaction, not one per call.
"""
from __future__ import annotations

import contextlib
from typing import Callable, Iterator

import sqlalchemy as sa

_SEEN = "bonos_tables_seen"   # session.info: tables known to exist


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    session.info.pop(_SEEN, None)


def ensure(session, table: str, create: Callable) -> None:
    """Call ``create(session)`` if ``table`` does not exist yet."""
    seen = session.info.setdefault(_SEEN, set())
    if table in seen:
        return
    if session.execute(sa.text("SELECT to_regclass(:t)"), {"t": table}).scalar() is None:
        create(session)
    seen.add(table)


@contextlib.contextmanager
def own_transaction() -> Iterator[sa.orm.Session]:
    """A session of its own, committed at the end of the block (rolled back on
    an error): for writes that follow a change CKAN has already committed, so
    that no hook ever commits CKAN's own session."""
    from ckan import model
    session = sa.orm.Session(bind=model.meta.engine)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
