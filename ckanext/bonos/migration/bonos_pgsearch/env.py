"""Alembic environment for this plugin (see ckanext/bonos/migration/alembic_env.py)."""
from alembic import context

from ckanext.bonos.migration.alembic_env import run

run(context, __file__)
