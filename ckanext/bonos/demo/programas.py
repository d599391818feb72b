"""Parameters of the synthetic demo: programmes, magnitudes, territory weights.

Every figure here is invented for demonstration. They are chosen to be
plausible (orders of magnitude, trends, shares), never to describe reality:
the Bono Vida Mejor reaches about 200,000 people in 60,000-70,000 households,
most of the people being children, and every household receives at least
L 2,700 a quarter (more than 10,000 lempiras a year).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple

YEARS = tuple(range(2019, 2026))
QUARTERS = (1, 2, 3, 4)
UMBRAL = 5
MODALIDADES = ("bancaria", "ventanilla", "billetera_electronica", "movil")

#: Relative weight of extreme poverty by department (INE code). Synthetic:
#: higher in the west and La Mosquitia, lower in the big cities and the islands.
POBREZA_DEPARTAMENTO: Dict[str, float] = {
    "01": 0.80, "02": 1.00, "03": 1.00, "04": 1.30, "05": 0.55, "06": 1.20,
    "07": 1.15, "08": 0.60, "09": 1.50, "10": 1.50, "11": 0.30, "12": 1.40,
    "13": 1.60, "14": 1.20, "15": 1.10, "16": 1.25, "17": 1.10, "18": 1.05,
}

#: Departments where mobile pay-points replace bank branches more often.
DEPARTAMENTOS_REMOTOS = frozenset({"09", "10", "13", "15"})


@dataclass(frozen=True)
class Componente:
    codigo: str
    #: share of the programme's households in the component (min, max per municipality)
    proporcion: Tuple[float, float]
    #: people per household counted in the component
    personas_por_hogar: float
    #: lempiras per household per quarter
    monto_trimestral: int


@dataclass(frozen=True)
class Programa:
    codigo: str
    nombre: str
    sigla: str
    #: beneficiary households in the first quarter of each year (national)
    hogares: Dict[int, int]
    #: people per household among beneficiaries (min, max per municipality)
    personas_por_hogar: Tuple[float, float]
    #: exponent applied to the department's poverty weight
    focalizacion: float
    #: weight of the municipality that is the departmental capital (XX01)
    peso_cabecera: float
    #: lempiras per person per quarter (programmes without components)
    monto_por_persona: int = 0
    componentes: Tuple[Componente, ...] = ()
    #: minimum transfer per household per quarter (topped up on education)
    minimo_hogar: int = 0
    poblacion: str = ""
    descripcion: str = ""
    unidad_conteo: str = "hogares"
    #: result indicators: (code, name, (value in 2019, value in 2025), yearly noise, target)
    indicadores_resultado: Tuple[Tuple[str, str, Tuple[float, float], float, float], ...] = ()


BONO_VIDA_MEJOR = Programa(
    codigo="bono_vida_mejor",
    nombre="Bono Vida Mejor",
    sigla="BVM",
    hogares={2019: 61500, 2020: 70500, 2021: 68000, 2022: 56500,
             2023: 59000, 2024: 62500, 2025: 65000},
    personas_por_hogar=(2.9, 3.5),
    focalizacion=1.0,
    peso_cabecera=1.5,
    componentes=(
        Componente("educacion", (0.70, 0.80), 1.8, 2600),
        Componente("salud", (0.45, 0.60), 1.4, 1600),
        Componente("nutricion", (0.30, 0.40), 1.2, 1200),
    ),
    minimo_hogar=2700,
    poblacion="hogares en extrema pobreza con niñas, niños y adolescentes",
    descripcion=("transferencia monetaria condicionada a la asistencia escolar, los "
                 "controles de salud y la nutrición de niñas y niños"),
    # (code, name, (start value, end value), yearly noise, target)
    indicadores_resultado=(
        ("BVM.R01", "Asistencia escolar de niñas, niños y adolescentes beneficiarios (6 a 17 años)",
         (86.0, 92.5), 1.2, 90.0),
        ("BVM.R02", "Menores de 5 años beneficiarios con controles de salud al día",
         (74.0, 86.0), 1.5, 85.0),
        ("BVM.R03", "Desnutrición crónica en menores de 5 años beneficiarios",
         (29.0, 22.0), 1.0, 22.0),
        ("BVM.R04", "Hogares beneficiarios que superan la línea de pobreza extrema en el año",
         (3.0, 6.5), 0.6, 5.0),
    ),
)

BONO_TERCERA_EDAD = Programa(
    codigo="bono_tercera_edad",
    nombre="Bono Tercera Edad",
    sigla="BTE",
    hogares={2019: 28500, 2020: 30500, 2021: 31500, 2022: 32000,
             2023: 33500, 2024: 35000, 2025: 36500},
    personas_por_hogar=(1.04, 1.12),
    focalizacion=0.5,
    peso_cabecera=2.5,
    monto_por_persona=1500,
    poblacion="personas adultas mayores de 65 años sin pensión en hogares pobres",
    descripcion="transferencia monetaria no condicionada a personas adultas mayores",
    unidad_conteo="personas",
    indicadores_resultado=(
        ("BTE.R01", "Personas beneficiarias con control de salud en el año",
         (58.0, 72.0), 1.5, 70.0),
        ("BTE.R02", "Personas beneficiarias que destinan el bono a alimentos y medicinas",
         (82.0, 88.0), 1.2, 0.0),
    ),
)

BONO_DISCAPACIDAD = Programa(
    codigo="bono_discapacidad",
    nombre="Bono Discapacidad",
    sigla="BDI",
    hogares={2019: 8200, 2020: 8900, 2021: 9400, 2022: 9800,
             2023: 10400, 2024: 11000, 2025: 11500},
    personas_por_hogar=(1.02, 1.07),
    focalizacion=0.3,
    peso_cabecera=2.5,
    monto_por_persona=1750,
    poblacion="personas con discapacidad severa en hogares pobres",
    descripcion="transferencia monetaria no condicionada a personas con discapacidad severa",
    unidad_conteo="personas",
    indicadores_resultado=(
        ("BDI.R01", "Personas beneficiarias con certificación de discapacidad vigente",
         (84.0, 96.0), 1.0, 95.0),
        ("BDI.R02", "Personas beneficiarias que reciben servicios de rehabilitación",
         (28.0, 42.0), 1.5, 40.0),
    ),
)

PROGRAMAS: Dict[str, Programa] = {
    p.codigo: p for p in (BONO_VIDA_MEJOR, BONO_TERCERA_EDAD, BONO_DISCAPACIDAD)}
