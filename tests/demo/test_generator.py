"""The synthetic demo data generator: deterministic, standard-conforming, plausible.

Plain unit tests: no database. The full demo is generated once per module
(about 2 seconds) into a temporary folder.
"""
import csv
import datetime as dt
import json
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ckanext.bonos import tables, vocab
from ckanext.bonos.demo import AVISO, UMBRAL, generate

MARKER = tables.SUPPRESSION_MARKER


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    manifest = generate(out)
    return out, manifest


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def rows_of(folder, manifest, tabla, programa=None):
    """(publication, dict rows) for every resource of ``tabla``."""
    for pub in manifest["publications"]:
        if programa and pub["programa"] != programa:
            continue
        for res in pub["resources"]:
            if res["tabla"] == tabla:
                with open(folder / res["file"], encoding="utf-8", newline="") as f:
                    yield pub, list(csv.DictReader(f))


def all_files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# -- determinism ------------------------------------------------------------------
def test_same_bytes_twice(demo, tmp_path):
    # One programme again (every year, suppressed through the same tool): the
    # full demo takes over a minute, and the subset's figures are the full one's.
    folder, manifest = demo
    again = generate(tmp_path, programas=["bono_discapacidad"])
    assert again["publications"] == [p for p in manifest["publications"]
                                     if p["programa"] == "bono_discapacidad"]
    names = [n for n in all_files(tmp_path) if n != "manifest.json"]
    assert names and set(names) <= set(all_files(folder))
    for name in names:
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_regenerating_in_place_rewrites_nothing(tmp_path):
    generate(tmp_path, years=[2024], programas=["bono_discapacidad"])
    stamps = {p: os.stat(p).st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    for p in stamps:
        os.utime(p, ns=(1, 1))
    generate(tmp_path, years=[2024], programas=["bono_discapacidad"])
    assert all(os.stat(p).st_mtime_ns == 1 for p in stamps)


def test_a_subset_has_the_same_figures_as_the_full_demo(demo, tmp_path):
    folder, manifest = demo
    small = generate(tmp_path, years=[2021], programas=["bono_vida_mejor"],
                     departamentos=["11", "13"])
    res = next(p for p in small["publications"]
               if p["tipo_publicacion"] == "resumen_ejecucion")["resources"][0]
    subset = read_csv(tmp_path / res["file"])
    full = read_csv(folder / res["file"])
    assert subset[0] == full[0]
    assert subset[1:] == [r for r in full[1:] if r[1] in ("11", "13")]
    assert len(subset) > 1


# -- the manifest -------------------------------------------------------------------
def test_manifest_publications_are_few_and_labelled(demo):
    folder, manifest = demo
    assert json.loads((folder / "manifest.json").read_text("utf-8")) == manifest
    org = manifest["organization"]
    assert org["name"] and AVISO in org["title"] and AVISO in org["description"]
    pubs = manifest["publications"]
    # 3 programmes x 7 years x (execution, payments) + 3 x (process, result indicators)
    assert len(pubs) == 48
    assert len({p["name"] for p in pubs}) == len(pubs)
    assert Counter(p["programa"] for p in pubs) == {
        "bono_vida_mejor": 16, "bono_tercera_edad": 16, "bono_discapacidad": 16}
    for pub in pubs:
        assert AVISO in pub["title"] and AVISO in pub["notes"], pub["name"]
        assert pub["name"].startswith("demo-")
        assert pub["umbral_supresion"] == UMBRAL
        assert pub["departamentos"] == list(vocab.departamentos())
        assert pub["periodo_inicio"] <= pub["periodo_fin"]
        assert pub["resources"]
        for res in pub["resources"]:
            assert set(res) == {"file", "name", "format", "tabla", "description"}
            assert AVISO in res["description"]
            assert (folder / res["file"]).is_file()


def test_demo_folder_is_small_enough(demo):
    folder, _ = demo
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 30 * 1024 * 1024


# -- the Table Schemas ------------------------------------------------------------
def _check_cell(field, value, where):
    c = field.get("constraints", {})
    if value == "":
        assert not c.get("required"), "%s: %s is required" % (where, field["name"])
        return
    if (field.get("bonos:count") or field.get("bonos:suppressible")) and value == MARKER:
        return
    kind = field["type"]
    if kind == "integer":
        assert re.fullmatch(r"-?[0-9]+", value), (where, field["name"], value)
        number = int(value)
    elif kind == "number":
        number = float(value)
    elif kind == "date":
        dt.date.fromisoformat(value)
        number = None
    else:
        number = None
    if "minimum" in c and number is not None:
        assert number >= c["minimum"], (where, field["name"], value)
    if "pattern" in c:
        assert re.fullmatch(c["pattern"], value), (where, field["name"], value)
    if "enum" in c:
        assert value in c["enum"], (where, field["name"], value)


@pytest.mark.parametrize("tabla", tables.TABLES)
def test_every_csv_follows_its_table_schema(demo, tabla):
    folder, manifest = demo
    schema = tables.table_schema(tabla)
    fields = schema["fields"]
    header = [f["name"] for f in fields]
    seen = 0
    for pub in manifest["publications"]:
        for res in pub["resources"]:
            if res["tabla"] != tabla:
                continue
            seen += 1
            raw = (folder / res["file"]).read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf")
            rows = read_csv(folder / res["file"])
            assert rows[0] == header, res["file"]
            assert len(rows) > 1
            assert all(len(row) == len(header) for row in rows), res["file"]
            # Each distinct value of a column is checked once (the files are large).
            for i, field in enumerate(fields):
                for value in {row[i] for row in rows[1:]}:
                    _check_cell(field, value, "%s: %s" % (res["file"], field["name"]))
            cells = [dict(zip(header, row)) for row in rows[1:]]
            places = {(c["departamento_codigo"], c.get("municipio_codigo")) for c in cells}
            for depto, muni in places:
                if muni:
                    assert muni[:2] == depto and muni in vocab.municipios(), muni
            if "programa" in header:
                assert {c["programa"] for c in cells} == {pub["programa"]}
    assert seen


# -- privacy ----------------------------------------------------------------------------
def test_small_counts_are_suppressed_and_zero_is_not(demo):
    folder, manifest = demo
    suppressed = Counter()
    for tabla in ("resumen_ejecucion", "historial_pagos"):
        counts = [f["name"] for f in tables.table_schema(tabla)["fields"] if f.get("bonos:count")]
        for pub, rows in rows_of(folder, manifest, tabla):
            for row in rows:
                for name in counts:
                    value = row[name]
                    if value == MARKER:
                        suppressed[tabla] += 1
                        continue
                    assert not 1 <= int(value) < UMBRAL, (pub["name"], row)
    assert suppressed["resumen_ejecucion"] > 0
    assert suppressed["historial_pagos"] > 0


def test_count_indicators_never_publish_small_numbers(demo):
    folder, manifest = demo
    for pub, rows in rows_of(folder, manifest, "indicadores"):
        for row in rows:
            if row["unidad"] in ("hogares", "personas"):
                assert not 1 <= float(row["valor"]) < UMBRAL


# -- territory ----------------------------------------------------------------------------
def test_every_municipality_appears_in_every_execution_summary(demo):
    folder, manifest = demo
    all_codes = set(vocab.municipios())
    assert len(all_codes) == 298
    for pub, rows in rows_of(folder, manifest, "resumen_ejecucion"):
        by_period = defaultdict(set)
        for row in rows:
            by_period[row["periodo"]].add(row["municipio_codigo"])
        year = pub["periodo_inicio"][:4]
        assert sorted(by_period) == ["%s-T%d" % (year, q) for q in (1, 2, 3, 4)]
        for period, codes in by_period.items():
            assert codes == all_codes, (pub["name"], period)


def test_indicators_cover_the_nation_and_every_department(demo):
    folder, manifest = demo
    for pub, rows in rows_of(folder, manifest, "indicadores"):
        tipo = "proceso" if pub["tipo_publicacion"] == "indicadores_proceso" else "resultado"
        assert {r["tipo"] for r in rows} == {tipo}
        assert {r["departamento_codigo"] for r in rows} == {""} | set(vocab.departamentos())
        assert any(r["meta"] for r in rows)


# -- magnitudes ------------------------------------------------------------------------------
def _totals(rows):
    return [r for r in rows if r["componente"] == "total"]


def cents(value):
    return round(float(value) * 100)


def _int(value):
    return 0 if value == MARKER else int(value)


def test_bono_vida_mejor_national_magnitudes(demo):
    folder, manifest = demo
    years = set()
    for pub, rows in rows_of(folder, manifest, "resumen_ejecucion", "bono_vida_mejor"):
        hogares, personas, transferido = Counter(), Counter(), 0.0
        for row in _totals(rows):
            hogares[row["periodo"]] += _int(row["hogares"])
            personas[row["periodo"]] += _int(row["personas"])
            if row["monto_transferido_hnl"] != MARKER:
                transferido += float(row["monto_transferido_hnl"])
        for period in hogares:
            # about 200,000 people in 55,000-75,000 households, most of them children
            assert 50_000 <= hogares[period] <= 80_000, period
            assert 170_000 <= personas[period] <= 240_000, period
            assert 2.5 <= personas[period] / hogares[period] <= 4.0
        mean_households = sum(hogares.values()) / len(hogares)
        assert transferido / mean_households >= 10_000, pub["name"]
        years.add(pub["periodo_inicio"][:4])
    assert years == {str(y) for y in range(2019, 2026)}


def test_every_household_gets_at_least_2500_a_quarter(demo):
    folder, manifest = demo
    for pub, rows in rows_of(folder, manifest, "resumen_ejecucion", "bono_vida_mejor"):
        for row in _totals(rows):
            if row["hogares"] not in (MARKER, "0"):
                assert float(row["monto_transferido_hnl"]) / int(row["hogares"]) >= 2_500, row


def test_components_add_up_to_the_total_amount(demo):
    folder, manifest = demo
    pub, rows = next(rows_of(folder, manifest, "resumen_ejecucion", "bono_vida_mejor"))
    groups = defaultdict(dict)
    for row in rows:
        groups[(row["periodo"], row["municipio_codigo"])][row["componente"]] = row
    checked = 0
    for key, comps in groups.items():
        assert set(comps) == {"educacion", "salud", "nutricion", "total"}
        if any(c["hogares"] == MARKER for c in comps.values()):
            continue    # suppressed rows: the sum cannot be checked (that is the point)
        checked += 1
        for money in ("monto_programado_hnl", "monto_transferido_hnl"):
            parts = sum(cents(comps[c][money]) for c in ("educacion", "salud", "nutricion"))
            assert parts == cents(comps["total"][money]), key
        total = comps["total"]
        assert cents(total["monto_transferido_hnl"]) <= cents(total["monto_programado_hnl"])
    assert checked > 0.9 * len(groups)


def test_payment_history_matches_the_execution_summary(demo):
    folder, manifest = demo
    checked = 0   # places whose paid rows and total are all published
    for programa in ("bono_vida_mejor", "bono_discapacidad"):
        resumen = {pub["periodo_inicio"][:4]: rows
                   for pub, rows in rows_of(folder, manifest, "resumen_ejecucion", programa)}
        for pub, rows in rows_of(folder, manifest, "historial_pagos", programa):
            paid, hidden = Counter(), set()
            for row in rows:
                key = (row["periodo"], row["municipio_codigo"])
                if row["monto_hnl"] == MARKER:
                    hidden.add(key)
                elif row["estado"] == "pagado":
                    paid[key] += cents(row["monto_hnl"])
                else:
                    assert float(row["monto_hnl"]) == 0
                assert row["fecha_pago"][:4] == row["periodo"][:4]
            transferred = {(r["periodo"], r["municipio_codigo"]): cents(r["monto_transferido_hnl"])
                           for r in _totals(resumen[pub["periodo_inicio"][:4]])
                           if r["monto_transferido_hnl"] != MARKER}
            compared = {k: v for k, v in transferred.items() if v and k not in hidden}
            assert compared == {k: v for k, v in paid.items() if k in compared}
            checked += len(compared)
    assert checked > 100   # (Bono Discapacidad hides a paid row in most places)


def test_other_programmes_are_smaller(demo):
    folder, manifest = demo
    for programa, low, high in (("bono_tercera_edad", 20_000, 50_000),
                                ("bono_discapacidad", 5_000, 15_000)):
        for pub, rows in rows_of(folder, manifest, "resumen_ejecucion", programa):
            assert {r["componente"] for r in rows} == {"total"}
            per_period = Counter()
            for row in rows:
                per_period[row["periodo"]] += _int(row["personas"])
            assert all(low <= v <= high for v in per_period.values()), pub["name"]


def test_bad_selection_is_refused(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, years=[2018])
    with pytest.raises(ValueError):
        generate(tmp_path, programas=["bono_inexistente"])
    with pytest.raises(ValueError):
        generate(tmp_path, departamentos=["19"])
    assert not any(Path(tmp_path).iterdir())


# -- the upload validation --------------------------------------------------------------
def test_every_file_passes_the_upload_validation(demo):
    validation = pytest.importorskip("ckanext.bonos.validation")
    folder, manifest = demo
    for pub in manifest["publications"]:
        for res in pub["resources"]:
            with open(folder / res["file"], "rb") as f:
                report = validation.validate(f, res["tabla"], umbral=pub["umbral_supresion"])
            assert report.valido, (res["file"], report.summary())


def test_coverage_totals_do_not_give_away_suppressed_municipalities(demo):
    """A department total minus its published municipalities would be the suppressed ones."""
    folder, manifest = demo
    withheld = 0
    for programa in ("bono_vida_mejor", "bono_tercera_edad", "bono_discapacidad"):
        suppressed = Counter()     # (period, department) -> suppressed municipal cells
        for pub, rows in rows_of(folder, manifest, "resumen_ejecucion", programa):
            for row in _totals(rows):
                if MARKER in (row["hogares"], row["personas"]):
                    suppressed[(row["periodo"], row["departamento_codigo"])] += 1
        [(pub, rows)] = [(p, r) for p, r in rows_of(folder, manifest, "indicadores", programa)
                         if p["tipo_publicacion"] == "indicadores_proceso"]
        published = {(r["periodo"], r["departamento_codigo"]) for r in rows
                     if r["indicador_codigo"].endswith(".P05")}
        for period, depto in suppressed:
            assert (period, depto) not in published, (programa, period, depto)
            withheld += 1
        national = Counter(period for period, _ in suppressed.elements())
        for period in national:
            assert (period, "") not in published, (programa, period)
    assert withheld > 0


# -- disclosure control ------------------------------------------------------------------
def _pairs(folder, manifest):
    """(programme, year) -> {tabla: rows} of the linked execution and payment tables."""
    out = defaultdict(dict)
    for tabla in ("resumen_ejecucion", "historial_pagos"):
        for pub, rows in rows_of(folder, manifest, tabla):
            out[(pub["programa"], pub["periodo_inicio"][:4])][tabla] = rows
    return out


def test_every_suppressed_row_hides_its_amounts_too(demo):
    """The attack of the issue: amount / amount per unit of the neighbours."""
    folder, manifest = demo
    hidden = 0
    for tabla, counts, amounts in (
            ("resumen_ejecucion", ("hogares", "personas"),
             ("monto_programado_hnl", "monto_transferido_hnl")),
            ("historial_pagos", ("transferencias",), ("monto_hnl",))):
        for pub, rows in rows_of(folder, manifest, tabla):
            for row in rows:
                cells = [row[c] == MARKER for c in counts + amounts]
                assert all(cells) or not any(cells), (pub["name"], row)
                hidden += all(cells)
    assert hidden > 1000


def test_no_sum_of_the_standard_has_a_single_suppressed_term(demo):
    """Subtraction: a published total minus its published parts."""
    folder, manifest = demo
    for (programa, anio), pair in _pairs(folder, manifest).items():
        resumen, historial = pair["resumen_ejecucion"], pair["historial_pagos"]
        groups = defaultdict(dict)
        for row in resumen:
            groups[(row["periodo"], row["municipio_codigo"])][row["componente"]] = row
        paid = defaultdict(list)
        for row in historial:
            if row["estado"] == "pagado":
                paid[(row["periodo"], row["municipio_codigo"])].append(row)
        for key, comps in groups.items():
            total = comps["total"]
            parts = [c for name, c in comps.items() if name != "total"]
            if parts and total["hogares"] != MARKER:
                assert sum(p["hogares"] == MARKER for p in parts) != 1, (programa, key)
            if total["hogares"] != MARKER:
                assert sum(p["transferencias"] == MARKER for p in paid[key]) != 1, (programa, key)


def test_every_linked_pair_passes_the_audit(demo):
    import io
    from ckanext.bonos import disclosure
    from ckanext.bonos.validation import read_numbered_rows

    folder, manifest = demo
    files = defaultdict(dict)
    for pub in manifest["publications"]:
        for res in pub["resources"]:
            if res["tabla"] in disclosure.LINKED_TABLES:
                files[(pub["programa"], pub["periodo_inicio"][:4])][res["tabla"]] = res["file"]
    assert len(files) == 21
    audited = 0
    for key, pair in files.items():
        sources = [disclosure.Source(tabla, tabla, read_numbered_rows(
            io.BytesIO((folder / name).read_bytes()), tabla), UMBRAL)
            for tabla, name in pair.items()]
        result = disclosure.audit_sources(sources)
        assert result.unsafe == [], (key, result.unsafe[:3])
        audited += result.suppressed
    assert audited > 10000
