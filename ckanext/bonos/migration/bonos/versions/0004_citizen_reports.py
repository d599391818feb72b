"""Citizen reports on the data (bonos_reportes).

Revision ID: 0004_citizen_reports
Revises: 0003_citizen_figures
Create Date: 2026-11-22
"""
from alembic import op

from ckanext.bonos.feedback import model

revision = "0004_citizen_reports"
down_revision = "0003_citizen_figures"
branch_labels = None
depends_on = None


def upgrade():
    model.create(op.get_bind())


def downgrade():
    op.drop_table(model.TABLE)
