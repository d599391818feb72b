"""Where the search documents live: one table and a small SQL function.

The plugin's Alembic migration calls ``create()``; so does the backend itself
when it finds the table missing, because CKAN's ``clean_db`` test fixture drops
every table in the database and recreates only core's.
"""
from __future__ import annotations

import logging
import re

import sqlalchemy as sa

log = logging.getLogger(__name__)

TABLE = "bonos_search_doc"

# Accent folding without the (superuser-installed) unaccent extension: the
# Latin letters used in Spanish and its neighbours, upper and lower case.
_ACCENTED = "ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ"
_PLAIN = "aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuunnccyyy"
assert len(_ACCENTED) == len(_PLAIN)
_FOLDED = dict(zip(_ACCENTED, _PLAIN))
_ACCENTED_CHAR = re.compile("[%s]" % _ACCENTED)


def fold(text: str) -> str:
    """Accents off and lower case, before PostgreSQL analyses a text. Done
    here, not in SQL: PostgreSQL's translate() was a third of the cost of
    indexing a document (a bonos_fold() SQL function until migration 0003)."""
    return _ACCENTED_CHAR.sub(lambda m: _FOLDED[m.group()], text).lower()


FACET_COLUMNS_DDL = [
    "organization text", "license_id text",
    "tags text[] NOT NULL DEFAULT '{}'", "groups text[] NOT NULL DEFAULT '{}'",
    "res_format text[] NOT NULL DEFAULT '{}'",
]

# What every search filters on (site, state, capacity, labels) and the default
# facets, in one narrow index: a query without text counts its facets from an
# index-only scan instead of reading the wide rows (85 -> 18 ms for the 9,502
# public datasets of bench/search, under load).
FACETS_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {TABLE}_facets_idx ON {TABLE} "
    "(site_id, state, capacity) INCLUDE (dataset_type, permission_labels, "
    "organization, license_id, tags, groups, res_format)")

DDL = [
    # Text of a stored value, scalar or array (multi-valued fields; see
    # documents.VALUE_GAP for the separator).
    """
    CREATE OR REPLACE FUNCTION bonos_jtext(jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
    $$ SELECT CASE jsonb_typeof($1)
         WHEN 'array' THEN (SELECT string_agg(v, ' y y y y y ')
                            FROM jsonb_array_elements_text($1) v)
         ELSE $1 #>> '{}' END $$
    """,
    f"""
    CREATE TABLE IF NOT EXISTS {TABLE} (
        index_id text PRIMARY KEY,
        site_id text NOT NULL,
        -- fields every query filters or sorts on, as plain columns (fast,
        -- and the planner knows their statistics); see PROMOTED
        state text, capacity text, entity_type text, dataset_type text,
        name text, title_string text, metadata_created text, metadata_modified text,
        permission_labels text[] NOT NULL DEFAULT '{{}}',
        name_ngram text, title_ngram text,   -- folded; see NGRAM_DDL
        organization text, license_id text,  -- the /dataset page's facets
        tags text[] NOT NULL DEFAULT '{{}}', groups text[] NOT NULL DEFAULT '{{}}',
        res_format text[] NOT NULL DEFAULT '{{}}',
        fields jsonb NOT NULL,      -- other indexed non-text fields (kept small)
        texts jsonb NOT NULL,       -- indexed text fields, as sent
        stored jsonb NOT NULL,      -- stored fields, returned through fl
        tsv tsvector NOT NULL,      -- the 'text' catch-all, weighted like qf
        ftsv tsvector NOT NULL,     -- each text field, lexemes as 'field.lexeme'
        indexed_at timestamptz NOT NULL DEFAULT now()
    ) WITH (toast_tuple_target = 4080)
    """,
    # Every filter reads `fields`, every text search `tsv`: keep them in the
    # row, lz4-compressed if need be, never out of line (a TOAST fetch per row
    # and per condition made searches 3 to 5 times slower in bench/search).
    # The small columns too: PostgreSQL moves even a 27-byte value out of line
    # when a row is over the TOAST target, and sorting on such a column then
    # re-reads it at every comparison (a 5,000-row sort took 0.5 s). The target
    # is raised so that only stored/texts/ftsv, the big ones, leave the row.
    # (a table made before migration 0004 gets the n-gram columns here too)
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS name_ngram text, "
    "ADD COLUMN IF NOT EXISTS title_ngram text",
    # (and the facet columns, migration 0005)
    f"ALTER TABLE {TABLE} " + ", ".join(
        "ADD COLUMN IF NOT EXISTS %s" % c for c in FACET_COLUMNS_DDL),
    f"ALTER TABLE {TABLE} " + ", ".join(
        "ALTER COLUMN %s SET STORAGE MAIN" % c for c in (
            "index_id", "site_id", "state", "capacity", "entity_type", "dataset_type",
            "name", "title_string", "metadata_created", "metadata_modified",
            "permission_labels", "fields", "tsv", "name_ngram", "title_ngram",
            "organization", "license_id", "tags", "groups", "res_format")),
    f"ALTER TABLE {TABLE} ALTER COLUMN fields SET COMPRESSION lz4",
    f"ALTER TABLE {TABLE} ALTER COLUMN tsv SET COMPRESSION lz4",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv_idx ON {TABLE} USING gin (tsv)",
    FACETS_INDEX,
    f"CREATE INDEX IF NOT EXISTS {TABLE}_ftsv_idx ON {TABLE} USING gin (ftsv)",
]

# Schema fields kept in their own column: name -> (column, multi-valued)
PROMOTED = {
    "site_id": ("site_id", False), "state": ("state", False),
    "capacity": ("capacity", False), "entity_type": ("entity_type", False),
    "dataset_type": ("dataset_type", False), "name": ("name", False),
    "title_string": ("title_string", False),
    "metadata_created": ("metadata_created", False),
    "metadata_modified": ("metadata_modified", False),
    "permission_labels": ("permission_labels", True),
    "name_ngram": ("name_ngram", False), "title_ngram": ("title_ngram", False),
    # CKAN's default facets: counted from plain columns, not parsed from JSON
    "organization": ("organization", False), "license_id": ("license_id", False),
    "tags": ("tags", True), "groups": ("groups", True), "res_format": ("res_format", True),
}

# CKAN's n-gram fields match any substring of 2 to 10 characters: a trigram
# index (pg_trgm, a "trusted" extension that the database's owner may create)
# answers LIKE '%won%' without reading every row. Without the extension the
# same queries still work, scanning the column.
NGRAM_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_name_ngram_idx ON {TABLE} "
    "USING gin (name_ngram gin_trgm_ops)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_title_ngram_idx ON {TABLE} "
    "USING gin (title_ngram gin_trgm_ops)",
]

DROP = [
    f"DROP TABLE IF EXISTS {TABLE}",   # (pg_trgm stays: others may use it)
    "DROP FUNCTION IF EXISTS bonos_jtext(jsonb)",
    "DROP FUNCTION IF EXISTS bonos_fold(text)",
]


def create(conn) -> None:
    """Create the table and functions if missing (safe to repeat)."""
    # Serialise concurrent creators (two workers after a clean_db).
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                 {"k": TABLE})
    for stmt in DDL:
        conn.execute(sa.text(stmt))
    create_ngram_indexes(conn)


def create_ngram_indexes(conn) -> bool:
    """The trigram indexes, if pg_trgm can be had; False (and a warning) if not."""
    savepoint = conn.begin_nested()
    try:
        for stmt in NGRAM_DDL:
            conn.execute(sa.text(stmt))
    except sa.exc.DBAPIError as e:
        savepoint.rollback()
        log.warning("pg_trgm is not available (%s): n-gram (autocomplete) searches "
                    "will read every row", str(e.orig).strip().splitlines()[0])
        return False
    savepoint.commit()
    return True


def drop(conn) -> None:
    for stmt in DROP:
        conn.execute(sa.text(stmt))
