"""Deterministic, realistic Spanish datasets about Honduras' social bonds.

``generate()`` describes N datasets (plain dicts) from a seeded random
generator, so every run (and the query mix built from them) sees the same
titles, tags and organizations. ``load()`` writes them into CKAN's tables in
bulk: package_create would validate and index each dataset one by one (hours
for 10,000), and the indexing is exactly what the benchmark times afterwards
with a real ``ckan.lib.search.rebuild()``.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
import uuid

# -- vocabulary ---------------------------------------------------------------

# The 18 departments, their INE codes, a few real municipalities each, and a
# rough weight (how often a publication is about them).
DEPARTMENTS = {
    "Atlántida": ("01", 5, ["La Ceiba", "Tela", "Jutiapa", "El Porvenir", "Arizona"]),
    "Colón": ("02", 4, ["Trujillo", "Tocoa", "Sonaguera", "Bonito Oriental", "Santa Rosa de Aguán"]),
    "Comayagua": ("03", 6, ["Comayagua", "Siguatepeque", "La Libertad", "Taulabé", "Villa de San Antonio"]),
    "Copán": ("04", 5, ["Santa Rosa de Copán", "Copán Ruinas", "Nueva Arcadia", "Corquín", "Florida"]),
    "Cortés": ("05", 9, ["San Pedro Sula", "Choloma", "Puerto Cortés", "Villanueva", "La Lima"]),
    "Choluteca": ("06", 6, ["Choluteca", "San Marcos de Colón", "Pespire", "El Triunfo", "Marcovia"]),
    "El Paraíso": ("07", 6, ["Danlí", "Yuscarán", "El Paraíso", "Trojes", "Teupasenti"]),
    "Francisco Morazán": ("08", 10, ["Distrito Central", "Talanga", "Valle de Ángeles", "Santa Lucía", "Sabanagrande"]),
    "Gracias a Dios": ("09", 3, ["Puerto Lempira", "Brus Laguna", "Ahuas", "Wampusirpi", "Villeda Morales"]),
    "Intibucá": ("10", 7, ["La Esperanza", "Intibucá", "Jesús de Otoro", "Yamaranguila", "Camasca"]),
    "Islas de la Bahía": ("11", 2, ["Roatán", "Utila", "Guanaja", "José Santos Guardiola"]),
    "La Paz": ("12", 5, ["La Paz", "Marcala", "Santiago de Puringla", "Chinacla", "San Pedro de Tutule"]),
    "Lempira": ("13", 8, ["Gracias", "Erandique", "Candelaria", "La Campa", "Lepaera"]),
    "Ocotepeque": ("14", 3, ["Ocotepeque", "Sinuapa", "San Marcos", "Sensenti", "La Labor"]),
    "Olancho": ("15", 7, ["Juticalpa", "Catacamas", "Campamento", "San Esteban", "Dulce Nombre de Culmí"]),
    "Santa Bárbara": ("16", 6, ["Santa Bárbara", "Quimistán", "Trinidad", "San Nicolás", "Macuelizo"]),
    "Valle": ("17", 4, ["Nacaome", "San Lorenzo", "Amapala", "Langue", "Goascorán"]),
    "Yoro": ("18", 6, ["Yoro", "El Progreso", "Olanchito", "Morazán", "Santa Rita"]),
}

# (programme, its article in "... del Bono ...", weight)
PROGRAMMES = [
    ("Bono Vida Mejor", "del", 30),
    ("Bono Tercera Edad", "del", 12),
    ("Bono Discapacidad", "del", 8),
    ("Bono Educación", "del", 7),
    ("Bono Salud y Nutrición", "del", 6),
    ("Bono Tecnológico Productivo", "del", 6),
    ("Bono Único", "del", 5),
    ("Merienda Escolar", "de la", 6),
    ("Bolsa Solidaria", "de la", 4),
    ("Vida Mejor Ecofogón", "de", 3),
    ("Vida Mejor Techo Digno", "de", 3),
    ("Beca Vida Mejor", "de la", 4),
]

TOPICS = [
    "ejecución presupuestaria", "historial de pagos", "hogares beneficiarios",
    "corresponsabilidad en educación", "corresponsabilidad en salud y nutrición",
    "indicadores de proceso", "indicadores de resultado", "transferencias entregadas",
    "montos pagados", "focalización de hogares en extrema pobreza",
    "matrícula y asistencia escolar", "controles de crecimiento infantil",
    "cobertura territorial", "calendario de pagos", "quejas, reclamos y denuncias",
    "auditoría social", "metas físicas y financieras", "liquidación de fondos",
    "pagos pendientes y reprogramados", "beneficiarios por sexo y edad",
]

QUARTERS = ["primer trimestre", "segundo trimestre", "tercer trimestre", "cuarto trimestre"]
YEARS = list(range(2014, 2025))

ORGANIZATIONS = [  # (name, title, weight)
    ("sedis", "Secretaría de Desarrollo e Inclusión Social (SEDIS)", 35),
    ("programa-vida-mejor", "Programa Presidencial Vida Mejor", 20),
    ("red-solidaria", "Programa Red Solidaria", 10),
    ("praf", "Programa de Asignación Familiar (PRAF)", 8),
    ("senaf", "Secretaría de Niñez, Adolescencia y Familia (SENAF)", 7),
    ("ine", "Instituto Nacional de Estadística (INE)", 8),
    ("seduc", "Secretaría de Educación", 6),
    ("sesal", "Secretaría de Salud", 6),
]

GROUPS = [
    ("proteccion-social", "Protección social"),
    ("educacion", "Educación"),
    ("salud-y-nutricion", "Salud y nutrición"),
    ("adultos-mayores-y-discapacidad", "Adultos mayores y discapacidad"),
    ("transparencia-presupuestaria", "Transparencia presupuestaria"),
    ("ninez-y-adolescencia", "Niñez y adolescencia"),
]

# Most frequent first: picked with Zipf weights (1/rank).
GENERAL_TAGS = [
    "transferencias", "educación", "salud", "pobreza extrema", "hogares", "pagos",
    "nutrición", "protección social", "niñez", "transparencia", "presupuesto",
    "corresponsabilidad", "adultos mayores", "discapacidad", "indicadores",
    "rendición de cuentas", "gobierno abierto", "mujeres", "zona rural",
    "ejecución presupuestaria", "focalización", "matrícula", "asistencia escolar",
    "beneficiarios", "cobertura", "lempiras", "adolescencia", "primera infancia",
    "auditoría social", "seguridad alimentaria", "desnutrición", "vacunación",
    "control prenatal", "crecimiento infantil", "padrón", "metas", "subsidio",
    "merienda escolar", "becas", "vivienda", "ecofogón", "letrinas", "agua potable",
    "empleo", "emprendimiento", "pueblos indígenas", "lenca", "garífuna", "miskito",
    "zona urbana", "género", "salud materna", "alfabetización", "calendario de pagos",
    "quejas", "reclamos", "denuncias", "COVID-19", "emergencia", "corredor seco",
    "sequía", "huracanes Eta e Iota", "migración", "remesas", "censo",
    "encuesta de hogares", "EPHPM", "SEDIS", "Vida Mejor", "bonos", "municipios",
    "aldeas", "caseríos", "brechas", "desigualdad", "jefatura femenina",
    "trabajo infantil", "deserción escolar", "educación básica", "educación media",
    "centros de salud", "unidades de salud", "agencias bancarias", "pagaduría móvil",
    "billetera electrónica", "inclusión financiera", "liquidaciones", "auditoría",
    "Tribunal Superior de Cuentas", "datos abiertos", "estadísticas", "series históricas",
    "cuadros resumen", "microdatos anonimizados", "metodología", "diccionario de datos",
    "georreferenciación", "mapas", "INE", "códigos INE", "riesgo social",
    "resiliencia", "cambio climático", "producción agrícola", "huertos familiares",
    "seguridad ciudadana", "juventud", "personas con discapacidad", "cuidadores",
    "pensiones no contributivas", "envejecimiento", "salud mental", "lactancia materna",
    "talla para la edad", "peso para la talla", "anemia", "micronutrientes",
]

FUENTES = [
    "SEDIS - Sistema de Registro de Beneficiarios", "Programa Presidencial Vida Mejor",
    "Red Solidaria", "Instituto Nacional de Estadística (INE)",
    "Secretaría de Educación - SACE", "Secretaría de Salud - SIIS",
    "Secretaría de Finanzas - SIAFI", "Banco pagador (liquidaciones)",
]
FREQUENCIES = ["mensual", "trimestral", "semestral", "anual"]
LEVELS = ["departamental", "municipal", "aldea"]
LICENSES = [("cc-by", 40), ("cc-by-sa", 15), ("cc-zero", 12), ("odc-by", 10),
            ("other-open", 10), ("notspecified", 8), ("odc-odbl", 5)]
FORMATS = [  # (format, weight, mimetype, extension, resource name)
    ("CSV", 45, "text/csv", "csv", "Tabla resumen por municipio"),
    ("XLSX", 25, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "xlsx", "Libro de cálculo con desglose mensual"),
    ("JSON", 15, "application/json", "json", "Datos en formato JSON"),
    ("PDF", 15, "application/pdf", "pdf", "Informe de ejecución"),
]
PRIVATE_SHARE = 0.05

TITLE_TEMPLATES = [
    "{Programme}: {topic} en {dep}, {period}",
    "{Topic} {of} {programme}, departamento de {dep} ({year})",
    "{Topic} {of} {programme} por municipio, {dep} {year}",
    "{Topic} {of} {programme} en {mun}, {dep}",
    "{Programme} {year}: {topic} ({quarter})",
]

NOTE_SENTENCES = [
    "Los datos provienen de {source} y se publican de forma agregada, sin datos "
    "personales; las celdas con menos de cinco hogares se suprimen.",
    "Incluye los municipios de {muns}.",
    "El Bono Vida Mejor es una transferencia monetaria condicionada de al menos "
    "10,000 lempiras al año por familia en extrema pobreza, sujeta a "
    "corresponsabilidades en educación, salud y nutrición.",
    "Las cifras están expresadas en lempiras corrientes.",
    "La verificación de corresponsabilidades la realizan los centros educativos y "
    "las unidades de salud de cada municipio.",
    "Los pagos se realizaron a través de agencias bancarias y pagadurías móviles en {mun}.",
    "La información corresponde al cierre del {quarter} de {year}.",
    "Publicado por la Secretaría de Desarrollo e Inclusión Social desde Tegucigalpa, "
    "como parte del compromiso HN0068 de Gobierno Abierto.",
    "Los montos se desglosan por componente: educación, salud y nutrición.",
    "La mayoría de las personas beneficiarias son niñas, niños y adolescentes "
    "menores de 18 años.",
    "Las diferencias con informes anteriores se deben a la depuración del padrón "
    "y a pagos reprogramados.",
    "Datos preliminares sujetos a revisión por la Unidad de Transparencia.",
    "Para la población adulta mayor se reporta la entrega en el domicilio cuando "
    "la persona no puede movilizarse.",
]


# -- helpers --------------------------------------------------------------------

def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weighted(rng: random.Random, items: list, weights: list):
    return rng.choices(items, weights=weights, k=1)[0]


def _zipf_tags(rng: random.Random, k: int) -> list[str]:
    weights = [1.0 / (rank + 1) for rank in range(len(GENERAL_TAGS))]
    return rng.choices(GENERAL_TAGS, weights=weights, k=k)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def all_tag_names() -> set[str]:
    """Every tag a dataset can get (the tag table is filled from this)."""
    names = set(GENERAL_TAGS) | set(DEPARTMENTS) | {p for p, _, _ in PROGRAMMES}
    names |= {str(y) for y in YEARS}
    for _, _, muns in DEPARTMENTS.values():
        names |= set(muns)
    return names


# -- one dataset ----------------------------------------------------------------

def _subject(rng: random.Random) -> dict:
    """What a publication is about: programme, topic, place and period."""
    deps = list(DEPARTMENTS)
    dep = _weighted(rng, deps, [DEPARTMENTS[d][1] for d in deps])
    programme, article, _ = _weighted(rng, PROGRAMMES, [p[2] for p in PROGRAMMES])
    year = rng.choice(YEARS)
    quarter_no = rng.randrange(4)
    return {"dep": dep, "code": DEPARTMENTS[dep][0], "muns": DEPARTMENTS[dep][2],
            "mun": rng.choice(DEPARTMENTS[dep][2]), "programme": programme,
            "of": article, "topic": rng.choice(TOPICS), "year": year,
            "quarter": QUARTERS[quarter_no], "quarter_no": quarter_no + 1,
            "source": rng.choice(FUENTES)}


def _title(rng: random.Random, s: dict) -> str:
    period = rng.choice([str(s["year"]), "%s de %s" % (s["quarter"], s["year"])])
    return rng.choice(TITLE_TEMPLATES).format(
        Programme=s["programme"], programme=s["programme"], of=s["of"],
        Topic=_cap(s["topic"]), topic=s["topic"], dep=s["dep"], mun=s["mun"],
        year=s["year"], quarter=s["quarter"], period=period)


def _notes(rng: random.Random, s: dict) -> str:
    first = "Resumen de %s %s %s en el departamento de %s durante %s." % (
        s["topic"], s["of"], s["programme"], s["dep"], s["year"])
    muns = rng.sample(s["muns"], k=min(3, len(s["muns"])))
    values = dict(s, muns=", ".join(muns[:-1]) + " y " + muns[-1])
    picked = rng.sample(NOTE_SENTENCES, k=rng.randint(2, 5))
    return " ".join([first] + [p.format(**values) for p in picked])


def _tags(rng: random.Random, s: dict) -> list[str]:
    tags = [s["programme"], s["dep"]]
    if rng.random() < 0.5:
        tags.append(s["mun"])
    if rng.random() < 0.7:
        tags.append(str(s["year"]))
    tags += _zipf_tags(rng, rng.randint(1, 6))
    return list(dict.fromkeys(tags))


def _extras(rng: random.Random, s: dict) -> dict:
    return {
        "periodo": "%s-T%s" % (s["year"], s["quarter_no"]),
        "fuente": s["source"],
        "departamento": s["dep"],
        "codigo_departamento": s["code"],
        "programa": s["programme"],
        "frecuencia": rng.choice(FREQUENCIES),
        "nivel_agregacion": rng.choice(LEVELS),
    }


def _resources(rng: random.Random, name: str) -> list[dict]:
    out = []
    for position in range(rng.choices([1, 2, 3], weights=[45, 35, 20])[0]):
        fmt, _, mimetype, ext, label = _weighted(rng, FORMATS, [f[1] for f in FORMATS])
        rid = _uuid(rng)
        out.append({
            "id": rid, "position": position, "format": fmt, "mimetype": mimetype,
            "name": "%s (%s)" % (label, fmt),
            "description": "%s. Archivo %s publicado por la Unidad de Transparencia."
                           % (label, fmt),
            "url": "https://datos.sedis.gob.hn/dataset/%s/resource/%s/download/%s.%s"
                   % (name, rid, slugify(label), ext),
            "size": rng.randint(2_000, 4_000_000),
        })
    return out


def _dates(rng: random.Random, today: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Modified in the last four years, recent ones more often; created before."""
    age_days = min(rng.expovariate(1 / 500), 4 * 365)
    modified = today - dt.timedelta(days=age_days, seconds=rng.randrange(86400))
    created = modified - dt.timedelta(days=rng.uniform(0, 400))
    return created, modified


def _dataset(rng: random.Random, number: int, today: dt.datetime) -> dict:
    s = _subject(rng)
    title = _title(rng, s)
    name = "%s-%05d" % (slugify(title)[:80].rstrip("-"), number)
    org = _weighted(rng, ORGANIZATIONS, [o[2] for o in ORGANIZATIONS])[0]
    created, modified = _dates(rng, today)
    n_groups = rng.choices([0, 1, 2], weights=[30, 50, 20])[0]
    return {
        "id": _uuid(rng), "name": name, "title": title, "notes": _notes(rng, s),
        "owner_org": org, "private": rng.random() < PRIVATE_SHARE,
        "groups": rng.sample([g for g, _ in GROUPS], k=n_groups),
        "tags": _tags(rng, s), "extras": _extras(rng, s),
        "license_id": _weighted(rng, [lic for lic, _ in LICENSES], [w for _, w in LICENSES]),
        "resources": _resources(rng, name),
        "metadata_created": created, "metadata_modified": modified,
    }


def generate(count: int, seed: int = 2018, today: dt.datetime | None = None) -> list[dict]:
    """``count`` datasets; the same ones for the same seed (dates are relative
    to ``today`` so that ``NOW-1YEAR`` filters keep meaning something)."""
    rng = random.Random(seed)
    today = today or dt.datetime.utcnow().replace(microsecond=0)
    return [_dataset(rng, i, today) for i in range(count)]
