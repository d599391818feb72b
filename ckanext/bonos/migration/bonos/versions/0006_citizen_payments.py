"""Payments for the citizen pages (bonos_pagos), from historial_pagos tables.

Revision ID: 0006_citizen_payments
Revises: 0005_suppressed_amounts
Create Date: 2026-12-02
"""
from alembic import op

from ckanext.bonos.citizen import payments

revision = "0006_citizen_payments"
down_revision = "0005_suppressed_amounts"
branch_labels = None
depends_on = None


def upgrade():
    payments.create(op.get_bind())


def downgrade():
    op.drop_table(payments.TABLE)
