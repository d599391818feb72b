"""Rows of the three summary tables, following their Table Schemas exactly.

``resumen_ejecucion`` and ``historial_pagos`` are first written raw, with their
true counts, and then suppressed together by the publishers' tool
(``ckanext.bonos.disclosure``: primary cells, the row rule, audited complements),
as SEDIS would before uploading. A true zero stays 0. Amounts are written with two
decimals.
"""
from __future__ import annotations

import csv
import io
from typing import Dict, Iterable, List, Optional, Sequence

from ckanext.bonos import tables, vocab
from ckanext.bonos.disclosure import files as disclosure_files

from .programas import QUARTERS, UMBRAL, Programa
from .simulacion import Celda, Simulacion, periodo, rng

MARCADOR = tables.SUPPRESSION_MARKER


def encabezado(tabla: str) -> List[str]:
    return [f["name"] for f in tables.table_schema(tabla)["fields"]]


def conteo(n: int) -> str:
    return str(n)


def lempiras(centavos: int) -> str:
    return "%d.%02d" % divmod(centavos, 100)


def csv_bytes(tabla: str, filas: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(encabezado(tabla))
    writer.writerows(filas)
    return out.getvalue().encode("utf-8")


def _seleccion(celdas: List[Celda], departamentos: Optional[set]) -> List[Celda]:
    if departamentos is None:
        return celdas
    return [c for c in celdas if c.departamento in departamentos]


# -- resumen_ejecucion ----------------------------------------------------------
def resumen_ejecucion(sim: Simulacion, anio: int, departamentos=None) -> bytes:
    p = sim.p
    filas = []
    for t in QUARTERS:
        per = periodo(anio, t)
        for c in _seleccion(sim.trimestre(anio, t), departamentos):
            base = [per, c.departamento, c.municipio, p.codigo]
            for codigo, comp in c.componentes.items():
                filas.append(base + [codigo, conteo(comp.hogares), conteo(comp.personas),
                                     lempiras(comp.programado), lempiras(comp.transferido)])
            filas.append(base + ["total", conteo(c.hogares), conteo(c.personas),
                                 lempiras(c.programado), lempiras(c.transferido)])
    return csv_bytes("resumen_ejecucion", filas)


# -- historial_pagos --------------------------------------------------------------
def historial_pagos(sim: Simulacion, anio: int, departamentos=None) -> bytes:
    p = sim.p
    filas = []
    for t in QUARTERS:
        per = periodo(anio, t)
        for c in _seleccion(sim.trimestre(anio, t), departamentos):
            for pago in c.pagos:
                filas.append([per, pago.fecha.isoformat(), c.departamento, c.municipio,
                              p.codigo, pago.modalidad, conteo(pago.transferencias),
                              lempiras(pago.monto), pago.estado])
    return csv_bytes("historial_pagos", filas)


# -- both, suppressed ------------------------------------------------------------------
def publicables(sim: Simulacion, anio: int, departamentos=None):
    """The year's ``(resumen, historial, suprimidos)``: both tables suppressed together
    (they are linked: a total's amount transferred is the sum of its paid rows), and
    the ``(periodo, municipio)`` whose total row is suppressed."""
    salida = disclosure_files.suppress_files({
        "resumen_ejecucion.csv": resumen_ejecucion(sim, anio, departamentos),
        "historial_pagos.csv": historial_pagos(sim, anio, departamentos),
    }, umbral=UMBRAL)
    resumen = salida.contents["resumen_ejecucion.csv"]
    suprimidos = set()
    for fila in csv.DictReader(io.StringIO(resumen.decode("utf-8"))):
        if fila["componente"] == "total" and fila["hogares"] == MARCADOR:
            suprimidos.add((fila["periodo"], fila["municipio_codigo"]))
    return resumen, salida.contents["historial_pagos.csv"], suprimidos


# -- indicadores --------------------------------------------------------------------
def _pct(num: float, den: float) -> Optional[float]:
    return 100.0 * num / den if den else None


def _fmt(valor: Optional[float], decimales: int = 1) -> str:
    if valor is None:
        return ""
    return "%.*f" % (decimales, valor)


def _por_departamento(celdas: List[Celda]) -> Dict[str, List[Celda]]:
    grupos: Dict[str, List[Celda]] = {}
    for c in celdas:
        grupos.setdefault(c.departamento, []).append(c)
    return grupos


def _beneficiarios(p: Programa, celdas: List[Celda]) -> int:
    if p.unidad_conteo == "hogares":
        return sum(c.hogares for c in celdas)
    return sum(c.personas for c in celdas)


def _revela_suprimidos(celdas: List[Celda], per: str, suprimidos: set) -> bool:
    """Whether publishing the total of ``celdas`` could give away a suppressed cell.

    The execution summary publishes every municipality: a total minus the
    published municipalities is the sum of the suppressed ones, and the audit of
    the summary does not see the indicators. So a department's or the nation's
    count is withheld whenever one of its municipalities' total rows is suppressed.
    """
    return any((per, c.municipio) in suprimidos for c in celdas)


def _meta_cobertura(sim: Simulacion, anio: int, territorio: str) -> str:
    """The year's coverage target: the first quarter's coverage plus a few per cent."""
    celdas = sim.trimestre(anio, 1)
    if territorio:
        celdas = [c for c in celdas if c.departamento == territorio]
        factor = rng(sim.seed, sim.p.codigo, "meta", territorio, anio).uniform(1.0, 1.06)
        return str(round(_beneficiarios(sim.p, celdas) * factor))
    return str(int(round(_beneficiarios(sim.p, celdas) * 1.04, -2)))


def indicadores_proceso(sim: Simulacion, anios: Sequence[int], departamentos=None,
                        suprimidos: Optional[set] = None) -> bytes:
    """``suprimidos``: the ``(periodo, municipio)`` of suppressed total rows of the
    execution summaries (``publicables``); computed here when not given."""
    if suprimidos is None:
        suprimidos = set()
        for anio in anios:
            suprimidos |= publicables(sim, anio)[2]
    p = sim.p
    seed = sim.seed
    sujeto = ("Hogares beneficiarios" if p.unidad_conteo == "hogares"
              else "Personas beneficiarias")
    deptos = sorted(departamentos) if departamentos is not None else list(vocab.departamentos())
    definiciones = [
        ("P01", "Hogares con transferencia pagada en el trimestre", "porcentaje"),
        ("P02", "Ejecución financiera: monto transferido sobre monto programado", "porcentaje"),
    ]
    if p.componentes:
        definiciones.append(("P03", "Hogares con corresponsabilidades verificadas", "porcentaje"))
    definiciones += [
        ("P04", "Transferencias pagadas por cuenta bancaria o billetera electrónica", "porcentaje"),
        ("P05", "%s en el trimestre" % sujeto, p.unidad_conteo),
    ]
    if p.componentes:
        definiciones.append(("P06", "Personas beneficiarias menores de 18 años", "porcentaje"))

    filas = []
    for codigo, nombre, unidad in definiciones:
        for anio in anios:
            for t in QUARTERS:
                celdas = sim.trimestre(anio, t)
                grupos = _por_departamento(celdas)
                territorios = [("", celdas)] + [(d, grupos.get(d, [])) for d in deptos]
                # Department-level synthetic inputs, national = weighted by households.
                sinteticos = {}
                for d in vocab.departamentos():
                    r = rng(seed, p.codigo, "proceso", d, anio, t)
                    ajuste = rng(seed, p.codigo, "proceso-depto", d).gauss(0.0, 2.5)
                    sinteticos[d] = {
                        "P03": min(98.0, 80.0 + 2.0 * (anio - 2019) + ajuste + r.gauss(0.0, 1.5)),
                        "P06": min(75.0, max(60.0, 68.0 + ajuste / 2 + r.gauss(0.0, 1.0))),
                    }
                for territorio, grupo in territorios:
                    hogares = sum(c.hogares for c in grupo)
                    meta = ""
                    if codigo == "P01":
                        valor, meta = _pct(sum(c.pagados for c in grupo), hogares), "97"
                    elif codigo == "P02":
                        valor = _pct(sum(c.transferido for c in grupo),
                                     sum(c.programado for c in grupo))
                        meta = "95"
                    elif codigo == "P04":
                        valor = _pct(sum(c.electronicos for c in grupo),
                                     sum(c.pagados for c in grupo))
                        meta = str(30 + 5 * (anio - 2019))
                    elif codigo == "P05":
                        valor = float(_beneficiarios(p, grupo))
                        if 1 <= valor < UMBRAL or _revela_suprimidos(
                                grupo, periodo(anio, t), suprimidos):
                            continue
                        meta = _meta_cobertura(sim, anio, territorio)
                    else:   # P03, P06: synthetic, weighted by households nationally
                        pesos = _por_departamento(grupo)
                        total = sum(sum(c.hogares for c in g) for g in pesos.values())
                        valor = (sum(sinteticos[d][codigo] * sum(c.hogares for c in g)
                                     for d, g in pesos.items()) / total) if total else None
                        meta = "90" if codigo == "P03" else ""
                    if valor is None:
                        continue
                    decimales = 0 if unidad != "porcentaje" else 1
                    filas.append([f"{p.sigla}.{codigo}", nombre, "proceso", periodo(anio, t),
                                  territorio, _fmt(valor, decimales), meta, unidad])
    return csv_bytes("indicadores", filas)


def indicadores_resultado(sim: Simulacion, anios: Sequence[int], departamentos=None) -> bytes:
    p = sim.p
    seed = sim.seed
    deptos = sorted(departamentos) if departamentos is not None else list(vocab.departamentos())
    filas = []
    for codigo, nombre, (inicio, fin), ruido, meta in p.indicadores_resultado:
        for anio in anios:
            avance = (anio - 2019) / 6.0
            grupos = _por_departamento(sim.trimestre(anio, 4))
            valores, pesos = {}, {}
            for d in vocab.departamentos():
                ajuste = rng(seed, codigo, "depto", d).gauss(0.0, 2.0)
                r = rng(seed, codigo, "anual", d, anio)
                v = inicio + (fin - inicio) * avance + ajuste + r.gauss(0.0, ruido)
                valores[d] = min(100.0, max(0.0, v))
                pesos[d] = sum(c.hogares for c in grupos.get(d, []))
            total = sum(pesos.values())
            nacional = sum(valores[d] * pesos[d] for d in valores) / total
            meta_txt = _fmt(meta) if meta else ""
            filas.append([codigo, nombre, "resultado", str(anio), "", _fmt(nacional),
                          meta_txt, "porcentaje"])
            for d in deptos:
                if pesos[d]:
                    filas.append([codigo, nombre, "resultado", str(anio), d, _fmt(valores[d]),
                                  meta_txt, "porcentaje"])
    return csv_bytes("indicadores", filas)
