"""Solr's local parameters (``{!parser key=value ...}rest``) for the query
parsers a portal allows with ``ckan.search.solr_allowed_query_parsers``.

CKAN refuses local parameters unless their parser is in that list, so this
backend only ever sees allowed ones; those it knows (below) are answered, any
other is a search error naming the parser, as a Solr without it would give.
"""
from __future__ import annotations

import dataclasses
import re

from .lucene import QuerySyntaxError

# What this backend answers: Solr's parsers that make sense on CKAN's schema.
PARSERS = ("lucene", "standard", "dismax", "edismax", "field", "term", "terms",
           "prefix", "bool")

_PAIR = re.compile(r"""\s*([A-Za-z0-9_.]+)(?:=(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s}'"]*)))?""")


@dataclasses.dataclass
class Local:
    parser: str
    params: dict          # key -> [values] (bool's must/should repeat)
    body: str             # the text after '}'

    def get(self, key: str, default=None):
        values = self.params.get(key)
        return values[-1] if values else default


def split(text: str, request: dict) -> Local | None:
    """The local parameters at the start of ``text``, or None if it has none.
    ``$name`` values are read from the request's parameters, as Solr does."""
    text = text.lstrip()
    if not text.startswith("{!"):
        return None
    pos, params, parser = 2, {}, None
    while True:
        if pos >= len(text):
            raise QuerySyntaxError("local parameters are not closed with '}'")
        if text[pos] == "}":
            pos += 1
            break
        m = _PAIR.match(text, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError("cannot read the local parameters at %r" % text[pos:pos + 20])
        key = m.group(1)
        quoted = m.group(2) if m.group(2) is not None else m.group(3)
        value = (re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else m.group(4))
        if value is None:      # a bare word: the parser's name ({!dismax ...})
            if parser is None and not params:
                parser = key
            else:
                raise QuerySyntaxError("local parameter %r has no value" % key)
        else:
            if value.startswith("$"):
                ref = request.get(value[1:])
                if isinstance(ref, (list, tuple)):
                    ref = ref[0] if ref else None
                if ref is None:
                    raise QuerySyntaxError("local parameter %s=%s names no parameter"
                                           % (key, value))
                value = str(ref)
            params.setdefault(key, []).append(value)
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    parser = parser or (params.pop("type", [None])[-1])
    if not parser:
        raise QuerySyntaxError("local parameters name no query parser")
    if parser not in PARSERS:
        raise QuerySyntaxError("no query parser named '%s' in this search backend "
                               "(it answers: %s)" % (parser, ", ".join(PARSERS)))
    return Local(parser, params, text[pos:])
