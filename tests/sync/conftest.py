"""Fixtures for the push: two real national portals (plain CKAN and
CKAN + ckanext-bonos) started once per session, a fresh organization and
API token on them for every test, and source publications with real
uploads validated by this extension's hooks."""
from __future__ import annotations

import io
import uuid

import pytest
from werkzeug.datastructures import FileStorage

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos.sync import targets

from ..validation import samples

from .national import NationalPortal

TOKEN_ENV = "BONOS_PUSH_TOKEN_TEST"
TABLES = ("resumen_ejecucion", "historial_pagos", "indicadores")


@pytest.fixture(scope="session")
def national_portals(tmp_path_factory):
    started = {}

    def get(mode: str) -> NationalPortal:
        if mode not in started:
            portal = NationalPortal(tmp_path_factory.mktemp("national-" + mode), mode=mode,
                                    db="ckan_bonos_national_push_" + mode)
            portal.create().start()
            started[mode] = portal
        portal = started[mode]
        if not portal.running():      # a test killed it
            portal.start()
        return portal

    yield get
    for portal in started.values():
        portal.kill()


@pytest.fixture
def source(with_plugins, clean_db, clean_index, clean_datastore, with_request_context,
           tmp_path, ckan_config, monkeypatch):
    """The SEDIS portal (this process): an organization and an editor."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    org = factories.Organization(name="sedis")
    user = factories.Sysadmin()
    return Source(org, user)


class Source:
    def __init__(self, org, user):
        self.org = org
        self.user = user

    def call(self, action, **data):
        return helpers.call_action(action, {"user": self.user["name"]}, **data)

    def publication(self, name, private=False, tables=TABLES, **fields):
        data = dict(type="bono", name=name, title="Bono Vida Mejor %s" % name,
                    owner_org=self.org["id"], programa="bono_vida_mejor",
                    tipo_publicacion="resumen_ejecucion", periodo_inicio="2023-01-01",
                    periodo_fin="2023-12-31", departamentos=["08", "05"],
                    componentes=["educacion", "salud"], frecuencia="anual",
                    umbral_supresion=5, private=private, tags=[{"name": "transferencias"}])
        data.update(fields)
        pkg = self.call("package_create", **data)
        for tabla in tables:
            self.upload(pkg["id"], tabla)
        return self.call("package_show", id=pkg["id"])

    def upload(self, package_id, tabla, content: bytes | None = None, name=None):
        content = samples.csv_bytes(tabla) if content is None else content
        filename = name or "%s.csv" % tabla
        return self.call("resource_create", package_id=package_id, name=tabla, tabla=tabla,
                         url=filename, format="CSV",
                         upload=FileStorage(io.BytesIO(content), filename))


@pytest.fixture
def make_target(national_portals, ckan_config, monkeypatch):
    """configure(mode, resources=..., withdraw=...) -> (Target, NationalPortal):
    a fresh organization and push token on the chosen national portal."""
    def configure(mode="ckan", resources="upload", withdraw="delete", retries=2):
        portal = national_portals(mode)
        # Dataset names are unique across a portal: each test gets its own prefix.
        unique = uuid.uuid4().hex[:8]
        org = "sedis-" + unique
        portal.action("organization_create", name=org)
        monkeypatch.setenv(TOKEN_ENV, portal.new_token()["token"])
        settings = {"url": portal.url, "token_env": TOKEN_ENV, "organization": org,
                    # a `harvest` portal takes the push as a plain CKAN with its schema
                    "prefix": "s%s-" % unique, "mode": "bonos" if mode == "bonos" else "ckan",
                    "resources": resources,
                    "withdraw": withdraw, "retries": str(retries), "backoff": "0.2",
                    "timeout": "20"}
        monkeypatch.setitem(ckan_config, targets.TARGETS_OPTION, ["nacional"])
        for key, value in settings.items():
            monkeypatch.setitem(ckan_config, targets.PREFIX % ("nacional", key), value)
        return targets.get("nacional"), portal
    return configure
