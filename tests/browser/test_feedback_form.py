"""The "report a problem" form in headless Chromium, with CKAN's CSRF
protection on: sent as a citizen sends it, the report is stored and thanked;
the same form without its CSRF token is refused and stores nothing."""
import pytest

import ckan.tests.helpers as helpers

from tests.citizen.conftest import clean_bonos_tables  # noqa: F401  (fixture)
from tests.previews.conftest import demo_files, publication  # noqa: F401  (fixtures)

from .conftest import blocking
from .test_citizen_walk import summary_published  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

MESSAGE = "La cifra de hogares de Distrito Central no coincide con la del informe anual."
TEXTS = {"": {"send": "Enviar reporte", "thanks": "Gracias por su reporte"},
         "en": {"send": "Send report", "thanks": "Thank you for your report"}}


def _reports() -> list:
    """Every stored report (as a sysadmin sees them)."""
    site_user = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    return helpers.call_action("bonos_feedback_list", {"user": site_user})["results"]


@pytest.mark.parametrize("lang", ["", "en"])
def test_a_citizen_sends_a_report(lang, summary_published, live_server, page, axe, screenshot):
    prefix = "/" + lang if lang else ""
    assert page.goto(live_server.url(prefix + "/bonos/municipio/0801")).status == 200
    form = page.locator("form[action$='/bonos/reportar']")
    assert form.locator("input[name=_csrf_token]").count() == 1
    form.locator("textarea[name=mensaje]").fill(MESSAGE)
    form.locator("input[name=email]").fill("vecina@example.org")
    with page.expect_navigation() as sent:
        form.get_by_role("button", name=TEXTS[lang]["send"]).click()
    assert sent.value.status == 200
    assert page.locator("h1").inner_text().strip() == TEXTS[lang]["thanks"]
    assert page.console_errors == []
    assert blocking(axe(page)) == []
    screenshot(page, "feedback-sent-%s" % (lang or "es"))
    reports = _reports()
    assert [(r["municipio"], r["mensaje"], r["estado"]) for r in reports] \
        == [("0801", MESSAGE, "recibido")]


def test_without_its_csrf_token_the_form_is_refused(summary_published, live_server, page):
    assert page.goto(live_server.url("/bonos/departamento/08")).status == 200
    form = page.locator("form[action$='/bonos/reportar']")
    form.locator("input[name=_csrf_token]").evaluate("input => input.remove()")
    form.locator("textarea[name=mensaje]").fill(MESSAGE)
    with page.expect_navigation() as sent:
        form.get_by_role("button", name=TEXTS[""]["send"]).click()
    assert sent.value.status == 400
    assert _reports() == []
