"""The figures' bookkeeping: the cache generation moves only after a change is
committed, no hook commits CKAN's session, and the uploads announce their
tables through CKAN's signals instead of calling the citizen module."""
import ast
import io
import json
import os
import pathlib
import subprocess
import sys

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.tests.helpers as helpers
from ckan import model

from ckanext.bonos.citizen import figures, store
from ckanext.bonos.uploads import signals

from .test_figures import FRANCISCO_MORAZAN

ROOT = pathlib.Path(__file__).resolve().parents[2]
BEFORE = [["bono_vida_mejor", "2024-T2", 1308]]


class Reader:
    """tests/citizen/reader_process.py: another CKAN process, same databases."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "citizen" / "reader_process.py"),
             str(ROOT / "test.ini")], cwd=str(ROOT), env=dict(os.environ),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        while True:      # CKAN's start-up may log to stdout first
            line = self.proc.stdout.readline()
            assert line, "the reader process did not start"
            if line.strip() == "ready":
                break

    def read(self):
        self.proc.stdin.write("read\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(30)


@pytest.fixture(scope="module")
def reader():
    r = Reader()
    yield r
    r.stop()


@pytest.fixture
def reads_at_every_commit(reader):
    """While active, the reader reads (and caches) the figures just before
    every commit of any session of this process: the moment when a change is
    written but not yet visible to others."""
    seen = []

    def before_commit(session):   # savepoints too: SQLAlchemy reports them alike
        seen.append(reader.read())
    sa.event.listen(sa.orm.Session, "before_commit", before_commit)
    yield seen
    sa.event.remove(sa.orm.Session, "before_commit", before_commit)


def _unpublish(portal, pkg, res):
    helpers.call_action("package_patch", {"user": portal.sysadmin["name"]},
                        id=pkg["id"], private=True)


def _not_a_summary_any_more(portal, pkg, res):
    helpers.call_action("resource_patch", {"user": portal.sysadmin["name"]},
                        id=res["id"], tabla="")


def _delete_resource(portal, pkg, res):
    helpers.call_action("resource_delete", {"user": portal.sysadmin["name"]}, id=res["id"])


def _bulk_private(portal, pkg, res):
    helpers.call_action("bulk_update_private", {"user": portal.sysadmin["name"]},
                        datasets=[pkg["id"]], org_id=portal.org["id"])


@pytest.mark.parametrize("change", [_unpublish, _not_a_summary_any_more, _delete_resource,
                                    _bulk_private])
def test_a_reader_in_another_process_never_keeps_rows_older_than_a_commit(
        portal, reader, change, request):
    pkg, res = portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    assert reader.read() == BEFORE       # read and cached by the other process
    seen = request.getfixturevalue("reads_at_every_commit")
    change(portal, pkg, res)
    assert seen, "the change committed nothing"
    assert BEFORE in seen                # it did read (and cache) the old rows meanwhile
    assert reader.read() == [], ("the other process still serves the old figures", seen)
    model.Session.remove()
    assert figures.national() == []


def test_a_new_summary_is_seen_by_the_other_process(portal, reader, request):
    assert reader.read() == []
    seen = request.getfixturevalue("reads_at_every_commit")
    portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    assert [] in seen
    assert reader.read() == BEFORE


# -- an upload that fails after the dataset hooks ran --------------------------
def _figures_of(package_id):
    with model.meta.engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT resource_id, publico FROM %s WHERE package_id = :p ORDER BY 1, 2"
            % store.TABLE), {"p": package_id}).fetchall()


def _resources_of(package_id):
    with model.meta.engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT id FROM resource WHERE package_id = :p AND state = 'active' ORDER BY 1"),
            {"p": package_id}).fetchall()


# A resource field that the portal indexes (ckan.extra_resource_fields) holding
# a JSON object: the search index refuses it (Solr does, and the embedded backend
# is as strict). CKAN indexes after the dataset hooks (2.12 in package_update,
# 2.11 when the session commits), so the upload fails after they ran. A file
# over ckan.max_resource_size is refused while CKAN stores it.
UNINDEXABLE = {"detalle": {"no": "indexable"}}


@pytest.mark.parametrize("how", ["index", "storage"])
def test_an_upload_failing_after_the_dataset_hooks_leaves_nothing_behind(
        portal, how, ckan_config, monkeypatch):
    pkg, res = portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    figures_before, resources_before = _figures_of(pkg["id"]), _resources_of(pkg["id"])
    assert figures_before and all(publico for _, publico in figures_before)
    hooks_ran = []
    from ckanext.bonos.citizen import hooks
    original = hooks.after_dataset_update
    monkeypatch.setattr(hooks, "after_dataset_update",
                        lambda pkg_dict: (hooks_ran.append(pkg_dict["id"]), original(pkg_dict)))
    extra = {}
    if how == "index":
        extra = UNINDEXABLE
        monkeypatch.setitem(ckan_config, "ckan.extra_resource_fields", ["detalle"])
        monkeypatch.setattr(model.Resource, "extra_columns", None)   # read it again
    else:
        monkeypatch.setitem(ckan_config, "ckan.max_resource_size", 0)
    text = FRANCISCO_MORAZAN.replace("1300,4200", "1400,4300")
    with pytest.raises(Exception):
        helpers.call_action(
            "resource_create", {"user": portal.sysadmin["name"]}, package_id=pkg["id"],
            name="otra.csv", tabla="resumen_ejecucion", url="otra.csv", format="CSV",
            upload=FileStorage(io.BytesIO(text.encode("utf-8")), "otra.csv"), **extra)
    model.Session.remove()       # as at the end of the request
    if how == "index":
        assert hooks_ran == [pkg["id"]]
    assert _resources_of(pkg["id"]) == resources_before
    assert _figures_of(pkg["id"]) == figures_before
    [overview] = figures.national()
    assert overview.latest.hogares == 1308


# -- uploads announce, citizen subscribes -----------------------------------------
def test_uploads_do_not_import_the_citizen_module():
    for path in (ROOT / "ckanext" / "bonos" / "uploads").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any("citizen" in n for n in names), (path.name, names)


def test_the_figures_follow_the_uploads_signals(portal):
    pkg, res = portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    assert figures.national()[0].latest.hogares == 1308
    signals.table_removed.send(res["id"])
    model.Session.remove()
    assert figures.national() == []
    signals.table_loaded.send(res["id"], package_id=pkg["id"], tabla="resumen_ejecucion")
    model.Session.remove()
    assert figures.national()[0].latest.hogares == 1308
