"""Reports of pushes to other portals (ckan bonos push).

Revision ID: 0002_push_reports
Revises: 0001_validation_reports
Create Date: 2026-11-21
"""
from alembic import op

from ckanext.bonos.sync import reports

revision = "0002_push_reports"
down_revision = "0001_validation_reports"
branch_labels = None
depends_on = None


def upgrade():
    reports.create(op.get_bind())


def downgrade():
    op.drop_table(reports.TABLE)
