"""Write the generated datasets into CKAN's tables, in bulk and without indexing.

Organizations, groups and the sysadmin go through CKAN as usual (a handful of
objects). Datasets are inserted with SQLAlchemy Core into the same tables
package_create fills (package, resource, tag, package_tag, the extras,
member), so CKAN's after-commit indexing never fires: the search index stays
empty until the benchmark's timed rebuild fills it.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from ckan import model
from ckan.logic import get_action

from ckanext.bonos import compat

from search_data import GROUPS, ORGANIZATIONS, all_tag_names

ADMIN = "bench_admin"
CHUNK = 2000
AUTHOR = "Unidad de Transparencia, SEDIS"
AUTHOR_EMAIL = "transparencia@sedis.gob.hn"


def _new_id() -> str:
    return str(uuid.uuid4())


def ensure_sysadmin() -> model.User:
    user = model.User.get(ADMIN)
    if user is None:
        user = model.User(name=ADMIN, email="bench@sedis.gob.hn",
                          fullname="Benchmark (sysadmin)", sysadmin=True)
        model.Session.add(user)
        model.Session.commit()
    return user


def _ensure_groups(kind: str, specs: list) -> dict[str, str]:
    """name -> id, created through CKAN's actions if missing."""
    action = get_action("%s_create" % kind)
    ids = {}
    for spec in specs:
        name, title = spec[0], spec[1]
        group = model.Group.get(name)
        if group is None:
            made = action({"user": ADMIN, "ignore_auth": True},
                          {"name": name, "title": title,
                           "description": "%s (datos de prueba)" % title})
            ids[name] = made["id"]
        else:
            ids[name] = group.id
    return ids


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        model.Session.execute(table.insert(), rows[start:start + CHUNK])


def _package_row(ds: dict, org_id: str, admin_id: str) -> dict:
    return {
        "id": ds["id"], "name": ds["name"], "title": ds["title"],
        "notes": ds["notes"], "license_id": ds["license_id"], "type": "dataset",
        "owner_org": org_id, "private": ds["private"], "state": "active",
        "metadata_created": ds["metadata_created"],
        "metadata_modified": ds["metadata_modified"],
        "creator_user_id": admin_id, "version": "1.0",
        "author": AUTHOR, "author_email": AUTHOR_EMAIL,
        "maintainer": AUTHOR, "maintainer_email": AUTHOR_EMAIL,
        "url": "https://sedis.gob.hn/transparencia",
    }


def _resource_rows(ds: dict) -> list[dict]:
    return [{
        "id": r["id"], "package_id": ds["id"], "url": r["url"], "format": r["format"],
        "name": r["name"], "description": r["description"], "position": r["position"],
        "mimetype": r["mimetype"], "size": r["size"], "state": "active",
        "created": ds["metadata_created"], "metadata_modified": ds["metadata_modified"],
        "last_modified": ds["metadata_modified"], "url_type": None,
    } for r in ds["resources"]]


def _member_rows(ds: dict, org_id: str, group_ids: dict) -> list[dict]:
    # package_create records the owner organization as a member too
    rows = [{"id": _new_id(), "table_name": "package", "table_id": ds["id"],
             "group_id": org_id, "capacity": "organization", "state": "active"}]
    rows += [{"id": _new_id(), "table_name": "package", "table_id": ds["id"],
              "group_id": group_ids[g], "capacity": "public", "state": "active"}
             for g in ds["groups"]]
    return rows


def _tag_rows(ds: dict, tag_ids: dict) -> list[dict]:
    return [{"id": _new_id(), "package_id": ds["id"], "tag_id": tag_ids[t],
             "state": "active"} for t in ds["tags"]]


def load(datasets: list[dict]) -> None:
    """Insert ``datasets`` (from search_data.generate) into an empty database."""
    admin = ensure_sysadmin()
    org_ids = _ensure_groups("organization", ORGANIZATIONS)
    group_ids = _ensure_groups("group", GROUPS)
    tag_ids = {name: _new_id() for name in sorted(all_tag_names())}
    _insert(model.tag_table, [{"id": i, "name": n, "vocabulary_id": None}
                              for n, i in tag_ids.items()])
    packages, resources, members, tags, extras = [], [], [], [], {}
    for ds in datasets:
        org_id = org_ids[ds["owner_org"]]
        packages.append(_package_row(ds, org_id, admin.id))
        resources += _resource_rows(ds)
        members += _member_rows(ds, org_id, group_ids)
        tags += _tag_rows(ds, tag_ids)
        extras[ds["id"]] = ds["extras"]
    # parents first: the other tables reference package
    _insert(model.package_table, packages)
    _insert(model.resource_table, resources)
    _insert(model.member_table, members)
    _insert(model.package_tag_table, tags)
    compat.write_package_extras(model.Session, extras)
    model.Session.commit()
    # fresh planner statistics, as autovacuum would gather them in production
    model.Session.execute(sa.text("ANALYZE"))
    model.Session.commit()
