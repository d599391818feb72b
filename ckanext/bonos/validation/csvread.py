"""Reading an uploaded CSV as a stream: encoding, delimiter, records.

Spreadsheets export CSV in two ways that matter here: "CSV UTF-8" (often with a
byte-order mark) and the legacy "CSV" of Windows in Spanish locales, which is
cp1252 (Latin-1 plus curly quotes and the euro sign) and uses ';' between fields
because ',' is the decimal separator there.

The file is read line by line, never whole. Lines are decoded one at a time, so
that a decoding problem is tied to the row it is in, and so that the encoding can
be settled late: as long as every line so far was plain ASCII, UTF-8 and cp1252
agree on all of it, so the first line that is not valid UTF-8 switches the rest of
the file to cp1252 with nothing to undo.
"""
from __future__ import annotations

import csv
import io
import itertools
from typing import Iterator, List, Optional, Tuple

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
CP1252 = "cp1252"

_BOM = b"\xef\xbb\xbf"

# Signatures of files that are not text CSV but are often uploaded as if they were.
_NOT_CSV = (
    (b"PK\x03\x04", "un libro de Excel (.xlsx) u otro archivo ZIP",
     "an Excel workbook (.xlsx) or another ZIP file"),
    (b"\xd0\xcf\x11\xe0", "un libro de Excel antiguo (.xls)", "an old Excel workbook (.xls)"),
    (b"%PDF", "un PDF", "a PDF"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileProblem(Exception):
    """The file cannot be read as CSV at all. ``codigo``/``es``/``en`` describe why."""

    def __init__(self, codigo: str, es: str, en: str):
        super().__init__(f"{es} / {en}")
        self.codigo, self.es, self.en = codigo, es, en


class CsvSource:
    """A CSV file opened for streaming.

    After ``open_csv`` returns: ``header`` (cells of the header row), ``header_fila``
    (its spreadsheet row, 1 unless blank lines come first), ``encoding`` (final once
    ``records`` is exhausted), ``delimiter``. ``records()`` yields ``(fila, cells)``
    for the data rows, skipping blank ones. Problems found while reading (a line that
    does not decode, a malformed quoted field) are appended to ``pending`` as
    ``(codigo, es, en)`` and should be collected after each record, which is then
    the record they belong to.
    """

    def __init__(self, stream):
        self._lines = _buffered(stream)
        self.encoding = UTF8
        self.delimiter: Optional[str] = None
        self.header: List[str] = []
        self.header_fila = 1
        self.pending: List[Tuple[str, str, str]] = []
        self._reader = None
        self._fila = 0

    # -- decoding ----------------------------------------------------------
    def _decoded(self, first: bytes) -> Iterator[str]:
        lines = itertools.chain([first], self._lines)
        if self.encoding == UTF8_BOM:
            # The byte-order mark declares UTF-8: nothing to guess.
            yield from self._decode_all(lines, self._decode_utf8)
            return
        # Phase 1: ASCII so far; the encoding is still undecided.
        for raw in lines:
            if raw.isascii():
                yield raw.decode("ascii")
                continue
            try:
                text = raw.decode(UTF8)
            except UnicodeDecodeError:
                self.encoding = CP1252
                yield self._decode_cp1252(raw)
                yield from self._decode_all(lines, self._decode_cp1252)
            else:
                yield text
                yield from self._decode_all(lines, self._decode_utf8)
            return

    @staticmethod
    def _decode_all(lines, decode) -> Iterator[str]:
        for raw in lines:
            yield decode(raw)

    def _decode_utf8(self, raw: bytes) -> str:
        try:
            return raw.decode(UTF8)
        except UnicodeDecodeError:
            # The file already had valid UTF-8 text: this line is damaged or in
            # another encoding. Keep going so every such line is reported.
            self.pending.append((
                "codificacion",
                "La línea no es UTF-8 válido aunque el resto del archivo sí lo es "
                "(¿se mezclaron codificaciones?); guarde el archivo como «CSV UTF-8»",
                "The line is not valid UTF-8 although the rest of the file is "
                "(mixed encodings?); save the file as \"CSV UTF-8\""))
            return raw.decode(UTF8, "replace")

    def _decode_cp1252(self, raw: bytes) -> str:
        try:
            return raw.decode(CP1252)
        except UnicodeDecodeError:
            self.pending.append((
                "codificacion",
                "La línea tiene bytes que no son texto ni en UTF-8 ni en Windows-1252/Latin-1; "
                "guarde el archivo como «CSV UTF-8»",
                "The line has bytes that are text neither in UTF-8 nor in "
                "Windows-1252/Latin-1; save the file as \"CSV UTF-8\""))
            return raw.decode(CP1252, "replace")

    # -- opening -----------------------------------------------------------
    def open(self) -> "CsvSource":
        first = self._first_line()
        text = self._decoded(first)
        header_line = None
        blank = 0
        for line in text:
            if line.strip():
                header_line = line
                break
            blank += 1
        self.header_fila = blank + 1
        if header_line is None:
            raise FileProblem("archivo_vacio", "El archivo está vacío", "The file is empty")
        self.delimiter = _delimiter(header_line)
        self._reader = csv.reader(itertools.chain([header_line], text),
                                  delimiter=self.delimiter, quotechar='"',
                                  doublequote=True, strict=False)
        self._fila = self.header_fila - 1
        self.header = self._next_record() or []
        return self

    def _first_line(self) -> bytes:
        first = next(self._lines, b"")
        if first.startswith(_BOM):
            self.encoding = UTF8_BOM
            first = first[len(_BOM):]
        _refuse_binary(first)
        return first

    # -- records -----------------------------------------------------------
    def _next_record(self):
        while True:
            try:
                row = next(self._reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                self._fila += 1
                self.pending.append(_csv_problem(exc))
                return []
            self._fila += 1
            return row

    def records(self) -> Iterator[Tuple[int, List[str]]]:
        """``(fila, cells)`` for every non-blank data row, in order."""
        reader = self._reader
        fila = self._fila
        while True:
            try:
                for row in reader:
                    fila += 1
                    # Blank lines and rows of empty cells (";;;;" left by a
                    # spreadsheet) are not data; they still take a row number.
                    if not row or (not row[0] and not any(row)):
                        continue
                    yield fila, row
            except csv.Error as exc:
                fila += 1
                self.pending.append(_csv_problem(exc))
                yield fila, []  # never a real record: blank rows are skipped
                continue
            self._fila = fila
            return


def open_csv(stream) -> CsvSource:
    """Open a binary stream as CSV; raises ``FileProblem`` if it cannot be read at all."""
    return CsvSource(stream).open()


def _buffered(stream):
    """An iterator of binary lines (split on b'\\n') over any readable binary object."""
    if isinstance(stream, (bytes, bytearray)):
        return iter(io.BytesIO(stream))
    if isinstance(stream, io.RawIOBase):
        # Line iteration on raw I/O reads byte by byte; buffer it.
        return iter(io.BufferedReader(stream, 1 << 16))
    if isinstance(stream, io.TextIOBase):
        raise TypeError("validate() wants a binary stream (open the file with 'rb')")
    if hasattr(stream, "__iter__") and hasattr(stream, "readline"):
        return iter(stream)
    return iter(io.BufferedReader(_Reader(stream), 1 << 16))


class _Reader(io.RawIOBase):
    """Adapts an object that only has ``read(n)`` (e.g. some upload wrappers)."""

    def __init__(self, obj):
        self._obj = obj

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._obj.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _refuse_binary(first: bytes) -> None:
    for signature, es, en in _NOT_CSV:
        if first.startswith(signature):
            raise FileProblem(
                "no_es_csv",
                f"El archivo no es CSV: parece {es}. Guárdelo como «CSV UTF-8»",
                f"The file is not CSV: it looks like {en}. Save it as \"CSV UTF-8\"")
    if first.startswith(_UTF16_BOMS) or b"\x00" in first:
        raise FileProblem(
            "codificacion",
            "El archivo está en UTF-16 o no es texto; guárdelo como «CSV UTF-8»",
            "The file is UTF-16 or not text; save it as \"CSV UTF-8\"")
    if b"\r" in first.rstrip(b"\r\n"):
        # Old Mac exports end lines with a bare CR: the whole file is one line.
        raise FileProblem(
            "formato_csv",
            "Las líneas terminan solo con CR (retorno de carro); guarde el archivo "
            "como «CSV UTF-8» con finales de línea de Windows o Unix",
            "Lines end with a bare CR (carriage return); save the file as \"CSV UTF-8\" "
            "with Windows or Unix line endings")


def _delimiter(header_line: str) -> str:
    # Spreadsheets in Spanish locales write ';'; everything else writes ','.
    # Header names never contain either, so counting them is enough.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _csv_problem(exc: Exception) -> Tuple[str, str, str]:
    return ("formato_csv",
            f"La fila no es CSV válido ({exc}); revise las comillas",
            f"The row is not valid CSV ({exc}); check the quotes")
