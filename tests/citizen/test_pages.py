"""The citizen pages over HTTP: Spanish first, English under /en/, figures
from public publications only, 404 pages for unknown codes, CSV and API."""
import csv
import io

import pytest
from bs4 import BeautifulSoup

import ckan.tests.helpers as helpers

from .conftest import summary
from .test_figures import FRANCISCO_MORAZAN


@pytest.fixture
def published(portal):
    pkg, res = portal.publication("bvm-2024", FRANCISCO_MORAZAN + (
        "2024-T2,15,1501,bono_vida_mejor,total,900,3000,2250000,2200000\n"))
    return pkg, res


def text_of(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def test_landing_in_spanish_shows_latest_period_and_numbers(app, published):
    response = app.get("/bonos")
    assert response.status_code == 200
    text = text_of(response)
    assert "Bono Vida Mejor: T2 2024" in text
    assert "2.208" in text            # households 1308 + 900, Spanish grouping
    assert "L 5.320.000" in text.replace("\u00a0", " ")
    assert "Francisco Morazán" in text
    html = response.get_data(as_text=True)
    assert "<svg" in html                        # map and trend, no script needed
    assert "/bonos/departamento/08" in html
    assert "bonos_cifras_list" in html and "/bonos/cifras.csv" in html
    nav = BeautifulSoup(html, "html.parser").select_one("header nav")
    assert nav.find("a", href="/bonos", string="Bonos sociales")
    assert nav.find("a", href="/bono/", string="Publicaciones")


def test_landing_in_english(app, published):
    text = text_of(app.get("/en/bonos"))
    assert "Bono Vida Mejor: Q2 2024" in text
    assert "2,208" in text and "How to read these data" in text


def test_department_page_lists_municipalities_and_marks_suppressed(app, published):
    response = app.get("/bonos/departamento/08")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == "Departamento de Francisco Morazán"
    text = soup.get_text(" ", strip=True)
    assert "T1 2024" in text and "T2 2024" in text
    rows = {tr.th.get_text(strip=True): tr.get_text(" ", strip=True)
            for tr in soup.select("table tbody tr") if tr.th}
    assert "Distrito Central" in rows
    # the trend's first quarter excludes one suppressed municipality, marked '*', never 0
    assert any(row.startswith("T1 2024 1.200*") for row in rows.values())
    assert soup.find("form", action="/bonos/reportar")
    assert soup.find("input", attrs={"name": "departamento", "value": "08"})


def test_municipality_page_links_back_and_to_its_source(app, published):
    pkg, _ = published
    response = app.get("/bonos/municipio/0802")
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "suprimido" in text                    # T1 2024 is suppressed
    assert soup.find("a", href="/bonos/departamento/08")
    assert soup.find("a", href="/dataset/%s" % pkg["name"]) or \
        soup.find("a", href="/bono/%s" % pkg["name"])


@pytest.mark.parametrize("url", ["/bonos/departamento/99", "/bonos/departamento/8",
                                 "/bonos/municipio/0899", "/bonos/municipio/<script>"])
def test_unknown_codes_answer_a_helpful_404(app, url, clean_db):
    response = app.get(url, status=404)
    text = text_of(response)
    assert "No encontramos ese lugar" in text
    assert "Francisco Morazán" in text            # the list of departments to choose from
    assert "<script>" not in response.get_data(as_text=True).split("<body", 1)[1].replace(
        "&lt;script&gt;", "")


def test_a_known_place_without_figures_says_so(app, clean_db):
    text = text_of(app.get("/bonos/municipio/0101"))
    assert "Todavía no se han publicado cifras" in text


def test_private_publication_figures_never_reach_the_pages(app, portal):
    portal.publication("bvm-privada", summary(("2024-T3", "08", "0801", 4321, 9999, 1, 1)),
                       private=True)
    for url in ("/bonos", "/bonos/departamento/08", "/bonos/municipio/0801",
                "/bonos/cifras.csv?nivel=municipio"):
        body = app.get(url).get_data(as_text=True)
        assert "4321" not in body and "4.321" not in body and "9999" not in body
    assert helpers.call_action("bonos_cifras_list", nivel="municipio") == []


def test_csv_and_api_give_the_same_rows(app, published):
    response = app.get("/bonos/cifras.csv?nivel=municipio&departamento=08")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    api = helpers.call_action("bonos_cifras_list", nivel="municipio", departamento="08")
    assert len(rows) == len(api) == 4
    suppressed = [r for r in rows if r["municipio_codigo"] == "0802" and r["periodo"] == "2024-T1"]
    assert suppressed[0]["hogares"] == "" and suppressed[0]["hogares_celdas_suprimidas"] == "1"
    # the row rule: its amounts are withheld too, empty (never 0) and counted
    assert suppressed[0]["monto_transferido_hnl"] == ""
    assert suppressed[0]["monto_transferido_celdas_suprimidas"] == "1"
    assert suppressed[0]["monto_programado_hnl"] == ""
    assert api[1]["hogares"] is None
    assert api[1]["monto_transferido_hnl"] is None
    assert api[1]["monto_transferido_celdas_suprimidas"] == 1
    departments = helpers.call_action("bonos_cifras_list", nivel="departamento",
                                      departamento="08")
    t1 = next(r for r in departments if r["periodo"] == "2024-T1")
    assert t1["monto_transferido_hnl"] == 2950000.5    # 0801 alone: 0802 left out...
    assert t1["monto_transferido_celdas_suprimidas"] == 1    # ...and said so


def test_bad_filters_are_field_errors(app, clean_db):
    assert app.get("/bonos/cifras.csv?nivel=pais", status=400)
    response = app.get("/api/3/action/bonos_cifras_list?departamento=99", status=409)
    assert "departamento" in response.json["error"]


def test_search_page_has_year_facet_clear_all_and_cards(app, published):
    pkg, _ = published
    response = app.get("/bono/?vocab_departamentos=08")
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "Año" in text and "Programa" in text and "Departamentos" in text
    assert soup.find("a", string=lambda s: s and "Quitar todos los filtros" in s)
    card = soup.select_one(".bonos-ficha").get_text(" ", strip=True)
    assert "Bono Vida Mejor" in card and "2024" in card and "Francisco Morazán" in card
    english = BeautifulSoup(app.get("/en/bono/?vocab_departamentos=08").get_data(as_text=True),
                            "html.parser").get_text(" ", strip=True)
    assert "Year" in english and "Clear all filters" in english
