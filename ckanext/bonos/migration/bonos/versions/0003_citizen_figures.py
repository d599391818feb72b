"""Figures for the citizen pages (bonos_cifras), one row per place and period.

Revision ID: 0003_citizen_figures
Revises: 0002_push_reports
Create Date: 2026-11-22
"""
from alembic import op

from ckanext.bonos.citizen import store

revision = "0003_citizen_figures"
down_revision = "0002_push_reports"
branch_labels = None
depends_on = None


def upgrade():
    store.create(op.get_bind())


def downgrade():
    op.drop_table(store.TABLE)
