"""Benchmark of the upload checker on a 1,000,000-row historial_pagos CSV.

Generates a deterministic (seeded) valid file in a temporary directory: every one of
the 298 municipalities, monthly periods 2019-01 to 2025-12, the default programmes,
every payment method and status, some departmental rows (no municipality), small
counts published as 'suprimido'. Then times ``validate()`` (3 runs, median) and a
full iteration of ``read_rows()`` (3 runs, median), each run in its own Python
subprocess, and prints rows/s, the peak memory of each run and the file size.

Peak memory is the subprocess's peak resident set size (``ru_maxrss`` from
``resource.getrusage(RUSAGE_SELF)`` read by the subprocess at its end, cross-checked
with ``RUSAGE_CHILDREN`` in this process): the whole interpreter, imports included,
not only what the validation allocated.

Targets: >= 100,000 rows/s for validate() and a peak under 300 MB. A benchmark
prints; it does not assert.

    .venv/bin/python bench/validation.py [--rows N] [--runs 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from ckanext.bonos import vocab  # noqa: E402

TARGET_ROWS_PER_S = 100_000
TARGET_PEAK_MB = 300
UMBRAL = 5

HEADER = ("periodo,fecha_pago,departamento_codigo,municipio_codigo,programa,"
          "modalidad_pago,transferencias,monto_hnl,estado\r\n")
PROGRAMAS = [code for code, _es, _en in vocab.PROGRAMAS_PREDETERMINADOS]
MODALIDADES = ["bancaria", "ventanilla", "billetera_electronica", "movil"]
ESTADOS = ["pagado", "pendiente", "rechazado", "reprogramado"]
# Most money is paid; the other statuses are a small share of each payment.
ESTADO_SHARE = {"pagado": 1.0, "pendiente": 0.06, "rechazado": 0.02, "reprogramado": 0.03}
MODALIDAD_SHARE = {"bancaria": 0.45, "ventanilla": 0.25, "billetera_electronica": 0.2,
                   "movil": 0.1}
PROGRAMA_SHARE = {"bono_vida_mejor": 1.0, "bono_tercera_edad": 0.15,
                  "bono_discapacidad": 0.05}
PAGO_HNL = {"bono_vida_mejor": 3333.33, "bono_tercera_edad": 1500.0,
            "bono_discapacidad": 1500.0}


def generate(path: str, rows: int, seed: int = 2024) -> int:
    """Write ``rows`` valid data rows; returns the file size in bytes."""
    rng = random.Random(seed)
    municipios = sorted(vocab.municipios().values(), key=lambda m: m["codigo"])
    # A stable "size" per municipality: a few large cities, many small places.
    size = {m["codigo"]: rng.lognormvariate(5.0, 1.1) for m in municipios}
    periodos = [(y, m) for y in range(2019, 2026) for m in range(1, 13)]
    combos = [(p, mo, e) for p in PROGRAMAS for mo in MODALIDADES for e in ESTADOS]
    places = [(m["departamento_codigo"], m["codigo"]) for m in municipios]
    places += [(d, "") for d in sorted(vocab.departamentos())]   # departmental rows
    candidates = len(periodos) * len(places) * len(combos)
    if rows > candidates:
        raise SystemExit(f"at most {candidates:,} distinct rows")
    seen = written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for year, month in periodos:
            periodo = f"{year}-{month:02d}"
            for dep, mun in places:
                base = size[mun] if mun else 40 * statistics.fmean(size.values())
                for programa, modalidad, estado in combos:
                    # Selection sampling: exactly `rows` of the candidates, spread
                    # evenly over all periods and places.
                    seen += 1
                    if rng.random() * (candidates - seen + 1) >= rows - written:
                        continue
                    lines.append(_row(rng, periodo, year, month, dep, mun, base,
                                      programa, modalidad, estado))
                    written += 1
                if len(lines) >= 10000:
                    out.write("".join(lines))
                    lines.clear()
        out.write("".join(lines))
    return os.path.getsize(path)


def _row(rng, periodo, year, month, dep, mun, base, programa, modalidad, estado) -> str:
    mean = (base * PROGRAMA_SHARE[programa] * MODALIDAD_SHARE[modalidad]
            * ESTADO_SHARE[estado])
    count = int(rng.expovariate(1 / mean)) if mean > 0 else 0
    amount = round(count * PAGO_HNL[programa] * rng.uniform(0.97, 1.0), 2)
    shown = "suprimido" if 0 < count < UMBRAL else str(count)
    fecha = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    return (f"{periodo},{fecha},{dep},{mun},{programa},{modalidad},{shown},"
            f"{amount:.2f},{estado}\r\n")


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from ckanext.bonos.validation import validate, read_rows
path, what = sys.argv[1], sys.argv[2]
start = time.perf_counter()
with open(path, "rb") as stream:
    if what == "validate":
        report = validate(stream, "historial_pagos", umbral={umbral})
        rows, state, total = report.filas, report.estado, report.total_errores
    else:
        _fields, records = read_rows(stream, "historial_pagos")
        rows = suppressed = 0
        for record in records:
            rows += 1
            suppressed += record["transferencias"] is None
        state, total = "leido", suppressed
elapsed = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"elapsed": elapsed, "rows": rows, "estado": state, "n": total,
                  "peak_mb": peak_kb / 1024}}))
"""


def run_child(path: str, what: str) -> dict:
    code = CHILD.format(root=ROOT, umbral=UMBRAL)
    done = subprocess.run([sys.executable, "-c", code, path, what], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def measure(path: str, what: str, runs: int) -> dict:
    results = [run_child(path, what) for _ in range(runs)]
    return {"elapsed": statistics.median(r["elapsed"] for r in results),
            "all": [r["elapsed"] for r in results],
            "peak_mb": max(r["peak_mb"] for r in results),
            "rows": results[0]["rows"], "estado": results[0]["estado"],
            "n": results[0]["n"]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the CSV in this directory and keep it")
    args = parser.parse_args(argv)

    directory = args.keep or tempfile.mkdtemp(prefix="bonos-bench-")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "historial_pagos.csv")
    try:
        start = time.perf_counter()
        size = generate(path, args.rows)
        print(f"generated {args.rows:,} rows, {size / 1e6:.1f} MB "
              f"in {time.perf_counter() - start:.1f} s: {path}")

        val = measure(path, "validate", args.runs)
        rate = val["rows"] / val["elapsed"]
        print(f"validate():  {val['rows']:,} rows, estado={val['estado']}, "
              f"{val['n']} problems; median {val['elapsed']:.2f} s of "
              f"{', '.join(f'{t:.2f}' for t in val['all'])} -> {rate:,.0f} rows/s, "
              f"{size / 1e6 / val['elapsed']:.1f} MB/s; peak RSS {val['peak_mb']:.0f} MB")

        read = measure(path, "read_rows", args.runs)
        read_rate = read["rows"] / read["elapsed"]
        print(f"read_rows(): {read['rows']:,} rows ({read['n']:,} suppressed -> None); "
              f"median {read['elapsed']:.2f} s -> {read_rate:,.0f} rows/s; "
              f"peak RSS {read['peak_mb']:.0f} MB")

        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest subprocess peak RSS (RUSAGE_CHILDREN): {children_mb:.0f} MB")
        ok_rate = rate >= TARGET_ROWS_PER_S
        ok_mem = val["peak_mb"] < TARGET_PEAK_MB
        print(f"target >= {TARGET_ROWS_PER_S:,} rows/s: {'met' if ok_rate else 'NOT met'}; "
              f"target peak < {TARGET_PEAK_MB} MB: {'met' if ok_mem else 'NOT met'}; "
              f"file valid: {'yes' if val['estado'] == 'valido' else 'NO'}")
    finally:
        if not args.keep:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
            os.rmdir(directory)


if __name__ == "__main__":
    main()
