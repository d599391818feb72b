"""Tile-grid layout of Honduras' 18 departments for ``svg.department_map``.

No openly licensed department geometry was available from the package
registries this project can use (the Honduras maps found there carry
linkware or non-commercial terms), so the map is a tile grid: one equal
square per department, placed by hand at its approximate position (column
from west to east, row from north to south) so that neighbours stay
neighbours. The labels are the ISO 3166-2:HN subdivision codes.

code (INE, as in vocab/departamentos.csv) -> (column, row, ISO 3166-2 code)
"""
from __future__ import annotations

from typing import Dict, Tuple

TILES: Dict[str, Tuple[int, int, str]] = {
    "11": (4, 0, "IB"),  # Islas de la Bahía
    "04": (1, 1, "CP"),  # Copán
    "05": (2, 1, "CR"),  # Cortés
    "01": (3, 1, "AT"),  # Atlántida
    "02": (4, 1, "CL"),  # Colón
    "09": (5, 1, "GD"),  # Gracias a Dios
    "14": (0, 2, "OC"),  # Ocotepeque
    "13": (1, 2, "LE"),  # Lempira
    "16": (2, 2, "SB"),  # Santa Bárbara
    "18": (3, 2, "YO"),  # Yoro
    "15": (4, 2, "OL"),  # Olancho
    "10": (1, 3, "IN"),  # Intibucá
    "03": (2, 3, "CM"),  # Comayagua
    "08": (3, 3, "FM"),  # Francisco Morazán
    "07": (4, 3, "EP"),  # El Paraíso
    "12": (2, 4, "LP"),  # La Paz
    "17": (3, 4, "VA"),  # Valle
    "06": (4, 4, "CH"),  # Choluteca
}
