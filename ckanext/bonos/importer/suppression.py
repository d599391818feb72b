"""``ckan bonos import DIR --suprimir``: import raw tables through the publishers' tool.

The folder's execution summaries and payment histories hold true counts; before
anything is imported they are suppressed together, per programme and overlapping
periods (the tables the upload audit links), into a copy of the folder, which is
then imported like any other. The folder itself is not changed.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List

from ckanext.bonos import disclosure
from ckanext.bonos.disclosure import files as disclosure_files

from . import manifest as manifest_mod


def _groups(publications) -> List[List]:
    """Publications whose linked tables an audit sees together: same programme,
    periods that overlap (transitively)."""
    by_programme: Dict[str, list] = {}
    for pub in publications:
        if any(r.fields.get("tabla") in disclosure.LINKED_TABLES for r in pub.resources):
            by_programme.setdefault(str(pub.fields.get("programa")), []).append(pub)
    groups = []
    for pubs in by_programme.values():
        pubs.sort(key=lambda p: (str(p.fields.get("periodo_inicio")), p.name))
        current, end = [], ""
        for pub in pubs:
            start = str(pub.fields.get("periodo_inicio") or "")
            if current and start > end:
                groups.append(current)
                current, end = [], ""
            current.append(pub)
            end = max(end, str(pub.fields.get("periodo_fin") or "9999"))
        if current:
            groups.append(current)
    return groups


def suppress_folder(source, target, echo=None) -> List[disclosure_files.TableSummary]:
    """Copy ``source`` into ``target`` with its linked raw tables suppressed."""
    source, target = Path(source).resolve(), Path(target)
    shutil.copytree(source, target, dirs_exist_ok=True)
    loaded = manifest_mod.load(source)
    summaries = []
    for group in _groups(loaded.publications):
        files = {}
        umbral = 5
        for pub in group:
            try:
                umbral = max(umbral, int(pub.fields.get("umbral_supresion") or 5))
            except (TypeError, ValueError):
                pass
            for res in pub.resources:
                if res.fields.get("tabla") in disclosure.LINKED_TABLES and res.path:
                    files[res.file] = res.path.read_bytes()
        out = disclosure_files.suppress_files(files, umbral=umbral)
        for name, data in out.contents.items():
            (target / name).write_bytes(data)
        summaries.extend(out.summaries)
        if echo:
            for s in out.summaries:
                echo("suprimir %s: %d de %d filas / %d of %d rows (%d + %d)"
                     % (s.name, s.filas_suprimidas, s.filas, s.filas_suprimidas, s.filas,
                        s.primarias, s.secundarias))
    return summaries
