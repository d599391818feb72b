"""Validation reports of uploaded summary tables.

Revision ID: 0001_validation_reports
Revises:
Create Date: 2026-11-21
"""
from alembic import op

from ckanext.bonos.uploads import reports

revision = "0001_validation_reports"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    reports.create(op.get_bind())


def downgrade():
    op.drop_table(reports.TABLE)
