"""Turn the documents CKAN builds for Solr into rows, as strictly as Solr would.

A list sent to a single-valued field, a date that is not a date, a number that
is not a number: Solr refuses the document, so this does too, with Solr's kind of
message. Otherwise something that indexes on the embedded default would break
on the production engine.
"""
from __future__ import annotations

import dataclasses

from .schema import Schema
from .values import InvalidValue, as_string, parse_bool, parse_date, parse_number

# Text fields by weight in the 'text' catch-all, mirroring CKAN's
# qf = "name^4 title^4 tags^2 groups^2 text".
_WEIGHT_A = ("title", "name")
_WEIGHT_B = ("tags", "groups")


# Between two values of a text, Solr leaves a gap of positions
# (positionIncrementGap) so that a phrase cannot match across them. PostgreSQL
# counts a stop word as a position, so a run of the stop word "y" does the same.
VALUE_GAP = " y y y y y "


class DocumentError(ValueError):
    pass


@dataclasses.dataclass
class Row:
    index_id: str
    site_id: str
    fields: dict
    stored: dict
    text_a: str
    text_b: str
    text_d: str


def _is_null(value) -> bool:
    # pysolr skips these values instead of sending them
    return value is None or (isinstance(value, str) and value == "")


def _convert(field, value):
    if isinstance(value, dict):
        raise InvalidValue("a JSON object is not a value for field %s" % field.name)
    if field.kind in ("string", "text", "binary"):
        return as_string(value)
    if field.kind == "date":
        return parse_date(value)
    if field.kind == "int":
        return parse_number(value, integer=True)
    if field.kind == "float":
        return parse_number(value, integer=False)
    if field.kind == "bool":
        return parse_bool(value)
    return as_string(value)


def to_row(schema: Schema, doc: dict) -> Row:
    fields: dict = {}
    stored: dict = {}
    texts = {"a": [], "b": [], "d": []}
    doc_id = doc.get("id", doc.get(schema.unique_key, "?"))
    for key, raw in doc.items():
        key = str(key)
        field = schema.field(key)
        if field is None:
            raise DocumentError("ERROR: [doc=%s] unknown field '%s'" % (doc_id, key))
        values = list(raw) if isinstance(raw, (list, tuple, set)) else [raw]
        values = [v for v in values if not _is_null(v)]
        if not values:
            continue
        if len(values) > 1 and not field.multi:
            raise DocumentError(
                "ERROR: [doc=%s] multiple values encountered for non multiValued "
                "field %s: %r" % (doc_id, key, values[:5]))
        try:
            converted = [_convert(field, v) for v in values]
        except InvalidValue as e:
            raise DocumentError("ERROR: [doc=%s] Error adding field '%s'='%s': %s"
                                % (doc_id, key, str(raw)[:200], e))
        value = converted if field.multi else converted[0]
        if field.indexed:
            fields[key] = value
        if field.stored:
            stored[key] = value
        if schema.copied_to_text(key) and field.kind in ("string", "text"):
            bucket = "a" if key in _WEIGHT_A else "b" if key in _WEIGHT_B else "d"
            texts[bucket].extend(str(v) for v in converted)
    for name in schema.required:
        if name not in fields and name not in stored:
            raise DocumentError("ERROR: [doc=%s] missing required field: %s"
                                % (doc_id, name))
    return Row(
        index_id=str(stored.get(schema.unique_key) or fields[schema.unique_key]),
        site_id=str(fields.get("site_id", "")),
        fields=fields, stored=stored,
        text_a=VALUE_GAP.join(texts["a"]), text_b=VALUE_GAP.join(texts["b"]),
        text_d=VALUE_GAP.join(texts["d"]))
