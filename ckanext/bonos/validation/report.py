"""What a validation run hands back: problems and the report that holds them.

Every message is bilingual, Spanish first ("Spanish. / English."). Problems keep
the two halves apart as well, so ``Report.summary`` can write "Fila 12, columna
hogares: <es> / Row 12, column hogares: <en>" without splitting text that may
itself contain a slash.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

VALIDO = "valido"
INVALIDO = "invalido"


@dataclass
class Problem:
    """One problem. ``fila`` is the spreadsheet row (the header is row 1);
    ``None`` for problems of the whole file. ``columna`` is the column's name as
    written in the file (``None`` when the problem is not about one column)."""

    fila: Optional[int]
    columna: Optional[str]
    codigo: str
    mensaje: str
    es: str = field(default="", repr=False, compare=False)
    en: str = field(default="", repr=False, compare=False)

    @classmethod
    def make(cls, fila, columna, codigo, es, en) -> "Problem":
        es, en = _sentence(es), _sentence(en)
        return cls(fila, columna, codigo, f"{es} / {en}", es, en)

    def as_dict(self) -> dict:
        return {"fila": self.fila, "columna": self.columna,
                "codigo": self.codigo, "mensaje": self.mensaje}

    def _where(self):
        if self.fila is None and self.columna is None:
            return "Archivo", "File"
        if self.fila is None:
            return f"Columna {self.columna}", f"Column {self.columna}"
        if self.columna is None:
            return f"Fila {self.fila}", f"Row {self.fila}"
        return (f"Fila {self.fila}, columna {self.columna}",
                f"Row {self.fila}, column {self.columna}")

    def text(self) -> str:
        where_es, where_en = self._where()
        es, en = (self.es, self.en) if self.es else (self.mensaje, "")
        if not en:
            return f"{where_es}: {es}"
        return f"{where_es}: {es} / {where_en}: {en}"


@dataclass
class Report:
    estado: str = VALIDO
    errores: List[Problem] = field(default_factory=list)
    total_errores: int = 0
    filas: int = 0
    encoding: Optional[str] = None
    delimiter: Optional[str] = None

    @property
    def valido(self) -> bool:
        return self.estado == VALIDO

    def as_dict(self) -> dict:
        return {
            "estado": self.estado,
            "errores": [p.as_dict() for p in self.errores],
            "total_errores": self.total_errores,
            "filas": self.filas,
            "encoding": self.encoding,
            "delimitador": self.delimiter,
        }

    def summary(self, max_items: int = 5) -> str:
        """A short message for a form or an API error: the first problems and the total."""
        if self.valido:
            return (f"Archivo válido: {self.filas} filas. / "
                    f"Valid file: {self.filas} rows.")
        parts = [p.text() for p in self.errores[:max_items]]
        n = self.total_errores
        plural_es, plural_en = ("problema", "problem") if n == 1 else ("problemas", "problems")
        total = f"({n} {plural_es} en total / {n} {plural_en} in all)"
        return "; ".join(parts) + " " + total


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."
