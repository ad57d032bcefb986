"""The demo portal's statistical metadata: two Dinas Kesehatan Rokan Hilir datasets carry a
filled MS-Keg (and one an MS-Ind), complete under the forms' skip rules, served by the API and
the public page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.review.statistik import services as ms
from satudata.review.statistik import spec

DEMO = ("prevalensi-stunting-kecamatan-rokan-hilir-2024", "fasilitas-kesehatan-kecamatan-rokan-hilir-2025")


def test_demo_datasets_have_ms_metadata(client: Any) -> None:
    resp = client.get(f"/api/v1/datasets/{DEMO[0]}/metadata-statistik")
    assert resp.status_code == 200
    body = resp.json
    assert "stunting" in body["ms_keg"]["latar_belakang"]
    assert body["ms_keg"]["instansi_penyelenggara"].startswith("Dinas Kesehatan")
    assert body["ms_ind"][0]["satuan"] == "persen" and body["ms_var"]
    assert all(v["definisi"] for v in body["ms_var"])
    # Not a survey: block V is not asked, and the JSON says so with null.
    assert body["ms_keg"]["cara_pengumpulan"] == "Pencacahan lengkap" and body["ms_keg"]["unit_sampel"] is None
    # Recorded on paper by posyandu cadres (PAPI): 6.4–6.7 are asked and answered.
    assert body["ms_keg"]["jumlah_enumerator"] == "1250"
    page = client.get(f"/dataset/{DEMO[1]}/metadata-statistik")
    assert page.status_code == 200 and "Perencanaan pelayanan kesehatan dasar" in page.get_data(as_text=True)


def test_demo_metadata_is_complete_and_valid(client: Any) -> None:
    with client.application.app_context():
        for slug in DEMO:
            dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
            meta = ms.load(dataset)
            assert meta.started
            assert ms.missing(meta).messages(localised=False) == [], slug
            for fields, values in ((spec.KEG_FIELDS, meta.keg),
                                   *((spec.VAR_FIELDS, e.values) for e in meta.variables),
                                   *((spec.IND_FIELDS, meta.indicator_values(r)) for r in meta.indicators)):
                assert spec.clean_values(fields, values)[1] == {}, slug
