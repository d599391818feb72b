"""package_search as the public sees it lists only the valid files.

Harvesters (ckanext-harvest's ckan_harvester) copy the search results as
they are; a pending or invalid summary table must not travel with them.
Editors of the publication's organization, sysadmins and internal calls
(``ignore_auth``, e.g. the index and the disclosure audit) see everything.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz

from . import reports


def _sees_everything(context: dict, owner_org: str | None) -> bool:
    if context.get("ignore_auth"):
        return True
    user = context.get("user")
    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    return bool(owner_org) and authz.has_user_permission_for_group_or_org(
        owner_org, user, "update_dataset")


@tk.chained_action
@tk.side_effect_free
def package_search(next_action, context, data_dict):
    result = next_action(context, data_dict)
    hidden = [pkg for pkg in result.get("results") or []
              if isinstance(pkg, dict) and pkg.get("resources")
              and pkg.get("type") == "bono"
              and not _sees_everything(context, pkg.get("owner_org"))]
    if hidden:
        states = reports.states(r["id"] for pkg in hidden for r in pkg["resources"])
        for pkg in hidden:
            pkg["resources"] = [r for r in pkg["resources"]
                                if states.get(r["id"], (None,))[0] == "valido"]
            pkg["num_resources"] = len(pkg["resources"])
    return result


def get_actions() -> dict:
    return {"package_search": package_search}
