"""Benchmark of the upload checker and the disclosure audit on a 1,000,000-row historial_pagos CSV.

Generates a deterministic (seeded) valid file in a temporary directory: every one of
the 298 municipalities, monthly periods 2019-01 to 2025-12, the default programmes,
every payment method and status, small counts published as 'suprimido' with their
row, and the linked resumen_ejecucion (one total row per month, place and programme,
whose amount transferred is the sum of the paid rows), suppressed as a publisher
would. Then times, each run in its own Python subprocess (median of --runs):

- ``validate()`` of the history alone;
- a full iteration of ``read_rows()`` (what the DataStore load reads);
- end to end as an upload is checked (``uploads.audit``): both files validated,
  their rows collected for the audit on the way (one parse), then audited together
  (linked, reduced to what the solver needs, solved);
- the audit of the largest demo pair (Bono Vida Mejor 2025), in this process.

Peak memory is the subprocess's peak resident set size (``ru_maxrss`` from
``resource.getrusage(RUSAGE_SELF)`` read by the subprocess at its end, cross-checked
with ``RUSAGE_CHILDREN`` in this process): the whole interpreter, imports included,
not only what the validation allocated.

Targets: >= 100,000 rows/s and a peak under 300 MB for validate() and for
validate + audit; the demo pair audited in under 5 s. A benchmark prints; it does
not assert.

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
RESUMEN_HEADER = ("periodo,departamento_codigo,municipio_codigo,programa,componente,"
                  "hogares,personas,monto_programado_hnl,monto_transferido_hnl\r\n")
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


def generate(directory: str, rows: int, seed: int = 2024) -> tuple:
    """Write ``rows`` historial_pagos rows and the linked resumen_ejecucion, suppressed
    as a publisher would; returns (historial path, resumen path, total bytes).

    Per month, municipality and programme: one payment date, rows by payment method
    and status (transfers drawn around a municipality's size), and a summary 'total'
    row whose amount transferred is exactly the sum of the paid rows (the standard's
    link). Suppression: counts 1-4 with their whole row (the row rule), and where a
    place's paid rows would leave a single hidden row (or hidden rows with fewer than
    two thresholds of transfers) beside a published summary, the smallest other paid
    rows too, or else the summary row. The audit then judges the result.
    """
    rng = random.Random(seed)
    municipios = sorted(vocab.municipios().values(), key=lambda m: m["codigo"])
    # A stable "size" per municipality: a few large cities, many small places.
    size = {m["codigo"]: rng.lognormvariate(5.0, 1.1) for m in municipios}
    per_transfer = {(p, m["codigo"]): PAGO_HNL[p] * rng.uniform(0.9, 1.1)
                    for p in PROGRAMAS for m in municipios}
    periodos = [(y, m) for y in range(2019, 2026) for m in range(1, 13)]
    combos = [(mo, e) for mo in MODALIDADES for e in ESTADOS]
    candidates = len(periodos) * len(municipios) * len(PROGRAMAS) * len(combos)
    if rows > candidates:
        raise SystemExit(f"at most {candidates:,} distinct rows")
    historial = os.path.join(directory, "historial_pagos.csv")
    resumen = os.path.join(directory, "resumen_ejecucion.csv")
    seen = written = 0
    with open(historial, "w", encoding="utf-8", newline="") as out_h, \
            open(resumen, "w", encoding="utf-8", newline="") as out_r:
        out_h.write(HEADER)
        out_r.write(RESUMEN_HEADER)
        for year, month in periodos:
            periodo = f"{year}-{month:02d}"
            for m in municipios:
                dep, mun = m["departamento_codigo"], m["codigo"]
                for programa in PROGRAMAS:
                    fecha = f"{year}-{month:02d}-{10 + PROGRAMAS.index(programa):02d}"
                    group = []
                    for modalidad, estado in combos:
                        # Selection sampling: exactly `rows` of the candidates.
                        seen += 1
                        if rng.random() * (candidates - seen + 1) >= rows - written:
                            continue
                        written += 1
                        mean = (size[mun] * PROGRAMA_SHARE[programa]
                                * MODALIDAD_SHARE[modalidad] * ESTADO_SHARE[estado])
                        count = int(rng.expovariate(1 / mean)) if mean > 0 else 0
                        amount = (round(count * per_transfer[(programa, mun)], 2)
                                  if estado == "pagado" else 0.0)
                        group.append([modalidad, estado, count, amount, False])
                    if group:
                        out_h.write(_place(periodo, fecha, dep, mun, programa, group,
                                           out_r, rng))
    total = os.path.getsize(historial) + os.path.getsize(resumen)
    return historial, resumen, total


def _place(periodo, fecha, dep, mun, programa, group, out_r, rng) -> str:
    hogares = sum(g[2] for g in group)
    transferido = round(sum(g[3] for g in group), 2)
    programado = round(max(transferido, hogares * PAGO_HNL[programa]), 2)
    total_hidden = 0 < hogares < UMBRAL
    for g in group:
        g[4] = total_hidden or 0 < g[2] < UMBRAL
    if not total_hidden:
        # Secondary: the paid rows must not leave a hidden one to subtraction.
        paid = [g for g in group if g[1] == "pagado"]
        while True:
            hidden = [g for g in paid if g[4]]
            shown = sorted((g for g in paid if not g[4] and g[2] > 0), key=lambda g: g[2])
            enough = len(hidden) >= 2 and sum(g[2] for g in hidden) >= 2 * UMBRAL
            if not hidden or enough:
                break
            if not shown:
                total_hidden = True     # nothing left to hide beside it: hide the total
                break
            shown[0][4] = True
    if total_hidden:
        out_r.write(f"{periodo},{dep},{mun},{programa},total,suprimido,suprimido,"
                    f"suprimido,suprimido\r\n")
    else:
        personas = max(hogares, round(hogares * rng.uniform(3.0, 4.0)))
        out_r.write(f"{periodo},{dep},{mun},{programa},total,{hogares},{personas},"
                    f"{programado:.2f},{transferido:.2f}\r\n")
    lines = []
    for modalidad, estado, count, amount, hide in group:
        figures = "suprimido,suprimido" if hide else f"{count},{amount:.2f}"
        lines.append(f"{periodo},{fecha},{dep},{mun},{programa},{modalidad},{figures},"
                     f"{estado}\r\n")
    return "".join(lines)


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from ckanext.bonos.validation import validate, read_rows, read_numbered_rows
path, what = sys.argv[1], sys.argv[2]
if what == "audit":
    # Loaded once by a CKAN process, not per upload: not timed.
    from ckanext.bonos import disclosure
start = time.perf_counter()
extra = {{}}
if what == "validate":
    with open(path, "rb") as stream:
        report = validate(stream, "historial_pagos", umbral={umbral})
    rows, state, total = report.filas, report.estado, report.total_errores
elif what == "read_rows":
    with open(path, "rb") as stream:
        _fields, records = read_rows(stream, "historial_pagos")
        rows = suppressed = 0
        for record in records:
            rows += 1
            suppressed += record["transferencias"] is None
    state, total = "leido", suppressed
else:
    # End to end, as an upload of the history is checked (uploads.audit): each
    # file validated once, its rows collected for the audit on the way, then
    # both audited together (linked, reduced, solved).
    resumen = sys.argv[3]
    codes = disclosure.Codes()
    tables, states = [], []
    for p, tabla in ((path, "historial_pagos"), (resumen, "resumen_ejecucion")):
        rows_to = disclosure.Columns(tabla, tabla, {umbral}, codes)
        with open(p, "rb") as stream:
            states.append(validate(stream, tabla, umbral={umbral}, rows_to=rows_to).estado)
        tables.append(rows_to)
    checked = time.perf_counter()
    model = disclosure.compact.build(tables)
    built = time.perf_counter()
    result = disclosure.audit_model(model, time_limit=3600)
    rows = len(tables[0])
    state = "/".join(states)
    total = len(result.unsafe)
    extra = {{"validate_s": checked - start, "build_s": built - checked,
              "solve_s": time.perf_counter() - built, "suppressed_counts": result.suppressed,
              "kept_counts": len(result.cells), "blocks": result.blocks,
              "solved_blocks": result.solved_blocks, "solves": result.solves,
              "model_rows": sum(len(t) for t in tables)}}
elapsed = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {{"elapsed": elapsed, "rows": rows, "estado": state, "n": total,
        "peak_mb": peak_kb / 1024}}
out.update(extra)
print(json.dumps(out))
"""


def run_child(path: str, what: str, *more: str) -> dict:
    code = CHILD.format(root=ROOT, umbral=UMBRAL)
    done = subprocess.run([sys.executable, "-c", code, path, what, *more], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def measure(path: str, what: str, runs: int, *more: str) -> dict:
    results = [run_child(path, what, *more) for _ in range(runs)]
    return {"elapsed": statistics.median(r["elapsed"] for r in results),
            "all": [r["elapsed"] for r in results],
            "peak_mb": max(r["peak_mb"] for r in results),
            "rows": results[0]["rows"], "estado": results[0]["estado"],
            "n": results[0]["n"], "first": results[0]}


def demo_pair_audit(runs: int) -> None:
    """The largest demo pair, Bono Vida Mejor 2025: its audit alone (read, link, solve)."""
    import io
    from ckanext.bonos import disclosure
    from ckanext.bonos.demo import DEFAULT_SEED, PROGRAMAS, tablas
    from ckanext.bonos.demo.simulacion import Simulacion
    from ckanext.bonos.validation import read_numbered_rows

    sim = Simulacion(PROGRAMAS["bono_vida_mejor"], DEFAULT_SEED)
    resumen, historial, _ = tablas.publicables(sim, 2025)
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        sources = [disclosure.Source(t, t, read_numbered_rows(io.BytesIO(data), t), UMBRAL)
                   for t, data in (("resumen_ejecucion", resumen), ("historial_pagos", historial))]
        result = disclosure.audit_sources(sources)
        times.append(time.perf_counter() - start)
    lines = resumen.count(b"\n") - 1, historial.count(b"\n") - 1
    print(f"demo pair Bono Vida Mejor 2025 ({lines[0]:,} + {lines[1]:,} rows): "
          f"{result.suppressed:,} suppressed counts, "
          f"{len(result.unsafe)} unsafe; audit median {statistics.median(times):.2f} s of "
          f"{', '.join(f'{t:.2f}' for t in times)} (target < 5 s: "
          f"{'met' if statistics.median(times) < 5 else 'NOT met'})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the CSVs in this directory and keep them")
    args = parser.parse_args(argv)
    print("load average: %.2f %.2f %.2f" % os.getloadavg())

    directory = args.keep or tempfile.mkdtemp(prefix="bonos-bench-")
    os.makedirs(directory, exist_ok=True)
    path = resumen = None
    try:
        start = time.perf_counter()
        path, resumen, size = generate(directory, args.rows)
        print(f"generated {args.rows:,} historial rows and their summary, {size / 1e6:.1f} MB "
              f"in {time.perf_counter() - start:.1f} s: {directory}")
        size = os.path.getsize(path)

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

        audit = measure(path, "audit", args.runs, resumen)
        first = audit["first"]
        audit_rate = audit["rows"] / audit["elapsed"]
        print(f"validate + audit, historial with its summary ({first['model_rows']:,} rows in "
              f"all): estado={audit['estado']}, {first['suppressed_counts']:,} suppressed "
              f"counts, {audit['n']} unsafe; {first['kept_counts']:,} kept for the solver "
              f"in {first['blocks']:,} blocks, {first['solved_blocks']:,} solved in "
              f"{first['solves']} solves; "
              f"median {audit['elapsed']:.2f} s of {', '.join(f'{t:.2f}' for t in audit['all'])}"
              f" (first run: validate and collect {first['validate_s']:.2f} s, link and "
              f"reduce {first['build_s']:.2f} s, solve {first['solve_s']:.2f} s) -> "
              f"{audit_rate:,.0f} historial rows/s; peak RSS {audit['peak_mb']:.0f} MB")

        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest subprocess peak RSS (RUSAGE_CHILDREN): {children_mb:.0f} MB")
        for label, value, peak in (("validate()", rate, val["peak_mb"]),
                                   ("validate + audit", audit_rate, audit["peak_mb"])):
            print(f"{label}: target >= {TARGET_ROWS_PER_S:,} rows/s "
                  f"{'met' if value >= TARGET_ROWS_PER_S else 'NOT met'}; target peak < "
                  f"{TARGET_PEAK_MB} MB {'met' if peak < TARGET_PEAK_MB else 'NOT met'}")
        demo_pair_audit(args.runs)
        print("load average: %.2f %.2f %.2f" % os.getloadavg())
    finally:
        if not args.keep:
            for p in (path, resumen):
                if p:
                    try:
                        os.remove(p)
                    except FileNotFoundError:
                        pass
            os.rmdir(directory)


if __name__ == "__main__":
    main()
