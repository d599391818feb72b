"""Acceptance 1: a citizen walks landing -> department -> municipality -> its
payments -> publication -> preview in headless Chromium, in Spanish and in
English, on a 1280-pixel screen and a 360-pixel phone, by following the links on
the pages. Each page: screenshot, no console error, no serious or critical
axe-core violation, no sideways scroll, no chart labels running into each other.
The citizen pages load nothing but their own HTML (no script, no stylesheet)."""
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
         "payments": "Pagos en Distrito Central (Francisco Morazán)",
         "payments_link": "Pagos en Distrito Central, mes a mes",
         "report": "Reportar un problema con estos datos"},
    "en": {"landing": "Social bonds: what was paid, where and when",
           "department": "Department of Francisco Morazán",
           "municipality": "Municipality of Distrito Central (Francisco Morazán)",
           "payments": "Payments in Distrito Central (Francisco Morazán)",
           "payments_link": "Payments in Distrito Central, month by month",
           "report": "Report a problem with these data"},
}
WIDTHS = (1280, 360)

# Pairs of text boxes, within one chart, that intersect (labels that run into
# each other). Axis labels, legend and map legend are all <text> of the chart.
OVERLAPS_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.bonos-chart')) {
    const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, r] = boxes[i], [b, s] = boxes[j];
        if (r.left < s.right - 0.5 && s.left < r.right - 0.5 &&
            r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5) out.push(a + ' / ' + b);
      }
  }
  return out;
}"""


@pytest.fixture
def published(clean_bonos_tables, publication, demo_files):  # noqa: F811
    res = upload(publication, "resumen_ejecucion", demo_files["resumen_ejecucion"])
    pagos = upload(publication, "historial_pagos", demo_files["historial_pagos"])
    # the factory's organization logo is on the internet, which a test must not need
    helpers.call_action("organization_patch", id=publication["pkg"]["owner_org"], image_url="")
    return publication, res, pagos


@pytest.fixture
def summary_published(clean_bonos_tables, publication, demo_files):  # noqa: F811
    """Only the summary (the report form's tests use it)."""
    res = upload(publication, "resumen_ejecucion", demo_files["resumen_ejecucion"])
    helpers.call_action("organization_patch", id=publication["pkg"]["owner_org"], image_url="")
    return publication, res


def check(page, axe, screenshot, name, frame=None, light=True):
    path = screenshot(page, name)
    assert path.stat().st_size > 5000
    assert page.console_errors == [], name
    assert blocking(axe(page)) == [], name
    if frame is not None:
        assert blocking(axe(page, frame=frame)) == [], name + " (preview frame)"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    # on failure, the outermost elements that stick out of an unscrolled ancestor
    wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => {
        if (e.getBoundingClientRect().right <= document.documentElement.clientWidth + 1) return false;
        for (let a = e.parentElement; a; a = a.parentElement)
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false;
        return true;
      }).slice(0, 6).map(e => e.tagName + '.' + (e.getAttribute('class') || '') + ' ' +
                       Math.round(e.getBoundingClientRect().right))""")
    assert overflow <= 1, "%s is %d px wider than the window: %s" % (name, overflow, wide)
    assert page.evaluate(OVERLAPS_JS) == [], name
    if light:   # a citizen page: read and navigated without any script or CKAN asset
        assert page.evaluate("document.scripts.length") == 0, name
        assert page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)") == [], name


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["", "en"])
def test_citizen_walk(lang, width, published, live_server, page, axe, screenshot):
    publication, res, pagos = published
    texts = HEADINGS[lang]
    prefix = "/" + lang if lang else ""
    tag = "%s-%d" % (lang or "es", width)
    page.set_viewport_size({"width": width, "height": 800})

    response = page.goto(live_server.url(prefix + "/bonos"))
    assert response.status == 200
    assert page.locator("h1").inner_text().strip() == texts["landing"]
    assert page.locator("html").get_attribute("lang") == (lang or "es")
    assert page.locator("main, [role=main]").count() == 1
    assert page.locator("svg[role=img]").count() >= 1          # the trend
    assert page.locator("svg a[data-ine]").count() == 18       # the map, one link each
    assert page.locator("#pagos + div table tbody tr").count() == 18
    # the menu is plain links, there without a script
    assert page.locator("header nav a").count() >= 5
    check(page, axe, screenshot, "1-landing-" + tag)

    page.locator("table a", has_text="Francisco Morazán").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(prefix + "/bonos/departamento/08")
    assert page.locator("h1").inner_text().strip() == texts["department"]
    assert page.locator("h2", has_text=texts["report"]).count() == 1
    check(page, axe, screenshot, "2-department-" + tag)

    page.locator("table a", has_text="Distrito Central").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(prefix + "/bonos/municipio/0801")
    assert page.locator("h1").inner_text().strip() == texts["municipality"]
    check(page, axe, screenshot, "3-municipality-" + tag)

    page.locator("a", has_text=texts["payments_link"]).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(prefix + "/bonos/municipio/0801/pagos")
    assert page.locator("h1").inner_text().strip() == texts["payments"]
    assert page.locator("text.bonos-eje-x").count() >= 4       # the month labels
    assert page.locator("main table tbody tr").count() > 4
    check(page, axe, screenshot, "4-payments-" + tag)

    page.locator(".bonos-nota a", has_text=publication["pkg"]["title"]).first.click()
    page.wait_for_load_state()
    assert publication["pkg"]["name"] in page.url
    assert page.locator("h2", has_text=texts["report"]).count() == 1
    # CKAN's pages keep CKAN's assets, but not CKAN's logo as the portal's
    assert page.locator("header img[src*='ckan-logo']").count() == 0
    check(page, axe, screenshot, "5-publication-" + tag, light=False)

    page.locator("a[href*='/resource/%s']" % pagos["id"]).first.click()
    page.wait_for_load_state()
    frame_el = page.locator("iframe").first
    frame_el.wait_for()
    frame = frame_el.content_frame
    frame.locator("svg[role=img]").first.wait_for()
    assert page.frames[1].evaluate(OVERLAPS_JS) == []     # the payment timeline's months
    check(page, axe, screenshot, "6-preview-" + tag, frame=page.frames[1], light=False)


@pytest.mark.parametrize("path", ["/bonos", "/bonos/departamento/08", "/bonos/municipio/0801",
                                  "/bonos/municipio/0801/pagos"])
def test_citizen_pages_fit_a_phone(path, published, live_server, page, axe, screenshot):
    """On a 360-pixel phone the page does not scroll sideways: wide tables
    scroll inside their own keyboard-reachable region."""
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.goto(live_server.url(path)).status == 200
    loose = page.evaluate(
        "[...document.querySelectorAll('main table')]"
        ".filter(t => !t.closest('.bonos-table-scroll')).length")
    assert loose == 0
    check(page, axe, screenshot, "phone" + path.replace("/", "-"))
