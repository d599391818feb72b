"""Search documents: CKAN's n-gram fields (name_ngram, title_ngram) get columns.

An existing index is upgraded in place: the columns are filled from what each
row already holds (its name, and its title as sent), folded as storage.fold
folds, so autocomplete works without a rebuild; then the trigram indexes.

Revision ID: 0004_ngram_columns
Revises: 0003_fold_in_python
Create Date: 2026-12-02
"""
from alembic import op

from ckanext.bonos.pgsearch import storage

revision = "0004_ngram_columns"
down_revision = "0003_fold_in_python"
branch_labels = None
depends_on = None

_T = storage.TABLE


def _folded(expr: str) -> str:
    # storage.fold's twin in SQL (as bonos_fold was, see 0003's downgrade)
    return "lower(translate(%s, '%s', '%s'))" % (expr, storage._ACCENTED, storage._PLAIN)


def upgrade():
    op.execute(f"ALTER TABLE {_T} ADD COLUMN IF NOT EXISTS name_ngram text, "
               "ADD COLUMN IF NOT EXISTS title_ngram text")
    op.execute(f"ALTER TABLE {_T} ALTER COLUMN name_ngram SET STORAGE MAIN, "
               "ALTER COLUMN title_ngram SET STORAGE MAIN")
    op.execute(f"UPDATE {_T} SET name_ngram = {_folded('name')}, " +
               "title_ngram = %s, " % _folded("texts ->> 'title'") +
               "stored = stored || jsonb_strip_nulls(jsonb_build_object("
               "'name_ngram', stored -> 'name', 'title_ngram', stored -> 'title'))")
    storage.create_ngram_indexes(op.get_bind())


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {_T}_name_ngram_idx")
    op.execute(f"DROP INDEX IF EXISTS {_T}_title_ngram_idx")
    op.execute(f"ALTER TABLE {_T} DROP COLUMN IF EXISTS name_ngram, "
               "DROP COLUMN IF EXISTS title_ngram")
    op.execute(f"UPDATE {_T} SET stored = stored - 'name_ngram' - 'title_ngram'")
