"""ckan bonos push against real national portals (tests/sync/national.py)."""
from __future__ import annotations

import hashlib
import io
import json
import threading

import pytest
from werkzeug.datastructures import FileStorage

from ckanext.bonos.sync import mapping, reports
from ckanext.bonos.sync.client import TargetClient
from ckanext.bonos.sync.push import push, run_lock
from ckanext.bonos.sync import source as sync_source

from ..validation import samples


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_state(src):
    """name -> {source resource id: sha256} of what should be on the target."""
    return {p.name: {r.id: r.sha256 for r in p.resources} for p in sync_source.read()}


def target_state(portal, target, download=True):
    """name -> {bonos_source_id: sha256 of the bytes the target serves}."""
    out = {}
    for pkg in portal.datasets(target.organization):
        if pkg["state"] != "active" or pkg["private"]:
            continue
        resources = {}
        for res in pkg["resources"]:
            sid = res[mapping.SOURCE_ID]
            assert sid not in resources, "duplicate resource on the target: %s" % sid
            resources[sid] = sha(portal.download(res["url"])) if download \
                else res[mapping.RESOURCE_SHA]
        out[pkg["name"][len(target.prefix):]] = resources
    return out


@pytest.mark.parametrize("mode", ["ckan", "bonos"])
def test_first_push_then_nothing_then_exactly_the_edited_one(source, make_target, mode):
    target, portal = make_target(mode)
    for n in range(3):
        source.publication("bvm-2023-%d" % n)

    first = push(target)
    assert first["ok"], first["failures"]
    assert sorted(first["datasets"]["created"]) == [
        target.prefix + "bvm-2023-%d" % n for n in range(3)]
    # every file on the target has the source's bytes
    assert target_state(portal, target) == source_state(source)
    assert sum(len(v) for v in target_state(portal, target).values()) == 9

    second = push(target)
    assert second["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "deleted": 0,
                                "failed": 0}
    # a plain CKAN is also asked for its scheming schema (none here: refused)
    assert second["calls"] == {"reads": 1 if mode == "bonos" else 2, "writes": 0}

    source.call("package_patch", id="bvm-2023-1", title="Título corregido")
    third = push(target)
    assert third["datasets"]["updated"] == [target.prefix + "bvm-2023-1"]
    assert third["counts"]["unchanged"] == 2
    edited = portal.action("package_show", id=target.prefix + "bvm-2023-1")
    assert edited["title"] == "Título corregido"
    assert target_state(portal, target) == source_state(source)

    # a file replaced at the source: that resource's bytes change on the target
    pkg = source.call("package_show", id="bvm-2023-2")
    res = pkg["resources"][0]
    rows = samples.with_cell(res["tabla"], "hogares", "12451")
    source.call("resource_update", id=res["id"], package_id=pkg["id"], name=res["name"],
                tabla=res["tabla"], url="resumen_ejecucion.csv", format="CSV",
                upload=FileStorage(io.BytesIO(samples.csv_bytes(res["tabla"], rows)),
                                   "resumen_ejecucion.csv"))
    fourth = push(target)
    assert fourth["datasets"]["updated"] == [target.prefix + "bvm-2023-2"]
    after = portal.action("package_show", id=target.prefix + "bvm-2023-2")
    assert len(after["resources"]) == 3
    assert target_state(portal, target) == source_state(source)


def test_plain_ckan_mode_carries_fields_as_extras_tags_and_labels(source, make_target):
    target, portal = make_target("ckan")
    source.publication("bvm-2023-a")
    assert push(target)["ok"]
    pkg = portal.action("package_show", id=target.prefix + "bvm-2023-a")
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert pkg["type"] == "dataset"
    assert extras["programa"] == "bono_vida_mejor"
    assert extras["departamentos"] == "05,08"
    assert extras[mapping.SOURCE_URL] == "http://test.ckan.net/bono/bvm-2023-a"
    assert extras[mapping.SOURCE_ID] == source.call("package_show", id="bvm-2023-a")["id"]
    assert extras[mapping.PUSHED_AT][:2] == "20"
    tags = {t["name"] for t in pkg["tags"]}
    assert {"Bono Vida Mejor", "Educación", "Salud", "Francisco Morazán", "Cortés",
            "transferencias"} <= tags
    assert "Cortés, Francisco Morazán" in pkg["notes"]
    assert "Resumen de ejecución" in pkg["notes"]
    assert [r["tabla"] for r in pkg["resources"]] == ["resumen_ejecucion", "historial_pagos",
                                                      "indicadores"]


def test_bonos_mode_keeps_the_schema(source, make_target):
    target, portal = make_target("bonos")
    source.publication("bvm-2023-b")
    assert push(target)["ok"]
    pkg = portal.action("package_show", id=target.prefix + "bvm-2023-b")
    assert pkg["type"] == "bono"
    assert pkg["programa"] == "bono_vida_mejor"
    assert sorted(pkg["departamentos"]) == ["05", "08"]
    # the target (with this extension) validated the files it received
    report = portal.action("bonos_validacion_show", id=pkg["resources"][0]["id"])
    assert report["estado"] == "valido"


def test_link_mode_points_at_the_source_files(source, make_target):
    target, portal = make_target("ckan", resources="link")
    pub = source.publication("bvm-2023-l")
    first = push(target)
    assert first["ok"] and first["calls"]["writes"] == 1
    pkg = portal.action("package_show", id=target.prefix + "bvm-2023-l")
    assert [r["url"] for r in pkg["resources"]] == [r["url"] for r in pub["resources"]]
    assert target_state(portal, target, download=False) == source_state(source)
    again = push(target)
    assert again["counts"]["unchanged"] == 1 and again["calls"]["writes"] == 0


def test_invalid_private_and_deleted_never_reach_the_target(source, make_target, ckan_config,
                                                            monkeypatch):
    target, portal = make_target("ckan")
    source.publication("publica")
    source.publication("privada", private=True)
    gone = source.publication("borrada")
    withdrawn = source.publication("retirada")
    # a large file is validated in the background: pending, then invalid
    monkeypatch.setitem(ckan_config, "ckanext.bonos.validacion.max_sync_bytes", 10)
    bad = samples.csv_bytes("resumen_ejecucion",
                            samples.with_cell("resumen_ejecucion", "hogares", "3"))
    pending = source.upload(source.call("package_show", id="publica")["id"],
                            "resumen_ejecucion", bad, name="grande.csv")
    source.call("package_delete", id=gone["id"])

    first = push(target)
    assert first["ok"], first["failures"]
    on_target = target_state(portal, target)
    assert sorted(on_target) == ["publica", "retirada"]
    assert pending["id"] not in on_target["publica"] and len(on_target["publica"]) == 3
    assert first["withheld_resources"] == 1

    from ckanext.bonos.uploads import jobs
    assert jobs.validate_and_load(pending["id"])["estado"] == "invalido"
    source.call("package_patch", id=withdrawn["id"], private=True)
    second = push(target)
    assert second["datasets"]["deleted"] == [target.prefix + "retirada"]
    assert portal.action("package_show", id=target.prefix + "retirada")["state"] == "deleted"
    assert sorted(target_state(portal, target)) == ["publica"]
    assert push(target)["calls"]["writes"] == 0


def test_withdraw_private_keeps_the_dataset_hidden(source, make_target):
    target, portal = make_target("ckan", withdraw="private")
    pub = source.publication("retirar")
    push(target)
    source.call("package_patch", id=pub["id"], private=True)
    report = push(target)
    assert report["datasets"]["deleted"] == [target.prefix + "retirar"]
    shown = portal.action("package_show", id=target.prefix + "retirar")
    assert shown["private"] is True and shown["state"] == "active"
    assert push(target)["calls"]["writes"] == 0


def test_a_previously_pushed_file_that_becomes_invalid_is_removed(source, make_target):
    target, portal = make_target("ckan")
    pub = source.publication("cambia")
    push(target)
    from ckanext.bonos.uploads import reports as validation_reports
    from ckan import model
    validation_reports.save(pub["resources"][1]["id"],
                            {"estado": "invalido", "errores": [], "total_errores": 1})
    model.Session.commit()
    report = push(target)
    assert report["datasets"]["updated"] == [target.prefix + "cambia"]
    pkg = portal.action("package_show", id=target.prefix + "cambia")
    assert [r[mapping.SOURCE_ID] for r in pkg["resources"]] == [
        pub["resources"][0]["id"], pub["resources"][2]["id"]]


@pytest.mark.parametrize("mode,resources", [("ckan", "upload"), ("bonos", "upload"),
                                            ("ckan", "link")])
def test_killed_target_mid_push_then_rerun_converges(source, make_target, mode, resources):
    target, portal = make_target(mode, resources=resources, retries=1)
    for n in range(5):
        source.publication("p%d" % n)
    kill_after = 7 if resources == "upload" else 2   # in the middle of the 2nd/3rd dataset

    def kill(action, writes):
        if writes == kill_after:
            portal.kill()
    cut = push(target, client=TargetClient(target, on_write=kill))
    assert not cut["ok"]
    assert cut["counts"]["failed"] >= 1
    assert "127.0.0.1" in cut["failures"][0]["message"]

    portal.start()
    rerun = push(target)
    assert rerun["ok"], rerun["failures"]
    want = source_state(source)
    got = target_state(portal, target, download=(resources == "upload"))
    assert got == want
    # counted on both sides: datasets and resources
    assert len(got) == len(want) == 5
    assert sum(map(len, got.values())) == sum(map(len, want.values())) == 15
    assert len(portal.datasets(target.organization)) == 5
    assert push(target)["calls"]["writes"] == 0


def test_killed_during_a_write_request_converges(source, make_target):
    """The target dies while answering: the write may or may not have landed."""
    target, portal = make_target("ckan", retries=1)
    for n in range(3):
        source.publication("q%d" % n)
    client = TargetClient(target)
    real_write = client.write

    def write(action, data, files=None, already_done=None):
        if action == "resource_create" and client.writes == 2:
            threading.Timer(0.05, portal.kill).start()
        return real_write(action, data, files, already_done)
    client.write = write
    cut = push(target, client=client)
    assert not cut["ok"]
    portal.start()
    assert push(target)["ok"]
    assert target_state(portal, target) == source_state(source)


def test_revoked_token_mid_push_is_reported_without_the_token(source, make_target, caplog):
    target, portal = make_target("ckan")
    for n in range(3):
        source.publication("r%d" % n)
    token = target.token

    def revoke(action, writes):
        if writes == 2:
            portal.action("api_token_revoke", token=token)
    report = push(target, client=TargetClient(target, on_write=revoke))
    assert not report["ok"]
    messages = [f["message"] for f in report["failures"]]
    assert messages and all("Authorization Error" in m or "403" in m for m in messages)
    stored = reports.latest(1)[0]
    assert stored["failures"] == report["failures"]
    for text in (json.dumps(report), json.dumps(stored), caplog.text):
        assert token not in text


def json_of(output: str):
    """The JSON document in the command's output (CKAN's log lines come first)."""
    return json.loads(output[output.index("{\n"):])


def test_cli_json_and_exit_code(source, make_target, cli):
    from ckan.cli.cli import ckan as ckan_cli
    target, portal = make_target("ckan")
    source.publication("cli-1")
    result = cli.invoke(ckan_cli, ["bonos", "push", "--json", "--dry-run"])
    assert result.exit_code == 0, result.output
    planned = json_of(result.output)
    assert planned["dry_run"] and planned["datasets"]["created"] == [target.prefix + "cli-1"]
    assert portal.datasets(target.organization) == []

    result = cli.invoke(ckan_cli, ["bonos", "push", "--json"])
    assert result.exit_code == 0, result.output
    assert json_of(result.output)["counts"]["created"] == 1

    portal.action("api_token_revoke", token=target.token)
    source.call("package_patch", id="cli-1", title="Otro título")
    result = cli.invoke(ckan_cli, ["bonos", "push", "--json", "--dataset", "cli-1"])
    assert result.exit_code == 1
    report = json_of(result.output)
    assert report["counts"]["failed"] == 1
    assert target.token not in result.output


def test_two_runs_cannot_overlap(source, make_target):
    target, portal = make_target("ckan")
    source.publication("lock-1")
    with run_lock(target.name):
        report = push(target)
    assert not report["ok"]
    assert "already running" in report["failures"][0]["message"]
    assert portal.datasets(target.organization) == []
    assert push(target)["ok"]


def test_admin_page_for_sysadmins_only(with_plugins, clean_db, app):
    # A stored report as a run leaves it (the runs themselves are tested above).
    from ckan.tests import factories
    reports.save({"target": "nacional", "started_at": "2026-11-21T10:00:00+00:00",
                  "finished_at": "2026-11-21T10:00:05+00:00", "dry_run": False, "ok": False,
                  "duration_s": 5.0,
                  "counts": {"created": 2, "updated": 0, "unchanged": 7, "deleted": 1,
                             "failed": 1},
                  "failures": [{"dataset": "sedis-x", "action": "created",
                                "message": "Authorization Error: token revocado"}]})
    sysadmin = factories.SysadminWithToken()
    page = app.get("/ckan-admin/bonos-push", headers={"Authorization": sysadmin["token"]})
    assert page.status_code == 200
    assert "bonos-push-reports" in page.body
    assert "sedis-x" in page.body and "token revocado" in page.body
    user = factories.UserWithToken()
    denied = app.get("/ckan-admin/bonos-push", headers={"Authorization": user["token"]})
    assert denied.status_code == 403
    assert app.get("/ckan-admin/bonos-push").status_code == 403


def test_a_name_taken_by_someone_elses_dataset_is_not_taken_over(source, make_target):
    target, portal = make_target("ckan")
    portal.action("package_create", name=target.prefix + "ajeno",
                  owner_org=target.organization, title="Conjunto cargado a mano")
    source.publication("ajeno")
    source.publication("propio")
    report = push(target)
    assert report["datasets"]["created"] == [target.prefix + "propio"]
    assert [f["dataset"] for f in report["failures"]] == [target.prefix + "ajeno"]
    assert "taken by another dataset" in report["failures"][0]["message"]
    untouched = portal.action("package_show", id=target.prefix + "ajeno")
    assert untouched["title"] == "Conjunto cargado a mano"
