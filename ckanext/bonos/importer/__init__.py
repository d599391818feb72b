"""Import a folder of summary tables (manifest.json + files) into CKAN.

    report = import_folder("var/demo-data", user="admin")
    print(report.summary())

The manifest format and the rules (idempotence, drafts, what is deleted) are in
README.md next to this module. manifest.py reads and checks the manifest without
CKAN; sync.py makes CKAN match it through CKAN actions.
"""
from __future__ import annotations

from typing import Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader

from . import manifest as _manifest
from .manifest import ManifestError
from .sync import (CREATED, DELETED, FAILED, UNCHANGED, UPDATED, HASH_FIELD, ImportReport,
                   Importer, Problem)

__all__ = ["import_folder", "ImportReport", "Problem", "ManifestError", "site_user",
           "CREATED", "UPDATED", "UNCHANGED", "FAILED", "DELETED", "HASH_FIELD"]


def site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def import_folder(path, user: Optional[str] = None,
                  echo: Optional[Callable[[str], None]] = None) -> ImportReport:
    """Create or update the organization and publications that ``path``'s manifest lists.

    ``user`` (a user name; default: the site user) is the one CKAN checks
    permissions for and records in the activity stream. ``echo`` receives one
    line per publication created, updated or failed. Raises ManifestError if
    the manifest is unusable or uploads are impossible; problems with single
    publications or files are in the returned report (``report.ok`` is False).
    """
    if not uploader.get_storage_path():
        raise ManifestError("ckan.storage_path no está configurado: no se pueden subir archivos "
                            "/ ckan.storage_path is not set: files cannot be uploaded")
    loaded = _manifest.load(path)
    user = user or site_user()
    if model.User.get(user) is None:
        raise ManifestError("usuario desconocido / unknown user: %s" % user)
    return Importer(loaded, user, echo).run()
