"""Search documents: accents are folded in Python, bonos_fold() goes.

The stored vectors are the same (storage.fold is bonos_fold's twin), so the
rows stay; only the SQL function, unused now, is dropped.

Revision ID: 0003_fold_in_python
Revises: 0002_promoted_columns
Create Date: 2026-11-21
"""
from alembic import op

from ckanext.bonos.pgsearch import storage

revision = "0003_fold_in_python"
down_revision = "0002_promoted_columns"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DROP FUNCTION IF EXISTS bonos_fold(text)")


def downgrade():
    # bonos_fold(text) as it was: lower(translate(text, accented, plain))
    op.execute(
        "CREATE OR REPLACE FUNCTION bonos_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
        "$$ SELECT lower(translate($1, '%s', '%s')) $$"
        % (storage._ACCENTED, storage._PLAIN))
