"""The tables an upload is audited with: what an outsider can read beside it.

The other valid summary tables of the same publication, and the valid tables of
the other publications of the same programme whose periods overlap, read back from
the DataStore (suppressed cells are NULL there). Private publications count too:
one may be made public later, and nothing audits a change of visibility, so every
pair of tables is audited together when the later of the two is uploaded. The
resource being replaced is left out: its new file stands for it.
"""
from __future__ import annotations

import datetime as dt
import decimal
import logging
from typing import Iterator, List, Optional, Tuple

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_write_engine

from ckanext.bonos import disclosure, validation

from . import reports

log = logging.getLogger(__name__)
PAGE = 500


def _publications(package: dict) -> List[dict]:
    found = {package["id"]: package}
    programa = package.get("programa")
    if not programa:
        return list(found.values())
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    start = 0
    while True:
        page = tk.get_action("package_search")({"ignore_auth": True, "user": site_user}, {
            "fq": '+dataset_type:bono +programa:"%s"' % programa.replace('"', ""),
            "rows": PAGE, "start": start, "include_private": True, "sort": "id asc"})
        for pkg in page["results"]:
            if _overlap(package, pkg):
                found.setdefault(pkg["id"], pkg)
        start += PAGE
        if start >= page["count"] or not page["results"]:
            break
    return list(found.values())


def _overlap(a: dict, b: dict) -> bool:
    try:
        return (str(a["periodo_inicio"]) <= str(b["periodo_fin"])
                and str(b["periodo_inicio"]) <= str(a["periodo_fin"]))
    except KeyError:
        return True    # a publication without a period may cover any


def sources(package_id: str, resource_id: Optional[str], programa: Optional[str]
            ) -> List[Tuple[disclosure.Source, str]]:
    """``(source, label)`` for every linked table of an upload to ``package_id``."""
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    programa = programa or package.get("programa")
    out = []
    for pkg in _publications(package):
        for res in pkg.get("resources", []):
            tabla = res.get("tabla")
            if tabla not in disclosure.LINKED_TABLES or res["id"] == resource_id:
                continue
            report = reports.get(res["id"])
            if not report or report.get("estado") != "valido":
                continue
            label = "%s (%s)" % (res.get("name") or res["id"], pkg.get("name"))
            source = disclosure.Source(tabla, res["id"], _rows(res["id"], tabla, programa),
                                       package_umbral(pkg))
            out.append((source, label))
    return out


def package_umbral(pkg: dict) -> int:
    """The publication's suppression threshold (5 when unset or unreadable)."""
    try:
        return int(pkg.get("umbral_supresion") or 5)
    except (TypeError, ValueError):
        return 5


def _rows(resource_id: str, tabla: str, programa: Optional[str]) -> Iterator[Tuple[int, dict]]:
    names = [f["id"] for f in validation.datastore_fields(tabla)]
    columns = ", ".join('"%s"' % n for n in names)
    where = " WHERE programa = :programa" if programa else ""
    sql = sa.text('SELECT _id, %s FROM "%s"%s ORDER BY _id' % (columns, resource_id, where))
    try:
        with get_write_engine().connect() as conn:
            result = conn.execute(sql, {"programa": programa}).fetchall()
    except sa.exc.ProgrammingError:
        log.warning("bonos: no DataStore table for resource %s", resource_id)
        return iter(())
    return ((row[0] + 1, {n: _plain(v) for n, v in zip(names, row[1:])}) for row in result)


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value
