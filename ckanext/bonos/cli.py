"""``ckan bonos ...`` commands.

    ckan -c ckan.ini bonos import DIR [--user NAME]
    ckan -c ckan.ini bonos demo-data [--out DIR] [--no-load] [--user NAME]
    ckan -c ckan.ini bonos cifras rebuild
"""
from __future__ import annotations

import contextlib
import time

import click


@click.group(short_help="ckanext-bonos: import publications, demo data.")
def bonos():
    """Social-bond publications (ckanext-bonos)."""


def _request_context():
    # Actions build URLs (resource downloads): give them the app's request context.
    ctx = click.get_current_context(silent=True)
    app = ctx and ctx.meta.get("flask_app")
    return app.test_request_context() if app is not None else contextlib.nullcontext()


def _import(directory: str, user: str | None) -> None:
    from ckanext.bonos.importer import ManifestError, import_folder

    with _request_context():
        try:
            report = import_folder(directory, user=user, echo=click.echo)
        except ManifestError as e:
            raise click.ClickException(str(e))
    click.echo(report.summary())
    if not report.ok:
        click.secho("%d problem(s):" % len(report.problems), fg="red", err=True)
        for problem in report.problems:
            click.echo("  - %s" % problem, err=True)
        raise click.exceptions.Exit(1)


@bonos.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--user", "-u", default=None, metavar="NAME",
              help="User the changes are made as (default: the site user).")
def import_(directory, user):
    """Create or update publications from DIRECTORY/manifest.json and its files.

    Safe to run again: what did not change is left alone.
    """
    _import(directory, user)


@bonos.command("demo-data")
@click.option("--out", default="var/demo-data", show_default=True,
              type=click.Path(file_okay=False),
              help="Folder the demo files and manifest.json are written to.")
@click.option("--no-load", is_flag=True, help="Only write the files; do not import them.")
@click.option("--user", "-u", default=None, metavar="NAME",
              help="User the changes are made as (default: the site user).")
def demo_data(out, no_load, user):
    """Generate the synthetic demo data (deterministic) and import it.

    Safe to run on every start: the files come out byte for byte the same and
    the import leaves unchanged publications alone.
    """
    from ckanext.bonos import demo

    start = time.monotonic()
    manifest = demo.generate(out)
    files = sum(len(p["resources"]) for p in manifest["publications"])
    click.echo("demo data (%s): %d publications, %d files in %s (%.1f s)"
               % (demo.AVISO, len(manifest["publications"]), files, out,
                  time.monotonic() - start))
    if not no_load:
        _import(out, user)


@bonos.group("cifras")
def cifras():
    """Figures of the citizen pages (table bonos_cifras)."""


@cifras.command("rebuild")
def cifras_rebuild():
    """Rewrite the citizen figures from every valid summary in the DataStore."""
    from ckanext.bonos.citizen import store

    start = time.monotonic()
    rows = store.rebuild(echo=click.echo)
    click.echo("bonos_cifras: %d rows (%.1f s)" % (rows, time.monotonic() - start))


def get_commands():
    return [bonos]
