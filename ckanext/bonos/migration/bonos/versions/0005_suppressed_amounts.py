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

# Idempotent: 0003 creates the table from store.DDL, which already has these.
UPGRADE = f"""
ALTER TABLE {store.TABLE} ALTER COLUMN monto_programado DROP NOT NULL;
ALTER TABLE {store.TABLE} ALTER COLUMN monto_transferido DROP NOT NULL;
ALTER TABLE {store.TABLE} ADD COLUMN IF NOT EXISTS
    monto_programado_suprimidas integer NOT NULL DEFAULT 0;
ALTER TABLE {store.TABLE} ADD COLUMN IF NOT EXISTS
    monto_transferido_suprimidas integer NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS {store.TABLE}_vigente_idx;
"""


def upgrade():
    op.execute(UPGRADE)
    store.create(op.get_bind())     # the covering index again, with the new columns


def downgrade():
    op.execute(f"""
        DELETE FROM {store.TABLE} WHERE monto_programado IS NULL OR monto_transferido IS NULL;
        DROP INDEX IF EXISTS {store.TABLE}_vigente_idx;
        ALTER TABLE {store.TABLE} DROP COLUMN monto_programado_suprimidas;
        ALTER TABLE {store.TABLE} DROP COLUMN monto_transferido_suprimidas;
        ALTER TABLE {store.TABLE} ALTER COLUMN monto_programado SET NOT NULL;
        ALTER TABLE {store.TABLE} ALTER COLUMN monto_transferido SET NOT NULL;""")
