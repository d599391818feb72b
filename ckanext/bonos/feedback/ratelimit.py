"""At most N citizen reports per client address per hour, counted in Redis.

A fixed one-hour window per address: simple, and enough to stop a script
filling the editors' queue; the limit is ``ckanext.bonos.reportes.por_hora``.
"""
from __future__ import annotations

import hashlib

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

LIMIT_OPTION = "ckanext.bonos.reportes.por_hora"
WINDOW_SECONDS = 3600


def client_key(context: dict) -> str | None:
    """The client's address (hashed: Redis need not hold addresses), or None
    outside a web request (CLI, jobs), which is not limited."""
    try:
        address = tk.request.remote_addr
    except (RuntimeError, AttributeError, TypeError):
        return None
    # a web request without an address shares one bucket, rather than no limit
    address = address or "sin-direccion"
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()[:32]
    return "%s:bonos:reportes:%s" % (tk.config.get("ckan.site_id"), digest)


def allow(key: str | None) -> bool:
    if key is None:
        return True
    redis = connect_to_redis()
    pipe = redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS, nx=True)
    count, _ = pipe.execute()
    return count <= tk.config.get(LIMIT_OPTION)
