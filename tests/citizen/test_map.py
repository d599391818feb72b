"""Acceptance 3: the landing page's map is the 18 departments, each shape with
its INE code, a link to its department page and its value in its title; the SVG
stays under 20 KB."""
import re

from .conftest import summary


def test_landing_map_has_the_18_linked_departments(portal, app):
    portal.publication("bvm-2024", summary(
        ("2024-T1", "08", "0801", 1200, 4100, 3000000, 2950000),
        ("2024-T1", "01", "0101", 300, 900, 800000, 790000),
        ("2024-T1", "15", "1501", "suprimido", "suprimido", "suprimido", "suprimido"),
        ("2024-T1", "15", "1502", "suprimido", "suprimido", "suprimido", "suprimido")))
    page = app.get("/bonos").body
    maps = [m for m in re.findall(r"<svg.*?</svg>", page, re.S) if "data-ine" in m]
    assert len(maps) == 1
    svg = maps[0]
    assert len(svg.encode("utf-8")) < 20_000
    shapes = re.findall(r'<a href="([^"]+)" data-ine="(\d\d)" aria-label="[^"]*">'
                        r'<title>([^<]+)</title><path d="M', svg)
    assert sorted(code for _, code, _ in shapes) == ["%02d" % i for i in range(1, 19)]
    by_code = {code: (href, title) for href, code, title in shapes}
    assert by_code["08"] == ("/bonos/departamento/08", "Francisco Morazán: L\u00a02.950.000")
    assert by_code["01"][1] == "Atlántida: L\u00a0790.000"
    assert by_code["15"][1] == "Olancho: suprimido"       # suppressed, not 0
    assert by_code["18"][1] == "Yoro: sin datos"
    # the data table stays beside the map
    assert "Francisco Morazán</a></th>" in page
