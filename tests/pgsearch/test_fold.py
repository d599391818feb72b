"""Accent folding happens in Python before PostgreSQL analyses a text, for the
documents and for the queries alike: both sides must fold the same way."""
import pytest

from ckanext.bonos.pgsearch.storage import fold


@pytest.mark.parametrize("text, folded", [
    ("Educación", "educacion"),
    ("NIÑEZ Y ADOLESCENCIA", "ninez y adolescencia"),
    ("Pingüino çedilla Ýý ÿ", "pinguino cedilla yy y"),
    ("ÁÀÂÄÃÅáàâäãå", "aaaaaaaaaaaa"),
    ("plain ascii 123", "plain ascii 123"),
    ("Ωmega € 中文", "ωmega € 中文"),   # outside the Latin set: only lower-cased
])
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_folded_documents_and_queries_meet():
    from ckan.tests import factories, helpers
    factories.Dataset(name="salud", title="ATENCIÓN PRIMARIA EN SALUD",
                      notes="Vacunación de niñas y niños")
    for q in ("atencion", "ATENCIÓN", "title:atención", "notes:vacunacion",
              '"vacunacion de ninas"', "ninos"):
        result = helpers.call_action("package_search", q=q)
        assert [r["name"] for r in result["results"]] == ["salud"], q
