from decimal import Decimal

from ckanext.bonos.charts import formato

NBSP = "\u00a0"


def test_spanish_groups_with_points_and_decimal_comma():
    assert formato.numero(1234567.891, "es", 2) == "1.234.567,89"
    assert formato.numero(1234, "es") == "1.234"  # four digits grouped too
    assert formato.lempiras(1234, "es") == "L" + NBSP + "1.234"
    assert formato.lempiras(Decimal("300000000.25"), "es", 2) == "L" + NBSP + "300.000.000,25"


def test_english_groups_with_commas():
    assert formato.numero(1234567.891, "en", 2) == "1,234,567.89"
    assert formato.lempiras(1234, "en") == "L" + NBSP + "1,234"
    assert formato.porcentaje(0.873, "en") == "87.3%"
    assert formato.porcentaje(0.873, "es") == "87,3" + NBSP + "%"


def test_none_is_never_a_number():
    for fn in (formato.numero, formato.lempiras, formato.porcentaje, formato.compacto):
        assert fn(None, "es") == ""


def test_rounding_is_half_up_and_has_no_negative_zero():
    assert formato.numero(2.5, "es") == "3"
    assert formato.numero(-0.04, "es", 1) == "0,0"
    assert formato.lempiras(-1500, "es") == "-L" + NBSP + "1.500"


def test_compact_forms_for_axes():
    assert formato.compacto(1234567, "es") == "1,2" + NBSP + "M"
    assert formato.compacto(1234567, "en") == "1.2M"
    assert formato.compacto(950, "es") == "950"
    assert formato.lempiras_compacto(1234567, "en") == "L" + NBSP + "1.2M"


def test_unknown_locale_falls_back_to_spanish_separators():
    assert formato.numero(1234.5, "xx", 1) == "1.234,5"
