"""Region (``wilayah``) as a first-class filter and facet on the demo catalogue: a government's
page lists what its OPD publish, and the site, REST and CKAN agree on every count."""

from __future__ import annotations

import json
import re
from typing import Any

from flask.testing import FlaskClient


def _ckan(client: FlaskClient, **params: Any) -> dict[str, Any]:
    resp = client.get("/api/3/action/package_search", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp.get_json()["result"]


def _page_total(client: FlaskClient, url: str) -> int:
    resp = client.get(url)
    assert resp.status_code == 200, url
    heading = re.search(r'<h2 id="dataset-org-judul">([\d.]+) dataset</h2>', resp.get_data(as_text=True))
    assert heading, url
    return int(heading.group(1).replace(".", ""))


def test_a_government_page_lists_its_region_with_its_opd(client: FlaskClient) -> None:
    everything = _ckan(client, rows=0)["count"]
    rohil = _ckan(client, fq="wilayah:14.07", rows=1000)
    assert 0 < rohil["count"] < everything
    assert all(p["organization"]["name"].endswith("-rohil") or "rokan-hilir" in p["organization"]["name"]
               for p in rohil["results"])
    assert _page_total(client, "/organization/pemkab-rokan-hilir") == rohil["count"]
    # The province's page: every dataset of Riau's governments and their OPD.
    riau = _ckan(client, fq="wilayah:14", rows=0)["count"]
    assert riau > rohil["count"]
    assert _page_total(client, "/organization/pemprov-riau") == riau
    # An OPD's page is still its own datasets.
    opd = rohil["results"][0]["organization"]["name"]
    assert _page_total(client, f"/organization/{opd}") == _ckan(client, fq=f"organization:{opd}", rows=0)["count"]


def test_site_rest_and_ckan_agree_on_the_region_facet(client: FlaskClient) -> None:
    ckan = _ckan(client, rows=0, **{"facet.field": json.dumps(["wilayah"]), "facet.limit": -1})
    facet = ckan["facets"]["wilayah"]
    assert facet["14"] == ckan["count"] - facet.get("76", 0)  # every demo government is in Riau or Sulbar
    items = {i["name"]: i["display_name"] for i in ckan["search_facets"]["wilayah"]["items"]}
    assert items["14"] == "Provinsi Riau" and items["14.07"] == "Kabupaten Rokan Hilir"
    rest = client.get("/api/v1/datasets", query_string={"wilayah": "14.07", "per_page": 1}).get_json()
    assert rest["meta"]["total"] == facet["14.07"]
    assert {f["value"]: f["count"] for f in rest["facets"]["wilayah"]}["14.07"] == facet["14.07"]
    page = client.get("/dataset", query_string={"wilayah": "14.07"}).get_data(as_text=True)
    assert "Kabupaten Rokan Hilir" in page and f"{facet['14.07']} dataset" in page


def test_a_bad_region_code_is_a_clear_error_everywhere(client: FlaskClient) -> None:
    resp = client.get("/api/3/action/package_search", query_string={"fq": "wilayah:rohil"})
    assert resp.status_code == 409 and "Kode wilayah" in json.dumps(resp.get_json()["error"])
    assert client.get("/api/v1/datasets", query_string={"wilayah": "rohil"}).status_code in (400, 422)
    page = client.get("/dataset", query_string={"wilayah": "rohil"})
    assert page.status_code == 400 and "Kode wilayah" in page.get_data(as_text=True)
