"""The rendered body of a summary view, cached in Redis.

A view's body (figures, charts, tables; not CKAN's page around it) depends
only on what its key names, so a warm request is one Redis GET instead of
shaping and rendering hundreds of rows:

- the view's data: resource id, its last modification and the time of its
  last validation (``loading.data_key``): a new upload or validation is a
  new key;
- the publication's ``metadata_modified`` (the footnotes quote its
  suppression threshold);
- the view (its id and any configuration);
- the page's language: Spanish and English pages never share an entry;
- the view's query parameters (period, measure, sort, grouping);
- ``RENDER_VERSION``: the templates, the code that shapes and draws, and the
  compiled translations, so a deployment never serves bodies of the previous
  release.

Only requests whose parameters the view accepted as given are stored (see
``views``): made-up parameters render, uncached, and cannot fill Redis.
"""
from __future__ import annotations

import collections
import hashlib
import json
import logging
from pathlib import Path
from typing import Optional

from . import loading

log = logging.getLogger(__name__)

PREFIX = "bonos:preview-html:v1"

#: Bodies actually rendered, per view type (tests read it: a cached page must
#: not add to it).
RENDERS: collections.Counter = collections.Counter()
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _render_version() -> str:
    """A digest of everything a rendered body is made from besides its data."""
    digest = hashlib.sha1()
    sources = [*sorted((_PACKAGE_DIR / "templates" / "bonos" / "previews").rglob("*.html")),
               *sorted((_PACKAGE_DIR / "templates" / "bonos" / "snippets").glob("*.html")),
               *sorted((_PACKAGE_DIR / "previews").glob("*.py")),
               *sorted((_PACKAGE_DIR / "charts").glob("*.py")),
               *sorted((_PACKAGE_DIR / "vocab").glob("*.csv")),
               *sorted((_PACKAGE_DIR / "i18n").rglob("*.mo"))]
    for path in sources:
        digest.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RENDER_VERSION = _render_version()


def key(data_key: str, resource_view: dict, package: dict, locale: str, args: dict) -> str:
    """The cache key of one rendered body. The resource id stays a
    ``:``-separated field, so ``forget(resource_id)`` finds every entry."""
    view_config = {k: v for k, v in (resource_view or {}).items()
                   if k not in ("title", "description", "position")}
    context = json.dumps([view_config, (package or {}).get("metadata_modified"), locale,
                          sorted(args.items())], sort_keys=True, default=str)
    return "%s:%s:%s:%s" % (PREFIX, RENDER_VERSION, data_key,
                            hashlib.sha1(context.encode()).hexdigest())


def get(cache_key: str) -> Optional[str]:
    redis = loading.redis_or_none()
    if redis is None:
        return None
    try:
        hit = redis.get(cache_key)
    except Exception:
        log.warning("bonos previews: could not read %s", cache_key, exc_info=True)
        return None
    return hit.decode("utf-8") if hit is not None else None


def put(cache_key: str, html: str, ttl: int) -> None:
    redis = loading.redis_or_none()
    if redis is None:
        return
    try:
        redis.setex(cache_key, ttl, html.encode("utf-8"))
    except Exception:  # a body not cached is rendered again next time, nothing worse
        log.warning("bonos previews: could not cache %s", cache_key, exc_info=True)
