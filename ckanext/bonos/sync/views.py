"""/ckan-admin/bonos-push: the reports of the last push runs, for sysadmins."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan import authz

from . import reports, targets

blueprint = Blueprint("bonos_push", __name__)


def push_reports():
    user = tk.current_user
    if not (user and user.is_authenticated and authz.is_sysadmin(user.name)):
        return tk.abort(403, tk._("Only system administrators can see push reports."))
    return tk.render("bonos/push_reports.html", {
        "reports": reports.latest(50), "target_names": targets.names()})


blueprint.add_url_rule("/ckan-admin/bonos-push", view_func=push_reports)


def get_blueprints():
    return [blueprint]
