"""The portal's identity in its headers: its own logo, or its title as text.

CKAN's default ``ckan.site_logo`` is CKAN's own logo; shown in the header it
would present CKAN as the portal. An unset or empty logo, or CKAN's default,
gives the site title (``ckan.site_title``) in text instead.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

CKAN_LOGO = "/base/images/ckan-logo.png"


def site_logo() -> str | None:
    """The configured logo's URL, or None when the title is to be shown."""
    logo = (getattr(tk.g, "site_logo", None) if _in_request() else None)
    if logo is None:
        logo = tk.config.get("ckan.site_logo")
    logo = (logo or "").strip()
    if not logo or logo.split("?")[0].endswith(("/ckan-logo.png", "/ckan_logo_fullname_long.png")):
        return None
    return logo


def _in_request() -> bool:
    try:
        return bool(tk.request)
    except (RuntimeError, TypeError):
        return False


def get_helpers() -> dict:
    return {"bonos_site_logo": site_logo}
