"""The three summary views: created by default, rendered from the DataStore,
cached, bilingual, and plain-spoken about resources they cannot show."""
import io
import re

import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan.lib import jobs

from werkzeug.datastructures import FileStorage

from ckanext.bonos import demo, tables
from ckanext.bonos.previews import fragments, loading

from .conftest import VIEW_OF, upload, view_of, view_url


def test_default_views_are_created_on_upload_for_the_matching_table_only(uploaded):
    for tabla, (res, _) in uploaded.items():
        types = {v["view_type"] for v in helpers.call_action("resource_view_list", id=res["id"])}
        assert VIEW_OF[tabla] in types
        assert not (types & (set(VIEW_OF.values()) - {VIEW_OF[tabla]})), (tabla, types)


def _page(app, url, **kw):
    response = app.get(url, **kw)
    assert response.status_code == 200, response.body[:500]
    return BeautifulSoup(response.body, "html.parser"), response.body


def test_resumen_view_shows_totals_chart_map_and_table(app, publication, uploaded):
    res, view = uploaded["resumen_ejecucion"]
    soup, body = _page(app, view_url(publication, res["id"], view["id"]))
    assert soup.find("html")["lang"] == "es"
    kpis = [dd.get_text(" ", strip=True) for dd in soup.select(".bonos-kpi dd")]
    assert len(kpis) == 4 and kpis[2].startswith("L\u00a0")
    # Spanish grouping: points for thousands
    assert re.search(r"L\u00a0\d{1,3}(\.\d{3})+", kpis[2])
    svgs = soup.find_all("svg")
    assert len(svgs) == 2 and all(s.get("role") == "img" and s.find("desc") for s in svgs)
    assert "Francisco Morazán" in svgs[0].get_text()
    # the last period of 2023 is chosen; every period is offered
    assert [a.get_text() for a in soup.select("nav ul.bonos-choices a")][:4] == [
        "2023-T1", "2023-T2", "2023-T3", "2023-T4"]
    assert soup.select_one("a[aria-current]").get_text() == "2023-T4"
    rows = soup.select("table.bonos-table")[-1].select("tbody tr")
    municipalities = {r.select("td")[0].get_text() for r in rows}
    assert "Distrito Central" in municipalities and "La Ceiba" in municipalities


def test_resumen_totals_match_the_file(app, publication, uploaded):
    """The headline amount is the sum of the 'total' rows of the period."""
    import csv
    res, view = uploaded["resumen_ejecucion"]
    records = helpers.call_action("datastore_search", resource_id=res["id"], limit=100000,
                                  filters={"periodo": "2023-T2", "componente": "total"})["records"]
    expected = sum(float(r["monto_transferido_hnl"]) for r in records)
    soup, _ = _page(app, view_url(publication, res["id"], view["id"], lang="en"),
                    query_string={"periodo": "2023-T2"})
    shown = soup.select(".bonos-kpi dd")[2].contents[0].strip()
    assert shown == "L\u00a0{:,.0f}".format(expected)


def test_suppressed_cells_are_shown_as_suppressed_never_zero(app, publication, demo_files):
    text = (",".join(f["name"] for f in tables.table_schema("resumen_ejecucion")["fields"]) + "\n"
            "2024-T1,08,0801,bono_vida_mejor,total,1200,4100,3000000,2950000.50\n"
            "2024-T1,08,0802,bono_vida_mejor,total,suprimido,suprimido,suprimido,suprimido\n")
    res = upload(publication, "resumen_ejecucion", text.encode())
    view = view_of(res["id"], "bonos_resumen")
    soup, body = _page(app, view_url(publication, res["id"], view["id"], lang="en"))
    households = soup.select(".bonos-kpi dd")[0].get_text(" ", strip=True)
    assert households.startswith("1,200*") and "Excludes 1 suppressed cell" in households and "cells" not in households
    row = [r for r in soup.select("table.bonos-table")[-1].select("tbody tr")
           if "Alubarén" in r.get_text()][0]
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[1] == "suppressed" and cells[2] == "suppressed" and "0" not in cells[1:3]
    assert "never zero" in soup.select_one(".bonos-footnote").get_text()
    # the plural agrees with the count in Spanish too
    soup, _ = _page(app, view_url(publication, res["id"], view["id"]))
    households = soup.select(".bonos-kpi dd")[0].get_text(" ", strip=True)
    assert "Excluye 1 celda suprimida" in households and "celdas" not in households


def test_pagos_view_shows_timeline_by_month_and_cycle(app, publication, uploaded):
    res, view = uploaded["historial_pagos"]
    url = view_url(publication, res["id"], view["id"])
    soup, _ = _page(app, url)
    svgs = soup.find_all("svg")
    assert len(svgs) == 2
    legend = svgs[0].get_text(" ")
    assert "Cuenta bancaria" in legend or "Bank account" in legend
    months = [r.select_one("th").get_text() for r in soup.select("table.bonos-table")[0].select("tbody tr")]
    assert len(months) >= 4 and all(m.endswith("2023") for m in months)
    soup, _ = _page(app, url, query_string={"agrupar": "periodo"})
    cycles = [r.select_one("th").get_text() for r in soup.select("table.bonos-table")[0].select("tbody tr")]
    assert cycles == ["2023-T1", "2023-T2", "2023-T3", "2023-T4"]


def test_indicadores_view_shows_cards_with_targets_and_trends(app, publication, uploaded):
    res, view = uploaded["indicadores"]
    soup, _ = _page(app, view_url(publication, res["id"], view["id"], lang="en"))
    sections = soup.select("section")
    assert sections and "Process indicators" in sections[0].find("h2").get_text()
    cards = soup.select(".bonos-card")
    assert len(cards) >= 3
    first = cards[0]
    assert first.select_one(".bonos-value").get_text().strip()
    assert first.find("svg", attrs={"role": "img"}) is not None
    assert "Target" in first.get_text()


def test_second_render_does_no_aggregation(app, publication, uploaded):
    for tabla, (res, view) in uploaded.items():
        url = view_url(publication, res["id"], view["id"])
        before = loading.AGGREGATIONS[VIEW_OF[tabla]]
        _page(app, url)
        assert loading.AGGREGATIONS[VIEW_OF[tabla]] == before + 1
        _page(app, url)
        _page(app, "/en" + url)  # another language reuses the same data
        assert loading.AGGREGATIONS[VIEW_OF[tabla]] == before + 1, tabla


def test_a_new_upload_is_aggregated_again(app, publication, uploaded, demo_files):
    res, view = uploaded["resumen_ejecucion"]
    url = view_url(publication, res["id"], view["id"])
    _page(app, url)
    before = loading.AGGREGATIONS["bonos_resumen"]
    helpers.call_action("resource_patch", {"user": publication["user"]["name"]}, id=res["id"],
                        upload=__import__("werkzeug").datastructures.FileStorage(
                            io.BytesIO(demo_files["resumen_ejecucion"]), "resumen.csv"))
    _page(app, url)
    assert loading.AGGREGATIONS["bonos_resumen"] == before + 1


def test_english_page_has_english_labels_and_number_format(app, publication, uploaded):
    res, view = uploaded["resumen_ejecucion"]
    soup, _ = _page(app, view_url(publication, res["id"], view["id"], lang="en"))
    assert soup.find("html")["lang"] == "en"
    assert [dt.get_text() for dt in soup.select(".bonos-kpi dt")][:2] == ["Households", "People"]
    assert re.search(r"L\u00a0\d{1,3}(,\d{3})+", soup.select(".bonos-kpi dd")[2].get_text())


def _sysadmin_headers():
    return {"Authorization": factories.SysadminWithToken()["token"]}


@pytest.mark.ckan_config("ckanext.bonos.validacion.max_sync_bytes", "10")
@pytest.mark.usefixtures("clean_queues")
def test_pending_and_invalid_resources_say_so(app, publication, demo_files):
    headers = _sysadmin_headers()
    res = upload(publication, "resumen_ejecucion", demo_files["resumen_ejecucion"])
    view = view_of(res["id"], "bonos_resumen")
    soup, _ = _page(app, view_url(publication, res["id"], view["id"], lang="en"), headers=headers)
    message = soup.select_one("[data-bonos-problem]")
    assert message["data-bonos-problem"] == "pending" and "still being checked" in message.get_text()
    assert not soup.find("svg")

    bad = demo_files["resumen_ejecucion"].replace(b",08,", b",99,", 1)
    res = upload(publication, "resumen_ejecucion", bad, name="bad.csv")
    jobs.Worker().work(burst=True)
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "invalido"
    view = view_of(res["id"], "bonos_resumen")
    soup, _ = _page(app, view_url(publication, res["id"], view["id"]), headers=headers)
    message = soup.select_one("[data-bonos-problem]")
    assert message["data-bonos-problem"] == "invalid"
    assert "no pasó" in message.get_text() or "did not pass" in message.get_text()


def _datastore_resource(publication, fields, records):
    res = helpers.call_action("resource_create", {"user": publication["user"]["name"]},
                              package_id=publication["pkg"]["id"], name="manual",
                              url="http://example.org/x.csv")
    helpers.call_action("datastore_create", {"user": publication["user"]["name"]},
                        resource_id=res["id"], fields=fields, records=records, force=True)
    return helpers.call_action("resource_show", id=res["id"])


def test_empty_and_unsuitable_resources_say_so(app, publication):
    from ckanext.bonos import validation
    empty = _datastore_resource(publication, validation.datastore_fields("resumen_ejecucion"), [])
    # not created by default (no tabla), added by hand
    assert helpers.call_action("resource_view_list", id=empty["id"]) == [] or all(
        v["view_type"] not in VIEW_OF.values()
        for v in helpers.call_action("resource_view_list", id=empty["id"]))
    view = helpers.call_action("resource_view_create", {"user": publication["user"]["name"]},
                               resource_id=empty["id"], view_type="bonos_resumen", title="Resumen")
    soup, _ = _page(app, view_url(publication, empty["id"], view["id"], lang="en"))
    assert soup.select_one("[data-bonos-problem]")["data-bonos-problem"] == "empty"
    assert "no rows" in soup.get_text()

    other = _datastore_resource(publication, [{"id": "periodo", "type": "text"},
                                              {"id": "valor", "type": "numeric"}],
                                [{"periodo": "2023", "valor": 1}])
    view = helpers.call_action("resource_view_create", {"user": publication["user"]["name"]},
                               resource_id=other["id"], view_type="bonos_pagos", title="Pagos")
    soup, _ = _page(app, view_url(publication, other["id"], view["id"], lang="en"))
    message = soup.select_one("[data-bonos-problem]")
    assert message["data-bonos-problem"] == "missing_columns"
    assert "fecha_pago" in message.get_text() and "historial_pagos" in message.get_text()

    nothing = helpers.call_action("resource_create", {"user": publication["user"]["name"]},
                                  package_id=publication["pkg"]["id"], name="link",
                                  url="http://example.org/y.csv")
    view = helpers.call_action("resource_view_create", {"user": publication["user"]["name"]},
                               resource_id=nothing["id"], view_type="bonos_indicadores", title="Ind")
    soup, _ = _page(app, view_url(publication, nothing["id"], view["id"], lang="en"))
    assert soup.select_one("[data-bonos-problem]")["data-bonos-problem"] == "no_data"


# -- the rendered body cache (previews.fragments) ------------------------------------
def _households(soup):
    return soup.select(".bonos-kpi dd")[0].get_text(" ", strip=True)


def _place_rows(soup):
    return [[c.get_text(strip=True) for c in r.find_all(["th", "td"])]
            for r in soup.select("table.bonos-table")[-1].select("tbody tr")]


def test_second_request_is_served_from_the_body_cache(app, publication, uploaded):
    for tabla, (res, view) in uploaded.items():
        url = view_url(publication, res["id"], view["id"])
        before = fragments.RENDERS[VIEW_OF[tabla]]
        first, _ = _page(app, url)
        second, _ = _page(app, url)
        assert fragments.RENDERS[VIEW_OF[tabla]] == before + 1, tabla
        assert str(first.main) == str(second.main)  # the page around it (CSRF token) differs


def test_a_new_upload_never_shows_the_cached_figures(app, publication, uploaded, tmp_path):
    res, view = uploaded["resumen_ejecucion"]
    url = view_url(publication, res["id"], view["id"], lang="en")
    old, _ = _page(app, url)
    _page(app, url)  # cached now
    demo.generate(tmp_path, years=[2022], programas=["bono_vida_mejor"], departamentos=["03"])
    new_file = sorted(tmp_path.rglob("*resumen-ejecucion-2022.csv"))[0]
    helpers.call_action("resource_patch", {"user": publication["user"]["name"]}, id=res["id"],
                        upload=FileStorage(io.BytesIO(new_file.read_bytes()), "resumen.csv"))
    before = fragments.RENDERS["bonos_resumen"]
    new, _ = _page(app, url)
    assert fragments.RENDERS["bonos_resumen"] == before + 1
    assert soup_text(new.select_one("a[aria-current]")) == "2022-T4"
    assert _households(new) != _households(old)
    places = {row[0] for row in _place_rows(new)}
    assert places == {"Comayagua"}, places   # only the new file's department


def soup_text(tag):
    return tag.get_text(strip=True)


def test_spanish_and_english_pages_never_share_a_body(app, publication, uploaded):
    res, view = uploaded["resumen_ejecucion"]
    url = view_url(publication, res["id"], view["id"])
    es1, _ = _page(app, url)
    en1, _ = _page(app, "/en" + url)
    es2, _ = _page(app, url)      # both cached now
    en2, _ = _page(app, "/en" + url)
    for es in (es1, es2):
        assert [dt.get_text() for dt in es.select(".bonos-kpi dt")][:2] == ["Hogares", "Personas"]
        assert re.fullmatch(r"[\d.]+", _households(es).split()[0].rstrip("*"))
    for en in (en1, en2):
        assert [dt.get_text() for dt in en.select(".bonos-kpi dt")][:2] == ["Households", "People"]
        assert re.fullmatch(r"[\d,]+", _households(en).split()[0].rstrip("*"))
    # the same figure, written per language: 1.234.567 / 1,234,567
    assert _households(es1).split()[0].replace(".", "") == _households(en1).split()[0].replace(",", "")
    assert str(es2.main) == str(es1.main) and str(en2.main) == str(en1.main)


def test_sort_parameters_are_respected_from_the_cache(app, publication, uploaded):
    res, view = uploaded["resumen_ejecucion"]
    url = view_url(publication, res["id"], view["id"], lang="en")
    by_place, _ = _page(app, url)
    query = {"orden": "hogares", "dir": "desc"}
    for _ in range(2):  # rendered, then cached
        by_households, _ = _page(app, url, query_string=query)
        counts = [int(row[2].rstrip("*").replace(",", "")) for row in _place_rows(by_households)
                  if row[2] != "suppressed"]
        assert counts == sorted(counts, reverse=True) and len(counts) > 10
        assert by_households.select_one("th[aria-sort]")["aria-sort"] == "descending"
    assert _place_rows(by_households) != _place_rows(by_place)
    ascending, _ = _page(app, url, query_string={"orden": "hogares", "dir": "asc"})
    counts = [int(row[2].rstrip("*").replace(",", "")) for row in _place_rows(ascending)
              if row[2] != "suppressed"]
    assert counts == sorted(counts)


def test_made_up_parameters_are_rendered_but_never_stored(app, publication, uploaded):
    from ckan.lib.redis import connect_to_redis
    res, view = uploaded["resumen_ejecucion"]
    url = view_url(publication, res["id"], view["id"])
    _page(app, url)
    redis = connect_to_redis()
    pattern = "%s:*:%s:*" % (fragments.PREFIX, res["id"])
    stored = set(redis.scan_iter(pattern))
    before = fragments.RENDERS["bonos_resumen"]
    for junk in ({"periodo": "1999-T9"}, {"orden": "nonsense"}, {"dir": "sideways"},
                 {"utm_source": "x"}):
        soup, _ = _page(app, url, query_string=junk)
        assert soup.select_one("a[aria-current]").get_text() == "2023-T4"  # falls back
    assert fragments.RENDERS["bonos_resumen"] == before + 4
    assert set(redis.scan_iter(pattern)) == stored


def test_default_title_follows_the_page_language_a_chosen_title_stays(app, publication, uploaded):
    """A view made by a script keeps its English default title in the
    database; the page shows it in the page's language. A title an editor
    chose is shown as written."""
    res, view = uploaded["resumen_ejecucion"]
    stored = helpers.call_action("resource_view_show", id=view["id"])["title"]
    assert stored in ("Execution summary", "Resumen de ejecución")
    for lang, expected in (("", "Resumen de ejecución"), ("en", "Execution summary")):
        soup, _ = _page(app, view_url(publication, res["id"], view["id"], lang=lang))
        assert soup.find("h1").get_text(strip=True) == expected
    helpers.call_action("resource_view_update", {"user": publication["user"]["name"]},
                        id=view["id"], resource_id=res["id"], title="Cifras del BVM 2023",
                        view_type=view["view_type"])
    for lang in ("", "en"):
        soup, _ = _page(app, view_url(publication, res["id"], view["id"], lang=lang))
        assert soup.find("h1").get_text(strip=True) == "Cifras del BVM 2023"
