"""Shared Alembic environment: each plugin's migrations keep their own version
table (``<plugin>_alembic_version``), as CKAN expects of extensions."""
import os
from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool


def run(context, env_file: str) -> None:
    config = context.config
    fileConfig(config.config_file_name)
    version_table = "%s_alembic_version" % os.path.basename(os.path.dirname(env_file))
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"),
                          literal_binds=True, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table)
        with context.begin_transaction():
            context.run_migrations()
