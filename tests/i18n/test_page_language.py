"""Spanish all the way: no English on Spanish pages, no Spanish on English ones.

Every citizen page, the publication search (with results, empty, with
filters), a publication, its resource and its three summary views are fetched
in Spanish (the default) and English (/en/). What a page says (its text and
the attributes people meet: placeholder, title, aria-label, alt, a button's
value, the page title) is checked word by word against the other language's
words, taken from the catalogues: every word of an English message id (ours and
CKAN's) that no Spanish translation uses is English, and the other way round.
Data (names of places, programmes, publications, organizations, files; column
ids of the standard; URLs) is left out first: it is the same in both languages.
"""
from __future__ import annotations

import csv
import io
import os
import re
import unicodedata

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage

import ckan
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos import tables, vocab
from ckanext.bonos.tables import SUPPRESSION_MARKER
from tests.previews.conftest import VIEW_OF, demo_files, view_of  # noqa: F401  (fixture)

HERE = os.path.dirname(os.path.abspath(__file__))
BONOS_I18N = os.path.join(HERE, "..", "..", "ckanext", "bonos", "i18n")
CKAN_PO = os.path.join(os.path.dirname(ckan.__file__), "i18n", "es", "LC_MESSAGES", "ckan.po")

#: What the pages said before this check existed: none may come back.
TODAYS_ENGLISH = ["bonos found", "bono found", "Buscar Bonos", "No bonos found",
                  "Excluye 1 celdas", " 1 celdas suprimidas", "no description for this Bono", "close",
                  "API Docs", "Creative Commons Attribution", "Datastore active",
                  "Url type", "Execution summary", "Data viewer"]
#: Words that are the same in both languages here (names, formats, units).
BOTH = {"ckan", "api", "csv", "tsv", "json", "xml", "html", "url", "sedis", "ine", "hnl",
        "social", "facebook", "bytes", "markdown", "creative", "commons", "cc0", "odbl",
        "open", "data", "español", "english", "ok",
        "may",      # a month in both
        SUPPRESSION_MARKER}
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-title")
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _words(text: str) -> set:
    return {_fold(w) for w in WORD.findall(text or "")}


def _catalogue_words():
    english, spanish = set(), set()
    pos = [os.path.join(BONOS_I18N, "es", "LC_MESSAGES", "ckanext-bonos.po"), CKAN_PO]
    for path in pos:
        with open(path, "rb") as f:
            for m in read_po(f, locale="es"):
                if not m.id:
                    continue
                ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
                strs = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
                if not all(strs):
                    continue
                for i in ids:
                    english |= _words(re.sub(r"%\(\w+\)s|\{\w+\}|<[^>]+>", " ", i))
                for s in strs:
                    spanish |= _words(re.sub(r"%\(\w+\)s|\{\w+\}|<[^>]+>", " ", s))
    both = english & spanish
    return english - both - BOTH, spanish - both - BOTH


ENGLISH, SPANISH = _catalogue_words()


def data_strings(extra=()) -> list:
    """Names that are data, the same on both pages: longest first."""
    names = [d["nombre"] for d in vocab.departamentos().values()]
    names += [d["cabecera"] for d in vocab.departamentos().values()]
    names += [m["nombre"] for m in vocab.municipios().values()]
    names += [es for _, es, _ in vocab.PROGRAMAS_PREDETERMINADOS]
    for tabla in tables.TABLES:
        names += [f["name"] for f in tables.table_schema(tabla)["fields"]]
    names += [code for code, _, _ in vocab.COMPONENTES]
    names += list(extra)
    return sorted(set(names), key=len, reverse=True)


def what_a_page_says(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "svg"]):
        if tag.name == "svg":
            # a chart's words are its title and text: kept; its code is not
            for t in tag.find_all(["style"]):
                t.decompose()
            continue
        tag.decompose()
    parts = [soup.get_text(" ", strip=True)]
    for tag in soup.find_all(True):
        for attribute in ATTRIBUTES:
            if tag.get(attribute):
                parts.append(tag[attribute])
        if tag.name in ("input", "button") and tag.get("type") in ("submit", "button") \
                and tag.get("value"):
            parts.append(tag["value"])
    return "\n".join(parts)


def other_language_words(text: str, lang: str, data=()) -> list:
    text = re.sub(r"https?://\S+|/[\w/.-]+", " ", text)
    for name in data_strings(data):
        text = text.replace(name, " ")
    foreign = ENGLISH if lang == "es" else SPANISH
    return sorted(w for w in _words(text) if w in foreign)


def _context(text: str, word: str) -> str:
    m = re.search(r"(?i)\b%s\b" % re.escape(word), text)
    return text[max(0, m.start() - 30):m.end() + 30].replace("\n", " | ") if m else word


def test_the_check_can_fail():
    """Today's English strings, put back on a Spanish page, are found; their
    Spanish replacements pass; Spanish on an English page is found too."""
    assert other_language_words("48 bonos found", "es")
    assert other_language_words("No bonos found for \"x\"", "es")
    assert other_language_words("There is no description for this Bono.", "es")
    assert other_language_words("Excluye 1 celdas suprimidas", "en")
    assert not other_language_words("48 publicaciones encontradas en Francisco Morazán", "es")
    assert not other_language_words("48 publications found in Francisco Morazán", "en")
    assert other_language_words("Buscar publicaciones...", "en")


# -- the pages ------------------------------------------------------------------
@pytest.fixture
def site(clean_db, clean_index, with_plugins, clean_datastore, clean_redis, tmp_path,
         ckan_config, monkeypatch, demo_files):  # noqa: F811
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    from ckanext.bonos.citizen import store
    store.ensure()
    org = factories.Organization(name="sedis", title="SEDIS", description="")
    user = factories.Sysadmin()
    pkg = helpers.call_action(
        "package_create", {"user": user["name"]}, type="bono", name="bvm-2023",
        title="Bono Vida Mejor 2023", owner_org=org["id"], programa="bono_vida_mejor",
        tipo_publicacion="resumen_ejecucion", periodo_inicio="2023-01-01",
        periodo_fin="2023-12-31", umbral_supresion=5, departamentos=["01", "08", "15"],
        componentes=["educacion", "salud"], license_id="cc-by")
    urls = ["/bonos", "/bonos/departamento/08", "/bonos/municipio/0801",
            "/bonos/departamento/99", "/bonos/reportes/publicos",
            "/bonos/reportar?departamento=08",
            "/bono/", "/bono/?q=zzzz", "/bono/?vocab_departamentos=08",
            "/bono/?q=olancho&programa=bono_vida_mejor&sort=title_string+asc",
            "/bono/?q=olancho&vocab_departamentos=17",
            "/bono/bvm-2023"]
    names = ["Bono Vida Mejor 2023", "SEDIS"]
    for tabla, content in demo_files.items():
        name = tabla + ".csv"
        res = helpers.call_action(
            "resource_create", {"user": user["name"]}, package_id=pkg["id"], name=name,
            tabla=tabla, url=name, format="CSV",
            upload=FileStorage(io.BytesIO(content), name))
        view = view_of(res["id"], VIEW_OF[tabla])
        if tabla == "indicadores":      # the indicators' names are the file's data
            names += {r["indicador"] for r in csv.DictReader(io.StringIO(content.decode("utf-8")))}
        urls.append("/bono/bvm-2023/resource/%s" % res["id"])
        urls.append("/dataset/%s/resource/%s/view/%s" % (pkg["id"], res["id"], view["id"]))
        names.append(name)
    return urls, names


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_page_carries_the_other_languages_words(app, site, lang):
    urls, names = site
    found = {}
    for url in urls:
        response = app.get(("/en" if lang == "en" else "") + url)
        assert response.status_code == (404 if "/99" in url else 200), url
        said = what_a_page_says(response.get_data(as_text=True))
        words = other_language_words(said, lang, names)
        if lang == "es":
            words += [s for s in TODAYS_ENGLISH if s in said]
        if words:
            found[url] = [_context(said, w) for w in words]
    assert not found, "%s pages carry the other language's words: %r" % (lang, found)


@pytest.mark.parametrize("lang, expected", [
    ("es", ["1 publicación encontrada", "Buscar publicaciones...",
            "No se encontraron publicaciones para «zzzz»"]),
    ("en", ["1 publication found", "Search publications...",
            'No publications found for "zzzz"']),
])
def test_the_search_counts_in_the_pages_language(app, site, lang, expected):
    prefix = "/en" if lang == "en" else ""
    said = what_a_page_says(app.get(prefix + "/bono/").get_data(as_text=True))
    said += what_a_page_says(app.get(prefix + "/bono/?q=zzzz").get_data(as_text=True))
    for text in expected:
        assert text in said


@pytest.mark.parametrize("lang, label, titles", [
    ("es", "Visor de datos", {"Resumen de ejecución", "Cronología de pagos", "Indicadores y metas"}),
    ("en", "Data viewer", {"Execution summary", "Payment timeline", "Indicators and targets"}),
])
def test_a_views_frame_is_labelled_in_the_pages_language(app, site, lang, label, titles):
    """The frame's label (aria-label on 2.12, title on 2.11) and the view's
    title (data-title) are whole attributes in the page's language."""
    urls, _ = site
    seen = set()
    for url in (u for u in urls if "/resource/" in u and "/view/" not in u):
        soup = BeautifulSoup(app.get(("/en" if lang == "en" else "") + url)
                             .get_data(as_text=True), "html.parser")
        frame = soup.find("iframe")
        assert label in (frame.get("aria-label"), frame.get("title")), frame
        seen.add(soup.find(attrs={"data-title": True})["data-title"])
    assert seen == titles
