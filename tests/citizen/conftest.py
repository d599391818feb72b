import io

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan import model

HEADER = ("periodo,departamento_codigo,municipio_codigo,programa,componente,"
          "hogares,personas,monto_programado_hnl,monto_transferido_hnl\n")


def summary(*rows):
    """CSV text of a resumen_ejecucion table from (periodo, dep, mun, hogares,
    personas, programado, transferido) tuples; a 'total' row per tuple."""
    lines = [HEADER]
    for periodo, dep, mun, hog, per, prog, trans in rows:
        lines.append("%s,%s,%s,bono_vida_mejor,total,%s,%s,%s,%s\n"
                     % (periodo, dep, mun, hog, per, prog, trans))
    return "".join(lines)


@pytest.fixture
def clean_bonos_tables(clean_db, clean_redis):
    """CKAN's clean_db empties only core's tables: empty the plugin's too
    (and Redis, where the figures cache lives)."""
    from ckanext.bonos.citizen import payments, store
    from ckanext.bonos.feedback import model as reports
    store.ensure()
    model.Session.execute(sa.text("DELETE FROM %s" % store.TABLE))
    payments.ensure()
    model.Session.execute(sa.text("DELETE FROM %s" % payments.TABLE))
    reports._ensure(model.Session)
    model.Session.execute(sa.text("DELETE FROM %s" % reports.TABLE))
    model.Session.commit()


class Portal:
    """Organizations, editors and publications with uploaded summaries."""

    def __init__(self):
        self.sysadmin = factories.Sysadmin()
        self.org = factories.Organization(name="sedis")

    def publication(self, name, text, periodo=("2024-01-01", "2024-12-31"),
                    fecha_corte="2025-01-20", org=None, private=False, **extra):
        pkg = helpers.call_action(
            "package_create", {"user": self.sysadmin["name"]}, type="bono", name=name,
            title="Publicación %s" % name, owner_org=(org or self.org)["id"],
            programa="bono_vida_mejor", tipo_publicacion="resumen_ejecucion",
            periodo_inicio=periodo[0], periodo_fin=periodo[1], fecha_corte=fecha_corte,
            departamentos=["08"], umbral_supresion=5, private=private, **extra)
        res = helpers.call_action(
            "resource_create", {"user": self.sysadmin["name"]}, package_id=pkg["id"],
            name="resumen.csv", tabla="resumen_ejecucion", url="resumen.csv", format="CSV",
            upload=FileStorage(io.BytesIO(text.encode("utf-8")), "resumen.csv"))
        return pkg, res


@pytest.fixture
def portal(clean_db, clean_bonos_tables, clean_index, with_plugins, clean_datastore, tmp_path, ckan_config,
           monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    return Portal()
