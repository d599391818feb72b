"""Actions on citizen reports.

    bonos_feedback_create         anyone (rate-limited per client address)
    bonos_feedback_list/show      editors and admins of the publishing
    bonos_feedback_update         organization, and sysadmins
    bonos_feedback_public_list    anyone: answered reports the editor published

Contact e-mails appear only in list/show/update answers, which only the
organization's editors get; everything public is built from PUBLIC_FIELDS.
"""
from __future__ import annotations

import datetime as dt
import re

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.bonos import vocab

from ckanext.bonos.citizen.messages import _

from . import model as reports
from . import ratelimit

MENSAJE_MIN, MENSAJE_MAX = 10, 2000
RESPUESTA_MAX = 4000
EMAIL_MAX = 254
PUBLIC_FIELDS = ("id", "created", "package_id", "departamento", "municipio", "mensaje",
                 "estado", "respuesta", "respondido_at")
# Anything that looks like markup: a tag, a closing tag, a comment or a doctype.
_MARKUP = re.compile(r"<\s*(?:[/?]?\s*[A-Za-z]|!)")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class TooManyReports(tk.ValidationError):
    """The client sent more reports than the limit allows for now."""


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise tk.ValidationError({name: [_("Must be text.")]})
    return value.strip()


def _check_plain(errors: dict, name: str, value: str) -> None:
    if _MARKUP.search(value):
        errors.setdefault(name, []).append(
            _("HTML is not accepted: write plain text without < > tags."))


def _subject(data: dict, errors: dict) -> dict:
    """Which publication or place the report is about, and who answers it."""
    package_id, departamento, municipio = (
        _text(data, "package_id"), _text(data, "departamento"), _text(data, "municipio"))
    given = [v for v in (package_id, departamento, municipio) if v]
    if len(given) != 1:
        errors["package_id"] = [_(
            "Say what the report is about: one publication, department or municipality.")]
        return {}
    if package_id:
        pkg = model.Package.get(package_id)
        if pkg is None or pkg.state != "active" or pkg.private:
            errors["package_id"] = [_("Publication not found.")]
            return {}
        return {"package_id": pkg.id, "owner_org": pkg.owner_org}
    from ckanext.bonos.citizen import figures
    if departamento:
        if vocab.nombre_departamento(departamento) is None:
            errors["departamento"] = [_("Unknown department code.")]
            return {}
        return {"departamento": departamento,
                "owner_org": figures.latest_source_org(departamento=departamento)}
    if vocab.nombre_municipio(municipio) is None:
        errors["municipio"] = [_("Unknown municipality code.")]
        return {}
    return {"municipio": municipio, "owner_org": figures.latest_source_org(municipio=municipio)}


def bonos_feedback_create(context, data_dict):
    """Report a problem with the data of a publication or a place.

    :param package_id: the publication (or ``departamento`` or ``municipio``:
        an INE code; exactly one of the three)
    :param mensaje: what is wrong, plain text, 10 to 2,000 characters
    :param email: optional contact e-mail; never shown publicly
    :returns: ``id`` and ``estado`` of the new report
    """
    tk.check_access("bonos_feedback_create", context, data_dict)
    errors: dict = {}
    mensaje = _text(data_dict, "mensaje")
    email = _text(data_dict, "email")
    subject = _subject(data_dict, errors)
    if len(mensaje) < MENSAJE_MIN:
        errors["mensaje"] = [_("Describe the problem in at least %(min)s characters.")
                             % {"min": MENSAJE_MIN}]
    elif len(mensaje) > MENSAJE_MAX:
        errors["mensaje"] = [_("Write at most %(max)s characters.") % {"max": MENSAJE_MAX}]
    _check_plain(errors, "mensaje", mensaje)
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        errors["email"] = [_("This is not a valid e-mail address.")]
    if errors:
        raise tk.ValidationError(errors)
    if not ratelimit.allow(ratelimit.client_key(context)):
        raise TooManyReports({"mensaje": [_(
            "Too many reports from your connection. Please try again later.")]})
    report = reports.insert(dict(subject, mensaje=mensaje, email=email or None))
    return {"id": report["id"], "estado": report["estado"]}


def _user_orgs(context) -> list[str] | None:
    """Organizations whose reports the user may handle (None: all, sysadmin)."""
    user = context.get("user")
    if authz.is_sysadmin(user):
        return None
    user_obj = model.User.get(user) if user else None
    if user_obj is None:
        return []
    return _orgs_with_permission(user_obj.id)


def _orgs_with_permission(user_id: str) -> list[str]:
    q = (model.Session.query(model.Member.group_id)
         .join(model.Group, model.Group.id == model.Member.group_id)
         .filter(model.Member.table_name == "user", model.Member.table_id == user_id,
                 model.Member.state == "active", model.Member.capacity.in_(("editor", "admin")),
                 model.Group.is_organization.is_(True), model.Group.state == "active"))
    return [row[0] for row in q]


@tk.side_effect_free
def bonos_feedback_list(context, data_dict):
    """Reports of the organizations the user edits (all, for a sysadmin).

    :param estado: only reports in this status (optional)
    :param limit: default 100, at most 500; :param offset:
    :returns: ``count`` and ``results`` (every field, including ``email``)
    """
    tk.check_access("bonos_feedback_list", context, data_dict)
    estado = data_dict.get("estado") or None
    if estado and estado not in reports.ESTADOS:
        raise tk.ValidationError({"estado": [_("Unknown status.")]})
    try:
        limit = min(int(data_dict.get("limit", 100)), 500)
        offset = max(int(data_dict.get("offset", 0)), 0)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [_("Must be a whole number.")]})
    count, results = reports.search(_user_orgs(context), estado, limit, offset)
    return {"count": count, "results": results}


def _get(data_dict) -> dict:
    report = reports.get(tk.get_or_bust(data_dict, "id"))
    if report is None:
        raise tk.ObjectNotFound(_("Report not found."))
    return report


@tk.side_effect_free
def bonos_feedback_show(context, data_dict):
    """One report, with the contact e-mail. :param id:"""
    report = _get(data_dict)
    tk.check_access("bonos_feedback_show", context, {"id": report["id"]})
    return report


def bonos_feedback_update(context, data_dict):
    """Change a report's status, answer it, publish the answer.

    :param id:
    :param estado: recibido, en_revision, respondido or descartado
    :param respuesta: the answer, plain text (required to publish)
    :param publico: true to show the report and its answer publicly (only
        once it is ``respondido``); the e-mail is never shown
    """
    report = _get(data_dict)
    tk.check_access("bonos_feedback_update", context, {"id": report["id"]})
    errors: dict = {}
    estado = data_dict.get("estado", report["estado"])
    if estado not in reports.ESTADOS:
        errors["estado"] = [_("Unknown status.")]
    respuesta = _text(data_dict, "respuesta") if "respuesta" in data_dict else (
        report["respuesta"] or "")
    if len(respuesta) > RESPUESTA_MAX:
        errors["respuesta"] = [_("Write at most %(max)s characters.") % {"max": RESPUESTA_MAX}]
    _check_plain(errors, "respuesta", respuesta)
    publico = tk.asbool(data_dict.get("publico", report["publico"]))
    if estado == "respondido" and not respuesta:
        errors["respuesta"] = [_("Write the answer before marking the report answered.")]
    if publico and estado != "respondido":
        errors["publico"] = [_("Only answered reports can be shown publicly.")]
    if errors:
        raise tk.ValidationError(errors)
    values = {"estado": estado, "respuesta": respuesta or None, "publico": publico}
    if estado == "respondido" and (report["estado"] != "respondido"
                                   or respuesta != (report["respuesta"] or "")):
        user = model.User.get(context.get("user"))
        values.update(respondido_por=user.id if user else None)
        values["respondido_at"] = dt.datetime.now(dt.timezone.utc)
    return reports.update(report["id"], values)


def public_dict(report: dict) -> dict:
    return {k: report.get(k) for k in PUBLIC_FIELDS}


@tk.side_effect_free
def bonos_feedback_public_list(context, data_dict):
    """Answered reports their editor chose to publish (no contact details).

    :param package_id: / :param departamento: / :param municipio: filters (optional)
    :param limit: default 50, at most 200; :param offset:
    """
    tk.check_access("bonos_feedback_public_list", context, data_dict)
    try:
        limit = min(int(data_dict.get("limit", 50)), 200)
        offset = max(int(data_dict.get("offset", 0)), 0)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [_("Must be a whole number.")]})
    rows = reports.published(limit, offset, data_dict.get("package_id"),
                             data_dict.get("departamento"), data_dict.get("municipio"))
    return [public_dict(r) for r in rows]


# -- auth ---------------------------------------------------------------------------
@tk.auth_allow_anonymous_access
def create_auth(context, data_dict):
    return {"success": True}


@tk.auth_allow_anonymous_access
def public_list_auth(context, data_dict):
    return {"success": True}


def list_auth(context, data_dict):
    orgs = _user_orgs(context)
    if orgs is None or orgs:
        return {"success": True}
    return {"success": False, "msg": _("Only editors of a publishing organization can see reports.")}


def report_auth(context, data_dict):
    report = reports.get((data_dict or {}).get("id") or "")
    orgs = _user_orgs(context)
    if orgs is None or (report is not None and report["owner_org"] in orgs):
        return {"success": True}
    return {"success": False, "msg": _("Only editors of the publishing organization can see this report.")}


def get_actions() -> dict:
    return {
        "bonos_feedback_create": bonos_feedback_create,
        "bonos_feedback_list": bonos_feedback_list,
        "bonos_feedback_show": bonos_feedback_show,
        "bonos_feedback_update": bonos_feedback_update,
        "bonos_feedback_public_list": bonos_feedback_public_list,
    }


def get_auth_functions() -> dict:
    return {
        "bonos_feedback_create": create_auth,
        "bonos_feedback_public_list": public_list_auth,
        "bonos_feedback_list": list_auth,
        "bonos_feedback_show": report_auth,
        "bonos_feedback_update": report_auth,
    }
