"""Turn the documents CKAN builds for Solr into rows, as strictly as Solr would.

A list sent to a single-valued field, a date that is not a date, a number that
is not a number: Solr refuses the document, so this does too, with Solr's kind of
message. Otherwise something that indexes on the embedded default would break
on the production engine.
"""
from __future__ import annotations

import dataclasses

from .schema import Schema
from .storage import PROMOTED, fold
from .values import InvalidValue, as_string, parse_bool, parse_date, parse_number, solr_date

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
    promoted: dict      # column -> value (see storage.PROMOTED)
    fields: dict        # other indexed non-text fields
    texts: dict         # indexed text fields
    stored: dict
    # texts for PostgreSQL to analyse, folded (storage.fold) on this side
    text_a: str         # 'text' catch-all by weight
    text_b: str
    text_d: str
    by_field: dict      # text field -> its text, for fielded text search


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
    texts_by_field: dict = {}
    promoted: dict = {}
    stored: dict = {}
    texts = {"a": [], "b": [], "d": []}
    ngrams: dict = {}   # n-gram field -> its values (sent, or copied into it)
    copies: dict = {}   # other copyField destinations -> copied values
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
        if field.kind == "ngram":
            ngrams.setdefault(key, []).extend(converted)
            continue
        for dest in schema.ngram_copies(key):
            ngrams.setdefault(dest, []).extend(str(v) for v in converted)
        for dest in schema.other_copies(key):
            copies.setdefault(dest, []).extend(converted)
        if field.indexed:
            if key in PROMOTED:
                promoted[PROMOTED[key][0]] = value
            elif field.kind == "text":
                texts_by_field[key] = value
            else:
                fields[key] = value
        if field.stored:
            stored[key] = ([solr_date(v) for v in value] if field.multi else solr_date(value)
                           ) if field.kind == "date" else value
        if schema.copied_to_text(key) and field.kind in ("string", "text"):
            bucket = "a" if key in _WEIGHT_A else "b" if key in _WEIGHT_B else "d"
            texts[bucket].extend(str(v) for v in converted)
    for key, values in copies.items():
        field = schema.field(key)
        if not field.indexed:
            continue
        target = texts_by_field if field.kind == "text" else fields
        if field.multi:
            sent = target.get(key, [])
            target[key] = (sent if isinstance(sent, list) else [sent]) + values
        elif key in target or len(values) > 1:
            raise DocumentError(
                "ERROR: [doc=%s] multiple values encountered for non multiValued "
                "field %s: %r" % (doc_id, key, values[:5]))
        else:
            target[key] = values[0]
    for key, values in ngrams.items():
        field = schema.field(key)
        if len(values) > 1 and not field.multi:
            raise DocumentError(
                "ERROR: [doc=%s] multiple values encountered for non multiValued "
                "field %s: %r" % (doc_id, key, values[:5]))
        if field.stored:
            stored[key] = values if field.multi else values[0]
        if field.indexed:
            # one value a line: a query term (no white space) never spans two
            folded = fold("\n".join(values))
            if key in PROMOTED:
                promoted[PROMOTED[key][0]] = folded
            else:
                texts_by_field[key] = folded
    indexed = {**fields, **texts_by_field, **{k: promoted.get(c) for k, (c, _) in PROMOTED.items()}}
    for name in schema.required:
        if indexed.get(name) is None and name not in stored:
            raise DocumentError("ERROR: [doc=%s] missing required field: %s"
                                % (doc_id, name))
    return Row(
        index_id=str(stored.get(schema.unique_key) or indexed[schema.unique_key]),
        promoted=promoted, fields=fields, texts=texts_by_field, stored=stored,
        text_a=fold(VALUE_GAP.join(texts["a"])), text_b=fold(VALUE_GAP.join(texts["b"])),
        text_d=fold(VALUE_GAP.join(texts["d"])),
        by_field={k: fold(VALUE_GAP.join(v) if isinstance(v, list) else v)
                  for k, v in texts_by_field.items()
                  if k != "text" and k not in ngrams})
