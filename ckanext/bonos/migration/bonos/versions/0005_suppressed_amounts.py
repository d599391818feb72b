"""Citizen figures: amounts may be suppressed (the row rule), counted like counts.

Revision ID: 0005_suppressed_amounts
Revises: 0004_citizen_reports
Create Date: 2026-12-01
"""
from alembic import op

from ckanext.bonos.citizen import store

revision = "0005_suppressed_amounts"
down_revision = "0004_citizen_reports"
branch_labels = None
depends_on = None

# store.DDL adds the columns and drops NOT NULL on a table of an older release (it
# runs from 0003 too); here the covering index is rebuilt with the new columns.


def upgrade():
    op.execute(f"DROP INDEX IF EXISTS {store.TABLE}_vigente_idx")
    store.create(op.get_bind())


def downgrade():
    op.execute(f"""
        DELETE FROM {store.TABLE} WHERE monto_programado IS NULL OR monto_transferido IS NULL;
        DROP INDEX IF EXISTS {store.TABLE}_vigente_idx;
        ALTER TABLE {store.TABLE} DROP COLUMN monto_programado_suprimidas;
        ALTER TABLE {store.TABLE} DROP COLUMN monto_transferido_suprimidas;
        ALTER TABLE {store.TABLE} ALTER COLUMN monto_programado SET NOT NULL;
        ALTER TABLE {store.TABLE} ALTER COLUMN monto_transferido SET NOT NULL;""")
