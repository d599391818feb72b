"""The examples in the standard's README are valid files of their tables."""
import io
import re
from pathlib import Path

import pytest

import ckanext.bonos.tables
from ckanext.bonos.validation import validate

README = Path(ckanext.bonos.tables.__file__).with_name("README.md")
BLOCKS = re.findall(r"```csv\n(.*?)```", README.read_text("utf-8"), re.S)


def _table_of(block):
    first = block.splitlines()[0]
    if "componente" in first:
        return "resumen_ejecucion"
    return "historial_pagos" if "fecha_pago" in first else "indicadores"


def test_readme_has_an_example_of_each_table():
    assert {_table_of(b) for b in BLOCKS} == {"resumen_ejecucion", "historial_pagos",
                                              "indicadores"}


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_example_is_valid(block):
    report = validate(io.BytesIO(block.encode("utf-8")), _table_of(block))
    assert report.as_dict()["errores"] == [] and report.filas >= 2
