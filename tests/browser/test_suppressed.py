"""Suppressed amounts in headless Chromium: the summary and payment views and the
citizen pages show a withheld amount as suppressed (never 0), in Spanish and in
English, and totals that leave suppressed cells out are marked."""
import pytest

import ckan.tests.helpers as helpers

from tests.citizen.conftest import clean_bonos_tables  # noqa: F401  (fixture)
from tests.previews.conftest import publication, upload, view_of, view_url  # noqa: F401

from .conftest import blocking

pytestmark = pytest.mark.browser

S4 = ",".join(["suprimido"] * 4)
RESUMEN = ("periodo,departamento_codigo,municipio_codigo,programa,componente,hogares,"
           "personas,monto_programado_hnl,monto_transferido_hnl\n"
           "2023-T1,08,0801,bono_vida_mejor,total,1200,4100,3000000,2950000.50\n"
           "2023-T1,08,0802,bono_vida_mejor,total,%s\n" % S4)
HISTORIAL = ("periodo,fecha_pago,departamento_codigo,municipio_codigo,programa,"
             "modalidad_pago,transferencias,monto_hnl,estado\n"
             "2023-T1,2023-02-10,08,0801,bono_vida_mejor,bancaria,1000,2500000.00,pagado\n"
             "2023-T1,2023-02-10,08,0801,bono_vida_mejor,ventanilla,suprimido,suprimido,pagado\n"
             "2023-T1,2023-02-10,08,0801,bono_vida_mejor,movil,suprimido,suprimido,pagado\n")
WORD = {"": "suprimido", "en": "suppressed"}
OTHER = {"": "suppressed", "en": "suprimido"}


@pytest.fixture
def published(clean_bonos_tables, publication):  # noqa: F811
    helpers.call_action("organization_patch", id=publication["pkg"]["owner_org"], image_url="")
    resumen = upload(publication, "resumen_ejecucion", RESUMEN.encode())
    pagos = upload(publication, "historial_pagos", HISTORIAL.encode())
    return publication, resumen, pagos


def _row_cells(page, selector, header_text):
    row = page.locator(selector, has_text=header_text).first
    # text_content: a chart's data table may sit in a closed <details>
    return [c.strip() for c in row.locator("td").all_text_contents()]


@pytest.mark.parametrize("lang", ["", "en"])
def test_summary_view_shows_suppressed_amounts(lang, published, live_server, page, axe,
                                               screenshot):
    publication, resumen, _ = published
    view = view_of(resumen["id"], "bonos_resumen")
    page.goto(live_server.url(view_url(publication, resumen["id"], view["id"], lang)))
    cells = _row_cells(page, "table tbody tr", "Alubarén")
    # households, people, programmed, transferred: all withheld, none shown as 0
    assert cells[1:5] == [WORD[lang]] * 4, cells
    assert page.locator("body").inner_text().count(OTHER[lang]) == 0
    transferred = page.locator(".bonos-kpi dd").nth(2).inner_text()
    assert "*" in transferred            # the national total leaves a cell out
    screenshot(page, "suppressed-resumen-%s" % (lang or "es"))
    assert page.console_errors == []
    assert blocking(axe(page)) == []


@pytest.mark.parametrize("lang", ["", "en"])
def test_payment_view_shows_suppressed_amounts(lang, published, live_server, page, axe,
                                               screenshot):
    publication, _, pagos = published
    view = view_of(pagos["id"], "bonos_pagos")
    page.goto(live_server.url(view_url(publication, pagos["id"], view["id"], lang)))
    text = page.locator("body").inner_text()
    assert WORD[lang] in text and OTHER[lang] not in text
    # by modality: the counter and mobile amounts are withheld, the bank one is not
    cells = _row_cells(page, "table tbody tr", "2023")
    assert cells.count(WORD[lang]) >= 2, cells
    assert any(c.startswith("L") and "2" in c and "500" in c for c in cells), cells
    assert not any(c in ("0", "L 0", "L\u00a00") for c in cells), cells
    screenshot(page, "suppressed-pagos-%s" % (lang or "es"))
    assert page.console_errors == []
    assert blocking(axe(page)) == []


@pytest.mark.parametrize("lang", ["", "en"])
def test_citizen_pages_show_suppressed_amounts(lang, published, live_server, page, axe,
                                               screenshot):
    prefix = "/" + lang if lang else ""
    page.goto(live_server.url(prefix + "/bonos/municipio/0802"))
    headline = page.locator(".bonos-cifras").first.inner_text()
    # households, people, lempiras, and the programmed amount in the label
    assert headline.count(WORD[lang]) == 4, headline
    text = page.locator("body").inner_text()
    assert OTHER[lang] not in text
    screenshot(page, "suppressed-municipio-%s" % (lang or "es"))
    assert page.console_errors == [] and blocking(axe(page)) == []

    page.goto(live_server.url(prefix + "/bonos/departamento/08"))
    cells = _row_cells(page, "table tbody tr", "Alubarén")
    assert cells[-3:] == [WORD[lang]] * 3, cells
    headline = page.locator(".bonos-cifras").first.inner_text()
    assert "*" in headline          # the department's sum leaves Alubarén out, and says so
    assert page.console_errors == [] and blocking(axe(page)) == []
