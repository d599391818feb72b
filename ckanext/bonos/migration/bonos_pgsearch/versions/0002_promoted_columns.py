"""Search documents v2: promoted columns, text fields apart, fielded tsvector.

The index is a cache of the datasets: the table is recreated empty, and
`ckan search-index rebuild` fills it again (the quickstart does it).

Revision ID: 0002_promoted_columns
Revises: 0001_search_documents
Create Date: 2026-11-21
"""
from alembic import op

from ckanext.bonos.pgsearch import storage

revision = "0002_promoted_columns"
down_revision = "0001_search_documents"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DROP TABLE IF EXISTS %s" % storage.TABLE)
    storage.create(op.get_bind())


def downgrade():
    op.execute("DROP TABLE IF EXISTS %s" % storage.TABLE)
