import xml.etree.ElementTree as ET

from ckanext.bonos.charts import svg, tilegrid
from ckanext.bonos import vocab

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(markup):
    return ET.fromstring(str(markup))


def test_bar_chart_is_accessible_svg_with_suppressed_items_labelled():
    items = [{"label": "Francisco Morazán", "value": 2000},
             {"label": "Yoro", "value": None},
             {"label": "Valle <&>", "value": 1000, "note": "excludes 1"}]
    root = parse(svg.bar_chart(items, title="Amount", summary="Two departments",
                               value_format=lambda v: "L %d" % v, suppressed_label="suppressed",
                               chart_id="c1"))
    assert root.get("role") == "img" and root.get("tabindex") == "0"
    assert root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find("s:title", NS).text == "Amount"
    assert root.find("s:desc", NS).text == "Two departments"
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert tips == ["Francisco Morazán: L 2000", "Yoro: suppressed", "Valle <&>: L 1000 (excludes 1)"]
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == "#0072B2"]
    widths = sorted(float(b.get("width")) for b in bars)
    assert widths[1] == 2 * widths[0]  # proportional; the suppressed one has no bar
    assert any(r.get("fill") == "url(#c1-hatch)" for r in root.iter("{http://www.w3.org/2000/svg}rect"))


def test_timeline_stacks_and_draws_the_line():
    root = parse(svg.timeline_chart(
        ["2023-01", "2023-02"], [{"name": "bancaria", "values": [100, 200]},
                                 {"name": "móvil", "values": [None, 50]}],
        title="t", summary="s", bar_format=str, axis_format=str,
        line_series={"name": "transfers", "values": [3, 4]}, line_format=str))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "bancaria" in texts and "móvil" in texts and "transfers" in texts
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "2023-01 · móvil: \u2014" in tips and "2023-02 · transfers: 4" in tips
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 1


def test_tile_grid_has_each_department_once_in_its_own_cell():
    assert sorted(tilegrid.TILES) == sorted(vocab.departamentos())
    cells = [(c, r) for c, r, _ in tilegrid.TILES.values()]
    assert len(set(cells)) == 18
    assert len({iso for _, _, iso in tilegrid.TILES.values()}) == 18


def test_department_map_shades_known_values_and_hatches_suppressed():
    names = {c: d["nombre"] for c, d in vocab.departamentos().items()}
    root = parse(svg.department_map({"08": 100.0, "01": None, "05": 10.0}, names,
                                    title="t", summary="s", value_format=lambda v: "v%d" % v,
                                    legend_format=str, suppressed_label="suppressed",
                                    no_data_label="no data", chart_id="m"))
    tips = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert "Francisco Morazán: v100" in tips
    assert "Atlántida: suppressed" in tips
    assert "Yoro: no data" in tips
    assert "Cortés: v10" in tips


def test_sparkline_marks_points_and_target():
    root = parse(svg.sparkline(["2022", "2023"], [1.0, 2.0], title="t", summary="s",
                               value_format=str, targets=[2.0, 2.0], target_label="target"))
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert tips == ["2022: 1.0 (target 2.0)", "2023: 2.0 (target 2.0)"]
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 2


def test_nice_ceiling():
    assert [svg.nice_ceiling(v) for v in (0, 1, 7, 23, 240, 251, 999)] == [1, 1, 10, 25, 250, 500, 1000]
