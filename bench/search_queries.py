"""A deterministic mix of package_search calls, like portal users make them.

Each query is a ``Query(category, params, as_admin, for_view)``; ``params`` is
the data_dict handed to ``package_search``. Values (tags, organizations, title
words) come from the generated datasets, so most queries find something.
"""
from __future__ import annotations

import dataclasses
import random
import re

from search_data import GROUPS, LICENSES, ORGANIZATIONS

# CKAN's default ``search.facets``: what the /dataset page asks for.
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]
FORMATS = ["CSV", "XLSX", "JSON", "PDF"]
SORTS = ["title_string asc", "title_string desc", "metadata_modified desc",
         "metadata_created asc", "name asc", "score desc, metadata_modified desc"]
FILTER_KINDS = ["organization", "tags", "res_format", "groups", "license_id",
                "metadata_modified"]
DATE_RANGES = ["[NOW-1YEAR TO NOW]", "[NOW-6MONTHS TO *]", "[NOW-2YEARS TO NOW-1YEAR]",
               "[* TO NOW-3YEARS]", "[NOW-30DAYS TO NOW]"]

WORDS = [
    "educación", "educacion", "nutrición", "nutricion", "salud", "pagos", "hogares",
    "Tegucigalpa", "Olancho", "Intibucá", "intibuca", "Colón", "colon", "Copán",
    "ejecución", "ejecucion", "matrícula", "matricula", "discapacidad", "niñez",
    "ninez", "lempiras", "transferencias", "corresponsabilidad", "focalización",
    "auditoría", "Lempira", "Choluteca", "Danlí", "danli", "garífuna", "ecofogón",
    "beneficiarios", "indicadores", "Roatán", "merienda", "presupuesto", "2019",
]

PHRASES = [
    "bono vida mejor", "tercera edad", "bono discapacidad", "ejecución presupuestaria",
    "ejecucion presupuestaria", "historial de pagos", "historial de pagos Olancho",
    "pobreza extrema", "salud y nutrición", "hogares beneficiarios Lempira",
    "Santa Bárbara", "Francisco Morazán", "Gracias a Dios", "Islas de la Bahía",
    "El Paraíso 2020", "indicadores de resultado", "matrícula escolar",
    "asistencia escolar Intibucá", "calendario de pagos 2023", "quejas y reclamos",
    "auditoría social", "transferencias monetarias condicionadas", "niñas y niños",
    "adultos mayores Choluteca", "merienda escolar Yoro", "bono tercera edad Cortés",
    "San Pedro Sula", "Distrito Central", '"vida mejor"', '"historial de pagos"',
    '"tercera edad" Comayagua', "pagos reprogramados", "montos pagados por municipio",
    "liquidación de fondos", "metas físicas y financieras",
]

FIELDED = [
    "tags:educación", 'tags:"pobreza extrema"', "title:nutrición",
    "organization:sedis pagos", "name:bono-vida-mejor*", "notes:Tegucigalpa",
    "extras_departamento:Olancho", "res_format:CSV AND tags:pagos",
    'title:"ejecución presupuestaria" AND organization:sedis',
    "groups:educacion OR groups:salud-y-nutricion",
]


@dataclasses.dataclass
class Query:
    category: str
    params: dict
    as_admin: bool = False
    for_view: bool = False


class _Picker:
    """Values taken from the generated datasets, by a seeded generator."""

    def __init__(self, datasets: list[dict], seed: int):
        self.rng = random.Random(seed)
        self.datasets = datasets
        counts: dict[str, int] = {}
        for ds in datasets:
            for tag in ds["tags"]:
                counts[tag] = counts.get(tag, 0) + 1
        # popular tags weigh more: people click the tags the facet shows
        self.tags = sorted(counts, key=lambda t: -counts[t])
        self.tag_weights = [counts[t] for t in self.tags]

    def tag(self) -> str:
        return self.rng.choices(self.tags, weights=self.tag_weights, k=1)[0]

    def org(self) -> str:
        return self.rng.choices([o[0] for o in ORGANIZATIONS],
                                weights=[o[2] for o in ORGANIZATIONS], k=1)[0]

    def group(self) -> str:
        return self.rng.choice(GROUPS)[0]

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def title_words(self) -> str:
        """2-4 consecutive words of a dataset's title."""
        title = self.rng.choice(self.datasets)["title"]
        words = re.findall(r"[\w-]+", title)
        size = min(len(words), self.rng.randint(2, 4))
        start = self.rng.randrange(len(words) - size + 1)
        return " ".join(words[start:start + size])

    def filter(self, kind: str) -> str:
        """One fq clause, written as the /dataset page writes it."""
        value = {
            "organization": self.org, "tags": self.tag, "groups": self.group,
            "res_format": lambda: self.rng.choice(FORMATS),
            "license_id": lambda: self.rng.choice(LICENSES)[0],
        }.get(kind)
        if value is None:
            return "metadata_modified:%s" % self.rng.choice(DATE_RANGES)
        return '%s:"%s"' % (kind, value())

    def filters(self, most: int = 3) -> str:
        """1 to ``most`` clauses on different fields (two values of one
        single-valued field, ANDed, would always find nothing)."""
        kinds = self.rng.sample(FILTER_KINDS, k=self.rng.randint(1, most))
        return " ".join(self.filter(kind) for kind in kinds)


# -- categories ---------------------------------------------------------------

def _free_text(p: _Picker) -> list[Query]:
    queries = [Query("text_word", {"q": w}) for w in WORDS]
    queries += [Query("text_phrase", {"q": ph}) for ph in PHRASES]
    queries += [Query("text_title", {"q": p.title_words()}) for _ in range(30)]
    queries += [Query("text_fielded", {"q": q}) for q in FIELDED]
    return queries


def _facets(p: _Picker) -> list[Query]:
    queries = []
    for i in range(20):
        q = "" if i % 2 == 0 else p.word()
        queries.append(Query("facets", {"q": q, "facet.field": FACETS, "rows": 20}))
    for limit in (10, 50, -1, 10, 20):   # "top tags" widgets and API users
        queries.append(Query("facets", {"facet.field": ["tags"], "facet.limit": limit,
                                        "rows": 0, "fq": p.filters(1)}))
    for field in ("res_format", "license_id", "organization", "groups", "tags"):
        queries.append(Query("facets", {"facet.field": [field], "rows": 0,
                                        "q": p.word()}))
    return queries


def _filters(p: _Picker) -> list[Query]:
    return [Query("filters", {"q": "" if i % 3 else p.word(), "fq": p.filters()})
            for i in range(40)]


def _sorts(p: _Picker) -> list[Query]:
    queries = []
    for i in range(25):
        q = "" if i % 2 == 0 else p.word()
        queries.append(Query("sort", {"q": q, "sort": SORTS[i % len(SORTS)],
                                      "rows": 20}))
    return queries


def _paging(p: _Picker) -> list[Query]:
    queries = []
    for i, start in enumerate([20, 100, 1000, 20, 100, 1000, 40, 200, 2000, 5000] * 2):
        params = {"start": start, "rows": 20,
                  "sort": SORTS[i % len(SORTS)] if i % 2 else None}
        if i >= 10:
            params["q"] = p.rng.choice(["pagos", "educación", "bono", "hogares"])
        queries.append(Query("paging", {k: v for k, v in params.items() if v is not None}))
    # API users harvesting the catalogue page by page
    for start in (0, 1000, 5000):
        queries.append(Query("paging", {"rows": 1000, "start": start,
                                        "sort": "metadata_modified desc"}))
    return queries


def _dataset_page(p: _Picker) -> list[Query]:
    """What /dataset sends: selected facets as fq, every facet, 20 rows."""
    queries = []
    for i in range(25):
        fq = p.filters(2) if i % 4 else ""
        params = {"q": p.word() if i % 3 == 0 else p.title_words() if i % 3 == 1 else "",
                  "fq": (fq + " +dataset_type:dataset").strip(),
                  "facet.field": FACETS, "rows": 20, "start": 20 * (i % 3),
                  "include_private": True}
        if i % 5 == 0:
            params["sort"] = p.rng.choice(SORTS)
        queries.append(Query("dataset_page", params, for_view=True))
    return queries


def _sysadmin(p: _Picker) -> list[Query]:
    queries = []
    for i in range(15):
        params = {"q": "" if i % 2 else p.word(), "include_private": True,
                  "include_drafts": i % 4 == 0, "rows": 20, "facet.field": FACETS}
        if i % 3 == 0:
            params["fq"] = p.filters(2)
        queries.append(Query("sysadmin", params, as_admin=True))
    return queries


def build(datasets: list[dict], seed: int = 2020) -> list[Query]:
    """The whole mix, always in the same order, so that two runs can be
    compared query by query."""
    p = _Picker(datasets, seed)
    return (_free_text(p) + _facets(p) + _filters(p) + _sorts(p) + _paging(p)
            + _dataset_page(p) + _sysadmin(p))
