"""Synthetic demo data: a folder of summary CSVs and a manifest for the importer.

``generate(out_dir)`` writes, deterministically (same seed, same bytes):

- per programme (Bono Vida Mejor, Bono Tercera Edad, Bono Discapacidad) and
  year (2019-2025): a ``resumen_ejecucion`` publication (quarter x municipality
  x component, all 298 municipalities) and a ``historial_pagos`` publication;
- per programme: ``indicadores_proceso`` (quarterly) and
  ``indicadores_resultado`` (yearly) publications, national and by department;
- ``manifest.json`` (format in ``ckanext/bonos/importer/README.md``).

Every title, description and methodology says the figures are synthetic. The
magnitudes are in ``programas.py``; the simulation in ``simulacion.py``; the
CSV rows in ``tablas.py``, suppressed by the publishers' tool
(``ckanext.bonos.disclosure``) so that every file passes the upload audit.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Optional

from ckanext.bonos import vocab

from . import publicaciones, tablas
from .programas import PROGRAMAS, UMBRAL, YEARS
from .publicaciones import AVISO
from .simulacion import Simulacion

__all__ = ["generate", "DEFAULT_SEED", "AVISO", "PROGRAMAS", "YEARS", "UMBRAL"]

DEFAULT_SEED = "ckanext-bonos-demo-1"
MANIFEST = "manifest.json"


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds it (atomic replace); True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def generate(out_dir, *, years: Optional[Iterable[int]] = None,
             programas: Optional[Iterable[str]] = None,
             departamentos: Optional[Iterable[str]] = None,
             seed: str = DEFAULT_SEED) -> dict:
    """Write the demo folder into ``out_dir``; return the manifest.

    ``years``, ``programas`` and ``departamentos`` restrict the output (for
    small test folders); the figures of what is kept do not change.
    National figures (indicators without a department) stay national.
    """
    out = Path(out_dir)
    anios = sorted(set(years)) if years is not None else list(YEARS)
    if not anios or any(a not in YEARS for a in anios):
        raise ValueError("years must be within %d-%d" % (YEARS[0], YEARS[-1]))
    codigos = list(programas) if programas is not None else list(PROGRAMAS)
    desconocidos = [c for c in codigos if c not in PROGRAMAS]
    if desconocidos:
        raise ValueError("unknown programmes: %s" % ", ".join(desconocidos))
    todos = list(vocab.departamentos())
    if departamentos is None:
        deptos = None
        lista_deptos = todos
    else:
        deptos = set(departamentos)
        if not deptos or deptos - set(todos):
            raise ValueError("unknown departments: %s" % sorted(deptos - set(todos)))
        lista_deptos = sorted(deptos)

    pubs = []
    for codigo in codigos:
        p = PROGRAMAS[codigo]
        sim = Simulacion(p, seed)
        suprimidos = set()
        for anio in anios:
            resumen, historial, ocultos = tablas.publicables(sim, anio, deptos)
            suprimidos |= ocultos
            for tipo, datos in (("resumen_ejecucion", resumen), ("historial_pagos", historial)):
                pub = publicaciones.anual(p, tipo, anio, lista_deptos)
                _write(out / pub["resources"][0]["file"], datos)
                pubs.append(pub)
        pub = publicaciones.indicadores(p, "indicadores_proceso", anios, lista_deptos)
        _write(out / pub["resources"][0]["file"],
               tablas.indicadores_proceso(sim, anios, deptos, suprimidos))
        pubs.append(pub)
        pub = publicaciones.indicadores(p, "indicadores_resultado", anios, lista_deptos)
        _write(out / pub["resources"][0]["file"], tablas.indicadores_resultado(sim, anios, deptos))
        pubs.append(pub)

    manifest = publicaciones.manifiesto(pubs)
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    _write(out / MANIFEST, data)
    return manifest
