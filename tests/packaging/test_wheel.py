"""The wheel, as an administrator of an existing portal would use it.

Builds the wheel from the checkout's files (only what a clean clone has:
compiled catalogues must come from the build), checks what it carries, then
installs CKAN (this leg's release, pinned by its constraints file) into a
fresh virtual environment, installs the wheel on top (its declared
dependencies come with it; CKAN must stay as it was), writes a new portal
configuration with the plugins, migrates new databases of its own and serves
pages: the extension's strings must be Spanish on Spanish pages and English
under /en/.

Slow (a couple of minutes, pip's cache makes it bearable): deselect with
``-m "not wheel"`` while working on something else.
"""
from __future__ import annotations

import contextlib
import email
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy.engine import make_url

import ckan
from ckan.common import config

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ".".join(ckan.__version__.split(".")[:2])
CONSTRAINTS = ROOT / ("constraints-%s.txt" % RELEASE)
PLUGINS = ("bonos scheming_datasets datastore bonos_pgsearch "
           "bonos_resumen bonos_pagos bonos_indicadores")
PLUGIN_ENTRY_POINTS = {"bonos", "bonos_pgsearch", "bonos_resumen", "bonos_pagos",
                       "bonos_indicadores", "bonos_dcat", "bonos_nacional",
                       "bonos_ckan_harvester"}
DECLARED = {"ckanext-scheming", "ckanapi", "highspy", "scipy", "numpy", "ckanext-dcat"}
# Strings of the extension on /bonos (landing page) and on every page (menu).
PAGE_STRINGS = ("Social bonds", "Social bonds: what was paid, where and when",
                "No figures have been published yet.", "Find publications")

pytestmark = pytest.mark.wheel


def _run(args, log: Path, **kwargs) -> str:
    """Run a command; on failure show its output (kept in ``log``)."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        pytest.fail("%s failed (%d):\n%s" % (" ".join(map(str, args[:4])), done.returncode,
                                             (done.stdout + done.stderr)[-4000:]))
    return done.stdout + done.stderr


def _clean_copy(dest: Path) -> Path:
    """The checkout's files as a clean clone of it would have them (tracked
    or new, never ignored: no .mo, no .venv, no .egg-info)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _catalogue(locale: str):
    with (ROOT / "ckanext/bonos/i18n" / locale / "LC_MESSAGES/ckanext-bonos.po").open("rb") as f:
        return read_po(f, locale=locale)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = _clean_copy(work / "src")
    assert not list(source.glob("ckanext/bonos/i18n/*/LC_MESSAGES/*.mo"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--progress-bar", "off",
          "-w", work / "dist", source], work / "build.log")
    built = list((work / "dist").glob("ckanext_bonos-*.whl"))
    assert len(built) == 1, built
    return built[0]


def test_the_wheel_carries_what_the_extension_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "ckanext"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    missing = [n for n in tracked if (ROOT / n).exists() and n not in names]
    assert not missing, "files of the extension left out of the wheel: %s" % missing
    for kind in ("templates/", "schemas/", "migration/", "vocab/", "tables/"):
        assert any(n.startswith("ckanext/bonos/" + kind) for n in names), kind
    assert not [n for n in names if n.startswith("tests/")]
    # compiled by the build, and faithful to the catalogue
    for locale in ("es", "en"):
        mo = "ckanext/bonos/i18n/%s/LC_MESSAGES/ckanext-bonos.mo" % locale
        assert mo in names
        compiled = read_mo(zipfile.ZipFile(wheel).open(mo))
        for message in _catalogue(locale):
            if message.id and message.string:
                got = compiled[message.id].string
                assert (tuple(got) if isinstance(got, list) else got) == message.string, message.id


def test_the_wheel_declares_its_dependencies_and_plugins(wheel):
    archive = zipfile.ZipFile(wheel)
    info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = email.message_from_bytes(archive.read(info))
    requires = {r.split(";")[0].split("<")[0].split(">")[0].split("=")[0].strip().lower()
                for r in metadata.get_all("Requires-Dist") or []}
    assert DECLARED <= requires
    # ckanext-harvest only for a national portal: ckanext-bonos[harvest]
    harvest = [r for r in metadata.get_all("Requires-Dist") if r.startswith("ckanext-harvest")]
    assert len(harvest) == 1 and 'extra == "harvest"' in harvest[0], harvest
    # never CKAN itself: pip would replace the portal's own CKAN
    assert "ckan" not in requires
    assert metadata["Requires-Python"] == ">=3.11"
    entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    section = entry_points.split("[ckan.plugins]")[1].split("\n[")[0]
    assert {line.split("=")[0].strip() for line in section.splitlines() if "=" in line} \
        == PLUGIN_ENTRY_POINTS
    profiles = entry_points.split("[ckan.rdf.profiles]")[1].split("\n[")[0]
    assert {line.split("=")[0].strip() for line in profiles.splitlines() if "=" in line} \
        == {"bonos_dcat_ap_3", "bonos_nacional_hn"}


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-qAt", "-c", sql], check=True, capture_output=True)


@contextlib.contextmanager
def _own_databases():
    """A main and a DataStore database for the new portal, named after the
    test ones (so parallel runs on other test databases do not meet)."""
    main = make_url(config["sqlalchemy.url"])
    write = make_url(config["ckan.datastore.write_url"])
    read = make_url(config["ckan.datastore.read_url"])
    names = (main.database + "_wheel", write.database + "_wheel")
    for name in names:
        _psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        _psql('CREATE DATABASE "%s" OWNER "%s" ENCODING \'UTF8\' TEMPLATE template0'
              % (name, main.username))
    try:
        yield (main.set(database=names[0]).render_as_string(hide_password=False),
               write.set(database=names[1]).render_as_string(hide_password=False),
               read.set(database=names[1]).render_as_string(hide_password=False))
    finally:
        for name in names:
            _psql('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, server: subprocess.Popen, log: Path, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("ckan run stopped:\n%s" % log.read_text()[-4000:])
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    pytest.fail("ckan run did not answer in %ds:\n%s" % (seconds, log.read_text()[-4000:]))


def test_installs_into_a_portal_and_speaks_spanish(wheel, tmp_path):
    assert CONSTRAINTS.exists(), "no constraints file for CKAN %s" % RELEASE
    venv = tmp_path / "venv"
    bin_ = venv / "bin"
    _run([sys.executable, "-m", "venv", venv], tmp_path / "venv.log")
    pip = [bin_ / "python", "-m", "pip", "install", "--progress-bar", "off", "-c", CONSTRAINTS]
    # The portal first: CKAN alone, as an administrator already has it.
    _run(pip + ["ckan[requirements]"], tmp_path / "pip-ckan.log")
    # Then the extension, from the wheel, with what it declares.
    installed = _run(pip + [wheel], tmp_path / "pip-wheel.log")
    assert "Successfully installed" in installed and "ckan-2" not in installed, \
        "installing the wheel reinstalled CKAN:\n" + installed
    versions = subprocess.run(
        [bin_ / "python", "-c", "import importlib.metadata as m, sys; "
         "print(' '.join(m.version(d) for d in sys.argv[1:]))", "ckan", *sorted(DECLARED)],
        capture_output=True, text=True, check=True).stdout.split()
    assert versions[0] == ckan.__version__

    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN")}  # no overrides
    ckan_cli = [bin_ / "ckan", "-c", tmp_path / "portal.ini"]
    port = _free_port()
    site = "http://127.0.0.1:%d" % port
    with _own_databases() as (db_url, write_url, read_url):
        _run([bin_ / "ckan", "generate", "config", tmp_path / "portal.ini"],
             tmp_path / "generate.log", env=env, cwd=tmp_path)
        _run([bin_ / "ckan", "config-tool", tmp_path / "portal.ini",
                         "sqlalchemy.url = " + db_url,
                         "ckan.datastore.write_url = " + write_url,
                         "ckan.datastore.read_url = " + read_url,
                         "ckan.redis.url = " + config["ckan.redis.url"],
                         "ckan.site_url = " + site,
                         "ckan.storage_path = %s" % (tmp_path / "storage"),
                         "solr_url = ",
                         "ckan.plugins = " + PLUGINS,
                         "scheming.dataset_schemas = ckanext.bonos.schemas:bono.yaml",
                         "scheming.presets = ckanext.scheming:presets.json",
                         "ckan.locale_default = es",
                         "ckan.locales_offered = es en"],
             tmp_path / "config.log", env=env, cwd=tmp_path)
        _run(ckan_cli + ["db", "init"], tmp_path / "db-init.log", env=env, cwd=tmp_path)
        for plugin in ("bonos", "bonos_pgsearch"):
            _run(ckan_cli + ["db", "upgrade", "-p", plugin], tmp_path / "db-upgrade.log",
                 env=env, cwd=tmp_path)
        pending = _run(ckan_cli + ["db", "pending-migrations"], tmp_path / "pending.log",
                       env=env, cwd=tmp_path)
        assert "unapplied" not in pending, pending

        log = tmp_path / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [str(a) for a in ckan_cli + ["run", "--host", "127.0.0.1", "--port", str(port),
                                             "--disable-reloader", "--disable-debugger"]],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        try:
            _wait_for(site + "/api/3/action/status_show", server, log)
            spanish, english = _get(site + "/bonos"), _get(site + "/en/bonos")
        finally:
            server.terminate()
            server.wait(20)

    es = _catalogue("es")
    for msgid in PAGE_STRINGS:
        translated = es[msgid].string
        assert translated and translated != msgid
        assert translated in spanish, "Spanish page lacks %r" % translated
        assert msgid in english, "English page lacks %r" % msgid
        assert msgid not in spanish.replace(translated, ""), "untranslated on /bonos: %r" % msgid
