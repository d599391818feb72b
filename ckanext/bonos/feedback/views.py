"""Blueprint ``bonos_feedback``: citizen reports on the web.

    /bonos/reportar              the form (GET) and its submission (POST)
    /bonos/reportes              editors: reports of their organizations
    /bonos/reportes/<id>         editors: read, change status, answer, publish
    /bonos/reportes/publicos     everyone: answered reports chosen for publication

POSTs must carry CKAN's CSRF token. CKAN 2.11 exempts extensions' blueprints
from its Flask-WTF check by default (``ckan.csrf_protection.ignore_extensions``),
so this blueprint runs the check itself; CKAN 2.12 checks every blueprint (the
option is gone), and the same explicit check keeps both releases alike.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, request

from ckanext.bonos import vocab

from . import actions
from . import model as reports

bonos_feedback = Blueprint("bonos_feedback", __name__, url_prefix="/bonos")

MAX_FORM_BYTES = 16 * 1024


@bonos_feedback.before_request
def _require_csrf_token():
    if request.method == "POST":
        from ckan.config.middleware.flask_app import csrf
        csrf.protect()    # flask_wtf.csrf.CSRFError (400) without a valid token
SUBJECT_FIELDS = ("package_id", "departamento", "municipio")


def _context() -> dict:
    return {"model": model, "session": model.Session, "user": tk.current_user.name
            if tk.current_user and tk.current_user.is_authenticated else ""}


def subject_of(report_or_args) -> dict:
    """What a report (or the form's arguments) is about, for people: label and link."""
    package_id = report_or_args.get("package_id")
    if package_id:
        pkg = model.Package.get(package_id)
        if pkg is not None and pkg.state == "active" and not pkg.private:
            return {"label": pkg.title or pkg.name,
                    "url": tk.h.url_for("%s.read" % (pkg.type or "dataset"), id=pkg.name)}
        return {"label": tk._("Publication not found."), "url": None}
    departamento = report_or_args.get("departamento")
    if departamento and vocab.nombre_departamento(departamento):
        return {"label": tk._("Department of %(name)s") % {
                    "name": vocab.nombre_departamento(departamento)},
                "url": tk.h.url_for("bonos_citizen.department", codigo=departamento)}
    municipio = report_or_args.get("municipio")
    if municipio and vocab.nombre_municipio(municipio):
        return {"label": tk._("Municipality of %(name)s") % {
                    "name": vocab.nombre_municipio(municipio)},
                "url": tk.h.url_for("bonos_citizen.municipality", codigo=municipio)}
    return {"label": "", "url": None}


def report_form():
    source = request.form if request.method == "POST" else request.args
    data = {k: source.get(k, "") for k in SUBJECT_FIELDS + ("mensaje", "email")}
    subject = subject_of(data)
    errors, status = {}, 200
    if request.method == "POST":
        if (request.content_length or 0) > MAX_FORM_BYTES:
            return tk.render("bonos/feedback/form_page.html", {
                "data": {}, "subject": subject, "errors": {"mensaje": [
                    tk._("Write at most %(max)s characters.") % {"max": actions.MENSAJE_MAX}]},
            }), 413
        payload = {k: v for k, v in data.items() if v}
        try:
            tk.get_action("bonos_feedback_create")(_context(), payload)
        except actions.TooManyReports as e:
            errors, status = e.error_dict, 429
        except tk.ValidationError as e:
            errors, status = e.error_dict, 400
        else:
            return tk.render("bonos/feedback/thanks.html", {"subject": subject})
    elif subject["url"] is None:
        return tk.render("bonos/feedback/form_page.html", {
            "data": data, "subject": subject, "errors": {"package_id": [tk._(
                "Say what the report is about: one publication, department or municipality.")]},
        }), 404
    return tk.render("bonos/feedback/form_page.html", {
        "data": data, "subject": subject, "errors": errors}), status


def estado_label(estado: str) -> str:
    """A report's status in the page's language."""
    return {
        "recibido": tk._("received"),
        "en_revision": tk._("under review"),
        "respondido": tk._("answered"),
        "descartado": tk._("dismissed"),
    }.get(estado, estado)


def editor_list():
    context = _context()
    try:
        tk.check_access("bonos_feedback_list", context, {})
    except tk.NotAuthorized:
        if not context["user"]:
            return tk.redirect_to("user.login", came_from=request.path)
        return tk.abort(403, tk._("Only editors of a publishing organization can see reports."))
    estado = request.args.get("estado") or None
    if estado not in reports.ESTADOS:
        estado = None
    result = tk.get_action("bonos_feedback_list")(context, {"estado": estado})
    for report in result["results"]:
        report["subject"] = subject_of(report)
    return tk.render("bonos/feedback/editor_list.html", {
        "result": result, "estado": estado, "estados": reports.ESTADOS})


def editor_report(report_id: str):
    context = _context()
    try:
        report = tk.get_action("bonos_feedback_show")(context, {"id": report_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Report not found."))
    except tk.NotAuthorized:
        if not context["user"]:
            return tk.redirect_to("user.login", came_from=request.path)
        return tk.abort(403, tk._("Only editors of the publishing organization can see this report."))
    errors, status = {}, 200
    if request.method == "POST":
        data = {"id": report_id, "estado": request.form.get("estado", ""),
                "respuesta": request.form.get("respuesta", ""),
                "publico": request.form.get("publico") == "true"}
        try:
            report = tk.get_action("bonos_feedback_update")(context, data)
        except tk.ValidationError as e:
            errors, status = e.error_dict, 400
            report.update({k: v for k, v in data.items() if k != "id"})
        else:
            tk.h.flash_success(tk._("Report saved."))
            return tk.redirect_to("bonos_feedback.editor_report", report_id=report_id)
    report["subject"] = subject_of(report)
    return tk.render("bonos/feedback/editor_report.html", {
        "report": report, "errors": errors, "estados": reports.ESTADOS}), status


def public_list():
    results = tk.get_action("bonos_feedback_public_list")(_context(), {"limit": 200})
    for report in results:
        report["subject"] = subject_of(report)
    return tk.render("bonos/feedback/public_list.html", {"results": results})


bonos_feedback.add_url_rule("/reportar", view_func=report_form, methods=["GET", "POST"])
bonos_feedback.add_url_rule("/reportes", view_func=editor_list)
bonos_feedback.add_url_rule("/reportes/publicos", view_func=public_list)
bonos_feedback.add_url_rule("/reportes/<report_id>", view_func=editor_report,
                            methods=["GET", "POST"])


def get_blueprints():
    return [bonos_feedback]
