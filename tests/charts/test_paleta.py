from ckanext.bonos.charts import paleta


def test_contrast_formula_matches_wcag_reference_values():
    assert round(paleta.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(paleta.contrast("#767676", "#ffffff"), 2) == 4.54
    assert paleta.contrast("#123456", "#123456") == 1.0


def test_every_categorical_colour_is_a_visible_mark_on_white():
    for colour in paleta.CATEGORICAL:
        assert paleta.contrast(colour, paleta.BACKGROUND) >= 3.0, colour


def test_categorical_colours_are_distinct():
    assert len(set(paleta.CATEGORICAL)) == len(paleta.CATEGORICAL)


def test_text_on_any_fill_meets_aa():
    for colour in paleta.CATEGORICAL + paleta.SEQUENTIAL:
        assert paleta.contrast(colour, paleta.text_on(colour)) >= 4.5, colour


def test_text_colours_meet_aa():
    for colour in (paleta.TEXT, paleta.TEXT_MUTED, paleta.GRID):
        assert paleta.contrast(colour, paleta.BACKGROUND) >= 4.5


def test_sequential_scale_gets_darker():
    lum = [paleta.luminance(c) for c in paleta.SEQUENTIAL]
    assert lum == sorted(lum, reverse=True)
