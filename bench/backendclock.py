"""How much of a measured time is spent inside the search backend.

package_search and search-index rebuild do much of their work in CKAN itself
(validation, building index documents, package_show, decoding the stored
dicts). Timing the connection's ``search`` and ``add`` separately tells
whoever optimises the backend which part is theirs. The methods are wrapped
on the class for the benchmark's duration only; nothing under ckanext/ is
changed.
"""
from __future__ import annotations

import contextlib
import functools
import time
from collections import defaultdict

METHODS = ("search", "add")


class BackendClock:
    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def read(self, method: str) -> float:
        return self.seconds[method]

    def _timed(self, method: str, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[method] += time.perf_counter() - started
        return wrapper

    @contextlib.contextmanager
    def installed(self):
        from ckanext.bonos.pgsearch.connection import PostgresSolr
        originals = {m: PostgresSolr.__dict__[m] for m in METHODS
                     if m in PostgresSolr.__dict__}
        for method, fn in originals.items():
            setattr(PostgresSolr, method, self._timed(method, fn))
        try:
            yield self
        finally:
            for method, fn in originals.items():
                setattr(PostgresSolr, method, fn)
