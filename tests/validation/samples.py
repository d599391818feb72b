"""Small valid files of each standard table, and helpers to build variants."""
from __future__ import annotations

import io

HEADERS = {
    "resumen_ejecucion": ["periodo", "departamento_codigo", "municipio_codigo", "programa",
                          "componente", "hogares", "personas", "monto_programado_hnl",
                          "monto_transferido_hnl"],
    "historial_pagos": ["periodo", "fecha_pago", "departamento_codigo", "municipio_codigo",
                        "programa", "modalidad_pago", "transferencias", "monto_hnl", "estado"],
    "indicadores": ["indicador_codigo", "indicador", "tipo", "periodo",
                    "departamento_codigo", "valor", "meta", "unidad"],
}

ROWS = {
    "resumen_ejecucion": [
        ["2023", "08", "0801", "bono_vida_mejor", "educacion", "12450", "48210",
         "124500000.00", "120377250.50"],
        ["2023-S1", "08", "", "bono_vida_mejor", "total", "30511", "121007",
         "305110000", "300000000.25"],
        ["2023-T2", "05", "0501", "bono_tercera_edad", "salud", "0", "0", "0", "0"],
        ["2023-07", "18", "1801", "bono_discapacidad", "nutricion", "suprimido",
         "suprimido", "suprimido", "suprimido"],
    ],
    "historial_pagos": [
        ["2023-05", "2023-05-10", "08", "0801", "bono_vida_mejor", "bancaria", "1200",
         "3999996.00", "pagado"],
        ["2023-05", "2023-05-12", "08", "0801", "bono_vida_mejor", "movil", "suprimido",
         "suprimido", "rechazado"],
        ["2023-05", "2023-05-12", "01", "", "bono_vida_mejor", "ventanilla", "0",
         "0.00", "pendiente"],
        ["2024-01", "2024-01-31", "05", "0501", "bono_tercera_edad",
         "billetera_electronica", "98765432", "12345678.50", "reprogramado"],
    ],
    "indicadores": [
        ["IND-01", "Hogares con niños y niñas matriculados en educación", "proceso",
         "2023", "", "87.5", "90", "porcentaje"],
        ["IND-02", "Controles de salud de niñas y niños menores de 5 años", "resultado",
         "2023-S2", "08", "-2.5", "", "puntos porcentuales"],
        ["P.3", "Monto transferido", "resultado", "2023-T4", "17", "150000000", "",
         "lempiras"],
    ],
}


def csv_text(tabla: str, rows=None, header=None, delimiter: str = ",",
             newline: str = "\r\n") -> str:
    """A CSV document; cells containing the delimiter or a quote are quoted."""
    header = HEADERS[tabla] if header is None else header
    rows = ROWS[tabla] if rows is None else rows
    return "".join(_line(cells, delimiter) + newline for cells in [header, *rows])


def _line(cells, delimiter):
    out = []
    for cell in cells:
        if delimiter in cell or '"' in cell or "\n" in cell:
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return delimiter.join(out)


def csv_bytes(tabla: str, rows=None, header=None, delimiter=",", encoding="utf-8",
              bom=False, newline="\r\n") -> bytes:
    data = csv_text(tabla, rows, header, delimiter, newline).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def stream(tabla: str, rows=None, **kwargs) -> io.BytesIO:
    return io.BytesIO(csv_bytes(tabla, rows, **kwargs))


def with_cell(tabla: str, column: str, value: str, row: int = 0, rows=None):
    """The sample rows (or ``rows``) with one cell replaced (row 0 is file row 2)."""
    rows = [list(r) for r in (rows or ROWS[tabla])]
    rows[row][HEADERS[tabla].index(column)] = value
    return rows


def codes(report):
    return [(p.fila, p.columna, p.codigo) for p in report.errores]
