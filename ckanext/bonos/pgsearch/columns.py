"""Where each schema field lives in the ``bonos_search_doc`` row (alias ``d``).

Promoted fields (storage.PROMOTED) are plain columns; text fields are in
``d.texts``; every other indexed field is in ``d.fields``. Field names reach
SQL as bound parameters (JSON keys) or as column names from PROMOTED only.
"""
from __future__ import annotations

import json

from .schema import Field
from .storage import PROMOTED


def _doc_column(field: Field) -> str:
    return "d.texts" if field.kind == "text" else "d.fields"


def single(field: Field) -> tuple[str, list]:
    """SQL expression for the text of a single-valued field (NULL if absent)."""
    if field.name in PROMOTED:
        return "d.%s" % PROMOTED[field.name][0], []
    return "(%s ->> %%s)" % _doc_column(field), [field.name]


def elements(field: Field) -> tuple[str, list]:
    """Set-returning SQL for the values of a multi-valued field."""
    if field.name in PROMOTED:
        return "unnest(d.%s)" % PROMOTED[field.name][0], []
    col = _doc_column(field)
    return ("jsonb_array_elements_text(CASE jsonb_typeof(%s -> %%s) WHEN 'array' "
            "THEN %s -> %%s ELSE '[]'::jsonb END)" % (col, col), [field.name, field.name])


def exists(field: Field) -> tuple[str, list]:
    if field.name in PROMOTED:
        column, multi = PROMOTED[field.name]
        return ("(cardinality(d.%s) > 0)" % column if multi
                else "(d.%s IS NOT NULL)" % column), []
    return "(%s ? %%s)" % _doc_column(field), [field.name]


def equals(field: Field, value) -> tuple[str, list]:
    """The field holds ``value`` (one of its values, if multi-valued)."""
    if field.name in PROMOTED:
        column, multi = PROMOTED[field.name]
        # plain equality, so that the planner's statistics apply (negations
        # take care of NULLs: compiler._bool)
        return ("(%%s = ANY(d.%s))" % column if multi else "(d.%s = %%s)" % column), [value]
    doc = {field.name: [value] if field.multi else value}
    return "(%s @> %%s::jsonb)" % _doc_column(field), [json.dumps(doc)]


def facet_source(field: Field) -> tuple[str, list]:
    """A small per-row value to materialise before counting facet values."""
    if field.name in PROMOTED:
        return "d.%s" % PROMOTED[field.name][0], []
    return "(%s -> %%s)" % _doc_column(field), [field.name]
