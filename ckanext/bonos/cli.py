"""``ckan bonos ...`` commands.

    ckan -c ckan.ini bonos import DIR [--user NAME]
    ckan -c ckan.ini bonos demo-data [--out DIR] [--no-load] [--user NAME]
    ckan -c ckan.ini bonos cifras rebuild
    ckan -c ckan.ini bonos push [--target NAME] [--dry-run] [--dataset NAME] [--json]
    ckan -c ckan.ini bonos suprimir RAW.csv [RAW.csv ...] --salida DIR [--umbral 5] [--json]
    ckan -c ckan.ini bonos auditar [--publicacion NAME] [--json]
"""
from __future__ import annotations

import contextlib
import json
import time

import click


@click.group(short_help="ckanext-bonos: import publications, demo data, push to other portals.")
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
@click.option("--suprimir", is_flag=True,
              help="The execution summaries and payment histories hold true counts: "
                   "suppress them first with the publishers' tool (as `bonos suprimir`).")
def import_(directory, user, suprimir):
    """Create or update publications from DIRECTORY/manifest.json and its files.

    Safe to run again: what did not change is left alone.
    """
    if not suprimir:
        _import(directory, user)
        return
    import tempfile

    from ckanext.bonos.disclosure.secondary import SuppressionFailed
    from ckanext.bonos.importer import ManifestError
    from ckanext.bonos.importer.suppression import suppress_folder

    with tempfile.TemporaryDirectory(prefix="bonos-publicable-") as copy:
        try:
            suppress_folder(directory, copy, echo=click.echo)
        except (ManifestError, ValueError, SuppressionFailed) as e:
            raise click.ClickException(str(e))
        _import(copy, user)


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


@bonos.command("push")
@click.option("--target", "-t", "target_names", multiple=True, metavar="NAME",
              help="Push to this target only (default: every configured target).")
@click.option("--dry-run", is_flag=True, help="Compare and report; write nothing.")
@click.option("--dataset", default=None, metavar="NAME",
              help="Push (or withdraw) this one publication only.")
@click.option("--json", "as_json", is_flag=True, help="Print the report(s) as JSON.")
def push(target_names, dry_run, dataset, as_json):
    """Push public publications and their valid files to other CKAN portals.

    Creates what is missing, updates what changed, writes nothing otherwise,
    and withdraws what is no longer public. Exit status 1 if anything failed.
    """
    from ckanext.bonos.sync import source, targets
    from ckanext.bonos.sync.push import push as run_push

    try:
        chosen = ([targets.get(n) for n in target_names] if target_names
                  else targets.all_targets())
        for target in chosen:
            target.token   # fail before any work when the variable is empty
    except targets.TargetError as e:
        raise click.ClickException(str(e))
    results = []
    with _request_context():
        publications = source.read(dataset)   # once, for every target
        for target in chosen:
            echo = (lambda text: None) if as_json else click.echo
            report = run_push(target, dry_run=dry_run, only=dataset, echo=echo,
                              publications=publications)
            results.append(report)
            if not as_json:
                counts = report["counts"]
                click.echo("%s%s: %s (%.1f s)" % (
                    target.name, " (dry run)" if dry_run else "",
                    ", ".join("%d %s" % (counts[k], k) for k in counts), report["duration_s"]))
                for failure in report["failures"]:
                    click.secho("  failed %s (%s): %s" % (
                        failure["dataset"], failure["action"], failure["message"]),
                        fg="red", err=True)
    if as_json:
        click.echo(json.dumps(results[0] if len(results) == 1 else results,
                              ensure_ascii=False, indent=2))
    if any(not r["ok"] for r in results):
        raise click.exceptions.Exit(1)


@bonos.command("auditar")
@click.option("--publicacion", "-p", default=None, metavar="NAME",
              help="Only this publication (with the tables it links to).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def auditar(publicacion, as_json):
    """Audit again the summary tables already stored (disclosure control).

    For tables loaded before the audit existed or before a threshold was raised.
    Lists every cell an outsider can narrow; changes nothing. Exit status 1 if any
    cell is unsafe or an audit could not finish.
    """
    from ckanext.bonos.uploads.audit import audit_stored

    with _request_context():
        report = audit_stored(publicacion)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        cells = report["celdas_revelables"]
        click.echo("publicaciones auditadas / publications audited: %d; celdas revelables / "
                   "unsafe cells: %d" % (report["publicaciones_auditadas"], len(cells)))
        for c in cells:
            click.echo("  %s, fila/row %d, %s: %s..%s (umbral/threshold %d)" % (
                c["tabla"], c["fila"], c["columna"], c["desde"],
                "sin límite/no limit" if c["hasta"] is None else c["hasta"], c["umbral"]))
        for h in report["sin_veredicto"]:
            click.secho("  sin veredicto / no verdict: %s (%s)" % (h["publicacion"], h["motivo"]),
                        fg="red", err=True)
    if report["celdas_revelables"] or report["sin_veredicto"]:
        raise click.exceptions.Exit(1)


@bonos.command("suprimir")
@click.argument("archivos", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
@click.option("--salida", "-o", required=True, type=click.Path(file_okay=False),
              help="Folder for the publishable tables (same file names).")
@click.option("--umbral", default=5, show_default=True, type=click.IntRange(2, 1000),
              help="Suppression threshold of the publication (umbral_supresion).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def suprimir(archivos, salida, umbral, as_json):
    """Write publishable tables from linked raw tables with their true counts.

    Give together every resumen_ejecucion and historial_pagos of the same
    programme and period (they are linked by sums). Counts from 1 to UMBRAL-1 are
    suppressed with their whole row, then as few other rows as the audit needs, so
    that no suppressed count can be worked out. The same input gives the same bytes.
    """
    import os

    from ckanext.bonos.disclosure import files as disclosure_files
    from ckanext.bonos.disclosure.secondary import SuppressionFailed

    start = time.monotonic()
    names = [os.path.basename(a) for a in archivos]
    if len(set(names)) != len(names):
        raise click.ClickException("Dos archivos tienen el mismo nombre / "
                                   "Two files have the same name")
    raw = {}
    for path, name in zip(archivos, names):
        with open(path, "rb") as f:
            raw[name] = f.read()
    try:
        out = disclosure_files.suppress_files(raw, umbral=umbral)
    except (ValueError, SuppressionFailed) as e:
        raise click.ClickException(str(e))
    os.makedirs(salida, exist_ok=True)
    for name, data in out.contents.items():
        with open(os.path.join(salida, name), "wb") as f:
            f.write(data)
    report = {"umbral": umbral, "rondas": out.rounds,
              "tablas": [s.as_dict() for s in out.summaries],
              "segundos": round(time.monotonic() - start, 2)}
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for s in out.summaries:
        click.echo(
            "%s (%s): %d de %d filas suprimidas (%d primarias, %d secundarias), "
            "%d celdas; %.2f%% de %s y %.2f%% de los lempiras / %d of %d rows "
            "suppressed (%d primary, %d secondary), %d cells; %.2f%% of %s and %.2f%% "
            "of the lempiras" % (
                s.name, s.tabla, s.filas_suprimidas, s.filas, s.primarias, s.secundarias,
                s.celdas_suprimidas, _share(s.unidades_suprimidas, s.unidades),
                "los hogares" if s.tabla == "resumen_ejecucion" else "las transferencias",
                _share(s.lempiras_suprimidos, s.lempiras), s.filas_suprimidas, s.filas,
                s.primarias, s.secundarias, s.celdas_suprimidas,
                _share(s.unidades_suprimidas, s.unidades),
                "households" if s.tabla == "resumen_ejecucion" else "transfers",
                _share(s.lempiras_suprimidos, s.lempiras)))
    click.echo("-> %s (%.1f s)" % (salida, time.monotonic() - start))


def _share(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def get_commands():
    return [bonos]
