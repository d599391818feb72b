"""``ckan bonos import`` and ``ckan bonos demo-data``.

The click group is invoked directly (it is registered with CKAN's ``ckan``
command through the plugin's IClick ``get_commands``).
"""
import functools
import json
import time

import pytest

from ckan.tests import helpers

from ckanext.bonos import demo
from ckanext.bonos.cli import bonos

pytestmark = pytest.mark.usefixtures("ckan_env")


def run(cli, *args):
    result = cli.invoke(bonos, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def dataset_names():
    return set(helpers.call_action("package_list"))


def test_import_twice(cli, tmp_path):
    demo.generate(tmp_path, years=[2023], programas=["bono_tercera_edad"],
                  departamentos=["06"])
    first = run(cli, "import", str(tmp_path))
    assert first.exit_code == 0, first.output
    assert "publications: 4 created, 0 updated, 0 unchanged, 0 failed" in first.output
    assert "created   demo-bono-tercera-edad-resumen-ejecucion-2023" in first.output

    second = run(cli, "import", str(tmp_path))
    assert second.exit_code == 0, second.output
    assert "organization: unchanged" in second.output
    assert "publications: 0 created, 0 updated, 4 unchanged, 0 failed" in second.output
    assert "resources: 0 created, 0 updated, 4 unchanged, 0 deleted, 0 failed" in second.output


def test_import_reports_problems_and_fails(cli, tmp_path):
    manifest = demo.generate(tmp_path, years=[2023], programas=["bono_tercera_edad"],
                             departamentos=["06"])
    manifest["publications"][0]["resources"][0]["tabla"] = "no_existe"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    result = run(cli, "import", str(tmp_path))

    assert result.exit_code == 1
    assert "3 created, 0 updated, 0 unchanged, 1 failed" in result.output
    assert "1 problem(s)" in result.output
    assert manifest["publications"][0]["resources"][0]["file"] in result.output


def test_import_without_manifest(cli, tmp_path):
    result = run(cli, "import", str(tmp_path))
    assert result.exit_code != 0
    assert "manifest.json" in result.output


def test_demo_data_no_load_only_writes_files(cli, tmp_path):
    out = tmp_path / "demo"
    result = run(cli, "demo-data", "--out", str(out), "--no-load")
    assert result.exit_code == 0, result.output
    assert "48 publications, 48 files" in result.output
    assert (out / "manifest.json").is_file()
    assert not dataset_names()


def test_demo_data_loads_then_changes_nothing(cli, tmp_path, monkeypatch):
    # The whole demo takes minutes to load into the DataStore: a slice of it
    # goes through the same command here (the generator's tests cover the rest).
    full = demo.generate
    monkeypatch.setattr(demo, "generate", functools.partial(
        full, years=[2025], departamentos=["09", "11"]))
    out = tmp_path / "demo"
    result = run(cli, "demo-data", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "publications: 12 created, 0 updated, 0 unchanged, 0 failed" in result.output
    assert "resources: 12 created" in result.output
    assert len(dataset_names()) == 12

    start = time.monotonic()
    again = run(cli, "demo-data", "--out", str(out))
    elapsed = time.monotonic() - start
    assert again.exit_code == 0, again.output
    assert "publications: 0 created, 0 updated, 12 unchanged, 0 failed" in again.output
    assert "resources: 0 created, 0 updated, 12 unchanged, 0 deleted, 0 failed" in again.output
    assert elapsed < 10, elapsed
