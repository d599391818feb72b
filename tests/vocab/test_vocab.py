"""The Honduran territorial vocabularies and the programme/component lists.

Plain unit tests: no database, no web app. The counts per department are the
official division (298 municipalities) that ``ckanext/bonos/vocab/SOURCES.md``
documents.
"""
import csv
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from ckanext.bonos import vocab

VOCAB_DIR = Path(vocab.__file__).parent

MUNICIPIOS_POR_DEPARTAMENTO = {
    "01": 8, "02": 10, "03": 21, "04": 23, "05": 12, "06": 16,
    "07": 19, "08": 28, "09": 6, "10": 17, "11": 4, "12": 19,
    "13": 28, "14": 16, "15": 23, "16": 28, "17": 9, "18": 11,
}


def _raw_rows(name):
    with open(VOCAB_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# --- the data files ----------------------------------------------------------

def test_csv_headers_and_no_comments():
    assert _raw_rows("departamentos.csv")[0] == ["codigo", "nombre", "cabecera"]
    assert _raw_rows("municipios.csv")[0] == ["codigo", "departamento_codigo", "nombre"]
    for name in ("departamentos.csv", "municipios.csv"):
        rows = _raw_rows(name)
        width = len(rows[0])
        for row in rows[1:]:
            assert len(row) == width, (name, row)
            assert not row[0].startswith("#"), (name, row)


@pytest.mark.parametrize("name", ["departamentos.csv", "municipios.csv"])
def test_no_surrounding_spaces_and_nfc(name):
    for row in _raw_rows(name):
        for value in row:
            assert value, (name, row)
            assert value == value.strip(), (name, row)
            assert "  " not in value, (name, row)
            assert value == unicodedata.normalize("NFC", value), (name, row)


# --- departments -------------------------------------------------------------

def test_eighteen_departments_coded_01_to_18_in_order():
    deps = vocab.departamentos()
    assert list(deps) == [f"{n:02d}" for n in range(1, 19)]
    for codigo, dep in deps.items():
        assert dep["codigo"] == codigo
        assert set(dep) == {"codigo", "nombre", "cabecera"}


@pytest.mark.parametrize("codigo,nombre,cabecera", [
    ("01", "Atlántida", "La Ceiba"),
    ("02", "Colón", "Trujillo"),
    ("05", "Cortés", "San Pedro Sula"),
    ("07", "El Paraíso", "Yuscarán"),
    ("08", "Francisco Morazán", "Tegucigalpa"),
    ("11", "Islas de la Bahía", "Roatán"),
    ("14", "Ocotepeque", "Nueva Ocotepeque"),
    ("16", "Santa Bárbara", "Santa Bárbara"),
    ("18", "Yoro", "Yoro"),
])
def test_department_spot_checks(codigo, nombre, cabecera):
    assert vocab.departamentos()[codigo]["nombre"] == nombre
    assert vocab.departamentos()[codigo]["cabecera"] == cabecera
    assert vocab.nombre_departamento(codigo) == nombre


def test_department_names_unique():
    nombres = [d["nombre"] for d in vocab.departamentos().values()]
    assert len(set(nombres)) == 18


# --- municipalities ----------------------------------------------------------

def test_298_municipalities():
    assert len(vocab.municipios()) == 298
    assert len(_raw_rows("municipios.csv")) == 299  # header + 298, no duplicates lost


def test_count_per_department():
    counts = Counter(m["departamento_codigo"] for m in vocab.municipios().values())
    assert dict(counts) == MUNICIPIOS_POR_DEPARTAMENTO
    for dep, n in MUNICIPIOS_POR_DEPARTAMENTO.items():
        assert len(vocab.municipios_de(dep)) == n


def test_codes_unique_four_digits_prefixed_by_department():
    codes = [row[0] for row in _raw_rows("municipios.csv")[1:]]
    assert len(codes) == len(set(codes))
    deps = vocab.departamentos()
    for codigo, m in vocab.municipios().items():
        assert m["codigo"] == codigo
        assert len(codigo) == 4 and codigo.isdigit()
        assert codigo[:2] == m["departamento_codigo"]
        assert m["departamento_codigo"] in deps


def test_codes_consecutive_within_each_department():
    for dep, n in MUNICIPIOS_POR_DEPARTAMENTO.items():
        codes = [m["codigo"] for m in vocab.municipios_de(dep)]
        assert codes == [f"{dep}{i:02d}" for i in range(1, n + 1)]


def test_names_unique_within_department():
    for dep in MUNICIPIOS_POR_DEPARTAMENTO:
        nombres = [m["nombre"] for m in vocab.municipios_de(dep)]
        assert len(nombres) == len(set(nombres)), dep


@pytest.mark.parametrize("codigo,nombre", [
    ("0801", "Distrito Central"),
    ("0501", "San Pedro Sula"),
    ("0101", "La Ceiba"),
    ("1801", "Yoro"),
    ("0318", "Siguatepeque"),
    ("1101", "Roatán"),
    ("0207", "Santa Rosa de Aguán"),
    ("0609", "Namasigüe"),
    ("0705", "Güinope"),
    ("0102", "El Porvenir"),
    ("0107", "Tela"),
    ("0108", "Arizona"),
    ("1323", "Talgua"),
    ("1523", "Patuca"),
    ("1606", "San José de Colinas"),
    ("1628", "Nueva Frontera"),
])
def test_municipality_spot_checks(codigo, nombre):
    assert vocab.nombre_municipio(codigo) == nombre


def test_first_municipality_is_the_department_seat():
    # INE numbers the seat first (01) in every department except Francisco
    # Morazán, whose seat Tegucigalpa lies in the Distrito Central (0801).
    deps = vocab.departamentos()
    for dep, info in deps.items():
        first = vocab.municipios_de(dep)[0]
        assert first["codigo"] == f"{dep}01"
        if dep == "08":
            assert first["nombre"] == "Distrito Central"
        elif dep == "14":
            assert first["nombre"] == "Ocotepeque"
        else:
            assert first["nombre"] == info["cabecera"]


# --- lookups -----------------------------------------------------------------

@pytest.mark.parametrize("codigo", ["", "00", "19", "8", 8, None, "0801", "AB"])
def test_unknown_department_is_none(codigo):
    assert vocab.nombre_departamento(codigo) is None


@pytest.mark.parametrize("codigo", ["", "0000", "0109", "0829", "1900", "801", 801, None, "08"])
def test_unknown_municipality_is_none(codigo):
    assert vocab.nombre_municipio(codigo) is None


def test_municipios_de_unknown_department_is_empty():
    assert vocab.municipios_de("19") == []
    assert vocab.municipios_de("") == []


def test_returned_structures_are_copies():
    vocab.departamentos()["08"]["nombre"] = "X"
    vocab.municipios()["0801"]["nombre"] = "X"
    vocab.municipios_de("08")[0]["nombre"] = "X"
    del vocab.municipios()["0801"]
    assert vocab.nombre_departamento("08") == "Francisco Morazán"
    assert vocab.nombre_municipio("0801") == "Distrito Central"
    assert len(vocab.municipios()) == 298


def test_ordered_by_code():
    assert list(vocab.municipios()) == sorted(vocab.municipios())
    assert list(vocab.departamentos()) == sorted(vocab.departamentos())


# --- programmes and components ----------------------------------------------

def test_programas_predeterminados():
    assert vocab.PROGRAMAS_PREDETERMINADOS == [
        ("bono_vida_mejor", "Bono Vida Mejor", "Bono Vida Mejor"),
        ("bono_tercera_edad", "Bono Tercera Edad", "Bono Tercera Edad"),
        ("bono_discapacidad", "Bono Discapacidad", "Bono Discapacidad"),
    ]


def test_componentes():
    assert vocab.COMPONENTES == [
        ("educacion", "Educación", "Education"),
        ("salud", "Salud", "Health"),
        ("nutricion", "Nutrición", "Nutrition"),
    ]
