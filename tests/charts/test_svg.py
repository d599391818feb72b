import xml.etree.ElementTree as ET

import re

from ckanext.bonos.charts import geo, svg
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


def _rings(d):
    """Absolute points of each ring of an SVG path made of M, l and z."""
    rings = []
    for ring in re.findall(r"M[^z]*z", d):
        nums = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = nums[0], nums[1]
        points = [(x, y)]
        for dx, dy in zip(nums[2::2], nums[3::2]):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


def test_shapes_are_the_18_departments_with_shared_borders_identical():
    assert sorted(geo.SHAPES) == sorted(vocab.departamentos())
    assert geo.ISO["08"] == "HN-FM" and geo.ISO["06"] == "HN-CH" and geo.ISO["02"] == "HN-CL"
    assert "Natural Earth" in geo.SOURCE and "ublic domain" in geo.LICENSE
    edges = {}
    for code, d in geo.SHAPES.items():
        for ring in _rings(d):
            assert all(0 <= x <= geo.WIDTH and 0 <= y <= geo.HEIGHT for x, y in ring)
            for a, b in zip(ring, ring[1:] + ring[:1]):
                edges.setdefault(frozenset((a, b)), []).append(code)
    # a border is the same edges in both departments: never a third user, and
    # neighbours share many (a gap or an overlap would leave them unmatched)
    assert max(len(users) for users in edges.values()) == 2
    shared = {frozenset(u) for u in edges.values() if len(u) == 2}
    for a, b in (("08", "03"), ("08", "15"), ("08", "07"), ("06", "17"), ("05", "16"),
                 ("01", "18"), ("09", "15"), ("14", "13")):
        assert frozenset((a, b)) in shared, (a, b)
    assert frozenset(("11", "01")) not in shared     # the islands touch no one
    # the Islas del Cisne (far north-east) are left out: Islas de la Bahía stays near the coast
    assert max(y for r in _rings(geo.SHAPES["11"]) for _, y in r) < geo.HEIGHT / 4


def test_department_map_shades_known_values_and_hatches_suppressed():
    names = {c: d["nombre"] for c, d in vocab.departamentos().items()}
    links = {c: "/bonos/departamento/%s" % c for c in names}
    markup = str(svg.department_map({"08": 100.0, "01": None, "05": 10.0}, names,
                                    title="t", summary="s", value_format=lambda v: "v%d" % v,
                                    legend_format=str, suppressed_label="suppressed",
                                    no_data_label="no data", links=links, chart_id="m"))
    assert len(markup.encode("utf-8")) < 20_000
    root = parse(markup)
    tips = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert "Francisco Morazán: v100" in tips
    assert "Atlántida: suppressed" in tips
    assert "Yoro: no data" in tips
    assert "Cortés: v10" in tips
    shapes = root.findall("s:a", NS)
    assert sorted(a.get("data-ine") for a in shapes) == sorted(names)
    by_code = {a.get("data-ine"): a for a in shapes}
    assert by_code["08"].get("href") == "/bonos/departamento/08"
    assert by_code["08"].find("s:title", NS).text == "Francisco Morazán: v100"
    assert by_code["01"].find("s:path", NS).get("fill") == "url(#m-hatch)"
    assert by_code["08"].find("s:path", NS).get("fill") != by_code["05"].find("s:path", NS).get("fill")
    assert root.get("role") == "group"      # links inside role=img would be hidden


def test_department_map_without_links_is_one_picture():
    names = {c: d["nombre"] for c, d in vocab.departamentos().items()}
    root = parse(svg.department_map({"08": 1.0}, names, title="t", summary="s",
                                    value_format=str, legend_format=str,
                                    suppressed_label="suppressed", no_data_label="no data"))
    assert root.get("role") == "img" and not root.findall("s:a", NS)
    assert len(root.findall("s:g[@data-ine]", NS)) == 18


def test_sparkline_marks_points_and_target():
    root = parse(svg.sparkline(["2022", "2023"], [1.0, 2.0], title="t", summary="s",
                               value_format=str, targets=[2.0, 2.0], target_label="target"))
    tips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert tips == ["2022: 1.0 (target 2.0)", "2023: 2.0 (target 2.0)"]
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 2


def test_nice_ceiling():
    assert [svg.nice_ceiling(v) for v in (0, 1, 7, 23, 240, 251, 999)] == [1, 1, 10, 25, 250, 500, 1000]
