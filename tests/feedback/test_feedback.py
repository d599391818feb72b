"""Citizen reports: an anonymous citizen reports, the publishing organization's
editor answers, nobody else sees it, the contact e-mail never goes public."""
import json
import re

import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan.lib.redis import connect_to_redis

from tests.citizen.conftest import summary

EMAIL = "vecina.secreta@example.org"
CSRF_FIELD = "_csrf_token"   # CKAN's WTF_CSRF_FIELD_NAME (2.11 and 2.12)
MESSAGE = "El municipio de Distrito Central recibió más de lo que dice la tabla."


@pytest.fixture
def setup(portal):
    connect_to_redis().flushdb()          # the rate-limit counters (this run's Redis db)
    pkg, res = portal.publication("bvm-2024", summary(
        ("2024-T1", "08", "0801", 1200, 4100, 3000000, 2950000)))
    editor = factories.User(name="editora-sedis")
    helpers.call_action("organization_member_create", id=portal.org["id"],
                        username=editor["name"], role="editor")
    other_org = factories.Organization(name="otra-institucion")
    outsider = factories.User(name="editor-otro")
    helpers.call_action("organization_member_create", id=other_org["id"],
                        username=outsider["name"], role="editor")
    return {"pkg": pkg, "editor": editor, "outsider": outsider, "portal": portal}


def stored(setup) -> int:
    """Every report in the database (as a sysadmin sees them)."""
    return helpers.call_action("bonos_feedback_list",
                               {"user": setup["portal"].sysadmin["name"]})["count"]


def auth(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def csrf_from(client, url, headers=None):
    """The CSRF token of the form at url; the client keeps the session cookie
    it belongs to (CKAN's ``app`` fixture forgets cookies between requests)."""
    page = client.get(url, headers=headers or {})
    assert page.status_code == 200
    field = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(
        "input", attrs={"name": CSRF_FIELD})
    assert field is not None, "the form carries CKAN's CSRF token"
    return field["value"]


def send(client, token, status=200, lang="", address="203.0.113.7", **fields):
    data = dict(fields, **{CSRF_FIELD: token}) if token else dict(fields)
    response = client.post(lang + "/bonos/reportar", data=data,
                           environ_base={"REMOTE_ADDR": address})
    assert response.status_code == status, response.get_data(as_text=True)[-2000:]
    return response


def test_without_csrf_token_the_report_is_refused(app, setup):
    citizen = app.test_client()
    csrf_from(citizen, "/bonos/reportar?departamento=08")   # a session, but no token sent
    response = send(citizen, None, status=400, package_id=setup["pkg"]["id"], mensaje=MESSAGE)
    assert "CSRF" in response.get_data(as_text=True)
    assert stored(setup) == 0


def test_report_reaches_the_editor_only_and_the_email_stays_private(app, setup):
    pkg = setup["pkg"]
    citizen = app.test_client()
    token = csrf_from(citizen, "/bono/%s" % pkg["name"])
    thanks = send(citizen, token, package_id=pkg["id"], mensaje=MESSAGE, email=EMAIL)
    assert "Gracias por su reporte" in thanks.get_data(as_text=True)

    # the organization's editor sees it, with the e-mail
    listed = app.get("/api/3/action/bonos_feedback_list", headers=auth(setup["editor"])).json
    [report] = listed["result"]["results"]
    assert report["email"] == EMAIL and report["estado"] == "recibido"
    page = app.get("/bonos/reportes", headers=auth(setup["editor"])).get_data(as_text=True)
    assert MESSAGE[:40] in page

    # another organization's editor does not
    outsider = auth(setup["outsider"])
    assert app.get("/api/3/action/bonos_feedback_list",
                   headers=outsider).json["result"]["count"] == 0
    app.get("/api/3/action/bonos_feedback_show?id=%s" % report["id"], headers=outsider,
            status=403)
    app.get("/bonos/reportes/%s" % report["id"], headers=outsider, status=403)
    # an anonymous visitor neither
    app.get("/api/3/action/bonos_feedback_list", status=403)
    app.get("/api/3/action/bonos_feedback_show?id=%s" % report["id"], status=403)

    # the editor answers through the web form and publishes the answer
    editor = auth(setup["editor"])
    editor_client = app.test_client()
    form_token = csrf_from(editor_client, "/bonos/reportes/%s" % report["id"], headers=editor)
    assert EMAIL in app.get("/bonos/reportes/%s" % report["id"],
                            headers=editor).get_data(as_text=True)
    saved = editor_client.post("/bonos/reportes/%s" % report["id"], headers=editor, data={
        CSRF_FIELD: form_token, "estado": "respondido", "publico": "true",
        "respuesta": "Revisamos la tabla: la cifra es correcta, incluye el pago de marzo."},
        follow_redirects=False)
    assert saved.status_code == 302
    shown = helpers.call_action("bonos_feedback_show", {"user": setup["editor"]["name"]},
                                id=report["id"])
    assert shown["estado"] == "respondido" and shown["publico"] is True
    assert shown["respondido_at"]

    # public now: the answer shows, the e-mail never, anywhere public
    public_urls = ["/bonos", "/bonos/departamento/08", "/bonos/municipio/0801",
                   "/bono/%s" % pkg["name"], "/bonos/reportes/publicos",
                   "/en/bonos/reportes/publicos", "/bono/", "/bonos/cifras.csv",
                   "/api/3/action/bonos_feedback_public_list",
                   "/api/3/action/bonos_feedback_public_list?package_id=%s" % pkg["id"],
                   "/api/3/action/package_show?id=%s" % pkg["id"],
                   "/api/3/action/package_search?q=*:*",
                   "/api/3/action/bonos_cifras_list"]
    bodies = {url: app.get(url).get_data(as_text=True) for url in public_urls}
    for url, body in bodies.items():
        assert EMAIL not in body and "vecina.secreta" not in body, url
    assert "incluye el pago de marzo" in bodies["/bonos/reportes/publicos"]
    assert "incluye el pago de marzo" in bodies["/bono/%s" % pkg["name"]]
    public = json.loads(bodies["/api/3/action/bonos_feedback_public_list"])["result"]
    assert public and all("email" not in r for r in public)


def test_unpublished_answers_stay_private(app, setup):
    created = helpers.call_action("bonos_feedback_create", package_id=setup["pkg"]["id"],
                                  mensaje=MESSAGE, email=EMAIL)
    assert set(created) == {"id", "estado"}           # nothing echoed back
    helpers.call_action("bonos_feedback_update", id=created["id"], estado="respondido",
                        respuesta="Respuesta interna, no pública.")
    assert helpers.call_action("bonos_feedback_public_list") == []
    assert "Respuesta interna" not in app.get("/bonos/reportes/publicos").get_data(as_text=True)
    with pytest.raises(helpers.logic.ValidationError) as e:
        helpers.call_action("bonos_feedback_update", id=created["id"], estado="en_revision",
                            publico=True)
    assert "publico" in e.value.error_dict


@pytest.mark.parametrize("lang,expected", [("", "No se acepta HTML"), ("/en", "HTML is not accepted")])
def test_html_is_refused_with_a_field_error_in_the_page_language(app, setup, lang, expected):
    citizen = app.test_client()
    token = csrf_from(citizen, lang + "/bonos/reportar?departamento=08")
    response = send(citizen, token, status=400, lang=lang, departamento="08",
                    mensaje="Mire esto <script>alert(1)</script> por favor")
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    error = soup.find(id="reporte-mensaje-error")
    assert error is not None and expected in error.get_text()
    assert soup.find(id="reporte-mensaje")["aria-invalid"] == "true"
    assert stored(setup) == 0


@pytest.mark.parametrize("fields,field", [
    ({"mensaje": "corto"}, "mensaje"),
    ({"mensaje": "x" * 2001}, "mensaje"),
    ({"mensaje": MESSAGE, "email": "no-es-correo"}, "email"),
    ({"mensaje": MESSAGE, "email": "<b>@example.org"}, "email"),
    ({"mensaje": "<!-- comentario --> " + MESSAGE}, "mensaje"),
])
def test_bad_reports_are_field_errors_and_nothing_is_stored(setup, fields, field):
    with pytest.raises(helpers.logic.ValidationError) as e:
        helpers.call_action("bonos_feedback_create", departamento="08", **fields)
    assert field in e.value.error_dict
    assert stored(setup) == 0


def test_subject_must_exist_and_be_public(setup, portal):
    for subject in ({"departamento": "99"}, {"municipio": "0899"}, {"package_id": "nope"}, {}):
        with pytest.raises(helpers.logic.ValidationError):
            helpers.call_action("bonos_feedback_create", mensaje=MESSAGE, **subject)
    private, _ = portal.publication("privada", summary(("2024-T1", "08", "0801", 9, 9, 1, 1)),
                                    private=True)
    with pytest.raises(helpers.logic.ValidationError):
        helpers.call_action("bonos_feedback_create", mensaje=MESSAGE, package_id=private["id"])


@pytest.mark.ckan_config("ckanext.bonos.reportes.por_hora", "2")
def test_rate_limit_per_client(app, setup):
    citizen = app.test_client()
    token = csrf_from(citizen, "/bonos/reportar?municipio=0801")
    for _ in range(2):
        send(citizen, token, municipio="0801", mensaje=MESSAGE)
    refused = send(citizen, token, status=429, municipio="0801", mensaje=MESSAGE)
    assert "Demasiados reportes" in refused.get_data(as_text=True)
    # another client is not held back by the first one
    send(citizen, token, address="198.51.100.20", municipio="0801", mensaje=MESSAGE)
    assert stored(setup) == 3


def test_place_reports_go_to_the_organization_of_the_figures(setup):
    created = helpers.call_action("bonos_feedback_create", municipio="0801", mensaje=MESSAGE)
    shown = helpers.call_action("bonos_feedback_show", {"user": setup["editor"]["name"]},
                                id=created["id"])
    assert shown["owner_org"] == setup["portal"].org["id"]


def test_editor_pages_need_a_login(app, setup):
    response = app.get("/bonos/reportes", status=302, follow_redirects=False)
    assert "/user/login" in response.headers["Location"]
    assert re.search("reportes", response.headers["Location"])






def test_api_field_errors_are_in_spanish_and_english(app, setup):
    response = app.post("/api/3/action/bonos_feedback_create", json={
        "departamento": "08", "mensaje": "Vea <b>esto</b> por favor, está mal"}, status=409)
    [message] = response.json["error"]["mensaje"]
    assert "No se acepta HTML" in message and "HTML is not accepted" in message
    bad_code = app.get("/api/3/action/bonos_cifras_list?municipio=0899", status=409)
    assert bad_code.json["error"]["municipio"] == [
        "Código de municipio desconocido. / Unknown municipality code."]
    assert stored(setup) == 0


def test_an_oversized_form_is_refused_before_reading_it(app, setup):
    citizen = app.test_client()
    token = csrf_from(citizen, "/bonos/reportar?departamento=08")
    response = send(citizen, token, status=413, departamento="08", mensaje="x" * 20_000)
    assert "Escriba como máximo 2000 caracteres" in response.get_data(as_text=True) \
        or "Escriba como máximo 2.000 caracteres" in response.get_data(as_text=True)
    assert stored(setup) == 0
