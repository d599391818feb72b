"""Every string of the extension is translatable, and both catalogues translate it.

The strings are extracted here with the same mapping as scripts/i18n.sh
(babel.cfg), so a string added to a template or module without running the
script, or left untranslated, fails this test.
"""
from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = os.path.join(ROOT, "ckanext", "bonos")
I18N = os.path.join(PACKAGE, "i18n")
DOMAIN = "ckanext-bonos"
KEYWORDS = {"_": None, "N_": None, "ungettext": (1, 2), "ngettext": (1, 2)}


def extracted() -> set:
    with open(os.path.join(ROOT, "babel.cfg")) as f:
        method_map, options_map = parse_mapping(f)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            PACKAGE, method_map, options_map, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def catalogue(locale: str):
    with open(os.path.join(I18N, locale, "LC_MESSAGES", DOMAIN + ".po"), "rb") as f:
        return read_po(f, locale=locale)


@pytest.fixture(scope="module")
def strings():
    ids = extracted()
    assert len(ids) >= 7, "extraction found almost nothing: is babel.cfg right?"
    return ids


@pytest.mark.parametrize("locale", ["es", "en"])
def test_every_extension_string_is_translated(strings, locale):
    cat = catalogue(locale)
    missing = sorted(str(i) for i in strings
                     if i not in cat or not cat[i].string or not all(cat[i].string)
                     or cat[i].fuzzy)
    assert not missing, (
        f"{len(missing)} string(s) lack a {locale} translation; run "
        f"`bash scripts/i18n.sh` and translate them: {missing[:20]}")


@pytest.mark.parametrize("locale", ["es", "en"])
def test_catalogue_has_no_stale_or_broken_entries(strings, locale):
    cat = catalogue(locale)
    stale = sorted(str(m.id) for m in cat if m.id and m.id not in strings)
    assert not stale, f"{locale} catalogue keeps strings no longer used: {stale[:20]}"
    # Babel's own checks: python-format placeholders match, plural forms complete.
    errors = [(m.id, [str(e) for e in errs]) for m, errs in cat.check()]
    assert not errors, errors


def test_spanish_catalogue_is_really_spanish(strings):
    """An untouched `pybabel init` or a copy of the English file must not pass."""
    cat = catalogue("es")
    same = [m.id for m in cat if m.id and m.string == m.id]
    assert len(same) <= len(strings) // 5, f"too many untranslated-looking entries: {same[:20]}"


@pytest.mark.parametrize("locale, expected", [
    ("es", ["Programa", "Tipo de publicación", "Departamentos", "Año"]),
    ("en", ["Programme", "Publication type", "Departments", "Year"]),
])
def test_ckan_serves_the_compiled_catalogue(app, locale, expected):
    """The compiled .mo is what CKAN uses: the bono search page shows the
    facet titles in the page's language (Spanish by default, /en/ for English)."""
    prefix = "" if locale == "es" else "/en"
    soup = BeautifulSoup(app.get(prefix + "/bono/").body, "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.select("section h2.module-heading")]
    assert headings[:4] == expected
