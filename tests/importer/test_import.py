"""Importing a folder (manifest + CSVs) into CKAN: creates, then changes only what changed."""
import hashlib
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader
from ckan.tests import factories, helpers
from ckanext.activity.model import Activity

from ckanext.bonos import demo
from ckanext.bonos.importer import HASH_FIELD, ManifestError, import_folder
from ckanext.bonos.importer import sync

pytestmark = pytest.mark.usefixtures("ckan_env")

SMALL = dict(years=[2024], programas=["bono_discapacidad", "bono_vida_mejor"],
             departamentos=["11", "17"])


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "datos"
    demo.generate(out, **SMALL)
    return out


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()["name"]


def manifest_of(folder):
    return json.loads((folder / "manifest.json").read_text("utf-8"))


def write_manifest(folder, manifest):
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")


def show(name):
    return helpers.call_action("package_show", id=name)


def stored_bytes(resource):
    return open(uploader.get_resource_uploader(resource).get_path(resource["id"]), "rb").read()


def activities():
    return model.Session.query(Activity).count()


def snapshot(names):
    """What must not move when nothing changed."""
    out = {}
    for name in names:
        pkg = show(name)
        out[name] = (pkg["metadata_modified"],
                     [(r["id"], r["metadata_modified"], r["last_modified"], r[HASH_FIELD])
                      for r in pkg["resources"]])
    return out


# -- first import ------------------------------------------------------------------

def set_first_row_cell(path, index, value):
    """Overwrite one cell of the first data row of a CSV file."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[index] = value
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), "utf-8")

def test_import_creates_the_organization_and_publications(folder, sysadmin):
    manifest = manifest_of(folder)
    report = import_folder(folder, user=sysadmin)

    assert report.ok, report.problems
    assert report.organization == "created"
    assert report.publications == {"created": 8}
    assert report.resources == {"created": 8}
    org = helpers.call_action("organization_show", id=manifest["organization"]["name"])
    assert org["title"] == manifest["organization"]["title"]
    for pub in manifest["publications"]:
        pkg = show(pub["name"])
        assert pkg["state"] == "active" and pkg["type"] == "bono"
        assert pkg["owner_org"] == org["id"]
        for key in ("title", "notes", "programa", "tipo_publicacion", "periodo_inicio",
                    "periodo_fin", "frecuencia", "nivel_agregacion", "fecha_corte",
                    "umbral_supresion", "metodologia"):
            assert pkg[key] == pub[key], key
        assert sorted(pkg["departamentos"]) == ["11", "17"]
        assert sorted(pkg["componentes"]) == sorted(pub["componentes"])
        assert {t["name"] for t in pkg["tags"]} == set(pub["tags"])
        assert len(pkg["resources"]) == 1
        res, wanted = pkg["resources"][0], pub["resources"][0]
        data = (folder / wanted["file"]).read_bytes()
        assert res["url_type"] == "upload"
        assert res["url"].endswith("/" + wanted["file"].split("/")[-1])
        for key in ("name", "format", "tabla", "description"):
            assert res[key] == wanted[key], key
        assert res[HASH_FIELD] == hashlib.sha256(data).hexdigest()
        assert stored_bytes(res) == data


def test_the_site_user_is_the_default(folder):
    report = import_folder(folder)
    assert report.ok and report.publications == {"created": 8}


# -- idempotence ---------------------------------------------------------------------
def test_second_import_changes_nothing(folder, sysadmin):
    names = [p["name"] for p in manifest_of(folder)["publications"]]
    import_folder(folder, user=sysadmin)
    before, count = snapshot(names), activities()
    assert count > 0

    report = import_folder(folder, user=sysadmin)

    assert report.ok
    assert report.organization == "unchanged"
    assert report.publications == {"unchanged": 8}
    assert report.resources == {"unchanged": 8}
    assert snapshot(names) == before
    assert activities() == count


def test_a_changed_csv_updates_only_its_resource(folder, sysadmin):
    manifest = manifest_of(folder)
    names = [p["name"] for p in manifest["publications"]]
    import_folder(folder, user=sysadmin)
    before = snapshot(names)

    target = next(p for p in manifest["publications"]
                  if p["tipo_publicacion"] == "indicadores_resultado")
    path = folder / target["resources"][0]["file"]
    set_first_row_cell(path, -3, "12.3")   # the first row's valor

    report = import_folder(folder, user=sysadmin)

    assert report.ok, report.problems
    assert report.publications == {"updated": 1, "unchanged": 7}
    assert report.resources == {"updated": 1, "unchanged": 7}
    assert report.outcome[target["name"]] == "updated"
    after = snapshot(names)
    for name in names:
        if name != target["name"]:
            assert after[name] == before[name], name
    pkg = show(target["name"])
    res = pkg["resources"][0]
    assert res["id"] == before[target["name"]][1][0][0]       # same resource, new file
    assert res[HASH_FIELD] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert stored_bytes(res) == path.read_bytes()


def test_changed_metadata_updates_the_dataset_without_uploading_again(folder, sysadmin):
    import_folder(folder, user=sysadmin)
    manifest = manifest_of(folder)
    pub = manifest["publications"][0]
    old_res = show(pub["name"])["resources"][0]
    pub["title"] = pub["title"].replace("2024", "del año 2024")
    pub["tags"] = pub["tags"] + ["nueva etiqueta"]
    pub["resources"][0]["description"] += " Revisado."
    write_manifest(folder, manifest)

    report = import_folder(folder, user=sysadmin)

    assert report.publications == {"updated": 1, "unchanged": 7}
    assert report.resources == {"updated": 1, "unchanged": 7}
    pkg = show(pub["name"])
    assert pkg["title"] == pub["title"]
    assert "nueva etiqueta" in {t["name"] for t in pkg["tags"]}
    res = pkg["resources"][0]
    assert res["description"] == pub["resources"][0]["description"]
    assert res["last_modified"] == old_res["last_modified"]    # the file was not re-sent
    assert import_folder(folder, user=sysadmin).publications == {"unchanged": 8}


def test_files_that_leave_the_manifest_are_removed_hand_added_ones_stay(folder, sysadmin):
    manifest = manifest_of(folder)
    pub = manifest["publications"][0]
    extra = dict(pub["resources"][0], file="extra/copia.csv", name="Copia")
    (folder / "extra").mkdir()
    (folder / "extra/copia.csv").write_bytes((folder / pub["resources"][0]["file"]).read_bytes())
    pub["resources"].append(extra)
    write_manifest(folder, manifest)
    import_folder(folder, user=sysadmin)
    pkg = show(pub["name"])
    assert [r["name"] for r in pkg["resources"]] == [pub["resources"][0]["name"], "Copia"]
    helpers.call_action("resource_create", {"user": sysadmin}, package_id=pkg["id"],
                        name="Enlace", url="https://example.org/informe.pdf")

    pub["resources"].reverse()          # the manifest's order is the portal's order
    write_manifest(folder, manifest)
    report = import_folder(folder, user=sysadmin)
    assert report.outcome[pub["name"]] == "updated"
    assert report.resources == {"unchanged": 9}
    names = [r["name"] for r in show(pub["name"])["resources"]]
    assert names == ["Copia", pub["resources"][1]["name"], "Enlace"]

    pub["resources"].pop(0)
    write_manifest(folder, manifest)
    report = import_folder(folder, user=sysadmin)

    assert report.resources["deleted"] == 1
    assert [r["name"] for r in show(pub["name"])["resources"]] == [
        pub["resources"][0]["name"], "Enlace"]
    assert show(pub["name"])["resources"][0][HASH_FIELD]


# -- failures -----------------------------------------------------------------------
def test_a_refused_file_leaves_no_half_publication(folder, sysadmin):
    manifest = manifest_of(folder)
    bad = manifest["publications"][0]
    good_file = bad["resources"][0]
    bad["resources"].append(dict(good_file, file="otro.csv", name="Otro", tabla="no_existe"))
    (folder / "otro.csv").write_bytes((folder / good_file["file"]).read_bytes())
    write_manifest(folder, manifest)

    report = import_folder(folder, user=sysadmin)

    assert not report.ok
    assert report.publications == {"failed": 1, "created": 7}
    assert report.outcome[bad["name"]] == "failed"
    [problem] = report.problems
    assert problem.publication == bad["name"] and problem.file == "otro.csv"
    assert "tabla" in problem.message
    with pytest.raises(tk.ObjectNotFound):
        show(bad["name"])
    # Fixed: the next run creates it whole.
    bad["resources"][1]["tabla"] = "resumen_ejecucion"
    write_manifest(folder, manifest)
    report = import_folder(folder, user=sysadmin)
    assert report.ok and report.publications == {"created": 1, "unchanged": 7}
    assert len(show(bad["name"])["resources"]) == 2


def _refuse(monkeypatch, filename):
    """Make resource_create/update refuse ``filename`` as the upload validation does."""
    real = tk.get_action

    def get_action(name):
        action = real(name)
        if name not in ("resource_create", "resource_update"):
            return action

        def checked(context, data):
            upload = data.get("upload")
            if upload is not None and upload.filename == filename:
                raise tk.ValidationError({"url": [
                    "Fila 2, columna hogares: el conteo 3 debe publicarse como 'suprimido'."]})
            return action(context, data)
        return checked
    monkeypatch.setattr(sync.tk, "get_action", get_action)


def test_a_refused_update_keeps_the_old_file_and_goes_on(folder, sysadmin, monkeypatch):
    manifest = manifest_of(folder)
    import_folder(folder, user=sysadmin)
    first, second = manifest["publications"][0], manifest["publications"][1]
    old = show(first["name"])["resources"][0]
    for pub in (first, second):
        row = ("2024-T4,11,1101,%s,total,0,0,0.00,0.00\n"
               if pub["tipo_publicacion"] == "resumen_ejecucion" else
               "2024-T4,2024-12-01,11,1101,%s,ventanilla,0,0.00,pendiente\n")
        with (folder / pub["resources"][0]["file"]).open("a", encoding="utf-8") as f:
            f.write(row % pub["programa"])
    _refuse(monkeypatch, first["resources"][0]["file"].split("/")[-1])

    report = import_folder(folder, user=sysadmin)

    assert report.publications == {"failed": 1, "updated": 1, "unchanged": 6}
    assert report.resources == {"failed": 1, "updated": 1, "unchanged": 6}
    [problem] = report.problems
    assert problem.file == first["resources"][0]["file"]
    assert "suprimido" in problem.message
    pkg = show(first["name"])
    assert pkg["state"] == "active"
    assert pkg["resources"][0][HASH_FIELD] == old[HASH_FIELD]
    new_bytes = (folder / first["resources"][0]["file"]).read_bytes()
    assert stored_bytes(pkg["resources"][0]) != new_bytes


def test_a_refused_file_on_a_new_publication_with_validation(folder, sysadmin, monkeypatch):
    manifest = manifest_of(folder)
    target = manifest["publications"][2]
    _refuse(monkeypatch, target["resources"][0]["file"].split("/")[-1])

    report = import_folder(folder, user=sysadmin)

    assert report.publications == {"failed": 1, "created": 7}
    with pytest.raises(tk.ObjectNotFound):
        show(target["name"])
    search = helpers.call_action("package_search", q="*:*", include_drafts=True,
                                 include_private=True)
    assert target["name"] not in {p["name"] for p in search["results"]}


def test_bad_entries_are_reported_and_the_rest_imported(folder, sysadmin):
    manifest = manifest_of(folder)
    pubs = manifest["publications"]
    pubs[0]["resources"][0]["file"] = "../../etc/passwd"
    pubs[1]["resources"][0]["file"] = "no/existe.csv"
    pubs[2]["owner_org"] = "otra"
    write_manifest(folder, manifest)

    report = import_folder(folder, user=sysadmin)

    assert report.publications == {"failed": 3, "created": 5}
    messages = "\n".join(str(p) for p in report.problems)
    assert "../../etc/passwd" in messages and "no/existe.csv" in messages
    assert "owner_org" in messages
    for pub in pubs[:3]:
        with pytest.raises(tk.ObjectNotFound):
            show(pub["name"])


def test_a_name_owned_by_another_organization_is_not_taken(folder, sysadmin):
    manifest = manifest_of(folder)
    other = factories.Organization()
    factories.Dataset(name=manifest["publications"][0]["name"], owner_org=other["id"])

    report = import_folder(folder, user=sysadmin)

    assert report.publications == {"failed": 1, "created": 7}
    assert show(manifest["publications"][0]["name"])["owner_org"] == other["id"]


def test_an_unusable_manifest_raises(tmp_path, sysadmin):
    with pytest.raises(ManifestError):
        import_folder(tmp_path, user=sysadmin)
    (tmp_path / "manifest.json").write_text("{not json", "utf-8")
    with pytest.raises(ManifestError):
        import_folder(tmp_path, user=sysadmin)
    (tmp_path / "manifest.json").write_text('{"publications": []}', "utf-8")
    with pytest.raises(ManifestError):
        import_folder(tmp_path, user=sysadmin)


def test_an_unknown_user_is_refused(folder):
    with pytest.raises(ManifestError):
        import_folder(folder, user="nadie-con-este-nombre")


def test_a_user_without_rights_gets_a_report_not_a_crash(folder):
    user = factories.User()["name"]
    factories.Organization(name=manifest_of(folder)["organization"]["name"])
    report = import_folder(folder, user=user)
    assert not report.ok
    assert report.publications == {"failed": 8}


def test_the_upload_validation_refuses_an_unsuppressed_small_count(folder, sysadmin):
    manifest = manifest_of(folder)
    target = next(p for p in manifest["publications"]
                  if p["tipo_publicacion"] == "resumen_ejecucion")
    path = folder / target["resources"][0]["file"]
    set_first_row_cell(path, 5, "3")   # hogares: a small count left unsuppressed

    report = import_folder(folder, user=sysadmin)

    assert report.publications == {"failed": 1, "created": 7}
    [problem] = report.problems
    assert problem.file == target["resources"][0]["file"]
    assert "hogares" in problem.message and "suprimido" in problem.message
    with pytest.raises(tk.ObjectNotFound):
        show(target["name"])
