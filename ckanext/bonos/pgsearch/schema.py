"""CKAN's Solr schema, read from the schema.xml that ships with CKAN.

The PostgreSQL backend follows the same schema as the production engine: which
fields are text (analysed) or string (exact), dates or numbers, multi-valued,
stored (returned by ``fl``), and which fields are copied into ``text``. Reading
it from CKAN's own file keeps the two engines in step when CKAN changes it.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import functools
import os
import xml.etree.ElementTree as ET

import ckan

# Solr field classes grouped by how this backend treats their values.
_KIND_BY_CLASS = {
    "solr.TextField": "text",
    "solr.StrField": "string",
    "solr.BoolField": "bool",
    "solr.IntPointField": "int",
    "solr.LongPointField": "int",
    "solr.FloatPointField": "float",
    "solr.DoublePointField": "float",
    "solr.DatePointField": "date",
    "solr.BinaryField": "binary",
}

CKAN_SCHEMA_XML = os.path.join(
    os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    kind: str          # text, ngram, string, bool, int, float, date, binary
    multi: bool
    indexed: bool
    stored: bool
    # n-gram fields: gram sizes, and whether grams start at a word's start
    # (EdgeNGram) or anywhere (NGram, what CKAN's text_ngram uses)
    grams: tuple = (0, 0)
    edge: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")

    @property
    def sortable(self) -> bool:
        return self.indexed and not self.multi and self.kind not in ("text", "ngram")


class Schema:
    def __init__(self, path: str = CKAN_SCHEMA_XML):
        root = ET.parse(path).getroot()
        self.version = root.get("name", "")
        types = {}
        for ft in root.iter():
            if ft.tag.lower() == "fieldtype":
                types[ft.get("name")] = (
                    _KIND_BY_CLASS.get(ft.get("class"), "string"),
                    ft.get("multiValued") == "true", _ngram_analysis(ft))
        self.fields: dict[str, Field] = {}
        self.required: list[str] = []
        self.dynamic: list[tuple[str, Field]] = []
        for el in root.iter():
            if el.tag not in ("field", "dynamicField"):
                continue
            kind, type_multi, ngram = types[el.get("type")]
            multi = el.get("multiValued", "true" if type_multi else "false")
            extra = {}
            if kind == "text" and ngram:
                kind = "ngram"
                extra = {"grams": ngram[:2], "edge": ngram[2]}
            field = Field(
                name=el.get("name"), kind=kind, multi=multi == "true",
                indexed=el.get("indexed", "true") == "true",
                stored=el.get("stored", "true") == "true", **extra)
            if el.tag == "field":
                self.fields[field.name] = field
                if el.get("required") == "true":
                    self.required.append(field.name)
            else:
                self.dynamic.append((field.name, field))
        # Solr tries dynamic patterns longest first.
        self.dynamic.sort(key=lambda pair: -len(pair[0]))
        self.copy_to_text = [
            el.get("source") for el in root.iter("copyField")
            if el.get("dest") == "text"]
        # n-gram fields are filled by copyField (title -> title_ngram)
        self.copy_to_ngram: list[tuple[str, str]] = [
            (el.get("source"), el.get("dest")) for el in root.iter("copyField")
            if (self.field(el.get("dest")) or _NO_FIELD).kind == "ngram"]
        # and other copies (res_url -> urls); Solr does not chain copies
        self.copy_to_other: list[tuple[str, str]] = [
            (el.get("source"), el.get("dest")) for el in root.iter("copyField")
            if el.get("dest") != "text"
            and (self.field(el.get("dest")) or _NO_FIELD).kind not in ("ngram", "")]
        self.unique_key = (root.findtext("uniqueKey") or "index_id").strip()

    @functools.lru_cache(maxsize=4096)
    def field(self, name: str) -> Field | None:
        """The field definition Solr would use for ``name`` (None: unknown)."""
        if name in self.fields:
            return self.fields[name]
        for pattern, dyn in self.dynamic:
            if fnmatch.fnmatchcase(name, pattern):
                return dataclasses.replace(dyn, name=name)
        return None

    @functools.lru_cache(maxsize=4096)
    def copied_to_text(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, src) for src in self.copy_to_text)

    @functools.lru_cache(maxsize=4096)
    def other_copies(self, name: str) -> tuple:
        """Fields other than text and n-grams that ``name`` is copied into."""
        return tuple(dest for src, dest in self.copy_to_other
                     if fnmatch.fnmatchcase(name, src))

    @functools.lru_cache(maxsize=4096)
    def ngram_copies(self, name: str) -> tuple:
        """The n-gram fields that a value of ``name`` is copied into."""
        return tuple(dest for src, dest in self.copy_to_ngram
                     if fnmatch.fnmatchcase(name, src))


def _ngram_analysis(fieldtype) -> tuple | None:
    """(min, max, edge) when the type's index analyzer makes n-grams."""
    for analyzer in fieldtype.iter("analyzer"):
        if analyzer.get("type", "index") != "index":
            continue
        for step in analyzer:
            cls = step.get("class", "")
            if cls.endswith(("NGramTokenizerFactory", "NGramFilterFactory")):
                return (int(step.get("minGramSize", 1)), int(step.get("maxGramSize", 2)),
                        "EdgeNGram" in cls)
    return None


_NO_FIELD = Field("", "", False, False, False)


@functools.lru_cache(maxsize=1)
def ckan_schema() -> Schema:
    return Schema()
