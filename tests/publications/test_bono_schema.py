"""The `bono` dataset type through the API: the fields are a public contract."""
import pytest

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers


def bono(**overrides):
    data = {
        "type": "bono",
        "name": "bvm-ejecucion-2024-t1",
        "title": "Bono Vida Mejor: ejecución de Educación 2024-T1",
        "notes": "Resumen trimestral de la ejecución.",
        "programa": "bono_vida_mejor",
        "tipo_publicacion": "resumen_ejecucion",
        "componentes": ["educacion", "salud"],
        "periodo_inicio": "2024-01-01",
        "periodo_fin": "2024-03-31",
        "frecuencia": "trimestral",
        "nivel_agregacion": "departamental",
        "departamentos": ["08", "15"],
        "fecha_corte": "2024-04-15",
        "unidad_responsable": "Dirección de Seguimiento y Evaluación",
        "metodologia": "Conteos menores que **5** se suprimen.",
        "umbral_supresion": 5,
        "tag_string": "educación,transferencias",
    }
    data.update(overrides)
    return data


@pytest.fixture
def org(clean_db, clean_index, with_plugins):
    return factories.Organization(name="sedis", title="SEDIS")


def create(org, **overrides):
    user = factories.Sysadmin()
    return helpers.call_action("package_create", {"user": user["name"]},
                               owner_org=org["id"], **bono(**overrides))


def errors_of(org, **overrides):
    with pytest.raises(logic.ValidationError) as exc:
        create(org, **overrides)
    return exc.value.error_dict


def test_valid_publication_round_trips(org):
    created = create(org)
    shown = helpers.call_action("package_show", id=created["id"])
    for field, value in bono().items():
        if field == "tag_string":
            continue
        assert shown[field] == value, field
    assert shown["license_id"] == "cc-by"
    assert sorted(t["name"] for t in shown["tags"]) == ["educación", "transferencias"]


def test_threshold_defaults_to_five(org):
    data = bono()
    data.pop("umbral_supresion")
    user = factories.Sysadmin()
    created = helpers.call_action("package_create", {"user": user["name"]},
                                  owner_org=org["id"], **data)
    assert int(created["umbral_supresion"]) == 5


def test_unknown_department_is_refused_on_that_field(org):
    errors = errors_of(org, departamentos=["08", "19"])
    assert list(errors) == ["departamentos"]


def test_reversed_period_is_refused_on_periodo_fin(org):
    errors = errors_of(org, periodo_inicio="2024-03-31", periodo_fin="2024-01-01")
    assert list(errors) == ["periodo_fin"]
    assert "anterior" in errors["periodo_fin"][0] and "before" in errors["periodo_fin"][0]


def test_missing_programa_is_refused(org):
    errors = errors_of(org, programa="")
    assert list(errors) == ["programa"]


@pytest.mark.parametrize("field,value", [
    ("programa", "bono_inventado"),
    ("tipo_publicacion", "chisme"),
    ("componentes", ["vivienda"]),
    ("umbral_supresion", 2),
    ("periodo_inicio", "el año pasado"),
    ("frecuencia", "diaria"),
])
def test_bad_values_are_refused_on_their_field(org, field, value):
    assert field in errors_of(org, **{field: value})
