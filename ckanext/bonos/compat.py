"""Where CKAN 2.11 and 2.12 differ, in one place.

Everything else in the extension runs one code path on both releases. Each
shim is chosen by the feature it depends on, not by the version number, so a
later 2.11.x that backports a change takes the new path.
"""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

import ckan.logic as logic
from ckan import model

# 2.12: datasets are indexed through the logic layer, which hands the index
# both the default-schema and the custom-schema dict ("with_custom_schema");
# 2.11 indexed package_show's output.
INDEX_THROUGH_LOGIC = hasattr(logic, "index_update_package")

# 2.12: package extras are a JSONB column of `package`; 2.11 kept them in the
# `package_extra` table.
EXTRAS_IN_PACKAGE_COLUMN = not hasattr(model, "package_extra_table")


def index_package(package_id: str, defer_commit: bool = True) -> None:
    """(Re)index one dataset the way this release's own search rebuild does."""
    if INDEX_THROUGH_LOGIC:
        logic.index_update_package({"ignore_auth": True}, package_id, defer_commit)
        return
    import ckan.lib.search as search
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    search.index_for(model.Package).update_dict(
        logic.get_action("package_show")(context, {"id": package_id}), defer_commit)


def write_package_extras(session, extras_by_package: dict[str, dict[str, Any]]) -> None:
    """Bulk-write the extras of datasets inserted without the ORM (benchmarks).

    Values are stored as text, as package_create stores them."""
    if not extras_by_package:
        return
    if EXTRAS_IN_PACKAGE_COLUMN:
        session.execute(sa.text("UPDATE package SET extras = CAST(:extras AS jsonb) WHERE id = :id"),
                        [{"id": package_id, "extras": json.dumps({k: str(v) for k, v in extras.items()})}
                         for package_id, extras in extras_by_package.items()])
        return
    import uuid
    rows = [{"id": str(uuid.uuid4()), "package_id": package_id, "key": key, "value": str(value),
             "state": "active"}
            for package_id, extras in extras_by_package.items() for key, value in extras.items()]
    for start in range(0, len(rows), 5000):
        session.execute(model.package_extra_table.insert(), rows[start:start + 5000])
