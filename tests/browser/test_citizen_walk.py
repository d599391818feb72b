"""Acceptance 1: a citizen walks landing -> department -> municipality ->
publication -> preview in headless Chromium, in Spanish and in English, by
following the links on the pages. Each page: screenshot, no console error,
no serious or critical axe-core violation."""
import pytest

import ckan.tests.helpers as helpers

from tests.citizen.conftest import clean_bonos_tables  # noqa: F401  (fixture)
from tests.previews.conftest import (  # noqa: F401  (fixtures)
    demo_files, publication, upload)

from .conftest import blocking

pytestmark = pytest.mark.browser

HEADINGS = {
    "": {"landing": "Bonos sociales: qué se pagó, dónde y cuándo",
         "department": "Departamento de Francisco Morazán",
         "municipality": "Municipio de Distrito Central (Francisco Morazán)",
         "report": "Reportar un problema con estos datos"},
    "en": {"landing": "Social bonds: what was paid, where and when",
           "department": "Department of Francisco Morazán",
           "municipality": "Municipality of Distrito Central (Francisco Morazán)",
           "report": "Report a problem with these data"},
}


@pytest.fixture
def summary_published(clean_bonos_tables, publication, demo_files):  # noqa: F811
    res = upload(publication, "resumen_ejecucion", demo_files["resumen_ejecucion"])
    # the factory's organization logo is on the internet, which a test must not need
    helpers.call_action("organization_patch", id=publication["pkg"]["owner_org"], image_url="")
    return publication, res


def check(page, axe, screenshot, name, frame=None):
    path = screenshot(page, name)
    assert path.stat().st_size > 5000
    assert page.console_errors == [], name
    assert blocking(axe(page)) == [], name
    if frame is not None:
        assert blocking(axe(page, frame=frame)) == [], name + " (preview frame)"


@pytest.mark.parametrize("lang", ["", "en"])
def test_citizen_walk(lang, summary_published, live_server, page, axe, screenshot):
    publication, res = summary_published
    texts = HEADINGS[lang]
    prefix = "/" + lang if lang else ""

    response = page.goto(live_server.url(prefix + "/bonos"))
    assert response.status == 200
    assert page.locator("h1").inner_text().strip() == texts["landing"]
    assert page.locator("html").get_attribute("lang") == (lang or "es")
    assert page.locator("main, [role=main]").count() == 1
    assert page.locator("svg[role=img]").count() >= 2          # map and trend
    check(page, axe, screenshot, "1-landing-%s" % (lang or "es"))

    page.locator("table a", has_text="Francisco Morazán").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(prefix + "/bonos/departamento/08")
    assert page.locator("h1").inner_text().strip() == texts["department"]
    assert page.locator("h2", has_text=texts["report"]).count() == 1
    check(page, axe, screenshot, "2-department-%s" % (lang or "es"))

    page.locator("table a", has_text="Distrito Central").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(prefix + "/bonos/municipio/0801")
    assert page.locator("h1").inner_text().strip() == texts["municipality"]
    check(page, axe, screenshot, "3-municipality-%s" % (lang or "es"))

    page.locator(".bonos-nota a", has_text=publication["pkg"]["title"]).first.click()
    page.wait_for_load_state()
    assert publication["pkg"]["name"] in page.url
    assert page.locator("h2", has_text=texts["report"]).count() == 1
    check(page, axe, screenshot, "4-publication-%s" % (lang or "es"))

    page.locator("a[href*='/resource/%s']" % res["id"]).first.click()
    page.wait_for_load_state()
    frame_el = page.locator("iframe").first
    frame_el.wait_for()
    frame = frame_el.content_frame
    frame.locator("svg[role=img]").first.wait_for()
    check(page, axe, screenshot, "5-preview-%s" % (lang or "es"), frame=page.frames[1])


@pytest.mark.parametrize("path", ["/bonos", "/bonos/departamento/08", "/bonos/municipio/0801"])
def test_citizen_pages_fit_a_phone(path, summary_published, live_server, page, axe, screenshot):
    """On a 360-pixel phone the page does not scroll sideways: wide tables
    scroll inside their own keyboard-reachable region."""
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.goto(live_server.url(path)).status == 200
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, "%s is %d px wider than the phone" % (path, overflow)
    loose = page.evaluate(
        "[...document.querySelectorAll('main table')]"
        ".filter(t => !t.closest('.bonos-table-scroll')).length")
    assert loose == 0
    check(page, axe, screenshot, "phone" + path.replace("/", "-"))
