"""What the three IResourceView plugins do, shared: their info, which
resources get them by default, and the template variables.

A view is created by default for a resource whose ``tabla`` is the view's
table; it can be added by hand to any resource (``always_available``), and
then says plainly if the resource's data lack the columns it needs. Nothing
here raises into the page: a problem becomes a message.

The page (``page.html``: CKAN's view frame, the title, a problem message)
is rendered on every request; the view's body (``<view type>.html``) is
rendered once per data, language and parameters and then served from Redis
(``fragments``).
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from markupsafe import Markup, escape

from ckanext.bonos.translation import N_, every_translation, page_lang

from . import fragments, indicadores, loading, pagos, resumen

log = logging.getLogger(__name__)

MODULES = {m.VIEW_TYPE: m for m in (resumen, pagos, indicadores)}


# The views' default titles. A view keeps the title it was created with, in
# the language of that moment (English from a script, Spanish from the web):
# while it is still a default title, it is shown in the page's language.
TITLES = {
    resumen.VIEW_TYPE: (N_("Execution summary"), "chart-column"),
    pagos.VIEW_TYPE: (N_("Payment timeline"), "chart-line"),
    indicadores.VIEW_TYPE: (N_("Indicators and targets"), "bullseye"),
}


def display_title(view_type: str, resource_view: dict | None) -> str:
    title = (resource_view or {}).get("title") or ""
    default = TITLES[view_type][0]
    if not title or title in every_translation(default):
        return tk._(default)
    return title


def view_title(resource_view: dict) -> str:
    """A view's title for its tab: ours in the page's language, others as stored."""
    if resource_view.get("view_type") in TITLES:
        return display_title(resource_view["view_type"], resource_view)
    return resource_view.get("title") or ""


def view_frame(html: str, resource_view: dict) -> Markup:
    """CKAN's frame of a view (package/snippets/resource_view.html) in the
    page's language: CKAN writes its label in English, outside its catalogue
    (aria-label on 2.12, title on 2.11), and the view's title (data-title) as
    stored, in the language it was created in."""
    out = str(html)
    label = escape(tk._("Data viewer"))
    for attribute in ("aria-label", "title"):
        out = out.replace(' %s="Data viewer"' % attribute, ' %s="%s"' % (attribute, label))
    out = out.replace('data-title="%s"' % escape(resource_view.get("title") or ""),
                      'data-title="%s"' % escape(view_title(resource_view)))
    return Markup(out)


def info(view_type: str) -> dict:
    msgid, icon = TITLES[view_type]
    title = tk._(msgid)
    return {
        "name": view_type,
        "title": title,
        "default_title": title,
        "icon": icon,
        "iframed": True,
        "always_available": True,
        "requires_datastore": False,   # default views are made before the rows load
        "preview_enabled": True,
    }


def can_view(view_type: str, data_dict: dict) -> bool:
    return (data_dict.get("resource") or {}).get("tabla") == MODULES[view_type].TABLA


def template_name(view_type: str) -> str:
    """The page of every summary view; its body comes from ``body_template``."""
    return "bonos/previews/page.html"


def body_template(view_type: str) -> str:
    return "bonos/previews/%s.html" % view_type


def _args() -> dict:
    try:
        return dict(tk.request.args.items())
    except Exception:  # rendered outside a request (e.g. a test)
        return {}


def link(**changes) -> str:
    """A query string for the same view with ``changes`` applied; other
    parameters (e.g. the edit form's ``resource_view`` preview) are kept."""
    args = _args()
    args.update({k: v for k, v in changes.items() if v is not None})
    return "?" + urlencode(args)


def _cacheable(module, args: dict, shaped: dict) -> bool:
    """Whether the body may be stored: every parameter given is one the view
    knows and took as given (``periodo=nonsense`` falls back to the latest
    period; storing that under its own key would let anyone fill Redis)."""
    effective = module.effective_args(shaped)
    return all(k in effective and effective[k] == v for k, v in args.items())


def template_variables(view_type: str, data_dict: dict) -> dict:
    module = MODULES[view_type]
    resource = data_dict["resource"]
    out = {"bonos_view": view_type, "bonos_tabla": module.TABLA, "bonos_problem": None,
           "bonos_html": None, "bonos_missing": [], "bonos_errors": 0,
           "bonos_resource_tabla": resource.get("tabla"), "bonos_cached": None,
           "bonos_title": display_title(view_type, data_dict.get("resource_view"))}
    try:
        report, problem = loading.report_state(resource)
        if problem is not None:
            out.update(bonos_problem=problem.problem, bonos_errors=problem.errors)
            return out
        args, locale = _args(), page_lang()
        body_key = fragments.key(loading.data_key(resource, view_type, report),
                                 data_dict.get("resource_view"), data_dict.get("package"),
                                 locale, args)
        html = fragments.get(body_key)
        if html is not None:
            out.update(bonos_html=Markup(html), bonos_cached="body")
            return out
        loaded = loading.load(resource, view_type, module.COLUMNS, module.aggregate, report)
        out.update(bonos_problem=loaded.problem, bonos_missing=loaded.missing,
                   bonos_errors=loaded.errors, bonos_cached="data" if loaded.cached else None)
        if loaded.data is None:
            return out
        shaped = module.shape(loaded.data, args, locale)
        fragments.RENDERS[view_type] += 1
        html = tk.render(body_template(view_type), {
            "bonos": shaped, "bonos_link": link, "package": data_dict.get("package") or {},
            "resource": resource})
        out["bonos_html"] = Markup(html)
        if _cacheable(module, args, shaped):
            fragments.put(body_key, html, loading.ttl_for(report))
    except Exception:  # a broken resource must not break the page
        log.exception("bonos preview %s failed for resource %s", view_type, resource.get("id"))
        out.update(bonos_problem="error", bonos_html=None)
    return out
