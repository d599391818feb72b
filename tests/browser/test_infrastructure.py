"""The browser-test infrastructure itself: a real CKAN page in headless
Chromium, console errors collected, axe-core run, a screenshot written."""
import pytest

from .conftest import blocking

pytestmark = pytest.mark.browser


def test_a_ckan_page_loads_in_chromium_and_axe_runs(live_server, page, axe, screenshot):
    response = page.goto(live_server.url("/about"))
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.console_errors == []
    violations = axe(page)
    assert isinstance(violations, list)
    # axe really ran on this document: it knows its rules and found the page language
    assert page.evaluate("axe.getRules().length") > 50
    assert page.evaluate("document.documentElement.lang") == "es"
    assert not [v for v in violations if v["id"] == "html-has-lang"]
    path = screenshot(page, "about")
    assert path.stat().st_size > 1000


def test_console_errors_are_collected(live_server, page):
    page.goto(live_server.url("/about"))
    page.evaluate("console.error('bonos-probe')")
    page.evaluate("setTimeout(() => { throw new Error('bonos-uncaught') }, 0)")
    page.wait_for_timeout(100)
    assert any("bonos-probe" in e for e in page.console_errors)
    assert any("bonos-uncaught" in e for e in page.console_errors)
