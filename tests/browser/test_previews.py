"""Each summary view in headless Chromium: it renders, shows no console
error, has no serious or critical axe-core violation, and works embedded in
the resource page's iframe."""
import pytest

from tests.previews.conftest import VIEW_OF, view_url

from .conftest import blocking

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tabla", sorted(VIEW_OF))
@pytest.mark.parametrize("lang", ["", "en"])
def test_view_page_is_clean_and_accessible(tabla, lang, uploaded, publication, live_server,
                                           page, axe, screenshot):
    res, view = uploaded[tabla]
    response = page.goto(live_server.url(view_url(publication, res["id"], view["id"], lang)))
    assert response.status == 200
    assert page.locator("svg[role=img]").count() >= 1
    assert page.locator("[data-bonos-problem]").count() == 0
    path = screenshot(page, "%s-%s" % (tabla, lang or "es"))
    assert path.stat().st_size > 5000
    assert page.console_errors == []
    violations = axe(page)
    assert blocking(violations) == []
    # the first chart is reachable with the keyboard
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.tagName") == "svg":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "svg"


def test_views_work_without_javascript(uploaded, publication, live_server, browser_context):
    page = browser_context.new_page()
    try:
        page.route("**/*.js", lambda route: route.abort())
        res, view = uploaded["resumen_ejecucion"]
        page.goto(live_server.url(view_url(publication, res["id"], view["id"], "en")))
        # sorting is a plain link: no script involved
        page.get_by_role("link", name="Households").last.click()
        page.wait_for_load_state()
        assert "orden=hogares" in page.url
        header = page.locator("th[aria-sort]")
        assert "Households" in header.inner_text()
    finally:
        page.close()


def test_view_is_embedded_in_the_resource_page(uploaded, publication, live_server, page, axe):
    res, view = uploaded["resumen_ejecucion"]
    page.goto(live_server.url("/dataset/%s/resource/%s" % (publication["pkg"]["id"], res["id"])))
    frame_el = page.locator("iframe").first
    frame_el.wait_for()
    frame = frame_el.content_frame
    frame.locator("svg[role=img]").first.wait_for()
    assert frame.locator(".bonos-kpi").count() == 4
    assert blocking(axe(page, frame=page.frames[1])) == []
