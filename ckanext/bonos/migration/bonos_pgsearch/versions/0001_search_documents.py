"""Search documents table for the PostgreSQL search backend.

Revision ID: 0001_search_documents
Revises:
Create Date: 2026-11-21
"""
from alembic import op

from ckanext.bonos.pgsearch import storage

revision = "0001_search_documents"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    storage.create(op.get_bind())


def downgrade():
    storage.drop(op.get_bind())
