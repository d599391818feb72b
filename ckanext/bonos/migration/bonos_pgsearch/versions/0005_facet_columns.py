"""Search documents: CKAN's default facets (organization, license_id, tags,
groups, res_format) get columns of their own.

Counting the /dataset page's facets parsed these fields out of the `fields`
JSON of every matching row; plain columns are counted directly (bench/search).
An existing index is upgraded in place: the values move from `fields` to the
columns, so nothing needs a rebuild.

Revision ID: 0005_facet_columns
Revises: 0004_ngram_columns
Create Date: 2026-12-02
"""
from alembic import op

from ckanext.bonos.pgsearch import storage

revision = "0005_facet_columns"
down_revision = "0004_ngram_columns"
branch_labels = None
depends_on = None

_T = storage.TABLE
_SINGLE = ("organization", "license_id")
_MULTI = ("tags", "groups", "res_format")


def _array(field: str) -> str:
    return ("ARRAY(SELECT jsonb_array_elements_text(CASE jsonb_typeof(fields -> '{0}') "
            "WHEN 'array' THEN fields -> '{0}' ELSE '[]'::jsonb END))".format(field))


def upgrade():
    op.execute(f"ALTER TABLE {_T} " + ", ".join(
        "ADD COLUMN IF NOT EXISTS %s" % c for c in storage.FACET_COLUMNS_DDL))
    op.execute(f"ALTER TABLE {_T} " + ", ".join(
        "ALTER COLUMN %s SET STORAGE MAIN" % c for c in _SINGLE + _MULTI))
    sets = ["%s = fields ->> '%s'" % (c, c) for c in _SINGLE]
    sets += ["%s = %s" % (c, _array(c)) for c in _MULTI]
    sets.append("fields = fields - '%s'" % "' - '".join(_SINGLE + _MULTI))
    op.execute(f"UPDATE {_T} SET " + ", ".join(sets))
    op.execute(storage.FACETS_INDEX)


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {_T}_facets_idx")
    pairs = ", ".join("'%s', to_jsonb(%s)" % (c, c) for c in _SINGLE + _MULTI)
    op.execute(f"UPDATE {_T} SET fields = fields || jsonb_strip_nulls(jsonb_build_object({pairs}))")
    op.execute(f"ALTER TABLE {_T} " + ", ".join(
        "DROP COLUMN IF EXISTS %s" % c for c in _SINGLE + _MULTI))
