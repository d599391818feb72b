"""The synthetic "true" figures of the demo, before suppression.

Every random draw comes from a generator seeded with the demo seed and the key
of what is drawn (programme, municipality, year, quarter...), so a figure does
not depend on what else is generated: a demo restricted to a few departments
or years shows the same numbers as the full one. Money is kept in integer
centavos so that totals add up exactly.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Tuple

from ckanext.bonos import vocab

from .programas import DEPARTAMENTOS_REMOTOS, MODALIDADES, POBREZA_DEPARTAMENTO, Programa


def rng(seed: str, *key) -> random.Random:
    """A generator for one key (a str seed is hashed with SHA-512: stable across runs)."""
    return random.Random("|".join((seed,) + tuple(str(k) for k in key)))


def reparto(total: int, pesos: Sequence[float]) -> List[int]:
    """Split ``total`` into integers proportional to ``pesos`` (largest remainder)."""
    suma = sum(pesos)
    if total <= 0 or suma <= 0:
        return [0] * len(pesos)
    cuotas = [total * w / suma for w in pesos]
    partes = [int(c) for c in cuotas]
    resto = total - sum(partes)
    orden = sorted(range(len(pesos)), key=lambda i: (-(cuotas[i] - partes[i]), i))
    for i in orden[:resto]:
        partes[i] += 1
    return partes


def inicio_trimestre(anio: int, trimestre: int) -> dt.date:
    return dt.date(anio, 3 * trimestre - 2, 1)


def periodo(anio: int, trimestre: int) -> str:
    return "%d-T%d" % (anio, trimestre)


@dataclass
class Componente:
    hogares: int
    personas: int
    programado: int      # centavos
    transferido: int = 0  # centavos


@dataclass
class Pago:
    fecha: dt.date
    modalidad: str
    estado: str
    transferencias: int
    monto: int           # centavos (paid amount: 0 unless estado is pagado)


@dataclass
class Celda:
    """One municipality in one quarter for one programme."""
    municipio: str
    departamento: str
    hogares: int
    personas: int
    programado: int
    transferido: int
    pagados: int                      # households paid in the quarter
    electronicos: int                 # of them, through bank or e-wallet
    componentes: Dict[str, Componente] = field(default_factory=dict)
    pagos: List[Pago] = field(default_factory=list)


class Simulacion:
    """The true figures of one programme, computed on demand and cached."""

    def __init__(self, programa: Programa, seed: str):
        self.p = programa
        self.seed = seed
        self.municipios = list(vocab.municipios().values())
        self._pesos = [self._peso(m["codigo"], m["departamento_codigo"])
                       for m in self.municipios]
        self._cache: Dict[Tuple[int, int], List[Celda]] = {}

    # -- territory --------------------------------------------------------
    def _peso(self, municipio: str, departamento: str) -> float:
        r = rng(self.seed, self.p.codigo, "peso", municipio)
        peso = math.exp(r.gauss(0.0, 0.7))
        peso *= POBREZA_DEPARTAMENTO[departamento] ** self.p.focalizacion
        if municipio.endswith("01"):
            peso *= self.p.peso_cabecera
        return peso

    def _anual(self, municipio: str, anio: int) -> dict:
        """Per municipality and year: family size, component shares, pay methods."""
        r = rng(self.seed, self.p.codigo, "anual", municipio, anio)
        datos = {
            "personas_por_hogar": r.uniform(*self.p.personas_por_hogar),
            "familia": r.uniform(1.0, 1.06),
            "proporciones": {c.codigo: r.uniform(*c.proporcion) for c in self.p.componentes},
        }
        # Pay methods move from counters to bank accounts and e-wallets over the years.
        avance = (anio - 2019) / 6.0
        base = {
            "bancaria": 0.30 + 0.15 * avance,
            "ventanilla": 0.55 - 0.40 * avance,
            "billetera_electronica": 0.30 * avance,
            "movil": 0.15 - 0.05 * avance,
        }
        if municipio[:2] in DEPARTAMENTOS_REMOTOS:
            base["movil"] += 0.25
            base["bancaria"] *= 0.6
        datos["modalidades"] = {k: max(0.0, v * r.uniform(0.7, 1.3)) for k, v in base.items()}
        return datos

    def fecha_pago(self, departamento: str, anio: int, trimestre: int) -> dt.date:
        r = rng(self.seed, self.p.codigo, "fecha", departamento, anio, trimestre)
        return inicio_trimestre(anio, trimestre) + dt.timedelta(days=30 + r.randint(0, 20))

    # -- one quarter ------------------------------------------------------
    def hogares_nacionales(self, anio: int, trimestre: int) -> int:
        r = rng(self.seed, self.p.codigo, "nacional", anio, trimestre)
        rampa = (1.0, 1.008, 1.015, 1.02)[trimestre - 1]
        return round(self.p.hogares[anio] * rampa * (1 + r.gauss(0.0, 0.004)))

    def trimestre(self, anio: int, trimestre: int) -> List[Celda]:
        clave = (anio, trimestre)
        if clave not in self._cache:
            self._cache[clave] = self._simular(anio, trimestre)
        return self._cache[clave]

    def _simular(self, anio: int, trimestre: int) -> List[Celda]:
        pesos = []
        for m, peso in zip(self.municipios, self._pesos):
            r = rng(self.seed, self.p.codigo, "ruido", m["codigo"], anio, trimestre)
            pesos.append(max(0.05, peso * (1 + r.gauss(0.0, 0.03))))
        hogares = reparto(self.hogares_nacionales(anio, trimestre), pesos)
        return [self._celda(m, h, anio, trimestre) for m, h in zip(self.municipios, hogares)]

    def _celda(self, m: dict, hogares: int, anio: int, trimestre: int) -> Celda:
        p = self.p
        codigo, depto = m["codigo"], m["departamento_codigo"]
        anual = self._anual(codigo, anio)
        r = rng(self.seed, p.codigo, "celda", codigo, anio, trimestre)
        personas = max(hogares, round(hogares * anual["personas_por_hogar"]))
        componentes: Dict[str, Componente] = {}
        if p.componentes:
            for c in p.componentes:
                h = round(hogares * anual["proporciones"][c.codigo])
                pc = max(h, round(h * c.personas_por_hogar * (1 + r.gauss(0.0, 0.05))))
                monto = round(h * c.monto_trimestral * 100 * anual["familia"])
                componentes[c.codigo] = Componente(h, pc, monto)
            personas = max([personas] + [c.personas for c in componentes.values()])
            programado = sum(c.programado for c in componentes.values())
            minimo = hogares * p.minimo_hogar * 100
            if programado < minimo:
                # Every household gets at least the minimum; the top-up goes to education.
                componentes[p.componentes[0].codigo].programado += minimo - programado
                programado = minimo
        else:
            programado = personas * p.monto_por_persona * 100

        celda = Celda(codigo, depto, hogares, personas, programado, 0, 0, 0, componentes)
        if hogares:
            self._pagar(celda, anual, r, anio, trimestre)
        return celda

    def _pagar(self, celda: Celda, anual: dict, r: random.Random, anio: int, trimestre: int):
        hogares = celda.hogares
        if (anio, trimestre) == (2020, 2):
            cumplimiento = r.uniform(0.93, 0.965)   # lockdown: fewer payments made
        else:
            cumplimiento = r.uniform(0.955, 0.995)
        pagados = round(hogares * cumplimiento)
        no_pagados = hogares - pagados
        rechazados = round(no_pagados * 0.4)
        pendientes = no_pagados - rechazados
        reprogramados = round(pagados * r.uniform(0.01, 0.04))
        primer_pago = pagados - reprogramados

        # Amounts paid are rounded cumulatively, so that their sum is exactly the
        # households paid times the amount per household, never above the programme.
        acumulado = [0]

        def monto(n):
            antes = acumulado[0]
            acumulado[0] += n
            return (celda.programado * acumulado[0] // hogares
                    - celda.programado * antes // hogares)

        d1 = self.fecha_pago(celda.departamento, anio, trimestre)
        d2 = d1 + dt.timedelta(days=28)
        modalidades = anual["modalidades"]
        principal = max(MODALIDADES, key=lambda k: (modalidades[k], k))
        pagos = celda.pagos
        electronicos = 0
        for modalidad, n in zip(MODALIDADES,
                                reparto(primer_pago, [modalidades[k] for k in MODALIDADES])):
            if n:
                pagos.append(Pago(d1, modalidad, "pagado", n, monto(n)))
                if modalidad in ("bancaria", "billetera_electronica"):
                    electronicos += n
        if reprogramados + pendientes:
            pagos.append(Pago(d1, principal, "reprogramado", reprogramados + pendientes, 0))
        if rechazados:
            pagos.append(Pago(d1, principal, "rechazado", rechazados, 0))
        if reprogramados:
            # Rescheduled payments are made at the counter four weeks later.
            pagos.append(Pago(d2, "ventanilla", "pagado", reprogramados, monto(reprogramados)))
        if pendientes:
            pagos.append(Pago(d2, "ventanilla", "pendiente", pendientes, 0))

        celda.pagados = pagados
        celda.electronicos = electronicos
        celda.transferido = sum(pago.monto for pago in pagos)
        # Split the money transferred over the components, exactly.
        if celda.componentes:
            items = list(celda.componentes.values())
            for c in items:
                c.transferido = celda.transferido * c.programado // celda.programado
            # The centavos lost to rounding go to the largest component.
            mayor = max(items, key=lambda c: c.programado)
            mayor.transferido += celda.transferido - sum(c.transferido for c in items)
